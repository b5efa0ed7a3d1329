"""From simulated draws to decisions: paired differences, noise, verdicts and the CEAC.

Each test builds an inner-results table (draw, scenario, replication, KPIs) whose truth is
known, so the probabilities can be checked against their analytic values.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from pathway_sim.core.verdicts import BETTER, DEPENDS, TOO_SMALL
from pathway_sim.uncertainty.analysis import draws_csv
from pathway_sim.uncertainty.ceac import best_shares, ceac_table, increments
from pathway_sim.uncertainty.decision import (
    COLUMNS,
    FROM_CORRECTED,
    FROM_DRAWS,
    FROM_NOISY,
    FROM_UNCORRECTED,
    decision_table,
)
from pathway_sim.uncertainty.differences import (
    denoised,
    draw_means,
    noise_share,
    paired_differences,
)

BABIES = "baby_with_mother_at_12m_pct"  # higher is better, MID 1 percentage point
COST = "total_cost_per_woman"


def inner_table(effects: dict[str, np.ndarray], reps: int, noise_sd: float, seed: int = 1):
    """The base plus one scenario per entry of ``effects`` (its true difference in
    babies at 12 months in each draw), each replication with independent noise on top
    of a base level the scenarios share (common random numbers)."""
    rng = np.random.default_rng(seed)
    draws = len(next(iter(effects.values())))
    rows = []
    for d in range(draws):
        for r in range(reps):
            level = 80 + rng.normal(0, 5)
            rows.append({"draw": d, "scenario": "base", "replication": r, BABIES: level})
            for name, effect in effects.items():
                value = level + effect[d] + rng.normal(0, noise_sd)
                rows.append({"draw": d, "scenario": name, "replication": r, BABIES: value})
    return pd.DataFrame(rows)


def test_paired_differences_take_each_replication_against_the_base():
    inner = pd.DataFrame(
        {
            "draw": [0, 0, 0, 0, 1, 1, 1, 1],
            "scenario": ["base", "x", "base", "x"] * 2,
            "replication": [0, 0, 1, 1] * 2,
            BABIES: [80.0, 83.0, 70.0, 75.0, 60.0, 60.0, 90.0, 90.0],
        }
    )
    table = paired_differences(inner, "base")
    assert table["difference"].tolist() == [4.0, 0.0]  # (3 + 5) / 2, then (0 + 0) / 2
    assert table["noise_variance"].tolist() == [2.0 / 2, 0.0]  # var(3, 5) / 2 replications
    means = draw_means(inner)
    assert list(means.columns) == ["draw", "scenario", "replications", BABIES]
    assert means[BABIES].tolist() == [75.0, 79.0, 75.0, 75.0]


def test_noise_share_and_its_correction_recover_the_parameters_part():
    rng = np.random.default_rng(2)
    signal = rng.normal(0, 1, 4000)
    values = signal + rng.normal(0, 1, 4000)  # half the variance is noise
    share = noise_share(values, np.full(4000, 1.0))
    assert share == pytest.approx(0.5, abs=0.03)
    assert denoised(values, share).var() == pytest.approx(signal.var(), rel=0.06)
    assert math.isnan(noise_share(values, np.full(4000, np.nan)))
    assert noise_share(np.zeros(5), np.zeros(5)) == 0.0


def test_a_known_effect_beyond_the_mid_is_robustly_better_and_a_twin_gets_zero():
    """The verification pair: +3 points (three MIDs) in every draw, and a scenario
    identical to the base under another name."""
    effects = {"known": np.full(200, 3.0), "twin": np.zeros(200)}
    inner = inner_table(effects, reps=2, noise_sd=0.5)
    inner.loc[inner["scenario"] == "twin", BABIES] = inner.loc[
        inner["scenario"] == "base", BABIES
    ].to_numpy()
    table = decision_table(paired_differences(inner, "base")).set_index("scenario")
    assert list(table.reset_index().columns) == COLUMNS
    known, twin = table.loc["known"], table.loc["twin"]
    assert known["p_important_better"] >= 0.9 and known["verdict_robust"] == BETTER
    assert twin["p_important_better"] == 0 and twin["p_better"] == 0 and twin["p_worse"] == 0
    assert twin["verdict_robust"] == TOO_SMALL and twin["noise_share"] == 0


def test_probabilities_corrected_for_noise_match_the_parameters_alone():
    """True difference 1 + theta, theta ~ N(0, 1): P(better) = Phi(1) = 0.841 and
    P(better by the MID of 1) = 0.5. Noise of sd 2 per replication, two replications,
    is two thirds of the spread: read raw, P(better) would be Phi(1 / sqrt(3)) = 0.72."""
    rng = np.random.default_rng(5)
    draws = 2000
    inner = inner_table({"x": 1 + rng.normal(0, 1, draws)}, reps=2, noise_sd=2.0, seed=6)
    row = decision_table(paired_differences(inner, "base")).iloc[0]
    assert row["probabilities_from"] == FROM_CORRECTED
    assert row["noise_share"] == pytest.approx(2 / 3, abs=0.05)
    tolerance = 3 * math.sqrt(0.25 / draws) + 0.02  # binomial error, and the share's
    assert row["p_better"] == pytest.approx(norm.cdf(1), abs=tolerance)
    assert row["p_important_better"] == pytest.approx(0.5, abs=tolerance)
    assert row["verdict_robust"] == DEPENDS


def test_where_probabilities_come_from_is_said():
    one_rep = inner_table({"x": np.linspace(-1, 1, 50)}, reps=1, noise_sd=0.1)
    assert decision_table(paired_differences(one_rep, "base"))["probabilities_from"][0] == (
        FROM_UNCORRECTED
    )
    quiet = inner_table({"x": np.linspace(-1, 1, 50)}, reps=2, noise_sd=0.01)
    assert decision_table(paired_differences(quiet, "base"))["probabilities_from"][0] == FROM_DRAWS
    noisy = inner_table({"x": np.linspace(-0.1, 0.1, 50)}, reps=2, noise_sd=5)
    assert decision_table(paired_differences(noisy, "base"))["probabilities_from"][0] == FROM_NOISY


def test_direction_follows_the_kpi_lower_is_better_and_neither_has_none():
    inner = inner_table({"x": np.full(40, -10.0)}, reps=2, noise_sd=0.1)
    inner["overdoses_per_1000"] = inner[BABIES]
    inner["contacts_per_woman"] = inner[BABIES]
    table = decision_table(paired_differences(inner, "base")).set_index("kpi")
    assert table.loc[BABIES, "p_worse"] == 1 and table.loc["overdoses_per_1000", "p_better"] == 1
    assert math.isnan(table.loc["contacts_per_woman", "p_better"])
    assert table.loc["contacts_per_woman", "verdict_robust"] == "different"


def test_draws_csv_puts_parameters_between_the_keys_and_the_kpis():
    inner = inner_table({"x": np.zeros(3)}, reps=2, noise_sd=0.1)
    parameters = pd.DataFrame({"p": [1.0, 2.0, 3.0]}, index=pd.RangeIndex(3, name="draw"))
    table = draws_csv(parameters, inner)
    assert list(table.columns) == ["draw", "scenario", "replications", "p", BABIES]
    assert table["p"].tolist() == [1.0, 1.0, 2.0, 2.0, 3.0, 3.0]


def cost_effect_inner(cost: np.ndarray, babies: np.ndarray, reps: int = 2, noise: float = 0.0):
    """Base and option ``x`` with per-draw extra cost (GBP) and babies (per woman)."""
    rng = np.random.default_rng(9)
    rows = []
    for d in range(len(cost)):
        for r in range(reps):
            base = {"draw": d, "replication": r, COST: 5000.0, BABIES: 80.0}
            rows.append({**base, "scenario": "base"})
            extra_cost = cost[d] + rng.normal(0, noise * 100)
            extra = {COST: 5000 + extra_cost, BABIES: 80 + 100 * babies[d]}
            rows.append({**base, **extra, "scenario": "x"})
            rows.append({**base, **extra, "scenario": "x_again"})
    return pd.DataFrame(rows)


def test_ceac_gives_the_normal_probability_and_marks_the_frontier():
    """Extra cost 1,000 + 500 z, 0.05 more babies a woman: at GBP 20,000 per baby the net
    benefit is N(0, 500) and at 40,000 N(1,000, 500), so P(cost-effective) = 0.5 and
    Phi(2) = 0.977, shared with an identical option; at 0 the base is best with Phi(2)."""
    z = norm.ppf((np.arange(4000) + 0.5) / 4000)
    inc = increments(cost_effect_inner(1000 + 500 * z, np.full(4000, 0.05)), "base")
    table = ceac_table(inc, {BABIES: [0, 20_000, 40_000]}).set_index(
        ["willingness_to_pay_gbp", "scenario"]
    )
    assert table.loc[(0, "base"), "p_cost_effective"] == pytest.approx(norm.cdf(2), abs=0.01)
    assert table.loc[(0, "base"), "on_frontier"]
    assert table.loc[(20_000, "x"), "p_cost_effective"] == pytest.approx(0.25, abs=0.01)
    assert table.loc[(40_000, "x"), "p_cost_effective"] == pytest.approx(norm.cdf(2) / 2, abs=0.01)
    assert table.loc[(40_000, "x"), "expected_net_benefit_gbp"] == pytest.approx(1000, abs=1)
    assert (
        table.loc[(40_000, "x"), "on_frontier"] and not table.loc[(40_000, "base"), "on_frontier"]
    )
    assert set(table["outcome"]) == {"extra baby with her mother at 12 months"}


def test_ties_are_shared_and_a_table_without_costs_is_empty():
    assert best_shares(np.array([[0.0, 1.0, 1.0], [0.0, -1.0, -2.0]])).tolist() == [0.5, 0.25, 0.25]
    assert (
        increments(pd.DataFrame({"draw": [0], "scenario": ["base"], "replication": [0]}), "base")
        is None
    )
    assert ceac_table(None, {BABIES: [0]}).empty
