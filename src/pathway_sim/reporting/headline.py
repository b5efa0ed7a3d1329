"""What the report's first screen and its scorecard and costs tables say, as data for
the templates: per scenario its clear wins and losses in words and its net cost.

Every verdict is the scorecard's (``experiments/scorecard.py``: the interval and the
KPI's minimal important difference), so the report says what the terminal says.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from pathway_sim.core import verdicts
from pathway_sim.experiments import cost_effectiveness as ce
from pathway_sim.experiments.scorecard import COST_KPIS, compact_kpis, scorecard_table
from pathway_sim.inputs.register import register_table
from pathway_sim.models import label as kpi_label
from pathway_sim.models.perinatal.costs import COST_COMPONENTS

MAX_WORDS = 4
"""Wins or losses named on a headline card; the rest are counted."""
CSS = {
    verdicts.BETTER: "better",
    verdicts.WORSE: "worse",
    verdicts.TOO_SMALL: "small",
    verdicts.UNCLEAR: "unclear",
    verdicts.DIFFERENT: "different",
}
"""The CSS class of each verdict (its colour)."""


def _short_unit(unit: str) -> str:
    if unit.startswith("%"):
        return " pp"
    return "" if unit.startswith("index") else f" {unit}"


def change_text(row: pd.Series) -> str:
    """A difference rounded to its interval, with its unit: ``+7 pp``, ``-0.04``."""
    places = verdicts.decimals(row["ci_low"], row["ci_high"])
    return verdicts.rounded(row["difference"], places, signed=True) + _short_unit(row["unit"])


def gbp(value: float, signed: bool = False) -> str:
    """Whole pounds with a thousands separator (``+GBP 1,230``); n/a for a missing value."""
    if value is None or math.isnan(value):
        return "n/a"
    sign = "\u2212" if value < 0 else "+" if signed and value > 0 else ""
    return f"{sign}\u2060\u00a3{abs(value):,.0f}"  # a word joiner keeps the sign on the line


def gbp_interval(row: pd.Series) -> str:
    return (
        f"{gbp(row['difference'], True)} [{gbp(row['ci_low'], True)}, {gbp(row['ci_high'], True)}]"
    )


def _words(rows: pd.DataFrame) -> list[str]:
    said = [f"{r['label'].lower()} {change_text(r)}" for _, r in rows.iterrows()]
    if len(said) > MAX_WORDS:
        said = [*said[:MAX_WORDS], f"and {len(said) - MAX_WORDS} more"]
    return said


def _net_cost(card: pd.DataFrame, effects: pd.DataFrame) -> str:
    """The total cost difference per woman with its interval and what it buys."""
    total = card[card["kpi"] == "total_cost_per_woman"]
    if total.empty:
        return ""
    row = total.iloc[0]
    words = {verdicts.BETTER: "saves", verdicts.WORSE: "costs more"}.get(row["verdict"])
    text = f"{gbp_interval(row)} per woman" + (f" ({words})" if words else " (no clear difference)")
    parts = card.set_index("kpi")["difference"]
    text += (
        f": services {gbp(parts.get('service_cost_per_woman', math.nan), True)}, "
        f"downstream {gbp(parts.get('downstream_cost_per_woman', math.nan), True)}"
    )
    for _, e in effects.iterrows():
        said = e["verdict"] if "unclear" in e["verdict"] else ratio_text(e)
        text += f"; per {e['effect']}: {said}"
    return text


def ratio_text(row: pd.Series) -> str:
    """The cost-effectiveness verdict in words, with the ratio and its range if any."""
    if row["verdict"] in ("dominant", "dominated") or math.isnan(row["cost_per_unit"]):
        return row["verdict"]
    return (
        f"{gbp(row['cost_per_unit'])} ({gbp(row['cost_per_unit_low'])} to "
        f"{gbp(row['cost_per_unit_high'])}; {row['verdict']})"
    )


def headline_cards(
    comparison: pd.DataFrame, labels: dict[str, str], colours: dict[str, str],
    changes: dict[str, str],
) -> list[dict[str, Any]]:  # fmt: skip
    """One card per other scenario: what it changes, its clear wins and losses among the
    headline outcomes, and its net cost."""
    card = scorecard_table(comparison)
    headline = [k for k in compact_kpis(card) if k not in COST_KPIS]
    ratios = ce.cost_effectiveness(comparison)
    cards = []
    for scenario, rows in card.groupby("scenario", sort=False):
        name = str(scenario)
        main = rows[rows["kpi"].isin(headline)]
        label = labels.get(name, name)
        cards.append({
            "label": label, "colour": colours.get(label, "#888"),
            "changes": changes.get(name, ""),
            "wins": _words(main[main["verdict"] == verdicts.BETTER]),
            "losses": _words(main[main["verdict"] == verdicts.WORSE]),
            "cost": _net_cost(rows, ratios[ratios["scenario"] == name]),
        })  # fmt: skip
    return cards


def _cells(rows: pd.DataFrame, scenarios: list[str], money: bool) -> list[dict[str, str]]:
    by = {str(row["scenario"]): row for _, row in rows.iterrows()}
    cells = []
    for s in scenarios:
        r = by.get(s)
        if r is None or pd.isna(r["difference"]):
            cells.append({"text": "n/a", "css": "unclear"})
            continue
        text = gbp_interval(r) if money else f"{change_text(r)} {SHORT_MARK[r['verdict']]}"
        cells.append({"text": text.strip(), "css": CSS[r["verdict"]]})
    return cells


SHORT_MARK = {
    verdicts.BETTER: "\u2714",
    verdicts.WORSE: "\u2718",
    verdicts.TOO_SMALL: "small",
    verdicts.UNCLEAR: "",
    verdicts.DIFFERENT: "differs",
}


def _base(value: float, money: bool) -> str:
    if value is None or math.isnan(value):
        return "n/a"
    return gbp(value) if money else f"{value:.3g}"


def scorecard_rows(comparison: pd.DataFrame, labels: dict[str, str]) -> dict[str, Any] | None:
    """The scorecard table of the headline outcomes and costs, one column per scenario."""
    card = scorecard_table(comparison)
    if card.empty:
        return None
    scenarios = list(dict.fromkeys(card["scenario"]))
    rows = []
    for name in compact_kpis(card):
        kpi_rows = card[card["kpi"] == name]
        first = kpi_rows.iloc[0]
        money = name in COST_KPIS
        rows.append({
            "label": f"{first['outcome']} {first['label']} ({first['unit']})",
            "base": _base(first["base"], money), "cells": _cells(kpi_rows, scenarios, money),
        })  # fmt: skip
    return {"scenarios": [labels.get(s, s) for s in scenarios], "rows": rows}


def costs_data(
    comparison: pd.DataFrame | None, base_summary: pd.DataFrame, labels: dict[str, str]
) -> dict[str, Any]:
    """The costs section: each cost KPI per scenario, cost-effectiveness and unit costs."""
    unit_costs = _unit_costs()
    empty = {"scenarios": [], "rows": [], "ce": [], "unit_costs": unit_costs,
             "assumed": sum(u["status"] == "assumption" for u in unit_costs)}  # fmt: skip
    if comparison is None or "total_cost_per_woman" not in set(comparison["kpi"]):
        return empty
    card = scorecard_table(comparison)
    scenarios = list(dict.fromkeys(card["scenario"]))
    rows = []
    for name in (*COST_KPIS, *COST_COMPONENTS):
        kpi_rows = card[card["kpi"] == name]
        if kpi_rows.empty:
            continue
        rows.append({
            "label": kpi_label(name), "base": gbp(kpi_rows.iloc[0]["base"]),
            "cells": _cells(kpi_rows, scenarios, money=True),
            "css": "total" if name == "total_cost_per_woman" else "",
        })  # fmt: skip
    ratios = [
        {"scenario": labels.get(r["scenario"], r["scenario"]), "effect": r["effect"],
         "cost": f"{gbp(r['cost_difference'], True)} [{gbp(r['cost_ci_low'], True)}, "
                 f"{gbp(r['cost_ci_high'], True)}]",
         "gain": f"{100 * r['effect_difference']:+.2g} [{100 * r['effect_ci_low']:+.2g}, "
                 f"{100 * r['effect_ci_high']:+.2g}]",
         "verdict": r["verdict"], "ratio": ratio_text(r)}
        for _, r in ce.cost_effectiveness(comparison).iterrows()
    ]  # fmt: skip
    labelled = [labels.get(s, s) for s in scenarios]
    return {**empty, "scenarios": labelled, "rows": rows, "ce": ratios}


def _unit_costs() -> list[dict[str, str]]:
    table = register_table()
    rows = table[table["name"].str.startswith("costs.")]
    return [
        {"name": r["name"].removeprefix("costs."), "default": r["default"], "unit": r["unit"],
         "status": r["status"], "source": r["source"] if r["source"] != "assumption" else r["note"]}
        for r in rows.to_dict("records")
    ]  # fmt: skip
