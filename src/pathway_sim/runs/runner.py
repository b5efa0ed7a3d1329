"""Replications: the small contract every executor, the replications algorithm and SALib call."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import pandas as pd

from pathway_sim.core.randomness import Streams
from pathway_sim.models import Scenario, model_of
from pathway_sim.models.results import ReplicationResult
from pathway_sim.runs import layout


def run_replication(
    scenario: Scenario, seed: int, index: int, event_log: bool = False
) -> ReplicationResult:
    """Run replication ``index`` of ``scenario`` from root seed ``seed``.

    The result depends on these three arguments alone (and ``event_log`` only
    adds the log), whichever process or machine runs it.
    """
    streams = Streams(seed, index)
    with collector_paused():
        return model_of(scenario).simulate(scenario, streams, event_log)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run without the cyclic garbage collector, then restore it.

    A replication allocates hundreds of thousands of simpy events and generators
    while holding many alive. The collector's passes over them took 10-15% of a
    replication's time, more for larger cohorts, yet freed nothing that reference
    counting does not: only the final state (processes still pending, which refer
    to the environment) is a cycle, freed by the first collection afterwards. Peak
    memory is the same either way, and collection never changes results.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def replications_table(scenario_name: str, results: Iterable[ReplicationResult]) -> pd.DataFrame:
    """``replications.csv``: one row per replication, ordered by replication index."""
    rows = [
        {
            "scenario": scenario_name,
            "replication": r.replication,
            "seed": r.seed,
            "women": r.women,
            **r.kpis,
        }
        for r in sorted(results, key=lambda r: r.replication)
    ]
    return pd.DataFrame(rows)


def services_table(scenario_name: str, results: Iterable[ReplicationResult]) -> pd.DataFrame:
    """``services.csv``: one row per replication and service."""
    rows = [
        {"scenario": scenario_name, "replication": r.replication, **service}
        for r in sorted(results, key=lambda r: r.replication)
        for service in r.services
    ]
    return pd.DataFrame(rows)


def women_table(scenario_name: str, results: Iterable[ReplicationResult]) -> pd.DataFrame:
    """``women.csv``: one row per woman counted, for subgroup analysis."""
    return _rows_table(scenario_name, results, "woman_rows")


def weekly_tables(
    scenario_name: str, results: Iterable[ReplicationResult]
) -> dict[str, pd.DataFrame]:
    """``engagement_weekly.csv`` and ``burden_weekly.csv`` by file name: each replication's
    weekly counts (with the event log; empty tables without it)."""
    results = list(results)
    return {
        layout.ENGAGEMENT_WEEKLY: _rows_table(scenario_name, results, "engagement_weeks"),
        layout.BURDEN_WEEKLY: _rows_table(scenario_name, results, "burden_weeks"),
    }


def _rows_table(
    scenario_name: str, results: Iterable[ReplicationResult], field: str
) -> pd.DataFrame:
    """One row per entry of each replication's ``field`` list, identified by scenario and
    replication, in replication order."""
    rows = [
        {"scenario": scenario_name, "replication": r.replication, **row}
        for r in sorted(results, key=lambda r: r.replication)
        for row in getattr(r, field)
    ]
    return pd.DataFrame(rows)
