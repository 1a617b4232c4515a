"""The Prometheus text exposition format (version 0.0.4), written by hand: a family is a
`# HELP` line, a `# TYPE` line and its samples, each `name{label="value"} number`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

CONTENT_TYPE = "text/plain; version=0.0.4"
"""Litestar adds `; charset=utf-8`."""


@dataclass(frozen=True)
class Sample:
    labels: Mapping[str, str]
    value: float
    suffix: str = ""
    """`_bucket`, `_sum` or `_count` for a histogram's series."""


@dataclass(frozen=True)
class Family:
    name: str
    type: str
    """`counter`, `gauge` or `histogram`."""
    help: str
    samples: list[Sample] = field(default_factory=list)


def render(families: Iterable[Family]) -> str:
    lines = []
    for family in families:
        lines.append(f"# HELP {family.name} {_escape_help(family.help)}")
        lines.append(f"# TYPE {family.name} {family.type}")
        lines.extend(
            f"{family.name}{sample.suffix}{_labels(sample.labels)} {_number(sample.value)}"
            for sample in family.samples
        )
    return "\n".join(lines) + "\n"


def _labels(labels: Mapping[str, str]) -> str:
    if not labels:
        return ""
    inner = ",".join(f'{name}="{_escape_value(value)}"' for name, value in labels.items())
    return "{" + inner + "}"


def _escape_value(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _number(value: float) -> str:
    if value == float("inf"):
        return "+Inf"
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))
