"""Requests counted and timed in this process, by method, route template and status.

Labels use the route template (`/api/v1/submissions/{submission_id}`), never the path, so the
number of series stays that of the routes. Each process counts its own requests: Prometheus
scrapes each process and sums them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field

from awards.ops.exposition import Family, Sample

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Upper bounds, in seconds, of the latency histogram."""


@dataclass
class _Timings:
    counts: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    total: float = 0.0
    count: int = 0


class RequestMetrics:
    """Counters and a latency histogram, fed by `awards.http.requests` for every request."""

    def __init__(self) -> None:
        self._requests: dict[tuple[str, str, str], int] = defaultdict(int)
        self._timings: dict[tuple[str, str], _Timings] = defaultdict(_Timings)

    def clear(self) -> None:
        """Count from zero: the application starts (again, when the tests reuse one)."""
        self._requests.clear()
        self._timings.clear()

    def observe(self, *, method: str, route: str, status: int, seconds: float) -> None:
        self._requests[(method, route, str(status))] += 1
        timings = self._timings[(method, route)]
        index = bisect_left(BUCKETS, seconds)
        if index < len(BUCKETS):
            timings.counts[index] += 1
        timings.total += seconds
        timings.count += 1

    def families(self) -> list[Family]:
        requests = Family(
            "awards_http_requests_total",
            "counter",
            "HTTP requests answered, by method, route template and status.",
            [
                Sample({"method": method, "route": route, "status": status}, count)
                for (method, route, status), count in sorted(self._requests.items())
            ],
        )
        latency = Family(
            "awards_http_request_duration_seconds",
            "histogram",
            "Time from a request's arrival to the end of its answer, by method and route.",
        )
        for (method, route), timings in sorted(self._timings.items()):
            labels = {"method": method, "route": route}
            cumulative = 0
            for bound, count in zip(BUCKETS, timings.counts, strict=True):
                cumulative += count
                latency.samples.append(Sample({**labels, "le": str(bound)}, cumulative, "_bucket"))
            latency.samples.extend(
                [
                    Sample({**labels, "le": "+Inf"}, timings.count, "_bucket"),
                    Sample(labels, timings.total, "_sum"),
                    Sample(labels, timings.count, "_count"),
                ]
            )
        return [requests, latency]
