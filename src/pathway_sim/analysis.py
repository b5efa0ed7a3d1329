"""Confidence intervals and summaries over replications: one CI function used everywhere."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

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
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * std / math.sqrt(n)
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
