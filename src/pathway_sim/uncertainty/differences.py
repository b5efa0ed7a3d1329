"""Paired differences within each draw, and how much of their spread is inner-loop noise.

The simulated results of a probabilistic sensitivity analysis are one row per draw,
scenario and inner replication (``draw, scenario, replication``, then one column per
KPI). Within a draw every scenario meets the same women (common random numbers), so a
scenario's difference from the base is taken replication by replication and averaged
over the draw's replications.

The between-draw variance of a draw's mean difference has two parts: what the
parameters cause, and inner-loop noise, the variance of a mean of ``R`` replications
(O'Hagan, Stevenson and Madan 2007). The noise part is estimated from the spread of the
paired differences within each draw (it needs ``R >= 2``); its share of the total says
how far probabilities read straight off the draws are blurred by simulation noise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pathway_sim.core.statistics import ID_COLUMNS

DRAW, SCENARIO, REPLICATION = "draw", "scenario", "replication"
KEYS = (DRAW, SCENARIO, REPLICATION)
DIFFERENCE_COLUMNS = ["draw", "scenario", "kpi", "difference", "noise_variance"]
"""One row per draw, scenario other than the base, and KPI: the mean paired difference
and the variance of that mean from the inner replications (NaN with one replication)."""


def result_columns(inner: pd.DataFrame) -> list[str]:
    """The KPI columns of an inner-results table."""
    return [c for c in inner.columns if c not in (*KEYS, *ID_COLUMNS)]


def draw_means(inner: pd.DataFrame) -> pd.DataFrame:
    """One row per draw and scenario: ``draw, scenario, replications``, then each KPI's
    mean over the draw's inner replications."""
    kpis = result_columns(inner)
    grouped = inner.groupby([DRAW, SCENARIO], sort=False)
    means = grouped[kpis].mean()
    means.insert(0, "replications", grouped.size())
    return means.reset_index()


def paired_replications(inner: pd.DataFrame, base: str) -> dict[str, pd.DataFrame]:
    """``other - base`` for each scenario other than the base: a table indexed by draw and
    replication, one column per KPI."""
    kpis = result_columns(inner)
    wide = inner.set_index([SCENARIO, DRAW, REPLICATION])[kpis]
    reference = wide.loc[base]
    others = [s for s in dict.fromkeys(inner[SCENARIO]) if s != base]
    return {s: wide.loc[s] - reference for s in others}


def paired_differences(inner: pd.DataFrame, base: str) -> pd.DataFrame:
    """Each draw's mean paired difference from the base and the noise variance of that
    mean (the within-draw variance over ``R``), long format (``DIFFERENCE_COLUMNS``),
    scenario by scenario and KPI by KPI."""
    parts = []
    for scenario, paired in paired_replications(inner, base).items():
        grouped = paired.groupby(level=DRAW)
        mean, noise = grouped.mean(), grouped.var(ddof=1) / grouped.count()
        for kpi in mean.columns:
            parts.append(
                pd.DataFrame(
                    {
                        "draw": mean.index,
                        "scenario": scenario,
                        "kpi": kpi,
                        "difference": mean[kpi].to_numpy(),
                        "noise_variance": noise[kpi].to_numpy(),
                    }
                )
            )
    return (
        pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=DIFFERENCE_COLUMNS)
    )


def noise_share(values: np.ndarray, noise_variance: np.ndarray) -> float:
    """The share of the between-draw variance of ``values`` that is inner-loop noise:
    the mean noise variance over the variance of the draws' means (NaN when the noise
    cannot be estimated; 0 when nothing varies)."""
    values, noise_variance = np.asarray(values, float), np.asarray(noise_variance, float)
    if len(values) < 2 or np.isnan(noise_variance).any():
        return float("nan")
    total = values.var(ddof=1)
    if total == 0:
        return 0.0
    return float(noise_variance.mean() / total)


def denoised(values: np.ndarray, share: float) -> np.ndarray:
    """``values`` shrunk towards their mean so that their variance is the parameters'
    part alone: each deviation times ``sqrt(1 - share)`` (a moment correction that
    assumes the noise is additive and independent of the parameters)."""
    values = np.asarray(values, float)
    keep = np.sqrt(max(0.0, 1.0 - share)) if np.isfinite(share) else 1.0
    return values.mean() + (values - values.mean()) * keep
