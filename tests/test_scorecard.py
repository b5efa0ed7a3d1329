"""The scorecard: scorecard.csv from a comparison, the compact table and --full."""

import pandas as pd

from pathway_sim.core.verdicts import decimals, rounded
from pathway_sim.experiments.scorecard import (
    SCORECARD_COLUMNS,
    display_names,
    format_scorecard,
    scorecard_table,
)

from .conftest import MMC, mmc_variant, short_options


def _comparison(rows):
    """A hand-made comparison.csv: (kpi, scenario, mean, diff, low, high)."""
    columns = ["kpi", "scenario", "mean", "diff_vs_base", "diff_ci_low", "diff_ci_high"]
    return pd.DataFrame(rows, columns=columns)


HAND_MADE = _comparison([
    ("baby_with_mother_at_12m_pct", "base", 75.0, 0.0, 0.0, 0.0),
    ("baby_with_mother_at_12m_pct", "hub", 78.0, 3.0, 1.0, 5.0),
    ("baby_with_mother_at_12m_pct", "coord", 75.5, 0.5, 0.2, 0.8),
    ("self_efficacy_index", "base", 0.8, 0.0, 0.0, 0.0),
    ("self_efficacy_index", "hub", 0.791, -0.009, -0.012, -0.006),
    ("self_efficacy_index", "coord", 0.9, 0.1, -0.05, 0.25),
])  # fmt: skip


def test_scorecard_rows_carry_base_difference_interval_and_verdict():
    table = scorecard_table(HAND_MADE)
    assert list(table.columns) == SCORECARD_COLUMNS
    assert list(table["scenario"]) == ["hub", "hub", "coord", "coord"]  # base left out
    verdicts = dict(zip(zip(table["scenario"], table["kpi"]), table["verdict"]))
    assert verdicts == {
        ("hub", "baby_with_mother_at_12m_pct"): "better",
        ("hub", "self_efficacy_index"): "too small to matter",
        ("coord", "baby_with_mother_at_12m_pct"): "too small to matter",
        ("coord", "self_efficacy_index"): "no clear difference",
    }
    # catalogue order of outcomes: M1 before I1
    assert list(table["outcome"][:2]) == ["M1", "I1"] and list(table["base"][:2]) == [0.8, 75.0]


def test_a_kpi_with_no_better_direction_stays_out_so_verdicts_are_the_four_words():
    """contacts_per_woman has no better direction: a clear change in it says nothing about
    which scenario is better, so scorecard.csv has only better / worse / too small to
    matter / no clear difference."""
    neutral = _comparison([
        ("contacts_per_woman", "base", 70.0, 0.0, 0.0, 0.0),
        ("contacts_per_woman", "hub", 90.0, 20.0, 15.0, 25.0),
    ])  # fmt: skip
    table = scorecard_table(pd.concat([HAND_MADE, neutral], ignore_index=True))
    assert "contacts_per_woman" not in set(table["kpi"])
    words = {"better", "worse", "too small to matter", "no clear difference"}
    assert set(table["verdict"]) <= words


def test_compact_table_uses_labels_whole_and_rounds_to_the_interval():
    text = format_scorecard(
        scorecard_table(HAND_MADE), {"hub": "Community hub", "coord": "kr5_care_coordinator"}
    )
    assert "Community hub" in text
    assert "kr5_care_coordi" in text and "nator" in text  # wrapped, never cut short
    assert "+3 better" in text  # half-width 2: no decimals
    assert "\u22120.009 small" in text  # half-width 0.003: three decimals


def test_rounding_follows_the_half_width():
    assert decimals(0.00932, 0.0213) == 3
    assert rounded(0.0153, decimals(0.00932, 0.0213), signed=True) == "+0.015"
    assert decimals(-2.0, 6.0) == 0 and rounded(-0.4, 0, signed=True) == "0"


def test_display_names_fall_back_to_the_whole_name_and_stay_distinct():
    class S:
        def __init__(self, name, label=""):
            self.name, self.label = name, label

    names = display_names([S("base"), S("a", "Hub"), S("b", "Hub"), S("kr1_long_name")])
    assert names == {
        "base": "base",
        "a": "Hub (a)",
        "b": "Hub (b)",
        "kr1_long_name": "kr1_long_name",
    }


def test_compare_writes_scorecard_and_prints_it_compact_or_full(cli, tmp_path):
    other = mmc_variant(
        tmp_path, "more_staff", "label: One more server\nservices: {clinic: {staff: 3}}\n"
    )
    base_args = ["compare", MMC, other, "--reps", "3", *short_options(), "--no-report"]
    code, out, err = cli(*base_args, "--out", tmp_path / "c")
    assert code == 0, err
    card = pd.read_csv(tmp_path / "c" / "scorecard.csv")
    assert list(card.columns) == SCORECARD_COLUMNS and set(card["scenario"]) == {"more_staff"}
    assert "Scorecard" in out and "One more server" in out and len(out.splitlines()) <= 40
    code, full, _ = cli(*base_args, "--out", tmp_path / "f", "--full")
    assert code == 0 and "Scorecard" not in full and "diff vs base" in full


def test_five_scenarios_with_costs_fit_one_screen():
    from pathway_sim.experiments.cost_effectiveness import cost_effectiveness
    from pathway_sim.experiments.scorecard import COST_KPIS
    from pathway_sim.models.perinatal.toc import HEADLINE_KPIS

    kpis = [*HEADLINE_KPIS.values(), *COST_KPIS]
    scenarios = ["base", "a_long_scenario_name_with_no_label", "b", "c", "d", "e"]
    rows = [(k, s, 10.0, 0.0 if s == "base" else -2.0, -3.0, -1.0) for k in kpis for s in scenarios]
    comparison = _comparison(rows)
    text = format_scorecard(scorecard_table(comparison), cost_effect=cost_effectiveness(comparison))
    assert len(text.splitlines()) <= 40
    assert max(len(line) for line in text.splitlines()) <= 140
    assert "dominant" in text  # lower cost, more babies with their mothers
