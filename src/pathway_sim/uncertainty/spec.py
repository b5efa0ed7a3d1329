"""Uncertainty files: the options to compare, which inputs are uncertain, and how many draws.

An uncertainty file names a base scenario and the scenarios to compare with it (files,
or ``overlays`` laid over the base as in an experiment), how many parameter sets to
draw (``draws``, the outer loop) and how many replications each scenario runs per draw
(``replications``, the inner loop, on common random numbers). Paths are relative to
the file. Example::

    name: uncertainty_default
    base: ../scenarios/base.yaml
    scenarios: [../scenarios/interventions/kr5_hub.yaml]
    draws: 200
    replications: 2
    sampler: lhs                 # lhs, or sobol (scrambled; draws a power of 2)
    seed: 1
    decisions: [all, kr5_hub_vs_base]
    willingness_to_pay: {baby_with_mother_at_12m_pct: [0, 10000, 20000, 50000]}
    evppi_groups: {removal_harms: [harms.removal_*]}

Which parameters vary: by default every register row with a distribution
(``pathway-sim params``), so not decisions (staffing, posts, lever settings, service
standards), the site's size and rural share, method choices (warm-up, follow-up,
discount rate, working hours, the definitions of output measures) or rows without a
range; nor any value the base scenario sets itself (it keeps it). ``parameters``
(names or shell-style patterns) replaces that default, ``exclude`` removes from it,
and ``distributions`` gives a parameter its own distribution (drawing it even if the
register would not). A scenario that sets a drawn parameter itself keeps its own value
in every draw. Rows the register marks ``computed`` are recomputed in each draw from
the values they are worked out from.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StrictFloat, field_validator, model_validator

from pathway_sim.core.errors import ScenarioError
from pathway_sim.core.marginals import RANGE_IS, Marginal
from pathway_sim.core.schema import Name, Strict
from pathway_sim.experiments.cost_effectiveness import EFFECTS
from pathway_sim.experiments.spec import Changes, validate_file
from pathway_sim.inputs.loading import load_scenario, overlay_file, scenario_sources
from pathway_sim.inputs.register import COMPUTED, builtin_defaults, load_register, numeric_leaves
from pathway_sim.inputs.yaml_files import read_mapping
from pathway_sim.models import Scenario
from pathway_sim.runs.preflight import Workload, entities_per_replication
from pathway_sim.uncertainty.computed import COMPUTATIONS

Sampler = Literal["lhs", "sobol"]
ALL = "all"
VERSUS_BASE = "_vs_base"
Decision = Annotated[str, Field(pattern=r"^(all|[A-Za-z0-9_.+\-]+_vs_base)$")]
"""``all`` (choose among every scenario) or ``<scenario>_vs_base`` (that one or the base)."""
Money = Annotated[float, Field(ge=0, strict=False)]
DEFAULT_WILLINGNESS_TO_PAY: dict[str, list[float]] = {
    "baby_with_mother_at_12m_pct": [0, 5_000, 10_000, 20_000, 30_000, 50_000, 100_000],
    "overdoses_per_1000": [0, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000],
}
"""GBP per extra baby with her mother at 12 months and per overdose averted."""


class FileDistribution(Strict):
    """A parameter's distribution given in the file rather than the register."""

    distribution: Literal[tuple(RANGE_IS)]  # type: ignore[valid-type]
    low: StrictFloat = Field(strict=False)
    high: StrictFloat = Field(strict=False)


class UncertaintyFile(Strict):
    """What an uncertainty YAML file may hold."""

    name: Name
    description: str = ""
    base: str = Field(description="Base scenario file, relative to this file.")
    scenarios: list[str] = Field(default_factory=list, description="Scenario files to compare.")
    overlays: list[str] = Field(
        default_factory=list, description="Scenario files whose own changes overlay the base."
    )
    set: Changes = Field(default_factory=dict, description="Changes applied to every scenario.")
    draws: int = Field(gt=1, description="Parameter sets drawn (the outer loop).")
    replications: int = Field(
        default=2, gt=0, description="Replications of each scenario per draw (the inner loop)."
    )
    sampler: Sampler = Field(default="lhs", description="lhs, or sobol (scrambled).")
    seed: int = Field(default=1, ge=0, description="Root seed of the draws and replications.")
    parameters: list[str] | None = Field(
        default=None, description="Names or patterns to vary instead of the register's default."
    )
    exclude: list[str] = Field(default_factory=list, description="Names or patterns not to vary.")
    distributions: dict[str, FileDistribution] = Field(
        default_factory=dict,
        description="A parameter's own distribution, instead of the register's.",
    )
    decisions: list[Decision] = Field(default_factory=lambda: [ALL], min_length=1)
    willingness_to_pay: dict[str, list[Money]] = Field(
        default_factory=lambda: dict(DEFAULT_WILLINGNESS_TO_PAY),
        description="GBP per unit of each outcome, by its KPI: the grid of the CEAC and EVPPI.",
    )
    horizon_years: int = Field(
        default=5, gt=0, description="Years of the site's cohorts the population EVPI counts."
    )
    evppi_groups: dict[Name, list[str]] = Field(
        default_factory=dict, description="Named groups of parameters (names or patterns)."
    )

    @field_validator("willingness_to_pay")
    @classmethod
    def _known_outcomes(cls, grid: dict[str, list[float]]) -> dict[str, list[float]]:
        known = [e.kpi for e in EFFECTS]
        for kpi, values in grid.items():
            if kpi not in known:
                raise ValueError(f"{kpi}: expected one of {', '.join(known)}")
            if not values or any(b <= a for a, b in pairwise(values)):
                raise ValueError(f"{kpi}: expected increasing amounts, got {values}")
        return grid

    @model_validator(mode="after")
    def _consistent(self) -> UncertaintyFile:
        if not (self.scenarios or self.overlays):
            raise ValueError("expected scenarios or overlays: something to compare with the base")
        if self.sampler == "sobol" and self.draws & (self.draws - 1):
            raise ValueError(f"draws: Sobol needs a power of 2 (e.g. 128, 256), got {self.draws}")
        return self


