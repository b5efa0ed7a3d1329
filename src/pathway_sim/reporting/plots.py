"""Workshop figures: each function takes tidy tables and returns a matplotlib Figure.

Labels come from the KPI catalogue (never raw column names), every axis names its
unit, and colours are the Okabe-Ito palette, which stays distinguishable under the
common forms of colour blindness; the base scenario is always black.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory

from pathway_sim.models.perinatal.kpis import SERVICE_LABELS
from pathway_sim.models.perinatal.toc import TOC_OUTCOMES
from pathway_sim.runs.outputs import write_bytes

BASE_COLOUR = "#000000"
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
"""Okabe & Ito (2008) colours after black, in the order scenarios take them."""
BIRTH_LABEL = "Weeks from birth (negative: pregnancy)"

THEME = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10,
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans",
                        "sans-serif"],
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.linewidth": 1.25,
    "legend.fontsize": 11,
    "legend.title_fontsize": 12,
    "legend.frameon": True,
    "lines.linewidth": 1.5,
    "lines.markeredgewidth": 1.0,  # line-like markers ("|", hollow circles) need an edge
    "lines.markersize": 6.0,
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "patch.linewidth": 1.0,
    **{f"{axis}tick.{key}": value for axis in "xy" for key, value in (
        ("labelsize", 11), ("major.pad", 3.5), ("major.size", 6), ("major.width", 1.25),
        ("minor.size", 4), ("minor.width", 1.0))},
    "xtick.bottom": False,
    "ytick.left": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "pathway-sim",
}  # fmt: skip
"""The report's fonts and lines, over matplotlib's seaborn sheets: seaborn 0.13's notebook
context (its sheets are seaborn 0.8's, with markers drawn without an edge)."""

STYLE = ("seaborn-v0_8-whitegrid", "seaborn-v0_8-notebook", THEME)
"""Matplotlib's own sheets of seaborn's white grid, with the report's fonts: the look of
seaborn without importing it (a second of a report's build, 70 MB)."""


def use_theme() -> None:
    """The report's style; text stays text in SVG files."""
    plt.style.use(STYLE)


def _colours_beyond(count: int) -> list[str]:
    """Colours after Okabe-Ito's seven: matplotlib's tab10, distinct from them (too many
    scenarios for any palette to stay distinguishable under colour blindness)."""
    colormap = matplotlib.colormaps["tab10"]
    tab10 = [to_hex(colormap(i)) for i in range(colormap.N)]
    return [tab10[i % len(tab10)] for i in range(max(0, count))]


def save_figure(fig: Figure, directory: Path, stem: str) -> bytes:
    """Write ``stem.png`` and ``stem.svg`` (each whole or not at all), close the figure and
    return the PNG bytes; the SVG carries no date, so the same figure gives the same file."""
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png")
    fig.savefig(svg, format="svg", metadata={"Date": None})
    plt.close(fig)
    write_bytes(directory / f"{stem}.png", png.getvalue())
    write_bytes(directory / f"{stem}.svg", svg.getvalue())
    return png.getvalue()


def scenario_colours(scenarios: Sequence[str]) -> dict[str, str]:
    """Black for the base (first), then Okabe-Ito, then ``_colours_beyond``."""
    others = [*OKABE_ITO, *_colours_beyond(len(scenarios) - 1 - len(OKABE_ITO))]
    return {name: BASE_COLOUR if i == 0 else others[i - 1] for i, name in enumerate(scenarios)}


def effect_colours(effects: Sequence[str]) -> dict[str, str]:
    """Okabe-Ito for the effects of a factorial (no base among them), then
    ``_colours_beyond``."""
    return dict(zip(effects, [*OKABE_ITO, *_colours_beyond(len(effects) - len(OKABE_ITO))]))


def service_label(service: str) -> str:
    return SERVICE_LABELS.get(service, service.replace("_", " ").capitalize())


# --- forest plot -----------------------------------------------------------------------------


def forest_plot(diffs: pd.DataFrame, colours: dict[str, str], title: str) -> Figure:
    """Paired differences from the base, one row per KPI with its own scale, grouped by
    ToC outcome. ``diffs``: ``toc_outcome, kpi, label, unit, better, scenario, diff,
    low, high`` (scenarios other than the base). A filled marker's interval excludes 0.

    Every row is drawn on one axes with its own scale mapped onto 0-1 and its own
    tick labels, and all intervals as one collection: a hundred small axes, or a
    line object per interval, would take many seconds to draw.
    """
    kpis = diffs.drop_duplicates("kpi")
    scenarios = list(dict.fromkeys(diffs["scenario"]))
    by_kpi = {
        name: rows.set_index("scenario").reindex(scenarios)
        for name, rows in diffs.groupby("kpi", sort=False)
    }
    row_units = len(scenarios) + FOREST_ROW_GAP
    groups = list(dict.fromkeys(kpis["toc_outcome"]))
    total = len(groups) * FOREST_GROUP_UNITS + len(kpis) * row_units
    height = total * FOREST_UNIT + FOREST_TOP + FOREST_BOTTOM
    fig = plt.figure(figsize=(FOREST_WIDTH, height))
    ax = fig.add_axes((0.5, FOREST_BOTTOM / height, 0.47, total * FOREST_UNIT / height))
    ax.set_xlim(-0.03, 1.03)
    ax.set_ylim(total, 0)
    ax.axis("off")
    left = blended_transform_factory(fig.transFigure, ax.transData)
    marks: list[tuple[float, float, float, float, str, bool]] = []
    y = 0.0
    for group in groups:
        ax.text(0.01, y + FOREST_GROUP_UNITS - 0.4, f"{group}  {TOC_OUTCOMES.get(group, group)}",
                transform=left, fontweight="bold", fontsize=11, va="bottom")  # fmt: skip
        y += FOREST_GROUP_UNITS
        for name in kpis.loc[kpis["toc_outcome"] == group, "kpi"]:
            marks += _forest_row(ax, left, by_kpi[name], y)
            y += row_units
    _draw_intervals(ax, marks, colours)
    fig.text(0.01, 1 - 0.12 / height, title, fontsize=12, va="top")
    handles = [Line2D([], [], color=colours[s], marker="o", label=s) for s in scenarios]
    fig.legend(handles=handles, loc="upper left", ncol=min(len(scenarios), 5), frameon=False,
               bbox_to_anchor=(0.01, 1 - 0.38 / height), fontsize=9)  # fmt: skip
    return fig


FOREST_WIDTH, FOREST_TOP, FOREST_BOTTOM, FOREST_UNIT = 11.0, 0.9, 0.15, 0.16
"""Forest plot geometry: inches, and inches per row unit (one scenario's line)."""
FOREST_GROUP_UNITS, FOREST_ROW_GAP = 2.2, 1.6


def _forest_row(
    ax, left, rows: pd.DataFrame, top: float
) -> list[tuple[float, float, float, float, str, bool]]:
    """One KPI: its label, shaded band, zero line and tick labels on the row's own scale;
    returns its intervals mapped to 0-1 as ``(low, high, diff, y, scenario, excludes 0)``."""
    first = rows.dropna(subset=["label"]).iloc[0]
    direction = {"higher": "higher is better", "lower": "lower is better"}.get(first["better"], "")
    detail = f"{first['unit']}; {direction}" if direction else first["unit"]
    n = len(rows)
    ax.text(
        0.03, top + n / 2, f"{first['label']}\n({detail})", transform=left, va="center", fontsize=9
    )
    values = rows[["low", "high", "diff"]].to_numpy(dtype=float)
    lo, hi = np.nanmin(values, initial=0.0), np.nanmax(values, initial=0.0)
    if hi - lo < 1e-9 * max(1.0, abs(hi)):  # no difference at all: a symmetric scale around it
        lo, hi = lo - 1.0, hi + 1.0
    ticks = MaxNLocator(nbins=4).tick_values(lo, hi)
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    span = hi - lo
    ax.add_patch(Rectangle((0, top), 1, n, facecolor="#f3f3f3", edgecolor="none", zorder=0))
    ax.plot([-lo / span] * 2, [top, top + n], color="#555555", linewidth=0.8, zorder=1)
    decimals = max(0, -math.floor(math.log10(ticks[1] - ticks[0]))) if len(ticks) > 1 else 2
    for t in ticks:
        ax.text((t - lo) / span, top + n + 0.15, f"{t:.{decimals}f}".replace("-", "\u2212"),
                ha="center", va="top", fontsize=7.5, color="#444444")  # fmt: skip
    marks = []
    for j, (scenario, row) in enumerate(rows.iterrows()):
        if pd.isna(row["diff"]):
            continue
        excludes = not pd.isna(row["low"]) and (row["low"] > 0 or row["high"] < 0)
        scaled = [(row[c] - lo) / span for c in ("low", "high", "diff")]
        marks.append((*scaled, top + j + 0.5, scenario, excludes))
    return marks


def _draw_intervals(
    ax, marks: list[tuple[float, float, float, float, str, bool]], colours: dict[str, str]
) -> None:
    """All intervals as one line collection, all means as one scatter (hollow: includes 0)."""
    drawn = [m for m in marks if not math.isnan(m[0])]
    ax.add_collection(LineCollection([[(m[0], m[3]), (m[1], m[3])] for m in drawn],
                                     colors=[colours[m[4]] for m in drawn],
                                     linewidths=1.6, zorder=2))  # fmt: skip
    ax.scatter([m[2] for m in marks], [m[3] for m in marks], s=30, zorder=3, linewidths=1.3,
               edgecolors=[colours[m[4]] for m in marks],
               facecolors=[colours[m[4]] if m[5] else "white" for m in marks])  # fmt: skip


# --- engagement retention ---------------------------------------------------------------------


def retention_curves(curves: pd.DataFrame, colours: dict[str, str]) -> Figure:
    """Share of women on each service's caseload still engaged, by week from birth.
    ``curves``: ``scenario, service, week, engaged_share`` (0-1). One panel per service."""
    services = [s for s in SERVICE_LABELS if s in set(curves["service"])]
    ncols = min(3, len(services))
    nrows = math.ceil(len(services) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(11, 2.3 * nrows + 1.1),
                             sharex=True, sharey=True, squeeze=False)  # fmt: skip
    for ax, service in zip(axes.flat, services):
        mine = curves[curves["service"] == service]
        for scenario, colour in colours.items():
            line = mine[mine["scenario"] == scenario]
            ax.plot(
                line["week"],
                100 * line["engaged_share"],
                color=colour,
                linewidth=1.5,
                label=scenario,
            )
        ax.axvline(0, color="#555555", linestyle="--", linewidth=0.8)
        ax.set_title(service_label(service), fontsize=10)
        ax.set_ylim(0, 103)
    for ax in axes.flat[len(services) :]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("Engaged (% of caseload)")
    for ax in axes[-1, :]:
        ax.set_xlabel(BIRTH_LABEL)
    handles = [Line2D([], [], color=c, linewidth=2, label=s) for s, c in colours.items()]
    height = fig.get_figheight()
    fig.suptitle(
        "Engagement with each service, week by week",
        x=0.01,
        ha="left",
        y=1 - 0.08 / height,
        va="top",
    )
    fig.legend(handles=handles, loc="upper left", ncol=min(len(colours), 5), frameon=False,
               bbox_to_anchor=(0.01, 1 - 0.35 / height))  # fmt: skip
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.75 / height))
    return fig


