"""The ``pathway-sim`` command: parses options, calls the library, prints.

Exit codes: 0 success, 2 bad input (scenario, option, path) with a message and
no traceback, 1 an internal error.
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from pathway_sim import __version__, api
from pathway_sim.core.errors import UsageError
from pathway_sim.core.schema import name_problem
from pathway_sim.core.statistics import CORRECTIONS
from pathway_sim.experiments.spec import load_experiment
from pathway_sim.inputs.calibration import calibration_table, load_targets
from pathway_sim.inputs.calibration import format_table as format_calibration
from pathway_sim.inputs.evidence import kpi_evidence
from pathway_sim.inputs.loading import ScenarioError, json_schema, load_scenario, scenario_sources
from pathway_sim.inputs.register import format_table as format_register
from pathway_sim.inputs.register import register_table
from pathway_sim.inputs.yaml_files import read_mapping
from pathway_sim.models.kpis import TOC_OUTCOMES, catalogue
from pathway_sim.models.perinatal.schema import PerinatalScenario
from pathway_sim.runs.executors import EXECUTORS, WorkerDied
from pathway_sim.runs.lock import locked
from pathway_sim.runs.outputs import write_csv, write_json
from pathway_sim.runs.precision import PrecisionGoal
from pathway_sim.runs.preflight import check_inputs_outside, check_out
from pathway_sim.sensitivity.spec import load_sensitivity


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


def out_dir(text: str) -> Path:
    """``--out DIR``: a directory name, never empty (an empty one would mean here)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("expected a directory name, got an empty one")
    if "\0" in text:
        raise argparse.ArgumentTypeError("expected a directory name, got one with a NUL byte")
    return Path(text)


def add_allow_large(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-large",
        action="store_true",
        help="run even above the workload limits (README: Limits)",
    )


def reps_value(text: str) -> int | str:
    """``--reps N`` or ``--reps auto`` (the replications algorithm chooses N)."""
    return "auto" if text == "auto" else positive_int("--reps")(text)


def add_scenario_options(parser: argparse.ArgumentParser, auto_reps: bool = False) -> None:
    parser.add_argument(
        "--reps",
        type=reps_value if auto_reps else positive_int("--reps"),
        help="replications (default: the scenario's run.replications)"
        + ("; auto: as many as --target-precision needs" if auto_reps else ""),
    )
    parser.add_argument(
        "--seed", type=seed_value, help="root seed (default: the scenario's run.seed)"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a scenario field, e.g. --set services.midwifery.staff=6 (repeatable)",
    )
    parser.add_argument(
        "--out", type=out_dir, help="results directory (default: results/<scenario name>)"
    )
    parser.add_argument(
        "--event-log", action="store_true", help="also write events.csv (one row per event)"
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")


def add_execution_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers", type=positive_int("--workers"), help="replications run at once (default 1)"
    )
    parser.add_argument(
        "--executor",
        choices=EXECUTORS,
        help="where replications run (default: processes when --workers > 1, else serial)",
    )
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", help="an existing dask cluster, e.g. tcp://host:8786"
    )
    parser.add_argument(
        "--resume", action="store_true", help="reuse the finished replications in --out"
    )
    add_allow_large(parser)


def add_precision_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--target-precision",
        type=float,
        metavar="D",
        help="with --reps auto: relative CI half-width to reach (default 0.05)",
    )
    parser.add_argument(
        "--kpis",
        metavar="A,B",
        help="with --reps auto: the KPIs that must reach it (default: the ToC headline KPIs, or all for a queueing model)",
    )
    parser.add_argument(
        "--max-reps",
        type=positive_int("--max-reps"),
        help="with --reps auto: most replications to run (default 200)",
    )


def load_with_options(path: Path, args: argparse.Namespace):
    reps = None if args.reps == "auto" else args.reps
    return api.resolve(path, args.set, reps, args.seed)


def refuse_inputs_inside(out: Path, scenarios: Sequence[Path]) -> None:
    """The scenario files (and what they extend) must lie outside ``--out``."""
    check_out(out)
    check_inputs_outside(out, [f for path in scenarios for f in scenario_sources(path)])


