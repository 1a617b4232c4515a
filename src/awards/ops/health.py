"""Is the service ready: can it reach its database and deliver mail, each within a timeout?

Mail is checked as `mail_transport` delivers it: the SMTP server answers its greeting, or
the demo's mailbox directory can be written (no SMTP server is waited for then). Both checks
run at once, so `/ready` answers within one timeout (plus scheduling), never the sum; a
probe that hangs is cut off and reported as such. What failed is named, with the error's
kind, so an operator knows where to look.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from pathlib import Path

from sqlalchemy import text

from awards.db.database import Database
from awards.notify.transport import mail_transport
from awards.settings import Settings

OK = "ok"


async def readiness(db: Database, settings: Settings, *, within: float) -> dict[str, str]:
    """`{"database": ..., "smtp" or "mailbox": ...}`, each `ok` or why not, after `within`
    seconds at most."""
    transport = mail_transport(settings)
    database, mail = await asyncio.gather(
        _answer(check_database(db), within=within),
        _answer(transport.check(within=within), within=within),
    )
    return {"database": database, transport.name: mail}


async def check_database(db: Database) -> None:
    """One round trip. A SQLite file must exist already: connecting would create an empty one."""
    path = db.url.database
    if db.is_sqlite and path and path != ":memory:" and not await asyncio.to_thread(_is_file, path):
        raise FileNotFoundError(f"no database file {path}")
    async with db.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


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
