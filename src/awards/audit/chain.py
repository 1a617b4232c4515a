"""The hash chain of a call's audit trail: what an entry's hash covers, and linking new ones.

Each entry of a call carries `seq` (1, 2, ...) and `chain_hash`: the SHA-256 of a canonical
encoding of its fields and the previous entry's hash (`GENESIS` for the first). Editing,
deleting, reordering or slipping in a row breaks the chain from that row on
(`awards.audit.verify`). The call's head (`audit_heads`: last seq and hash), moved on in the
same transaction, says where the chain must end, so deleting its last rows shows too; new
entries link to the head, not to the last row left, so they cannot paper over such a cut.

The hash covers ids, states, the instant and the reason, never a person's name or address:
erasing a person (who becomes a pseudonym behind the same user id) leaves the chain intact.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import bindparam, event, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlmodel import col

from awards.db.tables import AuditEntry, AuditHead, Call, table_of

GENESIS = "0" * 64
"""The 'previous hash' of a call's first entry."""
_FORMAT = "awards-audit-1"
"""Names the encoding inside what is hashed: a new encoding must get a new name."""
_FLUSHED = "awards.audit.at_flush"
_LOCKED = "awards.audit.locked_calls"


class Chained(Protocol):
    """What the hash covers: an `AuditEntry`, or a row of its table read in a migration."""

    @property
    def call_id(self) -> int: ...
    @property
    def submission_id(self) -> int | None: ...
    @property
    def actor_id(self) -> int | None: ...
    @property
    def at(self) -> datetime: ...
    @property
    def transition(self) -> str: ...
    @property
    def from_state(self) -> str: ...
    @property
    def to_state(self) -> str: ...
    @property
    def reason(self) -> str | None: ...


def entry_hash(entry: Chained, *, seq: int, previous: str) -> str:
    """The hash of `entry` at place `seq` of its call's chain, after the hash `previous`."""
    fields: list[Any] = [
        _FORMAT,
        entry.call_id,
        seq,
        entry.submission_id,
        entry.actor_id,
        entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        entry.transition,
        entry.from_state,
        entry.to_state,
        entry.reason,
        previous,
    ]
    encoded = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def chain_when_flushed(session: AsyncSession, entry: AuditEntry) -> None:
    """Give `entry` (added to `session`) its place and hash when `session` next flushes.

    A flush hook, because recording is synchronous (many callers, no await) while linking
    reads the call's last link, under the call's lock, on the session's connection just
    before the row is inserted: the lock is then held until the commit. (Linking at the
    commit instead was measured: it shortened the lock but gained no throughput in the
    deadline surge, and left entries without an id for the mail they cause.)
    """
    sync_session = session.sync_session
    if not event.contains(sync_session, "before_flush", _link_at_flush):
        event.listen(sync_session, "before_flush", _link_at_flush)
    sync_session.info.setdefault(_FLUSHED, []).append(entry)


async def lock_chain(session: AsyncSession, call: Call) -> None:
    """Take the call's audit lock now, before changing any of its submissions.

    Every transaction that audits a call takes its locks in one order, the call's and then its
    submissions' rows: a submit that locked its row and then waited for the call's lock would
    deadlock with a transaction holding the call's lock that then touched that row. Linking at
    the flush finds the lock held and does not ask again.
    """
    assert call.id is not None
    await session.run_sync(_lock, call.id)


def _link_at_flush(session: Session, _context: object, _instances: object) -> None:
    _link(session, session.info.pop(_FLUSHED, []))


def _link(session: Session, pending: list[AuditEntry]) -> None:
    """Entries are linked in the order they were recorded, each call's under its lock; the
    head is read and moved on by Core statements (the ORM's object would cost a load, and an
    update in the flush, for two numbers)."""
    connection = session.connection()
    for call_id in sorted({entry.call_id for entry in pending}):  # one lock order: no deadlock
        seq, previous, known = _locked_head(session, call_id)
        for entry in (entry for entry in pending if entry.call_id == call_id):
            seq += 1
            entry.seq, entry.chain_hash = seq, entry_hash(entry, seq=seq, previous=previous)
            previous = entry.chain_hash
            session.add(entry)
        moved = {"head_of": call_id, "seq": seq, "chain_hash": previous}
        connection.execute(_MOVE_HEAD if known else _NEW_HEAD, moved)


def _locked_head(session: Session, call_id: int) -> tuple[int, str, bool]:
    """Lock the call's chain, then read its head: (seq, hash, whether the call has a head
    yet); (0, GENESIS, False) before its first entry.

    On PostgreSQL two transactions auditing one call would both read the same head; the row
    lock on the call makes the second wait until the first commits (READ COMMITTED then shows
    it the new head). The call, not the head, because a call's first two entries would both
    find no head to lock. `FOR NO KEY UPDATE`, not `FOR UPDATE`: inserting a row that
    references the call takes `FOR KEY SHARE` on it, which `FOR UPDATE` would wait for,
    deadlocking two transactions that each inserted a submission. On SQLite, `BEGIN
    IMMEDIATE` already serialises writers and no lock clause is rendered.

    The head is read by a statement of its own, after the lock: one that locked the call and
    joined the head would show the head as it was when it started to wait (the call's row is
    locked, never changed, so PostgreSQL reads nothing again once the lock is granted).
    """
    _lock(session, call_id)
    head = session.connection().execute(_HEAD, {"head_of": call_id}).first()
    return (head.seq, head.chain_hash, True) if head else (0, GENESIS, False)


_HEADS = table_of(AuditHead)
_HEAD = select(_HEADS.c.seq, _HEADS.c.chain_hash).where(_HEADS.c.call_id == bindparam("head_of"))
_MOVE_HEAD = (
    update(_HEADS)
    .where(_HEADS.c.call_id == bindparam("head_of"))
    .values(seq=bindparam("seq"), chain_hash=bindparam("chain_hash"))
)
_NEW_HEAD = insert(_HEADS).values(
    call_id=bindparam("head_of"), seq=bindparam("seq"), chain_hash=bindparam("chain_hash")
)
_LOCK_CALL = (
    select(col(Call.id)).where(col(Call.id) == bindparam("call_id")).with_for_update(key_share=True)
)
"""Built once: building a statement costs more than running it."""


def _lock(session: Session, call_id: int) -> None:
    """Lock the call's chain (its row), once per transaction."""
    held: set[int] = session.info.setdefault(_LOCKED, set())
    if call_id not in held:
        session.execute(_LOCK_CALL, {"call_id": call_id})
        held.add(call_id)
