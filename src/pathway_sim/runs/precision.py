"""How many replications: the replications algorithm of Hoad, Robinson and Davies (2010).

Replications are added one at a time (in index order) until the 95% confidence
interval of each chosen KPI has a relative half-width ``d_n = half-width / |mean|``
at or below the target, and stays there for a look-ahead of ``k_limit`` further
replications (scaled up in proportion beyond 100 replications), which guards
against stopping on a chance early dip in the variance.

Hoad K, Robinson S, Davies R (2010). Automated selection of the number of
replications for a discrete-event simulation. Journal of the Operational
Research Society 61(11):1632-1644. doi:10.1057/jors.2009.121
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pathway_sim.core.statistics import t_interval


@dataclass(frozen=True)
class PrecisionGoal:
    """What ``--reps auto`` aims for.

    ``target`` is the relative half-width of the 95% interval (0.05: within 5% of
    the mean); ``kpis`` the KPIs that must reach it (None: the ToC headline KPIs of a
    perinatal run, every KPI of a queueing run);
    ``max_reps`` the most replications to run, look-ahead included.
    """

    target: float = 0.05
    kpis: tuple[str, ...] | None = None
    max_reps: int = 200
    k_limit: int = 5
    initial: int = 3

    def __post_init__(self) -> None:
        if not 0 < self.target < 1:
            raise ValueError(
                f"target precision: expected a number between 0 and 1, got {self.target}"
            )
        if self.max_reps < self.initial + self.k_limit:
            raise ValueError(
                f"max reps: expected at least {self.initial + self.k_limit} "
                f"(initial {self.initial} + look-ahead {self.k_limit}), got {self.max_reps}"
            )


def relative_half_width(values: np.ndarray, confidence: float = 0.95) -> float:
    """``d_n``: half-width of the t-interval over |mean| (inf while it is unknown)."""
    ci = t_interval(values, confidence)
    if ci.n < 2:
        return math.inf
    if ci.std == 0.0:
        return 0.0
    if ci.mean == 0.0:
        return math.inf
    return (ci.high - ci.mean) / abs(ci.mean)


def look_ahead(n: int, k_limit: int) -> int:
    """Replications that must confirm a candidate ``n`` (Hoad et al.'s f(kLimit, n))."""
    return k_limit if n <= 100 else math.floor(n / 100 * k_limit)


def replications_needed(path: Sequence[float], goal: PrecisionGoal) -> int | None:
    """The smallest ``n`` whose precision meets the target and stays met for the
    look-ahead; None while the path is too short to say."""
    for n in range(goal.initial, len(path) + 1):
        if path[n - 1] > goal.target:
            continue
        ahead = look_ahead(n, goal.k_limit)
        if n + ahead > len(path):
            return None
        if all(d <= goal.target for d in path[n : n + ahead]):
            return n
    return None


@dataclass
class PrecisionTracker:
    """The precision paths of the chosen KPIs, extended as replications finish."""

    goal: PrecisionGoal
    paths: dict[str, list[float]]

    def update(self, replications: pd.DataFrame) -> None:
        """Extend each path with the replications (in index order) not yet counted."""
        for kpi, path in self.paths.items():
            values = replications[kpi].to_numpy(dtype=float)
            path.extend(
                relative_half_width(values[:n]) for n in range(len(path) + 1, len(values) + 1)
            )

    def decision(self) -> int | None:
        """Replications that every KPI needs, or None while any is undecided."""
        needed = [replications_needed(path, self.goal) for path in self.paths.values()]
        decided = [n for n in needed if n is not None]
        return None if len(decided) < len(needed) else max(decided)

    def report(self, replications: pd.DataFrame) -> pd.DataFrame:
        """``precision.csv``: per KPI, the replications it alone needed and the precision
        reached with the replications kept."""
        rows = []
        for kpi, path in self.paths.items():
            reached = relative_half_width(replications[kpi].to_numpy(dtype=float))
            needed = replications_needed(path, self.goal)
            rows.append(
                {
                    "kpi": kpi,
                    "target": self.goal.target,
                    "precision": reached,
                    "met": bool(reached <= self.goal.target),
                    "replications_needed": needed if needed is not None else pd.NA,
                    "replications": len(replications),
                }
            )
        return pd.DataFrame(rows)
