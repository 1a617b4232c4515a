"""The `awards` command line (API.md)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from awards.assembly import build_runtime
from awards.audit.cli import add_audit_commands
from awards.auth.users import add_user
from awards.clock import local, system_clock
from awards.db.migrate import upgrade
from awards.errors import AwardsError, Invalid
from awards.members.values import NETWORKS
from awards.notify.render import renderer
from awards.ops import backup
from awards.privacy import commands as privacy_commands
from awards.settings import Settings, load_settings
from awards.transitions.runtime import Runtime
from awards.vocabulary import LANGUAGES
from awards.web.i18n import catalogues
from awards.web.i18n.en import MESSAGES as EN
from workflows import mermaid

if TYPE_CHECKING:
    from litestar import Litestar

DEMO_MEMBERS = Path("config/demo/members.csv")
TOKEN_USAGE = "EMAIL | list EMAIL | revoke ID"


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
    where = make_url(settings.database_url).render_as_string(hide_password=True)
    print(f"{upgrade(settings.database_url)} on {where}")
    return 0


async def _demo(runtime: Runtime, _: argparse.Namespace) -> None:
    from awards.demo import APPLICANTS, JURORS, SECRETARIAT, load_demo

    logins = await load_demo(runtime, members_csv=DEMO_MEMBERS)
    base = runtime.settings.base_url
    print(
        f"Demo data loaded: organisations, the Secretariat, {len(JURORS)} jurors, "
        f"{len(APPLICANTS)} applicants, an open call of each kind."
    )
    print(f"  Secretariat token:  {logins.secretariat_token}")
    print(f"  Applicant ({logins.applicant_email}) token: {logins.applicant_token}")
    print(f"  Try: curl -H 'Authorization: Bearer {logins.applicant_token}' {base}/api/v1/calls")
    print("  More tokens: awards token EMAIL")
    if runtime.settings.keeps_mail_in_mailbox:
        print(f"  Sign in at {base}/login as {SECRETARIAT}: the link is in {base}/mailbox")


async def _add_user(runtime: Runtime, args: argparse.Namespace) -> None:
    user = await add_user(
        runtime.db,
        args.email,
        role=args.role,
        organisation=args.org,
        name=args.name or "",
        locale=args.locale,
        network=args.network,
        now=system_clock(),
    )
    print(f"user {user.email} ({user.role})")


async def _token(runtime: Runtime, args: argparse.Namespace) -> None:
    """`token EMAIL` issues, `token list EMAIL` lists, `token revoke ID` revokes."""
    match args.target:
        case ["list", email]:
            _only_for_new_tokens(args)
            await _token_list(runtime, email)
        case ["revoke", token_id]:
            _only_for_new_tokens(args)
            await _token_revoke(runtime, token_id)
        case [email]:
            await _token_issue(runtime, email, args)
        case _:
            raise Invalid(f"usage: awards token {TOKEN_USAGE}")


async def _token_issue(runtime: Runtime, email: str, args: argparse.Namespace) -> None:
    from datetime import timedelta

    from awards.auth.tokens import create_token

    days = args.expires_in
    issued = await create_token(
        runtime.db,
        email,
        now=system_clock(),
        name=args.name or "cli",
        scopes=args.scope,
        expires_in=None if days is None else timedelta(days=days),
    )
    expires = "never" if issued.expires_at is None else f"{issued.expires_at:%Y-%m-%d %H:%M} UTC"
    print(issued.secret)  # alone on stdout, for scripts: TOKEN=$(awards token EMAIL)
    print(
        f"token {issued.id} of {issued.email}: scopes {' '.join(issued.scopes)}; "
        f"expires {expires}; shown once, keep it safe",
        file=sys.stderr,
    )


async def _token_list(runtime: Runtime, email: str) -> None:
    from awards.auth.tokens import status, tokens_of

    now, tokens = system_clock(), await tokens_of(runtime.db, email)
    line = "{:>5}  {:<16} {:<28} {:<8} {:<16}  {:<16}  {}"
    print(line.format("id", "name", "scopes", "status", "created (UTC)", "expires", "last used"))
    for token in tokens:
        print(
            line.format(
                token.id,
                token.name,
                token.scopes,
                status(token, now=now),
                _minute(token.created_at),
                _minute(token.expires_at, missing="never"),
                _minute(token.last_used_at, missing="never"),
            )
        )


async def _token_revoke(runtime: Runtime, token_id: str) -> None:
    from awards.auth.tokens import revoke_token

    if not token_id.isdigit():
        raise Invalid(f"a token id is a number, not '{token_id}'")
    token, email = await revoke_token(runtime.db, int(token_id), now=system_clock())
    print(f"token {token.id} ({token.name}) of {email} is revoked")


def _only_for_new_tokens(args: argparse.Namespace) -> None:
    if args.name is not None or args.scope is not None or args.expires_in is not None:
        raise Invalid("--name, --scope and --expires-in describe a new token: awards token EMAIL")


def _minute(instant: datetime | None, *, missing: str = "") -> str:
    return missing if instant is None else f"{instant:%Y-%m-%d %H:%M}"


async def _members_import(runtime: Runtime, args: argparse.Namespace) -> None:
    from awards.members.importing import import_register, operator, user_email
    from awards.members.progress import TerminalProgress
    from awards.members.report import describe

    by = operator() if args.by is None else await user_email(runtime.db, args.by)
    report = await import_register(
        runtime.db,
        args.file,
        by=by,
        now=system_clock(),
        dry_run=args.dry_run,
        progress=TerminalProgress(sys.stderr),
    )
    for line in describe(report):
        print(line)


async def _calls_list(runtime: Runtime, _: argparse.Namespace) -> None:
    from awards.calls.service import CallService
    from awards.transitions.actor import SYSTEM

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
    import signal

    from awards.assembly import worker as new_worker
    from awards.ops.logs import configure_logging

    settings.check_secret_key()
    configure_logging(settings.log_level)

    async def go() -> None:
        runtime = build_runtime(settings)  # pooled: a worker runs for days
        stop = asyncio.Event()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(signal_number, stop.set)
        worker = new_worker(runtime)
        print(f"worker {worker.name}: mail goes to {worker.sender.destination}; stop with Ctrl-C")
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


async def _mail_send(runtime: Runtime, _: argparse.Namespace) -> None:
    """Deliver what is due now, batch by batch, with progress (e.g. results to 60 cities).

    Claims make a rerun, or a worker running meanwhile, skip what was sent: nothing twice.
    """
    from awards.notify.delivery import Tally
    from awards.notify.worker import Worker

    worker, total = Worker(runtime), Tally()
    while (tally := await worker.deliver_batch()).claimed:
        total += tally
        print(f"\r{total}", end="", file=sys.stderr, flush=True)
    print(f"\rdone: {total}", file=sys.stderr)


async def _mail_check_templates(runtime: Runtime, _: argparse.Namespace) -> None:
    from awards.errors import ConfigurationError
    from awards.notify.translations import translation_gaps

    gaps = translation_gaps(runtime.kinds.values(), renderer(runtime.settings.templates_dir))
    for gap in gaps:
        print(gap)
    if gaps:
        raise ConfigurationError(f"e-mails missing in a language of their call: {len(gaps)}")
    print("every e-mail of every call kind is written in each of its languages")


def served_app() -> Litestar:
    """The app `awards serve` runs, from the environment, in each of its processes."""
    from awards.app import create_app
    from awards.ops.logs import configure_logging

    settings = load_settings(os.environ)
    configure_logging(settings.log_level)
    return create_app(settings)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    settings.check_secret_key()
    # By name, so that each of several processes builds its own app (and its own pool).
    # Uvicorn's own lines go through the JSON handler too; its access log would repeat ours.
    # Forwarded headers only from the configured proxies (uvicorn would trust 127.0.0.1's).
    uvicorn.run(
        "awards.cli:served_app",
        factory=True,
        workers=args.workers,
        host=args.host,
        port=args.port,
        log_config=None,
        log_level=settings.log_level,
        access_log=False,
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies),
    )
    return 0


def _translations_update(settings: Settings, args: argparse.Namespace) -> int:
    translated = [language for language in LANGUAGES if language != catalogues.SOURCE]
    for path in catalogues.update(EN, translated):
        print(f"wrote {path}")
    print("translate what is new or fuzzy, then `make install` compiles the catalogues")
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
    serve.add_argument(
        "--workers", type=int, default=1, help="server processes on the port (one per core)"
    )
    command("worker", _worker, "deliver the outbox until stopped")
    backup.register(commands)

    mail = commands.add_parser("mail", help="outgoing e-mail").add_subparsers(
        required=True, metavar="ACTION"
    )
    mail.add_parser("dead", help="mail given up on, with its error").set_defaults(
        run=_with_runtime(_mail_dead)
    )
    resend = mail.add_parser("resend", help="queue dead mail again")
    resend.set_defaults(run=_with_runtime(_mail_resend))
    resend.add_argument("ids", metavar="ID", type=int, nargs="+")
    mail.add_parser("send", help="deliver due mail now, with progress").set_defaults(
        run=_with_runtime(_mail_send)
    )
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
    add.add_argument(
        "--network", choices=NETWORKS, help="the one network whose calls a Secretariat runs"
    )

    token = command(
        "token", _with_runtime(_token), "API tokens: issue one, list a user's, revoke one"
    )
    token.add_argument("target", nargs="+", metavar=TOKEN_USAGE)
    token.add_argument("--name", help="what the token is for (default: cli)")
    token.add_argument(
        "--scope",
        action="append",
        choices=["read", "submit", "review", "administer"],
        help="repeat for several (default: every scope the user's role can use)",
    )
    token.add_argument("--expires-in", type=int, metavar="DAYS", help="default: never")

    members = commands.add_parser("members", help="the members register").add_subparsers(
        required=True, metavar="ACTION"
    )
    import_members = members.add_parser(
        "import", help="apply a CSV or XLSX export of the register, all or nothing"
    )
    import_members.set_defaults(run=_with_runtime(_members_import))
    import_members.add_argument("file", type=Path)
    import_members.add_argument(
        "--dry-run", action="store_true", help="show what would change and write nothing"
    )
    import_members.add_argument(
        "--by", metavar="EMAIL", help="the user answerable for it (default: who runs this)"
    )

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
    add_audit_commands(commands)
    privacy_commands.register(commands, _with_runtime)

    translations = commands.add_parser(
        "translations", help="the pages' gettext catalogues"
    ).add_subparsers(required=True, metavar="ACTION")
    translations.add_parser(
        "update", help="refresh messages.pot from the English messages and merge it into each .po"
    ).set_defaults(run=_translations_update)
    return parser


if __name__ == "__main__":
    sys.exit(main())
