"""The sampler: marginals as declared, groups drawn together, reproducible, applied as --set."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pathway_sim.core.errors import ScenarioError
from pathway_sim.core.marginals import Marginal
from pathway_sim.inputs.loading import load_scenario
from pathway_sim.uncertainty.computed import COMPUTATIONS
from pathway_sim.uncertainty.sample import (
    apply_draw,
    draw_scenarios,
    draw_seed,
    draw_table,
    parameter_draws,
    unit_uniforms,
)
from pathway_sim.uncertainty.spec import Uncertain, load_uncertainty

from .conftest import ROOT, SCENARIOS

DEFAULT = ROOT / "experiments" / "uncertainty_default.yaml"


def uncertain(name: str, kind: str, low: float, mode: float, high: float, group: str = ""):
    return Uncertain(name, Marginal(kind, low, mode, high), group, False, "", "file")


MARGINALS = [
    uncertain("a", "pert", 1.0, 1.5, 3.0),
    uncertain("b", "uniform", 0.0, 0.5, 1.0),
    uncertain("c", "lognormal", 1.01, 1.55, 2.39),
    uncertain("d", "beta", 0.30, 0.40, 0.52),
    uncertain("e", "pert", 0.0, 0.0, 0.01),  # mode at the low end
]


@pytest.mark.parametrize("sampler", ["lhs", "sobol"])
def test_each_parameter_follows_its_distribution(sampler):
    """Kolmogorov-Smirnov against each declared distribution, fixed seed, 256 draws.

    A Latin hypercube or a scrambled Sobol sequence covers each margin evenly, so the
    statistic is far below the 1% critical value; a wrong inverse would be far above it."""
    table = parameter_draws(MARGINALS, [], {}, 256, sampler, seed=3)
    for p in MARGINALS:
        result = stats.kstest(table[p.name], p.marginal.frozen().cdf)
        assert result.pvalue > 0.5, (p.name, result)
    wrong = stats.kstest(table["a"], Marginal("pert", 1.0, 2.5, 3.0).frozen().cdf)
    assert wrong.pvalue < 0.01


def test_the_same_seed_gives_the_same_draws_and_another_seed_others():
    first = parameter_draws(MARGINALS, [], {}, 64, "lhs", seed=1)
    pd.testing.assert_frame_equal(first, parameter_draws(MARGINALS, [], {}, 64, "lhs", seed=1))
    assert not np.allclose(first, parameter_draws(MARGINALS, [], {}, 64, "lhs", seed=2))


def test_adding_a_parameter_leaves_the_others_draws_unchanged():
    """Latin-hypercube columns come from streams keyed by name, not by position."""
    fewer = parameter_draws(MARGINALS[1:], [], {}, 32, "lhs", seed=1)
    more = parameter_draws(MARGINALS, [], {}, 32, "lhs", seed=1)
    pd.testing.assert_frame_equal(fewer, more[fewer.columns])


def test_a_group_shares_one_quantile_in_every_draw():
    group = [
        uncertain("x", "pert", 1.0, 2.0, 3.0, group="g"),
        uncertain("y", "lognormal", 1.0, 2.0, 4.0, group="g"),
        uncertain("z", "uniform", 0.0, 0.5, 1.0),
    ]
    table = parameter_draws(group, [], {}, 100, "lhs", seed=1)
    assert stats.spearmanr(table["x"], table["y"]).statistic == pytest.approx(1.0)
    assert abs(stats.spearmanr(table["x"], table["z"]).statistic) < 0.3
    assert unit_uniforms(["a", "b"], 10, "lhs", 1).shape == (10, 2)


def test_integers_are_rounded_and_computed_values_worked_out():
    counts = Uncertain("n", Marginal("pert", 2.0, 3.0, 5.0), "", True, "contacts", "file")
    rates = [
        uncertain("harms.overdose_per_100k_days_pregnant", "pert", 2.5, 3.3, 4.5, "rates"),
        uncertain("harms.overdose_per_100k_days_late_postpartum", "pert", 8, 12.3, 16, "rates"),
    ]
    early = "harms.overdose_per_100k_days_early_postpartum"
    table = parameter_draws([counts, *rates], [early], {}, 50, "lhs", seed=1)
    assert table["n"].dtype.kind == "i" and set(table["n"]) <= {2, 3, 4, 5}
    midpoint = (table[rates[0].name] + table[rates[1].name]) / 2
    np.testing.assert_allclose(table[early], midpoint)


def test_a_computed_row_reproduces_its_register_default():
    from pathway_sim.inputs.register import COMPUTED, load_register

    register = load_register()
    computed = [p for p in register.values() if p.distribution == COMPUTED]
    assert sorted(p.name for p in computed) == sorted(COMPUTATIONS)
    for p in computed:
        rule = COMPUTATIONS[p.name]
        assert all(register[s].group == p.group for s in rule.sources)
        assert rule({s: register[s].default for s in rule.sources}) == pytest.approx(p.default)


def test_the_default_file_s_draws_are_valid_scenarios_for_every_option():
    """Every draw of every register distribution passes the scenario schema, for all five."""
    spec = load_uncertainty(DEFAULT, draws=12)
    table = draw_table(spec)
    assert list(table.columns) == spec.names and len(table) == 12
    pd.testing.assert_frame_equal(table, draw_table(load_uncertainty(DEFAULT, draws=12)))
    for draw, values in table.iterrows():
        scenarios = draw_scenarios(spec, int(draw), values.to_dict())
        assert [s.name for s in scenarios] == [s.name for s in spec.scenarios]


def test_applying_a_draw_keeps_what_a_scenario_sets_itself():
    base = load_scenario(SCENARIOS / "base.yaml")
    whole = load_scenario(SCENARIOS / "interventions" / "whole_system.yaml")
    values = {
        "services.peer_advocacy.uptake_probability": 0.35,  # whole system sets 0.7
        "attendance.hub_odds_ratio": 2.5,
        "engagement.misses_to_disengage": 4.0,
    }
    drawn = apply_draw(whole, values, base, "draw 0")
    assert drawn.services.peer_advocacy.uptake_probability == 0.7
    assert drawn.attendance.hub_odds_ratio == 2.5
    assert drawn.engagement.misses_to_disengage == 4 and isinstance(
        drawn.engagement.misses_to_disengage, int
    )
    assert (
        apply_draw(base, values, base, "draw 0").services.peer_advocacy.uptake_probability == 0.35
    )


def test_a_value_the_schema_refuses_names_the_draw():
    base = load_scenario(SCENARIOS / "base.yaml")
    with pytest.raises(
        ScenarioError, match=r"draw 7: services\.midwifery\.attendance_probability: expected less"
    ):
        apply_draw(base, {"services.midwifery.attendance_probability": 1.5}, base, "draw 7")


def test_each_draw_has_its_own_replication_seed():
    seeds = [draw_seed(1, d) for d in range(50)]
    assert len(set(seeds)) == 50 and seeds == [draw_seed(1, d) for d in range(50)]
    assert draw_seed(2, 0) != seeds[0]
