"""The ``pathway-sim`` command: parses options, calls the library, prints.

Exit codes: 0 success, 2 bad input (scenario, option, path) with a message and
no traceback, 1 an internal error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from pathway_sim import __version__
from pathway_sim.kpis import TOC_OUTCOMES, catalogue
from pathway_sim.calibration import format_table as format_calibration
from pathway_sim.calibration import run_calibration
from pathway_sim.evidence import kpi_evidence
from pathway_sim.outputs import manifest, write_csv, write_run
from pathway_sim.pathway.parameters import PerinatalScenario
from pathway_sim.register import format_table as format_register
from pathway_sim.register import register_table
from pathway_sim.runner import run_replication
from pathway_sim.scenario import ScenarioError, json_schema, load_scenario


class UsageError(Exception):
    """A bad option or path, reported with exit code 2."""


def positive_int(option: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a whole number greater than 0 for {option}, got {text!r}"
            ) from None
        if value < 1:
            raise argparse.ArgumentTypeError(
                f"expected a whole number greater than 0 for {option}, got {value}"
            )
        return value

    return parse


def seed_value(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {value}")
    return value


def add_scenario_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reps", type=positive_int("--reps"), help="replications (default: the scenario's run.replications)")
    parser.add_argument("--seed", type=seed_value, help="root seed (default: the scenario's run.seed)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a scenario field, e.g. --set services.midwifery.staff=6 (repeatable)",
    )
    parser.add_argument("--out", type=Path, help="results directory (default: results/<scenario name>)")
    parser.add_argument("--event-log", action="store_true", help="also write events.csv (one row per event)")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")


def load_with_options(path: Path, args: argparse.Namespace):
    settings = {}
    if args.reps is not None:
        settings["--reps"] = ("run.replications", args.reps)
    if args.seed is not None:
        settings["--seed"] = ("run.seed", args.seed)
    return load_scenario(path, args.set, settings)


def cmd_run(args: argparse.Namespace) -> int:
    scenario = load_with_options(args.scenario, args)
    out = args.out or Path("results") / scenario.name
    seed, reps = scenario.run.seed, scenario.run.replications
    started = time.perf_counter()
    results = [run_replication(scenario, seed, i, args.event_log) for i in range(reps)]
    wall = time.perf_counter() - started
    info = manifest(scenario, seed, reps, wall, executor="serial", workers=1, event_log=args.event_log)
    summary = write_run(out, scenario, results, info, args.event_log)
    if not args.quiet:
        print(format_summary(summary, assumption_flags(scenario)))
        print(f"\n{reps} replications in {wall:.1f} s; results in {out}")
    return 0


def cmd_calibration(args: argparse.Namespace) -> int:
    scenario = load_with_options(args.scenario, args)
    if not isinstance(scenario, PerinatalScenario):
        raise UsageError(f"{args.scenario}: calibration needs a perinatal scenario (model: perinatal)")
    out = args.out or Path("results") / "calibration" / scenario.name
    started = time.perf_counter()
    results, table = run_calibration(scenario, args.event_log)
    wall = time.perf_counter() - started
    reps = scenario.run.replications
    info = manifest(
        scenario, scenario.run.seed, reps, wall, executor="serial", workers=1, event_log=args.event_log
    )
    write_run(out, scenario, results, info, args.event_log)
    write_csv(out / "calibration.csv", table)
    if not args.quiet:
        print(format_calibration(table))
        met = int(table["in_range"].sum())
        print(f"\n{met} of {len(table)} targets in range; {reps} replications in {wall:.1f} s")
        print(f"results in {out}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    failures = 0
    for path in args.scenarios:
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            failures += 1
            print(f"pathway-sim: {path}: {exc}", file=sys.stderr)
        else:
            print(f"ok  {path}  ({scenario.model}: {scenario.name})")
    return 2 if failures else 0


def cmd_params(args: argparse.Namespace) -> int:
    table = register_table()
    if args.csv:
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(format_register(table))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(), indent=2))
    return 0


def cmd_kpis(args: argparse.Namespace) -> int:
    table = catalogue()
    if args.csv:
        table[["name", "toc_outcome", "definition", "unit", "better"]].to_csv(
            sys.stdout, index=False, lineterminator="\n"
        )
        return 0
    for outcome, group in table.groupby("toc_outcome", sort=False):
        print(f"\n{outcome}  {TOC_OUTCOMES[outcome]}")
        for row in group.itertuples():
            print(f"  {row.name:<40} {row.unit:<18} better: {row.better}")
            print(f"      {row.definition}")
    return 0


def format_summary(summary: pd.DataFrame, flagged: frozenset[str] = frozenset()) -> str:
    """A plain table of KPI means with their 95% confidence intervals; ``flagged`` KPIs get a *."""
    width = max(len(k) for k in summary["kpi"]) if len(summary) else 10
    lines = [f"{'KPI':<{width}}  {'mean':>12}  95% CI"]
    for row in summary.itertuples():
        ci = "n/a" if pd.isna(row.ci_low) else f"[{row.ci_low:.4g}, {row.ci_high:.4g}]"
        mark = " *" if row.kpi in flagged else ""
        lines.append(f"{row.kpi:<{width}}  {row.mean:>12.4g}  {ci}{mark}")
    if flagged:
        lines.append("\n* rest mainly on assumption-status parameters (kpi_evidence.csv, pathway-sim params)")
    return "\n".join(lines)


def assumption_flags(scenario) -> frozenset[str]:
    """KPIs that rest mainly on assumptions, for a perinatal scenario (none for a queue network)."""
    if not isinstance(scenario, PerinatalScenario):
        return frozenset()
    evidence = kpi_evidence()
    return frozenset(evidence.loc[evidence["rests_on_assumptions"], "kpi"])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pathway-sim",
        description="Discrete-event simulation of perinatal care pathways for women who use drugs.",
    )
    parser.add_argument("--version", action="version", version=f"pathway-sim {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run replications of one scenario")
    run.add_argument("scenario", type=Path, help="scenario YAML file")
    add_scenario_options(run)
    run.set_defaults(func=cmd_run)

    calibration = commands.add_parser(
        "calibration", help="compare a scenario's outputs with published targets"
    )
    calibration.add_argument("scenario", type=Path, help="scenario YAML file (a base or site archetype)")
    add_scenario_options(calibration)
    calibration.set_defaults(func=cmd_calibration)

    validate = commands.add_parser("validate", help="check scenario files without running them")
    validate.add_argument("scenarios", type=Path, nargs="+", metavar="SCENARIO")
    validate.set_defaults(func=cmd_validate)

    params = commands.add_parser("params", help="print the parameter register (value, range, source, status)")
    params.add_argument("--csv", action="store_true", help="print the whole register as CSV")
    params.set_defaults(func=cmd_params)

    schema = commands.add_parser("schema", help="print the JSON Schema of scenario files")
    schema.set_defaults(func=cmd_schema)

    kpis = commands.add_parser("kpis", help="print the KPI catalogue and the ToC outcome each measures")
    kpis.add_argument("--csv", action="store_true", help="as CSV: name, toc_outcome, definition, unit, better")
    kpis.set_defaults(func=cmd_kpis)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ScenarioError, UsageError) as exc:
        print(f"pathway-sim: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early: not an error; silence the final flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("pathway-sim: interrupted", file=sys.stderr)
        return 130

