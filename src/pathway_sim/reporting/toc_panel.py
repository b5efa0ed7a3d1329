"""The Theory of Change laid out as the paper draws it, with each outcome's model result.

Problems lead to key requirements (KR1-KR8), which lead to short-term outcomes
(S1-S6), medium-term outcomes (M1-M2) and impacts (I1-I5). Each outcome box shows
one headline KPI (named in the box) per scenario: its paired difference from the
base rounded to what its interval supports, coloured by its verdict (the interval
and the KPI's minimal important difference, as in the scorecard), and marked with
a dagger when the KPI rests mainly on assumption-status parameters. This module
computes the boxes; ``templates/toc_panel.html.j2`` draws them in HTML and CSS.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from pathway_sim.core import verdicts
from pathway_sim.models import kpi
from pathway_sim.models.kpis import KPI
from pathway_sim.models.mids import kpi_verdict
from pathway_sim.models.perinatal.toc import (
    HEADLINE_KPIS,
    KEY_REQUIREMENTS,
    PROBLEMS,
    TOC_OUTCOMES,
)

COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Short-term outcomes (perinatal period)", ("S1", "S2", "S3", "S4", "S5", "S6")),
    ("Medium-term outcomes", ("M1", "M2")),
    ("Impacts (long term)", ("I1", "I2", "I3", "I4", "I5")),
)
OUTSIDE_MODEL = "I5"
MARKS = {
    verdicts.BETTER: "\u2714 better",
    verdicts.WORSE: "\u2718 worse",
    verdicts.TOO_SMALL: "too small",
    verdicts.DIFFERENT: "differs",
}
"""A tick or cross beside the colour, for anyone who cannot tell the colours apart."""
CSS = {
    verdicts.BETTER: "better",
    verdicts.WORSE: "worse",
    verdicts.TOO_SMALL: "small",
    verdicts.UNCLEAR: "unclear",
    verdicts.DIFFERENT: "different",
}


def number(x: float | None, signed: bool = False) -> str:
    """Three significant figures with a true minus sign."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    text = f"{x:+.3g}" if signed else f"{x:.3g}"
    return text.replace("-", "\u2212")


def headline_entry(name: str) -> KPI:
    """The catalogue entry of a headline KPI, which the catalogue always holds."""
    entry = kpi(name)
    if entry is None:
        raise KeyError(f"{name}: a headline KPI missing from the KPI catalogue")
    return entry


def difference_cells(
    table: pd.DataFrame, kpi_name: str, colours: dict[str, str]
) -> list[dict[str, str]]:
    """Each other scenario's paired difference from the base (``comparison.csv`` rows)."""
    rows = table[(table["kpi"] == kpi_name) & (table["scenario"] != table["scenario"].iloc[0])]
    cells = []
    for r in rows.to_dict("records"):
        said = kpi_verdict(kpi_name, r["diff_vs_base"], r["diff_ci_low"], r["diff_ci_high"])
        places = verdicts.decimals(r["diff_ci_low"], r["diff_ci_high"])
        cells.append({
            "scenario": r["scenario"], "colour": colours[r["scenario"]], "css": CSS[said],
            "text": verdicts.rounded(r["diff_vs_base"], places, signed=True),
            "mark": MARKS.get(said, ""),
        })  # fmt: skip
    return cells


def level_cells(
    summary: pd.DataFrame, kpi_name: str, colours: dict[str, str]
) -> list[dict[str, str]]:
    """Each scenario's mean (a single run has no differences)."""
    rows = summary[summary["kpi"] == kpi_name]
    return [
        {"scenario": r["scenario"], "colour": colours[r["scenario"]], "css": "unclear",
         "text": number(r["mean"]), "mark": ""}
        for r in rows.to_dict("records")
    ]  # fmt: skip


def _outcome_box(
    outcome: str, cells: list[dict[str, str]], base: float | None, assumption_kpis: frozenset[str]
) -> dict[str, Any]:
    if outcome == OUTSIDE_MODEL:
        return {"id": outcome, "title": TOC_OUTCOMES[outcome], "outside": True}
    name = HEADLINE_KPIS[outcome]
    entry = headline_entry(name)
    return {
        "id": outcome, "title": TOC_OUTCOMES[outcome], "outside": False,
        "kpi_label": entry.label, "unit": entry.unit, "assumption": name in assumption_kpis,
        "base": None if base is None else number(base), "cells": cells,
    }  # fmt: skip


def panel_data(
    comparison: pd.DataFrame | None,
    summary: pd.DataFrame,
    base_summary: pd.DataFrame,
    colours: dict[str, str],
    assumption_kpis: frozenset[str],
    acting_on: dict[str, list[tuple[str, str]]],
) -> dict[str, Any]:
    """The panel's boxes for the template: problems, key requirements (with the scenarios
    acting on each), and per outcome its headline KPI's cells.

    ``comparison`` (scenarios by display label) gives differences; without it (one run)
    ``summary`` gives each scenario's level. ``base_summary`` gives the base's level.
    """
    base_means = base_summary.set_index("kpi")["mean"]
    columns = []
    for title, ids in COLUMNS:
        boxes = []
        for outcome in ids:
            name = HEADLINE_KPIS.get(outcome)
            cells: list[dict[str, str]] = []
            if name is not None:
                cells = (
                    difference_cells(comparison, name, colours)
                    if comparison is not None
                    else level_cells(summary, name, colours)
                )
            base = base_means.get(name) if name is not None else None
            boxes.append(_outcome_box(outcome, cells, base, assumption_kpis))
        columns.append({"title": title, "boxes": boxes})
    requirements = [
        {"id": kr, "name": name, "level": level,
         "scenarios": [{"label": s, "colour": c} for s, c in acting_on.get(kr, [])]}
        for kr, (name, level) in KEY_REQUIREMENTS.items()
    ]  # fmt: skip
    return {"problems": PROBLEMS, "requirements": requirements, "columns": columns}
