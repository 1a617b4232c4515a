"""A body that votes (`mode: vote`): each member casts one vote, for a candidacy or to abstain;
the Secretariat closes the vote, and the candidacy elected by the kind's majority is taken by
the kind's `elects` transition. A tie for the most votes goes to the chair's casting vote.

The tally (`BallotCount`) holds no voter; who voted is kept apart (`BallotVoter`), and how they
voted only when the vote is not secret. Every vote, casting vote and closing is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import Ballot, BallotCount, BallotVoter, Call, PanelMember, Submission
from awards.errors import Conflict, Forbidden
from awards.jury.candidacies import (
    BodyRefused,
    body_call,
    candidate,
    judging,
    refuse_if_conflicted,
    seated,
)
from awards.jury.membership import PRESIDENT
from awards.kinds.bodies import Majority, Mode, VoteSpec
from awards.transitions.actor import Actor
from awards.transitions.apply import apply
from awards.transitions.reasons import because
from awards.transitions.records import record_change
from awards.transitions.runtime import Runtime


@dataclass(frozen=True)
class Tally:
    """Where a vote stands: the votes each candidacy got, the abstentions, who voted."""

    members: int
    quorum: int
    voters: list[int]
    """User ids of the members who voted, in the order they did."""
    votes: dict[int, int]
    """Submission id -> votes, for every candidacy that got one."""
    abstentions: int
    casting_vote: int | None
    closed: bool
    elected: int | None
    pseudonyms: dict[int, str] = field(default_factory=dict)
    """Submission id -> pseudonym, for the candidacies voted for (they may have left the
    ballot's states once elected)."""

    @property
    def leaders(self) -> set[int]:
        """The candidacies with the most votes (more than one: a tie for the chair)."""
        most = max(self.votes.values(), default=0)
        return {submission for submission, votes in self.votes.items() if votes == most and most}


@dataclass(frozen=True)
class OwnVote:
    voted: bool
    choice: int | None
    """The candidacy voted for; None for an abstention, and always in a secret vote."""
    secret: bool


async def cast_vote(
    runtime: Runtime, call_id: int, *, submission_id: int | None, actor: Actor
) -> None:
    """The member's one vote: for `submission_id`, or an abstention when None."""
    now = runtime.clock()
    async with runtime.db.write() as session:
        call, vote = await _vote_call(session, runtime, call_id)
        await seated(session, call, actor)
        judging(call)
        ballot = await _open_ballot(session, call)
        if await _voter(session, ballot, actor) is not None:
            raise Conflict(f"you have already voted in call {call_id}", extra={"field": "vote"})
        pseudonym = None
        if submission_id is not None:
            submission = await candidate(session, call, submission_id, vote.candidates_in)
            body = runtime.kind(call.kind).body
            assert body is not None
            await refuse_if_conflicted(session, call, body, actor, submission)
            pseudonym = submission.pseudonym
        assert ballot.id is not None and actor.id is not None
        session.add(
            BallotVoter(
                ballot_id=ballot.id,
                voter_id=actor.id,
                cast_at=now,
                choice=None if vote.secret else submission_id,
                abstained=None if vote.secret else submission_id is None,
            )
        )
        await _count(session, ballot, submission_id)
        how = "a secret vote" if vote.secret else f"for {pseudonym}" if pseudonym else "abstained"
        record_change(session, call, "cast_vote", actor=actor, now=now, reason=how)


async def cast_deciding_vote(
    runtime: Runtime, call_id: int, *, submission_id: int, actor: Actor
) -> None:
    """The chair settles a tie for the most votes between candidacies."""
    now = runtime.clock()
    async with runtime.db.write() as session:
        call, vote = await _vote_call(session, runtime, call_id)
        if await seated(session, call, actor) != PRESIDENT:
            raise Forbidden("only the chair of the body settles a tie")
        ballot = await _open_ballot(session, call)
        tally = await _tally(session, call, vote, ballot)
        tied = tally.leaders
        if len(tied) < 2:
            raise Conflict(f"call {call_id}: the vote is not tied", extra={"field": "vote"})
        if submission_id not in tied:
            raise Conflict(
                f"call {call_id}: candidacy {submission_id} is not one of those tied",
                extra={"field": "submission_id", "tied": sorted(tied)},
            )
        submission = await candidate(session, call, submission_id, vote.candidates_in)
        ballot.casting_vote = submission_id
        record_change(
            session, call, "casting_vote", actor=actor, now=now, reason=submission.pseudonym
        )


async def close_vote(runtime: Runtime, call_id: int, *, actor: Actor) -> Submission:
    """Count the vote and take the candidacy it elects by the kind's `elects` transition
    (the Secretariat, or the chair of the body); refused, with its reason, when the quorum
    is not met, a tie awaits the chair or no candidacy has the majority."""
    now = runtime.clock()
    async with runtime.db.write() as session:
        call, vote = await _vote_call(session, runtime, call_id)
        await _secretariat_or_chair(session, call, actor, "closes the vote")
        ballot = await _open_ballot(session, call)
        tally = await _tally(session, call, vote, ballot)
        elected = winner_of(call_id, vote, tally)
        winner = await candidate(session, call, elected, vote.candidates_in)
        ballot.closed_at = now
        ballot.elected_id = elected
        record_change(
            session, call, "close_vote", actor=actor, now=now, reason=_minutes(tally, winner)
        )
        await apply(session, runtime, vote.elects, winner, call=call, actor=actor)
    return winner


async def tally(runtime: Runtime, call_id: int, *, actor: Actor) -> Tally:
    """Where the vote stands (Secretariat, and the chair of the body)."""
    async with runtime.db.read() as session:
        call, vote = await _vote_call(session, runtime, call_id)
        await _secretariat_or_chair(session, call, actor, "sees the tally")
        ballot = await _ballot(session, call)
        return await _tally(session, call, vote, ballot)


async def own_vote(runtime: Runtime, call_id: int, *, actor: Actor) -> OwnVote:
    async with runtime.db.read() as session:
        call, vote = await _vote_call(session, runtime, call_id)
        await seated(session, call, actor)
        ballot = await _ballot(session, call)
        voter = None if ballot is None else await _voter(session, ballot, actor)
    choice = None if voter is None else voter.choice
    return OwnVote(voted=voter is not None, choice=choice, secret=vote.secret)


async def _vote_call(
    session: AsyncSession, runtime: Runtime, call_id: int
) -> tuple[Call, VoteSpec]:
    call, body = await body_call(session, runtime, call_id, modes=(Mode.VOTE,))
    assert body.vote is not None
    return call, body.vote


async def _secretariat_or_chair(
    session: AsyncSession, call: Call, actor: Actor, action: str
) -> None:
    if not actor.is_secretariat and await seated(session, call, actor) != PRESIDENT:
        raise Forbidden(f"only the Secretariat or the chair of the body {action}")


async def _ballot(session: AsyncSession, call: Call) -> Ballot | None:
    found: Ballot | None = await session.scalar(
        select(Ballot).where(col(Ballot.call_id) == call.id)
    )
    return found


async def _open_ballot(session: AsyncSession, call: Call) -> Ballot:
    """The call's ballot, made on the first vote, with the call's row locked (PostgreSQL;
    SQLite serialises writers) so that concurrent votes count one after the other."""
    await session.execute(select(col(Call.id)).where(col(Call.id) == call.id).with_for_update())
    ballot = await _ballot(session, call)
    if ballot is None:
        ballot = Ballot(call_id=call.id or 0)
        session.add(ballot)
        await session.flush()
    if ballot.closed_at is not None:
        raise Conflict(f"the vote of call {call.id} is closed", extra={"field": "vote"})
    return ballot


async def _voter(session: AsyncSession, ballot: Ballot, actor: Actor) -> BallotVoter | None:
    found: BallotVoter | None = await session.scalar(
        select(BallotVoter).where(
            col(BallotVoter.ballot_id) == ballot.id, col(BallotVoter.voter_id) == actor.id
        )
    )
    return found


async def _count(session: AsyncSession, ballot: Ballot, submission_id: int | None) -> None:
    choice = (
        col(BallotCount.submission_id).is_(None)
        if submission_id is None
        else col(BallotCount.submission_id) == submission_id
    )
    row = await session.scalar(
        select(BallotCount).where(col(BallotCount.ballot_id) == ballot.id, choice)
    )
    if row is None:
        row = BallotCount(ballot_id=ballot.id or 0, submission_id=submission_id)
        session.add(row)
    row.votes += 1


async def _tally(session: AsyncSession, call: Call, vote: VoteSpec, ballot: Ballot | None) -> Tally:
    members = len(
        list(await session.scalars(select(PanelMember).where(col(PanelMember.call_id) == call.id)))
    )
    counts = (
        []
        if ballot is None
        else list(
            await session.scalars(
                select(BallotCount).where(col(BallotCount.ballot_id) == ballot.id)
            )
        )
    )
    voters = (
        []
        if ballot is None
        else list(
            await session.scalars(
                select(col(BallotVoter.voter_id))
                .where(col(BallotVoter.ballot_id) == ballot.id)
                .order_by(col(BallotVoter.id))
            )
        )
    )
    votes = {c.submission_id: c.votes for c in counts if c.submission_id is not None}
    named = await session.execute(
        select(col(Submission.id), col(Submission.pseudonym)).where(col(Submission.id).in_(votes))
    )
    return Tally(
        members=members,
        quorum=vote.quorum.of(members),
        voters=voters,
        votes=votes,
        abstentions=sum(c.votes for c in counts if c.submission_id is None),
        casting_vote=None if ballot is None else ballot.casting_vote,
        closed=ballot is not None and ballot.closed_at is not None,
        elected=None if ballot is None else ballot.elected_id,
        pseudonyms={
            submission: pseudonym for submission, pseudonym in named.all() if submission is not None
        },
    )


def winner_of(call_id: int, vote: VoteSpec, tally: Tally) -> int:
    if len(tally.voters) < tally.quorum:
        raise BodyRefused(
            call_id,
            because(
                "quorum_not_met",
                voted=len(tally.voters),
                quorum=tally.quorum,
                members=tally.members,
            ),
        )
    leaders = tally.leaders
    if not leaders:
        raise BodyRefused(call_id, because("no_votes_for_candidacies"))
    most = tally.votes[min(leaders)]
    if len(leaders) > 1:
        if tally.casting_vote is None or tally.casting_vote not in leaders:
            raise BodyRefused(call_id, because("tie_awaits_chair", votes=most))
        return tally.casting_vote
    cast = sum(tally.votes.values())
    if vote.majority is Majority.ABSOLUTE and 2 * most <= cast:
        raise BodyRefused(call_id, because("no_absolute_majority", most=most, cast=cast))
    return next(iter(leaders))


def _minutes(tally: Tally, winner: Submission) -> str:
    """The tally as the audit keeps it: ids, never names (audit rows outlive an erasure)."""
    votes = ", ".join(f"submission {s}: {n}" for s, n in sorted(tally.votes.items()))
    return (
        f"elected submission {winner.id}; {votes}; abstentions: {tally.abstentions}; "
        f"{len(tally.voters)} of {tally.members} members voted (quorum {tally.quorum}); "
        f"voters: {', '.join(f'user {v}' for v in tally.voters)}"
        + (f"; chair's casting vote: submission {tally.casting_vote}" if tally.casting_vote else "")
    )
