"""The report's sections: each builds its tables and figures from the results and renders
its template (``templates/*.html.j2``); ``report.py`` assembles them in order.

Every section takes a ``Context``: the results as ``runs/reader.py`` read them, the
scenarios' display labels and colours, where figures go, and what the figures take from
the event logs (``EventLogTables``), read once for every section.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from markupsafe import Markup

from pathway_sim.core.statistics import t_interval
from pathway_sim.models import kpi
from pathway_sim.models import label as kpi_label
from pathway_sim.models.perinatal.costs import PRICE_YEAR
from pathway_sim.models.perinatal.kpis import PATHWAY_KPIS
from pathway_sim.models.perinatal.toc import HEADLINE_KPIS, TOC_OUTCOMES
from pathway_sim.models.queueing.kpis import QUEUE_KPIS
from pathway_sim.reporting import eventlog, headline, plots, toc_panel
from pathway_sim.reporting.templating import FigureWriter, render
from pathway_sim.runs.reader import Results, RunResults

MAX_JOURNEY_SCENARIOS = 5
DEADLINE_KPIS = ("assessment_late_pct", "conference_late_pct")
NEEDS_EVENTS = (
    "This section needs the event log (events.parquet or events.csv.gz) and its weekly counts "
    "(engagement_weekly.csv, burden_weekly.csv), which these results do not have (or an "
    "earlier version wrote them without the counts: run again). "
    "compare and experiment keep it when they write a report (the default); for run, add "
    "--event-log."
)


def _interval_rows(table: pd.DataFrame, by: str, value: str, sort: bool) -> pd.DataFrame:
    """Mean and 95% t-interval of ``value`` over replications for each ``by`` group
    (in the table's order unless ``sort``)."""
    rows = []
    for (key,), group in table.groupby([by], sort=sort):
        ci = t_interval(group[value].to_numpy(dtype=float))
        rows.append((key, ci.mean, ci.low, ci.high))
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class EventLogTables:
    """What the report's figures take from the event logs: per scenario its retention
    curves, its weekly burden and the journeys of the example women (``chosen``, picked
    in the base), so that no log is ever read whole."""

    chosen: list[tuple[int, int, str]]
    retention: dict[str, pd.DataFrame]
    burden: dict[str, pd.DataFrame]
    journeys: dict[str, list[pd.DataFrame]]


@dataclass
class Context:
    """What every section builder needs. ``labels`` maps each scenario's name to its
    display label, distinct for every scenario, and ``colours`` is keyed by display label,
    which is what every figure and table shows."""

    results: Results
    labels: dict[str, str]
    colours: dict[str, str]
    figures: FigureWriter
    logs: EventLogTables | None = None
    """What the figures take from the event logs, when every scenario has a log."""

    @property
    def base(self) -> RunResults:
        return self.results.scenarios[0]

    def label(self, name: str) -> str:
        return self.labels.get(name, name)


def _assumption_kpis(results: Results) -> frozenset[str]:
    evidence = results.scenarios[0].evidence
    if evidence is None:
        return frozenset()
    return frozenset(evidence.loc[evidence["rests_on_assumptions"].astype(bool), "kpi"])


def section_toc(ctx: Context) -> str:
    if not ctx.results.perinatal:
        return "<p>These are not perinatal scenarios, so no Theory of Change outcomes apply.</p>"
    table = ctx.results.comparison
    if table is not None:
        table = table.assign(scenario=table["scenario"].map(ctx.label))
    summary = pd.concat([s.summary.assign(scenario=s.label) for s in ctx.results.scenarios])
    acting: dict[str, list[tuple[str, str]]] = {}
    for s in ctx.results.scenarios[1:] if table is not None else ctx.results.scenarios:
        for kr in s.scenario.get("key_requirements", []):
            acting.setdefault(kr, []).append((ctx.label(s.name), ctx.colours[ctx.label(s.name)]))
    base = ctx.label(ctx.base.name)
    what = (
        Markup(  # format() escapes the label: it is the user's text, not markup
            "Each outcome box shows its headline KPI's difference from the base <b>{}</b>, "
            "one line per scenario, rounded to what its interval supports, with its verdict."
        ).format(base)
        if table is not None
        else "Each outcome box shows its headline KPI's mean (one run: no differences)."
    )
    data = toc_panel.panel_data(
        table, summary, ctx.base.summary, ctx.colours, _assumption_kpis(ctx.results), acting
    )
    return render("toc_panel.html.j2", what=what, **data)


def forest_table(comparison: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """``comparison.csv`` rows of the other scenarios (not the first, the base), with their
    catalogue entries, in catalogue order. Scenarios are shown by their display label."""
    others = comparison[comparison["scenario"] != comparison["scenario"].iloc[0]]
    order = [k.name for k in (*PATHWAY_KPIS, *QUEUE_KPIS)]
    rows = []
    for r in others.to_dict("records"):
        entry = kpi(r["kpi"])
        rows.append({
            "kpi": r["kpi"], "scenario": labels.get(r["scenario"], r["scenario"]),
            "diff": r["diff_vs_base"], "low": r["diff_ci_low"], "high": r["diff_ci_high"],
            "toc_outcome": entry.toc_outcome if entry else "OP",
            "label": entry.label if entry else r["kpi"],
            "unit": entry.unit if entry else "", "better": entry.better if entry else "neither",
            "rank": order.index(r["kpi"]) if r["kpi"] in order else len(order),
        })  # fmt: skip
    frame = pd.DataFrame(rows)
    outcome_rank = {o: i for i, o in enumerate(TOC_OUTCOMES)}
    frame = frame.assign(group=frame["toc_outcome"].map(outcome_rank)).sort_values(
        ["group", "rank"], kind="stable"
    )
    return frame.drop(columns=["group", "rank"])


FOREST_GROUPS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("forest_short_term", "Short-term outcomes (S1-S6): difference from the base",
     ("S1", "S2", "S3", "S4", "S5", "S6"), "forest"),
    ("forest_medium_impacts", "Medium-term outcomes and impacts (M1-M2, I1-I4)",
     ("M1", "M2", "I1", "I2", "I3", "I4"), "forest"),
    ("forest_costs", "Costs per woman (GBP)", ("CO",), "forest"),
    ("forest_operational", "Operational measures: difference from the base", ("OP",),
     "forest screen-only"),
)  # fmt: skip
"""Each forest plot: file stem, title, the ToC outcomes it shows and its print class
(the long operational plot is left out of print; its SVG is in figures/)."""


def section_forest(ctx: Context) -> str:
    """The forest plots of every KPI's difference (KPIs without any estimable difference
    left out, and named), and the scorecard; for one run, its levels."""
    comparison = ctx.results.comparison
    if comparison is None:
        return _levels_table(ctx.base)
    table = forest_table(comparison, ctx.labels)
    estimable = table.groupby("kpi")["diff"].transform(lambda d: d.notna().any())
    missing = list(table.loc[~estimable, "label"].drop_duplicates())
    table = table[estimable]
    colours = {s: c for s, c in ctx.colours.items() if s != ctx.label(ctx.base.name)}
    figures = []
    for stem, title, outcomes, kind in FOREST_GROUPS:
        keep = table["toc_outcome"].isin(outcomes)
        if keep.any():
            fig = plots.forest_plot(table[keep], colours, title)
            figures.append(ctx.figures.embed(fig, stem, title, kind))
    card = headline.scorecard_rows(comparison, ctx.labels)
    return render(
        "forest.html.j2", base_label=ctx.label(ctx.base.name), figures=figures,
        missing=missing, scorecard=card,
    )  # fmt: skip


def section_costs(ctx: Context) -> str:
    if not ctx.results.perinatal:
        return "<p>Not applicable: these are not perinatal scenarios.</p>"
    data = headline.costs_data(ctx.results.comparison, ctx.base.summary, ctx.labels)
    return render("costs.html.j2", price_year=PRICE_YEAR, **data)


def effects_table(effects: pd.DataFrame) -> pd.DataFrame:
    """The headline KPIs' factorial effects shaped like ``forest_table``: each effect
    (a lever, or a pair of levers joined by " x ") takes the place of a scenario."""
    outcome_of = {name: outcome for outcome, name in HEADLINE_KPIS.items()}
    rows = []
    for r in effects[effects["kpi"].isin(outcome_of)].to_dict("records"):
        entry = toc_panel.headline_entry(r["kpi"])
        rows.append({
            "kpi": r["kpi"], "scenario": r["effect"].replace(":", " x "), "diff": r["estimate"],
            "low": r["ci_low"], "high": r["ci_high"], "toc_outcome": outcome_of[r["kpi"]],
            "label": entry.label, "unit": entry.unit, "better": entry.better,
        })  # fmt: skip
    columns = ["kpi", "scenario", "diff", "low", "high", "toc_outcome", "label", "unit", "better"]
    frame = pd.DataFrame(rows, columns=columns)
    order = {o: i for i, o in enumerate(HEADLINE_KPIS)}
    return frame.sort_values("toc_outcome", key=lambda o: o.map(order), kind="stable")


def interaction_verdict(estimate: float, low: float, high: float, better: str) -> str:
    """Plain words for a two-way interaction: do the two levers help more together
    than apart? Only said when the interval excludes zero."""
    if low <= 0 <= high or better not in ("higher", "lower"):
        return "no clear interaction"
    helps = (estimate > 0) == (better == "higher")
    return (
        "synergy: each helps more when the other is there"
        if helps
        else "overlap: together they do less than the sum of the two"
    )


FACTORIAL_TEXT = (
    "This experiment is a full factorial: every combination of the levers, on common random "
    "numbers. A lever's main effect is the mean difference it makes, averaged over the other "
    "levers being on or off. An interaction of two levers is half the difference between one "
    "lever's effect when the other is on and when it is off: zero means they simply add up. The "
    "Theory of Change expects interactions: adding one service may not help if the system around "
    "it is unchanged."
)


def section_factorial(ctx: Context, effects: pd.DataFrame) -> str:
    """A factorial experiment's main effects and interactions on the headline KPIs."""
    table = effects_table(effects)
    if table.empty:
        text = "None of the Theory of Change headline KPIs was measured in this experiment."
        return render("figures.html.j2", missing="", parts=[{"text": text}], table=None)
    pairs = table["scenario"].str.contains(" x ")
    parts: list[dict[str, Any]] = [{"text": FACTORIAL_TEXT}]
    for stem, title, keep in (
        ("factorial_main_effects", "Main effect of each lever on the headline KPIs", ~pairs),
        ("factorial_interactions", "Two-way interactions of the levers on the headline KPIs",
         pairs),
    ):  # fmt: skip
        shown = table[keep]
        colours = plots.effect_colours(list(dict.fromkeys(shown["scenario"])))
        fig = plots.forest_plot(shown, colours, title)
        parts.append({"figure": ctx.figures.embed(fig, stem, title)})
    clear = table[pairs & ((table["low"] > 0) | (table["high"] < 0))]
    if clear.empty:
        parts.append(
            {"text": "No interaction on a headline KPI has an interval that excludes zero."}
        )
        return render("figures.html.j2", missing="", parts=parts, table=None)
    rows = [
        [f"{r['label']} ({r['unit']})", r["scenario"], toc_panel.number(r["diff"]),
         f"[{toc_panel.number(r['low'])}, {toc_panel.number(r['high'])}]",
         interaction_verdict(r["diff"], r["low"], r["high"], r["better"])]
        for r in clear.to_dict("records")
    ]  # fmt: skip
    interactions = {
        "caption": "Interactions whose interval excludes zero:", "css": "interactions",
        "header": ["KPI", "levers", "interaction", "interval", "in words"], "rows": rows,
    }  # fmt: skip
    return render("figures.html.j2", missing="", parts=parts, table=interactions)


def _levels_table(run: RunResults) -> str:
    """One run: a table of every KPI's mean and interval, by ToC outcome."""
    rows = []
    for r in run.summary.to_dict("records"):
        entry = kpi(r["kpi"])
        rows.append([
            entry.toc_outcome if entry else "", entry.label if entry else r["kpi"],
            entry.unit if entry else "", toc_panel.number(r["mean"]),
            f"[{toc_panel.number(r['ci_low'])}, {toc_panel.number(r['ci_high'])}]",
        ])  # fmt: skip
    table = {
        "caption": "One scenario, so there are no differences to plot: its levels, with 95% "
        "intervals over replications.", "css": "",
        "header": ["ToC", "KPI", "unit", "mean", "95% CI"], "rows": rows,
    }  # fmt: skip
    return render("figures.html.j2", missing="", parts=[], table=table)


def _event_logs(ctx: Context) -> EventLogTables | str:
    """What the figures take from the event logs, or why a section cannot have it."""
    if not ctx.results.perinatal:
        return "Not applicable: these are not perinatal scenarios."
    return NEEDS_EVENTS if ctx.logs is None else ctx.logs


def _figures(missing: str | None, parts: list[dict[str, Any]]) -> str:
    return render("figures.html.j2", missing=missing or "", parts=parts, table=None)


def _per_scenario(ctx: Context, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    parts = [table.assign(scenario=ctx.label(name)) for name, table in tables.items()]
    return pd.concat(parts, ignore_index=True)


RETENTION_TEXT = (
    "Engaged with a service in a week: by the end of that week she had been referred to the "
    "service (she is on its caseload) and had not dropped out since, or had been brought back (by "
    "outreach, her own return, or admission for birth); only weeks within her follow-up count. The "
    "share is of women on the caseload that week, pooled over replications; weeks with fewer than "
    "{min_women} women are left out. A service that discharges her at the end of its course still "
    "counts her as engaged: the curves show dropping out, not discharge."
)


def section_retention(ctx: Context) -> str:
    logs = _event_logs(ctx)
    if isinstance(logs, str):
        return _figures(logs, [])
    curves = _per_scenario(ctx, logs.retention)
    figure = ctx.figures.embed(
        plots.retention_curves(curves, ctx.colours), "engagement_retention",
        "Engagement with each service by week from birth",
    )  # fmt: skip
    text = RETENTION_TEXT.format(min_women=eventlog.MIN_WOMEN_PER_WEEK)
    return _figures(None, [{"text": text, "figure": figure}])


BURDEN_TEXT = (
    "Contacts: attended or missed, all services, per woman followed that week. Places: distinct "
    "places she travelled to for attended contacts (home visits and remote contacts are not "
    "trips), per woman followed that week, weeks without a trip counting as none."
)
TRAVEL_TEXT = (
    "Travel: door-to-door hours to attended appointments per woman over her whole follow-up, mean "
    "over replications with 95% intervals, for all women and by where she lives."
)


def section_burden(ctx: Context) -> str:
    parts: list[dict[str, Any]] = []
    logs = _event_logs(ctx)
    if not isinstance(logs, str):
        burden = _per_scenario(ctx, logs.burden)
        figure = ctx.figures.embed(
            plots.weekly_burden(burden, ctx.colours), "appointment_burden",
            "Contacts and distinct places per woman per week",
        )  # fmt: skip
        parts.append({"text": BURDEN_TEXT, "figure": figure})
    found = travel_table(ctx) if ctx.results.perinatal else None
    if found is not None:
        travel, colours = found
        figure = ctx.figures.embed(
            plots.travel_by_site(travel, colours), "travel_hours",
            "Travel hours per woman by site archetype",
        )  # fmt: skip
        parts.append({"text": TRAVEL_TEXT, "figure": figure})
    return _figures(logs if isinstance(logs, str) else None, parts)


def travel_table(ctx: Context) -> tuple[pd.DataFrame, dict[str, str]] | None:
    """Travel hours per woman with intervals over replications, for all, urban and rural
    women; scenarios named with their site archetype (None unless every run wrote
    ``women.csv``)."""
    frames = []
    for s in ctx.results.scenarios:
        if s.women is None:
            return None
        women = s.women.assign(
            home=s.women["rural"].map({True: "Rural women", False: "Urban women"})
        )
        both = women.assign(home="All women")
        per_rep = (
            pd.concat([both, women])
            .groupby(["home", "replication"])["travel_hours"]
            .mean()
            .reset_index()
        )
        table = _interval_rows(per_rep, "home", "travel_hours", sort=True)
        table.columns = ["home", "mean", "low", "high"]
        frames.append(table.assign(scenario=f"{ctx.label(s.name)} ({s.archetype})"))
    travel = pd.concat(frames, ignore_index=True)
    order = {"All women": 0, "Urban women": 1, "Rural women": 2}
    travel = travel.sort_values("home", key=lambda h: h.map(order), kind="stable")
    colours = {
        f"{ctx.label(s.name)} ({s.archetype})": ctx.colours[ctx.label(s.name)]
        for s in ctx.results.scenarios
    }
    return travel, colours


WAITS_TEXT = (
    "Waits: the mean time a contact waited for a member of staff beyond its planned day, for every "
    "contact after the warm-up (services.csv). Deadlines: the share of pre-birth assessments "
    "finished too late for the conference deadline, and of pre-birth child-protection conferences "
    "held after it. Means over replications with 95% intervals."
)


def section_waits(ctx: Context) -> str:
    waits = []
    for s in ctx.results.scenarios:
        table = _interval_rows(s.services, "service", "wait_mean_days", sort=False)
        table.columns = ["service", "mean", "low", "high"]
        waits.append(
            table.assign(scenario=ctx.label(s.name),
                         service=table["service"].map(plots.service_label))
        )  # fmt: skip
    deadlines = []
    for s in ctx.results.scenarios:
        for name in DEADLINE_KPIS:
            if name in s.replications:
                ci = t_interval(s.replications[name].to_numpy(dtype=float))
                deadlines.append({"scenario": ctx.label(s.name), "measure": kpi_label(name),
                                  "mean": ci.mean, "low": ci.low, "high": ci.high})  # fmt: skip
    fig = plots.waits_and_deadlines(
        pd.concat(waits, ignore_index=True), pd.DataFrame(deadlines), ctx.colours
    )
    figure = ctx.figures.embed(fig, "waits_deadlines", "Waits for staff and deadlines missed")
    return _figures(None, [{"text": WAITS_TEXT, "figure": figure}])


def section_journeys(ctx: Context) -> str:
    logs = _event_logs(ctx)
    if isinstance(logs, str):
        return _figures(logs, [])
    shown = ctx.results.names[:MAX_JOURNEY_SCENARIOS]
    text = (
        "The same woman in each scenario: every scenario meets the same women with the same luck "
        "(common random numbers), so differences in her journey come from the scenario. One row "
        "per service; each mark is one event."
    )
    if len(shown) < len(ctx.results.names):
        text += f" Scenarios shown: the first {MAX_JOURNEY_SCENARIOS}."
    parts: list[dict[str, Any]] = [{"text": text}]
    for n, (rep, woman, why) in enumerate(logs.chosen, 1):
        journeys = {ctx.label(name): logs.journeys[name][n - 1] for name in shown}
        title = (
            f"Woman {woman} of replication {rep}: chosen because in "
            f"{ctx.label(ctx.base.name)} {why}"
        )
        fig = plots.swimlanes(journeys, eventlog.lanes_used(list(journeys.values())), title)
        kind = "" if n == 1 else "screen-only"  # print shows one example journey
        parts.append({"figure": ctx.figures.embed(fig, f"journey_{n}", title, kind)})
    return _figures(None, parts)


def section_scenarios(ctx: Context) -> str:
    cards = [_scenario_card(s, ctx.label(s.name), ctx.colours[ctx.label(s.name)])
             for s in ctx.results.scenarios]  # fmt: skip
    command = " ".join(str(a) for a in ctx.base.manifest.get("command", []))
    return render("scenarios.html.j2", cards=cards, command=command,
                  experiment_text=ctx.results.experiment_text)  # fmt: skip


def _scenario_card(s: RunResults, label: str, colour: str) -> dict[str, Any]:
    m = s.manifest
    facts = {
        "key requirements": ", ".join(s.scenario.get("key_requirements", [])) or "none (base)",
        "site archetype": s.archetype or "n/a",
        "replications": m.get("replications"),
        "seed": m.get("seed"),
        "executor": f"{m.get('executor', 'serial')}, {m.get('workers', 1)} worker(s)",
        "run time": f"{m.get('wall_seconds', float('nan')):.1f} s",
        "pathway-sim": m.get("pathway_sim_version"),
        "created": m.get("created"),
    }
    return {
        "name": s.name, "label": label, "colour": colour,
        "description": s.scenario.get("description", ""),
        "changes": s.scenario.get("changes") or "", "facts": list(facts.items()),
    }  # fmt: skip
