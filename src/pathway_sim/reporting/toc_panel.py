"""The Theory of Change laid out as the paper draws it, with each outcome's model result.

Problems lead to key requirements (KR1-KR8), which lead to short-term outcomes
(S1-S6), medium-term outcomes (M1-M2) and impacts (I1-I5). Each outcome box shows
one headline KPI (named in the box) per scenario: its paired difference from the
base with the 95% interval, coloured by the KPI's better direction only when the
interval excludes zero, and marked with a dagger when the KPI rests mainly on
assumption-status parameters. Built in HTML/CSS so it renders crisply anywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import pandas as pd

from pathway_sim.models.kpis import TOC_OUTCOMES, kpi
from pathway_sim.models.perinatal.toc import HEADLINE_KPIS, KEY_REQUIREMENTS, PROBLEMS

COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Short-term outcomes (perinatal period)", ("S1", "S2", "S3", "S4", "S5", "S6")),
    ("Medium-term outcomes", ("M1", "M2")),
    ("Impacts (long term)", ("I1", "I2", "I3", "I4", "I5")),
)
OUTSIDE_MODEL = "I5"


@dataclass(frozen=True)
class Cell:
    """One scenario's result for an outcome's headline KPI."""

    scenario: str
    colour: str
    text: str
    verdict: str  # better | worse | unclear | level


def verdict(diff: float, low: float, high: float, better: str) -> str:
    """Better or worse only when the interval excludes zero and the KPI has a direction."""
    if any(math.isnan(x) for x in (diff, low, high)) or better not in ("higher", "lower"):
        return "unclear"
    if low <= 0 <= high:
        return "unclear"
    up = low > 0
    return "better" if up == (better == "higher") else "worse"


def number(x: float, signed: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    text = f"{x:+.3g}" if signed else f"{x:.3g}"
    return text.replace("-", "\u2212")


def difference_cells(table: pd.DataFrame, kpi_name: str, colours: dict[str, str]) -> list[Cell]:
    """Each other scenario's paired difference from the base (``comparison.csv`` rows)."""
    entry = kpi(kpi_name)
    better = entry.better if entry else "neither"
    rows = table[(table["kpi"] == kpi_name) & (table["scenario"] != table["scenario"].iloc[0])]
    return [
        Cell(r.scenario, colours[r.scenario],
             f"{number(r.diff_vs_base, True)} "
             f"[{number(r.diff_ci_low, True)}, {number(r.diff_ci_high, True)}]",
             verdict(r.diff_vs_base, r.diff_ci_low, r.diff_ci_high, better))
        for r in rows.itertuples()
    ]  # fmt: skip


def level_cells(summary: pd.DataFrame, kpi_name: str, colours: dict[str, str]) -> list[Cell]:
    """Each scenario's mean and interval (a single run has no differences)."""
    rows = summary[summary["kpi"] == kpi_name]
    return [
        Cell(r.scenario, colours[r.scenario],
             f"{number(r.mean)} [{number(r.ci_low)}, {number(r.ci_high)}]", "level")
        for r in rows.itertuples()
    ]  # fmt: skip


def panel(
    cells: dict[str, list[Cell]],
    base_levels: dict[str, float],
    assumption_kpis: frozenset[str],
    acting_on: dict[str, list[tuple[str, str]]],
) -> str:
    """The ToC panel as an HTML grid: problems, key requirements, outcomes, impacts.

    ``cells``: outcome id -> its scenarios' cells; ``base_levels``: outcome id -> the
    base's mean of its headline KPI; ``acting_on``: KR id -> (scenario, colour) of the
    scenarios that act on it.
    """
    problems = "".join(f'<div class="box problem">{escape(p)}</div>' for p in PROBLEMS)
    requirements = "".join(_requirement_box(kr, acting_on.get(kr, [])) for kr in KEY_REQUIREMENTS)
    columns = [
        _column("Problems (ToC Table 2)", problems),
        _column("Key requirements", requirements),
    ]
    for title, ids in COLUMNS:
        boxes = "".join(
            _outcome_box(o, cells.get(o, []), base_levels.get(o), assumption_kpis) for o in ids
        )
        columns.append(_column(title, boxes))
    return f'<div class="toc">{"".join(columns)}</div>'


def _column(title: str, boxes: str) -> str:
    return f'<div class="toc-col"><h3>{escape(title)}</h3>{boxes}</div>'


def _chip(colour: str, title: str) -> str:
    return f'<span class="chip" style="background:{colour}" title="{escape(title)}"></span>'


def _requirement_box(kr: str, scenarios: list[tuple[str, str]]) -> str:
    name, level = KEY_REQUIREMENTS[kr]
    chips = "".join(
        _chip(colour, s) + f'<span class="kr-scenario">{escape(s)}</span>'
        for s, colour in scenarios
    )
    acted = " acted" if scenarios else ""
    return (
        f'<div class="box requirement{acted}"><b>{kr}</b> {escape(name)} '
        f'<span class="level">{level}</span>'
        + (f'<div class="kr-chips">{chips}</div>' if chips else "")
        + "</div>"
    )


def _outcome_box(
    outcome: str, cells: list[Cell], base_level: float | None, assumption_kpis: frozenset[str]
) -> str:
    title = f"<b>{outcome}</b> {escape(TOC_OUTCOMES[outcome])}"
    if outcome == OUTSIDE_MODEL:
        return (
            f'<div class="box outcome outside">{title}'
            '<div class="note">outside what a service model can show</div></div>'
        )
    name = HEADLINE_KPIS[outcome]
    entry = kpi(name)
    dagger = (
        '<span class="dagger" title="rests mainly on assumption-status parameters">\u2020</span>'
        if name in assumption_kpis
        else ""
    )
    base = "" if base_level is None else f" &middot; base {escape(number(base_level))}"
    head = (
        f'<div class="kpi-name">{escape(entry.label)}{dagger} '
        f'<span class="unit">({escape(entry.unit)}{base})</span></div>'
    )
    rows = "".join(
        f'<div class="cell {c.verdict}">{_chip(c.colour, c.scenario)}'
        f'<span class="cell-name" title="{escape(c.scenario)}">{escape(c.scenario)}</span>'
        f'<span class="cell-value">{escape(c.text)}</span>{_verdict_mark(c.verdict)}</div>'
        for c in cells
    )
    return f'<div class="box outcome">{title}{head}{rows}</div>'


def _verdict_mark(verdict_: str) -> str:
    mark = {"better": "\u2714 better", "worse": "\u2718 worse"}.get(verdict_, "")
    return f'<span class="verdict">{mark}</span>' if mark else ""
