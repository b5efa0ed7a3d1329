"""Experiments at scale: replications of one or many scenarios on any executor.

Each replication is saved the moment it completes (``store.py``), so a run killed
at any point resumes where it stopped; the run contract files are written only
once every replication is in, sorted by replication index, so neither the
executor, the number of workers nor the order of completion changes a byte.

The functions here serve the command line and the notebook API alike:
``run_scenarios`` (one or many scenarios, fixed replications),
``choose_replications`` (``--reps auto``), ``compare_scenarios`` and
``run_experiment``.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from pathway_sim.core.errors import UsageError
from pathway_sim.core.paths import within
from pathway_sim.core.statistics import comparison_table, factorial_effects, kpi_columns, summarise
from pathway_sim.experiments.cost_effectiveness import cost_effectiveness
from pathway_sim.experiments.scorecard import display_names, scorecard_table
from pathway_sim.experiments.spec import Experiment
from pathway_sim.inputs.loading import with_changes
from pathway_sim.models import Scenario
from pathway_sim.models.perinatal.toc import HEADLINE_KPIS
from pathway_sim.models.results import ReplicationResult
from pathway_sim.runs import layout
from pathway_sim.runs.executors import Executor, ExecutorSpec, executing
from pathway_sim.runs.formats import DEFAULT_EVENT_LOG_FORMAT
from pathway_sim.runs.options import RunOptions
from pathway_sim.runs.outputs import manifest, remove_stale, write_csv, write_run, write_text
from pathway_sim.runs.precision import PrecisionGoal, PrecisionTracker
from pathway_sim.runs.preflight import capped
from pathway_sim.runs.runner import replications_table, run_replication, services_table
from pathway_sim.runs.store import (
    ReplicationStore,
    assemble_event_log,
    identity,
    replicate_keeping_events,
    without_rows,
)

log = logging.getLogger("pathway_sim")

SERIAL = ExecutorSpec()
DEFAULTS = RunOptions()
AUTO = PrecisionGoal()

Replicate = Callable[[Scenario, int, int, bool], ReplicationResult]
"""``run_replication``'s signature: (scenario, seed, index, event_log) -> result."""


# --- one scenario's replications ---------------------------------------------------------


@dataclass
class Run:
    """One scenario being replicated: what has finished, and where it is kept."""

    scenario: Scenario
    out: Path | None
    event_log: bool
    store: ReplicationStore | None
    finished: dict[int, ReplicationResult] = field(default_factory=dict)
    reused: frozenset[int] = frozenset()
    event_log_written: bool = False
    """Whether a worker has already assembled the event log from the store's parts."""

    @classmethod
    def start(cls, scenario: Scenario, out: Path | None, event_log: bool, resume: bool) -> Run:
        """Prepare ``out`` (clearing an earlier run's files) and take up what can be resumed."""
        if out is None:
            if resume:
                raise UsageError(
                    "--resume needs the results directory (--out) of the run to resume"
                )
            return cls(scenario, None, event_log, None)
        store = ReplicationStore(out)
        finished = store.open(identity(scenario, event_log), resume)
        remove_stale(out)
        lean = {i: without_rows(r) for i, r in finished.items()}
        return cls(scenario, out, event_log, store, lean, frozenset(finished))

    def keep(self, result: ReplicationResult) -> None:
        """Keep ``result``: in the store, if there is one, holding only its KPIs and service
        rows in memory (``rows`` reads the rest back, one scenario at a time)."""
        if self.store is not None:
            result = without_rows(self.store.save(result))
        self.finished[result.replication] = result

    def parts(self, executor: Executor) -> Path | None:
        """Where the executor's workers write event-log rows themselves (None: they send
        them back): the store, when they can reach it."""
        if self.event_log and self.store is not None and executor.local:
            return self.store.directory
        return None

    def missing(self, reps: int) -> list[int]:
        return [i for i in range(reps) if i not in self.finished]

    def done(self, reps: int) -> int:
        return reps - len(self.missing(reps))

    def results(self, reps: int) -> list[ReplicationResult]:
        """The first ``reps`` replications' KPIs and service rows (and, without a store,
        everything else)."""
        return [self.finished[i] for i in range(reps)]

    def rows(self, reps: int) -> list[ReplicationResult]:
        """The first ``reps`` replications whole, per-woman and weekly rows included."""
        if self.store is None:
            return self.results(reps)
        return [self.store.load(i) for i in range(reps)]


