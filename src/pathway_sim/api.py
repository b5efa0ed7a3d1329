"""The notebook API: ``run``, ``compare``, ``run_experiment`` and ``run_sensitivity``,
mirroring the CLI.

Each takes what the matching command takes (scenario files or scenario objects,
``reps``, ``seed``, ``overrides`` as ``--set`` strings) and the run options, as
keywords (``out``, ``workers``, ``executor``, ``scheduler``, ``event_log``,
``event_log_format``, ``resume``, ``progress``, ``allow_large``: ``RunSettings``) or as
one ``RunOptions`` given as ``options=`` (keywords replace its fields), and returns its
tables as pandas DataFrames. Without ``out`` nothing is written. Everything is checked
before ``out`` is touched (``runs/preflight.py``): a run larger than the documented
limits is refused unless ``allow_large=True``, and ``out`` is locked while the run
writes it. Example::

    import pathway_sim as ps
    result = ps.run("scenarios/verification/mmc.yaml", reps=10, workers=2)
    result.summary
    ps.compare("a.yaml", "b.yaml", reps=30).table
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Unpack

import pandas as pd

from pathway_sim.core.errors import UsageError
from pathway_sim.experiments.run import (
    Comparison,
    ExperimentResult,
    choose_replications,
    compare_scenarios,
    run_scenarios,
)
from pathway_sim.experiments.run import (
    run_experiment as run_loaded_experiment,
)
from pathway_sim.experiments.spec import Experiment, load_experiment
from pathway_sim.inputs import library
from pathway_sim.inputs.loading import load_scenario, parse_override, scenario_sources, with_changes
from pathway_sim.models import Scenario
from pathway_sim.runs.options import RunOptions, RunSettings, run_options, split_settings
from pathway_sim.runs.precision import PrecisionGoal
from pathway_sim.runs.preflight import check_kpis, preflight, workload
from pathway_sim.sensitivity.spec import SensitivitySpec, load_sensitivity

if TYPE_CHECKING:
    from pathway_sim.sensitivity.run import SensitivityResult

ScenarioLike = str | Path | Scenario
"""A scenario file (or library name), or a scenario object (e.g. from ``load_scenario``)."""

Reps = int | Literal["auto"] | PrecisionGoal | None


@dataclass(frozen=True)
class RunResult:
    """One scenario's replications, summary and services tables (and, with
    ``reps="auto"``, the precision reached per KPI)."""

    scenario: Scenario
    replications: pd.DataFrame
    summary: pd.DataFrame
    services: pd.DataFrame
    precision: pd.DataFrame | None
    out: Path | None


def resolve(
    scenario: ScenarioLike,
    overrides: Sequence[str] = (),
    reps: int | None = None,
    seed: int | None = None,
) -> Scenario:
    """A validated scenario: a file (or library name) resolved with ``overrides``
    (``--set`` strings), then ``reps`` and ``seed``; or a scenario object with the same
    changes applied."""
    settings = {}
    if reps is not None:
        settings["--reps"] = ("run.replications", reps)
    if seed is not None:
        settings["--seed"] = ("run.seed", seed)
    if isinstance(scenario, (str, Path)):
        return load_scenario(library.resolve(scenario, "scenario"), overrides, settings)
    parsed = (parse_override(text) for text in overrides)
    changes = {".".join(path): value for path, value in parsed}
    changes.update(dict(settings.values()))
    return with_changes(scenario, changes, "overrides") if changes else scenario


def _files(*scenarios: ScenarioLike) -> list[Path]:
    """The input files of scenarios given as paths (and their ``extends`` chains)."""
    return [f for s in scenarios if isinstance(s, (str, Path)) for f in scenario_sources(s)]


def run(
    scenario: ScenarioLike,
    *,
    reps: Reps = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    options: RunOptions | None = None,
    **settings: Unpack[RunSettings],
) -> RunResult:
    """Run replications of one scenario, like ``pathway-sim run``.

    ``reps`` is a number, ``"auto"`` (Hoad et al. 2010: enough replications for a 95%
    interval within 5% of the mean for every KPI) or a ``PrecisionGoal`` naming the
    target, KPIs and maximum. ``workers``/``executor``/``scheduler`` choose where the
    replications run (the results are the same to the byte); ``resume`` reuses the
    finished replications stored in ``out``. ``event_log_format`` is ``"parquet"`` (the
    default) or ``"csv.gz"``, as ``--event-log-format``.
    """
    chosen = run_options(options, **settings)
    goal = PrecisionGoal() if reps == "auto" else reps if isinstance(reps, PrecisionGoal) else None
    resolved = resolve(scenario, overrides, reps if isinstance(reps, int) else None, seed)
    if goal is not None and goal.kpis:
        check_kpis(resolved, goal.kpis, "--kpis")
    planned = goal.max_reps if goal else resolved.run.replications
    precision = None
    with preflight(chosen, _files(scenario), workload([resolved], [planned])):
        if goal is not None:
            ran, precision = choose_replications(resolved, goal, chosen)
        else:
            (ran,) = run_scenarios([resolved], [chosen.out], chosen)
    return RunResult(ran.scenario, ran.replications, ran.summary, ran.services, precision, ran.out)


def compare(
    base: ScenarioLike,
    *others: ScenarioLike,
    reps: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    correction: str = "none",
    options: RunOptions | None = None,
    **settings: Unpack[RunSettings],
) -> Comparison:
    """Run the base and each other scenario on common random numbers, like
    ``pathway-sim compare``; ``.table`` is ``comparison.csv`` (paired differences
    from the base, Bonferroni-corrected if ``correction="bonferroni"``), ``.runs``
    each scenario's run and ``.replications`` all their replications.

    Every scenario runs with the base's seed and replications unless ``seed`` and
    ``reps`` are given; ``overrides`` apply to every scenario; the run options as for
    ``run``.
    """
    chosen = run_options(options, **settings)
    scenarios = [resolve(s, overrides, reps, seed) for s in (base, *others)]
    each = [scenarios[0].run.replications] * len(scenarios)  # the base's, for every scenario
    with preflight(chosen, _files(base, *others), workload(scenarios, each)):
        comparison = compare_scenarios(scenarios, chosen, correction=correction)
        _write_workbook(comparison)
    return comparison


def _write_workbook(comparison: Comparison) -> None:
    """``report.xlsx`` beside ``comparison.csv`` (openpyxl is imported only here)."""
    if comparison.out is None:
        return
    from pathway_sim.reporting.xlsx import write_workbook

    write_workbook(
        comparison.out, comparison.table, comparison.scorecard, comparison.cost_effectiveness
    )


def run_experiment(
    experiment: str | Path | Experiment,
    *,
    reps: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    options: RunOptions | None = None,
    **settings: Unpack[RunSettings],
) -> ExperimentResult:
    """Run an experiment file, like ``pathway-sim experiment``; ``.table`` is the tidy
    ``experiment.csv``, ``.effects`` the factorial effects (None for a plain list)
    and ``.comparison`` the comparison with the base. ``event_log`` keeps each
    scenario's event log (the report's week-by-week figures need it). ``reps``,
    ``seed`` and ``overrides`` (``--set`` strings) change every scenario, e.g. a smaller
    cohort for a quick look; the run options as for ``run``."""
    chosen = run_options(options, **settings)
    if isinstance(experiment, Experiment):
        loaded = experiment
    else:
        loaded = load_experiment(experiment, allow_large=chosen.allow_large)
    if reps is not None or seed is not None or overrides:
        scenarios = [resolve(s, overrides, reps, seed) for s in loaded.scenarios]
        loaded = replace(loaded, scenarios=scenarios)
    each = [loaded.scenarios[0].run.replications] * len(loaded.scenarios)
    with preflight(chosen, loaded.sources, workload(loaded.scenarios, each)):
        result = run_loaded_experiment(loaded, chosen)
        _write_workbook(result.comparison)
    return result


def run_sensitivity(
    sensitivity: str | Path | SensitivitySpec,
    *,
    options: RunOptions | None = None,
    **settings: object,
) -> SensitivityResult:
    """Run a sensitivity file, like ``pathway-sim sensitivity``. ``settings`` are run
    options as for ``run`` (the points keep no event log) or fields of the file, which
    they replace (``samples=4``, ``replications=1``, ``parameters=[...]``). Returns
    ``.indices`` (``param, kpi, method, index, value, conf``), ``.samples`` (one row per
    point: values run and KPI means), ``.tornado`` and, for ``lhs``, ``.uncertainty``;
    with ``out`` it also writes them, the figures and the manifest."""
    chosen, changes = split_settings(options, settings)
    if chosen.event_log:
        raise UsageError("run_sensitivity: the sample points keep no event log (event_log)")
    if isinstance(sensitivity, SensitivitySpec):
        if changes:
            raise TypeError("changes go with a file path: load_sensitivity(path, **changes)")
        spec = sensitivity
    else:
        spec = load_sensitivity(sensitivity, **changes)
    check_kpis(spec.base, spec.file.kpis, f"{spec.file.name}: kpis")
    from pathway_sim.reporting.sensitivity_plots import save_figures  # matplotlib is slow to import
    from pathway_sim.sensitivity.run import run_sensitivity as run_loaded_sensitivity  # SALib too

    with preflight(chosen, spec.sources, spec.workload()):
        return run_loaded_sensitivity(spec, chosen, figures=save_figures)
