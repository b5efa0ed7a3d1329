"""The scorecard: for each scenario and KPI, the paired difference from the base and
its verdict, and the compact terminal table of the headline outcomes and costs.

``scorecard.csv`` has one row per scenario (the base left out) and KPI, in the
catalogue's order of outcomes; the verdict is ``core.verdicts.verdict`` with the
KPI's minimal important difference, the same word the report shows.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from pathway_sim.core import verdicts
from pathway_sim.core.text import printable
from pathway_sim.experiments import cost_effectiveness as ce
from pathway_sim.models import kpi
from pathway_sim.models.mids import kpi_verdict
from pathway_sim.models.perinatal.kpis import PATHWAY_KPIS
from pathway_sim.models.perinatal.toc import HEADLINE_KPIS, TOC_OUTCOMES
from pathway_sim.models.queueing.kpis import QUEUE_KPIS

SCORECARD_COLUMNS = [
    "scenario", "outcome", "kpi", "label", "unit",
    "base", "difference", "ci_low", "ci_high", "verdict",
]  # fmt: skip
"""``scorecard.csv`` (DESIGN.md contract)."""
COST_KPIS = ("service_cost_per_woman", "downstream_cost_per_woman", "total_cost_per_woman")
"""The cost KPIs the compact scorecard shows below the headline outcomes."""
SHORT = {
    verdicts.BETTER: "better",
    verdicts.WORSE: "WORSE",
    verdicts.TOO_SMALL: "small",
    verdicts.UNCLEAR: "unclear",
    verdicts.DIFFERENT: "differs",
}
"""Each verdict in a few letters for the terminal (the legend says what they mean)."""


def display_names(scenarios: Iterable[object]) -> dict[str, str]:
    """Scenario name -> display name: its ``label`` or, without one, its whole name;
    a label two scenarios share gets the name added, so every column stays distinct.
    A control character in a label is written out (``core.text.printable``): a figure
    would draw it as a missing glyph, a terminal would obey it."""
    pairs = [
        (s.name, printable(getattr(s, "label", None) or s.name))  # type: ignore[attr-defined]
        for s in scenarios
    ]
    shown = [label for _, label in pairs]
    return {
        name: label if shown.count(label) == 1 or label == name else f"{label} ({name})"
        for name, label in pairs
    }


def _order(name: str) -> tuple[int, int]:
    """Sort key: the catalogue's outcome order, then the catalogue's own order."""
    names = [k.name for k in (*PATHWAY_KPIS, *QUEUE_KPIS)]
    entry = kpi(name)
    outcome = list(TOC_OUTCOMES).index(entry.toc_outcome) if entry else len(TOC_OUTCOMES)
    return outcome, names.index(name) if name in names else len(names)


def scorecard_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """``scorecard.csv`` from ``comparison.csv``: every other scenario's difference from
    the base (the first scenario) per KPI with a better direction, with its interval and
    verdict. A KPI with none (contacts per woman, utilisation) says nothing about which
    scenario is better: it stays in ``comparison.csv``."""
    base_name = comparison["scenario"].iloc[0]
    base = comparison[comparison["scenario"] == base_name].set_index("kpi")["mean"]
    rows = []
    for r in comparison[comparison["scenario"] != base_name].itertuples():
        entry = kpi(r.kpi)
        if entry is not None and entry.better == "neither":
            continue
        rows.append([
            r.scenario, entry.toc_outcome if entry else "OP", r.kpi,
            entry.label if entry else r.kpi, entry.unit if entry else "",
            base.get(r.kpi), r.diff_vs_base, r.diff_ci_low, r.diff_ci_high,
            kpi_verdict(r.kpi, r.diff_vs_base, r.diff_ci_low, r.diff_ci_high),
        ])  # fmt: skip
    table = pd.DataFrame(rows, columns=SCORECARD_COLUMNS)
    order = {s: i for i, s in enumerate(dict.fromkeys(comparison["scenario"]))}
    keys = table["kpi"].map(_order)
    table = table.assign(_s=table["scenario"].map(order), _k=keys).sort_values(
        ["_s", "_k"], kind="stable"
    )
    return table.drop(columns=["_s", "_k"]).reset_index(drop=True)


def compact_kpis(scorecard: pd.DataFrame) -> list[str]:
    """The KPIs of the compact table: each ToC outcome's headline KPI, then the costs
    (for a model without headline KPIs, such as a queue network, every KPI)."""
    present = set(scorecard["kpi"])
    chosen = [k for k in (*HEADLINE_KPIS.values(), *COST_KPIS) if k in present]
    return chosen or list(dict.fromkeys(scorecard["kpi"]))


def _base_text(value: float, money: bool) -> str:
    """The base's level: pounds in whole thousands-separated units, else 3 figures."""
    if pd.isna(value):
        return "n/a"
    return f"{value:,.0f}" if money else f"{value:.3g}"


