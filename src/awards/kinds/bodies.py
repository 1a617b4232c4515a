"""The body that judges a call of a kind (its `body:` section): a jury, a committee.

A body has a name and a title for its chair in each language of the kind, may admit observers
(who read, and neither score nor vote), sees dossiers anonymised or not, and judges in one mode:
`score` (the rubric, rounds, ranking: `awards.kinds.jury_spec`), `vote` (each member casts one
vote) or `select` (members mark each candidacy accepted, rejected or waitlisted).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from awards.errors import ConfigurationError
from awards.kinds.jury_spec import ConflictRule, JurySpec, Rubric, parse_jury
from awards.kinds.yaml_nodes import mapping, require, texts
from workflows import LocatedDict, Workflow


class Mode(StrEnum):
    SCORE = "score"
    VOTE = "vote"
    SELECT = "select"


class Majority(StrEnum):
    SIMPLE = "simple"
    """The candidacy with the most votes."""
    ABSOLUTE = "absolute"
    """More than half of the votes cast for a candidacy (abstentions are not cast for one)."""


@dataclass(frozen=True)
class Quorum:
    """Members who must have voted (abstaining counts): a number, or a share of the body."""

    members: int = 0
    share: Fraction = Fraction(0)

    def of(self, seated: int) -> int:
        """How many of the `seated` voters make the quorum."""
        return max(self.members, math.ceil(self.share * seated))


@dataclass(frozen=True)
class VoteSpec:
    quorum: Quorum
    majority: Majority
    secret: bool
    """Keep who voted, not how: only the tally is stored."""
    elects: str
    """The submission transition the winner is taken by when the vote is closed."""
    candidates_in: tuple[str, ...]
    """The states of the submissions on the ballot."""


@dataclass(frozen=True)
class SelectSpec:
    candidates_in: tuple[str, ...]
    outcomes: Mapping[str, str]
    """What the chair's confirmation fires on each submission: accepted/rejected/waitlisted ->
    submission transition. The inputs of the `accepted` one (a format, a slot of the
    programme: fields of the kind's inputs_form) go with each mark and the confirmation."""


MARKS = ("accepted", "rejected", "waitlisted")


@dataclass(frozen=True)
class Body:
    name: Mapping[str, str]
    with_article: Mapping[str, str]
    """The name as a mail's sentence begins with it ("Le Comité exécutif", "A Comissão
    Científica"): mails say who decided (`{{ body }}`). The name itself by default."""
    chair: Mapping[str, str]
    """What the body calls its chair: president, chair."""
    observers: bool
    anonymised: bool
    conflicts: tuple[ConflictRule, ...]
    mode: Mode
    score: JurySpec | None = None
    vote: VoteSpec | None = None
    select: SelectSpec | None = None


def parse_body(
    spec: LocatedDict,
    *,
    rubric: Rubric,
    submissions: Workflow,
    languages: tuple[str, ...],
    anonymised: bool,
) -> Body:
    """The `body:` section; `anonymised` defaults to the kind's."""
    mode_name = require(spec, "mode", str)
    if mode_name not in set(Mode):
        raise ConfigurationError(f"{spec.where('mode')}: mode must be one of {', '.join(Mode)}")
    mode = Mode(mode_name)
    settings = mapping(require(spec, mode, dict), spec.where(mode), mode)
    for other in set(Mode) - {mode}:
        if other in spec:
            raise ConfigurationError(f"{spec.where(other)}: a {mode} body has no '{other}'")
    conflicts = _conflicts(spec)
    states = submissions.states
    name = texts(spec, "name", languages)
    return Body(
        name=name,
        with_article=texts(spec, "with_article", languages, required=False) or name,
        chair=texts(spec, "chair", languages),
        observers=bool(spec.get("observers", False)),
        anonymised=bool(spec.get("anonymised", anonymised)),
        conflicts=conflicts,
        mode=mode,
        score=parse_jury(
            settings, rubric=rubric, states=states, languages=languages, conflicts=conflicts
        )
        if mode is Mode.SCORE
        else None,
        vote=_vote(settings, submissions) if mode is Mode.VOTE else None,
        select=_select(settings, submissions) if mode is Mode.SELECT else None,
    )


def _vote(spec: LocatedDict, submissions: Workflow) -> VoteSpec:
    majority = spec.get("majority", Majority.SIMPLE)
    if majority not in set(Majority):
        raise ConfigurationError(
            f"{spec.where('majority')}: majority must be one of {', '.join(Majority)}"
        )
    return VoteSpec(
        quorum=_quorum(spec),
        majority=Majority(majority),
        secret=bool(spec.get("secret", False)),
        elects=_transition(spec, "elects", submissions),
        candidates_in=_states(spec, submissions),
    )


def _quorum(spec: LocatedDict) -> Quorum:
    raw = require(spec, "quorum", object)
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 1:
        return Quorum(members=raw)
    if isinstance(raw, str):
        with suppress(ValueError, ZeroDivisionError):
            share = Fraction(raw)
            if 0 < share <= 1:
                return Quorum(share=share)
    raise ConfigurationError(f"{spec.where('quorum')}: a number of members, or a share like '1/2'")


def _select(spec: LocatedDict, submissions: Workflow) -> SelectSpec:
    outcomes = mapping(require(spec, "outcomes", dict), spec.where("outcomes"), "outcomes")
    if set(outcomes) != set(MARKS):
        raise ConfigurationError(
            f"{spec.where('outcomes')}: give the transition of each of {', '.join(MARKS)}"
        )
    return SelectSpec(
        candidates_in=_states(spec, submissions),
        outcomes={mark: _transition(outcomes, mark, submissions) for mark in MARKS},
    )


def _states(spec: LocatedDict, submissions: Workflow) -> tuple[str, ...]:
    states = tuple(require(spec, "candidates_in", list))
    for state in states:
        if state not in submissions.states:
            raise ConfigurationError(f"{spec.where('candidates_in')}: unknown state '{state}'")
    return states


def _transition(spec: LocatedDict, key: str, submissions: Workflow) -> str:
    name = require(spec, key, str)
    if name not in submissions.transitions:
        raise ConfigurationError(f"{spec.where(key)}: '{name}' is not a submission transition")
    return str(name)


def _conflicts(spec: LocatedDict) -> tuple[ConflictRule, ...]:
    names = spec.get("conflicts", list(ConflictRule))
    unknown = [name for name in names if name not in set(ConflictRule)]
    if unknown:
        raise ConfigurationError(
            f"{spec.where('conflicts')}: unknown conflict rule '{unknown[0]}'; "
            f"rules: {', '.join(ConflictRule)}"
        )
    return tuple(ConflictRule(name) for name in names)