def execution(args: argparse.Namespace) -> dict:
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
    scenarios = [load_with_options(path, args) for path in args.scenarios]
    out = args.out or Path("results") / f"compare_{scenarios[0].name}"
    refuse_inputs_inside(out, args.scenarios)
    comparison = api.compare(
        *scenarios, out=out, correction=args.correction, event_log=args.event_log or args.report,
        **execution(args),
    )  # fmt: skip
    if not args.quiet:
        print(format_comparison(comparison.table))
        print(f"\nresults in {out}")
    if args.report:
        write_report(out, None, args.quiet)
    return 0


def cmd_experiment(args: argparse.Namespace) -> int:
    experiment = load_experiment(args.experiment, allow_large=args.allow_large)
    out = args.out or Path("results") / experiment.name
    result = api.run_experiment(experiment, out=out, event_log=args.report, **execution(args))
    if not args.quiet:
        print(format_comparison(result.comparison.table))
        if result.effects is not None:
            print("\n" + format_effects(result.effects))
        print(f"\nresults in {out}")
    if args.report:
        write_report(out, None, args.quiet)
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    spec = load_sensitivity(args.sensitivity)
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


def format_sensitivity(indices: pd.DataFrame, method: str, top: int = 5) -> str:
    """Per KPI, the ``top`` parameters by the method's main index, with the other indices
    and each one's 95% half-width where the method gives one."""
    shown = {"morris": ("mu_star", "sigma"), "sobol": ("ST", "S1"), "lhs": ("spearman",)}[method]
    lines = [f"Top {top} parameters per KPI by {shown[0]} ({method}); indices.csv has them all."]
    for kpi, rows in indices.groupby("kpi", sort=False):
        value = rows.pivot(index="param", columns="index", values="value")
        conf = rows.pivot(index="param", columns="index", values="conf")
        ranked = value[shown[0]].abs().sort_values(ascending=False).index[:top]
        lines.append(kpi)
        for param in ranked:
            cells = [
                f"{ix} {value.at[param, ix]:.3g}" + _half_width(conf.at[param, ix]) for ix in shown
            ]
            lines.append(f"  {param:<48} " + "  ".join(f"{c:<22}" for c in cells).rstrip())
    return "\n".join(lines)


def _half_width(conf: float) -> str:
    return "" if pd.isna(conf) else f" ± {conf:.2g}"


def cmd_report(args: argparse.Namespace) -> int:
    if not args.results_dir.is_dir():
        raise UsageError(f"{args.results_dir}: no such results directory")
    check_results_dir(args.results_dir)
    with locked(args.results_dir):
        write_report(args.results_dir, args.out, quiet=False)
    return 0


def check_results_dir(root: Path) -> None:
    """Refuse a results directory whose scenario names could not have been written by a
    run (a tampered or hand-made directory): the report joins them into paths."""
    comparison = root / "comparison.csv"
    if comparison.is_file() and not (root / "manifest.json").is_file():
        names = read_result_table(comparison, ["scenario"])["scenario"]
        for name in dict.fromkeys(names):
            if name_problem(name):
                raise UsageError(f"{comparison}: scenario: {name_problem(name)}")
            check_run_dir(root / str(name))
    else:
        check_run_dir(root)


def check_run_dir(path: Path) -> None:
    scenario = path / "scenario.yaml"
    if not scenario.is_file():
        return  # the report says what is missing
    _, data = read_mapping(scenario, "resolved scenario")
    if name_problem(data.get("name")):
        raise UsageError(f"{scenario}: name: {name_problem(data.get('name'))}")


def read_result_table(path: Path, columns: list[str]) -> pd.DataFrame:
    try:
        table = pd.read_csv(path)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: not a table pathway-sim wrote ({exc})") from None
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise UsageError(f"{path}: expected the columns {', '.join(missing)}")
    return table


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


def add_report_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--report", action=argparse.BooleanOptionalAction, default=True,
        help="write report.html (and figures/) at the end, keeping the event log it needs (default on)",
    )  # fmt: skip


def cmd_calibration(args: argparse.Namespace) -> int:
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
            f"\n{met} of {len(table)} targets in range; {len(result.replications)} replications in {wall:.1f} s"
        )
        print(f"results in {out}")
    return 0


