"""What each ``pathway-sim`` command does: call the library, print what it returns.

The library is imported inside each command, so that a command imports only what
it needs (pandas, scipy and matplotlib are slow to import).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pathway_sim.core.errors import ScenarioError, UsageError

if TYPE_CHECKING:
    import pandas as pd

    from pathway_sim.experiments.run import Comparison
    from pathway_sim.models import Scenario
    from pathway_sim.runs.precision import PrecisionGoal


def load_with_options(path: Path, args: argparse.Namespace) -> Scenario:
    from pathway_sim import api

    reps = None if args.reps == "auto" else args.reps
    return api.resolve(path, args.set, reps, args.seed)


def refuse_inputs_inside(out: Path, scenarios: Sequence[Path]) -> None:
    """The scenario files (and what they extend) must lie outside ``--out``."""
    from pathway_sim.inputs.library import resolve
    from pathway_sim.inputs.loading import scenario_sources
    from pathway_sim.runs.preflight import check_inputs_outside, check_out

    check_out(out)
    files = [f for path in scenarios for f in scenario_sources(resolve(path, "scenario"))]
    check_inputs_outside(out, files)


def execution(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of the API that the execution options give."""
    return {
        "workers": args.workers,
        "executor": args.executor,
        "scheduler": args.scheduler,
        "resume": args.resume,
        "progress": not args.quiet,
        "allow_large": args.allow_large,
    }


def precision_goal(args: argparse.Namespace) -> PrecisionGoal | None:
    from pathway_sim.runs.precision import PrecisionGoal

    given = {
        "target": args.target_precision,
        "kpis": tuple(k.strip() for k in args.kpis.split(",")) if args.kpis else None,
        "max_reps": args.max_reps,
    }
    given = {k: v for k, v in given.items() if v is not None}
    if args.reps != "auto":
        if given:
            raise UsageError("--target-precision, --kpis and --max-reps go with --reps auto")
        return None
    try:
        return PrecisionGoal(**given)
    except ValueError as exc:
        raise UsageError(f"--reps auto: {exc}") from None


