"""The workshop report: one self-contained HTML file from a results directory.

Reads what ``run``, ``compare`` or ``experiment`` wrote, draws the figures
(``plots.py``), saves each as PNG and SVG in ``DIR/figures/`` and writes one HTML
file with the PNGs embedded as data URIs and the CSS inline: no scripts, no links
out, so it opens anywhere without a network. Sections that need the event log say
so when it is absent instead of failing.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from pathway_sim.core.errors import UsageError
from pathway_sim.core.statistics import t_interval
from pathway_sim.core.version import __version__
from pathway_sim.models.kpis import PATHWAY_KPIS, QUEUE_KPIS, TOC_OUTCOMES, kpi
from pathway_sim.models.perinatal.toc import HEADLINE_KPIS
from pathway_sim.reporting import eventlog, plots, toc_panel
from pathway_sim.runs.outputs import write_text

FIGURES_DIR = "figures"
REPORT_NAME = "report.html"
SECTIONS = (
    "how-to-read",
    "toc",
    "forest",
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
    "This section needs the event log (events.csv), which these results do not have. "
    "compare and experiment keep it when they write a report (the default); "
    "for run, add --event-log."
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

    @property
    def perinatal(self) -> bool:
        return self.scenario.get("model") == "perinatal"

    @property
    def events_path(self) -> Path | None:
        path = self.path / "events.csv"
        return path if path.is_file() else None

    @property
    def archetype(self) -> str:
        return str(self.scenario.get("site", {}).get("archetype", ""))


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
        return all(s.events_path is not None for s in self.scenarios)


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
    scenario = yaml.safe_load((path / "scenario.yaml").read_text(encoding="utf-8"))
    optional = {name: path / f"{name}.csv" for name in ("women", "kpi_evidence")}
    return ScenarioResults(
        name=scenario["name"],
        path=path,
        scenario=scenario,
        manifest=json.loads((path / "manifest.json").read_text(encoding="utf-8")),
        replications=pd.read_csv(path / "replications.csv"),
        summary=pd.read_csv(path / "summary.csv"),
        services=pd.read_csv(path / "services.csv"),
        women=pd.read_csv(optional["women"]) if optional["women"].is_file() else None,
        evidence=pd.read_csv(optional["kpi_evidence"])
        if optional["kpi_evidence"].is_file()
        else None,
    )


# --- figures ------------------------------------------------------------------------------------


class FigureWriter:
    """Saves each figure as PNG and SVG in the figures directory and returns the PNG
    as an ``<img>`` element to embed."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.written: list[Path] = []

    def embed(self, fig: plots.Figure, stem: str, alt: str) -> str:
        png = plots.save_figure(fig, self.directory, stem)
        self.written += [self.directory / f"{stem}{suffix}" for suffix in (".png", ".svg")]
        encoded = base64.b64encode(png).decode("ascii")
        return (
            f'<figure><img src="data:image/png;base64,{encoded}" alt="{escape(alt)}">'
            f'<figcaption>{escape(alt)} <span class="files">({FIGURES_DIR}/{stem}.png, .svg)</span>'
            "</figcaption></figure>"
        )


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
    """What every section builder needs."""

    results: Results
    colours: dict[str, str]
    figures: FigureWriter
    logs: dict[str, tuple[pd.DataFrame, pd.DataFrame]] | None = None
    """Each scenario's event log and women, when every scenario has a log."""

    @property
    def base(self) -> ScenarioResults:
        return self.results.scenarios[0]


def _assumption_kpis(results: Results) -> frozenset[str]:
    evidence = results.scenarios[0].evidence
    if evidence is None:
        return frozenset()
    return frozenset(evidence.loc[evidence["rests_on_assumptions"].astype(bool), "kpi"])


