"""The workshop's commands: ``app`` (the what-if app on localhost) and ``precompute``
(the scenario library at workshop size, for the app)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from pathway_sim.cli.options import out_dir, positive_int

if TYPE_CHECKING:
    from pathway_sim.cli.options import Subcommands


def add_app(subcommands: Subcommands) -> None:
    app = subcommands.add_parser("app", help="serve the workshop what-if app on localhost")
    app.add_argument("--port", type=positive_int("--port"), default=8501, help="default 8501")
    app.add_argument("--results", type=out_dir, help="presets written by precompute --out DIR")
    app.set_defaults(func=cmd_app)


def cmd_app(args: argparse.Namespace) -> int:
    from pathway_sim.app.server import serve

    return serve(args.port, args.results)


def add_precompute(subcommands: Subcommands) -> None:
    precompute = subcommands.add_parser(
        "precompute", help="run the library's levers per site at workshop size, for the app"
    )
    precompute.add_argument("--out", type=out_dir, required=True, help="directory to write")
    precompute.add_argument("--reps", type=positive_int("--reps"), default=10, help="default 10")
    precompute.add_argument("--sites", nargs="+", metavar="SITE", help="default: every site")
    precompute.add_argument("--levers", nargs="+", metavar="LEVER", help="default: every lever")
    precompute.add_argument("--workers", type=positive_int("--workers"), help="worker processes")
    precompute.set_defaults(func=cmd_precompute)


def cmd_precompute(args: argparse.Namespace) -> int:
    from pathway_sim.app.presets import precompute

    for path in precompute(args.out, args.reps, args.sites, args.levers, args.workers):
        print(path)
    return 0
