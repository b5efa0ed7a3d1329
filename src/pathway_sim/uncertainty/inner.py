"""The inner loop, run in this process: every scenario of a draw on the same replications.

The small contract is ``run_draw``: one draw's scenarios, one seed, ``R`` replications
each, so the scenarios' differences are paired within the draw. ``run_serially`` runs
every draw one after another, for tests and small files; large runs go through the
executors (``runs/``), which call the same ``run_replication``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from pathway_sim.models import Scenario
from pathway_sim.runs.runner import run_replication
from pathway_sim.uncertainty.differences import DRAW, REPLICATION, SCENARIO
from pathway_sim.uncertainty.sample import draw_scenarios, draw_seed
from pathway_sim.uncertainty.spec import UncertaintySpec


def run_draw(scenarios: Sequence[Scenario], seed: int, replications: int) -> pd.DataFrame:
    """``scenario, replication``, then each KPI, for every scenario and replication."""
    rows = [
        {SCENARIO: s.name, REPLICATION: i, **run_replication(s, seed, i).kpis}
        for s in scenarios
        for i in range(replications)
    ]
    return pd.DataFrame(rows)


def run_serially(spec: UncertaintySpec, parameters: pd.DataFrame) -> pd.DataFrame:
    """The inner results of every draw of ``parameters``: ``draw, scenario, replication``,
    then each KPI."""
    parts = []
    for draw, values in zip(parameters.index, parameters.to_dict("records")):
        scenarios = draw_scenarios(spec, int(draw), {str(k): v for k, v in values.items()})
        results = run_draw(scenarios, draw_seed(spec.file.seed, int(draw)), spec.file.replications)
        results.insert(0, DRAW, int(draw))
        parts.append(results)
    return pd.concat(parts, ignore_index=True)
