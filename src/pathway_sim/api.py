"""The notebook API: ``run``, ``compare``, ``run_experiment`` and ``run_sensitivity``,
mirroring the CLI.

Each takes what the matching command takes (scenario files or scenario objects,
``reps``, ``seed``, ``overrides`` as ``--set`` strings, ``out``, ``workers``,
``executor``, ``scheduler``, ``resume``, ``allow_large``) and returns its tables as
pandas DataFrames. Without ``out`` nothing is written. Everything is checked before
``out`` is touched (``runs/preflight.py``): a run larger than the documented limits
is refused unless ``allow_large=True``, and ``out`` is locked while the run writes it.
Example::

    import pathway_sim as ps
    result = ps.run("scenarios/verification/mmc.yaml", reps=10, workers=2)
    result.summary
    ps.compare("a.yaml", "b.yaml", reps=30).table
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

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
from pathway_sim.inputs.loading import (
    _parse_override,
    load_scenario,
    scenario_sources,
    with_changes,
)
from pathway_sim.models import Scenario
from pathway_sim.runs import formats
from pathway_sim.runs.executors import ExecutorSpec, choose_executor
from pathway_sim.runs.lock import locked
from pathway_sim.runs.precision import PrecisionGoal
from pathway_sim.runs.preflight import (
    Workload,
    check_inputs_outside,
    check_kpis,
    check_out,
    check_scheduler,
    check_workload,
    entities_per_replication,
    workload,
)
from pathway_sim.sensitivity.spec import SensitivitySpec, load_sensitivity

if TYPE_CHECKING:
    from pathway_sim.sensitivity.run import SensitivityResult

ScenarioLike = str | Path | Any
"""A scenario file, or a scenario object (e.g. from ``load_scenario``)."""

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
) -> Any:
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
    parsed = (_parse_override(text) for text in overrides)
    changes = {".".join(path): value for path, value in parsed}
    changes.update(dict(settings.values()))
    return with_changes(scenario, changes, "overrides") if changes else scenario


def executor_spec(
    workers: int | None = None, executor: str | None = None, scheduler: str | None = None
) -> ExecutorSpec:
    """The executor the CLI options ask for (see ``executors.choose_executor``)."""
    return choose_executor(executor, workers, scheduler)


def preflight(
    out: Path | None,
    sources: Sequence[Path],
    spec: ExecutorSpec,
    scenarios: Sequence[Any],
    reps: Sequence[int],
    allow_large: bool,
) -> None:
    """Everything checked before ``out`` is touched: the directory (and that it holds
    none of the inputs), the scheduler's address and the size of the work."""
    if out is not None:
        check_out(out)
        check_inputs_outside(out, sources)
    check_workload(workload(scenarios, reps), allow_large)
    check_scheduler(spec.scheduler)


def _files(*scenarios: ScenarioLike) -> list[Path]:
    """The input files of scenarios given as paths (and their ``extends`` chains)."""
    return [f for s in scenarios if isinstance(s, (str, Path)) for f in scenario_sources(s)]


def run(
    scenario: ScenarioLike,
    *,
    reps: Reps = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    out: str | Path | None = None,
    event_log: bool = False,
    event_log_format: str | None = None,
    workers: int | None = None,
    executor: str | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = False,
    allow_large: bool = False,
) -> RunResult:
    """Run replications of one scenario, like ``pathway-sim run``.

    ``reps`` is a number, ``"auto"`` (Hoad et al. 2010: enough replications for a 95%
    interval within 5% of the mean for every KPI) or a ``PrecisionGoal`` naming the
    target, KPIs and maximum. ``workers``/``executor``/``scheduler`` choose where the
    replications run (the results are the same to the byte); ``resume`` reuses the
    finished replications stored in ``out``. ``event_log_format`` is ``"parquet"`` (the
    default) or ``"csv.gz"``, as ``--event-log-format``.
    """
    spec = executor_spec(workers, executor, scheduler)
    goal = PrecisionGoal() if reps == "auto" else reps if isinstance(reps, PrecisionGoal) else None
    resolved = resolve(scenario, overrides, None if goal else reps, seed)
    if goal is not None and goal.kpis:
        check_kpis(resolved, goal.kpis, "--kpis")
    where = _path(out)
    planned = goal.max_reps if goal else resolved.run.replications
    preflight(where, _files(scenario), spec, [resolved], [planned], allow_large)
    options = {"event_log": event_log, "resume": resume, "progress": progress}
    precision = None
    with formats.event_log_format(event_log_format), locked(where):
        if goal is not None:
            ran, precision = choose_replications(resolved, where, goal, spec, **options)
        else:
            (ran,) = run_scenarios([resolved], [where], spec, **options)
    return RunResult(ran.scenario, ran.replications, ran.summary, ran.services, precision, ran.out)


