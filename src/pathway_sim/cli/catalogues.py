"""The commands that describe rather than run: ``validate``, ``params``, ``schema``,
``kpis`` and ``scenarios`` (the library, and copying a file out of it)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pathway_sim.core.errors import ScenarioError, UsageError
from pathway_sim.core.text import printable

if TYPE_CHECKING:
    from pathway_sim.cli.options import Subcommands


def add_validate(subcommands: Subcommands) -> None:
    validate = subcommands.add_parser("validate", help="check scenario files without running them")
    validate.add_argument("scenarios", type=Path, nargs="+", metavar="SCENARIO")
    validate.set_defaults(func=cmd_validate)


def cmd_validate(args: argparse.Namespace) -> int:
    from pathway_sim.inputs.loading import load_scenario

    failures = 0
    for path in args.scenarios:
        try:
            scenario = load_scenario(path)
        except (ScenarioError, UsageError) as exc:
            failures += 1
            where = "" if str(path) in str(exc) else f"{path}: "  # most messages name their file
            print(f"pathway-sim: {printable(f'{where}{exc}')}", file=sys.stderr)
        else:
            print(f"ok  {printable(path)}  ({scenario.model}: {scenario.name})")
    return 2 if failures else 0


def add_params(subcommands: Subcommands) -> None:
    params = subcommands.add_parser(
        "params", help="print the parameter register (value, range, source, status)"
    )
    params.add_argument("--csv", action="store_true", help="print the whole register as CSV")
    params.set_defaults(func=cmd_params)


def cmd_params(args: argparse.Namespace) -> int:
    from pathway_sim.inputs.register import format_table as format_register
    from pathway_sim.inputs.register import register_table

    table = register_table()
    if args.csv:
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(format_register(table))
    return 0


def add_schema(subcommands: Subcommands) -> None:
    schema = subcommands.add_parser("schema", help="print the JSON Schema of scenario files")
    schema.set_defaults(func=cmd_schema)


def cmd_schema(args: argparse.Namespace) -> int:
    from pathway_sim.inputs.loading import json_schema

    print(json.dumps(json_schema(), indent=2))
    return 0


def add_kpis(subcommands: Subcommands) -> None:
    kpis = subcommands.add_parser(
        "kpis", help="print the KPI catalogue and the ToC outcome each measures"
    )
    kpis.add_argument(
        "--csv", action="store_true", help="as CSV: name, toc_outcome, definition, unit, better"
    )
    kpis.set_defaults(func=cmd_kpis)


def cmd_kpis(args: argparse.Namespace) -> int:
    from pathway_sim.models.mids import mid
    from pathway_sim.models.perinatal.kpis import catalogue
    from pathway_sim.models.perinatal.toc import TOC_OUTCOMES

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
        print(f"\n{outcome}  {TOC_OUTCOMES[str(outcome)]}")
        for row in group.to_dict("records"):
            print(f"  {row['name']:<40} {row['unit']:<18} better: {row['better']}")
            print(f"      {row['definition']}")
            print(f"      matters from: {row['mid_reason'] or 'any clear difference (none set)'}")
    return 0


def add_scenarios(subcommands: Subcommands) -> None:
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
    scenarios.set_defaults(func=cmd_scenarios)


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
    if not destination.strip():
        raise UsageError("scenarios copy: expected a directory name for DIR, got an empty one")
    for path in library.copy_out(name, Path(destination)):
        print(f"wrote {printable(path)}")
    return 0
