"""Small, fast pathway scenarios for tests, and paired comparisons over replications."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats

from pathway_sim.inputs.loading import load_scenario
from pathway_sim.runs.runner import replications_table, run_replication

from .conftest import SCENARIOS

BASE = SCENARIOS / "base.yaml"
SMALL = ["population.women_per_year=60", "population.cohort_days=180", "run.warmup_days=90"]


def small(*changes: str):
    """The base scenario at a smaller size (about 30 counted women per replication)."""
    return load_scenario(BASE, [*SMALL, *changes])


def kpi_values(scenario, kpi: str, reps: int, seed: int = 11) -> np.ndarray:
    results = [run_replication(scenario, seed, i) for i in range(reps)]
    return replications_table(scenario.name, results)[kpi].to_numpy(dtype=float)


def paired_difference(a: Sequence[float], b: Sequence[float], confidence: float = 0.99):
    """Mean of b - a and its two-sided t-interval over paired replications."""
    d = np.asarray(b, float) - np.asarray(a, float)
    half = stats.t.ppf(0.5 + confidence / 2, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    return d.mean(), d.mean() - half, d.mean() + half