def _path(out: str | Path | None) -> Path | None:
    """``out`` as a path; an empty string would mean the working directory: refused."""
    if isinstance(out, str) and not out.strip():
        raise UsageError("out: expected a directory name, got an empty one")
    return Path(out) if out is not None else None


def compare(
    base: ScenarioLike,
    *others: ScenarioLike,
    reps: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    out: str | Path | None = None,
    correction: str = "none",
    event_log: bool = False,
    event_log_format: str | None = None,
    workers: int | None = None,
    executor: str | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = False,
    allow_large: bool = False,
) -> Comparison:
    """Run the base and each other scenario on common random numbers, like
    ``pathway-sim compare``; ``.table`` is ``comparison.csv`` (paired differences
    from the base, Bonferroni-corrected if ``correction="bonferroni"``), ``.runs``
    each scenario's run and ``.replications`` all their replications.

    Every scenario runs with the base's seed and replications unless ``seed`` and
    ``reps`` are given; ``overrides`` apply to every scenario; ``event_log_format`` as
    for ``run``.
    """
    spec = executor_spec(workers, executor, scheduler)
    scenarios = [resolve(s, overrides, reps, seed) for s in (base, *others)]
    where = _path(out)
    each = [scenarios[0].run.replications] * len(scenarios)  # the base's, for every scenario
    preflight(where, _files(base, *others), spec, scenarios, each, allow_large)
    with formats.event_log_format(event_log_format), locked(where):
        comparison = compare_scenarios(
            scenarios, where, spec, correction=correction,
            event_log=event_log, resume=resume, progress=progress,
        )  # fmt: skip
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
    out: str | Path | None = None,
    event_log: bool = False,
    event_log_format: str | None = None,
    workers: int | None = None,
    executor: str | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = False,
    allow_large: bool = False,
) -> ExperimentResult:
    """Run an experiment file, like ``pathway-sim experiment``; ``.table`` is the tidy
    ``experiment.csv``, ``.effects`` the factorial effects (None for a plain list)
    and ``.comparison`` the comparison with the base. ``event_log`` keeps each
    scenario's event log, ``events.parquet`` (or ``.csv.gz`` with ``event_log_format="csv.gz"``;
    the report's week-by-week figures need it). ``reps``,
    ``seed`` and ``overrides`` (``--set`` strings) change every scenario, e.g. a smaller
    cohort for a quick look."""
    if isinstance(experiment, Experiment):
        loaded = experiment
    else:
        loaded = load_experiment(experiment, allow_large=allow_large)
    if reps is not None or seed is not None or overrides:
        scenarios = [resolve(s, overrides, reps, seed) for s in loaded.scenarios]
        loaded = replace(loaded, scenarios=scenarios)
    spec = executor_spec(workers, executor, scheduler)
    where = _path(out)
    each = [loaded.scenarios[0].run.replications] * len(loaded.scenarios)
    preflight(where, loaded.sources, spec, loaded.scenarios, each, allow_large)
    with formats.event_log_format(event_log_format), locked(where):
        result = run_loaded_experiment(
            loaded, where, spec, event_log=event_log, resume=resume, progress=progress
        )
        _write_workbook(result.comparison)
    return result


def run_sensitivity(
    sensitivity: str | Path | SensitivitySpec,
    *,
    out: str | Path | None = None,
    workers: int | None = None,
    executor: str | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = False,
    allow_large: bool = False,
    **changes: Any,
) -> SensitivityResult:
    """Run a sensitivity file, like ``pathway-sim sensitivity``; ``changes`` replace the
    file's fields (``samples=4``, ``replications=1``, ``parameters=[...]``). Returns
    ``.indices`` (``param, kpi, method, index, value, conf``), ``.samples`` (one row per
    point: values run and KPI means), ``.tornado`` and, for ``lhs``, ``.uncertainty``;
    with ``out`` it also writes them, the figures and the manifest."""
    if isinstance(sensitivity, SensitivitySpec):
        if changes:
            raise TypeError("changes go with a file path: load_sensitivity(path, **changes)")
        spec = sensitivity
    else:
        spec = load_sensitivity(sensitivity, **changes)
    where = _path(out)
    execution = executor_spec(workers, executor, scheduler)
    if where is not None:
        check_out(where)
        check_inputs_outside(where, spec.sources)
    check_kpis(spec.base, spec.file.kpis, f"{spec.file.name}: kpis")
    check_workload(_sensitivity_workload(spec), allow_large)
    check_scheduler(execution.scheduler)
    from pathway_sim.reporting.sensitivity_plots import save_figures  # matplotlib is slow to import
    from pathway_sim.sensitivity.run import run_sensitivity as run_loaded_sensitivity  # SALib too

    with locked(where):
        return run_loaded_sensitivity(
            spec, where, execution, resume=resume, progress=progress, figures=save_figures
        )


def _sensitivity_workload(spec: SensitivitySpec) -> Workload:
    points, reps = spec.points, spec.file.replications
    return Workload(points, points * reps, points * reps * entities_per_replication(spec.base))