def write_calibration(out: Path, table: pd.DataFrame) -> None:
    """``calibration.csv`` beside the run, then the run's manifest again, so that the
    manifest is the last file written (a directory with a manifest is whole)."""
    manifest_path = out / "manifest.json"
    info = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest_path.unlink()
    write_csv(out / "calibration.csv", table)
    info["calibration"] = {"targets": len(table), "in_range": int(table["in_range"].sum())}
    write_json(manifest_path, info)


def cmd_validate(args: argparse.Namespace) -> int:
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


def interval(low: float, high: float) -> str:
    return "n/a" if pd.isna(low) else f"[{low:.4g}, {high:.4g}]"


def format_summary(summary: pd.DataFrame, flagged: frozenset[str] = frozenset()) -> str:
    """A plain table of KPI means with their 95% confidence intervals; ``flagged`` KPIs get a *."""
    width = max(len(k) for k in summary["kpi"]) if len(summary) else 10
    lines = [f"{'KPI':<{width}}  {'mean':>12}  95% CI"]
    for row in summary.itertuples():
        mark = " *" if row.kpi in flagged else ""
        lines.append(
            f"{row.kpi:<{width}}  {row.mean:>12.4g}  {interval(row.ci_low, row.ci_high)}{mark}"
        )
    if flagged:
        lines.append(
            "\n* rest mainly on assumption-status parameters (kpi_evidence.csv, pathway-sim params)"
        )
    return "\n".join(lines)


def format_precision(precision: pd.DataFrame) -> str:
    """Per KPI: the relative half-width reached against the target."""
    lines = ["Precision (95% CI half-width / |mean|; Hoad, Robinson & Davies 2010):"]
    for row in precision.itertuples():
        needed = (
            "undecided" if pd.isna(row.replications_needed) else f"needs {row.replications_needed}"
        )
        verdict = "met" if row.met else "NOT met"
        lines.append(
            f"  {row.kpi:<30} {row.precision:8.4f}  target {row.target:g}: {verdict} ({needed})"
        )
    return "\n".join(lines)


def comparison_heading(table: pd.DataFrame) -> str:
    """Which intervals the differences are, and which correction was used."""
    base = table["scenario"].iloc[0]
    others = table["scenario"].nunique() - 1
    level = f"{table['diff_confidence'].iloc[0]:.4g}"
    correction = (
        f"Bonferroni-corrected for {others} comparisons: each interval at {level}"
        if table["correction"].iloc[0] == "bonferroni"
        else f"each interval at {level}, no multiple-comparison correction"
    )
    return f"Paired differences from the base {base!r} over common random numbers ({correction})."


def format_comparison(table: pd.DataFrame) -> str:
    """Per KPI, each scenario's mean and its paired difference from the base."""
    width = max(len(s) for s in table["scenario"]) + 2
    lines = [comparison_heading(table), ""]
    lines.append(
        f"{'KPI / scenario':<{width}}  {'mean':>10}  {'95% CI':<22}  {'diff vs base':>12}  CI"
    )
    for kpi, rows in table.groupby("kpi", sort=False):
        lines.append(kpi)
        for i, row in enumerate(rows.itertuples()):
            if pd.isna(row.mean):  # e.g. a service this scenario does not have
                lines.append(f"  {row.scenario:<{width - 2}}  {'not measured':>10}")
                continue
            diff = (
                f"{'(base)':>12}"
                if i == 0
                else f"{row.diff_vs_base:>12.4g}  {interval(row.diff_ci_low, row.diff_ci_high)}"
            )
            lines.append(
                f"  {row.scenario:<{width - 2}}  {row.mean:>10.4g}  "
                f"{interval(row.ci_low, row.ci_high):<22}  {diff}"
            )
    return "\n".join(lines)


