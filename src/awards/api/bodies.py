"""The bodies that vote or select: their members read the candidacies, declare conflicts,
vote or mark; the chair settles a tie or confirms the programme; the Secretariat reads the
tally and closes the vote."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from awards.http.auth import juror, signed_in
from awards.http.params import RowId
from awards.jury.candidacies import candidacies, declare_conflict_on
from awards.jury.selections import Entry, Standing, confirm_programme, mark, standings
from awards.jury.votes import Tally, cast_deciding_vote, cast_vote, close_vote, own_vote, tally
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime


class CandidacyOut(msgspec.Struct):
    submission_id: int
    pseudonym: str
    organisation: str | None
    """Only when the body may know who applied."""
    answers: dict[str, Any]
    conflicted: bool


class ConflictIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str


class VoteIn(msgspec.Struct, forbid_unknown_fields=True):
    submission_id: int | None
    """The candidacy voted for; null to abstain."""


class DecidingVoteIn(msgspec.Struct, forbid_unknown_fields=True):
    submission_id: int


class OwnVoteOut(msgspec.Struct):
    voted: bool
    choice: int | None
    secret: bool


class TallyOut(msgspec.Struct):
    members: int
    quorum: int
    voters: list[int]
    votes: dict[int, int]
    abstentions: int
    casting_vote: int | None
    closed: bool
    elected: int | None

    @classmethod
    def of(cls, found: Tally) -> TallyOut:
        return cls(
            found.members,
            found.quorum,
            found.voters,
            found.votes,
            found.abstentions,
            found.casting_vote,
            found.closed,
            found.elected,
        )


class ElectedOut(msgspec.Struct):
    submission_id: int
    state: str


class MarkIn(msgspec.Struct, forbid_unknown_fields=True):
    mark: str
    """accepted, rejected or waitlisted."""
    inputs: dict[str, Any] = {}
    """For an accepted candidacy: the kind's inputs of acceptance (a format, a slot)."""


class EntryIO(msgspec.Struct, forbid_unknown_fields=True):
    submission_id: int
    mark: str
    inputs: dict[str, Any] = {}


class ProgrammeIn(msgspec.Struct, forbid_unknown_fields=True):
    programme: list[EntryIO]


class SelectionOut(msgspec.Struct):
    submission_id: int
    pseudonym: str
    marks: dict[str, int]
    own: str | None
    proposed: EntryIO

    @classmethod
    def of(cls, found: Standing) -> SelectionOut:
        entry = found.proposed
        return cls(
            found.submission_id,
            found.pseudonym,
            dict(found.marks),
            found.own,
            EntryIO(entry.submission_id, entry.mark, dict(entry.inputs)),
        )


class BodyController(Controller):
    path = "/calls/{call_id:int}"
    tags = ("bodies",)

    @get("/candidacies", guards=[juror])
    async def get_candidacies(
        self, call_id: RowId, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> list[CandidacyOut]:
        """Member of a body that votes or selects: the candidacies before it, anonymised as
        the body judges."""
        found = await candidacies(runtime, call_id, actor=actor)
        return [
            CandidacyOut(c.submission_id, c.pseudonym, c.organisation, c.answers, c.conflicted)
            for c in found
        ]

    @post("/candidacies/{submission_id:int}/conflict", guards=[juror], status_code=HTTP_200_OK)
    async def post_conflict(
        self,
        call_id: RowId,
        submission_id: RowId,
        data: JSONBody[ConflictIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> None:
        """Member: declare a conflict with a candidacy; they no longer judge it."""
        await declare_conflict_on(runtime, call_id, submission_id, reason=data.reason, actor=actor)

    @get("/vote", guards=[juror])
    async def get_own_vote(
        self, call_id: RowId, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> OwnVoteOut:
        """Member: whether they have voted, and for whom unless the vote is secret."""
        found = await own_vote(runtime, call_id, actor=actor)
        return OwnVoteOut(found.voted, found.choice, found.secret)

    @put("/vote", guards=[juror])
    async def put_vote(
        self,
        call_id: RowId,
        data: JSONBody[VoteIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> OwnVoteOut:
        """Member: cast their one vote, for a candidacy or an abstention (409 a second time,
        or for a candidacy they are in conflict with)."""
        await cast_vote(runtime, call_id, submission_id=data.submission_id, actor=actor)
        found = await own_vote(runtime, call_id, actor=actor)
        return OwnVoteOut(found.voted, found.choice, found.secret)

    @post("/vote/deciding", guards=[juror], status_code=HTTP_200_OK)
    async def post_deciding_vote(
        self,
        call_id: RowId,
        data: JSONBody[DecidingVoteIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> TallyOut:
        """Chair of the body: settle a tie for the most votes."""
        await cast_deciding_vote(runtime, call_id, submission_id=data.submission_id, actor=actor)
        return TallyOut.of(await tally(runtime, call_id, actor=actor))

    @get("/vote/tally", guards=[signed_in])
    async def get_tally(
        self, call_id: RowId, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> TallyOut:
        """Secretariat, chair of the body: the votes, the abstentions and who voted."""
        return TallyOut.of(await tally(runtime, call_id, actor=actor))

    @post("/vote/close", guards=[signed_in], status_code=HTTP_200_OK)
    async def post_close(
        self, call_id: RowId, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> ElectedOut:
        """Secretariat, chair of the body: count the vote; the elected candidacy takes the
        kind's transition (409 with the reason when the quorum is not met, a tie awaits the
        chair or no candidacy has the majority)."""
        elected = await close_vote(runtime, call_id, actor=actor)
        return ElectedOut(elected.id or 0, elected.state)

    @get("/selection", guards=[signed_in])
    async def get_selection(
        self, call_id: RowId, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> list[SelectionOut]:
        """Members of a body that selects, Secretariat: each candidacy's marks, and the
        programme they propose."""
        return [SelectionOut.of(s) for s in await standings(runtime, call_id, actor=actor)]

    @put("/selection/{submission_id:int}", guards=[juror])
    async def put_mark(
        self,
        call_id: RowId,
        submission_id: RowId,
        data: JSONBody[MarkIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> None:
        """Member: mark a candidacy accepted (with its format or slot), rejected or waitlisted;
        a new mark replaces theirs."""
        await mark(
            runtime, call_id, submission_id, given=data.mark, inputs=data.inputs, actor=actor
        )

    @post("/selection/confirm", guards=[juror], status_code=HTTP_200_OK)
    async def post_programme(
        self,
        call_id: RowId,
        data: JSONBody[ProgrammeIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> None:
        """Chair of the body: confirm the programme; each candidacy takes its outcome."""
        programme = [Entry(e.submission_id, e.mark, e.inputs) for e in data.programme]
        await confirm_programme(runtime, call_id, programme, actor=actor)
