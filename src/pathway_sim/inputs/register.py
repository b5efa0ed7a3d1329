"""The parameter register: every numeric model parameter with its range, unit, source and status.

The register (``data/parameters.csv``) has one row per numeric leaf of the
built-in base scenario, named by its scenario path (``services.midwifery.staff``,
``population.early_known_gestation_weeks.mean``). Defaults live in the schema
alone (``models/perinatal/schema.py``): the register reads each row's default
from the built-in base scenario rather than storing a copy. ``low`` and
``high`` bound the plausible range that sensitivity analysis samples; ``status``
says how far the evidence goes: *sourced* (read in the source), *derived*
(worked out from a source, the working in ``note``) or *assumption*.
List-valued schedules (antenatal weeks, visit days) are one row each, with
``low``/``high`` bounding every entry.

``distribution`` says how a value is uncertain, for probabilistic sensitivity analysis
(``uncertainty/``), and ``group`` names parameters drawn together. An empty
``distribution`` takes the rule of ``rule_distribution``, so most rows write nothing:
a row without a range is ``fixed``, staffing is a ``decision``, any other row is
``pert`` over its range with the default as mode. A row writes its distribution
when the rule does not fit: ``lognormal`` or ``beta`` for a published 95% interval,
``decision``, ``site`` or ``method`` for what is chosen rather than uncertain,
``computed`` for a value worked out from other rows in every draw.
"""

from __future__ import annotations

import csv
import difflib
import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from pathway_sim.core.marginals import RANGE_IS, marginal_problem
from pathway_sim.models.perinatal.schema import PerinatalScenario

COLUMNS = (
    "name", "default", "low", "high", "unit", "source", "status", "quality", "note",
    "distribution", "group",
)  # fmt: skip
"""Columns of the register as printed (``pathway-sim params``); the file stores all but
``default``, and an empty ``distribution`` is printed as its rule gives it."""
STATUSES = ("sourced", "derived", "assumption")
QUALITIES = ("H", "M", "L")
NOT_PARAMETERS = frozenset({"extends", "run.seed", "run.replications"})
"""Leaves that say how to read or run a scenario, not what the system is like."""

Default = float | tuple[float, ...] | None

HELD: dict[str, str] = {
    "decision": "chosen by the planner: staffing, posts, hours, lever settings, service standards",
    "site": "describes the planner's own site (its size, its rural share), which she knows",
    "method": "a modelling or costing convention, or the definition of an output measure",
    "fixed": "no range to draw from (low = high, a schedule or an unset value)",
}
"""What is not drawn in probabilistic sensitivity analysis, and why."""
COMPUTED = "computed"
"""A value worked out from other rows of its group in every draw (``uncertainty/computed.py``)."""


@dataclass(frozen=True)
class Parameter:
    """One register row."""

    name: str
    default: Default
    low: float
    high: float
    unit: str
    source: str
    status: str
    quality: str
    note: str
    distribution: str = ""
    """As stated in the file or, if empty there, as ``rule_distribution`` gives it."""
    group: str = ""
    """Rows of one group are drawn together (one shared quantile); empty: drawn alone."""

    @property
    def is_uncertain(self) -> bool:
        """Whether probabilistic sensitivity analysis draws this value."""
        return self.distribution in RANGE_IS or self.distribution == COMPUTED

    @property
    def range_is(self) -> str:
        """What ``low``-``high`` means for the draws: bounds, a 95% interval or nothing."""
        return RANGE_IS.get(self.distribution, "")

    @property
    def is_assumption(self) -> bool:
        return self.status == "assumption"

    @property
    def is_schedule(self) -> bool:
        """A list of weeks or days: bounded entry by entry, not varied as one number."""
        return isinstance(self.default, tuple)

    @property
    def varies(self) -> bool:
        """Whether sensitivity analysis has a range to sample (design choices have low = high)."""
        return not self.is_schedule and self.low < self.high


def _read_rows() -> list[dict[str, str]]:
    """The stored rows, each with its default from the schema (empty for an unset number,
    a schedule written ``[16, 28, 34]``) and its distribution resolved by the rule where
    the file leaves it empty (a row appended without the last columns reads as empty)."""
    text = resources.files("pathway_sim").joinpath("data", "parameters.csv").read_text("utf-8")
    defaults = builtin_defaults()
    rows = []
    for row in csv.DictReader(text.splitlines()):
        value = defaults.get(row["name"])
        stated = {key: row.get(key) or "" for key in ("distribution", "group")}
        if not stated["distribution"]:
            stated["distribution"] = rule_distribution(
                value, float(row["low"]), float(row["high"]), row["unit"]
            )
        rows.append({**row, **stated, "default": _shown(value)})
    return rows


DECISION_UNITS = frozenset({"posts", "hours/week per post"})
"""Units of staffing: what a planner decides, never drawn."""


def rule_distribution(default: Any, low: float, high: float, unit: str) -> str:
    """The distribution of a row whose file leaves it empty: ``fixed`` without a range (low
    = high, a schedule, an unset number), ``decision`` for staffing, else ``pert``."""
    if default is None or isinstance(default, list) or low >= high:
        return "fixed"
    if unit in DECISION_UNITS:
        return "decision"
    return "pert"


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "[" + ", ".join(f"{v:g}" for v in value) + "]"
    return str(value)


