"""The command line of accounts and privacy: `awards invite`, `awards revoke`,
`awards privacy erase | export | retention`. Registered by `awards.cli`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Awaitable, Callable

from awards.auth.invitations import InvitedRole, NewInvitation, invite
from awards.auth.revocation import revoke_role
from awards.members.importing import operator
from awards.privacy.erasure import erase_person
from awards.privacy.export import export_by_email
from awards.privacy.retention import apply_retention
from awards.settings import Settings
from awards.transitions.actor import Actor, Role
from awards.transitions.runtime import Runtime
from awards.vocabulary import LANGUAGES

Work = Callable[[Runtime, argparse.Namespace], Awaitable[None]]
Command = Callable[[Settings, argparse.Namespace], int]


def _operator() -> Actor:
    """Who runs the command line acts as the Secretariat, recorded without a user id."""
    return Actor(id=None, email=operator(), role=Role.SECRETARIAT)


async def _invite(runtime: Runtime, args: argparse.Namespace) -> None:
    invitation = await invite(
        runtime,
        NewInvitation(
            email=args.email,
            role=InvitedRole(args.role),
            call_id=args.call,
            organisation=args.org,
            language=args.language,
            name=args.name or "",
        ),
        actor=_operator(),
    )
    print(
        f"invitation {invitation.id} to {invitation.email} queued; it works until "
        f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC"
    )


async def _revoke(runtime: Runtime, args: argparse.Namespace) -> None:
    await revoke_role(
        runtime, args.email, call_id=args.call, organisation=args.org, actor=_operator()
    )
    print(f"{args.email}: role revoked")


async def _erase(runtime: Runtime, args: argparse.Namespace) -> None:
    erased = await erase_person(runtime, args.email, actor=_operator())
    print(f"user {erased.user_id} is now {erased.name} <{erased.email}>")


async def _export(runtime: Runtime, args: argparse.Namespace) -> None:
    print(json.dumps(await export_by_email(runtime, args.email), indent=2))


async def _retention(runtime: Runtime, args: argparse.Namespace) -> None:
    report = await apply_retention(runtime, dry_run=args.dry_run)
    verb = "due" if args.dry_run else "deleted"
    for purge in report.purged:
        print(
            f"submission {purge.submission_id:>6}  call {purge.call_id:>4}  {purge.kind:<28} "
            f"{purge.what:<8} due {purge.due:%Y-%m-%d}"
        )
    print(f"{verb}: the contents of {report}")


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    with_runtime: Callable[[Work], Command],
) -> None:
    """Add the commands to `awards`' parser."""
    invitation = commands.add_parser("invite", help="invite an address to a role, by e-mail")
    invitation.set_defaults(run=with_runtime(_invite))
    invitation.add_argument("email")
    invitation.add_argument("--role", required=True, choices=[role.value for role in InvitedRole])
    invitation.add_argument("--call", type=int, help="the call's id (juror, president)")
    invitation.add_argument("--org", help="the organisation's slug (applicant)")
    invitation.add_argument("--language", default="en", choices=LANGUAGES)
    invitation.add_argument("--name")

    revocation = commands.add_parser("revoke", help="take a role back")
    revocation.set_defaults(run=with_runtime(_revoke))
    revocation.add_argument("email")
    revocation.add_argument("--call", type=int, help="leave this call's panel")
    revocation.add_argument("--org", help="stop acting for this organisation")

    privacy = commands.add_parser("privacy", help="personal data").add_subparsers(
        required=True, metavar="ACTION"
    )
    erase = privacy.add_parser("erase", help="replace a person by a pseudonym everywhere")
    erase.set_defaults(run=with_runtime(_erase))
    erase.add_argument("email")
    export = privacy.add_parser("export", help="everything held about a person, as JSON")
    export.set_defaults(run=with_runtime(_export))
    export.add_argument("email")
    retention = privacy.add_parser("retention", help="delete what the kinds' retention says")
    retention.set_defaults(run=with_runtime(_retention))
    retention.add_argument("--dry-run", action="store_true", help="list it and delete nothing")
