"""Value of information against closed forms: a linear-Gaussian decision model.

Two options, the base and ``x``. Three parameters, independent standard normals: ``a``
and ``b`` move x's extra cost and extra babies, ``c`` nothing. At willingness to pay
``WTP`` the incremental net benefit is ``MU + B_A a + B_B b``, normal, and for a normal
``X``, E[max(X, 0)] = mu Phi(mu / sd) + sd phi(mu / sd). So the EVPPI of ``a`` is
E[max(MU + B_A a, 0)] - max(MU, 0), of the group (a, b) and the EVPI the same with sd
``hypot(B_A, B_B)``, and of ``c`` zero. The estimates must match within their own
standard errors, with and without inner-loop noise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from pathway_sim.uncertainty.analysis import Question, evpi_table, evppi_table
from pathway_sim.uncertainty.ceac import increments
from pathway_sim.uncertainty.smoothers import ranks, smooth
from pathway_sim.uncertainty.voi import evpi, evppi, population

BABIES = "baby_with_mother_at_12m_pct"
WTP = 20_000.0
GAIN = (0.02, 0.01, 0.005)  # extra babies per woman: constant, per unit of a, of b
COST = (300.0, 300.0, -200.0)  # extra GBP per woman: constant, per unit of a, of b
MU = WTP * GAIN[0] - COST[0]
B_A = WTP * GAIN[1] - COST[1]
B_B = WTP * GAIN[2] - COST[2]


def gain_of_perfect_information(sd: float) -> float:
    """E[max(MU + sd Z, 0)] - max(MU, 0) for a standard normal Z."""
    return MU * norm.cdf(MU / sd) + sd * norm.pdf(MU / sd) - max(MU, 0.0)


TRUE = {
    "a": gain_of_perfect_information(abs(B_A)),
    "b": gain_of_perfect_information(abs(B_B)),
    "c": 0.0,
    "a and b": gain_of_perfect_information(float(np.hypot(B_A, B_B))),
}


def model(draws: int, noise: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parameter draws and inner results (two replications) of the decision model; the
    noise has sd ``noise`` x 300 GBP and ``noise`` babies per 100 women per replication."""
    rng = np.random.default_rng(seed)
    theta = rng.standard_normal((draws, 3))
    gain = GAIN[0] + GAIN[1] * theta[:, 0] + GAIN[2] * theta[:, 1]
    cost = COST[0] + COST[1] * theta[:, 0] + COST[2] * theta[:, 1]
    rows = []
    for d in range(draws):
        for r in range(2):
            base_cost, base_pct = 5000 + rng.normal(0, 100), 80 + rng.normal(0, 2)
            rows.append((d, "base", r, base_cost, base_pct))
            x_cost = base_cost + cost[d] + rng.normal(0, noise * 300)
            x_pct = base_pct + 100 * gain[d] + rng.normal(0, noise)
            rows.append((d, "x", r, x_cost, x_pct))
    columns = ["draw", "scenario", "replication", "total_cost_per_woman", BABIES]
    parameters = pd.DataFrame(theta, columns=["a", "b", "c"]).rename_axis("draw")
    return parameters, pd.DataFrame(rows, columns=columns)


QUESTION = Question(
    "base", {"all": ("base", "x")}, {BABIES: [WTP]}, {"a and b": ("a", "b")}, 1.0, 1
)


@pytest.fixture(scope="module", params=[0.0, 1.0], ids=["no noise", "noise"])
def estimates(request):
    """EVPI and EVPPI tables of 500 draws of the model, without and with inner noise."""
    parameters, inner = model(500, request.param, seed=2)
    inc = increments(inner, "base")
    return inc, evpi_table(inc, QUESTION).iloc[0], evppi_table(parameters, inc, QUESTION)


def test_evpi_matches_its_closed_form_within_its_own_error(estimates):
    _, value, _ = estimates
    assert abs(value["evpi_gbp_per_woman"] - TRUE["a and b"]) <= 3 * value["evpi_se"]


def test_evppi_matches_its_closed_form_within_its_own_error(estimates):
    _, _, evppi_rows = estimates
    table = evppi_rows.set_index("parameter")
    assert table.loc["a and b", "smoother"] == "gaussian process"
    assert table.loc["a", "smoother"] == "spline"
    for name, truth in TRUE.items():
        estimate, se = table.loc[name, ["evppi_gbp_per_woman", "evppi_se"]]
        assert abs(estimate - truth) <= 3 * se + 0.5, (name, estimate, se, truth)
    assert table.loc["b", "evppi_gbp_per_woman"] > 5 * table.loc["a", "evppi_gbp_per_woman"]


def test_the_check_can_fail_a_wrong_estimator(estimates):
    """EVPPI read off the raw draws (no regression) is the EVPI, far above a's truth."""
    inc, _, evppi_rows = estimates
    raw = np.column_stack([np.zeros(500), *inc.net_benefit(BABIES, WTP)[0].T])
    se = evppi_rows.set_index("parameter").loc["a", "evppi_se"]
    assert abs(float(evppi(raw)) - TRUE["a"]) > 3 * se


def test_evpi_is_zero_when_one_option_is_best_in_every_draw():
    nb = np.column_stack([np.zeros(100), np.linspace(1, 2, 100)])
    assert evpi(nb) == (0.0, 0.0)


def test_smoothers_recover_a_known_conditional_mean():
    rng = np.random.default_rng(4)
    x = rng.uniform(0, 1, 600)
    truth = np.sin(2 * np.pi * x)
    y = truth + rng.normal(0, 0.3, 600)
    fit = smooth(x, y)
    assert fit.method == "spline" and np.abs(fit.fitted[:, 0] - truth).mean() < 0.06
    steps = rng.integers(0, 4, 600).astype(float)
    means = smooth(steps, steps**2 + rng.normal(0, 0.1, 600))
    assert means.method == "means"
    assert np.abs(means.fitted[:, 0] - steps**2).max() < 0.05
    assert ranks(np.array([3.0, 1.0, 2.0])).tolist() == pytest.approx([5 / 6, 1 / 6, 1 / 2])


def test_posterior_draws_spread_as_the_fit_is_uncertain():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, 400)
    y = np.column_stack([x + rng.normal(0, 0.5, 400), x + rng.normal(0, 0.05, 400)])
    sampled = smooth(x, y).posterior(200, np.random.default_rng(2))
    assert sampled.shape == (200, 400, 2)
    spread = sampled.std(axis=0).mean(axis=0)
    assert spread[0] > 5 * spread[1]


def test_population_discounts_each_later_cohort():
    assert population(100, 1, 0.035) == 100
    assert population(100, 3, 0.035) == pytest.approx(100 * (1 + 1 / 1.035 + 1 / 1.035**2))