def section_toc(ctx: Context) -> str:
    if not ctx.results.perinatal:
        return "<p>These are not perinatal scenarios, so no Theory of Change outcomes apply.</p>"
    table = ctx.results.comparison
    summary = pd.concat([s.summary.assign(scenario=s.name) for s in ctx.results.scenarios])
    cells, levels = {}, {}
    for outcome, name in HEADLINE_KPIS.items():
        if table is not None:
            cells[outcome] = toc_panel.difference_cells(table, name, ctx.colours)
        else:
            cells[outcome] = toc_panel.level_cells(summary, name, ctx.colours)
        base = ctx.base.summary.loc[ctx.base.summary["kpi"] == name, "mean"]
        levels[outcome] = float(base.iloc[0]) if len(base) else None
    acting: dict[str, list[tuple[str, str]]] = {}
    for s in ctx.results.scenarios[1:] if table is not None else ctx.results.scenarios:
        for kr in s.scenario.get("key_requirements", []):
            acting.setdefault(kr, []).append((s.name, ctx.colours[s.name]))
    what = (
        "Each outcome box shows its headline KPI's paired difference from the base "
        f"<b>{escape(ctx.base.name)}</b> with its interval, one line per scenario."
        if table is not None
        else "Each outcome box shows its headline KPI's mean with its 95% interval "
        "(one run: no differences)."
    )
    headline = "; ".join(f"{o}: {escape(kpi(n).label)}" for o, n in HEADLINE_KPIS.items())
    return (
        f"<p>{what} Highlighted key requirements are those a scenario acts on (its "
        "<code>key_requirements</code>). Headline KPIs: "
        + headline
        + ".</p>"
        + toc_panel.panel(cells, levels, _assumption_kpis(ctx.results), acting)
    )


