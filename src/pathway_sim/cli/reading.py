"""The commands that read a results directory: ``report`` and ``animate``. They read it
through the results reader (``runs/reader.py``), never by file names of their own."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from pathway_sim.cli.options import out_dir
from pathway_sim.core.errors import UsageError
from pathway_sim.core.text import printable
from pathway_sim.runs import layout

if TYPE_CHECKING:
    from pathway_sim.cli.options import Subcommands


def add_animate(subcommands: Subcommands) -> None:
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
        help="weeks from the start of the counted cohort (the warm-up's end) shown, "
             "at most 13 (default 0:4); the clock counts days of the run",
    )  # fmt: skip
    animate.add_argument("--out", type=out_dir, required=True, help="the HTML file written")
    animate.set_defaults(func=cmd_animate)


def cmd_animate(args: argparse.Namespace) -> int:
    from pathway_sim.reporting import animate

    if not args.results_dir.is_dir():
        raise UsageError(f"{args.results_dir}: no such results directory")
    refuse_directory(args.out, "animation.html")
    weeks = animate.parse_weeks(args.weeks)
    figure = animate.build(args.results_dir, args.scenario, args.replication, weeks)
    animate.write_animation(figure, args.out)
    print(f"animation: {printable(args.out)} ({len(figure.frames)} frames)")
    return 0


def add_report(subcommands: Subcommands) -> None:
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
    report.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from pathway_sim.runs.lock import locked
    from pathway_sim.runs.reader import check_results_dir

    if not args.results_dir.is_dir():
        raise UsageError(f"{args.results_dir}: no such results directory")
    refuse_directory(args.out, layout.REPORT)
    check_results_dir(args.results_dir)
    with locked(args.results_dir):
        write_report(args.results_dir, args.out, quiet=False)
    return 0


def refuse_directory(out: Path | None, example: str) -> None:
    """``--out`` names the file to write: an existing directory cannot be one."""
    if out is not None and out.is_dir():
        raise UsageError(
            f"--out {out}: is a directory; expected the file to write, e.g. {out / example}"
        )


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
        print(f"report: {printable(path)} (built in {time.perf_counter() - started:.1f} s)")
    return path
