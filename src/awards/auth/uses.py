"""When tokens and web sessions were last used, noted in memory and written together.

A request whose token (or session) was last noted over a minute ago notes its use here; once
answered, a request writes every note in one transaction if the last write is `EVERY` old,
else a write is set for when it will be. Under a surge at the deadline each city's first
request of the minute would otherwise cost a write transaction of its own (on SQLite a turn
of the one writer and an fsync). A crash loses at most `EVERY` of notes: `last_used_at` tells
the owner and the Secretariat when a token was last seen, and a session's idle timeout is
hours. What is noted when the service stops is written then.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from awards.auth.sessions import record_visits
from awards.auth.tokens import record_uses
from awards.clock import Clock
from awards.db.database import Database

EVERY = timedelta(seconds=5)
log = logging.getLogger(__name__)


class Uses:
    """The notes of one process."""

    def __init__(self, db: Database, clock: Clock, *, every: timedelta = EVERY) -> None:
        self._db = db
        self._clock = clock
        self._every = every
        self._tokens: dict[int, datetime] = {}
        self._sessions: dict[int, datetime] = {}
        self._written_at: datetime | None = None
        self._later: asyncio.Task[None] | None = None

    def token(self, token_id: int, *, now: datetime) -> None:
        self._tokens[token_id] = now

    def session(self, session_id: int, *, now: datetime) -> None:
        self._sessions[session_id] = now

    async def write_if_due(self) -> None:
        """Write the notes now if the last write is `EVERY` old, else once it is."""
        if not (self._tokens or self._sessions):
            return
        waited = None if self._written_at is None else self._clock() - self._written_at
        if waited is None or waited >= self._every:
            await self.write()
        elif self._later is None:
            self._later = asyncio.create_task(self._write_in(self._every - waited))

    async def write(self) -> None:
        """Write what is noted, in one transaction; notes taken meanwhile wait for the next."""
        tokens, self._tokens = self._tokens, {}
        sessions, self._sessions = self._sessions, {}
        self._written_at = self._clock()
        if not (tokens or sessions):
            return
        try:
            async with self._db.write() as session:
                await record_uses(session, tokens)
                await record_visits(session, sessions)
        except BaseException:
            # Kept for the next write, unless a later use was noted meanwhile.
            self._tokens = tokens | self._tokens
            self._sessions = sessions | self._sessions
            raise

    async def close(self) -> None:
        """Write what is still noted (the service stops); a failure is logged, not raised:
        it must not stop the rest of the shutdown."""
        if self._later is not None:
            self._later.cancel()
        await self._write_logged()

    async def _write_in(self, delay: timedelta) -> None:
        await asyncio.sleep(delay.total_seconds())
        self._later = None
        await self._write_logged()

    async def _write_logged(self) -> None:
        try:
            await self.write()
        except Exception:
            log.exception("the last uses of tokens and sessions were not written")