def cell(row: pd.Series, money: bool = False) -> str:
    """One scenario's difference for one KPI, rounded to what its interval supports."""
    if pd.isna(row["difference"]):
        return "n/a"
    places = verdicts.decimals(row["ci_low"], row["ci_high"])
    text = verdicts.rounded(row["difference"], places, signed=True)
    if money:  # whole pounds: a fixed cost's interval has no width to round to
        text = f"{row['difference']:+,.0f}".replace("-", "\u2212")
    return f"{text} {SHORT[row['verdict']]}"


def _row_label(row: pd.Series, width: int) -> str:
    unit = "%" if row["unit"].startswith("%") else row["unit"]
    text = f"{row['outcome']} {row['label']} ({unit})"
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def format_scorecard(
    scorecard: pd.DataFrame,
    names: Mapping[str, str] | None = None,
    base: str = "base",
    kpis: Sequence[str] | None = None,
    label_width: int = 44,
    column_width: int = 16,
    cost_effect: pd.DataFrame | None = None,
) -> str:
    """The compact scorecard: one row per headline KPI (and cost), one column per
    scenario, each cell the difference from the base and its verdict in short; then,
    given ``cost_effect``, the cost per extra baby with her mother and per overdose averted."""
    names = dict(names or {})
    kpis = list(kpis or compact_kpis(scorecard))
    scenarios = list(dict.fromkeys(scorecard["scenario"]))
    wrapped = [
        textwrap.wrap(printable(names.get(s, s)), column_width - 1, break_long_words=True)
        for s in scenarios
    ]
    depth = max(len(w) for w in wrapped)
    lines = [
        f"Scorecard: difference from {names.get(base, base)!r}, rounded to what its interval "
        "supports"
    ]
    for i in range(depth):
        heads = [w[i] if i < len(w) else "" for w in wrapped]
        first = "base" if i == depth - 1 else ""
        heading = f"{'':<{label_width}}{first:>9}  " + "".join(
            f"{h:<{column_width}}" for h in heads
        )
        lines.append(heading.rstrip())
    indexed = scorecard.set_index(["kpi", "scenario"])
    for name in kpis:
        rows = indexed.loc[name]
        top = rows.iloc[0]
        base_value = _base_text(top["base"], name in COST_KPIS)
        cells = [cell(rows.loc[s], name in COST_KPIS) if s in rows.index else "" for s in scenarios]
        lines.append(
            f"{_row_label(top, label_width):<{label_width}}{base_value:>9}  "
            + "".join(f"{c:<{column_width}}" for c in cells).rstrip()
        )
    if cost_effect is not None and len(cost_effect):
        lines += _ratio_lines(cost_effect, scenarios, label_width, column_width)
    legend = (
        "better / WORSE: the interval excludes 0 and the change is at least the KPI's minimal "
        "important difference (pathway-sim kpis); small: clear but below it; unclear: the "
        "interval includes 0. Costs: GBP per woman at 2022/23 prices, discounted at 3.5% after "
        "the first year, from unit costs that are partly assumptions (pathway-sim params); "
        "CE: dominant = cheaper and better, dominated = dearer and worse, else GBP per unit "
        "gained, given only where the effect's interval excludes 0 (cost_effectiveness.csv). "
        "Every KPI: scorecard.csv, or --full."
    )
    return "\n".join([*lines, *textwrap.wrap(legend, label_width + 9 + 2 + 4 * column_width)])


def _ratio_lines(
    cost_effect: pd.DataFrame, scenarios: Sequence[str], label_width: int, column_width: int
) -> list[str]:
    """One line per effect: each scenario's cost per unit gained, or dominant/dominated."""
    lines = []
    for effect, rows in cost_effect.groupby("effect", sort=False):
        by_scenario = {str(row["scenario"]): row for _, row in rows.iterrows()}
        cells = [ce.short(by_scenario[s]) if s in by_scenario else "" for s in scenarios]
        label = f"CE Cost per {effect}"
        label = label if len(label) <= label_width else label[: label_width - 1] + "\u2026"
        lines.append(
            f"{label:<{label_width}}{'':>9}  "
            + "".join(f"{c:<{column_width}}" for c in cells).rstrip()
        )
    return lines
