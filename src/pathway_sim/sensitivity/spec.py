"""Sensitivity files: which parameters to vary, over what ranges, by which method.

A sensitivity file names a base scenario and the parameters to vary, by their
dotted scenario paths or shell-style patterns (``attendance.*_odds_ratio``).
Each range is the parameter register's ``low``-``high`` unless the file gives its
own. Paths are relative to the file. Example::

    name: morris_base
    base: ../scenarios/base.yaml
    method: morris            # morris (screening), sobol (variance) or lhs (uncertainty)
    samples: 10               # Morris trajectories, Sobol base N (a power of 2) or LHS points
    replications: 2           # per sample point, on common random numbers
    seed: 1
    parameters: [attendance.*_odds_ratio, services.midwifery.attendance_probability]
    ranges: {attendance.hub_odds_ratio: [1.1, 2.0]}
    kpis: [baby_with_mother_at_12m_pct, antenatal_attendance_pct]
"""

from __future__ import annotations

import fnmatch
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StrictFloat, model_validator

from pathway_sim.core.errors import ScenarioError
from pathway_sim.core.schema import Name, Strict
from pathway_sim.experiments.spec import Changes, validate_file
from pathway_sim.inputs.loading import load_scenario, scenario_sources, with_changes
from pathway_sim.inputs.register import load_register, numeric_leaves
from pathway_sim.inputs.yaml_files import read_mapping
from pathway_sim.models import Scenario
from pathway_sim.runs.preflight import Workload, entities_per_replication

log = logging.getLogger("pathway_sim")

Method = Literal["morris", "sobol", "lhs"]
METHODS: tuple[Method, ...] = ("morris", "sobol", "lhs")
Range = Annotated[tuple[StrictFloat, StrictFloat], Field(strict=False)]
"""low, high: a list in YAML, a tuple from Python; numbers strict (no booleans)."""


class SensitivityFile(Strict):
    """What a sensitivity YAML file may hold."""

    name: Name
    description: str = ""
    base: str = Field(description="Base scenario file, relative to this file.")
    method: Method = Field(description="morris, sobol or lhs.")
    samples: int = Field(
        gt=1, description="Morris trajectories, Sobol base sample N (a power of 2) or LHS points."
    )
    levels: int = Field(default=4, ge=2, description="Morris grid levels (even numbers are best).")
    second_order: bool = Field(
        default=False, description="Sobol: also estimate S2 (costs N*k more points)."
    )
    replications: int = Field(default=2, gt=0, description="Replications per sample point.")
    seed: int = Field(
        default=1,
        ge=0,
        description="Root seed of every point (common random numbers) and of the sampler.",
    )
    set: Changes = Field(default_factory=dict, description="Changes applied to the base first.")
    parameters: list[str] = Field(min_length=1, description="Dotted paths or shell-style patterns.")
    ranges: dict[str, Range] = Field(
        default_factory=dict, description="low, high for a parameter, instead of the register's."
    )
    kpis: list[str] = Field(default_factory=list, description="KPIs to analyse (default: all).")
    tornado: bool = Field(
        default=True, description="Also run one-at-a-time swings to each end of the range."
    )

    @model_validator(mode="after")
    def _consistent(self) -> SensitivityFile:
        if self.method == "sobol" and self.samples & (self.samples - 1):
            raise ValueError(
                f"samples: Sobol needs a power of 2 (e.g. 16, 32, 64), got {self.samples}"
            )
        for name, (low, high) in self.ranges.items():
            if not low < high:
                raise ValueError(f"ranges: {name}: expected low < high, got [{low}, {high}]")
        return self


@dataclass(frozen=True)
class Factor:
    """One parameter to vary: where it lives, its range, and where the range came from."""

    name: str
    low: float
    high: float
    base: float
    integer: bool
    unit: str
    range_source: str


@dataclass(frozen=True)
class SensitivitySpec:
    """A resolved sensitivity file: the validated base scenario and the factors to vary."""

    file: SensitivityFile
    base: Scenario
    factors: tuple[Factor, ...]
    source_text: str
    sources: tuple[Path, ...] = ()
    """The files it was read from: its own, the base scenario's and its chain."""

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.factors]

    @property
    def points(self) -> int:
        """Sample points the design runs (an upper bound: repeated points run once)."""
        f, k = self.file, len(self.factors)
        per_method = {
            "morris": f.samples * (k + 1),
            "sobol": f.samples * (2 * k + 2 if f.second_order else k + 2),
            "lhs": f.samples,
        }[f.method]
        return per_method + (2 * k + 1 if f.tornado else 0)

    def workload(self) -> Workload:
        """What the design asks for: its points, their replications and the women simulated."""
        points, reps = self.points, self.file.replications
        return Workload(points, points * reps, points * reps * entities_per_replication(self.base))