def check_resumable(
    scenarios: Sequence[Scenario], outs: Sequence[Path | None], event_log: bool, resume: bool
) -> None:
    """Refuse, before any directory is changed, a resume that one of the stores cannot
    serve (a changed scenario among several, a missing identity, a tampered store)."""
    if resume and any(out is None for out in outs):
        raise UsageError("--resume needs the results directory (--out) of the run to resume")
    for scenario, out in zip(scenarios, outs, strict=True):
        if out is not None:
            ReplicationStore(out).check(identity(scenario, event_log), resume)


@dataclass(frozen=True)
class ScenarioRun:
    """The finished replications of one scenario, as the run contract tables."""

    scenario: Scenario
    results: list[ReplicationResult]
    summary: pd.DataFrame
    out: Path | None

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def replications(self) -> pd.DataFrame:
        return replications_table(self.name, self.results)

    @property
    def services(self) -> pd.DataFrame:
        return services_table(self.name, self.results)


def replicate(
    runs: Sequence[Run],
    reps: Sequence[int],
    executor: Executor,
    bar: tqdm,
    replicate_fn: Replicate = run_replication,
) -> None:
    """Run the missing replications ``0 .. reps[k]-1`` of each ``runs[k]``, keeping each
    as it completes, whatever order they complete in."""
    calls = [
        ((k, i), (replicate_fn, run.parts(executor), run.scenario, run.scenario.run.seed, i,
                  run.event_log))
        for k, (run, n) in enumerate(zip(runs, reps))
        for i in run.missing(n)
    ]  # fmt: skip
    for (k, _), result in executor.completed(replicate_keeping_events, calls):
        runs[k].keep(result)
        bar.update(1)


def assemble_event_logs(
    runs: Sequence[Run], reps: Sequence[int], executor: Executor, fmt: str
) -> None:
    """Have the executor's workers assemble each run's event log (in format ``fmt``) from
    its stored parts, when they can reach the store (local executors; else ``finish``
    does it here)."""
    calls = [
        (k, (run.store.directory, run.out, n, fmt))
        for k, (run, n) in enumerate(zip(runs, reps))
        if run.event_log and run.store is not None and run.out is not None and executor.local
    ]
    for k, _ in executor.completed(assemble_event_log, calls):
        runs[k].event_log_written = True


def finish(
    run: Run,
    reps: int,
    spec: ExecutorSpec,
    wall_seconds: float,
    event_log_format: str = DEFAULT_EVENT_LOG_FORMAT,
    **extra: object,
) -> ScenarioRun:
    """The first ``reps`` replications as the run contract, written to ``run.out`` if set
    (``manifest.json`` last, so a directory with a manifest holds a whole run); ``extra``
    goes into the manifest."""
    scenario = run.scenario
    if scenario.run.replications != reps:
        scenario = with_changes(scenario, {"run.replications": reps}, "--reps auto")
    results = run.results(reps)
    warn_if_nobody_counted(scenario.name, results)
    if run.out is None:
        return ScenarioRun(
            scenario, results, summarise(replications_table(scenario.name, results)), None
        )
    info = manifest(
        scenario,
        scenario.run.seed,
        reps,
        wall_seconds,
        **spec.manifest(),
        event_log=run.event_log,
        resumed_replications=len(run.reused & set(range(reps))),
        **extra,
    )
    parts = None
    if run.event_log and not run.event_log_written and run.store is not None:
        parts = run.store.event_parts(reps)  # not yet assembled where the workers ran
    summary = write_run(run.out, scenario, run.rows(reps), info, parts, event_log_format)
    return ScenarioRun(scenario, results, summary, run.out)


def warn_if_nobody_counted(name: str, results: Sequence[ReplicationResult]) -> None:
    """A replication that counted nobody has empty KPIs: say so rather than report them."""
    empty = [r.replication for r in results if r.women == 0]
    if empty:
        log.warning(
            "%s: nobody was counted (women = 0) in %d of %d replications, so their KPIs are "
            "empty; check population.women_per_year, population.cohort_days and run.warmup_days "
            "(or the arrivals and horizon of a queue network)",
            name, len(empty), len(results),
        )  # fmt: skip


class ProgressBar(tqdm):
    """tqdm without its monitor thread, so that worker processes can still be forked."""

    monitor_interval = 0


def progress_bar(total: int, done: int, enabled: bool) -> tqdm:
    """Replications done of total, with rate and time left, on a terminal only."""
    return ProgressBar(
        total=total,
        initial=done,
        unit="rep",
        desc="replications",
        file=sys.stderr,
        disable=not (enabled and sys.stderr.isatty()),
        dynamic_ncols=True,
    )


