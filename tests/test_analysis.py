"""The one confidence-interval function: edge cases and agreement with scipy."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pathway_sim.core.statistics import (
    comparison_table,
    corrected_confidence,
    paired_difference,
    summarise,
    t_interval,
    welch_difference,
)


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
        {
            "scenario": ["s"] * 3,
            "replication": [0, 1, 2],
            "seed": [1] * 3,
            "women": [9] * 3,
            "a": [1.0, 2.0, 3.0],
            "b": [0.0, 0.0, 0.0],
        }
    )
    summary = summarise(reps)
    assert list(summary["kpi"]) == ["a", "b"]
    assert list(summary.columns) == ["scenario", "kpi", "mean", "std", "ci_low", "ci_high", "n"]
    assert summary.loc[1, "ci_low"] == summary.loc[1, "ci_high"] == 0.0


def test_paired_difference_of_identical_runs_is_exactly_zero():
    x = np.array([0.123456789, 2.5, 1e-9, 7.0])
    ci = paired_difference(x, x.copy())
    assert (ci.mean, ci.low, ci.high, ci.std) == (0.0, 0.0, 0.0, 0.0)


def test_paired_difference_is_the_t_interval_of_differences():
    base = np.array([3.0, 4.0, 6.0, 5.0])
    other = base + np.array([1.0, 1.5, 0.5, 1.0])
    ci = paired_difference(base, other)
    low, high = stats.ttest_rel(other, base).confidence_interval()
    assert ci.mean == pytest.approx(1.0) and (ci.low, ci.high) == pytest.approx((low, high))


def test_welch_difference_matches_scipy():
    a = np.array([3.1, 2.7, 3.6, 2.9, 3.3])
    b = np.array([4.2, 3.1, 5.0, 4.4, 3.9, 4.8])
    low, high = stats.ttest_ind(b, a, equal_var=False).confidence_interval(0.9)
    assert welch_difference(a, b, 0.9) == pytest.approx((low, high))
    assert math.isnan(welch_difference(a[:1], b)[0])


def test_bonferroni_divides_the_error_rate_among_comparisons():
    assert corrected_confidence(0.95, 4, "bonferroni") == pytest.approx(0.9875)
    assert corrected_confidence(0.95, 4, "none") == 0.95
    assert corrected_confidence(0.95, 1, "bonferroni") == 0.95
    with pytest.raises(ValueError, match="correction"):
        corrected_confidence(0.95, 2, "holm")


def test_comparison_table_pairs_by_replication_and_keeps_contract_columns_first():
    reps = pd.DataFrame(
        {"scenario": ["b", "b", "b", "o", "o", "o"], "replication": [0, 1, 2, 2, 1, 0],
         "seed": 1, "women": 0, "k": [1.0, 2.0, 4.0, 5.0, 3.0, 2.0]}
    )  # fmt: skip
    table = comparison_table(reps, "b")
    assert list(table.columns[:8]) == [
        "kpi", "scenario", "mean", "ci_low", "ci_high",
        "diff_vs_base", "diff_ci_low", "diff_ci_high",
    ]  # fmt: skip
    other = table.iloc[1]
    assert other["scenario"] == "o" and other["diff_vs_base"] == 1.0 and other["diff_ci_low"] == 1.0
    assert table.iloc[0][["diff_vs_base", "diff_ci_low", "diff_ci_high"]].tolist() == [
        0.0,
        0.0,
        0.0,
    ]
