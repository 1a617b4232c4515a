"""The tables. Thin on purpose: behaviour lives in the domain services.

`state` and `version` columns are written only by the workflow path
(`awards.transitions.apply`) and the optimistic edits of the owning service.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, Index, Table, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from awards.db.types import ExactDecimal, UTCDateTime

# Named constraints, so Alembic can alter them on SQLite (batch mode) and PostgreSQL alike.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


SEARCH_INDEX = "databank_fts"
"""SQLite's FTS5 index of `databank_entries` (migration 0008) and its shadow tables
(`databank_fts_*`), written by triggers; PostgreSQL's generated column
`databank_entries.databank_fts_vector` and its GIN index `databank_fts_gin` (migration 0009).
Not declared here: neither is portable."""


def table_of(model: type[SQLModel]) -> Table:
    """A model's Core table, for statements the ORM adds nothing to (SQLModel's metaclass
    sets `__table__`, which type checkers do not see)."""
    table: Table = getattr(model, "__table__")  # noqa: B009
    return table


def include_name(name: str | None, type_: str, _parents: Any) -> bool:
    """Alembic's filter: schema comparisons skip the tables the search index owns."""
    return not (
        type_ in ("table", "index", "column") and name is not None and name.startswith(SEARCH_INDEX)
    )


def _instant(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


def _json(*, empty_by_default: bool = False) -> Any:
    if empty_by_default:
        return Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    return Field(sa_column=Column(JSON, nullable=False))


class Organisation(SQLModel, table=True):
    """A city, association of local authorities or civil-society organisation."""

    __tablename__ = "organisations"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True, max_length=120)
    name: str = Field(max_length=200)
    kind: str = Field(default="city", max_length=40)
    country: str = Field(max_length=2, description="ISO 3166-1 alpha-2")
    region: str | None = Field(default=None, max_length=80)
    network: str | None = Field(default=None, max_length=20, description="IAEC, AIMF or none")
    member_since: int | None = None
    fees_up_to_date: bool = False
    city: str | None = Field(default=None, max_length=200)
    """Where it is based; a city's own name when it is a city (conflict detection)."""
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    """The Secretariat's remark in the members register (`awards.members`)."""
    aliases: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    """Its other names, separated by `;`: exonyms ("Barcelone"), short forms ("BCN"), names in
    other languages; the anonymised jury's redaction hides them as it hides `name`."""


class User(SQLModel, table=True):
    """A person who signs in: Secretariat staff, a juror or an applicant of an organisation."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, index=True, max_length=320)
    name: str = Field(default="", max_length=200)
    role: str = Field(max_length=20)
    organisation_id: int | None = Field(default=None, foreign_key="organisations.id", index=True)
    locale: str = Field(default="en", max_length=5)
    network: str | None = Field(default=None, max_length=20)
    """For Secretariat staff: the network (IAEC, AIMF) whose calls they run; None for all."""
    created_at: datetime = _instant()
    erased_at: datetime | None = _instant(nullable=True)
    """When the person was erased (`awards.privacy.erasure`): a pseudonym since then."""


class ApiToken(SQLModel, table=True):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    name: str = Field(default="cli", max_length=100)
    token_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = _instant()
    expires_at: datetime | None = _instant(nullable=True)
    revoked_at: datetime | None = _instant(nullable=True)
    scopes: str = Field(max_length=100)
    """What the token may do, space-separated (`awards.auth.scopes.Scope`)."""
    last_used_at: datetime | None = _instant(nullable=True)
    """Recorded to the minute, not per request (`awards.auth.tokens`)."""


class RegisterChange(SQLModel, table=True):
    """One field of one organisation changed by the members register: who, when, from what,
    to what, and from which file. Never updated."""

    __tablename__ = "register_changes"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisations.id", index=True)
    field: str = Field(max_length=40)
    old_value: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    new_value: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    changed_by: str = Field(max_length=320)
    """A user's e-mail, or who ran the command line."""
    changed_at: datetime = _instant(index=True)
    source: str = Field(max_length=255)
    """The file imported, or the program that wrote the change."""


