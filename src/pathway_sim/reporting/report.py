"""The workshop report: one self-contained HTML file from a results directory.

Reads what ``run``, ``compare`` or ``experiment`` wrote (``runs/reader.py``), builds
each section (``sections.py``: tables, and figures drawn by ``plots.py``, saved as PNG
and SVG in ``DIR/figures/``) and assembles one HTML file from the Jinja2 templates
(``templating.py``), with the SVGs embedded as data URIs and the CSS inline: no scripts,
no links out, so it opens anywhere without a network. Its first screen is the headline
block (``headline.py``): per scenario what it changes, its clear wins and losses and its
net cost. A print stylesheet lays it out on A4.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pathway_sim.core.paths import within
from pathway_sim.core.version import __version__
from pathway_sim.experiments.scorecard import display_names
from pathway_sim.models.perinatal.costs import PRICE_YEAR
from pathway_sim.reporting import eventlog, headline, plots
from pathway_sim.reporting.sections import (
    MAX_JOURNEY_SCENARIOS,
    Context,
    EventLogTables,
    section_burden,
    section_costs,
    section_factorial,
    section_forest,
    section_journeys,
    section_retention,
    section_scenarios,
    section_toc,
    section_waits,
)
from pathway_sim.reporting.templating import FigureWriter, render, section
from pathway_sim.runs import layout
from pathway_sim.runs.outputs import write_text
from pathway_sim.runs.reader import EventLog, Results, read_results

SECTIONS = (
    "how-to-read",
    "toc",
    "forest",
    "costs",
    "retention",
    "burden",
    "waits",
    "journeys",
    "scenarios",
    "limits",
)
"""The id of every section, in order: the tests check each is there."""
FACTORIAL_SECTION = "factorial"
"""Added after the forest plot when the results are a factorial experiment's."""
EXAMPLE_WOMEN = 3

SECTION_BUILDERS: dict[str, tuple[str, Callable[[Context], str]]] = {
    "toc": ("Theory of Change outcomes", section_toc),
    "forest": ("Every KPI: difference from the base", section_forest),
    "costs": ("Costs", section_costs),
    "retention": ("Engagement over time", section_retention),
    "burden": ("Appointment burden and travel", section_burden),
    "waits": ("Waits and missed deadlines", section_waits),
    "journeys": ("Example journeys", section_journeys),
    "scenarios": ("Scenarios, seeds and versions", section_scenarios),
}


def build_report(results_dir: str | Path, out: str | Path | None = None) -> Path:
    """Write the HTML report for ``results_dir`` (default ``results_dir/report.html``) and
    each figure as PNG and SVG in ``results_dir/figures/``; return the report's path."""
    started = time.perf_counter()
    results = read_results(Path(results_dir))
    plots.use_theme()
    labels = display_names(results.scenarios)
    colours = {labels[n]: c for n, c in plots.scenario_colours(results.names).items()}
    figures = FigureWriter(within(results.root, results.root / layout.FIGURES))
    ctx = Context(results, labels, colours, figures, _load_logs(results))
    how = render("how_to_read.html.j2", intervals=_intervals_text(results), price_year=PRICE_YEAR)
    sections = [section("how-to-read", "How to read this", how)]
    for sid, (title, build) in SECTION_BUILDERS.items():
        sections.append(section(sid, title, build(ctx)))
        if sid == "forest" and results.effects is not None:
            sections.append(
                section(FACTORIAL_SECTION, "Levers together: factorial effects",
                        section_factorial(ctx, results.effects))
            )  # fmt: skip
    sections.append(section("limits", "Limits of this model", render("limits.html.j2")))
    path = Path(out) if out is not None else results.root / layout.REPORT
    write_text(path, _document(ctx, sections, time.perf_counter() - started))
    return path


def _load_logs(results: Results) -> EventLogTables | None:
    """The tables every event-log figure draws from: the curves pooled from each scenario's
    weekly counts, and the journeys of the example women (picked in the base's first
    replication) read from each log without the other women's rows (None unless every
    scenario has a log and its counts)."""
    logs = {s.name: s.events for s in results.scenarios}
    kept: dict[str, EventLog] = {name: log for name, log in logs.items() if log is not None}
    if not results.perinatal or len(kept) < len(logs):
        return None
    base = kept[results.names[0]]
    rep = int(base.women["replication"].min()) if not base.women.empty else 0
    chosen = eventlog.example_women(eventlog.read_events(base.path, rep), base.women, EXAMPLE_WOMEN)
    ids = [woman for _, woman, _ in chosen]
    tables = EventLogTables(chosen, {}, {}, {})
    for name, log in kept.items():
        tables.retention[name] = eventlog.retention_curves(log.engagement_weekly)
        tables.burden[name] = eventlog.weekly_burden(log.burden_weekly)
        if name in results.names[:MAX_JOURNEY_SCENARIOS]:
            events = eventlog.read_events(log.path, rep, ids)
            tables.journeys[name] = [eventlog.journey(events, log.women, rep, w) for w in ids]
    return tables


def _intervals_text(results: Results) -> str:
    if results.comparison is None:
        return "95% t-intervals over replications"
    row = results.comparison.iloc[0]
    level = f"{100 * float(row['diff_confidence']):.4g}%"
    if row["correction"] == "bonferroni":
        return f"paired t-intervals at {level} each (Bonferroni-corrected for the comparisons)"
    return f"paired {level} t-intervals, not corrected for multiple comparisons"


def _document(ctx: Context, sections: list[dict[str, Any]], seconds: float) -> str:
    results = ctx.results
    cards = (
        headline.headline_cards(results.comparison, ctx.labels, ctx.colours, _descriptions(results))
        if results.comparison is not None and results.perinatal
        else []
    )
    return render(
        "report.html.j2",
        root_name=results.root.name, root=str(results.root),
        scenario_count=len(results.names),
        reps=results.scenarios[0].manifest.get("replications"),
        base_label=ctx.label(results.names[0]), headline=cards, price_year=PRICE_YEAR,
        sections=sections, version=__version__,
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), build_seconds=seconds,
    )  # fmt: skip


def _descriptions(results: Results) -> dict[str, str]:
    """What each scenario changes in one sentence: its description (its ``changes`` text,
    often a paragraph, is on its card in the scenarios section)."""
    return {s.name: str(s.scenario.get("description") or "") for s in results.scenarios}
