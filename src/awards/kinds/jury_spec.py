"""Rubrics (criteria, weights, scale) and how a body that scores works (`awards.kinds.bodies`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from awards.errors import ConfigurationError, Invalid
from awards.kinds.yaml_nodes import mapping, require, texts
from workflows import LocatedDict


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: float
    label: Mapping[str, str]
    help: Mapping[str, str]
    required: bool = True
    """A final review must score it."""


@dataclass(frozen=True)
class Level:
    """A band of the scale, `low` to `high` inclusive, and what a score in it means."""

    low: float
    high: float
    label: Mapping[str, str]
    description: Mapping[str, str]


@dataclass(frozen=True)
class Rubric:
    scale_min: int
    scale_max: int
    criteria: tuple[Criterion, ...]
    levels: tuple[Level, ...] = ()
    """What each band of the scale means, lowest first, for every criterion (optional)."""

    def total(self, scores: Mapping[str, float]) -> float | None:
        """The weighted score of a review so far: sum(weight * score) / sum(weight) over the
        criteria scored, as the ranking weighs a review (`awards.jury.weighting`)."""
        scored = [(c.weight, scores[c.name]) for c in self.criteria if c.name in scores]
        weights = sum(weight for weight, _ in scored)
        return sum(weight * score for weight, score in scored) / weights if weights else None

    def level(self, score: float) -> Level | None:
        """The band `score` falls in, if the rubric describes one."""
        return next((lv for lv in self.levels if lv.low <= score <= lv.high), None)


def parse_rubric(spec: LocatedDict, languages: tuple[str, ...]) -> Rubric:
    scale = mapping(require(spec, "scale", dict), spec.where("scale"), "scale")
    criteria = []
    for item in require(spec, "criteria", list):
        criterion = mapping(item, spec.where("criteria"), "a criterion")
        criteria.append(
            Criterion(
                name=require(criterion, "name", str),
                weight=float(criterion.get("weight", 1)),
                label=texts(criterion, "label", languages),
                help=texts(criterion, "help", languages, required=False),
                required=bool(criterion.get("required", True)),
            )
        )
    low, high = require(scale, "min", int), require(scale, "max", int)
    return Rubric(
        scale_min=low,
        scale_max=high,
        criteria=tuple(criteria),
        levels=_levels(spec, (low, high), languages),
    )


def _levels(
    spec: LocatedDict, scale: tuple[int, int], languages: tuple[str, ...]
) -> tuple[Level, ...]:
    """The `levels:` of a rubric: bands inside the scale, in ascending order, apart."""
    levels: list[Level] = []
    for item in spec.get("levels", []):
        node = mapping(item, spec.where("levels"), "a level")
        low, high = _number(node, "min"), _number(node, "max")
        if not scale[0] <= low <= high <= scale[1] or (levels and low <= levels[-1].high):
            raise ConfigurationError(
                f"{node.where()}: level {low:g}-{high:g} must lie in the scale "
                f"{scale[0]}-{scale[1]}, above the level before it"
            )
        levels.append(
            Level(
                low=low,
                high=high,
                label=texts(node, "label", languages),
                description=texts(node, "description", languages),
            )
        )
    return tuple(levels)


def _number(spec: LocatedDict, key: str) -> float:
    value = spec.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigurationError(f"{spec.where(key)}: '{key}' must be a number")
    return float(value)


class CommentsVisible(StrEnum):
    """When a juror sees the other jurors' comments on a submission."""

    AFTER_OWN_REVIEW = "after_own_review"
    ALWAYS = "always"


class ConflictRule(StrEnum):
    """How conflicts of interest are detected before assignment."""

    SAME_ORGANISATION = "same_organisation"
    SAME_CITY = "same_city"
    SAME_COUNTRY = "same_country"
    EMAIL_DOMAIN = "email_domain"
    DECLARED = "declared"
    """Relations a juror declared earlier, in any call."""


AGGREGATES = ("mean", "median", "trimmed_mean")


@dataclass(frozen=True)
class Round:
    """A round of review: which submissions it covers and the rubric it scores them on."""

    name: str
    submissions_in: tuple[str, ...]
    rubric: Rubric


@dataclass(frozen=True)
class JurySpec:
    rounds: tuple[Round, ...]
    reviews_per_submission: int | None
    """K reviews per submission; None: every juror reviews every submission."""
    aggregate: str
    normalise: bool
    """Rank on per-juror z-scores (harsh and lenient jurors corrected)."""
    tie_break: tuple[str, ...]
    """Criteria that order tied submissions (they stay reported as tied)."""
    comments_visible: CommentsVisible
    reveal_after_decision: bool
    """Show the jury who the applicants are once the call is published."""
    conflicts: tuple[ConflictRule, ...]

    def round(self, name: str | None) -> Round:
        """The round called `name`, or the first round when no name is given."""
        if name is None:
            return self.rounds[0]
        found = next((r for r in self.rounds if r.name == name), None)
        if found is None:
            raise Invalid(
                f"no round '{name}'; rounds: {', '.join(r.name for r in self.rounds)}",
                extra={"field": "round"},
            )
        return found


def parse_jury(
    spec: LocatedDict,
    *,
    rubric: Rubric,
    states: tuple[str, ...],
    languages: tuple[str, ...],
    conflicts: tuple[ConflictRule, ...],
) -> JurySpec:
    """The `score:` settings of a body; each round defaults to the kind's rubric."""
    rounds = []
    for item in require(spec, "rounds", list):
        node = mapping(item, spec.where("rounds"), "a round")
        covered = tuple(require(node, "submissions_in", list))
        for state in covered:
            if state not in states:
                raise ConfigurationError(f"{node.where('submissions_in')}: unknown state '{state}'")
        own = node.get("rubric")
        rounds.append(
            Round(
                name=require(node, "name", str),
                submissions_in=covered,
                rubric=parse_rubric(mapping(own, node.where("rubric"), "rubric"), languages)
                if own is not None
                else rubric,
            )
        )
    reviews = spec.get("reviews_per_submission", "all")
    if reviews != "all" and (
        isinstance(reviews, bool) or not isinstance(reviews, int) or reviews < 1
    ):
        raise ConfigurationError(
            f"{spec.where('reviews_per_submission')}: a whole number of reviews, or 'all'"
        )
    return JurySpec(
        rounds=tuple(rounds),
        reviews_per_submission=None if reviews == "all" else reviews,
        aggregate=_one_of(spec, "aggregate", AGGREGATES, default="mean"),
        normalise=bool(spec.get("normalise", False)),
        tie_break=_tie_break(spec, rounds),
        comments_visible=CommentsVisible(
            _one_of(spec, "comments_visible", tuple(CommentsVisible), default="after_own_review")
        ),
        reveal_after_decision=bool(spec.get("reveal_after_decision", False)),
        conflicts=conflicts,
    )


def _one_of(spec: LocatedDict, key: str, allowed: tuple[str, ...], *, default: str) -> str:
    value = spec.get(key, default)
    if value not in allowed:
        raise ConfigurationError(f"{spec.where(key)}: '{key}' must be one of {', '.join(allowed)}")
    return str(value)


def _tie_break(spec: LocatedDict, rounds: list[Round]) -> tuple[str, ...]:
    names = tuple(spec.get("tie_break", []))
    for name in names:
        if not all(any(c.name == name for c in r.rubric.criteria) for r in rounds):
            raise ConfigurationError(
                f"{spec.where('tie_break')}: '{name}' is not a criterion of every round"
            )
    return names