@lru_cache(maxsize=1)
def builtin_defaults() -> dict[str, Any]:
    """Dotted path -> default of every numeric parameter of the built-in base scenario."""
    return numeric_leaves(PerinatalScenario.builtin_defaults())


def _default(name: str) -> Default:
    value = builtin_defaults().get(name)
    if isinstance(value, list):
        return tuple(float(v) for v in value)
    return None if value is None else float(value)


@lru_cache(maxsize=1)
def load_register() -> dict[str, Parameter]:
    """Every register row by name, in the register's order (``ValueError`` if a row's
    distribution or group breaks the rules ``check_distribution`` holds)."""
    register = {
        r["name"]: Parameter(
            r["name"],
            _default(r["name"]),
            float(r["low"]),
            float(r["high"]),
            r["unit"],
            r["source"],
            r["status"],
            r["quality"],
            r["note"],
            r["distribution"],
            r["group"],
        )
        for r in _read_rows()
    }
    problems = [f"{p.name}: {why}" for p in register.values() if (why := check_distribution(p))]
    problems += _lone_groups(register.values())
    if problems:
        raise ValueError("parameters.csv: " + "; ".join(problems))
    return register


def check_distribution(p: Parameter) -> str | None:
    """What is wrong with a row's distribution and group, if anything: the name must be
    known, the range must suit it (``core/marginals.py``), and only drawn rows may join
    a group."""
    if p.distribution not in (*RANGE_IS, *HELD, COMPUTED):
        known = ", ".join((*RANGE_IS, *HELD, COMPUTED))
        return f"distribution {p.distribution!r} is not one of {known}"
    if p.group and not p.is_uncertain:
        return f"group {p.group!r}: a {p.distribution} value is not drawn, so joins no group"
    if p.distribution == "fixed" and p.varies:
        return "fixed but has a range: say why it is not drawn (decision, site or method)"
    if p.distribution == COMPUTED and not p.group:
        return "computed needs the group it is computed from"
    if p.distribution not in RANGE_IS:
        return None
    if isinstance(p.default, tuple) or p.default is None:  # a schedule, or an unset number
        return f"{p.distribution} needs one number, not a schedule or an unset value"
    return marginal_problem(p.distribution, p.low, p.default, p.high)


def _lone_groups(rows: Iterable[Parameter]) -> list[str]:
    """A group of one row draws nothing jointly: a typo, most likely."""
    members: dict[str, list[str]] = {}
    for p in rows:
        if p.group:
            members.setdefault(p.group, []).append(p.name)
    return [
        f"group {g!r} has one row ({names[0]})" for g, names in members.items() if len(names) < 2
    ]


def register_table() -> pd.DataFrame:
    """The register as a table, with each default read from the schema."""
    return pd.DataFrame(_read_rows(), columns=list(COLUMNS))


def parameter(name: str) -> Parameter:
    """The register row for a scenario path; a KeyError names the nearest row."""
    register = load_register()
    if name not in register:
        close = difflib.get_close_matches(name, list(register), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise KeyError(f"{name!r} is not in the parameter register{hint}")
    return register[name]


def ranges(names: Iterable[str] | None = None) -> dict[str, tuple[float, float]]:
    """``name -> (low, high)`` for sensitivity analysis: the named rows, or every row that
    varies."""
    if names is None:
        return {p.name: (p.low, p.high) for p in load_register().values() if p.varies}
    return {n: (parameter(n).low, parameter(n).high) for n in names}


def matching(patterns: Iterable[str]) -> list[Parameter]:
    """Register rows whose name matches any shell-style pattern (``services.*.staff``)."""
    patterns = list(patterns)
    return [
        p
        for p in load_register().values()
        if any(fnmatch.fnmatchcase(p.name, pat) for pat in patterns)
    ]


def numeric_leaves(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted path -> value for every number, number list or unset number in a scenario's data.

    Switches, labels and text are levers and descriptions, not numeric
    parameters; run settings (seed, replications) and ``extends`` are left out too. An unset
    optional number (``funding_end_day: null``) is kept, as ``None``.
    """
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(numeric_leaves(value, f"{path}."))
        elif path in NOT_PARAMETERS or isinstance(value, (bool, str)):
            continue
        elif (
            value is None
            or isinstance(value, (int, float))
            or (isinstance(value, list) and value and all(_is_number(v) for v in value))
        ):
            out[path] = value
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def format_table(table: pd.DataFrame, source_width: int = 60) -> str:
    """The register as plain text: name, default, range, unit, status and (shortened) source."""
    width = max((len(n) for n in table["name"]), default=4)
    lines = [
        f"{'name':<{width}}  {'default':>10}  {'range':<17}  {'unit':<20}  {'status':<10}  source"
    ]
    for row in table.to_dict("records"):
        default, source = row["default"], row["source"]
        default = default if len(default) <= 10 else default[:9] + "…"
        source = source if len(source) <= source_width else source[: source_width - 1] + "…"
        span = f"{row['low']}-{row['high']}"
        lines.append(
            f"{row['name']:<{width}}  {default:>10}  {span:<17}  {row['unit']:<20}  "
            f"{row['status']:<10}  {source}"
        )
    counts = table["status"].value_counts()
    tally = ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUSES)
    lines.append(f"\n{len(table)} parameters: {tally}. Full rows with --csv.")
    return "\n".join(lines)
