"""The outputs of a probabilistic sensitivity analysis, as tables, from the draws run.

Pure functions of two tables: the parameter draws (``sample.draw_table``: one row per
draw) and the inner results (one row per draw, scenario and replication, then one
column per KPI). They give ``draws.csv``, ``decision.csv``, ``ceac.csv``, ``evpi.csv``
and ``evppi.csv``, columns in the contract's order (DESIGN.md), more after them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pathway_sim.core.randomness import stable_key
from pathway_sim.experiments.cost_effectiveness import EFFECTS
from pathway_sim.uncertainty.ceac import Increments, ceac_table, increments, option_net_benefits
from pathway_sim.uncertainty.decision import FROM_DRAWS, decision_table
from pathway_sim.uncertainty.differences import DRAW, draw_means, paired_differences
from pathway_sim.uncertainty.sample import DRAW as DRAW_INDEX
from pathway_sim.uncertainty.smoothers import MIN_DRAWS, smooth
from pathway_sim.uncertainty.spec import UncertaintySpec
from pathway_sim.uncertainty.voi import evpi, evppi_with_error, population

POSTERIOR_SAMPLES = 100
"""Draws from the regression's posterior behind each EVPPI's standard error."""
EVPI_COLUMNS = [
    "decision", "outcome", "willingness_to_pay_gbp", "evpi_gbp_per_woman",
    "evpi_se", "evpi_site_gbp", "site_women", "net_benefit_from",
]  # fmt: skip
EVPPI_COLUMNS = [
    "decision", "outcome", "willingness_to_pay_gbp", "parameter", "evppi_gbp_per_woman",
    "evppi_se", "evppi_site_gbp", "kind", "smoother", "members",
]  # fmt: skip
"""``evpi.csv`` and ``evppi.csv``: the contract's columns, then the value for the site's
cohorts over the horizon (``site_women`` discounted women), and for the EVPPI whether the
row is one parameter or a group, the regression used and the group's members."""


@dataclass(frozen=True)
class Question:
    """What the analysis is asked: the base, each decision's options (base first), the
    willingness-to-pay grids, the EVPPI groups, the site's discounted women over the
    horizon, and the seed of the EVPPI's posterior draws."""

    base: str
    decisions: dict[str, tuple[str, ...]]
    willingness_to_pay: dict[str, list[float]]
    groups: dict[str, tuple[str, ...]]
    site_women: float
    seed: int


def question(spec: UncertaintySpec) -> Question:
    """The question an uncertainty file asks."""
    base = spec.base
    women = getattr(getattr(base, "population", None), "women_per_year", np.nan)
    rate = getattr(getattr(base, "costs", None), "discount_rate_per_year", 0.0)
    f = spec.file
    return Question(
        base.name,
        {d: tuple(spec.options(d)) for d in f.decisions},
        {k: list(v) for k, v in f.willingness_to_pay.items()},
        dict(spec.evppi_groups),
        population(women, f.horizon_years, rate),
        f.seed,
    )


def draws_csv(parameters: pd.DataFrame, inner: pd.DataFrame) -> pd.DataFrame:
    """``draws.csv``: ``draw, scenario, replications``, each drawn parameter, then each
    KPI's mean over the draw's inner replications."""
    means = draw_means(inner)
    drawn = parameters.rename_axis(DRAW_INDEX).reset_index()
    table = means[[DRAW, "scenario", "replications"]].merge(drawn, on=DRAW, how="left")
    return pd.concat([table, means.drop(columns=[DRAW, "scenario", "replications"])], axis=1)


def analyse(parameters: pd.DataFrame, inner: pd.DataFrame, q: Question) -> dict[str, pd.DataFrame]:
    """Every output table, by file stem."""
    inc = increments(inner, q.base)
    return {
        "draws": draws_csv(parameters, inner),
        "decision": decision_table(paired_differences(inner, q.base)),
        "ceac": ceac_table(inc, q.willingness_to_pay),
        "evpi": evpi_table(inc, q),
        "evppi": evppi_table(parameters, inc, q),
    }