def run_scenarios(
    scenarios: Sequence[Scenario],
    outs: Sequence[Path | None],
    options: RunOptions = DEFAULTS,
    *,
    replicate_fn: Replicate = run_replication,
) -> list[ScenarioRun]:
    """Replicate each scenario ``run.replications`` times from its ``run.seed``, on one
    executor (so a pool or cluster starts once), writing each to its ``outs`` entry
    (``options.out`` is where the caller put them)."""
    event_log, resume = options.event_log, options.resume
    check_resumable(scenarios, outs, event_log, resume)
    runs = [Run.start(s, out, event_log, resume) for s, out in zip(scenarios, outs, strict=True)]
    reps = [s.run.replications for s in scenarios]
    spec = capped(options.executor_spec, sum(reps))
    done = sum(run.done(n) for run, n in zip(runs, reps))
    started = time.perf_counter()
    with executing(spec) as executor, progress_bar(sum(reps), done, options.progress) as bar:
        replicate(runs, reps, executor, bar, replicate_fn)
        assemble_event_logs(runs, reps, executor, options.log_format)
    wall = time.perf_counter() - started
    return [finish(run, n, spec, wall, options.log_format) for run, n in zip(runs, reps)]


# --- --reps auto ---------------------------------------------------------------------------


def choose_replications(
    scenario: Scenario, goal: PrecisionGoal = AUTO, options: RunOptions = DEFAULTS
) -> tuple[ScenarioRun, pd.DataFrame]:
    """Run as many replications as the goal's KPIs need (Hoad et al. 2010), up to
    ``goal.max_reps``, into ``options.out``; return the run and the precision reached
    per KPI.

    Replications are added in batches of as many as the executor has workers but judged
    in index order, so the number chosen does not depend on the executor.
    """
    out = options.out
    check_resumable([scenario], [out], options.event_log, options.resume)
    spec = capped(options.executor_spec, goal.max_reps)
    run = Run.start(scenario, out, options.event_log, options.resume)
    reps = goal.initial + goal.k_limit
    tracker: PrecisionTracker | None = None
    started = time.perf_counter()
    with (
        executing(spec) as executor,
        progress_bar(reps, run.done(reps), options.progress) as bar,
    ):
        while True:
            replicate([run], [reps], executor, bar)
            table = replications_table(scenario.name, run.results(reps))
            tracker = tracker or PrecisionTracker(goal, {k: [] for k in _goal_kpis(goal, table)})
            tracker.update(table)
            needed = tracker.decision()
            if needed is not None or reps >= goal.max_reps:
                break
            reps = min(goal.max_reps, reps + spec.workers)
            bar.total = reps
            bar.refresh()
        chosen = needed or reps
        assemble_event_logs([run], [chosen], executor, options.log_format)
    wall = time.perf_counter() - started
    precision = tracker.report(replications_table(scenario.name, run.results(chosen)))
    if out is not None:
        write_csv(out / layout.PRECISION, precision)
    method = {"method": "Hoad, Robinson and Davies (2010)", "target": goal.target,
              "kpis": list(tracker.paths), "max_reps": goal.max_reps, "k_limit": goal.k_limit,
              "run": reps, "met": needed is not None}  # fmt: skip
    ran = finish(run, chosen, spec, wall, options.log_format, replications_algorithm=method)
    return ran, precision


def _goal_kpis(goal: PrecisionGoal, table: pd.DataFrame) -> list[str]:
    """The KPIs named in the goal; by default the Theory of Change headline KPIs of a
    perinatal run (rare-event operational KPIs would hold every run to ``max_reps``),
    or every KPI of a queueing run."""
    known = kpi_columns(table)
    unknown = [k for k in goal.kpis or () if k not in known]
    if unknown:
        raise UsageError(
            f"--kpis: unknown KPI {', '.join(unknown)}; this model reports: {', '.join(known)}"
        )
    if goal.kpis:
        return list(goal.kpis)
    headline = [k for k in HEADLINE_KPIS.values() if k in known]
    return headline or known


# --- comparisons and experiments -----------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Scenarios run on common random numbers, and their paired differences from the base."""

    runs: list[ScenarioRun]
    table: pd.DataFrame
    correction: str
    out: Path | None

    @property
    def replications(self) -> pd.DataFrame:
        return pd.concat([r.replications for r in self.runs], ignore_index=True)

    @property
    def scorecard(self) -> pd.DataFrame:
        """``scorecard.csv``: each scenario's differences from the base with their verdicts."""
        return scorecard_table(self.table)

    @property
    def cost_effectiveness(self) -> pd.DataFrame:
        """Cost per extra baby with her mother and per overdose averted, or dominance."""
        return cost_effectiveness(self.table)

    @property
    def names(self) -> dict[str, str]:
        """Scenario name -> display name (its ``label``, else its name)."""
        return display_names(r.scenario for r in self.runs)