def forest_table(results: Results) -> pd.DataFrame:
    """``comparison.csv`` rows of the other scenarios, with their catalogue entries, in
    catalogue order; KPIs without any estimable difference left out."""
    table = results.comparison
    others = table[table["scenario"] != results.names[0]]
    order = [k.name for k in (*PATHWAY_KPIS, *QUEUE_KPIS)]
    rows = []
    for r in others.itertuples():
        entry = kpi(r.kpi)
        rows.append({
            "kpi": r.kpi, "scenario": r.scenario, "diff": r.diff_vs_base,
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


def section_forest(ctx: Context) -> str:
    if ctx.results.comparison is None:
        return _levels_table(ctx.base)
    table = forest_table(ctx.results)
    estimable = table.groupby("kpi")["diff"].transform(lambda d: d.notna().any())
    missing = table.loc[~estimable, "label"].drop_duplicates()
    table = table[estimable]
    colours = {s: c for s, c in ctx.colours.items() if s != ctx.base.name}
    parts = [
        (
            "<p>Each row is one KPI on its own scale: a dot is the mean paired difference "
            f"(scenario minus <b>{escape(ctx.base.name)}</b>), the line its interval; "
            "a filled dot's interval excludes zero. "
            "The row label says which direction is better.</p>"
        )
    ]
    for stem, title, keep in (
        ("forest_toc_outcomes", "Theory of Change outcomes and impacts: difference from the base",
         table["toc_outcome"] != "OP"),
        ("forest_operational", "Operational measures: difference from the base",
         table["toc_outcome"] == "OP"),
    ):  # fmt: skip
        if keep.any():
            fig = plots.forest_plot(table[keep], colours, title)
            parts.append(ctx.figures.embed(fig, stem, title))
    if len(missing):
        parts.append(
            "<p>No difference could be estimated "
            "(nothing to measure in the base or the scenario) for: "
            + escape(", ".join(missing))
            + ".</p>"
        )
    return "".join(parts)


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
        "each helps more when the other is there"
        if helps
        else "together they do less than the sum of the two"
    )


def section_factorial(ctx: Context) -> str:
    table = effects_table(ctx.results.effects)
    if table.empty:
        return "<p>None of the Theory of Change headline KPIs was measured in this experiment.</p>"
    pairs = table["scenario"].str.contains(" x ")
    parts = [
        "<p>This experiment is a full factorial: every combination of the levers, on common random "
        "numbers. A lever's <b>main effect</b> is the mean difference it makes, averaged over the "
        "other levers being on or off. An <b>interaction</b> of two levers is half the difference "
        "between one lever's effect when the other is on and when it is off: zero means they "
        "simply add up. The Theory of Change expects interactions: adding one service may not help "
        "if the system around it is unchanged.</p>"
    ]
    for stem, title, keep in (
        ("factorial_main_effects", "Main effect of each lever on the headline KPIs", ~pairs),
        (
            "factorial_interactions",
            "Two-way interactions of the levers on the headline KPIs",
            pairs,
        ),
    ):
        effects = table[keep]
        colours = plots.effect_colours(list(dict.fromkeys(effects["scenario"])))
        parts.append(ctx.figures.embed(plots.forest_plot(effects, colours, title), stem, title))
    clear = table[pairs & ((table["low"] > 0) | (table["high"] < 0))]
    if clear.empty:
        parts.append("<p>No interaction on a headline KPI has an interval that excludes zero.</p>")
        return "".join(parts)
    rows = "".join(
        f"<tr><td>{escape(r.label)} ({escape(r.unit)})</td><td>{escape(r.scenario)}</td>"
        f"<td>{toc_panel.number(r.diff)}</td>"
        f"<td>[{toc_panel.number(r.low)}, {toc_panel.number(r.high)}]</td>"
        f"<td>{escape(interaction_verdict(r.diff, r.low, r.high, r.better))}</td></tr>"
        for r in clear.itertuples()
    )
    parts.append(
        '<p>Interactions whose interval excludes zero:</p><table class="levels interactions"><tr>'
        "<th>KPI</th><th>levers</th><th>interaction</th><th>interval</th><th>in words</th></tr>"
        + rows
        + "</table>"
    )
    return "".join(parts)


def _levels_table(run: ScenarioResults) -> str:
    """One run: a table of every KPI's mean and interval, by ToC outcome."""
    rows = []
    for r in run.summary.itertuples():
        entry = kpi(r.kpi)
        rows.append(
            f"<tr><td>{entry.toc_outcome if entry else ''}</td>"
            f"<td>{escape(entry.label if entry else r.kpi)}</td>"
            f"<td>{escape(entry.unit if entry else '')}</td><td>{toc_panel.number(r.mean)}</td>"
            f"<td>[{toc_panel.number(r.ci_low)}, {toc_panel.number(r.ci_high)}]</td></tr>"
        )
    return (
        "<p>One scenario, so there are no differences to plot: its levels, with 95% intervals over "
        'replications.</p><table class="levels">'
        "<tr><th>ToC</th><th>KPI</th><th>unit</th><th>mean</th><th>95% CI</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _events_needed(ctx: Context) -> str | None:
    if not ctx.results.perinatal:
        return "<p>Not applicable: these are not perinatal scenarios.</p>"
    if ctx.logs is None:
        return f'<p class="missing">{NEEDS_EVENTS}</p>'
    return None


def _per_scenario(
    ctx: Context, build: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame]
) -> pd.DataFrame:
    parts = [
        build(events, women).assign(scenario=name) for name, (events, women) in ctx.logs.items()
    ]
    return pd.concat(parts, ignore_index=True)


def section_retention(ctx: Context) -> str:
    missing = _events_needed(ctx)
    if missing:
        return missing
    curves = _per_scenario(ctx, eventlog.retention_curves)
    fig = plots.retention_curves(curves, ctx.colours)
    return (
        "<p><b>Engaged with a service</b> in a week: by the end of that week she had been referred "
        "to the service (she is on its caseload) and had not dropped out since, or had been "
        "brought back (by outreach, her own return, or admission for birth); only weeks within her "
        "follow-up count. The share is of women on the caseload that week, pooled over "
        f"replications; weeks with fewer than {eventlog.MIN_WOMEN_PER_WEEK} women are left out. "
        "A service that discharges her at the end of its course still counts her as engaged: "
        "the curves show dropping out, not discharge.</p>"
        + ctx.figures.embed(
            fig, "engagement_retention", "Engagement with each service by week from birth"
        )
    )


def section_burden(ctx: Context) -> str:
    parts = []
    missing = _events_needed(ctx)
    if missing:
        parts.append(missing)
    else:
        burden = _per_scenario(ctx, eventlog.weekly_burden)
        figure = ctx.figures.embed(
            plots.weekly_burden(burden, ctx.colours),
            "appointment_burden",
            "Contacts and distinct places per woman per week",
        )
        parts.append(
            "<p>Contacts: attended or missed, all services, per woman followed that week. "
            "Places: distinct places she travelled to for attended contacts (home visits and "
            "remote contacts are not trips), per woman followed that week, weeks without a trip "
            "counting as none.</p>" + figure
        )
    if ctx.results.perinatal and all(s.women is not None for s in ctx.results.scenarios):
        travel, colours = travel_table(ctx)
        figure = ctx.figures.embed(
            plots.travel_by_site(travel, colours),
            "travel_hours",
            "Travel hours per woman by site archetype",
        )
        parts.append(
            "<p>Travel: door-to-door hours to attended appointments per woman over her whole "
            "follow-up, mean over replications with 95% intervals, for all women and by where she "
            "lives.</p>" + figure
        )
    return "".join(parts)


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
        frames.append(table.assign(scenario=f"{s.name} ({s.archetype})"))
    travel = pd.concat(frames, ignore_index=True)
    order = {"All women": 0, "Urban women": 1, "Rural women": 2}
    travel = travel.sort_values("home", key=lambda h: h.map(order), kind="stable")
    colours = {f"{s.name} ({s.archetype})": ctx.colours[s.name] for s in ctx.results.scenarios}
    return travel, colours


def section_waits(ctx: Context) -> str:
    waits = []
    for s in ctx.results.scenarios:
        table = _interval_rows(s.services.groupby(["service"], sort=False), "wait_mean_days")
        table.columns = ["service", "mean", "low", "high"]
        waits.append(
            table.assign(scenario=s.name, service=table["service"].map(plots.service_label))
        )
    deadlines = []
    for s in ctx.results.scenarios:
        for name in DEADLINE_KPIS:
            if name in s.replications:
                ci = t_interval(s.replications[name].to_numpy(dtype=float))
                deadlines.append({"scenario": s.name, "measure": kpi(name).label,
                                  "mean": ci.mean, "low": ci.low, "high": ci.high})  # fmt: skip
    fig = plots.waits_and_deadlines(
        pd.concat(waits, ignore_index=True), pd.DataFrame(deadlines), ctx.colours
    )
    return (
        "<p>Waits: the mean time a contact waited for a member of staff beyond its planned day, "
        "for every contact after the warm-up (services.csv). Deadlines: the share of pre-birth "
        "assessments finished too late for the conference deadline, and of pre-birth "
        "child-protection conferences held after it. Means over replications with 95% "
        "intervals.</p>"
        + ctx.figures.embed(fig, "waits_deadlines", "Waits for staff and deadlines missed")
    )


def section_journeys(ctx: Context) -> str:
    missing = _events_needed(ctx)
    if missing:
        return missing
    base_events, base_women = ctx.logs[ctx.base.name]
    shown = ctx.results.names[:MAX_JOURNEY_SCENARIOS]
    parts = [
        "<p>The same woman in each scenario: every scenario meets the same women with the same "
        "luck (common random numbers), so differences in her journey come from the scenario. "
        "One row per service; each mark is one event."
        + (
            f" Scenarios shown: the first {MAX_JOURNEY_SCENARIOS}."
            if len(shown) < len(ctx.results.names)
            else ""
        )
        + "</p>"
    ]
    for n, (rep, woman, why) in enumerate(
        eventlog.example_women(base_events, base_women, EXAMPLE_WOMEN), 1
    ):
        journeys = {}
        for name in shown:
            journeys[name] = eventlog.journey(*ctx.logs[name], rep, woman)
        title = f"Woman {woman} of replication {rep}: chosen because in {ctx.base.name} {why}"
        fig = plots.swimlanes(journeys, eventlog.lanes_used(list(journeys.values())), title)
        parts.append(ctx.figures.embed(fig, f"journey_{n}", title))
    return "".join(parts)


def section_scenarios(ctx: Context) -> str:
    cards = "".join(_scenario_card(s, ctx.colours[s.name]) for s in ctx.results.scenarios)
    command = " ".join(escape(str(a)) for a in ctx.base.manifest.get("command", []))
    experiment = (
        f"<h3>Experiment file</h3><pre>{escape(ctx.results.experiment_text)}</pre>"
        if ctx.results.experiment_text else ""
    )  # fmt: skip
    return (
        f'<div class="cards">{cards}</div>'
        f"<p>Command: <code>pathway-sim {command}</code></p>{experiment}"
    )


def _scenario_card(s: ScenarioResults, colour: str) -> str:
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
    rows = "".join(
        f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in facts.items()
    )
    changes = s.scenario.get("changes") or ""
    return (
        f'<div class="card"><h3><span class="chip" style="background:{colour}"></span>'
        f"{escape(s.name)}</h3>"
        f"<p>{escape(s.scenario.get('description', ''))}</p>"
        + (f"<p><b>What it changes:</b> {escape(changes)}</p>" if changes else "")
        + f"<table>{rows}</table></div>"
    )


HOW_TO_READ = """
<p>This report compares service scenarios simulated by pathway-sim against the outcomes of the
Stepping Stones Theory of Change (ToC) for women who use drugs, or are in treatment for drug use,
in pregnancy and the year after birth. Each scenario follows the same simulated women
(<i>common random numbers</i>): replication <i>i</i> of every scenario meets the same women with the
same luck, so a difference between scenarios comes from the scenario, and it is estimated from the
paired replications.</p>
<ul>
<li><b>Difference from the base</b>: scenario minus base, averaged over replications, with its
interval: {intervals}. If the interval includes zero the model cannot tell the scenarios apart at
this number of replications (grey); otherwise the box is <span class="better-text">green
(better)</span> or <span class="worse-text">red (worse)</span> by the KPI's better direction, with a
tick or cross for anyone who cannot tell the colours apart.</li>
<li><b>&dagger;</b> marks a KPI that rests mainly on assumption-status parameters (kpi_evidence.csv;
<code>pathway-sim params</code> lists the register): it shows what the model's logic implies, not a
measured fact, and is a question for sensitivity analysis.</li>
<li>Percentages are 0-100. Harms (overdoses, deaths) are expected events per 1,000 women: hazards
are integrated, not sampled, because such events are rare.</li>
<li>Curves over time use <b>weeks from birth</b>: negative weeks are pregnancy, 0 is the week of
birth, and follow-up ends 12 months after birth. A woman counts from the week services learned of
her pregnancy.</li>
<li>Every figure is also saved as PNG and SVG in the <code>figures/</code> folder beside this
report.</li>
</ul>
"""

LIMITS = """
<ul>
<li>The model turns a qualitative, co-produced Theory of Change into numbers. The ToC itself notes
that outcome measures were not yet developed: the KPIs here are proposals, and those marked &dagger;
rest mainly on assumptions. Use the model to compare scenarios and to find which assumptions matter,
not to predict levels.</li>
<li>Several effect sizes come from non-UK studies or low-risk populations; they are ranges for
sensitivity analysis, not point truths.</li>
<li>Not modelled: pregnancy loss, births before 28 weeks, partners and family, housing and
residential rehabilitation as services, reunification after removal, recurrent proceedings in later
pregnancies, GP and pharmacy contacts, appointment slots by weekday and opening hours (staff
capacity is averaged over the week).</li>
<li>Wider societal factors (poverty, housing, violence) sit below the ToC's "floor of
accountability" and enter only as attributes that raise referral odds. A more understanding public
discourse (impact I5) is outside what a service model can show.</li>
<li>Levers combine on the log-odds scale, so levers that act on the same mechanism (attendance, say)
overlap: together they do a little less than the sum of the two. The model holds no synergy of its
own beyond trust and engagement. Added staff act only through waits, deadlines and supervision, so
they change little where services are not short of capacity.</li>
<li>Intervals reflect the randomness of the simulation over the replications run, not the
uncertainty of the parameters: that is what sensitivity analysis is for. Few replications give wide
intervals.</li>
</ul>
<p>docs/model.md describes the model in full (STRESS-DES); docs/parameters.md and
<code>pathway-sim params</code> give every parameter's source and status.</p>
"""

CSS = """
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;color:#1a1a1a;
background:#fff;line-height:1.45}
main{max-width:1500px;margin:0 auto;padding:16px 28px 48px}
header{background:#1f3a5f;color:#fff;padding:20px 28px}
header h1{margin:0 0 6px;font-size:26px}
header p{margin:2px 0;opacity:.92}
nav{font-size:14px;margin-top:8px}
nav a{color:#fff;margin-right:14px}
h2{border-bottom:2px solid #1f3a5f;padding-bottom:4px;margin-top:36px;color:#1f3a5f}
section p,section li{max-width:1100px}
figure{margin:12px 0 24px}
figure img{max-width:100%;height:auto;border:1px solid #e3e3e3}
figcaption{font-size:13px;color:#444}
.files{color:#888}
.toc{display:grid;
grid-template-columns:minmax(0,.7fr) minmax(0,.9fr) minmax(0,1.4fr) minmax(0,1.4fr) minmax(0,1.4fr);
gap:10px;font-size:12.5px}
.toc-col{display:flex;flex-direction:column;gap:6px;position:relative}
.toc-col h3{font-size:13px;margin:0 0 2px;color:#1f3a5f;min-height:34px}
.toc-col+.toc-col h3:before{content:"\\2192  ";color:#888}
.box{border:1px solid #c9c9c9;border-radius:6px;padding:5px 7px;background:#fafafa}
.problem{background:#f3f0ea}
.requirement{color:#555}
.requirement.acted{background:#e6eefb;border-color:#0072B2;color:#111;
box-shadow:inset 3px 0 0 #0072B2}
.level{font-size:10.5px;color:#777;text-transform:uppercase;letter-spacing:.03em}
.kr-chips{margin-top:3px;font-size:11px}
.kr-scenario{margin-right:6px}
.outcome .kpi-name{font-size:11.5px;color:#333;margin:2px 0 3px}
.unit{color:#666}
.outside{background:#eee;color:#666;border-style:dashed}
.note{font-size:11px;font-style:italic}
.cell{display:flex;flex-wrap:wrap;align-items:center;column-gap:5px;border-radius:4px;
padding:2px 4px;margin-top:2px;font-size:11.5px}
.cell-name{flex:1 1 90px;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.cell-value{font-variant-numeric:tabular-nums;white-space:nowrap;margin-left:auto}
.verdict{font-size:10.5px;white-space:nowrap;font-weight:600}
.cell.better{background:#cdeee2}.cell.worse{background:#f9d3bf}
.cell.unclear,.cell.level{background:#ececec}
.better-text{background:#cdeee2;padding:0 3px}.worse-text{background:#f9d3bf;padding:0 3px}
.dagger{color:#b35900;font-weight:bold;margin-left:2px}
.chip{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;
vertical-align:middle;flex:none}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 12px;font-size:13px}
.card h3{margin:4px 0}
.card table,.levels{border-collapse:collapse;font-size:12.5px}
.card th{text-align:left;font-weight:600;padding-right:10px;color:#555}
.levels td,.levels th{border-bottom:1px solid #eee;padding:2px 8px;text-align:left}
.missing{background:#fff4e5;border-left:4px solid #E69F00;padding:6px 10px}
pre{background:#f6f6f6;padding:8px;overflow-x:auto;font-size:12px}
footer{color:#777;font-size:12px;margin-top:40px}
"""


def _intervals_text(results: Results) -> str:
    if results.comparison is None:
        return "95% t-intervals over replications"
    row = results.comparison.iloc[0]
    level = f"{100 * float(row['diff_confidence']):.4g}%"
    if row["correction"] == "bonferroni":
        return f"paired t-intervals at {level} each (Bonferroni-corrected for the comparisons)"
    return f"paired {level} t-intervals, not corrected for multiple comparisons"


def _document(results: Results, sections: dict[str, tuple[str, str]], build_seconds: float) -> str:
    names = ", ".join(results.names)
    reps = results.scenarios[0].manifest.get("replications")
    nav = "".join(f'<a href="#{sid}">{escape(title)}</a>' for sid, (title, _) in sections.items())
    body = "".join(
        f'<section id="{sid}"><h2>{escape(title)}</h2>{content}</section>'
        for sid, (title, content) in sections.items()
    )
    created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>pathway-sim report: {escape(results.root.name)}</title>"
        f"<style>{CSS}</style></head><body>"
        f"<header><h1>Perinatal pathways: scenarios against the Theory of Change</h1>"
        f"<p>Results: <b>{escape(results.root.name)}</b> &middot; "
        f"scenarios: {escape(names)} &middot; "
        f"{escape(str(reps))} replications each &middot; "
        f"base: <b>{escape(results.names[0])}</b></p>"
        f"<nav>{nav}</nav></header><main>{body}"
        f"<footer>pathway-sim {escape(__version__)} &middot; report built {created} in "
        f"{build_seconds:.1f} s from {escape(str(results.root))}</footer></main></body></html>"
    )