def _columns(inc: Increments, options: tuple[str, ...]) -> list[int]:
    """Where a decision's options sit among the net-benefit columns (base at 0)."""
    return [inc.options.index(o) for o in options]


def evpi_table(inc: Increments | None, q: Question) -> pd.DataFrame:
    """``evpi.csv``: for each decision, outcome and willingness to pay."""
    if inc is None:
        return pd.DataFrame(columns=EVPI_COLUMNS)
    names = {e.kpi: e.name for e in EFFECTS}
    rows = []
    for outcome, amounts in q.willingness_to_pay.items():
        for wtp in amounts:
            nb, _shares, sources = option_net_benefits(inc, outcome, wtp)
            for decision, options in q.decisions.items():
                cols = _columns(inc, options)
                value, se = evpi(nb[:, cols])
                source = _read_from([sources[c] for c in cols])
                rows.append(
                    [decision, names[outcome], wtp, value, se, value * q.site_women,
                     q.site_women, source]
                )  # fmt: skip
    return pd.DataFrame(rows, columns=EVPI_COLUMNS)


def _read_from(sources: list[str]) -> str:
    """What a decision's net benefits were read from: plain draws, or each other kind."""
    other = sorted(set(sources) - {FROM_DRAWS})
    return "; ".join(other) if other else FROM_DRAWS


def _responses(inc: Increments) -> tuple[np.ndarray, dict[str, slice]]:
    """Every increment as one matrix (draws x responses) and where each block lies."""
    blocks = {"cost": inc.cost, **inc.gains}
    where, start = {}, 0
    for name, block in blocks.items():
        where[name] = slice(start, start + block.shape[1])
        start += block.shape[1]
    return np.column_stack(list(blocks.values())), where


def evppi_table(parameters: pd.DataFrame, inc: Increments | None, q: Question) -> pd.DataFrame:
    """``evppi.csv``: every drawn parameter, then every named group (empty with fewer than
    ``MIN_DRAWS`` draws, too few for a regression)."""
    if inc is None or len(parameters) < MIN_DRAWS:
        return pd.DataFrame(columns=EVPPI_COLUMNS)
    y, where = _responses(inc)
    targets: list[tuple[str, tuple[str, ...], str]]
    targets = [(str(name), (str(name),), "parameter") for name in parameters.columns]
    targets += [(group, members, "group") for group, members in q.groups.items()]
    rows = []
    for target, members, kind in targets:
        fit = smooth(parameters[list(members)].to_numpy(float), y)
        rng = np.random.default_rng(np.random.SeedSequence(q.seed, spawn_key=(stable_key(target),)))
        sampled = fit.posterior(POSTERIOR_SAMPLES, rng)
        for row in _evppi_rows(fit.fitted, sampled, where, inc, q):
            rows.append([*row[:3], target, *row[3:], kind, fit.method, " ".join(members)])
    return pd.DataFrame(rows, columns=EVPPI_COLUMNS)


def _evppi_rows(
    fitted: np.ndarray, sampled: np.ndarray, where: dict[str, slice], inc: Increments, q: Question
) -> list[list]:
    """``decision, outcome, wtp, evppi, se, site value`` for one parameter or group."""
    names = {e.kpi: e.name for e in EFFECTS}
    rows = []
    for outcome, amounts in q.willingness_to_pay.items():
        for wtp in amounts:
            point = _net_benefit(fitted, where, outcome, wtp)
            draws = _net_benefit(sampled, where, outcome, wtp)
            for decision, options in q.decisions.items():
                cols = _columns(inc, options)
                value, se = evppi_with_error(point[:, cols], draws[..., cols])
                rows.append([decision, names[outcome], wtp, value, se, value * q.site_women])
    return rows


def _net_benefit(
    values: np.ndarray, where: dict[str, slice], outcome: str, wtp: float
) -> np.ndarray:
    """Net benefit of every option (base column 0) from fitted increments (``... x
    draws x responses``)."""
    benefit = wtp * values[..., where[outcome]] - values[..., where["cost"]]
    return np.concatenate([np.zeros((*benefit.shape[:-1], 1)), benefit], axis=-1)
