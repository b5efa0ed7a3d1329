"""The workshop report: one self-contained HTML file from a results directory.

Reads what ``run``, ``compare`` or ``experiment`` wrote, draws the figures
(``plots.py``), saves each as PNG and SVG in ``DIR/figures/`` and writes one HTML
file from the Jinja2 templates in ``reporting/templates/`` (package data), with the
SVGs embedded as data URIs (crisp when zoomed) and the CSS inline: no scripts, no
links out, so it opens anywhere without a network. The code here computes; the
templates present. Its first screen is the headline block (``headline.py``): per
scenario what it changes, its clear wins and losses and its net cost. A print
stylesheet lays it out on A4.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
import pandas as pd
import yaml

from pathway_sim.core.errors import UsageError
from pathway_sim.core.statistics import t_interval
from pathway_sim.core.version import __version__
from pathway_sim.experiments.scorecard import display_names
from pathway_sim.models import kpi
from pathway_sim.models.perinatal.costs import PRICE_YEAR
from pathway_sim.models.perinatal.kpis import PATHWAY_KPIS
from pathway_sim.models.perinatal.toc import HEADLINE_KPIS, TOC_OUTCOMES
from pathway_sim.models.queueing.kpis import QUEUE_KPIS
from pathway_sim.reporting import eventlog, headline, plots, toc_panel
from pathway_sim.runs.outputs import event_log_path, write_text

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it (ten times quicker on a resolved scenario). The
command line has read each file under ``inputs/yaml_files.py``'s limits before this."""
FIGURES_DIR = "figures"
REPORT_NAME = "report.html"
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
MAX_JOURNEY_SCENARIOS = 5
DEADLINE_KPIS = ("assessment_late_pct", "conference_late_pct")
NEEDS_EVENTS = (
    "This section needs the event log (events.parquet or events.csv.gz) and its weekly counts "
    "(engagement_weekly.csv, burden_weekly.csv), which these results do not have (or an "
    "earlier version wrote them without the counts: run again). "
    "compare and experiment keep it when they write a report (the default); for run, add "
    "--event-log."
)


# --- reading a results directory ---------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioResults:
    """What one scenario's run directory holds."""

    name: str
    path: Path
    scenario: dict[str, Any]
    manifest: dict[str, Any]
    replications: pd.DataFrame
    summary: pd.DataFrame
    services: pd.DataFrame
    women: pd.DataFrame | None
    evidence: pd.DataFrame | None
    engagement_weekly: pd.DataFrame | None = None
    burden_weekly: pd.DataFrame | None = None

    @property
    def perinatal(self) -> bool:
        return self.scenario.get("model") == "perinatal"

    @property
    def events_path(self) -> Path | None:
        return event_log_path(self.path)

    @property
    def archetype(self) -> str:
        return str(self.scenario.get("site", {}).get("archetype", ""))

    @property
    def label(self) -> str:
        """The display name: the scenario's ``label``, else its whole name."""
        return str(self.scenario.get("label") or self.name)


@dataclass(frozen=True)
class Results:
    """A results directory: one run, or a base and the scenarios compared with it."""

    root: Path
    scenarios: list[ScenarioResults]
    comparison: pd.DataFrame | None
    experiment_text: str | None
    effects: pd.DataFrame | None = None
    """A factorial experiment's main effects and two-way interactions (effects.csv)."""

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.scenarios]

    @property
    def perinatal(self) -> bool:
        return all(s.perinatal for s in self.scenarios)

    @property
    def has_events(self) -> bool:
        """Every scenario has its event log and the weekly counts taken from it."""
        return all(
            s.events_path is not None and s.engagement_weekly is not None
            and s.burden_weekly is not None and s.women is not None
            for s in self.scenarios
        )  # fmt: skip

    @property
    def labels(self) -> dict[str, str]:
        """Scenario name -> display name, distinct for every scenario."""
        return display_names(SimpleNamespace(name=s.name, label=s.label) for s in self.scenarios)


def load_results(root: Path) -> Results:
    """Read a run directory (``manifest.json`` at its top) or a compare/experiment
    directory (``comparison.csv`` and a sub-directory per scenario, base first)."""
    root = Path(root)
    if (root / "manifest.json").is_file():
        return Results(root, [_load_scenario(root)], None, None)
    if not (root / "comparison.csv").is_file():
        raise UsageError(
            f"{root}: not a results directory: expected manifest.json (from run) or "
            "comparison.csv (from compare or experiment)"
        )
    comparison = pd.read_csv(root / "comparison.csv")
    names = list(dict.fromkeys(comparison["scenario"]))
    experiment = root / "experiment.yaml"
    text = experiment.read_text(encoding="utf-8") if experiment.is_file() else None
    effects = pd.read_csv(root / "effects.csv") if (root / "effects.csv").is_file() else None
    return Results(root, [_load_scenario(root / n) for n in names], comparison, text, effects)


