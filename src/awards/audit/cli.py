"""`awards audit verify [--call ID]`: exit 2 naming the first break of each broken chain."""

from __future__ import annotations

import argparse
import asyncio
import sys

from awards.audit.verify import Verification, verify_chains
from awards.db.database import Database
from awards.settings import Settings

BROKEN = 2


def add_audit_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `audit verify` on the `awards` command line."""
    audit = commands.add_parser("audit", help="the audit trail").add_subparsers(
        required=True, metavar="ACTION"
    )
    verify = audit.add_parser(
        "verify", help="recompute each call's hash chain; exit 2 where one breaks"
    )
    verify.set_defaults(run=_verify)
    verify.add_argument("--call", type=int, metavar="ID", help="only this call's trail")


def _verify(settings: Settings, args: argparse.Namespace) -> int:
    verification = asyncio.run(_read(settings.database_url, call_id=args.call))
    print(file=sys.stderr)  # end the progress line
    for broken in verification.breaks:
        print(broken)
    if verification.breaks:
        return BROKEN
    print(f"{verification.rows} rows in {verification.calls} calls verified")
    return 0


async def _read(database_url: str, *, call_id: int | None) -> Verification:
    db = Database(database_url, pooled=False)
    try:
        return await verify_chains(db, call_id=call_id, progress=_show)
    finally:
        await db.dispose()


def _show(rows: int) -> None:
    print(f"\r{rows} rows read", end="", file=sys.stderr, flush=True)
