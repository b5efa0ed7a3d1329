"""What a presenter can choose: site archetypes, levers grouped by key requirement, each
lever's intensity and each service's staffing, all bounded by the scenario schema.

Everything is read from the installed scenario library and the schema, so a lever
added to ``scenarios/interventions/`` appears in the app without a code change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel

from pathway_sim.core.errors import UsageError
from pathway_sim.inputs import library
from pathway_sim.inputs.loading import load_scenario, overlay_file, with_changes
from pathway_sim.inputs.register import load_register, numeric_leaves
from pathway_sim.models.perinatal.schema import PerinatalScenario
from pathway_sim.models.perinatal.toc import KEY_REQUIREMENTS

WHOLE_SYSTEM = "whole_system"
HEADROOM = 3
"""An open-ended field (staff posts) may go to this many times its register high."""


@dataclass(frozen=True)
class Lever:
    """One intervention file: its name, label, key requirements, plain-words change and
    the numeric settings it writes (its intensity), dotted path -> value."""

    name: str
    label: str
    key_requirements: tuple[str, ...]
    changes: str
    path: Path
    settings: Mapping[str, float]


@dataclass(frozen=True)
class Bounds:
    """A widget's range: what the schema allows, closed so a number input can show it."""

    low: float
    high: float
    integer: bool


def sites() -> list[str]:
    """The site archetypes of the library (group ``sites``), in name order."""
    return [e.name for e in library.entries() if e.kind == "scenario" and e.group == "sites"]


@lru_cache(maxsize=1)
def levers() -> tuple[Lever, ...]:
    """Every intervention file of the library, the whole system last."""
    found = [
        _lever(e.path)
        for e in library.entries()
        if e.kind == "scenario" and e.group == "interventions"
    ]
    return tuple(sorted(found, key=lambda lv: (lv.name == WHOLE_SYSTEM, lv.name)))


def _lever(path: Path) -> Lever:
    data = yaml.safe_load(path.read_text()) or {}
    writes = {k: v for k, v in data.items() if k in ("interventions", "services")}
    settings = {k: v for k, v in numeric_leaves(writes).items() if not isinstance(v, bool)}
    return Lever(
        name=data.get("name", path.stem),
        label=data.get("label") or path.stem,
        key_requirements=tuple(data.get("key_requirements", ())),
        changes=" ".join(str(data.get("changes", data.get("description", ""))).split()),
        path=path,
        settings=settings,
    )


def lever(name: str) -> Lever:
    """The library lever called ``name``; a clear error otherwise."""
    for found in levers():
        if found.name == name:
            return found
    raise UsageError(
        f"{name}: not a lever of the library ({', '.join(lv.name for lv in levers())})"
    )


def by_requirement() -> dict[str, list[Lever]]:
    """KR1..KR8 -> the single levers acting on it (a lever on two shows under both)."""
    groups: dict[str, list[Lever]] = {kr: [] for kr in KEY_REQUIREMENTS}
    for lv in levers():
        if lv.name == WHOLE_SYSTEM:
            continue
        for kr in lv.key_requirements:
            groups.setdefault(kr, []).append(lv)
    return groups


@lru_cache(maxsize=8)
def site_scenario(site: str) -> PerinatalScenario:
    """The site archetype's resolved scenario: the base every what-if is compared with."""
    path = library.locate(site, "scenario")
    if path is None:
        raise UsageError(f"{site}: not a site of the library ({', '.join(sites())})")
    scenario = load_scenario(path)
    if not isinstance(scenario, PerinatalScenario):
        raise UsageError(f"{path}: a site is a perinatal scenario (model: perinatal)")
    return scenario


def _field(scenario: BaseModel, dotted: str) -> tuple[type[BaseModel], str]:
    """The model class holding the last part of ``dotted`` inside ``scenario``."""
    *parents, last = dotted.split(".")
    node: Any = scenario
    for part in parents:
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    return type(node), last


def bounds(scenario: BaseModel, dotted: str) -> Bounds:
    """The schema's valid range for a numeric field (``services.midwifery.staff``); an
    open upper end is closed at ``HEADROOM`` times the register's high (or the value)."""
    model, name = _field(scenario, dotted)
    info = model.model_fields[name]
    integer = info.annotation is int
    low, high = float("-inf"), float("inf")
    for rule in info.metadata:
        if isinstance(rule, Ge):
            low = _number(rule.ge)
        elif isinstance(rule, Gt):
            low = _number(rule.gt) + (1 if integer else 1e-6)
        elif isinstance(rule, Le):
            high = _number(rule.le)
        elif isinstance(rule, Lt):
            high = _number(rule.lt)
    if high == float("inf"):
        row = load_register().get(dotted)
        value = float(_value(scenario, dotted))
        high = HEADROOM * max(row.high if row else 0.0, value, 1.0)
    return Bounds(max(low, 0.0), high, integer)


def _number(bound: object) -> float:
    """A schema bound (``Field(ge=...)``) as a float: the schema bounds numbers only."""
    if not isinstance(bound, (int, float)):
        raise TypeError(f"a numeric field bounded by {bound!r}")
    return float(bound)


def _value(scenario: BaseModel, dotted: str) -> Any:
    node: Any = scenario
    for part in dotted.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    return node


def staffed_services(scenario: PerinatalScenario) -> list[str]:
    """The site's services, in schema order (staff can be set for any)."""
    return list(type(scenario.services).model_fields)


@dataclass(frozen=True)
class WhatIf:
    """A presenter's choice: site, levers with intensities, staffing, replications."""

    site: str
    levers: Sequence[str]
    intensity: Mapping[str, float]
    staff: Mapping[str, int]
    reps: int
    name: str = "what-if"


def slug(text: str) -> str:
    """A scenario name (one path component) from a presenter's label."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", text.strip()).strip("_")
    return cleaned[:60] or "what_if"


def build(choice: WhatIf) -> tuple[PerinatalScenario, PerinatalScenario]:
    """The site's base and the what-if (the levers' files laid over the site, then the
    intensities and staffing), both with ``choice.reps`` replications and the base's
    seed (common random numbers). Raises ``ScenarioError``/``UsageError`` with the
    schema's message for a value out of range."""
    base = with_changes(site_scenario(choice.site), {"run.replications": choice.reps}, "app")
    scenario = base
    for name in choice.levers:
        scenario = overlay_file(scenario, lever(name).path)
    changed = {k: v for k, v in choice.staff.items() if _value(base, k) != v}
    label = choice.name.strip() or "what-if"
    changes = {**choice.intensity, **changed, "name": slug(label), "label": label}
    changes["key_requirements"] = _requirements(choice.levers)
    whatif = with_changes(scenario, changes, "the app's what-if")
    if whatif.name == base.name:
        whatif = with_changes(whatif, {"name": f"{base.name}_what_if"}, "the app's what-if")
    return base, whatif


def _requirements(names: Sequence[str]) -> list[str]:
    found = {kr for n in names for kr in lever(n).key_requirements}
    return [kr for kr in KEY_REQUIREMENTS if kr in found]
