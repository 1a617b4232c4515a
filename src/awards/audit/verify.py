"""Recompute every call's audit chain and name where it breaks (`awards audit verify`).

A call's entries, taken in `seq` order, must be numbered 1, 2, ... without a gap, each hash
must be that of its fields after the previous one, and ids must grow along the chain (they
are given in the order rows are written). The first entry that fails is reported for each
call; what follows it cannot be trusted either. A chain that holds must then end at its call's
head (`audit_heads`), which names a chain cut at its end (its last rows deleted, or all of
them), a chain grown past it, and a head deleted from under its chain.

The accepted limit: the hash has no secret, so whoever can write both tables may cut a chain
and edit its head to match the new end (or rewrite a chain and its head) unseen: this catches
changes made to the rows alone. On PostgreSQL the verification reads one snapshot (REPEATABLE
READ), so entries written while it runs are not mistaken for a chain grown past its head.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import col

from awards.audit.chain import GENESIS, entry_hash
from awards.db.database import Database
from awards.db.tables import AuditEntry, AuditHead

PROGRESS_EVERY = 10_000
"""Rows between two progress reports within a long chain."""


@dataclass(frozen=True)
class Break:
    """The first entry of a call's chain that is not what was written, or (no `row_id`) a
    chain that does not end at its head."""

    call_id: int
    row_id: int | None
    problem: str

    def __str__(self) -> str:
        row = "" if self.row_id is None else f"audit row {self.row_id} "
        return f"call {self.call_id}: {row}{self.problem}"


@dataclass
class Verification:
    """What a verification read, and where chains break (none when the trail is intact)."""

    rows: int = 0
    calls: int = 0
    breaks: list[Break] = field(default_factory=list)


@dataclass
class _Walk:
    """Where the walk along one call's chain stands."""

    call_id: int
    seq: int = 0
    previous_hash: str = GENESIS
    previous_id: int = 0
    broken: bool = False

    def check(self, entry: AuditEntry) -> str | None:
        """What is wrong with `entry` as the next link, if anything; then step past it."""
        assert entry.id is not None and entry.seq is not None
        expected = self.seq + 1
        if entry.seq != expected:
            problem = f"(#{entry.seq}): {_gap(expected, entry.seq - 1, self.previous_id, entry.id)}"
        elif entry.chain_hash != entry_hash(entry, seq=entry.seq, previous=self.previous_hash):
            problem = (
                f"(#{entry.seq}) does not match its hash: edited, moved, or inserted out of chain"
            )
        elif entry.id < self.previous_id:
            problem = f"(#{entry.seq}) was written before audit row {self.previous_id}: reordered"
        else:
            problem = None
        self.seq, self.previous_hash, self.previous_id = entry.seq, entry.chain_hash or "", entry.id
        return problem

    def end(self, head: AuditHead | None) -> str | None:
        """What is wrong with the chain ending here, given its call's head, if anything."""
        if head is None:
            return f"rows up to seq {self.seq} have no head: it was deleted"
        if self.seq < head.seq:
            rows = f"rows after seq {self.seq} are" if self.seq else "all rows are"
            return f"{rows} missing (head says {head.seq})"
        if self.seq > head.seq:
            return f"rows from seq {head.seq + 1} were added past its head (head says {head.seq})"
        if self.previous_hash != head.chain_hash:
            return f"rows up to seq {self.seq} were rewritten: the last hash is not the head's"
        return None


def _gap(first: int, last: int, before_id: int, after_id: int) -> str:
    rows = f"row #{first} was" if first == last else f"rows #{first} to #{last} were"
    where = f"between audit rows {before_id} and {after_id}" if before_id else "before it"
    return f"{rows} deleted {where}"


async def verify_chains(
    db: Database,
    *,
    call_id: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Verification:
    """Walk the chain of every call (or of `call_id`) and report the first break of each.

    `progress` is told how many rows were read, after each call and every `PROGRESS_EVERY`
    rows within one. Rows are streamed: memory does not grow with the trail.
    """
    entries_query = select(AuditEntry).order_by(col(AuditEntry.call_id), col(AuditEntry.seq))
    heads_query = select(AuditHead)
    if call_id is not None:
        entries_query = entries_query.where(col(AuditEntry.call_id) == call_id)
        heads_query = heads_query.where(col(AuditHead.call_id) == call_id)
    result, walk = Verification(), None
    async with db.read() as session:
        if not db.is_sqlite:  # SQLite's read transaction is a snapshot already
            await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        heads = {head.call_id: head for head in await session.scalars(heads_query)}
        entries = await session.stream_scalars(entries_query.execution_options(yield_per=1000))
        async for entry in entries:
            if walk is None or walk.call_id != entry.call_id:
                if walk is not None:
                    _finish(walk, heads.pop(walk.call_id, None), result, progress)
                walk = _Walk(entry.call_id)
            result.rows += 1
            if progress is not None and result.rows % PROGRESS_EVERY == 0:
                progress(result.rows)
            if walk.broken:
                continue
            problem = walk.check(entry)
            if problem is not None:
                walk.broken = True
                result.breaks.append(Break(entry.call_id, entry.id or 0, problem))
    if walk is not None:
        _finish(walk, heads.pop(walk.call_id, None), result, progress)
    for head in heads.values():  # calls whose every row is gone
        _finish(_Walk(head.call_id), head, result, None)
    result.breaks.sort(key=lambda broken: broken.call_id)
    return result


def _finish(
    walk: _Walk,
    head: AuditHead | None,
    result: Verification,
    progress: Callable[[int], None] | None,
) -> None:
    """Count the call whose chain `walk` has read to its end, and check that end."""
    result.calls += 1
    problem = None if walk.broken else walk.end(head)
    if problem is not None:
        result.breaks.append(Break(walk.call_id, None, problem))
    if progress is not None:
        progress(result.rows)
