"""A what-if's results as the report shows them (ToC panel, verdicts, costs) and as the
files a presenter takes away (scenario YAML, results directory, HTML report, xlsx).

Everything starts from a ``comparison.csv`` table, so a run in progress, a finished
run and a precomputed preset are all shown by the same code.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from pathway_sim.core.statistics import comparison_table
from pathway_sim.experiments.cost_effectiveness import cost_effectiveness
from pathway_sim.experiments.run import SERIAL, Run, finish
from pathway_sim.experiments.scorecard import scorecard_table
from pathway_sim.models import Scenario
from pathway_sim.models.perinatal.toc import HEADLINE_KPIS
from pathway_sim.models.results import ReplicationResult
from pathway_sim.reporting import toc_panel
from pathway_sim.reporting.templating import render, stylesheet
from pathway_sim.runs import layout
from pathway_sim.runs.outputs import write_csv

OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442")
BASE_COLOUR = "#000000"
MAX_SIDE_BY_SIDE = 4


def colours(labels: Sequence[str]) -> dict[str, str]:
    """Black for the base (first), then the report's colour-blind-safe palette."""
    return {
        label: BASE_COLOUR if i == 0 else OKABE_ITO[(i - 1) % len(OKABE_ITO)]
        for i, label in enumerate(labels)
    }


def panel_css() -> str:
    """The report stylesheet's class rules (not its page, heading or print rules), so the
    panel looks as in the report without restyling the app."""
    screen = stylesheet().split("@media print", 1)[0]
    return "\n".join(line for line in screen.splitlines() if line.startswith("."))


def toc_html(
    table: pd.DataFrame, labels: Mapping[str, str], requirements: Mapping[str, Sequence[str]]
) -> str:
    """The report's Theory of Change panel for ``table`` (``comparison.csv`` rows, the
    base first): each outcome's headline KPI difference per what-if, with its verdict."""
    shown = table.assign(scenario=table["scenario"].map(lambda s: labels.get(s, s)))
    order = list(dict.fromkeys(shown["scenario"]))
    palette = colours(order)
    base = shown[shown["scenario"] == order[0]][["kpi", "mean"]]
    acting: dict[str, list[tuple[str, str]]] = {}
    for name, krs in requirements.items():
        label = labels.get(name, name)
        for kr in krs:
            acting.setdefault(kr, []).append((label, palette[label]))
    data = toc_panel.panel_data(shown, shown, base, palette, frozenset(), acting)
    what = f"Each outcome box shows its headline KPI's difference from the base {order[0]}."
    return f"<style>{panel_css()}</style>" + render("toc_panel.html.j2", what=what, **data)


def verdicts(table: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """The scorecard of the Theory of Change headline KPIs and costs, one row per KPI and
    what-if: difference from the base, its interval and verdict."""
    card = scorecard_table(table)
    card = card[card["kpi"].isin(set(HEADLINE_KPIS.values())) | card["kpi"].str.contains("cost")]
    card = card.assign(scenario=card["scenario"].map(lambda s: labels.get(s, s)))
    return card[["scenario", "outcome", "label", "unit", "base", "difference", "ci_low",
                 "ci_high", "verdict"]].reset_index(drop=True)  # fmt: skip


def costs(table: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """Cost per extra baby with her mother and per overdose averted (or dominance)."""
    found = cost_effectiveness(table)
    return found.assign(scenario=found["scenario"].map(lambda s: labels.get(s, s)))


def side_by_side(tables: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Up to four comparisons laid together: one base (the first table's) and each
    what-if's rows, so one panel and one scorecard show them all."""
    chosen = list(tables)[:MAX_SIDE_BY_SIDE]
    base = chosen[0][chosen[0]["scenario"] == chosen[0]["scenario"].iloc[0]]
    others = [t[t["scenario"] != t["scenario"].iloc[0]] for t in chosen]
    return pd.concat([base, *others], ignore_index=True)


# --- files to take away ---------------------------------------------------------------------


def write_results(
    out: Path,
    scenarios: Sequence[Scenario],
    results: Sequence[Sequence[ReplicationResult]],
) -> pd.DataFrame:
    """The ``compare`` output directory for finished replications: a sub-directory per
    scenario (the run contract), ``comparison.csv``, ``scorecard.csv``,
    ``cost_effectiveness.csv`` and ``report.xlsx``; returns the comparison table."""
    from pathway_sim.reporting.xlsx import write_workbook

    started = time.perf_counter()
    runs = []
    for scenario, done in zip(scenarios, results, strict=True):
        run = Run.start(scenario, out / scenario.name, False, False)
        for result in done:
            run.keep(result)
        runs.append(finish(run, len(done), SERIAL, time.perf_counter() - started))
    replications = pd.concat([r.replications for r in runs], ignore_index=True)
    table = comparison_table(replications, scenarios[0].name)
    write_csv(out / layout.COMPARISON, table)
    write_csv(out / layout.SCORECARD, scorecard_table(table))
    write_csv(out / layout.COST_EFFECTIVENESS, cost_effectiveness(table))
    write_workbook(out, table, scorecard_table(table), cost_effectiveness(table))
    return table


def zipped(folder: Path) -> bytes:
    """Every file under ``folder`` in a zip, paths relative to its parent."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder.parent).as_posix())
    return buffer.getvalue()
