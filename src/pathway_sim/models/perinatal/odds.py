"""The probability scales: how odds ratios and log-odds terms from the evidence are applied.

An odds ratio OR changes a probability p to the p' whose odds are OR times the
odds of p, i.e. it adds log(OR) on the log-odds scale. This keeps p' inside
(0, 1) however many effects combine, which multiplying probabilities would not.
"""

from __future__ import annotations

import math

_EPS = 1e-12


def logit(p: float) -> float:
    p = min(max(p, _EPS), 1.0 - _EPS)
    return math.log(p / (1.0 - p))


def logistic(x: float) -> float:
    if x < -700:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


def with_odds_ratio(p: float, odds_ratio: float) -> float:
    """``p`` with its odds multiplied by ``odds_ratio``; 0 and 1 stay put."""
    if p <= 0.0 or p >= 1.0:
        return p
    odds = p / (1.0 - p) * odds_ratio
    return odds / (1.0 + odds)


def per_period(total: float, periods: int) -> float:
    """The chance per period that gives ``total`` over ``periods`` independent periods."""
    return 1.0 - (1.0 - min(total, 1.0)) ** (1.0 / periods)
