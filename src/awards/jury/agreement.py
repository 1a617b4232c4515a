"""Inter-rater agreement: Krippendorff's alpha for interval data.

Alpha tells the Secretariat whether the jury's scores mean something together: 1 when jurors
who read the same submission always gave it the same score, 0 when their scores agree no more
than scores drawn at random from everything the jury gave, below 0 when they disagree
systematically. Unlike a correlation it copes with the jury's incomplete matrix (each juror
reads only some submissions) and with any number of jurors per submission.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable

from awards.jury.statistics import SPREAD_EPSILON


def interval_alpha(units: Iterable[Collection[float]]) -> float | None:
    """Krippendorff's alpha, interval metric, over `units` (one per submission, holding the
    scores its jurors gave; a juror who did not review it is simply absent).

    Returns None when fewer than two values are pairable (only submissions with two or more
    scores are), or when all pairable values are equal (to float noise): with no variation
    there is nothing to agree on, and alpha is 0/0.

    The definition, with values c, k, m_u values in unit u, and n pairable values in all:

        o_ck = sum over units of (ordered pairs i != j in u with v_i = c, v_j = k) / (m_u - 1)
        n_c  = sum over k of o_ck  (the number of pairable values equal to c)
        D_o  = 1 / n            * sum over c, k of o_ck      * (c - k)^2
        D_e  = 1 / (n * (n-1))  * sum over c, k of n_c * n_k * (c - k)^2
        alpha = 1 - D_o / D_e

    Both sums are sums of squared differences over pairs, and for any m values the ordered
    pairs give sum (v_i - v_j)^2 = 2 * m * SS, SS being the sum of squared deviations from
    their mean. So, exactly:

        D_o = 2 / n * sum over units of m_u * SS_u / (m_u - 1)
        D_e = 2 * SS / (n - 1)        (SS over all pairable values)

    one pass over the values instead of a coincidence matrix that grows with the square of the
    number of distinct scores (weighted scores are rarely whole numbers).
    """
    within = []
    pairable: list[float] = []
    for unit in units:
        count = len(unit)
        if count < 2:
            continue
        centre = math.fsum(unit) / count
        squares = math.fsum([(value - centre) ** 2 for value in unit])
        within.append(count * squares / (count - 1))
        pairable.extend(unit)
    total = len(pairable)
    if total < 2:
        return None
    centre = math.fsum(pairable) / total
    expected = 2 * math.fsum([(value - centre) ** 2 for value in pairable]) / (total - 1)
    if math.sqrt(expected / 2) < SPREAD_EPSILON:  # expected / 2 is the values' sample variance
        return None
    observed = 2 * math.fsum(within) / total
    return 1 - observed / expected
