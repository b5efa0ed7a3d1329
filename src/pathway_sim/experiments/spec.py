"""Experiment files: a base scenario and what to compare with it, in one YAML file.

An experiment either lists scenarios (files; ``overlays``, files whose own
changes are laid over the base, so an intervention carries to a site; or
``variants`` written as changes from the base) or declares a full 2^k
``factorial``: each factor is a set of changes switched on or off, and every
combination is run (the all-off one is the base). Every scenario shares the
experiment's replications and seed, so all differences are paired over common
random numbers. Paths are relative to the experiment file. Example::

    name: coordinator_training
    base: ../scenarios/base.yaml
    replications: 30
    seed: 1
    factorial:
      coordinator: {services.care_coordination.available: true}
      training: {interventions.training_coverage: 0.9}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import Field, ValidationError, model_validator

from pathway_sim.core.errors import ScenarioError
from pathway_sim.core.schema import Name, Strict
from pathway_sim.core.statistics import COMPARISON_COLUMNS, CORRECTIONS
from pathway_sim.inputs.loading import (
    load_scenario,
    overlay_file,
    scenario_sources,
    validation_message,
    with_changes,
)
from pathway_sim.inputs.yaml_files import read_mapping
from pathway_sim.models import Scenario

M = TypeVar("M", bound=Strict)

Changes = dict[str, Any]
"""Dotted paths into the scenario and their new values, as ``--set`` takes them."""

FactorName = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]


class Variant(Strict):
    """A scenario written as a change from the base."""

    name: Name
    set: Changes = Field(min_length=1, description="Dotted path: value, applied to the base.")


class ExperimentFile(Strict):
    """What an experiment YAML file may hold."""

    name: Name
    description: str = ""
    base: str = Field(description="Base scenario file, relative to this file.")
    replications: int | None = Field(
        default=None, gt=0, description="Replications of every scenario."
    )
    seed: int | None = Field(default=None, ge=0, description="Root seed shared by every scenario.")
    set: Changes = Field(default_factory=dict, description="Changes applied to every scenario.")
    scenarios: list[str] = Field(default_factory=list, description="Scenario files to compare.")
    overlays: list[str] = Field(
        default_factory=list,
        description=(
            "Scenario files whose own changes are laid over the base (their extends ignored)."
        ),
    )
    variants: list[Variant] = Field(default_factory=list, description="Changes from the base.")
    factorial: dict[FactorName, Changes] = Field(
        default_factory=dict, description="Factors: each a set of changes switched on or off."
    )
    correction: Literal[CORRECTIONS] = "none"  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _one_design(self) -> ExperimentFile:
        listed = self.scenarios or self.overlays or self.variants
        if self.factorial and listed:
            raise ValueError("give either factorial or scenarios/overlays/variants, not both")
        if not (self.factorial or listed):
            raise ValueError(
                "expected scenarios, overlays, variants or factorial: "
                "something to compare with the base"
            )
        return self


@dataclass(frozen=True)
class Experiment:
    """A resolved experiment: validated scenarios, base first.

    ``levels`` maps each scenario of a factorial to its factor levels (0 or 1).
    """

    name: str
    description: str
    scenarios: list[Any]
    factors: list[str]
    levels: dict[str, dict[str, int]]
    correction: str
    source_text: str
    sources: tuple[Path, ...] = ()
    """The files the experiment was read from (its own, the scenarios', their chains)."""


MAX_FACTORS = 10
"""Factors of a factorial without ``allow_large``: 2^10 = 1,024 scenarios."""


def load_experiment(path: str | Path, allow_large: bool = False) -> Experiment:
    """Read, validate and resolve an experiment file (``ScenarioError`` if it is bad).

    A factorial of more than ``MAX_FACTORS`` factors is refused unless ``allow_large``:
    its 2^k scenarios would be built before anything else could refuse them."""
    path = Path(path)
    text, spec = _read(path)
    shared = _shared_settings(path, spec)
    base = load_scenario(path.parent / spec.base, settings=shared)
    if spec.factorial:
        _check_factor_count(path, len(spec.factorial), allow_large)
        _check_factors_disjoint(path, spec.factorial)
        scenarios, levels = _factorial(path, base, spec.factorial)
    else:
        files = [load_scenario(path.parent / f, settings=shared) for f in spec.scenarios]
        overlays = [overlay_file(base, path.parent / f) for f in spec.overlays]
        variants = [
            with_changes(base, {**v.set, "name": v.name}, f"{path}: variants: {v.name}")
            for v in spec.variants
        ]
        scenarios, levels = [base, *files, *overlays, *variants], {}
    return Experiment(
        spec.name,
        spec.description,
        scenarios,
        list(spec.factorial),
        levels,
        spec.correction,
        text,
        _sources(path, spec),
    )


def _sources(path: Path, spec: ExperimentFile) -> tuple[Path, ...]:
    files = [path, *scenario_sources(path.parent / spec.base)]
    for listed in spec.scenarios:
        files += scenario_sources(path.parent / listed)
    return (*files, *(path.parent / f for f in spec.overlays))


def _check_factor_count(path: Path, factors: int, allow_large: bool) -> None:
    if factors > MAX_FACTORS and not allow_large:
        raise ScenarioError(
            f"{path}: factorial: {factors} factors make {2**factors:,} scenarios (limit "
            f"{MAX_FACTORS} factors, {2**MAX_FACTORS:,} scenarios); give --allow-large "
            "(allow_large=True in the API) if it is meant"
        )


def _read(path: Path) -> tuple[str, ExperimentFile]:
    text, data = read_mapping(path, "experiment")
    return text, validate_file(ExperimentFile, data, path, "experiment")


def validate_file(model: type[M], data: dict[str, Any], path: Path, kind: str) -> M:
    """``data`` as ``model``, or a ``ScenarioError`` naming the file and each bad field,
    described as scenario files are."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = validation_message(model, data, exc, {}, str(path))
        raise ScenarioError(f"{path}: {kind} is not valid:\n  {lines}") from None


def _shared_settings(path: Path, spec: ExperimentFile) -> dict[str, tuple[str, Any]]:
    """What every scenario takes from the experiment, labelled for error messages."""
    settings = {f"{path}: set: {key}": (key, value) for key, value in spec.set.items()}
    if spec.replications is not None:
        settings[f"{path}: replications"] = ("run.replications", spec.replications)
    if spec.seed is not None:
        settings[f"{path}: seed"] = ("run.seed", spec.seed)
    return settings


RESERVED = set(COMPARISON_COLUMNS) | {"replication", "seed", "women", "effect"}


def _check_factors_disjoint(path: Path, factorial: dict[str, Changes]) -> None:
    """Two factors changing one field would make their effects meaningless."""
    clash = sorted(RESERVED & set(factorial))
    if clash:
        raise ScenarioError(
            f"{path}: factorial: factor names {clash} are reserved for table columns"
        )
    owner: dict[str, str] = {}
    for factor, changes in factorial.items():
        if not changes:
            raise ScenarioError(f"{path}: factorial: {factor}: expected at least one change")
        for dotted in changes:
            for other_path, other in owner.items():
                if _overlaps(dotted, other_path):
                    raise ScenarioError(
                        f"{path}: factorial: {factor} and {other} both change "
                        f"{min(dotted, other_path)}"
                    )
            owner[dotted] = factor


def _overlaps(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def _factorial(
    path: Path, base: Scenario, factorial: dict[str, Changes]
) -> tuple[list[Any], dict[str, dict[str, int]]]:
    """Every combination of factors, in standard (Yates) order: the first factor
    alternates fastest, and the all-off combination is the base."""
    factors = list(factorial)
    scenarios, levels = [], {}
    for number in range(2 ** len(factors)):
        on = [f for bit, f in enumerate(factors) if number >> bit & 1]
        scenario = base
        if on:
            name = "+".join(on)
            changes = {k: v for f in on for k, v in factorial[f].items()}
            scenario = with_changes(base, {**changes, "name": name}, f"{path}: factorial: {name}")
        scenarios.append(scenario)
        levels[scenario.name] = {f: int(f in on) for f in factors}
    return scenarios, levels