class Call(SQLModel, table=True):
    """One edition of a call kind, e.g. the Educating Cities Award 2026."""

    __tablename__ = "calls"
    __table_args__ = (UniqueConstraint("kind", "edition"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=80, index=True)
    workflow_version: int = 1
    edition: str = Field(max_length=40)
    title: dict[str, str] = _json()
    opens_at: datetime = _instant()
    closes_at: datetime = _instant()
    timezone: str = Field(max_length=64)
    languages: list[str] = _json()
    settings: dict[str, Any] = _json(empty_by_default=True)
    """This edition's settings (awards.kinds.edition): exclusions, cut-off, grace, reminders."""
    state: str = Field(max_length=40, index=True)
    version: int = 1
    created_at: datetime = _instant()


class Submission(SQLModel, table=True):
    """A candidacy, bid, application or nomination of one organisation in one call."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("call_id", "pseudonym"),
        # The peers a rule reads (`awards.transitions.facts`): a call's submissions in some
        # states, or of one organisation, found without reading the whole call.
        Index("ix_submissions_call_id_state", "call_id", "state"),
        Index("ix_submissions_call_id_organisation_id", "call_id", "organisation_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="calls.id", index=True)
    organisation_id: int = Field(foreign_key="organisations.id", index=True)
    created_by: int = Field(foreign_key="users.id")
    state: str = Field(max_length=40, index=True)
    version: int = 1
    answers: dict[str, Any] = _json()
    pseudonym: str = Field(max_length=20)
    """What an anonymised jury calls it: stable, non-sequential, unique in its call."""
    overrides: dict[str, Any] = _json(empty_by_default=True)
    """Rules the Secretariat overrode for this submission: {rule: {reason, by, at}}."""
    inputs: dict[str, Any] = _json(empty_by_default=True)
    """Values given with transitions (the kind's inputs_form): a mentor city, a report."""
    created_at: datetime = _instant()
    updated_at: datetime = _instant()
    purged_at: datetime | None = _instant(nullable=True)
    """When retention deleted its answers and documents (`awards.privacy.retention`); the
    row stays for the audit trail and the ranking."""


class SubmissionVersion(SQLModel, table=True):
    """The answers (documents included: a file answer names its attachment) a submission was
    submitted with, numbered 1, 2, ... each time they went to the Secretariat changed
    (`awards.submissions.versions`). Never updated, except by retention and erasure."""

    __tablename__ = "submission_versions"
    __table_args__ = (UniqueConstraint("submission_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submissions.id", index=True)
    number: int
    answers: dict[str, Any] = _json()
    audit_id: int = Field(foreign_key="audit_entries.id")
    """The transition that sent this version (submit, resubmit...)."""
    at: datetime = _instant()


class Extension(SQLModel, table=True):
    """A later deadline granted to one organisation in one call, with the reason."""

    __tablename__ = "extensions"
    __table_args__ = (UniqueConstraint("call_id", "organisation_id"),)

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="calls.id", index=True)
    organisation_id: int = Field(foreign_key="organisations.id")
    until: datetime = _instant()
    reason: str = Field(sa_column=Column(Text, nullable=False))
    granted_by: int = Field(foreign_key="users.id")
    granted_at: datetime = _instant()


class AuditEntry(SQLModel, table=True):
    """One applied transition: who, when, from, to, which and why. Never updated.

    `seq` (1, 2, ... per call) and `chain_hash` link it to the previous entry of its call,
    so an edit, a deletion or an insertion shows (`awards.audit.chain`).
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        UniqueConstraint("call_id", "seq"),
        # A call's own history (`submission_id IS NULL`) without reading its submissions'.
        Index("ix_audit_entries_call_id_submission_id", "call_id", "submission_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="calls.id", index=True)
    submission_id: int | None = Field(default=None, foreign_key="submissions.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    at: datetime = _instant()
    transition: str = Field(max_length=60)
    from_state: str = Field(max_length=40)
    to_state: str = Field(max_length=40)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    seq: int | None = Field(default=None, nullable=False)
    chain_hash: str | None = Field(default=None, max_length=64, nullable=False)


class AuditHead(SQLModel, table=True):
    """The last link of a call's audit chain, moved on with each entry: how long the chain
    must be, so deleting its last rows shows too (`awards.audit.chain`)."""

    __tablename__ = "audit_heads"

    call_id: int = Field(foreign_key="calls.id", primary_key=True)
    seq: int
    chain_hash: str = Field(max_length=64)


class QueueRow(SQLModel):
    """The columns of a row that workers deliver (`awards.notify.queue`): `status` is pending
    -> sending -> sent, or back to pending to retry, or dead; a worker holds a `sending` row
    until `claimed_until`. Typed by `sa_type`, not `sa_column`: a Column object belongs to one
    table, and each subclass needs its own."""

    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(default="pending", max_length=10, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=Text)
    claimed_by: str | None = Field(default=None, max_length=80)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OutboxMessage(QueueRow, table=True):
    """An e-mail, rendered when queued, written in the transaction that causes it.

    Delivered by `awards.notify.delivery`.
    """

    __tablename__ = "outbox"

    message_id: str = Field(unique=True, max_length=200)
    call_id: int | None = Field(default=None, foreign_key="calls.id", index=True)
    submission_id: int | None = Field(default=None, foreign_key="submissions.id", index=True)
    recipient: str = Field(max_length=320)
    language: str = Field(max_length=5)
    template: str = Field(max_length=80)
    subject: str = Field(max_length=300)
    body_text: str = Field(sa_column=Column(Text, nullable=False))
    body_html: str = Field(sa_column=Column(Text, nullable=False))
    attachments: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    """What the mail carries, made when it is composed (`awards.notify.attach`): each names
    its source and what the source reads (`{"source": "receipt", "submission_id": 7, ...}`)."""


class Attachment(SQLModel, table=True):
    """A document uploaded to a submission. Its bytes are the blob named by `sha256`
    (`awards.storage`); `filename` and `content_type` were decided from the content."""

    __tablename__ = "attachments"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submissions.id", index=True)
    field: str = Field(max_length=80)
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=120)
    size: int
    sha256: str = Field(max_length=64, index=True)
    created_at: datetime = _instant()
    uploaded_by: int = Field(foreign_key="users.id")


class CleanedPdf(SQLModel, table=True):
    """The copy of an uploaded PDF an anonymised jury receives (`awards.jury.clean_copies`),
    made once per original content; both are blobs named by their SHA-256. Retention deletes
    the row and the cleaned blob with the original's last reference."""

    __tablename__ = "cleaned_pdfs"

    original_sha256: str = Field(max_length=64, primary_key=True)
    cleaned_sha256: str = Field(max_length=64, index=True)
    created_at: datetime = _instant()


class PanelMember(SQLModel, table=True):
    """A juror of a call's panel (or of one category), or its president."""

    __tablename__ = "panel_members"
    __table_args__ = (UniqueConstraint("call_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="calls.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    role: str = Field(max_length=20)
    category: str | None = Field(default=None, max_length=60)


class ConflictOfInterest(SQLModel, table=True):
    """A juror who must not judge an organisation: declared by the juror, or detected.

    Without a call it is a standing relation, applied to every later call.
    """

    __tablename__ = "conflicts"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    organisation_id: int = Field(foreign_key="organisations.id", index=True)
    call_id: int | None = Field(default=None, foreign_key="calls.id", index=True)
    source: str = Field(max_length=20)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = _instant()


class Assignment(SQLModel, table=True):
    """A juror asked to review a submission in a round; withdrawn, never deleted."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("submission_id", "juror_id", "round"),)

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="calls.id", index=True)
    submission_id: int = Field(foreign_key="submissions.id", index=True)
    juror_id: int = Field(foreign_key="users.id", index=True)
    round: str = Field(max_length=40)
    active: bool = True
    created_at: datetime = _instant()
    withdrawn_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    accepted_at: datetime | None = _instant(nullable=True)
    """When the juror accepted it (`awards.jury.deadlines`); declining withdraws it instead."""


class Review(SQLModel, table=True):
    """A juror's scores for one assignment: a draft until final; edited with a version."""

    __tablename__ = "reviews"

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignments.id", unique=True)
    scores: dict[str, Any] = _json(empty_by_default=True)
    comment_for_jury: str = Field(default="", sa_column=Column(Text, nullable=False))
    comment_for_applicant: str = Field(default="", sa_column=Column(Text, nullable=False))
    final: bool = False
    version: int = 1
    updated_at: datetime = _instant()


class JuryRound(SQLModel, table=True):
    """A round of a call's jury; once closed, its reviews no longer change."""

    __tablename__ = "jury_rounds"
    __table_args__ = (UniqueConstraint("call_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="calls.id", index=True)
    name: str = Field(max_length=40)
    closed_at: datetime | None = _instant(nullable=True)
    review_by: datetime | None = _instant(nullable=True)
    """The Secretariat's deadline for the round's reviews (`awards.jury.deadlines`)."""
    reminder_days: list[int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    """Days before `review_by` on which jurors with reviews left are reminded, once each."""


class Ballot(SQLModel, table=True):
    """The vote of a call's body (`awards.jury.votes`): open until the Secretariat closes it."""

    __tablename__ = "ballots"

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="calls.id", unique=True)
    casting_vote: int | None = Field(default=None, foreign_key="submissions.id")
    """The chair's choice between candidacies tied for the most votes."""
    closed_at: datetime | None = _instant(nullable=True)
    elected_id: int | None = Field(default=None, foreign_key="submissions.id")


class BallotVoter(SQLModel, table=True):
    """A member who voted, and how unless the vote is secret. Never updated."""

    __tablename__ = "ballot_voters"
    __table_args__ = (UniqueConstraint("ballot_id", "voter_id"),)

    id: int | None = Field(default=None, primary_key=True)
    ballot_id: int = Field(foreign_key="ballots.id", index=True)
    voter_id: int = Field(foreign_key="users.id", index=True)
    cast_at: datetime = _instant()
    choice: int | None = Field(default=None, foreign_key="submissions.id")
    """The candidacy voted for; None for an abstention, and always in a secret vote."""
    abstained: bool | None = None
    """None in a secret vote."""


class BallotCount(SQLModel, table=True):
    """The tally of a ballot: the votes a candidacy got (None: the abstentions). It holds
    no voter, so a secret vote keeps who voted (`BallotVoter`) apart from how."""

    __tablename__ = "ballot_counts"

    id: int | None = Field(default=None, primary_key=True)
    ballot_id: int = Field(foreign_key="ballots.id", index=True)
    submission_id: int | None = Field(default=None, foreign_key="submissions.id")
    votes: int = 0


class SelectionMark(SQLModel, table=True):
    """A member's mark on a candidacy before a body that selects (`awards.jury.selections`):
    accepted, rejected or waitlisted, with the format or slot they would give it."""

    __tablename__ = "selection_marks"
    __table_args__ = (UniqueConstraint("submission_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="calls.id", index=True)
    submission_id: int = Field(foreign_key="submissions.id", index=True)
    member_id: int = Field(foreign_key="users.id", index=True)
    mark: str = Field(max_length=12)
    inputs: dict[str, Any] = _json(empty_by_default=True)
    marked_at: datetime = _instant()


class LoginLink(SQLModel, table=True):
    """A sign-in link asked for by e-mail (`awards.auth.login`); only its SHA-256 is kept.

    Every request is a row, for a known address or not, so the rate limits count them all.
    """

    __tablename__ = "login_links"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    email: str = Field(max_length=320, index=True)
    user_id: int | None = Field(default=None, foreign_key="users.id")
    """None when no user has that address: no link is mailed."""
    ip: str = Field(max_length=45, index=True)
    language: str = Field(max_length=5)
    """The language of the page it was asked from: its e-mail and landing page use it."""
    next_path: str = Field(default="", max_length=300)
    created_at: datetime = _instant(index=True)
    expires_at: datetime = _instant()
    used_at: datetime | None = _instant(nullable=True)


class WebSession(SQLModel, table=True):
    """A signed-in browser (`awards.auth.sessions`); the cookie holds a secret whose SHA-256
    is kept here."""

    __tablename__ = "web_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = _instant()
    last_seen_at: datetime = _instant()
    """Written at most once a minute: a session ends after a while without use."""
    expires_at: datetime = _instant()
    """The latest it can end, however much it is used."""


class DatabankEntry(SQLModel, table=True):
    """A published experience (awards.databank): from a submission, or a good practice.

    Holds only public facts and what the applicant consented to publish. `themes`,
    `principles` and `languages` are written `,a,b,` so one portable LIKE filters them.
    """

    __tablename__ = "databank_entries"
    __table_args__ = (
        # The public order (year, then id, newest first) of the public entries: a page of
        # search reads its own rows from this index, not a sort of every match.
        Index(
            "ix_databank_entries_public_order",
            "year",
            "id",
            sqlite_where=text("unpublished_at IS NULL"),
            postgresql_where=text("unpublished_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int | None = Field(default=None, foreign_key="submissions.id", unique=True)
    kind: str | None = Field(default=None, max_length=80, index=True)
    edition: str | None = Field(default=None, max_length=40)
    year: int
    distinction: str = Field(max_length=40, index=True)
    title: dict[str, str] = _json()
    summary: dict[str, str] = _json(empty_by_default=True)
    organisation: str = Field(max_length=200)
    city: str | None = Field(default=None, max_length=200)
    country: str = Field(max_length=2, index=True)
    themes: str = Field(default=",", max_length=500)
    principles: str = Field(default=",", max_length=100)
    languages: str = Field(default=",", max_length=40)
    links: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    contact: dict[str, str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    search_text: str = Field(default="", sa_column=Column(Text, nullable=False))
    """Title, summary, organisation and city in every language, lower-cased (full text)."""
    published_at: datetime = _instant()
    unpublished_at: datetime | None = _instant(nullable=True)
    unpublished_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    target_groups: str = Field(default=",", max_length=500)
    started_on: date | None = None
    updated_at: datetime = _instant()
    """The last change a visitor can see (Atom's `updated`); `published_at` stays the first."""
    version: int = 1
    """Bumped by each change of what the entry says: an editor's stale copy is refused (409)."""
    documents: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    """The attachments the applicant agreed to publish (`awards.databank.documents`)."""


class DatabankChange(SQLModel, table=True):
    """One change the Secretariat made to a databank entry (create, update, unpublish,
    republish): who, when, why. Never updated. Transitions are audited on the submission."""

    __tablename__ = "databank_changes"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="databank_entries.id", index=True)
    change: str = Field(max_length=20)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    at: datetime = _instant()
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class DatabankDelivery(QueueRow, table=True):
    """A databank change for the external databank's webhook, written with the change.

    `body` is the JSON sent, rendered when queued; `status` moves like the outbox's
    (`awards.databank.webhook`); `delivery_id` lets the receiver drop a repeat.
    """

    __tablename__ = "databank_deliveries"

    delivery_id: str = Field(unique=True, max_length=36)
    entry_id: int = Field(foreign_key="databank_entries.id", index=True)
    event: str = Field(max_length=20)
    body: str = Field(sa_column=Column(Text, nullable=False))


class Invitation(SQLModel, table=True):
    """An e-mailed invitation to a role: juror or president on a call's panel, or applicant
    of an organisation (`awards.auth.invitations`); only its link's SHA-256 is kept."""

    __tablename__ = "invitations"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    email: str = Field(max_length=320, index=True)
    name: str = Field(default="", max_length=200)
    role: str = Field(max_length=20)
    call_id: int | None = Field(default=None, foreign_key="calls.id", index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisations.id")
    language: str = Field(max_length=5)
    invited_by: int | None = Field(default=None, foreign_key="users.id")
    """None when invited from the command line."""
    created_at: datetime = _instant()
    expires_at: datetime = _instant()
    accepted_at: datetime | None = _instant(nullable=True)
    user_id: int | None = Field(default=None, foreign_key="users.id")
    """Who accepted it."""
    category: str | None = Field(default=None, max_length=60)
    """For a juror: the call's category they will sit for (all when None)."""


class AccountEvent(SQLModel, table=True):
    """One change to a person's account or roles: invited, accepted, revoked, erased.
    Holds ids and roles, never a name or an address. Never updated."""

    __tablename__ = "account_events"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _instant(index=True)
    action: str = Field(max_length=20)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    """None for the command line or the system."""
    user_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    """The person concerned; None for an invitation not accepted yet."""
    invitation_id: int | None = Field(default=None, foreign_key="invitations.id")
    call_id: int | None = Field(default=None, foreign_key="calls.id")
    organisation_id: int | None = Field(default=None, foreign_key="organisations.id")
    detail: str = Field(default="", max_length=300)


class Obligation(SQLModel, table=True):
    """What a laureate owes after the decision (`awards.commitments`): its agreement or one
    report, due on a day of the call's time zone. `version` guards the laureate's edits."""

    __tablename__ = "obligations"
    __table_args__ = (UniqueConstraint("submission_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="calls.id", index=True)
    submission_id: int = Field(foreign_key="submissions.id")
    name: str = Field(max_length=40)
    """`agreement`, or the name of a report of the kind's section."""
    state: str = Field(max_length=20)
    version: int = 1
    due_on: date
    answers: dict[str, Any] = _json(empty_by_default=True)
    indicators: dict[str, Any] = _json(empty_by_default=True)
    """The value of each indicator the report gives, as exact decimal text."""
    document_sha256: str | None = Field(default=None, max_length=64)
    """The signed agreement uploaded, as a blob (`awards.storage`)."""
    document_name: str | None = Field(default=None, max_length=255)
    sent_at: datetime | None = _instant(nullable=True)
    sent_by: int | None = Field(default=None, foreign_key="users.id")
    decided_at: datetime | None = _instant(nullable=True)
    decided_by: int | None = Field(default=None, foreign_key="users.id")
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    """Why the Secretariat returned it."""


class Payment(SQLModel, table=True):
    """An instalment paid to a laureate, as the Secretariat recorded it; one per instalment
    (the unique key refuses a second, even from two requests at once)."""

    __tablename__ = "payments"
    __table_args__ = (UniqueConstraint("submission_id", "instalment"),)

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="calls.id", index=True)
    submission_id: int = Field(foreign_key="submissions.id")
    instalment: str = Field(max_length=40)
    amount: Decimal = Field(sa_column=Column(ExactDecimal(), nullable=False))
    currency: str = Field(max_length=3)
    paid_on: date
    reference: str = Field(max_length=120)
    recorded_by: int = Field(foreign_key="users.id")
    recorded_at: datetime = _instant()