def load_sensitivity(path: str | Path, **changes: object) -> SensitivitySpec:
    """Read, validate and resolve a sensitivity file; ``changes`` replace its fields
    (``samples=4``, ``method="sobol"``, ``parameters=[...]``) and are validated alike."""
    path = Path(path)
    text, data = read_mapping(path, "sensitivity")
    spec = validate_file(SensitivityFile, {**data, **changes}, path, "sensitivity file")
    settings = {f"{path}: set: {k}": (k, v) for k, v in spec.set.items()}
    settings[f"{path}: replications"] = ("run.replications", spec.replications)
    settings[f"{path}: seed"] = ("run.seed", spec.seed)
    base = load_scenario(path.parent / spec.base, settings=settings)
    factors = resolve_factors(path, base, spec)
    check_range_ends(path, base, factors)
    sources = (path, *scenario_sources(path.parent / spec.base))
    return SensitivitySpec(spec, base, factors, text, sources)


def resolve_factors(path: Path, base: Scenario, spec: SensitivityFile) -> tuple[Factor, ...]:
    """Each named or matched parameter as a ``Factor``, in the order first named.

    An exact name must be a numeric scalar of the scenario with a range; a pattern
    takes the numeric scalars it matches that have one, and must match at least one.
    """
    leaves = numeric_leaves(base.model_dump(mode="json"))
    names: list[str] = []
    for pattern in spec.parameters:
        matched = fnmatch.filter(leaves, pattern) if _is_pattern(pattern) else [pattern]
        usable = [
            n for n in matched if _check(path, n, leaves, spec, explicit=not _is_pattern(pattern))
        ]
        if not usable:
            raise ScenarioError(
                f"{path}: parameters: {pattern!r} matches no numeric parameter "
                "of the scenario with a range"
            )
        names.extend(n for n in usable if n not in names)
    for name in spec.ranges:
        if name not in names:
            raise ScenarioError(f"{path}: ranges: {name} is not among the parameters varied")
    return tuple(_factor(n, leaves[n], spec) for n in names)


def check_range_ends(path: Path, base: Scenario, factors: Sequence[Factor]) -> None:
    """Each range's ends, one factor at a time on the base, must be valid values of the
    parameter: a range outside them is refused naming the file and the parameter,
    before any point is sampled (a point combining valid ends is still checked when
    it is built)."""
    for factor in factors:
        field = (
            "ranges" if factor.range_source == "file" else "parameters (range from the register)"
        )
        for end in (factor.low, factor.high):
            value = int(end) if factor.integer else end
            try:
                with_changes(base, {factor.name: value}, f"{factor.name} = {value:g}")
            except ScenarioError as exc:
                raise ScenarioError(
                    f"{path}: {field}: {factor.name}: [{factor.low:g}, {factor.high:g}] holds "
                    f"values the parameter cannot take: {exc}"
                ) from None


def _is_pattern(text: str) -> bool:
    return any(c in text for c in "*?[")


def _check(
    path: Path, name: str, leaves: dict[str, Any], spec: SensitivityFile, explicit: bool
) -> bool:
    """Whether ``name`` can be varied; an explicit name that cannot is an error."""
    problem = None
    value = leaves.get(name)
    register = load_register()
    if name not in leaves:
        problem = "is not a numeric parameter of the scenario"
    elif isinstance(value, list) or value is None:
        problem = "is a schedule or an unset value, not one number"
    elif name not in spec.ranges and name not in register:
        problem = "is not in the parameter register: give its range under ranges"
    elif name not in spec.ranges and not register[name].varies:
        problem = "has no range in the register (low = high): give one under ranges"
    if problem and explicit:
        raise ScenarioError(f"{path}: parameters: {name} {problem}")
    return problem is None


def _factor(name: str, value: float, spec: SensitivityFile) -> Factor:
    entry = load_register().get(name)
    low, high = spec.ranges.get(name) or (entry.low, entry.high)  # type: ignore[union-attr]
    source = "file" if name in spec.ranges else "register"
    return Factor(
        name,
        float(low),
        float(high),
        float(value),
        isinstance(value, int),
        entry.unit if entry else "",
        source,
    )
