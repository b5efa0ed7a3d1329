"""The commands that run replications: ``run``, ``compare``, ``experiment``,
``sensitivity`` and ``calibration``. Each parses its options, builds one ``RunOptions``,
calls the notebook API and prints what it returns.

The library is imported inside each command, so that ``--help`` stays quick (pandas,
scipy and matplotlib are slow to import).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pathway_sim.cli.options import (
    add_event_log_format,
    add_execution_options,
    add_full_option,
    add_out,
    add_quiet,
    add_report_option,
    add_scenario_options,
    positive_int,
    run_options,
)
from pathway_sim.cli.reading import write_report
from pathway_sim.core.corrections import CORRECTIONS
from pathway_sim.core.errors import UsageError
from pathway_sim.core.text import printable

if TYPE_CHECKING:
    import pandas as pd

    from pathway_sim.cli.options import Subcommands
    from pathway_sim.experiments.run import Comparison
    from pathway_sim.models import Scenario
    from pathway_sim.runs.precision import PrecisionGoal


# --- run -------------------------------------------------------------------------------------


def add_run(subcommands: Subcommands) -> None:
    run = subcommands.add_parser("run", help="run replications of one scenario")
    run.add_argument(
        "scenario", type=Path, help="scenario YAML file, or a library name (pathway-sim scenarios)"
    )
    add_scenario_options(run, auto_reps=True)
    add_execution_options(run)
    run.add_argument(
        "--target-precision",
        type=float,
        metavar="D",
        help="with --reps auto: relative CI half-width to reach (default 0.05)",
    )
    run.add_argument(
        "--kpis",
        metavar="A,B",
        help="with --reps auto: the KPIs that must reach it "
        "(default: the ToC headline KPIs, or all for a queueing model)",
    )
    run.add_argument(
        "--max-reps",
        type=positive_int("--max-reps"),
        help="with --reps auto: most replications to run (default 200)",
    )
    run.set_defaults(func=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    from pathway_sim import api
    from pathway_sim.cli.formatting import format_precision, format_summary

    scenario = load_with_options(args.scenario, args)
    goal = precision_goal(args)
    out = args.out or Path("results") / scenario.name
    refuse_inputs_inside(out, [args.scenario])
    options = run_options(args, out, event_log=args.event_log)
    started = time.perf_counter()
    result = api.run(scenario, reps=goal, options=options)
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
        print(f"\n{len(result.replications)} replications in {wall:.1f} s; "
              f"results in {printable(out)}")  # fmt: skip
    return 0


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


def assumption_flags(scenario: Scenario) -> frozenset[str]:
    """KPIs that rest mainly on assumptions, for a perinatal scenario (none for a queue network)."""
    from pathway_sim.inputs.evidence import kpi_evidence
    from pathway_sim.models.perinatal.schema import PerinatalScenario

    if not isinstance(scenario, PerinatalScenario):
        return frozenset()
    evidence = kpi_evidence()
    return frozenset(evidence.loc[evidence["rests_on_assumptions"], "kpi"])


# --- compare and experiment ------------------------------------------------------------------


def add_compare(subcommands: Subcommands) -> None:
    compare = subcommands.add_parser(
        "compare", help="run scenarios on common random numbers and compare each with the first"
    )
    compare.add_argument(
        "scenarios", type=Path, nargs="+", metavar="SCENARIO", help="the base, then the others"
    )
    add_scenario_options(compare)
    add_execution_options(compare)
    compare.add_argument(
        "--correction",
        choices=CORRECTIONS,
        default="none",
        help="multiple-comparison correction of the difference intervals (default none)",
    )
    add_report_option(compare)
    add_full_option(compare)
    compare.set_defaults(func=cmd_compare)


def cmd_compare(args: argparse.Namespace) -> int:
    from pathway_sim import api

    scenarios = [load_with_options(path, args) for path in args.scenarios]
    out = args.out or Path("results") / f"compare_{scenarios[0].name}"
    refuse_inputs_inside(out, args.scenarios)
    options = run_options(args, out, event_log=args.event_log or args.report)
    comparison = api.compare(*scenarios, correction=args.correction, options=options)
    if not args.quiet:
        print_comparison(comparison, args.full)
        print(f"\nresults in {printable(out)}")
    if args.report:
        write_report(out, None, args.quiet)
    return 0


def add_experiment(subcommands: Subcommands) -> None:
    experiment = subcommands.add_parser(
        "experiment", help="run an experiment file (scenarios or a factorial)"
    )
    experiment.add_argument("experiment", type=Path, help="experiment YAML file")
    add_out(experiment, "results/<experiment name>")
    add_execution_options(experiment)
    add_quiet(experiment)
    add_report_option(experiment)
    add_event_log_format(experiment)
    add_full_option(experiment)
    experiment.set_defaults(func=cmd_experiment)


def cmd_experiment(args: argparse.Namespace) -> int:
    from pathway_sim import api
    from pathway_sim.cli.formatting import format_effects
    from pathway_sim.experiments.spec import load_experiment
    from pathway_sim.inputs.library import resolve

    experiment = load_experiment(
        resolve(args.experiment, "experiment"), allow_large=args.allow_large
    )
    out = args.out or Path("results") / experiment.name
    result = api.run_experiment(experiment, options=run_options(args, out, event_log=args.report))
    if not args.quiet:
        print_comparison(result.comparison, args.full)
        if result.effects is not None:
            print("\n" + format_effects(result.effects))
        print(f"\nresults in {printable(out)}")
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


# --- sensitivity and calibration -------------------------------------------------------------


def add_sensitivity(subcommands: Subcommands) -> None:
    sensitivity = subcommands.add_parser(
        "sensitivity",
        help="global sensitivity analysis (Morris, Sobol or Latin hypercube) "
        "over the register's ranges",
    )
    sensitivity.add_argument("sensitivity", type=Path, help="sensitivity YAML file")
    add_out(sensitivity, "results/<name>")
    add_execution_options(sensitivity)
    add_quiet(sensitivity)
    sensitivity.set_defaults(func=cmd_sensitivity)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from pathway_sim import api
    from pathway_sim.cli.formatting import format_sensitivity
    from pathway_sim.inputs.library import resolve
    from pathway_sim.sensitivity.spec import load_sensitivity

    spec = load_sensitivity(resolve(args.sensitivity, "experiment"))
    out = args.out or Path("results") / spec.file.name
    started = time.perf_counter()
    result = api.run_sensitivity(spec, options=run_options(args, out))
    wall = time.perf_counter() - started
    if not args.quiet:
        print(format_sensitivity(result.indices, spec.file.method))
        points = len(result.samples)
        print(f"\n{points} points x {spec.file.replications} replications in {wall:.1f} s; "
              f"results in {printable(out)}")  # fmt: skip
    return 0


def add_calibration(subcommands: Subcommands) -> None:
    calibration = subcommands.add_parser(
        "calibration", help="compare a scenario's outputs with published targets"
    )
    calibration.add_argument(
        "scenario", type=Path, help="scenario YAML file (a base or site archetype)"
    )
    add_scenario_options(calibration)
    add_execution_options(calibration)
    calibration.set_defaults(func=cmd_calibration)


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
        result = api.run(scenario, options=run_options(args, out, event_log=args.event_log))
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
        print(f"results in {printable(out)}")
    return 0


def write_calibration(out: Path, table: pd.DataFrame) -> None:
    """``calibration.csv`` beside the run, then the run's manifest again, so that the
    manifest is the last file written (a directory with a manifest is whole)."""
    from pathway_sim.runs import layout
    from pathway_sim.runs.outputs import write_csv, write_json
    from pathway_sim.runs.reader import ResultsDir

    info = ResultsDir(out).manifest()
    (out / layout.MANIFEST).unlink()
    write_csv(out / layout.CALIBRATION, table)
    info["calibration"] = {"targets": len(table), "in_range": int(table["in_range"].sum())}
    write_json(out / layout.MANIFEST, info)
