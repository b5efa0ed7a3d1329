"""Incremental cost-effectiveness: each scenario's paired extra cost per woman against its
extra babies with their mothers at 12 months and its overdoses averted.

"dominant" when the paired intervals show a lower cost and a better outcome,
"dominated" the reverse. A ratio is never taken over an effect whose interval
includes zero (it would run through infinity); the range beside a ratio divides
the ends of the two intervals and is a conservative bound, not a confidence
interval of the ratio.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from pathway_sim.core.verdicts import excludes_zero

COST_KPI = "total_cost_per_woman"


@dataclass(frozen=True)
class Effect:
    """An outcome as "units gained per woman" from a KPI's difference."""

    kpi: str
    name: str
    per_woman: float
    """Multiplies the KPI difference into units per woman (negative: fewer is a gain)."""


EFFECTS = (
    Effect("baby_with_mother_at_12m_pct", "extra baby with her mother at 12 months", 1 / 100),
    Effect("overdoses_per_1000", "overdose averted", -1 / 1000),
)
COLUMNS = [
    "scenario", "effect", "cost_difference", "cost_ci_low", "cost_ci_high",
    "effect_difference", "effect_ci_low", "effect_ci_high", "verdict",
    "cost_per_unit", "cost_per_unit_low", "cost_per_unit_high",
]  # fmt: skip
"""``cost_effectiveness.csv``: GBP per woman; effects in units per woman."""


def _scaled(row: pd.Series, factor: float) -> tuple[float, float, float]:
    mean, low, high = (factor * row[c] for c in ("diff_vs_base", "diff_ci_low", "diff_ci_high"))
    return (mean, min(low, high), max(low, high))


def judge(cost: tuple[float, float, float], effect: tuple[float, float, float]) -> dict:
    """The verdict and ratio for one scenario and effect, from the two paired intervals."""
    (c, cl, ch), (e, el, eh) = cost, effect
    nan = (math.nan, math.nan, math.nan)
    if any(math.isnan(x) for x in (c, e, el, eh)) or not excludes_zero(el, eh):
        return {"verdict": "no clear effect: no ratio", "ratio": nan}
    cheaper, dearer = excludes_zero(cl, ch) and ch < 0, excludes_zero(cl, ch) and cl > 0
    if el > 0:
        if cheaper:
            return {"verdict": "dominant", "ratio": nan}
        verdict = "costs more per unit gained" if dearer else "better; cost difference unclear"
        return {"verdict": verdict, "ratio": (c / e, cl / eh if cl > 0 else cl / el, ch / el)}
    if dearer:
        return {"verdict": "dominated", "ratio": nan}
    verdict = "saves per unit lost" if cheaper else "worse; cost difference unclear"
    return {"verdict": verdict, "ratio": (c / e, ch / el if ch < 0 else ch / eh, cl / eh)}


def cost_effectiveness(comparison: pd.DataFrame) -> pd.DataFrame:
    """One row per other scenario and effect (empty without cost KPIs, e.g. a queue network)."""
    if COST_KPI not in set(comparison["kpi"]):
        return pd.DataFrame(columns=COLUMNS)
    base = comparison["scenario"].iloc[0]
    others = comparison[comparison["scenario"] != base].set_index(["scenario", "kpi"])
    rows = []
    for scenario in dict.fromkeys(others.index.get_level_values(0)):
        cost = _scaled(others.loc[(scenario, COST_KPI)], 1.0)
        for effect in EFFECTS:
            if (scenario, effect.kpi) not in others.index:
                continue
            gained = _scaled(others.loc[(scenario, effect.kpi)], effect.per_woman)
            result = judge(cost, gained)
            rows.append(
                [scenario, effect.name, *cost, *gained, result["verdict"], *result["ratio"]]
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def short(row: pd.Series) -> str:
    """A few words for a terminal cell: the verdict, or the ratio in thousands of GBP."""
    if row["verdict"] in ("dominant", "dominated"):
        return row["verdict"]
    if math.isnan(row["cost_per_unit"]):
        return "no clear effect"
    if "unclear" in row["verdict"]:
        return "cost unclear"
    return f"GBP {row['cost_per_unit'] / 1000:,.0f}k"
