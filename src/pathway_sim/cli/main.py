"""The ``pathway-sim`` command line: options, dispatch and exit codes.

Exit codes: 0 success, 2 bad input (scenario, option, path) with a message and
no traceback, 1 an internal error. The commands (``cli/commands.py``) import the
library only when they run, so ``--help`` and ``validate`` answer at once.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pathway_sim.cli import commands
from pathway_sim.core.corrections import CORRECTIONS
from pathway_sim.core.errors import ScenarioError, UsageError
from pathway_sim.core.version import __version__
from pathway_sim.runs.executors import EXECUTORS, WorkerDied
from pathway_sim.runs.formats import (
    DEFAULT_EVENT_LOG_FORMAT,
    EVENT_LOG_FORMATS,
    use_event_log_format,
)


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
        "--event-log", action="store_true", help="also write the event log (one row per event)"
    )
    add_event_log_format(parser)
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")


def add_event_log_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--event-log-format",
        choices=list(EVENT_LOG_FORMATS),
        help=f"the event log's file: events.parquet or events.csv.gz "
        f"(default {DEFAULT_EVENT_LOG_FORMAT}, the smaller)",
    )


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
        help="with --reps auto: the KPIs that must reach it "
        "(default: the ToC headline KPIs, or all for a queueing model)",
    )
    parser.add_argument(
        "--max-reps",
        type=positive_int("--max-reps"),
        help="with --reps auto: most replications to run (default 200)",
    )


def add_full_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--full", action="store_true",
        help="print every KPI's means and differences, not only the compact scorecard",
    )  # fmt: skip


def add_report_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--report", action=argparse.BooleanOptionalAction, default=True,
        help="write report.html (and figures/) at the end, "
             "keeping the event log it needs (default on)",
    )  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pathway-sim",
        description="Discrete-event simulation of perinatal care pathways for women who use drugs.",
    )
    parser.add_argument("--version", action="version", version=f"pathway-sim {__version__}")
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = subcommands.add_parser("run", help="run replications of one scenario")
    run.add_argument(
        "scenario", type=Path, help="scenario YAML file, or a library name (pathway-sim scenarios)"
    )
    add_scenario_options(run, auto_reps=True)
    add_execution_options(run)
    add_precision_options(run)
    run.set_defaults(func=commands.cmd_run)

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
    compare.set_defaults(func=commands.cmd_compare)

    experiment = subcommands.add_parser(
        "experiment", help="run an experiment file (scenarios or a factorial)"
    )
    experiment.add_argument("experiment", type=Path, help="experiment YAML file")
    experiment.add_argument(
        "--out", type=out_dir, help="results directory (default: results/<experiment name>)"
    )
    add_execution_options(experiment)
    experiment.add_argument("--quiet", action="store_true", help="print nothing but errors")
    add_report_option(experiment)
    add_event_log_format(experiment)
    add_full_option(experiment)
    experiment.set_defaults(func=commands.cmd_experiment)

    sensitivity = subcommands.add_parser(
        "sensitivity",
        help="global sensitivity analysis (Morris, Sobol or Latin hypercube) "
        "over the register's ranges",
    )
    sensitivity.add_argument("sensitivity", type=Path, help="sensitivity YAML file")
    sensitivity.add_argument(
        "--out", type=out_dir, help="results directory (default: results/<name>)"
    )
    add_execution_options(sensitivity)
    sensitivity.add_argument("--quiet", action="store_true", help="print nothing but errors")
    sensitivity.set_defaults(func=commands.cmd_sensitivity)

    animate = subcommands.add_parser(
        "animate",
        help="an animated HTML view of women moving through services and queues (needs vidigi)",
    )
    animate.add_argument(
        "results_dir", type=Path, metavar="RESULTS_DIR", help="results with an event log"
    )
    animate.add_argument("--scenario", help="the scenario of a comparison (default: the first)")
    animate.add_argument(
        "--replication", type=int, help="the replication shown (default: the first)"
    )
    animate.add_argument(
        "--weeks", default="0:4", metavar="A:B",
        help="weeks from the start of the run shown (default 0:4)",
    )  # fmt: skip
    animate.add_argument("--out", type=Path, required=True, help="the HTML file written")
    animate.set_defaults(func=commands.cmd_animate)

    report = subcommands.add_parser(
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
    report.set_defaults(func=commands.cmd_report)

    calibration = subcommands.add_parser(
        "calibration", help="compare a scenario's outputs with published targets"
    )
    calibration.add_argument(
        "scenario", type=Path, help="scenario YAML file (a base or site archetype)"
    )
    add_scenario_options(calibration)
    add_execution_options(calibration)
    calibration.set_defaults(func=commands.cmd_calibration)

    validate = subcommands.add_parser("validate", help="check scenario files without running them")
    validate.add_argument("scenarios", type=Path, nargs="+", metavar="SCENARIO")
    validate.set_defaults(func=commands.cmd_validate)

    params = subcommands.add_parser(
        "params", help="print the parameter register (value, range, source, status)"
    )
    params.add_argument("--csv", action="store_true", help="print the whole register as CSV")
    params.set_defaults(func=commands.cmd_params)

    schema = subcommands.add_parser("schema", help="print the JSON Schema of scenario files")
    schema.set_defaults(func=commands.cmd_schema)

    kpis = subcommands.add_parser(
        "kpis", help="print the KPI catalogue and the ToC outcome each measures"
    )
    kpis.add_argument(
        "--csv", action="store_true", help="as CSV: name, toc_outcome, definition, unit, better"
    )
    kpis.set_defaults(func=commands.cmd_kpis)

    scenarios = subcommands.add_parser(
        "scenarios",
        help="list the scenario library (sites, interventions, experiments); copy one out",
    )
    scenarios.add_argument(
        "action",
        nargs="*",
        metavar="copy NAME DIR",
        help="copy library file NAME, and the files it names, into DIR to edit",
    )
    scenarios.set_defaults(func=commands.cmd_scenarios)

    app = subcommands.add_parser("app", help="serve the workshop what-if app on localhost")
    app.add_argument("--port", type=positive_int("--port"), default=8501, help="default 8501")
    app.add_argument("--results", type=out_dir, help="presets written by precompute --out DIR")
    app.set_defaults(func=commands.cmd_app)

    precompute = subcommands.add_parser(
        "precompute", help="run the library's levers per site at workshop size, for the app"
    )
    precompute.add_argument("--out", type=out_dir, required=True, help="directory to write")
    precompute.add_argument("--reps", type=positive_int("--reps"), default=10, help="default 10")
    precompute.add_argument("--sites", nargs="+", metavar="SITE", help="default: every site")
    precompute.add_argument("--levers", nargs="+", metavar="LEVER", help="default: every lever")
    precompute.add_argument("--workers", type=positive_int("--workers"), help="worker processes")
    precompute.set_defaults(func=commands.cmd_precompute)
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
    use_event_log_format(getattr(args, "event_log_format", None))
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
