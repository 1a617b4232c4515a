"""A multipart upload read from the request as it arrives, in one pass.

Litestar's `MultipartBody` copies a file part into a spooled temporary file (on disk past
1 MB) before the handler runs, and the handler then reads it back to store it: every byte
crossed the disk twice. `streamed_upload` instead parses the request's stream itself: the
text parts before the file are collected (a client sends the form's fields before its file:
browsers in the form's order, httpx data before files), then the file's bytes are handed on
chunk by chunk as they come off the socket, to be hashed and written once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeAlias

from litestar import Request
from litestar.exceptions import ClientException
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)
from multipart import MultipartError, MultipartSegment, PushMultipartParser

MAX_PARTS = 16
"""More parts than any upload form has: a body of thousands of empty parts is refused."""
MAX_TEXT_PART = 4096
"""The longest text part kept (a field's name is a few dozen bytes)."""

_Event: TypeAlias = "MultipartSegment | bytes | None"
"""What the parser emits: a part's headers, a piece of its body, the end of the part."""


@dataclass(frozen=True)
class StreamedUpload:
    """The text parts sent before the file, and the file as it arrives."""

    fields: Mapping[str, str]
    filename: str
    chunks: AsyncIterator[bytes]
    """The file part's bytes, read from the request once, as they arrive."""

    def text(self, name: str) -> str:
        """Text part `name`, sent before the file; 400 if there is none."""
        if name not in self.fields:
            raise ClientException(f"no part '{name}' before the file in the multipart form")
        return self.fields[name]


def multipart_operation(*texts: str) -> type[Operation]:
    """The OpenAPI operation of a route that reads its body with `streamed_upload` (its
    `operation_class`): Litestar sees no body parameter, so it would document none. The body
    is a multipart form: text parts `texts`, then the file in part `file`."""
    form = Schema(
        type=OpenAPIType.OBJECT,
        properties={
            **{name: Schema(type=OpenAPIType.STRING) for name in texts},
            "file": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY),
        },
        required=[*texts, "file"],
    )
    body = RequestBody(
        content={"multipart/form-data": OpenAPIMediaType(schema=form)},
        description="The form's text parts first, then the file (read as it arrives).",
        required=True,
    )

    @dataclass
    class MultipartOperation(Operation):
        def __post_init__(self) -> None:
            self.request_body = body

    return MultipartOperation


@asynccontextmanager
async def streamed_upload(
    request: Request[Any, Any, Any], *, file: str = "file"
) -> AsyncIterator[StreamedUpload]:
    """The upload in part `file` of a multipart request; 400 if the body is no multipart
    form, or it has no file in that part.

    On exit the rest of the body is read and dropped (a refused file's remainder, the closing
    boundary), so the client reads the answer instead of a connection reset mid-send.
    """
    events = _events(request)
    fields: dict[str, str] = {}
    part, text = "", bytearray()
    filename: str | None = None
    async for event in events:
        if isinstance(event, MultipartSegment):
            if event.name == file and event.filename is not None:
                filename = event.filename
                break
            part, text = event.name, bytearray()
        elif event is None:
            fields[part] = _decoded(text)
        else:
            text += event
            if len(text) > MAX_TEXT_PART:
                raise ClientException(f"multipart part '{part}' is too long")
    if filename is None:
        raise ClientException(f"no file in part '{file}' of the multipart form")
    try:
        yield StreamedUpload(fields=fields, filename=filename, chunks=_part_body(events))
    except Exception:  # not a cancellation (a BaseException): nothing more is read then
        await _drop_rest(events)
        raise
    await _drop_rest(events)


async def _events(request: Request[Any, Any, Any]) -> AsyncIterator[_Event]:
    boundary = request.content_type[1].get("boundary", "")
    try:
        with PushMultipartParser(boundary.encode(), max_segment_count=MAX_PARTS) as parser:
            async for chunk in request.stream():
                for event in parser.parse(chunk):
                    yield event
    except MultipartError as error:
        raise ClientException(f"invalid multipart/form-data: {error}") from None


async def _part_body(events: AsyncIterator[_Event]) -> AsyncIterator[bytes]:
    async for event in events:
        if not isinstance(event, bytes):  # the part's end
            return
        yield event


async def _drop_rest(events: AsyncIterator[_Event]) -> None:
    try:
        async for _ in events:
            pass
    except ClientException:
        pass  # what followed the file is not ours to judge


def _decoded(text: bytearray) -> str:
    try:
        return text.decode()
    except UnicodeDecodeError:
        raise ClientException("a multipart text part is not UTF-8") from None
