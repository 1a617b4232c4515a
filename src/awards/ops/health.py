"""Is the service ready: can it reach its database and its SMTP server, each within a timeout?

Both are asked at once, so `/ready` answers within one timeout (plus scheduling), never the
sum; a probe that hangs is cut off and reported as such. What failed is named, with the
error's kind, so an operator knows where to look.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from pathlib import Path

from aiosmtplib import SMTP
from sqlalchemy import text

from awards.db.database import Database
from awards.settings import Settings

OK = "ok"


async def readiness(db: Database, settings: Settings, *, within: float) -> dict[str, str]:
    """`{"database": ..., "smtp": ...}`, each `ok` or why not, after `within` seconds at most."""
    database, smtp = await asyncio.gather(
        _answer(check_database(db), within=within),
        _answer(check_smtp(settings, answer_within=within), within=within),
    )
    return {"database": database, "smtp": smtp}


async def check_database(db: Database) -> None:
    """One round trip. A SQLite file must exist already: connecting would create an empty one."""
    path = db.url.database
    if db.is_sqlite and path and path != ":memory:" and not await asyncio.to_thread(_is_file, path):
        raise FileNotFoundError(f"no database file {path}")
    async with db.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def check_smtp(settings: Settings, *, answer_within: float) -> None:
    """Connect (in TLS when `smtp_tls` is `tls`), read the greeting, say goodbye."""
    client = SMTP(
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        use_tls=settings.smtp_tls == "tls",
        start_tls=False,
        timeout=answer_within,
    )
    try:
        await client.connect()
        await client.quit()
    finally:
        client.close()


def _is_file(path: str) -> bool:
    return Path(path).is_file()


async def _answer(check: Awaitable[None], *, within: float) -> str:
    try:
        async with asyncio.timeout(within):
            await check
    except TimeoutError:
        return f"no answer within {within:g} s"
    except Exception as error:
        return f"{type(error).__name__}: {error}"[:300]
    return OK
