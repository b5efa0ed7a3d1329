"""The one confidence-interval function: edge cases and agreement with scipy."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pathway_sim.analysis import summarise, t_interval


def test_matches_scipy_t_interval():
    x = np.array([3.1, 2.7, 3.6, 2.9, 3.3, 3.0])
    low, high = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    ci = t_interval(x)
    assert ci.mean == pytest.approx(x.mean())
    assert (ci.low, ci.high) == pytest.approx((low, high))
    assert ci.n == 6


def test_two_values_use_one_degree_of_freedom():
    ci = t_interval([1.0, 3.0])
    # t(0.975, 1) = 12.706; sd = sqrt(2); half-width = 12.706 * sqrt(2) / sqrt(2)
    assert ci.high - ci.mean == pytest.approx(12.7062047, rel=1e-6)


def test_one_value_has_no_interval():
    ci = t_interval([5.0])
    assert ci.mean == 5.0 and ci.n == 1
    assert math.isnan(ci.low) and math.isnan(ci.high) and math.isnan(ci.std)


def test_zero_variance_gives_the_mean():
    ci = t_interval([2.0, 2.0, 2.0])
    assert (ci.low, ci.mean, ci.high, ci.std) == (2.0, 2.0, 2.0, 0.0)


def test_missing_values_are_ignored_and_counted_out():
    ci = t_interval([1.0, float("nan"), 3.0])
    assert ci.n == 2 and ci.mean == 2.0
    assert t_interval([]).n == 0


def test_summary_has_one_row_per_kpi():
    reps = pd.DataFrame(
        {"scenario": ["s"] * 3, "replication": [0, 1, 2], "seed": [1] * 3, "women": [9] * 3,
         "a": [1.0, 2.0, 3.0], "b": [0.0, 0.0, 0.0]}
    )
    summary = summarise(reps)
    assert list(summary["kpi"]) == ["a", "b"]
    assert list(summary.columns) == ["scenario", "kpi", "mean", "std", "ci_low", "ci_high", "n"]
    assert summary.loc[1, "ci_low"] == summary.loc[1, "ci_high"] == 0.0