def cmd_run(args: argparse.Namespace) -> int:
    from pathway_sim import api
    from pathway_sim.cli.formatting import format_precision, format_summary

    scenario = load_with_options(args.scenario, args)
    goal = precision_goal(args)
    out = args.out or Path("results") / scenario.name
    refuse_inputs_inside(out, [args.scenario])
    started = time.perf_counter()
    result = api.run(scenario, reps=goal, out=out, event_log=args.event_log, **execution(args))
    wall = time.perf_counter() - started
    if not args.quiet:
        print(format_summary(result.summary, assumption_flags(scenario)))
        if result.precision is not None:
            print("\n" + format_precision(result.precision))
            if not result.precision["met"].all():
                print(
                    f"target not reached within {len(result.replications)} replications: "
                    "raise --max-reps or loosen --target-precision"
                )
        print(f"\n{len(result.replications)} replications in {wall:.1f} s; results in {out}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from pathway_sim import api

    scenarios = [load_with_options(path, args) for path in args.scenarios]
    out = args.out or Path("results") / f"compare_{scenarios[0].name}"
    refuse_inputs_inside(out, args.scenarios)
    comparison = api.compare(
        *scenarios, out=out, correction=args.correction, event_log=args.event_log or args.report,
        **execution(args),
    )  # fmt: skip
    if not args.quiet:
        print_comparison(comparison, args.full)
        print(f"\nresults in {out}")
    if args.report:
        write_report(out, None, args.quiet)
    return 0


def cmd_experiment(args: argparse.Namespace) -> int:
    from pathway_sim import api
    from pathway_sim.cli.formatting import format_effects
    from pathway_sim.experiments.spec import load_experiment
    from pathway_sim.inputs.library import resolve

    experiment = load_experiment(
        resolve(args.experiment, "experiment"), allow_large=args.allow_large
    )
    out = args.out or Path("results") / experiment.name
    result = api.run_experiment(experiment, out=out, event_log=args.report, **execution(args))
    if not args.quiet:
        print_comparison(result.comparison, args.full)
        if result.effects is not None:
            print("\n" + format_effects(result.effects))
        print(f"\nresults in {out}")
    if args.report:
        write_report(out, None, args.quiet)
    return 0


def print_comparison(comparison: Comparison, full: bool) -> None:
    """The compact scorecard, or with ``--full`` every KPI's means and differences."""
    from pathway_sim.cli.formatting import comparison_heading, format_comparison
    from pathway_sim.experiments.scorecard import format_scorecard

    if full:
        print(format_comparison(comparison.table))
        return
    base = comparison.runs[0].name
    print(comparison_heading(comparison.table))
    card = format_scorecard(
        comparison.scorecard, comparison.names, base, cost_effect=comparison.cost_effectiveness
    )
    print(card)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from pathway_sim import api
    from pathway_sim.cli.formatting import format_sensitivity
    from pathway_sim.inputs.library import resolve
    from pathway_sim.sensitivity.spec import load_sensitivity

    spec = load_sensitivity(resolve(args.sensitivity, "experiment"))
    out = args.out or Path("results") / spec.file.name
    started = time.perf_counter()
    result = api.run_sensitivity(spec, out=out, **execution(args))
    wall = time.perf_counter() - started
    if not args.quiet:
        print(format_sensitivity(result.indices, spec.file.method))
        points = len(result.samples)
        print(f"\n{points} points x {spec.file.replications} replications in {wall:.1f} s; "
              f"results in {out}")  # fmt: skip
    return 0


def cmd_animate(args: argparse.Namespace) -> int:
    from pathway_sim.reporting import animate

    if not args.results_dir.is_dir():
        raise UsageError(f"{args.results_dir}: no such results directory")
    weeks = animate.parse_weeks(args.weeks)
    figure = animate.build(args.results_dir, args.scenario, args.replication, weeks)
    animate.write_animation(figure, args.out)
    print(f"animation: {args.out} ({len(figure.frames)} frames)")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from pathway_sim.runs.lock import locked
    from pathway_sim.runs.reader import check_results_dir

    if not args.results_dir.is_dir():
        raise UsageError(f"{args.results_dir}: no such results directory")
    check_results_dir(args.results_dir)
    with locked(args.results_dir):
        write_report(args.results_dir, args.out, quiet=False)
    return 0


REPORT_INPUT_ERRORS = (KeyError, ValueError, TypeError, IndexError, UnicodeDecodeError)
"""What a results directory changed by hand makes the report raise while reading it."""


def write_report(results_dir: Path, out: Path | None, quiet: bool) -> Path:
    """Build the workshop report (imported here: matplotlib is slow to import), with
    mathtext off so a ``$`` in a label is a dollar sign, not a formula that fails."""
    import matplotlib
    import yaml

    from pathway_sim.reporting.report import build_report

    started = time.perf_counter()
    try:
        with matplotlib.rc_context({"text.parse_math": False}):
            path = build_report(results_dir, out)
    except (*REPORT_INPUT_ERRORS, yaml.YAMLError) as exc:
        raise UsageError(
            f"{results_dir}: cannot build the report: a file is missing, malformed or was "
            f"changed since the run wrote it ({type(exc).__name__}: {exc}); run the command "
            "that wrote the directory again"
        ) from None
    if not quiet:
        print(f"report: {path} (built in {time.perf_counter() - started:.1f} s)")
    return path


def cmd_calibration(args: argparse.Namespace) -> int:
    from pathway_sim import api
    from pathway_sim.inputs.calibration import calibration_table, load_targets
    from pathway_sim.inputs.calibration import format_table as format_calibration
    from pathway_sim.models.perinatal.schema import PerinatalScenario
    from pathway_sim.runs.lock import locked

    scenario = load_with_options(args.scenario, args)
    if not isinstance(scenario, PerinatalScenario):
        raise UsageError(
            f"{args.scenario}: calibration needs a perinatal scenario (model: perinatal)"
        )
    out = args.out or Path("results") / "calibration" / scenario.name
    refuse_inputs_inside(out, [args.scenario])
    started = time.perf_counter()
    with locked(out):
        result = api.run(scenario, out=out, event_log=args.event_log, **execution(args))
        wall = time.perf_counter() - started
        table = calibration_table(result.replications, load_targets())
        write_calibration(out, table)
    if not args.quiet:
        print(format_calibration(table))
        met = int(table["in_range"].sum())
        print(
            f"\n{met} of {len(table)} targets in range; "
            f"{len(result.replications)} replications in {wall:.1f} s"
        )
        print(f"results in {out}")
    return 0


def write_calibration(out: Path, table: pd.DataFrame) -> None:
    """``calibration.csv`` beside the run, then the run's manifest again, so that the
    manifest is the last file written (a directory with a manifest is whole)."""
    from pathway_sim.runs import layout
    from pathway_sim.runs.outputs import write_csv, write_json
    from pathway_sim.runs.reader import ResultsDir

    manifest_path = out / layout.MANIFEST
    info = ResultsDir(out).manifest()
    manifest_path.unlink()
    write_csv(out / layout.CALIBRATION, table)
    info["calibration"] = {"targets": len(table), "in_range": int(table["in_range"].sum())}
    write_json(manifest_path, info)


def cmd_validate(args: argparse.Namespace) -> int:
    from pathway_sim.inputs.loading import load_scenario

    failures = 0
    for path in args.scenarios:
        try:
            scenario = load_scenario(path)
        except (ScenarioError, UsageError) as exc:
            failures += 1
            where = "" if str(path) in str(exc) else f"{path}: "  # most messages name their file
            print(f"pathway-sim: {where}{exc}", file=sys.stderr)
        else:
            print(f"ok  {path}  ({scenario.model}: {scenario.name})")
    return 2 if failures else 0


def cmd_params(args: argparse.Namespace) -> int:
    from pathway_sim.inputs.register import format_table as format_register
    from pathway_sim.inputs.register import register_table

    table = register_table()
    if args.csv:
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(format_register(table))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from pathway_sim.inputs.loading import json_schema

    print(json.dumps(json_schema(), indent=2))
    return 0


def cmd_kpis(args: argparse.Namespace) -> int:
    from pathway_sim.models.kpis import TOC_OUTCOMES, catalogue
    from pathway_sim.models.mids import mid

    table = catalogue()
    mids = [mid(name) for name in table["name"]]
    table["minimal_important_difference"] = [m.value if m else None for m in mids]
    table["mid_reason"] = [m.reason if m else "" for m in mids]
    if args.csv:
        columns = ["name", "toc_outcome", "definition", "unit", "better"]
        table[[*columns, "minimal_important_difference", "mid_reason"]].to_csv(
            sys.stdout, index=False, lineterminator="\n"
        )
        return 0
    for outcome, group in table.groupby("toc_outcome", sort=False):
        print(f"\n{outcome}  {TOC_OUTCOMES[outcome]}")
        for row in group.itertuples():
            print(f"  {row.name:<40} {row.unit:<18} better: {row.better}")
            print(f"      {row.definition}")
            print(f"      matters from: {row.mid_reason or 'any clear difference (none set)'}")
    return 0


def assumption_flags(scenario: Scenario) -> frozenset[str]:
    """KPIs that rest mainly on assumptions, for a perinatal scenario (none for a queue network)."""
    from pathway_sim.inputs.evidence import kpi_evidence
    from pathway_sim.models.perinatal.schema import PerinatalScenario

    if not isinstance(scenario, PerinatalScenario):
        return frozenset()
    evidence = kpi_evidence()
    return frozenset(evidence.loc[evidence["rests_on_assumptions"], "kpi"])


def cmd_scenarios(args: argparse.Namespace) -> int:
    """List the scenario library, or copy one file (and those it names) out to edit."""
    from textwrap import shorten

    from pathway_sim.inputs import library

    if not args.action:
        for entry in library.entries():
            print(f"{entry.name:<36} {entry.label:<14} {shorten(entry.description, 72)}")
        print("\nrun one by name (pathway-sim run base) or copy it out to edit: "
              "pathway-sim scenarios copy NAME DIR")  # fmt: skip
        return 0
    if args.action[0] != "copy" or len(args.action) != 3:
        raise UsageError("scenarios: expected no arguments (list) or: copy NAME DIR")
    _, name, destination = args.action
    for path in library.copy_out(name, Path(destination)):
        print(f"wrote {path}")
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    from pathway_sim.app.server import serve

    return serve(args.port, args.results)


def cmd_precompute(args: argparse.Namespace) -> int:
    from pathway_sim.app.presets import precompute

    for path in precompute(args.out, args.reps, args.sites, args.levers, args.workers):
        print(path)
    return 0
