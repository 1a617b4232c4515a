"""Krippendorff's alpha (interval) against the published example, hand computations and the
pairwise definition."""

from __future__ import annotations

from itertools import permutations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awards.jury.agreement import interval_alpha

# No deadline: timings on a shared CI machine vary more than the examples do.
PROPERTY = settings(deadline=None)

# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: observers A-D,
# units 1-12, None where an observer gave no value. Published: interval alpha = 0.849.
OBSERVERS = (
    (1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None),
    (1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3),
    (None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None),
    (1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None),
)


def test_alpha_matches_krippendorffs_published_interval_example() -> None:
    units = [
        [float(value) for observer in OBSERVERS if (value := observer[unit]) is not None]
        for unit in range(12)
    ]

    alpha = interval_alpha(units)

    assert alpha == pytest.approx(0.849, abs=5e-4)


def test_alpha_of_two_units_matches_a_hand_computation() -> None:
    # n = 4 pairable values. Observed: unit (1, 3) has the ordered pairs (1,3), (3,1), each
    # (3-1)^2 = 4 over m-1 = 1, unit (5, 5) none that differ: D_o = 8 / 4 = 2.
    # Expected: pairs of {1, 3, 5, 5}: (1,3) 4, (1,5) 16 twice, (3,5) 4 twice, (5,5) 0: 44
    # unordered, 88 ordered; D_e = 88 / (4 * 3). alpha = 1 - 2 * 12 / 88 = 8 / 11.
    alpha = interval_alpha([[1.0, 3.0], [5.0, 5.0]])

    assert alpha == pytest.approx(8 / 11, abs=1e-12)


def test_alpha_is_one_when_every_submission_gets_the_same_score_from_all_its_jurors() -> None:
    alpha = interval_alpha([[7.0, 7.0, 7.0], [3.5, 3.5], [9.0, 9.0], [1.0]])

    assert alpha == 1.0


def test_alpha_of_a_single_pair_is_zero() -> None:
    # One unit: observed and expected disagreement are the same pair, so D_o = D_e.
    assert interval_alpha([[4.0, 8.0]]) == 0.0


@pytest.mark.parametrize(
    "units",
    [
        pytest.param([], id="no submission"),
        pytest.param([[5.0], [6.0], [7.0]], id="one review per submission"),
        pytest.param([[5.0, 5.0], [5.0, 5.0, 5.0]], id="no variation"),
    ],
)
def test_alpha_is_undefined_without_two_pairable_values_or_without_variation(
    units: list[list[float]],
) -> None:
    assert interval_alpha(units) is None


def pairwise_alpha(units: list[list[float]]) -> float | None:
    """The definition, pair by pair: what `interval_alpha` computes in one pass."""
    pairable = [unit for unit in units if len(unit) > 1]
    values = [value for unit in pairable for value in unit]
    n = len(values)
    observed = sum(
        (a - b) ** 2 / (len(unit) - 1) for unit in pairable for a, b in permutations(unit, 2)
    )
    expected = sum((a - b) ** 2 for a, b in permutations(values, 2))
    if n < 2 or expected == 0:
        return None
    return 1 - (observed / n) / (expected / (n * (n - 1)))


units_of_scores = st.lists(
    st.lists(st.integers(0, 20).map(lambda tenths: tenths / 2), max_size=5), max_size=12
)


@PROPERTY
@given(units_of_scores)
def test_alpha_equals_the_pairwise_definition(units: list[list[float]]) -> None:
    expected = pairwise_alpha(units)

    alpha = interval_alpha(units)

    if expected is None:
        assert alpha is None
    else:
        assert alpha is not None
        assert alpha == pytest.approx(expected, abs=1e-9)
        assert alpha <= 1.0
