"""The floor of an upload: a bare Litestar app doing only the durable I/O the service must do.

    python bench/floor.py --port 8001 --database-url URL --data-dir DIR

`POST /upload` (multipart `file` and `field`, as the service's attachments endpoint takes
them) writes the file to `DIR` and fsyncs it, then inserts and commits one row in
`floor_uploads`; nothing else: no authentication, no checks, no hashing, no logging.
`GET /ping` answers a constant JSON object. Served by uvicorn with the settings of `awards
serve`. SQLite is opened as the service opens it (WAL, `synchronous=FULL`) through one
connection per process, the cheapest way to commit there; PostgreSQL through an asyncpg pool.
Run `prepare(URL)` once before starting any: it creates the table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import aiosqlite
import asyncpg
import uvicorn
from litestar import Litestar, get, post
from litestar.datastructures import State, UploadFile
from litestar.params import MultipartBody
from sqlalchemy.engine import make_url

COLUMNS = "name TEXT NOT NULL, size INTEGER NOT NULL"


class Rows(Protocol):
    async def create_table(self) -> None: ...

    async def insert(self, name: str, size: int) -> int: ...

    async def close(self) -> None: ...


class SqliteRows:
    """One connection per process: SQLite commits one writer at a time anyway."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection
        self.lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str) -> SqliteRows:
        connection = await aiosqlite.connect(path)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=30000"):
            await connection.execute(f"PRAGMA {pragma}")
        return cls(connection)

    async def create_table(self) -> None:
        await self.connection.execute(
            f"CREATE TABLE IF NOT EXISTS floor_uploads (id INTEGER PRIMARY KEY, {COLUMNS})"
        )
        await self.connection.commit()

    async def insert(self, name: str, size: int) -> int:
        async with self.lock:
            cursor = await self.connection.execute(
                "INSERT INTO floor_uploads (name, size) VALUES (?, ?)", (name, size)
            )
            await self.connection.commit()
        return cursor.lastrowid or 0

    async def close(self) -> None:
        await self.connection.close()


class PostgresRows:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def create_table(self) -> None:
        await self.pool.execute(
            f"CREATE TABLE IF NOT EXISTS floor_uploads (id BIGSERIAL PRIMARY KEY, {COLUMNS})"
        )

    async def insert(self, name: str, size: int) -> int:
        row_id: int = await self.pool.fetchval(
            "INSERT INTO floor_uploads (name, size) VALUES ($1, $2) RETURNING id", name, size
        )
        return row_id

    async def close(self) -> None:
        await self.pool.close()


async def open_rows(database_url: str) -> Rows:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return await SqliteRows.open(url.database or "")
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return PostgresRows(await asyncpg.create_pool(plain))


def prepare(database_url: str) -> None:
    """Create `floor_uploads` (once, before any server starts: they would race to)."""

    async def go() -> None:
        rows = await open_rows(database_url)
        try:
            await rows.create_table()
        finally:
            await rows.close()

    asyncio.run(go())


@dataclass
class UploadIn:
    file: UploadFile
    field: str


@dataclass(frozen=True)
class Stored:
    id: int
    size: int


def write_durably(path: Path, content: bytes) -> None:
    with path.open("wb") as file:
        file.write(content)
        file.flush()
        os.fsync(file.fileno())


@get("/ping", sync_to_thread=False)
def ping() -> dict[str, str]:
    return {"status": "ok"}


@post("/upload")
async def upload(data: MultipartBody[UploadIn], state: State) -> Stored:
    content = await data.file.read()
    name = uuid.uuid4().hex
    await asyncio.to_thread(write_durably, state.data_dir / name, content)
    rows: Rows = state.rows
    return Stored(id=await rows.insert(name, len(content)), size=len(content))


def create_app(database_url: str, data_dir: Path) -> Litestar:
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.rows = await open_rows(database_url)
        try:
            yield
        finally:
            await app.state.rows.close()

    data_dir.mkdir(parents=True, exist_ok=True)
    return Litestar(
        route_handlers=[ping, upload], lifespan=[lifespan], state=State({"data_dir": data_dir})
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    arguments = parser.parse_args()
    # As `awards serve` runs uvicorn.
    uvicorn.run(
        create_app(arguments.database_url, arguments.data_dir),
        host=arguments.host,
        port=arguments.port,
        log_config=None,
        log_level="info",
        access_log=False,
    )


if __name__ == "__main__":
    main()