def format_effects(effects: pd.DataFrame) -> str:
    """Main effects and two-way interactions per KPI, with their intervals."""
    level = f"{effects['confidence'].iloc[0]:.4g}"
    lines = [f"Factorial effects (paired over replications; intervals at {level}):"]
    for kpi, rows in effects.groupby("kpi", sort=False):
        lines.append(kpi)
        for row in rows.itertuples():
            lines.append(
                f"  {row.effect:<30} {row.estimate:>10.4g}  {interval(row.ci_low, row.ci_high)}"
            )
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
    add_scenario_options(run, auto_reps=True)
    add_execution_options(run)
    add_precision_options(run)
    run.set_defaults(func=cmd_run)

    compare = commands.add_parser(
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
    compare.set_defaults(func=cmd_compare)

    experiment = commands.add_parser(
        "experiment", help="run an experiment file (scenarios or a factorial)"
    )
    experiment.add_argument("experiment", type=Path, help="experiment YAML file")
    experiment.add_argument(
        "--out", type=out_dir, help="results directory (default: results/<experiment name>)"
    )
    add_execution_options(experiment)
    experiment.add_argument("--quiet", action="store_true", help="print nothing but errors")
    add_report_option(experiment)
    experiment.set_defaults(func=cmd_experiment)

    sensitivity = commands.add_parser(
        "sensitivity",
        help="global sensitivity analysis (Morris, Sobol or Latin hypercube) over the register's ranges",
    )
    sensitivity.add_argument("sensitivity", type=Path, help="sensitivity YAML file")
    sensitivity.add_argument(
        "--out", type=out_dir, help="results directory (default: results/<name>)"
    )
    add_execution_options(sensitivity)
    sensitivity.add_argument("--quiet", action="store_true", help="print nothing but errors")
    sensitivity.set_defaults(func=cmd_sensitivity)

    report = commands.add_parser(
        "report", help="write the workshop report (HTML and figures) for a results directory"
    )
    report.add_argument(
        "results_dir",
        type=Path,
        metavar="RESULTS_DIR",
        help="what run, compare or experiment wrote",
    )
    report.add_argument(
        "--out", type=out_dir, help="the HTML file (default: RESULTS_DIR/report.html)"
    )
    report.set_defaults(func=cmd_report)

    calibration = commands.add_parser(
        "calibration", help="compare a scenario's outputs with published targets"
    )
    calibration.add_argument(
        "scenario", type=Path, help="scenario YAML file (a base or site archetype)"
    )
    add_scenario_options(calibration)
    add_execution_options(calibration)
    calibration.set_defaults(func=cmd_calibration)

    validate = commands.add_parser("validate", help="check scenario files without running them")
    validate.add_argument("scenarios", type=Path, nargs="+", metavar="SCENARIO")
    validate.set_defaults(func=cmd_validate)

    params = commands.add_parser(
        "params", help="print the parameter register (value, range, source, status)"
    )
    params.add_argument("--csv", action="store_true", help="print the whole register as CSV")
    params.set_defaults(func=cmd_params)

    schema = commands.add_parser("schema", help="print the JSON Schema of scenario files")
    schema.set_defaults(func=cmd_schema)

    kpis = commands.add_parser(
        "kpis", help="print the KPI catalogue and the ToC outcome each measures"
    )
    kpis.add_argument(
        "--csv", action="store_true", help="as CSV: name, toc_outcome, definition, unit, better"
    )
    kpis.set_defaults(func=cmd_kpis)
    return parser


def show_notes(quiet: bool) -> None:
    """Print the library's notes (e.g. a run starting afresh) on stderr, unless quiet."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("pathway-sim: note: %(message)s"))
    logger = logging.getLogger("pathway_sim")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.ERROR if quiet else logging.INFO)
    logger.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    show_notes(getattr(args, "quiet", False))
    try:
        return args.func(args)
    except (ScenarioError, UsageError) as exc:
        print(f"pathway-sim: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early: not an error; silence the final flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except WorkerDied as exc:
        print(f"pathway-sim: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        if exc.errno not in UNWRITABLE:
            raise
        print(f"pathway-sim: error: {unwritable_message(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        quiet_after_interrupt()
        print("pathway-sim: interrupted", file=sys.stderr)
        return 130


UNWRITABLE = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}
"""Errors of the machine, not of the program: reported in one line, exit 1."""


def unwritable_message(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else ""
    return (
        f"{where}{exc.strerror}; every file written so far is whole (written under a temporary "
        "name and renamed), and --resume continues a run from its stored replications"
    )


def quiet_after_interrupt() -> None:
    """Silence what dask logs while its cluster closes after Ctrl-C (one line is enough)."""
    for name in ("distributed", "tornado", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
