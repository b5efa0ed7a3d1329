"""End to end on the verification queue: draws, paired inner runs, verdicts.

One more post at a busy M/M/c clinic cuts the mean wait by far more than its minimal
important difference (0.1 days) whatever the arrival rate and contact length drawn;
a scenario identical to the base under another name differs by exactly nothing.
"""

from __future__ import annotations

import pandas as pd

from pathway_sim.core.verdicts import BETTER, TOO_SMALL
from pathway_sim.uncertainty.analysis import analyse, question
from pathway_sim.uncertainty.inner import run_serially
from pathway_sim.uncertainty.sample import draw_table
from pathway_sim.uncertainty.spec import load_uncertainty

from .conftest import MMC, mmc_variant, write


def verification_pair(tmp_path):
    staffed = mmc_variant(tmp_path, "more_staff", "services: {clinic: {staff: 4}}\n")
    twin = mmc_variant(tmp_path, "twin")
    return write(
        tmp_path / "pair.yaml",
        f"name: pair\nbase: {MMC}\nscenarios: [{staffed}, {twin}]\n"
        "draws: 16\nreplications: 2\nseed: 3\n"
        "set: {run.horizon_days: 400, run.warmup_days: 50}\n"
        "distributions:\n"
        "  arrivals.rate_per_day: {distribution: pert, low: 3.6, high: 4.2}\n"
        "  services.clinic.duration_days.mean: {distribution: pert, low: 0.55, high: 0.65}\n",
    )


def test_a_known_effect_is_robust_and_a_twin_is_nothing(tmp_path):
    spec = load_uncertainty(verification_pair(tmp_path))
    parameters = draw_table(spec)
    inner = run_serially(spec, parameters)
    tables = analyse(parameters, inner, question(spec))
    wait = tables["decision"].set_index(["scenario", "kpi"])
    staffed, twin = wait.loc[("more_staff", "wait_mean_days")], wait.loc[("twin", "wait_mean_days")]
    assert staffed["p_important_better"] >= 0.9 and staffed["verdict_robust"] == BETTER
    assert twin["p_important_better"] == 0 and twin["p_important_worse"] == 0
    assert twin["verdict_robust"] == TOO_SMALL
    draws = tables["draws"]
    assert list(draws.columns[:5]) == [
        "draw", "scenario", "replications", "arrivals.rate_per_day",
        "services.clinic.duration_days.mean",
    ]  # fmt: skip
    assert len(draws) == 16 * 3 and set(draws["replications"]) == {2}
    assert tables["ceac"].empty and tables["evpi"].empty  # a queue has no costs
    pd.testing.assert_frame_equal(inner, run_serially(spec, parameters))  # same seed, same runs