# --- appointment burden ------------------------------------------------------------------------

BURDEN_MEASURES = {
    "contacts": "Contacts per woman per week\n(attended or missed)",
    "places": "Distinct places travelled to\nper woman per week",
}


def weekly_burden(burden: pd.DataFrame, colours: dict[str, str]) -> Figure:
    """Contacts and distinct places per woman per week. ``burden``: ``scenario, week,
    contacts, places``."""
    fig, axes = plt.subplots(2, 1, figsize=(10, 6.4), sharex=True)
    for ax, (measure, label) in zip(axes, BURDEN_MEASURES.items()):
        for scenario, colour in colours.items():
            line = burden[burden["scenario"] == scenario].sort_values("week")
            ax.plot(line["week"], line[measure], color=colour, linewidth=1.4, label=scenario)
        ax.axvline(0, color="#555555", linestyle="--", linewidth=0.8)
        ax.text(0.3, 0.97, "birth", transform=ax.get_xaxis_transform(), va="top", fontsize=8)
        ax.set_ylabel(label)
        ax.set_ylim(bottom=0)
    axes[-1].set_xlabel(BIRTH_LABEL)
    axes[0].legend(title="Scenario", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    fig.suptitle("Appointment burden through pregnancy and the year after birth", x=0.01, ha="left")
    fig.tight_layout()
    return fig


def interval_points(
    table: pd.DataFrame, category: str, colours: dict[str, str], ax, xlabel: str
) -> None:
    """Means with 95% intervals as horizontal dot-and-whisker rows, one colour per scenario.
    ``table``: ``scenario, <category>, mean, low, high``."""
    categories = list(dict.fromkeys(table[category]))
    scenarios = [s for s in colours if s in set(table["scenario"])]
    step = 0.8 / max(len(scenarios), 1)
    for j, scenario in enumerate(scenarios):
        rows = table[table["scenario"] == scenario].set_index(category).reindex(categories)
        ys = np.arange(len(categories)) - 0.4 + step * (j + 0.5)
        ax.errorbar(rows["mean"], ys, xerr=_whiskers(rows), fmt="o", color=colours[scenario],
                    markersize=4.5, capsize=2, linewidth=1.2, label=scenario)  # fmt: skip
    ax.set_yticks(np.arange(len(categories)), categories)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_xlim(left=0)
    ax.grid(axis="y", visible=False)


def category_height(categories: int, scenarios: int) -> float:
    """Inches for rows of dot-and-whisker categories, one line per scenario in each."""
    return max(categories, 1) * (0.14 * max(scenarios, 1) + 0.2)


def _whiskers(rows: pd.DataFrame) -> np.ndarray:
    low = (rows["mean"] - rows["low"]).fillna(0).clip(lower=0)
    high = (rows["high"] - rows["mean"]).fillna(0).clip(lower=0)
    return np.vstack([low.to_numpy(), high.to_numpy()])


def travel_by_site(travel: pd.DataFrame, colours: dict[str, str]) -> Figure:
    """Door-to-door travel hours per woman, for urban and rural women, per scenario (the
    scenario's site archetype in brackets). ``travel``: ``scenario, home, mean, low, high``."""
    homes = list(dict.fromkeys(travel["home"]))
    fig, ax = plt.subplots(
        figsize=(10, max(3.2, category_height(len(homes), travel["scenario"].nunique()) + 1.2))
    )
    interval_points(travel, "home", colours, ax, "Travel to appointments (hours per woman, 95% CI)")
    ax.legend(
        title="Scenario (site archetype)", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False
    )
    ax.set_title("Travel time per woman, "
                 "from services learning of the pregnancy to 12 months after birth",
                 loc="left")  # fmt: skip
    fig.tight_layout()
    return fig


def waits_and_deadlines(
    waits: pd.DataFrame, deadlines: pd.DataFrame, colours: dict[str, str]
) -> Figure:
    """Left: mean wait for staff per service; right: pre-birth assessments and conferences
    missing their deadline. Both ``scenario, <what>, mean, low, high``.

    Panels are placed in inches (labels left of each, the legend below), so the short
    deadline panel can sit level with the top of the tall waits panel.
    """
    scenarios = waits["scenario"].nunique()
    services = max(waits["service"].nunique(), 1)
    width, height = 11.0, max(4.5, category_height(services, scenarios) + 2.0)
    fig = plt.figure(figsize=(width, height))
    bottom, top = WAITS_LEGEND_INCHES + 0.5, height - 0.35
    left = fig.add_axes((2.4 / width, bottom / height, 3.9 / width, (top - bottom) / height))
    right_bottom = max(bottom, top - max(1.6, 0.45 * (top - bottom)))
    right = fig.add_axes(
        (8.5 / width, right_bottom / height, 2.3 / width, (top - right_bottom) / height)
    )
    interval_points(
        waits, "service", colours, left, "Mean wait beyond the planned day (days, 95% CI)"
    )
    left.set_title("Waits for staff", loc="left")
    if deadlines.empty:
        right.axis("off")
        right.text(0.5, 0.5, "No deadline measures in these results", ha="center", va="center")
    else:
        interval_points(deadlines, "measure", colours, right, "Missed the deadline (%, 95% CI)")
        right.set_title("Child-protection deadlines", loc="left")
    handles, labels = left.get_legend_handles_labels()
    fig.legend(handles, labels, title="Scenario", loc="lower center", ncol=min(len(labels), 5),
               frameon=False, bbox_to_anchor=(0.5, 0.0))  # fmt: skip
    return fig


WAITS_LEGEND_INCHES = 0.75


# --- swimlanes ---------------------------------------------------------------------------------

MARK_STYLE: dict[str, dict] = {
    "attended": {"marker": "o", "color": "#0072B2", "s": 22},
    "missed": {"marker": "X", "color": "#D55E00", "s": 34},
    "cancelled": {"marker": "o", "facecolors": "none", "edgecolors": "#888888", "s": 18},
    "dropped out": {"marker": "v", "color": "#000000", "s": 48},
    "case closed": {"marker": "s", "color": "#000000", "s": 30},
    "brought back": {"marker": "^", "color": "#009E73", "s": 48},
    "re-traumatised": {"marker": "*", "color": "#E69F00", "s": 90},
    "hand-over failed": {"marker": "D", "color": "#CC79A7", "s": 30},
    "baby removed": {"marker": "P", "color": "#CC79A7", "s": 90},
    "known to services": {"marker": ">", "color": "#56B4E9", "s": 48},
    "birth": {"marker": "|", "color": "#000000", "s": 160},
    "follow-up ends": {"marker": "<", "color": "#56B4E9", "s": 48},
}


def swimlanes(journeys: dict[str, pd.DataFrame], lanes: Sequence[str], title: str) -> Figure:
    """One woman's journey in each scenario: a row per service (lane), her events along
    the weeks from birth. ``journeys``: scenario -> ``lane, week, mark``."""
    lane_labels = [lane if lane == "her pathway" else service_label(lane) for lane in lanes]
    height = 0.24 * len(lanes) + 0.45
    fig, axes = plt.subplots(len(journeys), 1, figsize=(11, height * len(journeys) + 1.3),
                             sharex=True, squeeze=False)  # fmt: skip
    y_of = {lane: i for i, lane in enumerate(lanes)}
    for ax, (scenario, events) in zip(axes[:, 0], journeys.items()):
        for mark, style in MARK_STYLE.items():
            rows = events[events["mark"] == mark]
            if not rows.empty:
                ax.scatter(rows["week"], rows["lane"].map(y_of), zorder=3, linewidths=1, **style)
        ax.axvline(0, color="#555555", linestyle="--", linewidth=0.8)
        ax.set_yticks(range(len(lanes)), lane_labels, fontsize=8)
        ax.set_ylim(len(lanes) - 0.5, -0.5)
        ax.set_title(scenario, loc="left", fontsize=10)
        ax.grid(axis="x", alpha=0.5)
    axes[-1, 0].set_xlabel(BIRTH_LABEL)
    handles = [Line2D([], [], linestyle="", label=mark, **_legend_style(style))
               for mark, style in MARK_STYLE.items()]  # fmt: skip
    fig.legend(handles=handles, loc="lower center", ncol=6, frameon=False, fontsize=8)
    total = fig.get_figheight()
    fig.suptitle(title, x=0.01, y=1 - 0.1 / total, ha="left", va="top", fontsize=11)
    # Fixed margins in inches (lane labels left, legend below): quicker than tight_layout.
    fig.subplots_adjust(left=0.19, right=0.99, top=1 - 0.55 / total, bottom=1.15 / total,
                        hspace=0.35 / (height - 0.3))  # fmt: skip
    return fig


def _legend_style(style: dict) -> dict:
    colour = style.get("color", style.get("edgecolors"))
    face = "none" if style.get("facecolors") == "none" else colour
    size = math.sqrt(style["s"]) * 0.9
    return {"marker": style["marker"], "color": colour, "markerfacecolor": face, "markersize": size}
