"""The options several commands share: their types, the groups of them, and the one
``RunOptions`` a running command builds from them.

Only light modules are imported here (no pandas), so that ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from pathway_sim.runs.executors import EXECUTORS
from pathway_sim.runs.formats import DEFAULT_EVENT_LOG_FORMAT, EVENT_LOG_FORMATS
from pathway_sim.runs.options import RunOptions

if TYPE_CHECKING:
    Subcommands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
    """What each command adds its parser to (``argparse``'s sub-parsers)."""


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


def reps_value(text: str) -> int | str:
    """``--reps N`` or ``--reps auto`` (the replications algorithm chooses N)."""
    return "auto" if text == "auto" else positive_int("--reps")(text)


def add_out(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument("--out", type=out_dir, help=f"results directory (default: {default})")


def add_quiet(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")


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
    add_out(parser, "results/<scenario name>")
    parser.add_argument(
        "--event-log", action="store_true", help="also write the event log (one row per event)"
    )
    add_event_log_format(parser)
    add_quiet(parser)


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
    parser.add_argument(
        "--allow-large",
        action="store_true",
        help="run even above the workload limits (README: Limits)",
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


def run_options(args: argparse.Namespace, out: Path, event_log: bool = False) -> RunOptions:
    """The run options the execution options give, for results in ``out`` (the one
    ``RunOptions`` of a command: built once, handed to the library whole)."""
    return RunOptions(
        out=out,
        workers=args.workers,
        executor=args.executor,
        scheduler=args.scheduler,
        event_log=event_log,
        event_log_format=getattr(args, "event_log_format", None),
        resume=args.resume,
        progress=not args.quiet,
        allow_large=args.allow_large,
    )