def compare_scenarios(
    scenarios: Sequence[Scenario], options: RunOptions = DEFAULTS, *, correction: str = "none"
) -> Comparison:
    """Run the base (first) and every other scenario with the same seed and replications,
    one sub-directory of ``options.out`` each, then ``comparison.csv`` of paired
    differences from the base."""
    out = options.out
    scenarios = _on_common_random_numbers(scenarios)
    outs = [within(out, out / s.name) if out else None for s in scenarios]
    check_resumable(scenarios, outs, options.event_log, options.resume)
    if out is not None:
        remove_stale(out, layout.COMPARISON_FILES)
    runs = run_scenarios(scenarios, outs, options)
    replications = pd.concat([r.replications for r in runs], ignore_index=True)
    table = comparison_table(replications, scenarios[0].name, correction)
    comparison = Comparison(runs, table, correction, out)
    if out is not None:
        write_csv(out / layout.COMPARISON, table)
        write_csv(out / layout.SCORECARD, comparison.scorecard)
        write_csv(out / layout.COST_EFFECTIVENESS, comparison.cost_effectiveness)
    return comparison


def _on_common_random_numbers(scenarios: Sequence[Scenario]) -> list[Scenario]:
    """The scenarios with the base's seed and replications, so each replication of each
    scenario meets the same random numbers (and names unique, one directory each)."""
    if len(scenarios) < 2:
        raise UsageError("compare needs a base scenario and at least one other")
    names = [s.name for s in scenarios]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise UsageError(
            f"scenario names must differ (each names its results directory): {', '.join(repeated)} "
            "given more than once; give a copy its own name: in its file"
        )
    base = scenarios[0]
    aligned = [base]
    for other in scenarios[1:]:
        if (other.run.seed, other.run.replications) != (base.run.seed, base.run.replications):
            log.warning(
                "%s: using the base's seed %d and %d replications (common random numbers), "
                "not its own seed %d and %d replications",
                other.name, base.run.seed, base.run.replications,
                other.run.seed, other.run.replications,
            )  # fmt: skip
            aligned.append(
                with_changes(
                    other,
                    {"run.seed": base.run.seed, "run.replications": base.run.replications},
                    f"the base scenario {base.name}",
                )
            )
        else:
            aligned.append(other)
    return aligned


@dataclass(frozen=True)
class ExperimentResult:
    """An experiment's tidy table, its comparison and (for a factorial) its effects."""

    experiment: Experiment
    table: pd.DataFrame
    comparison: Comparison
    effects: pd.DataFrame | None

    @property
    def out(self) -> Path | None:
        return self.comparison.out


def run_experiment(experiment: Experiment, options: RunOptions = DEFAULTS) -> ExperimentResult:
    """Run every scenario of the experiment against its base into ``options.out``; write
    ``experiment.csv`` (one row per scenario and KPI, with its factor levels) and, for a
    factorial, ``effects.csv`` (main effects and two-way interactions per KPI)."""
    out = options.out
    scenarios = _on_common_random_numbers(experiment.scenarios)
    if out is not None:
        outs: list[Path | None] = [within(out, out / s.name) for s in scenarios]
        check_resumable(scenarios, outs, options.event_log, options.resume)
        remove_stale(out, layout.EXPERIMENT_FILES)
    comparison = compare_scenarios(scenarios, options, correction=experiment.correction)
    table = experiment_table(comparison.table, experiment)
    effects = None
    if experiment.factors:
        effects = factorial_effects(
            comparison.replications, experiment.levels, experiment.correction
        )
    if out is not None:
        write_csv(out / layout.EXPERIMENT, table)
        if effects is not None:
            write_csv(out / layout.EFFECTS, effects)
        write_text(out / layout.EXPERIMENT_FILE, experiment.source_text)
    return ExperimentResult(experiment, table, comparison, effects)


def experiment_table(comparison: pd.DataFrame, experiment: Experiment) -> pd.DataFrame:
    """``experiment.csv``: one row per scenario and KPI, factor levels as 0/1 columns."""
    order = {s.name: i for i, s in enumerate(experiment.scenarios)}
    table = comparison.sort_values("scenario", key=lambda s: s.map(order), kind="stable")
    for factor in experiment.factors:
        table[factor] = [experiment.levels[s][factor] for s in table["scenario"]]
    columns = ["scenario", *experiment.factors, "kpi", "mean", "ci_low", "ci_high",
               "diff_vs_base", "diff_ci_low", "diff_ci_high",
               "diff_confidence", "correction"]  # fmt: skip
    return table[columns].reset_index(drop=True)
