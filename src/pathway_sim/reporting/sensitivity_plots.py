"""Sensitivity figures: Morris mu*-sigma, Sobol S1/ST bars, tornado swings, KPI uncertainty.

Each function takes the tidy tables of a sensitivity run and returns a matplotlib
Figure with one panel per KPI. Parameters and KPIs are shown by readable labels
(from the KPI catalogue and the parameter register), axes name their units, and
colours are Okabe-Ito (safe under the common forms of colour blindness).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from pathway_sim.models import kpi as kpi_entry
from pathway_sim.models import label as kpi_label
from pathway_sim.models.perinatal.toc import HEADLINE_KPIS
from pathway_sim.reporting.plots import (
    OKABE_ITO,
    Figure,
    plt,
    save_figure,
    service_label,
    use_theme,
)

if TYPE_CHECKING:
    from pathway_sim.sensitivity.run import SensitivityResult

MAX_PANELS = 6
LOW_COLOUR, HIGH_COLOUR = OKABE_ITO[0], OKABE_ITO[1]


def param_label(name: str) -> str:
    """``services.midwifery.attendance_probability`` -> ``Midwifery: attendance probability``."""
    parts = name.split(".")
    if parts[0] == "services" and len(parts) > 2:
        head, rest = service_label(parts[1]), parts[2:]
    else:
        head, rest = parts[0].replace("_", " ").capitalize(), parts[1:]
    return f"{head}: {' '.join(p.replace('_', ' ') for p in rest)}" if rest else head


def kpi_title(name: str) -> str:
    entry = kpi_entry(name)
    return f"{entry.label} ({entry.unit})" if entry else kpi_label(name)


def plot_kpis(kpis: Sequence[str], chosen: Sequence[str] = ()) -> list[str]:
    """The KPIs to draw: those chosen, else the Theory of Change headlines, else the first few."""
    if chosen:
        return [k for k in chosen if k in kpis][:MAX_PANELS]
    headlines = [k for k in HEADLINE_KPIS.values() if k in kpis]
    return (headlines or list(kpis))[:MAX_PANELS]


def _panels(n: int, width: float = 5.2, height: float = 3.6) -> tuple[Figure, list[Axes]]:
    use_theme()
    cols = min(n, 2)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat)


def _legend(fig: Figure, ax: plt.Axes) -> None:
    """One legend for all panels, in the title band at the top right, clear of the bars."""
    handles, labels = ax.get_legend_handles_labels()
    top = 1 - 0.05 / fig.get_figheight()
    fig.legend(
        handles,
        labels,
        loc="upper right",
        bbox_to_anchor=(0.99, top),
        ncol=2,
        fontsize=8,
        frameon=False,
    )


def _finish(fig: Figure, title: str) -> Figure:
    """The title above the panels, with half an inch kept for it whatever the height."""
    fig.suptitle(title, x=0.01, y=1 - 0.08 / fig.get_figheight(), ha="left", va="top")
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.45 / fig.get_figheight()))
    return fig


def morris_chart(indices: pd.DataFrame, kpis: Sequence[str], label_top: int = 5) -> Figure:
    """mu* against sigma per KPI: far right matters, high up acts non-linearly or in
    interactions; the ``label_top`` parameters by mu* are named."""
    fig, axes = _panels(len(kpis))
    for ax, kpi in zip(axes, kpis):
        wide = indices[(indices["kpi"] == kpi)].pivot(
            index="param", columns="index", values="value"
        )
        ax.scatter(wide["mu_star"], wide["sigma"], color=OKABE_ITO[0], s=30)
        for name, row in wide.nlargest(label_top, "mu_star").iterrows():
            ax.annotate(param_label(str(name)), (row["mu_star"], row["sigma"]), fontsize=7,
                        xytext=(3, 3), textcoords="offset points")  # fmt: skip
        entry = kpi_entry(kpi)
        unit = entry.unit if entry else "KPI units"
        ax.set_xlabel(f"μ*: mean |elementary effect| ({unit})")
        ax.set_ylabel(f"σ: spread of effects ({unit})")  # noqa: RUF001 Morris sigma, intended
        ax.set_title(kpi_label(kpi), loc="left")
    return _finish(fig, "Morris screening: which parameters move each KPI")


def sobol_bars(indices: pd.DataFrame, kpis: Sequence[str]) -> Figure:
    """First-order (S1) and total (ST) Sobol indices per parameter, with 95% intervals."""
    params = list(dict.fromkeys(indices.loc[indices["index"] == "S1", "param"]))
    fig, axes = _panels(len(kpis), height=0.45 * len(params) + 1.6)
    y = np.arange(len(params))
    for ax, kpi in zip(axes, kpis):
        rows = indices[indices["kpi"] == kpi].set_index(["index", "param"])
        bars = (("S1", LOW_COLOUR, "S1 (alone)"),
                ("ST", HIGH_COLOUR, "ST (with interactions)"))  # fmt: skip
        for offset, (ix, colour, name) in zip((-0.2, 0.2), bars):
            part = rows.loc[ix].reindex(params)
            ax.barh(y + offset, part["value"], height=0.38, xerr=part["conf"], color=colour,
                    label=name, error_kw={"elinewidth": 1, "capsize": 2})  # fmt: skip
        ax.set_yticks(y, [param_label(p) for p in params], fontsize=8)
        ax.invert_yaxis()
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlabel("Share of KPI variance (index, 0-1)")
        ax.set_title(kpi_label(kpi), loc="left")
    _legend(fig, axes[0])
    return _finish(fig, "Sobol indices with 95% bootstrap intervals")


def tornado_chart(tornado: pd.DataFrame, kpis: Sequence[str], top: int = 10) -> Figure:
    """One-at-a-time swings: the KPI with each parameter at its low and high end, the
    others at base, largest swings on top (common random numbers: the same women)."""
    fig, axes = _panels(len(kpis), width=6.4, height=0.4 * top + 1.6)
    for ax, kpi in zip(axes, kpis):
        rows = tornado[tornado["kpi"] == kpi].assign(size=lambda t: t["swing"].abs())
        rows = rows.nlargest(top, "size").iloc[::-1]
        base = rows["kpi_base"].iloc[0] if len(rows) else 0.0
        y = np.arange(len(rows))
        # Side by side, not overlaid: both ends may move the KPI the same way.
        ax.barh(y + 0.2, rows["kpi_at_low"] - base, left=base, height=0.4, color=LOW_COLOUR,
                label="parameter at low end")  # fmt: skip
        ax.barh(y - 0.2, rows["kpi_at_high"] - base, left=base, height=0.4, color=HIGH_COLOUR,
                label="parameter at high end")  # fmt: skip
        ax.axvline(base, color="black", linewidth=1)
        ax.set_yticks(y, [param_label(p) for p in rows["param"]], fontsize=8)
        ax.set_xlabel(kpi_title(kpi))
        ax.set_title(f"{kpi_label(kpi)} (line: base)", loc="left")
    _legend(fig, axes[0])
    return _finish(fig, "One-at-a-time swings over the register's ranges")


def uncertainty_chart(samples: pd.DataFrame, kpis: Sequence[str]) -> Figure:
    """Each KPI's distribution over the Latin hypercube points, with its 5%, 50% and 95%
    quantiles: how uncertain the KPI is when every chosen parameter is."""
    fig, axes = _panels(len(kpis))
    for ax, kpi in zip(axes, kpis):
        values = samples[kpi].dropna()
        ax.hist(values, bins=min(20, max(5, len(values) // 4)), color=OKABE_ITO[0], alpha=0.8)
        for q, style in ((0.05, ":"), (0.5, "-"), (0.95, ":")):
            ax.axvline(float(values.quantile(q)), color="black", linestyle=style, linewidth=1)
        ax.set_xlabel(kpi_title(kpi))
        ax.set_ylabel("Sample points")
        ax.set_title(f"{kpi_label(kpi)} (lines: 5%, 50%, 95%)", loc="left")
    return _finish(fig, "KPI uncertainty under parameter uncertainty (Latin hypercube)")


def save_figures(result: SensitivityResult, directory: Path) -> list[Path]:
    """Every figure the run supports, as PNG and SVG; returns the PNG paths."""
    f = result.spec.file
    kpis = plot_kpis(list(result.indices["kpi"].unique()), f.kpis)
    figures: dict[str, Figure] = {}
    if f.method == "morris":
        figures["morris"] = morris_chart(result.indices, kpis)
    elif f.method == "sobol":
        figures["sobol"] = sobol_bars(result.indices, kpis)
    else:
        figures["uncertainty"] = uncertainty_chart(
            result.samples[result.samples["design"] == "lhs"], kpis
        )
    if result.tornado is not None:
        figures["tornado"] = tornado_chart(result.tornado, kpis)
    for stem, fig in figures.items():
        save_figure(fig, directory, stem)
    return [directory / f"{stem}.png" for stem in figures]
