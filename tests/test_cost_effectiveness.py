"""Incremental cost-effectiveness on hand-made paired intervals."""

import math

import pandas as pd
import pytest

from pathway_sim.experiments.cost_effectiveness import cost_effectiveness, judge


def test_dominant_and_dominated_need_both_intervals_clear():
    assert judge((-100, -150, -50), (0.02, 0.01, 0.03))["verdict"] == "dominant"
    assert judge((100, 50, 150), (-0.02, -0.03, -0.01))["verdict"] == "dominated"
    assert judge((-100, -150, 20), (0.02, 0.01, 0.03))["verdict"] == (
        "better; cost difference unclear"
    )


def test_no_ratio_over_an_effect_whose_interval_includes_zero():
    result = judge((500, 400, 600), (0.01, -0.01, 0.03))
    assert result["verdict"] == "no clear effect: no ratio"
    assert all(math.isnan(x) for x in result["ratio"])


def test_cost_per_unit_gained_with_its_conservative_range():
    result = judge((500, 400, 600), (0.02, 0.01, 0.03))
    assert result["verdict"] == "costs more per unit gained"
    assert result["ratio"] == pytest.approx((25_000, 400 / 0.03, 600 / 0.01))


def test_cheaper_but_worse_says_what_it_saves_per_unit_lost():
    result = judge((-500, -600, -400), (-0.02, -0.03, -0.01))
    assert result["verdict"] == "saves per unit lost"
    assert result["ratio"] == pytest.approx((25_000, -400 / -0.03, -600 / -0.01))


def test_from_a_comparison_table_effects_are_per_woman():
    rows = [
        ("total_cost_per_woman", "base", 0, 0, 0),
        ("baby_with_mother_at_12m_pct", "base", 0, 0, 0),
        ("overdoses_per_1000", "base", 0, 0, 0),
        ("total_cost_per_woman", "hub", 300.0, 200.0, 400.0),
        ("baby_with_mother_at_12m_pct", "hub", 3.0, 1.0, 5.0),  # +3 babies per 100 women
        ("overdoses_per_1000", "hub", -4.0, -6.0, -2.0),  # 4 fewer per 1,000 women
    ]
    table = pd.DataFrame(
        rows, columns=["kpi", "scenario", "diff_vs_base", "diff_ci_low", "diff_ci_high"]
    )
    ce = cost_effectiveness(table).set_index("effect")
    assert ce.loc["extra baby with her mother at 12 months", "cost_per_unit"] == pytest.approx(
        10_000
    )
    assert ce.loc["overdose averted", "cost_per_unit"] == pytest.approx(75_000)
    assert ce.loc["overdose averted", "effect_ci_low"] == pytest.approx(0.002)
