"""Drawing parameter sets, the outer loop, and applying one to a scenario.

The design's dimensions are *units*: a parameter drawn alone, or a register group
whose members share one quantile (perfectly rank-correlated: a dear year for one
staff group is a dear year for all). The sampler gives each unit one uniform per draw;
each parameter's marginal turns its unit's uniform into a value (the inverse of its
distribution function); integers are rounded; ``computed`` parameters are worked out
from the draw. The same file and seed give the same table.

- ``lhs``: each unit's column is a one-dimensional Latin hypercube (McKay, Beckman and
  Conover 1979) from its own random stream, keyed by the unit's name, so a parameter
  added to the register never changes another's draws.
- ``sobol``: one scrambled Sobol sequence (Owen scrambling) over the units in name
  order: more even in many dimensions at once, but a unit added shifts the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

from pathway_sim.core.randomness import stable_key
from pathway_sim.inputs.loading import with_changes
from pathway_sim.inputs.register import numeric_leaves
from pathway_sim.models import Scenario
from pathway_sim.uncertainty.computed import COMPUTATIONS
from pathway_sim.uncertainty.spec import Uncertain, UncertaintySpec

DRAW = "draw"
"""The index of a draws table: draw 0, 1, ..."""


def unit_of(parameter: Uncertain) -> str:
    """The design dimension a parameter is drawn on: its group's, or its own."""
    return f"group:{parameter.group}" if parameter.group else parameter.name


def design_units(uncertain: Sequence[Uncertain]) -> list[str]:
    """Each design dimension once, in the order its first parameter comes."""
    return list(dict.fromkeys(unit_of(p) for p in uncertain))


def unit_uniforms(units: Sequence[str], draws: int, sampler: str, seed: int) -> np.ndarray:
    """A ``draws`` x ``len(units)`` array of uniforms in (0, 1), one column per unit."""
    if sampler == "lhs":
        columns = [qmc.LatinHypercube(1, seed=_stream(seed, unit)).random(draws) for unit in units]
        return np.hstack(columns) if columns else np.empty((draws, 0))
    order = sorted(units)
    points = qmc.Sobol(len(order), scramble=True, seed=_stream(seed, "sobol")).random(draws)
    return points[:, [order.index(unit) for unit in units]]


def _stream(seed: int, name: str) -> np.random.Generator:
    key = (stable_key("uncertainty draws"), stable_key(name))
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def parameter_draws(
    uncertain: Sequence[Uncertain],
    computed: Sequence[str],
    base_values: Mapping[str, Any],
    draws: int,
    sampler: str,
    seed: int,
) -> pd.DataFrame:
    """One row per draw, one column per parameter (drawn, then computed ones).

    ``base_values`` supplies the sources of a computed parameter that are not drawn."""
    units = design_units(uncertain)
    uniforms = unit_uniforms(units, draws, sampler, seed)
    columns: dict[str, np.ndarray] = {}
    for p in uncertain:
        values = p.marginal.quantile(uniforms[:, units.index(unit_of(p))])
        columns[p.name] = np.rint(values).astype(int) if p.integer else values
    for name in computed:
        columns[name] = COMPUTATIONS[name]({**base_values, **columns})
    return pd.DataFrame(columns, index=pd.RangeIndex(draws, name=DRAW))


def draw_table(spec: UncertaintySpec) -> pd.DataFrame:
    """The parameter draws an uncertainty file asks for."""
    f = spec.file
    base_values = numeric_leaves(spec.base.model_dump(mode="json"))
    return parameter_draws(spec.uncertain, spec.computed, base_values, f.draws, f.sampler, f.seed)


def apply_draw(
    scenario: Scenario, values: Mapping[str, Any], base: Scenario, source: str
) -> Scenario:
    """``scenario`` with one draw's values, validated as ``--set`` is.

    A value the scenario sets itself (where it differs from the ``base`` scenario's)
    keeps the scenario's own: an intervention's setting is a decision, not an
    uncertainty. ``source`` names the draw in any error."""
    own = numeric_leaves(scenario.model_dump(mode="json"))
    reference = numeric_leaves(base.model_dump(mode="json"))
    changes = {
        name: _as_field(value, own[name])
        for name, value in values.items()
        if own.get(name) == reference.get(name)
    }
    return with_changes(scenario, changes, source)


def _as_field(value: Any, current: Any) -> int | float:
    """A drawn number as the field holds it: a whole number for an integer field."""
    if isinstance(current, int) and not isinstance(current, bool):
        return round(float(value))
    return float(value)


def draw_scenarios(spec: UncertaintySpec, draw: int, values: Mapping[str, Any]) -> list[Scenario]:
    """Every scenario of the file with draw ``draw``'s ``values``, base first."""
    source = f"{spec.file.name}: draw {draw}"
    return [apply_draw(s, values, spec.base, source) for s in spec.scenarios]


def draw_seed(seed: int, draw: int) -> int:
    """The root seed of draw ``draw``'s replications: every scenario of the draw shares it
    (common random numbers), and each draw has its own (independent inner noise)."""
    sequence = np.random.SeedSequence(
        seed, spawn_key=(stable_key("uncertainty replications"), draw)
    )
    return int(sequence.generate_state(1, np.uint32)[0])