@dataclass(frozen=True)
class Uncertain:
    """One drawn parameter: its distribution, the group it is drawn with, and its unit."""

    name: str
    marginal: Marginal
    group: str
    """Parameters of one group share one quantile in every draw; empty: drawn alone."""
    integer: bool
    unit: str
    origin: str
    """``register`` or ``file``: where its distribution came from."""


@dataclass(frozen=True)
class UncertaintySpec:
    """A resolved uncertainty file: validated scenarios (base first) and what is drawn."""

    file: UncertaintyFile
    scenarios: tuple[Scenario, ...]
    uncertain: tuple[Uncertain, ...]
    computed: tuple[str, ...]
    """Parameters recomputed in every draw from drawn ones (``computed.py``)."""
    evppi_groups: dict[str, tuple[str, ...]]
    source_text: str
    sources: tuple[Path, ...] = ()

    @property
    def base(self) -> Scenario:
        return self.scenarios[0]

    @property
    def names(self) -> list[str]:
        """Every parameter that changes between draws: drawn ones, then computed ones."""
        return [u.name for u in self.uncertain] + list(self.computed)

    def workload(self) -> Workload:
        """Every scenario replicated in every draw: what the run-size limits check."""
        runs = self.file.draws * len(self.scenarios)
        reps = runs * self.file.replications
        return Workload(runs, reps, reps * entities_per_replication(self.base))

    def options(self, decision: str) -> list[str]:
        """The scenarios a decision chooses among, base first."""
        every = [s.name for s in self.scenarios]
        return every if decision == ALL else [every[0], decision.removesuffix(VERSUS_BASE)]


def load_uncertainty(path: str | Path, **changes: Any) -> UncertaintySpec:
    """Read, validate and resolve an uncertainty file; ``changes`` replace its fields
    (``draws=16``, ``replications=1``) and are validated alike."""
    path = Path(path)
    text, data = read_mapping(path, "uncertainty")
    spec = validate_file(UncertaintyFile, {**data, **changes}, path, "uncertainty file")
    scenarios = _scenarios(path, spec)
    _check_decisions(path, spec, scenarios)
    uncertain, computed = resolve_uncertain(path, scenarios[0], spec)
    names = [u.name for u in uncertain] + list(computed)
    groups = {
        g: _matching(path, f"evppi_groups: {g}", p, names) for g, p in spec.evppi_groups.items()
    }
    sources = [path, *scenario_sources(path.parent / spec.base)]
    for listed in spec.scenarios:
        sources += scenario_sources(path.parent / listed)
    sources += [path.parent / f for f in spec.overlays]
    return UncertaintySpec(
        spec, scenarios, uncertain, computed, groups, text, tuple(dict.fromkeys(sources))
    )


def _scenarios(path: Path, spec: UncertaintyFile) -> tuple[Scenario, ...]:
    """The base and every scenario, each with the file's shared settings; names unique."""
    settings = {f"{path}: set: {k}": (k, v) for k, v in spec.set.items()}
    settings[f"{path}: replications"] = ("run.replications", spec.replications)
    settings[f"{path}: seed"] = ("run.seed", spec.seed)
    base = load_scenario(path.parent / spec.base, settings=settings)
    files = [load_scenario(path.parent / f, settings=settings) for f in spec.scenarios]
    overlays = [overlay_file(base, path.parent / f) for f in spec.overlays]
    scenarios = (base, *files, *overlays)
    names = [s.name for s in scenarios]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ScenarioError(f"{path}: scenarios: each needs its own name; {twice} appear twice")
    return scenarios


