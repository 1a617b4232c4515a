"""How a vote's tally elects, or is refused with its reason: quorum, ties, majorities."""

from __future__ import annotations

from fractions import Fraction

import pytest

from awards.jury.candidacies import BodyRefused
from awards.jury.votes import Tally, winner_of
from awards.kinds.bodies import Majority, Quorum, VoteSpec


def spec(majority: Majority) -> VoteSpec:
    return VoteSpec(
        quorum=Quorum(share=Fraction(1, 2)),
        majority=majority,
        secret=True,
        elects="choose",
        candidates_in=("in_review",),
    )


def counted(votes: dict[int, int], *, abstentions: int = 0, casting: int | None = None) -> Tally:
    voters = sum(votes.values()) + abstentions
    return Tally(
        members=7,
        quorum=4,
        voters=list(range(voters)),
        votes=votes,
        abstentions=abstentions,
        casting_vote=casting,
        closed=False,
        elected=None,
    )


def refusal(majority: Majority, tally: Tally) -> str:
    with pytest.raises(BodyRefused) as refused:
        winner_of(1, spec(majority), tally)
    return refused.value.reason.code


def test_a_share_of_the_body_is_rounded_up_to_whole_members() -> None:
    assert Quorum(share=Fraction(1, 2)).of(7) == 4
    assert Quorum(share=Fraction(2, 3)).of(6) == 4
    assert Quorum(members=3).of(10) == 3


def test_the_simple_majority_elects_the_most_votes_even_under_half() -> None:
    assert winner_of(1, spec(Majority.SIMPLE), counted({10: 3, 11: 2, 12: 2})) == 10


def test_the_absolute_majority_needs_more_than_half_of_the_votes_cast() -> None:
    assert refusal(Majority.ABSOLUTE, counted({10: 3, 11: 2, 12: 1})) == "no_absolute_majority"
    assert winner_of(1, spec(Majority.ABSOLUTE), counted({10: 4, 11: 2}, abstentions=3)) == 10


def test_a_tie_waits_for_the_chair_whose_casting_vote_then_elects() -> None:
    assert refusal(Majority.SIMPLE, counted({10: 3, 11: 3})) == "tie_awaits_chair"
    assert winner_of(1, spec(Majority.ABSOLUTE), counted({10: 3, 11: 3}, casting=11)) == 11


def test_below_quorum_or_with_only_abstentions_nothing_is_elected() -> None:
    assert refusal(Majority.SIMPLE, counted({10: 3})) == "quorum_not_met"
    assert refusal(Majority.SIMPLE, counted({}, abstentions=5)) == "no_votes_for_candidacies"
