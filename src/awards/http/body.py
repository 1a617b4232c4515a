"""Request bodies within bounds: a size per request, a depth of JSON nesting."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import ClientException

MEGABYTE = 1024 * 1024
REQUEST_BODY_LIMIT = 2 * MEGABYTE
"""Every answer of the longest form at its limits fits; uploads have their own (attachments)."""
MAX_JSON_DEPTH = 32
"""Deeper than any body the API reads (an answer in a language is three levels)."""


class BoundedRequest(Request[Any, Any, Any]):
    """Its JSON body decoded only when nested at most MAX_JSON_DEPTH levels: msgspec ran out
    of recursion at 2,000 levels (a 500), and anything deeper than the limit is no request."""

    async def json(self) -> Any:
        try:
            decoded = await super().json()
        except RecursionError:
            decoded = None
            too_deep = True
        else:
            too_deep = _depth_above(decoded, MAX_JSON_DEPTH)
        if too_deep:
            raise ClientException("JSON nested too deep", extra={"max_depth": MAX_JSON_DEPTH})
        return decoded


def _depth_above(value: Any, limit: int) -> bool:
    """Whether `value` nests lists and objects more than `limit` deep (walked without
    recursion, so a deep value cannot exhaust the stack here either)."""
    level = [value] if isinstance(value, dict | list) else []
    for _ in range(limit):
        if not level:
            return False
        level = [
            child
            for item in level
            for child in (item.values() if isinstance(item, dict) else item)
            if isinstance(child, dict | list)
        ]
    return bool(level)
