"""Confidence intervals, summaries, paired comparisons and factorial effects over
replications: one CI function used everywhere."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import stdtrit

from pathway_sim.core.corrections import CORRECTIONS

ID_COLUMNS = ("scenario", "replication", "seed", "women")
"""Identifying columns of ``replications.csv``; every other column is a KPI."""


@dataclass(frozen=True)
class Interval:
    """A mean with its Student-t confidence interval over ``n`` replications."""

    mean: float
    std: float
    low: float
    high: float
    n: int


def t_quantile(probability: float, df: float) -> float:
    """Student's t quantile: ``scipy.special.stdtrit``, which ``scipy.stats.t.ppf`` calls
    too (the same number), without importing ``scipy.stats`` (half a second, 50 MB)."""
    return float(stdtrit(df, probability))


def t_interval(values: np.ndarray | list[float], confidence: float = 0.95) -> Interval:
    """Mean and two-sided t-interval, ignoring missing values.

    With one value the spread is unknown, so the interval is NaN (not a zero-width
    interval that would look certain); with zero variance it is the mean itself.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return Interval(math.nan, math.nan, math.nan, math.nan, 0)
    mean = float(x.mean())
    if n == 1:
        return Interval(mean, math.nan, math.nan, math.nan, 1)
    std = float(x.std(ddof=1))
    if std == 0.0:
        return Interval(mean, 0.0, mean, mean, n)
    half = t_quantile(0.5 + confidence / 2, n - 1) * std / math.sqrt(n)
    return Interval(mean, std, mean - half, mean + half, n)


def kpi_columns(replications: pd.DataFrame) -> list[str]:
    return [c for c in replications.columns if c not in ID_COLUMNS]


def summarise(replications: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """One row per scenario and KPI: ``scenario, kpi, mean, std, ci_low, ci_high, n``."""
    rows = []
    for scenario, group in replications.groupby("scenario", sort=False):
        for kpi in kpi_columns(replications):
            ci = t_interval(group[kpi].to_numpy(dtype=float), confidence)
            rows.append(
                {
                    "scenario": scenario,
                    "kpi": kpi,
                    "mean": ci.mean,
                    "std": ci.std,
                    "ci_low": ci.low,
                    "ci_high": ci.high,
                    "n": ci.n,
                }
            )
    return pd.DataFrame(rows, columns=["scenario", "kpi", "mean", "std", "ci_low", "ci_high", "n"])


# --- comparisons ---------------------------------------------------------------------------

"""Multiple-comparison corrections that ``compare`` and experiments offer."""


def corrected_confidence(confidence: float, comparisons: int, correction: str) -> float:
    """The level of each interval, so that with Bonferroni all ``comparisons`` hold
    together with probability at least ``confidence``."""
    if correction not in CORRECTIONS:
        raise ValueError(
            f"correction: expected one of {', '.join(CORRECTIONS)}, got {correction!r}"
        )
    if correction == "bonferroni" and comparisons > 1:
        return 1 - (1 - confidence) / comparisons
    return confidence


def paired_difference(
    base: np.ndarray | pd.Series, other: np.ndarray | pd.Series, confidence: float = 0.95
) -> Interval:
    """Mean of ``other - base`` replication by replication, with its t-interval.

    With common random numbers the two runs of one replication meet the same
    women, so their results move together and the paired interval is narrower
    than the unpaired one; a scenario paired with itself differs by exactly zero.
    """
    a, b = np.asarray(base, dtype=float), np.asarray(other, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired difference needs equal replications, got {len(a)} and {len(b)}")
    return t_interval(b - a, confidence)


def welch_difference(
    base: np.ndarray | pd.Series, other: np.ndarray | pd.Series, confidence: float = 0.95
) -> tuple[float, float]:
    """Welch's unpaired interval for ``mean(other) - mean(base)``: what the comparison
    would show without common random numbers."""
    a = np.asarray(base, dtype=float)
    b = np.asarray(other, dtype=float)
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if len(a) < 2 or len(b) < 2:
        return math.nan, math.nan
    diff = float(b.mean() - a.mean())
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    if va + vb == 0.0:
        return diff, diff
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = t_quantile(0.5 + confidence / 2, df) * math.sqrt(va + vb)
    return diff - half, diff + half


COMPARISON_COLUMNS = [
    "kpi", "scenario", "mean", "ci_low", "ci_high",
    "diff_vs_base", "diff_ci_low", "diff_ci_high",
    "diff_ci_unpaired_low", "diff_ci_unpaired_high", "diff_confidence", "correction",
]  # fmt: skip
"""``comparison.csv``: the contract columns first, then the unpaired interval and the
confidence level each difference interval was computed at."""


def comparison_table(
    replications: pd.DataFrame, base: str, correction: str = "none", confidence: float = 0.95
) -> pd.DataFrame:
    """One row per KPI and scenario: its mean with a ``confidence`` t-interval, and its
    paired difference from ``base`` (the base rows differ by 0, interval 0 to 0).

    Scenarios are paired by replication index, so they must share seed and
    replications. Difference intervals are at the corrected level when there are
    several scenarios to compare with the base and ``correction`` is bonferroni.
    """
    groups: dict[str, pd.DataFrame] = {
        str(name): group.set_index("replication").sort_index()
        for name, group in replications.groupby("scenario", sort=False)
    }
    names = [base, *(n for n in groups if n != base)]
    level = corrected_confidence(confidence, len(names) - 1, correction)
    for name in names[1:]:
        if not groups[name].index.equals(groups[base].index):
            raise ValueError(f"{name} and {base} do not have the same replications to pair")
    rows = []
    for kpi in kpi_columns(replications):
        base_values = groups[base][kpi]
        for name in names:
            values = groups[name][kpi]
            ci = t_interval(values.to_numpy(dtype=float), confidence)
            diff = paired_difference(base_values, values, level)
            unpaired = (0.0, 0.0) if name == base else welch_difference(base_values, values, level)
            rows.append(
                [kpi, name, ci.mean, ci.low, ci.high, diff.mean, diff.low, diff.high,
                 *unpaired, level, correction]
            )  # fmt: skip
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def factorial_effects(
    replications: pd.DataFrame,
    levels: Mapping[str, Mapping[str, int]],
    correction: str = "none",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Main effects and two-way interactions of a full 2^k factorial, per KPI.

    ``levels`` maps each scenario to its factor levels (0 off, 1 on). An effect is
    estimated in each replication as a contrast over the 2^k scenarios divided by
    2^(k-1) (Montgomery's convention: a main effect is the mean response with the
    factor on minus with it off; an interaction is half the difference between one
    factor's effect with the other on and with it off), and its interval is the
    t-interval over replications, paired through common random numbers.
    """
    factors = list(next(iter(levels.values())))
    terms = [(f,) for f in factors] + list(itertools.combinations(factors, 2))
    level = corrected_confidence(confidence, len(terms), correction)
    divisor = 2 ** (len(factors) - 1)
    rows = []
    for kpi in kpi_columns(replications):
        wide = replications.pivot(index="replication", columns="scenario", values=kpi)
        for term in terms:
            signs = pd.Series(
                {s: math.prod(2 * lv[f] - 1 for f in term) for s, lv in levels.items()}
            )
            contrast = wide[signs.index].mul(signs).sum(axis=1, skipna=False) / divisor
            ci = t_interval(contrast.to_numpy(dtype=float), level)
            rows.append([kpi, ":".join(term), ci.mean, ci.low, ci.high, ci.n, level, correction])
    return pd.DataFrame(
        rows,
        columns=["kpi", "effect", "estimate", "ci_low", "ci_high", "n", "confidence", "correction"],
    )
