"""The `awards` command line (API.md)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.clock import local, system_clock
from awards.db.migrate import upgrade
from awards.errors import AwardsError
from awards.runtime import Runtime, build_runtime
from awards.settings import Settings, load_settings
from workflows import mermaid

DEMO_MEMBERS = Path("config/demo/members.csv")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(os.environ)
        result: int = args.run(settings, args)
        return result
    except AwardsError as error:
        print(f"awards: {error.message}", file=sys.stderr)
        return 2


def _with_runtime(
    work: Callable[[Runtime, argparse.Namespace], Awaitable[None]],
) -> Callable[[Settings, argparse.Namespace], int]:
    def run(settings: Settings, args: argparse.Namespace) -> int:
        async def go() -> None:
            runtime = build_runtime(settings, pooled=False)
            try:
                await work(runtime, args)
            finally:
                await runtime.close()

        asyncio.run(go())
        return 0

    return run


def _migrate(settings: Settings, _: argparse.Namespace) -> int:
    upgrade(settings.database_url)
    print(f"schema up to date on {settings.database_url}")
    return 0


async def _demo(runtime: Runtime, _: argparse.Namespace) -> None:
    from awards.demo import load_demo

    logins = await load_demo(runtime, members_csv=DEMO_MEMBERS)
    base = runtime.settings.base_url
    print("Demo data loaded: organisations, the Secretariat, 3 jurors, 6 applicants, open calls.")
    print(f"  Secretariat token:  {logins.secretariat_token}")
    print(f"  Applicant ({logins.applicant_email}) token: {logins.applicant_token}")
    print(f"  Try: curl -H 'Authorization: Bearer {logins.applicant_token}' {base}/api/v1/calls")
    print("  More tokens: awards token EMAIL")


async def _add_user(runtime: Runtime, args: argparse.Namespace) -> None:
    user = await add_user(
        runtime.db,
        args.email,
        role=args.role,
        organisation=args.org,
        name=args.name or "",
        locale=args.locale,
        now=system_clock(),
    )
    print(f"user {user.email} ({user.role})")


async def _token(runtime: Runtime, args: argparse.Namespace) -> None:
    print(await issue_token(runtime.db, args.email, now=system_clock(), name=args.name))


async def _calls_list(runtime: Runtime, _: argparse.Namespace) -> None:
    from awards.auth.actor import SYSTEM
    from awards.calls.service import CallService

    summaries = await CallService(runtime).visible(actor=SYSTEM)
    print(f"{'id':>4}  {'kind':<28} {'edition':<8} {'state':<10} {'closes':<34} submissions")
    for summary in summaries:
        call = summary.call
        counts = ", ".join(f"{state}: {n}" for state, n in sorted(summary.counts.items())) or "-"
        print(
            f"{call.id:>4}  {call.kind:<28} {call.edition:<8} {call.state:<10} "
            f"{local(call.closes_at, call.timezone):<34} {counts}"
        )


async def _diagram(runtime: Runtime, args: argparse.Namespace) -> None:
    kind = runtime.kind(args.kind)
    for title, workflow in (("call", kind.call_workflow), ("submission", kind.submission_workflow)):
        print(f"%% {kind.slug}: {title} lifecycle")
        print(mermaid(workflow))


def _worker(settings: Settings, _: argparse.Namespace) -> int:
    """Deliver the outbox until SIGINT or SIGTERM; each batch is logged."""
    import logging
    import signal

    from awards.notify.worker import Worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    async def go() -> None:
        runtime = build_runtime(settings)  # pooled: a worker runs for days
        stop = asyncio.Event()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(signal_number, stop.set)
        worker = Worker(runtime)
        print(f"worker {worker.name}: mail goes to {worker.sender.server}; stop with Ctrl-C")
        try:
            total = await worker.run(stop)
        finally:
            await runtime.close()
        print(f"worker {worker.name} stopped: {total}")

    asyncio.run(go())
    return 0


async def _mail_dead(runtime: Runtime, _: argparse.Namespace) -> None:
    from awards.notify.delivery import dead_mail

    rows = await dead_mail(runtime.db)
    line = "{:>6}  {:<16}  {:>8}  {:<32} {:<22} {}"
    print(line.format("id", "queued (UTC)", "attempts", "recipient", "template", "error"))
    for row in rows:
        queued = f"{row.created_at:%Y-%m-%d %H:%M}"
        print(
            line.format(row.id, queued, row.attempts, row.recipient, row.template, row.last_error)
        )


async def _mail_resend(runtime: Runtime, args: argparse.Namespace) -> None:
    from awards.notify.delivery import resend

    for mail_id in args.ids:
        mail = await resend(runtime.db, mail_id, now=system_clock())
        print(f"mail {mail.id} to {mail.recipient} is queued again")


async def _mail_check_templates(runtime: Runtime, _: argparse.Namespace) -> None:
    from awards.errors import ConfigurationError
    from awards.notify.translations import translation_gaps

    gaps = translation_gaps(runtime.kinds.values(), runtime.mail)
    for gap in gaps:
        print(gap)
    if gaps:
        raise ConfigurationError(f"e-mails missing in a language of their call: {len(gaps)}")
    print("every e-mail of every call kind is written in each of its languages")


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from awards.app import create_app

    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="awards", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(
        name: str, run: Callable[[Settings, argparse.Namespace], int], help: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help)
        sub.set_defaults(run=run)
        return sub

    command("migrate", _migrate, "create or upgrade the schema")
    command("demo", _with_runtime(_demo), "load demo organisations, users and calls")
    serve = command("serve", _serve, "run the web service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    command("worker", _worker, "deliver the outbox until stopped")

    mail = commands.add_parser("mail", help="outgoing e-mail").add_subparsers(
        required=True, metavar="ACTION"
    )
    mail.add_parser("dead", help="mail given up on, with its error").set_defaults(
        run=_with_runtime(_mail_dead)
    )
    resend = mail.add_parser("resend", help="queue dead mail again")
    resend.set_defaults(run=_with_runtime(_mail_resend))
    resend.add_argument("ids", metavar="ID", type=int, nargs="+")
    mail.add_parser(
        "check-templates", help="e-mails missing in a language of their call kind"
    ).set_defaults(run=_with_runtime(_mail_check_templates))

    users = commands.add_parser("users", help="manage users").add_subparsers(
        required=True, metavar="ACTION"
    )
    add = users.add_parser("add", help="add or update a user")
    add.set_defaults(run=_with_runtime(_add_user))
    add.add_argument("email")
    add.add_argument("--role", required=True, choices=["secretariat", "juror", "applicant"])
    add.add_argument("--org", help="organisation slug (applicants)")
    add.add_argument("--name")
    add.add_argument("--locale", default="en", choices=["en", "fr", "es", "pt"])

    token = command("token", _with_runtime(_token), "print a new API token for a user")
    token.add_argument("email")
    token.add_argument("--name", default="cli", help="what the token is for")

    calls = commands.add_parser("calls", help="calls").add_subparsers(
        required=True, metavar="ACTION"
    )
    calls.add_parser("list", help="calls with state, deadline and counts").set_defaults(
        run=_with_runtime(_calls_list)
    )

    workflow = commands.add_parser("workflow", help="workflows").add_subparsers(
        required=True, metavar="ACTION"
    )
    diagram = workflow.add_parser("diagram", help="a call kind's state machines as Mermaid")
    diagram.set_defaults(run=_with_runtime(_diagram))
    diagram.add_argument("kind")
    return parser


if __name__ == "__main__":
    sys.exit(main())
