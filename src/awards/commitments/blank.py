"""The blank agreement a laureate downloads from its page to sign: the kind's
`templates/agreements/<language>/<kind>.html`, filled with the laureate, the call and what is
paid when, in the reader's language (else the kind's default one). A kind without one offers
none."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from awards.commitments.access import laureate
from awards.commitments.payments import owed, payments_of
from awards.db.tables import Organisation
from awards.errors import NotFound
from awards.kinds.kind import CallKind
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime


@cache
def _environment(templates_dir: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(templates_dir / "agreements"),
        autoescape=True,
        undefined=StrictUndefined,
    )


def blank_language(templates_dir: Path, kind: CallKind, language: str) -> str | None:
    """The language the kind's blank agreement is written in for a reader of `language`;
    None when the kind has none."""
    for candidate in dict.fromkeys([language, kind.default_language]):
        if (templates_dir / "agreements" / candidate / f"{kind.slug}.html").is_file():
            return candidate
    return None


async def blank_agreement(
    runtime: Runtime, submission_id: int, *, language: str, actor: Actor
) -> tuple[str, str]:
    """The file name and HTML of the laureate's blank agreement (owner, Secretariat)."""
    templates = runtime.settings.templates_dir
    async with runtime.db.read() as session:
        found = await laureate(session, runtime, submission_id, actor=actor)
        organisation = await session.get(Organisation, found.submission.organisation_id)
        items = owed(found, await payments_of(session, [submission_id]))
    chosen = blank_language(templates, found.kind, language)
    if chosen is None or found.spec.agreement is None or organisation is None:
        raise NotFound(f"submission {submission_id} has no blank agreement to download")
    html = (
        _environment(templates)
        .get_template(f"{chosen}/{found.kind.slug}.html")
        .render(
            call_title=found.call.title.get(chosen) or next(iter(found.call.title.values())),
            edition=found.call.edition,
            organisation=organisation.name,
            submission_id=submission_id,
            agreement=found.obligation("agreement"),
            instalments=items,
            reports={
                report.name: report.label.get(chosen) or report.label[found.kind.default_language]
                for report in found.spec.reports
            },
        )
    )
    return f"agreement-{submission_id}-{chosen}.html", html
