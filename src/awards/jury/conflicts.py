"""Conflicts of interest: detected by the call kind's rules, or declared by a juror.

Detection runs on any list of would-be jurors, so the Secretariat can check a panel before
inviting it. Assignment never crosses a finding (invariant 5).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import Call, ConflictOfInterest, Organisation, Submission, User
from awards.kinds.jury_spec import ConflictRule
from awards.transitions.actor import Role

# Addresses at these providers say nothing about where a person works.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "yahoo.com",
        "yahoo.fr",
        "yahoo.es",
        "icloud.com",
        "proton.me",
        "protonmail.com",
        "gmx.net",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "uol.com.br",
        "terra.com.br",
        "sapo.pt",
    }
)


@dataclass(frozen=True)
class Finding:
    """A juror who must not judge an organisation, and why."""

    juror_id: int
    juror_email: str
    organisation_id: int
    organisation: str
    rule: ConflictRule
    reason: str


async def detect(
    session: AsyncSession, call: Call, jurors: Sequence[User], *, rules: Iterable[ConflictRule]
) -> list[Finding]:
    """Every (juror, organisation with a submission in `call`) pair the rules forbid."""
    rules = set(rules)
    organisations = list(
        await session.scalars(
            select(Organisation)
            .where(
                col(Organisation.id).in_(
                    select(col(Submission.organisation_id)).where(
                        col(Submission.call_id) == call.id
                    )
                )
            )
            .order_by(col(Organisation.name))
        )
    )
    homes = {
        organisation.id: organisation
        for organisation in await session.scalars(
            select(Organisation).where(
                col(Organisation.id).in_([j.organisation_id for j in jurors if j.organisation_id])
            )
        )
    }
    domains = await _applicant_domains(session, [o.id for o in organisations if o.id])
    declared = await _declared(session, call, [j.id for j in jurors if j.id])
    findings = []
    for juror in jurors:
        home = homes.get(juror.organisation_id or 0)
        for organisation in organisations:
            assert juror.id is not None and organisation.id is not None
            for rule, reason in _reasons(juror, home, organisation, domains, declared):
                if rule in rules:
                    findings.append(
                        Finding(
                            juror.id, juror.email, organisation.id, organisation.name, rule, reason
                        )
                    )
    return findings


def blocked_pairs(findings: Iterable[Finding]) -> set[tuple[int, int]]:
    """(juror id, organisation id) pairs that must never be assigned."""
    return {(finding.juror_id, finding.organisation_id) for finding in findings}


def _reasons(
    juror: User,
    home: Organisation | None,
    organisation: Organisation,
    domains: dict[int, set[str]],
    declared: dict[tuple[int, int], str],
) -> Iterable[tuple[ConflictRule, str]]:
    assert juror.id is not None and organisation.id is not None
    if home is not None and home.id == organisation.id:
        yield ConflictRule.SAME_ORGANISATION, f"{juror.email} belongs to {organisation.name}"
    elif home is not None and home.city and home.city == organisation.city:
        yield ConflictRule.SAME_CITY, f"{juror.email} is from {home.city}, as {organisation.name}"
    if home is not None and home.country == organisation.country:
        yield (
            ConflictRule.SAME_COUNTRY,
            f"{juror.email} and {organisation.name} are both in {organisation.country}",
        )
    domain = _domain(juror.email)
    if domain not in PUBLIC_MAIL_DOMAINS and domain in domains.get(organisation.id, set()):
        yield (
            ConflictRule.EMAIL_DOMAIN,
            f"{juror.email} shares the mail domain of {organisation.name}",
        )
    if (juror.id, organisation.id) in declared:
        yield ConflictRule.DECLARED, declared[juror.id, organisation.id]


async def _applicant_domains(
    session: AsyncSession, organisation_ids: list[int]
) -> dict[int, set[str]]:
    rows = await session.execute(
        select(col(User.organisation_id), col(User.email)).where(
            col(User.organisation_id).in_(organisation_ids), col(User.role) == Role.APPLICANT
        )
    )
    domains: dict[int, set[str]] = {}
    for organisation_id, email in rows:
        domains.setdefault(organisation_id or 0, set()).add(_domain(email))
    return domains


async def _declared(
    session: AsyncSession, call: Call, juror_ids: list[int]
) -> dict[tuple[int, int], str]:
    """Relations declared in this call, or earlier without a call (standing relations)."""
    rows = await session.scalars(
        select(ConflictOfInterest).where(
            col(ConflictOfInterest.user_id).in_(juror_ids),
            or_(
                col(ConflictOfInterest.call_id).is_(None),
                col(ConflictOfInterest.call_id) == call.id,
            ),
        )
    )
    return {(row.user_id, row.organisation_id): row.reason for row in rows}


def _domain(email: str) -> str:
    return email.rpartition("@")[2].lower()
