"""The ``pathway-sim`` command line: options, dispatch and exit codes.

Exit codes: 0 success, 2 bad input (scenario, option, path) with a message and
no traceback, 1 an error of the machine (a full disk) or of the program. Every message
is one paragraph with no traceback (``--debug`` shows the traceback), and what it quotes
from a file is shown, never obeyed, by the terminal (``core/text.py``). Each command
lives with its parser, by what it does (``running.py``, ``reading.py``,
``catalogues.py``, ``workshop.py``; the options they share in ``options.py``); each
imports the library only when it runs, so ``--help`` and ``validate`` answer at once.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from pathway_sim.cli import catalogues, reading, running, workshop
from pathway_sim.core.errors import ScenarioError, UsageError
from pathway_sim.core.text import printable
from pathway_sim.core.version import __version__
from pathway_sim.runs.executors import WorkerDied

COMMANDS = (
    running.add_run, running.add_compare, running.add_experiment, running.add_sensitivity,
    reading.add_animate, reading.add_report, running.add_calibration, catalogues.add_validate,
    catalogues.add_params, catalogues.add_schema, catalogues.add_kpis, catalogues.add_scenarios,
    workshop.add_app, workshop.add_precompute,
)  # fmt: skip
"""Each command adds its own parser, in the order ``--help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pathway-sim",
        description="Discrete-event simulation of perinatal care pathways for women who use drugs.",
    )
    parser.add_argument("--version", action="version", version=f"pathway-sim {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="on an error, show its traceback (for a bug report)"
    )
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(subcommands)
    return parser


def show_notes(quiet: bool) -> None:
    """Print the library's notes (e.g. a run starting afresh) on stderr, unless quiet;
    they and the libraries' warnings (a figure's missing glyph quotes a label) are
    shown, not obeyed, by the terminal."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(ShownFormatter("pathway-sim: note: %(message)s"))
    logger = logging.getLogger("pathway_sim")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.ERROR if quiet else logging.INFO)
    logger.propagate = False
    warnings.formatwarning = shown_warning


_FORMAT_WARNING = warnings.formatwarning


def shown_warning(*args: Any, **kwargs: Any) -> str:
    return printable(_FORMAT_WARNING(*args, **kwargs))


class ShownFormatter(logging.Formatter):
    """A note as the terminal shows it: what it quotes from a file shown, not obeyed."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def error(message: object) -> None:
    print(f"pathway-sim: error: {printable(message)}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    show_notes(getattr(args, "quiet", False))
    try:
        code: int = args.func(args)
        return code
    except (ScenarioError, UsageError) as exc:
        if args.debug:
            raise
        error(exc)
        return 2
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early: not an error; silence the final flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except WorkerDied as exc:
        error(exc)
        return 1
    except KeyboardInterrupt:
        quiet_after_interrupt()
        print("pathway-sim: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the machine's (a full disk), or a bug: one line either way
        if args.debug:
            raise
        if isinstance(exc, OSError) and exc.errno in UNWRITABLE:
            error(unwritable_message(exc, hasattr(args, "resume")))
        else:
            error(
                f"internal error ({type(exc).__name__}: {exc}); run again with "
                "pathway-sim --debug to see where, and report it"
            )
        return 1


UNWRITABLE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}
"""Errors of the machine, not of the program (a full disk, a quota or a file-size limit
reached, a read-only or forbidden place): reported in one line, exit 1."""


def unwritable_message(exc: OSError, resumable: bool) -> str:
    where = f"{exc.filename}: " if exc.filename else ""
    resume = ", and --resume continues a run from its stored replications" if resumable else ""
    return (
        f"{where}{exc.strerror}; every file written so far is whole (written under a temporary "
        f"name and renamed){resume}"
    )


def quiet_after_interrupt() -> None:
    """Silence what dask logs while its cluster closes after Ctrl-C (one line is enough)."""
    for name in ("distributed", "tornado", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