SECTION_BUILDERS: dict[str, tuple[str, Callable[[Context], str]]] = {
    "toc": ("Theory of Change outcomes", section_toc),
    "forest": ("Every KPI: difference from the base", section_forest),
    "retention": ("Engagement over time", section_retention),
    "burden": ("Appointment burden and travel", section_burden),
    "waits": ("Waits and missed deadlines", section_waits),
    "journeys": ("Example journeys", section_journeys),
    "scenarios": ("Scenarios, seeds and versions", section_scenarios),
}


def _load_logs(results: Results) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]] | None:
    """Every scenario's event log and women (None unless every scenario has a log)."""
    if not (results.perinatal and results.has_events):
        return None
    return {s.name: (eventlog.read_events(s.events_path), s.women) for s in results.scenarios}


def build_report(results_dir: str | Path, out: str | Path | None = None) -> Path:
    """Write the HTML report for ``results_dir`` (default ``results_dir/report.html``) and
    each figure as PNG and SVG in ``results_dir/figures/``; return the report's path."""
    started = time.perf_counter()
    results = load_results(Path(results_dir))
    plots.use_theme()
    ctx = Context(results, plots.scenario_colours(results.names),
                  FigureWriter(results.root / FIGURES_DIR), _load_logs(results))  # fmt: skip
    sections = {
        "how-to-read": ("How to read this", HOW_TO_READ.format(intervals=_intervals_text(results)))
    }
    for sid, (title, build) in SECTION_BUILDERS.items():
        sections[sid] = (title, build(ctx))
        if sid == "forest" and results.effects is not None:
            sections[FACTORIAL_SECTION] = (
                "Levers together: factorial effects",
                section_factorial(ctx),
            )
    sections["limits"] = ("Limits of this model", LIMITS)
    path = Path(out) if out is not None else results.root / REPORT_NAME
    write_text(path, _document(results, sections, time.perf_counter() - started))
    return path