def _load_scenario(path: Path) -> ScenarioResults:
    if not (path / "manifest.json").is_file():
        raise UsageError(f"{path}: no finished run here (manifest.json is missing)")
    scenario = yaml.load((path / "scenario.yaml").read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    optional = {
        name: pd.read_csv(path / f"{name}.csv") if (path / f"{name}.csv").is_file() else None
        for name in ("women", "kpi_evidence", "engagement_weekly", "burden_weekly")
    }
    return ScenarioResults(
        name=scenario["name"],
        path=path,
        scenario=scenario,
        manifest=json.loads((path / "manifest.json").read_text(encoding="utf-8")),
        replications=pd.read_csv(path / "replications.csv"),
        summary=pd.read_csv(path / "summary.csv"),
        services=pd.read_csv(path / "services.csv"),
        women=optional["women"],
        evidence=optional["kpi_evidence"],
        engagement_weekly=optional["engagement_weekly"],
        burden_weekly=optional["burden_weekly"],
    )


# --- templates and figures ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    """The report's templates (package data), HTML-escaping every value they are given."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("pathway_sim.reporting", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render(name: str, **values: Any) -> str:
    return templates().get_template(name).render(**values)


@dataclass(frozen=True)
class EmbeddedFigure:
    """A figure as the template shows it: its SVG as a data URI and its saved files."""

    uri: str
    alt: str
    files: str
    kind: str = ""


class FigureWriter:
    """Saves each figure as PNG and SVG in the figures directory and returns it with the
    SVG (vector: crisp on a projector and when zoomed) as a data URI to embed."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.written: list[Path] = []

    def embed(self, fig: plots.Figure, stem: str, alt: str, kind: str = "") -> EmbeddedFigure:
        plots.save_figure(fig, self.directory, stem)
        self.written += [self.directory / f"{stem}{suffix}" for suffix in (".png", ".svg")]
        svg = (self.directory / f"{stem}.svg").read_bytes()
        encoded = base64.b64encode(svg).decode("ascii")
        files = f"{FIGURES_DIR}/{stem}.svg, .png"
        return EmbeddedFigure(f"data:image/svg+xml;base64,{encoded}", alt, files, kind)


def _interval_rows(groups: pd.core.groupby.DataFrameGroupBy, value: str) -> pd.DataFrame:
    """Mean and 95% t-interval over replications for each group."""
    rows = []
    for key, group in groups:
        ci = t_interval(group[value].to_numpy(dtype=float))
        rows.append((*key, ci.mean, ci.low, ci.high))
    return pd.DataFrame(rows)


# --- sections -----------------------------------------------------------------------------------


@dataclass
class Context:
    """What every section builder needs. ``colours`` is keyed by display label, which
    is what every figure and table shows."""

    results: Results
    colours: dict[str, str]
    figures: FigureWriter
    logs: EventLogTables | None = None
    """What the figures take from the event logs, when every scenario has a log."""

    @property
    def base(self) -> ScenarioResults:
        return self.results.scenarios[0]

    @property
    def labels(self) -> dict[str, str]:
        return self.results.labels

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
        f"Each outcome box shows its headline KPI's difference from the base <b>{base}</b>, "
        "one line per scenario, rounded to what its interval supports, with its verdict."
        if table is not None
        else "Each outcome box shows its headline KPI's mean (one run: no differences)."
    )
    data = toc_panel.panel_data(
        table, summary, ctx.base.summary, ctx.colours, _assumption_kpis(ctx.results), acting
    )
    return render("toc_panel.html.j2", what=jinja2.filters.Markup(what), **data)


def forest_table(results: Results) -> pd.DataFrame:
    """``comparison.csv`` rows of the other scenarios, with their catalogue entries, in
    catalogue order; KPIs without any estimable difference left out. Scenarios are
    shown by their display label."""
    table = results.comparison
    others = table[table["scenario"] != results.names[0]]
    order = [k.name for k in (*PATHWAY_KPIS, *QUEUE_KPIS)]
    labels = results.labels
    rows = []
    for r in others.itertuples():
        entry = kpi(r.kpi)
        rows.append({
            "kpi": r.kpi, "scenario": labels.get(r.scenario, r.scenario), "diff": r.diff_vs_base,
            "low": r.diff_ci_low, "high": r.diff_ci_high,
            "toc_outcome": entry.toc_outcome if entry else "OP",
            "label": entry.label if entry else r.kpi,
            "unit": entry.unit if entry else "", "better": entry.better if entry else "neither",
            "rank": order.index(r.kpi) if r.kpi in order else len(order),
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
    if ctx.results.comparison is None:
        return _levels_table(ctx.base)
    table = forest_table(ctx.results)
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
    card = headline.scorecard_rows(ctx.results.comparison, ctx.labels)
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
    for r in effects[effects["kpi"].isin(outcome_of)].itertuples():
        entry = kpi(r.kpi)
        rows.append({
            "kpi": r.kpi, "scenario": r.effect.replace(":", " x "), "diff": r.estimate,
            "low": r.ci_low, "high": r.ci_high, "toc_outcome": outcome_of[r.kpi],
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


def section_factorial(ctx: Context) -> str:
    table = effects_table(ctx.results.effects)
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
        effects = table[keep]
        colours = plots.effect_colours(list(dict.fromkeys(effects["scenario"])))
        fig = plots.forest_plot(effects, colours, title)
        parts.append({"figure": ctx.figures.embed(fig, stem, title)})
    clear = table[pairs & ((table["low"] > 0) | (table["high"] < 0))]
    if clear.empty:
        parts.append(
            {"text": "No interaction on a headline KPI has an interval that excludes zero."}
        )
        return render("figures.html.j2", missing="", parts=parts, table=None)
    rows = [
        [f"{r.label} ({r.unit})", r.scenario, toc_panel.number(r.diff),
         f"[{toc_panel.number(r.low)}, {toc_panel.number(r.high)}]",
         interaction_verdict(r.diff, r.low, r.high, r.better)]
        for r in clear.itertuples()
    ]  # fmt: skip
    interactions = {
        "caption": "Interactions whose interval excludes zero:", "css": "interactions",
        "header": ["KPI", "levers", "interaction", "interval", "in words"], "rows": rows,
    }  # fmt: skip
    return render("figures.html.j2", missing="", parts=parts, table=interactions)


def _levels_table(run: ScenarioResults) -> str:
    """One run: a table of every KPI's mean and interval, by ToC outcome."""
    rows = []
    for r in run.summary.itertuples():
        entry = kpi(r.kpi)
        rows.append([
            entry.toc_outcome if entry else "", entry.label if entry else r.kpi,
            entry.unit if entry else "", toc_panel.number(r.mean),
            f"[{toc_panel.number(r.ci_low)}, {toc_panel.number(r.ci_high)}]",
        ])  # fmt: skip
    table = {
        "caption": "One scenario, so there are no differences to plot: its levels, with 95% "
        "intervals over replications.", "css": "",
        "header": ["ToC", "KPI", "unit", "mean", "95% CI"], "rows": rows,
    }  # fmt: skip
    return render("figures.html.j2", missing="", parts=[], table=table)


def _events_needed(ctx: Context) -> str | None:
    if not ctx.results.perinatal:
        return "Not applicable: these are not perinatal scenarios."
    if ctx.logs is None:
        return NEEDS_EVENTS
    return None


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
    missing = _events_needed(ctx)
    if missing:
        return _figures(missing, [])
    curves = _per_scenario(ctx, ctx.logs.retention)
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
    missing = _events_needed(ctx)
    if not missing:
        burden = _per_scenario(ctx, ctx.logs.burden)
        figure = ctx.figures.embed(
            plots.weekly_burden(burden, ctx.colours), "appointment_burden",
            "Contacts and distinct places per woman per week",
        )  # fmt: skip
        parts.append({"text": BURDEN_TEXT, "figure": figure})
    if ctx.results.perinatal and all(s.women is not None for s in ctx.results.scenarios):
        travel, colours = travel_table(ctx)
        figure = ctx.figures.embed(
            plots.travel_by_site(travel, colours), "travel_hours",
            "Travel hours per woman by site archetype",
        )  # fmt: skip
        parts.append({"text": TRAVEL_TEXT, "figure": figure})
    return _figures(missing, parts)


def travel_table(ctx: Context) -> tuple[pd.DataFrame, dict[str, str]]:
    """Travel hours per woman with intervals over replications, for all, urban and rural
    women; scenarios named with their site archetype."""
    frames = []
    for s in ctx.results.scenarios:
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
        table = _interval_rows(per_rep.groupby(["home"]), "travel_hours")
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
        table = _interval_rows(s.services.groupby(["service"], sort=False), "wait_mean_days")
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
                deadlines.append({"scenario": ctx.label(s.name), "measure": kpi(name).label,
                                  "mean": ci.mean, "low": ci.low, "high": ci.high})  # fmt: skip
    fig = plots.waits_and_deadlines(
        pd.concat(waits, ignore_index=True), pd.DataFrame(deadlines), ctx.colours
    )
    figure = ctx.figures.embed(fig, "waits_deadlines", "Waits for staff and deadlines missed")
    return _figures(None, [{"text": WAITS_TEXT, "figure": figure}])


def section_journeys(ctx: Context) -> str:
    missing = _events_needed(ctx)
    if missing:
        return _figures(missing, [])
    shown = ctx.results.names[:MAX_JOURNEY_SCENARIOS]
    text = (
        "The same woman in each scenario: every scenario meets the same women with the same luck "
        "(common random numbers), so differences in her journey come from the scenario. One row "
        "per service; each mark is one event."
    )
    if len(shown) < len(ctx.results.names):
        text += f" Scenarios shown: the first {MAX_JOURNEY_SCENARIOS}."
    parts: list[dict[str, Any]] = [{"text": text}]
    for n, (rep, woman, why) in enumerate(ctx.logs.chosen, 1):
        journeys = {ctx.label(name): ctx.logs.journeys[name][n - 1] for name in shown}
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


def _scenario_card(s: ScenarioResults, label: str, colour: str) -> dict[str, Any]:
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


def _intervals_text(results: Results) -> str:
    if results.comparison is None:
        return "95% t-intervals over replications"
    row = results.comparison.iloc[0]
    level = f"{100 * float(row['diff_confidence']):.4g}%"
    if row["correction"] == "bonferroni":
        return f"paired t-intervals at {level} each (Bonferroni-corrected for the comparisons)"
    return f"paired {level} t-intervals, not corrected for multiple comparisons"


def _document(
    results: Results, ctx: Context, sections: list[dict[str, Any]], seconds: float
) -> str:
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


@dataclass(frozen=True)
class EventLogTables:
    """What the report's figures take from the event logs: per scenario its retention
    curves, its weekly burden and the journeys of the example women (``chosen``, picked
    in the base), so that no log is ever read whole."""

    chosen: list[tuple[int, int, str]]
    retention: dict[str, pd.DataFrame]
    burden: dict[str, pd.DataFrame]
    journeys: dict[str, list[pd.DataFrame]]


def _load_logs(results: Results) -> EventLogTables | None:
    """The tables every event-log figure draws from: the curves pooled from each scenario's
    weekly counts, and the journeys of the example women (picked in the base's first
    replication) read from each log without the other women's rows (None unless every
    scenario has a log and its counts)."""
    if not (results.perinatal and results.has_events):
        return None
    base = results.scenarios[0]
    rep = int(base.women["replication"].min()) if not base.women.empty else 0
    chosen = eventlog.example_women(
        eventlog.read_events(base.events_path, rep), base.women, EXAMPLE_WOMEN
    )
    ids = [woman for _, woman, _ in chosen]
    tables = EventLogTables(chosen, {}, {}, {})
    for s in results.scenarios:
        tables.retention[s.name] = eventlog.retention_curves(s.engagement_weekly)
        tables.burden[s.name] = eventlog.weekly_burden(s.burden_weekly)
        if s.name in results.names[:MAX_JOURNEY_SCENARIOS]:
            events = eventlog.read_events(s.events_path, rep, ids)
            tables.journeys[s.name] = [eventlog.journey(events, s.women, rep, w) for w in ids]
    return tables


def _section(sid: str, title: str, html: str) -> dict[str, Any]:
    return {"id": sid, "title": title, "html": jinja2.filters.Markup(html)}


def build_report(results_dir: str | Path, out: str | Path | None = None) -> Path:
    """Write the HTML report for ``results_dir`` (default ``results_dir/report.html``) and
    each figure as PNG and SVG in ``results_dir/figures/``; return the report's path."""
    started = time.perf_counter()
    results = load_results(Path(results_dir))
    plots.use_theme()
    labels = results.labels
    colours = {labels[n]: c for n, c in plots.scenario_colours(results.names).items()}
    ctx = Context(results, colours, FigureWriter(results.root / FIGURES_DIR), _load_logs(results))
    how = render("how_to_read.html.j2", intervals=_intervals_text(results), price_year=PRICE_YEAR)
    sections = [_section("how-to-read", "How to read this", how)]
    for sid, (title, build) in SECTION_BUILDERS.items():
        sections.append(_section(sid, title, build(ctx)))
        if sid == "forest" and results.effects is not None:
            sections.append(
                _section(FACTORIAL_SECTION, "Levers together: factorial effects",
                         section_factorial(ctx))
            )  # fmt: skip
    sections.append(_section("limits", "Limits of this model", render("limits.html.j2")))
    path = Path(out) if out is not None else results.root / REPORT_NAME
    write_text(path, _document(results, ctx, sections, time.perf_counter() - started))
    return path