def _check_decisions(path: Path, spec: UncertaintyFile, scenarios: tuple[Scenario, ...]) -> None:
    others = [s.name for s in scenarios[1:]]
    for decision in spec.decisions:
        if decision != ALL and decision.removesuffix(VERSUS_BASE) not in others:
            raise ScenarioError(
                f"{path}: decisions: {decision}: expected all or <scenario>_vs_base with a "
                f"scenario of the file other than the base ({', '.join(others)})"
            )


def resolve_uncertain(
    path: Path, base: Scenario, spec: UncertaintyFile
) -> tuple[tuple[Uncertain, ...], tuple[str, ...]]:
    """The drawn parameters, in register order (then the file's), and the computed ones."""
    leaves = {
        k: v
        for k, v in numeric_leaves(base.model_dump(mode="json")).items()
        if isinstance(v, (int, float))
    }
    for name in spec.distributions:
        if name not in leaves:
            raise ScenarioError(
                f"{path}: distributions: {name} is not a numeric parameter of the base scenario"
            )
    chosen = (
        _default_names(base, leaves)
        if spec.parameters is None
        else _named(path, spec.parameters, leaves, spec)
    )
    chosen += [n for n in spec.distributions if n not in chosen]
    computed = [
        name
        for name, rule in COMPUTATIONS.items()
        if name in leaves
        and not _set_by(base, name, leaves[name])
        and any(s in chosen for s in rule.sources)
    ]
    dropped = {n for p in spec.exclude for n in _matching(path, "exclude", [p], chosen + computed)}
    uncertain = tuple(_uncertain(path, n, leaves[n], spec) for n in chosen if n not in dropped)
    kept = {u.name for u in uncertain}
    return uncertain, tuple(
        n for n in computed if n not in dropped and any(s in kept for s in COMPUTATIONS[n].sources)
    )


def _default_names(base: Scenario, leaves: dict[str, Any]) -> list[str]:
    """Register rows with a distribution that the base does not set itself."""
    return [
        p.name
        for p in load_register().values()
        if p.is_uncertain
        and p.distribution != COMPUTED
        and p.name in leaves
        and not _set_by(base, p.name, leaves[p.name])
    ]


def _set_by(base: Scenario, name: str, value: Any) -> bool:
    """Whether the base scenario (or its file's ``set``) sets ``name`` away from the
    built-in default: a site's own value it keeps in every draw."""
    return base.model == "perinatal" and value != builtin_defaults().get(name)


def _named(
    path: Path, patterns: list[str], leaves: dict[str, Any], spec: UncertaintyFile
) -> list[str]:
    """The parameters ``patterns`` name that can be drawn; an exact name that cannot is
    an error, and so is a pattern that matches none."""
    register = load_register()
    names: list[str] = []
    for pattern in patterns:
        exact = not any(c in pattern for c in "*?[")
        matched = [pattern] if exact else fnmatch.filter(leaves, pattern)
        usable = []
        for name in matched:
            row = register.get(name)
            if name in spec.distributions or (
                row and row.is_uncertain and row.distribution != COMPUTED
            ):
                usable.append(name)
            elif exact:
                why = (
                    "is not a numeric parameter of the base scenario"
                    if name not in leaves
                    else f"is not drawn (register: {row.distribution if row else 'no row'}); "
                    "give its distribution under distributions to draw it"
                )
                raise ScenarioError(f"{path}: parameters: {name} {why}")
        if not usable:
            raise ScenarioError(f"{path}: parameters: {pattern!r} matches no parameter to draw")
        names += [n for n in usable if n not in names]
    return names


def _matching(path: Path, field: str, patterns: list[str], names: list[str]) -> tuple[str, ...]:
    """The names that ``patterns`` match, in order; a pattern matching none is an error."""
    found: list[str] = []
    for pattern in patterns:
        matched = fnmatch.filter(names, pattern)
        if not matched:
            raise ScenarioError(f"{path}: {field}: {pattern!r} matches no parameter drawn")
        found += [n for n in matched if n not in found]
    return tuple(found)


def _uncertain(path: Path, name: str, value: float, spec: UncertaintyFile) -> Uncertain:
    """``name`` drawn around the base's ``value``, from the file's distribution or the
    register's (then with the register's group)."""
    entry = spec.distributions.get(name)
    row = load_register().get(name)
    if entry is not None:
        kind, low, high, group, origin = entry.distribution, entry.low, entry.high, "", "file"
        where = f"distributions: {name}"
    else:
        assert row is not None
        kind, low, high, group, origin = row.distribution, row.low, row.high, row.group, "register"
        where = f"parameters: {name} (register row)"
    try:
        marginal = Marginal(kind, low, float(value), high)
    except ValueError as exc:
        raise ScenarioError(f"{path}: {where}: {exc}") from None
    integer = isinstance(value, int) and not isinstance(value, bool)
    return Uncertain(name, marginal, group, integer, row.unit if row else "", origin)
