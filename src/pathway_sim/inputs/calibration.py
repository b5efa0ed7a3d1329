"""Calibration check: a scenario's outputs against published targets from the register.

Each target names the KPI that measures it, its source and a range taken from the
register (``data/calibration_targets.csv``). A target is met when the simulated
mean over replications lies within the range; the 95% t-interval is reported
beside it so that a mean near an edge is read with its uncertainty.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

import pandas as pd

from pathway_sim.core.statistics import t_interval

COLUMNS = ("target", "source", "low", "high", "simulated_mean", "ci_low", "ci_high", "in_range")
"""Columns of ``calibration.csv`` (the output contract)."""


@dataclass(frozen=True)
class Target:
    """A published figure the base scenarios should reproduce, and the KPI that measures it."""

    target: str
    kpi: str
    source: str
    low: float
    high: float
    note: str = ""


def load_targets() -> list[Target]:
    """The calibration targets shipped with the package."""
    text = (
        resources.files("pathway_sim")
        .joinpath("data", "calibration_targets.csv")
        .read_text("utf-8")
    )
    rows = csv.DictReader(text.splitlines())
    return [
        Target(r["target"], r["kpi"], r["source"], float(r["low"]), float(r["high"]), r["note"])
        for r in rows
    ]


def in_range(mean: float, low: float, high: float) -> bool:
    """Whether a simulated mean meets a target: inside [low, high]; a missing mean never does."""
    return bool(low <= mean <= high)


def calibration_table(replications: pd.DataFrame, targets: list[Target]) -> pd.DataFrame:
    """One row per target: its range, the simulated mean with its 95% CI, and whether it is met."""
    rows = []
    for t in targets:
        ci = t_interval(replications[t.kpi].to_numpy(dtype=float))
        rows.append(
            {
                "target": t.target,
                "source": t.source,
                "low": t.low,
                "high": t.high,
                "simulated_mean": ci.mean,
                "ci_low": ci.low,
                "ci_high": ci.high,
                "in_range": in_range(ci.mean, t.low, t.high),
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def format_table(table: pd.DataFrame) -> str:
    """The calibration table as plain text: target, range, simulated mean and CI, met or not."""
    width = max((len(t) for t in table["target"]), default=6)
    lines = [f"{'target':<{width}}  {'range':>11}  {'simulated':>9}  {'95% CI':<17}  in range"]
    for row in table.to_dict("records"):
        low, high = row["ci_low"], row["ci_high"]
        ci = "n/a" if pd.isna(low) else f"[{low:.1f}, {high:.1f}]"
        mark = "yes" if row["in_range"] else "NO"
        span = f"{row['low']:>5g}-{row['high']:<5g}"
        simulated = row["simulated_mean"]
        lines.append(f"{row['target']:<{width}}  {span}  {simulated:>9.1f}  {ci:<17}  {mark}")
    return "\n".join(lines)
