"""How sure each verdict is: probabilities over parameter draws (``decision.csv``).

For each scenario and KPI the draws' mean paired differences from the base are read
against the KPI's better direction and its minimal important difference (MID,
``models/mids.py``): the share of draws in which the scenario is better, worse, and
better or worse by at least the MID. Each draw gets a verdict of its own
(``core.verdicts.point_verdict``); ``verdict_robust`` is the verdict that holds in at
least ``ROBUST_SHARE`` of the draws, else ``depends``.

Inner-loop noise blurs these shares: with two replications a draw's difference carries
simulation noise as well as what its parameters cause. Where the noise is more than
``NOISE_LIMIT`` of the between-draw variance, the probabilities are read from draws
shrunk towards their mean until their variance is the parameters' part alone
(``differences.denoised``), and ``probabilities_from`` says so. Where noise is
``NOISE_DOMINATES`` or more of it, no correction can be trusted: the draws are read as
they are and ``probabilities_from`` asks for more replications.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd

from pathway_sim.core.verdicts import DEPENDS, point_verdict
from pathway_sim.models import kpi
from pathway_sim.models.mids import mid_value
from pathway_sim.uncertainty.differences import denoised, noise_share

NOISE_LIMIT = 0.2
"""Above this share of inner-loop noise, probabilities come from noise-corrected draws."""
NOISE_DOMINATES = 0.8
"""At or above this share the parameters' part is too small to recover by correction: the
probabilities are read from the draws as they are (they then understate how sure the
verdict is) and ``probabilities_from`` asks for more replications."""
ROBUST_SHARE = 0.9
"""A verdict is robust when it holds in at least this share of the draws."""
COLUMNS = [
    "scenario", "kpi", "mean_difference", "p_better", "p_worse", "p_important_better",
    "p_important_worse", "verdict_robust", "mean_difference_se", "noise_share",
    "probabilities_from", "draws",
]  # fmt: skip
"""``decision.csv``: the contract's columns, then the Monte Carlo standard error of the
mean difference, the noise share, what the probabilities were read from and how many
draws they rest on."""
FROM_DRAWS = "draws"
FROM_CORRECTED = "draws corrected for inner-loop noise"
FROM_UNCORRECTED = "draws (noise not estimable with one replication)"
FROM_NOISY = "draws, mostly inner-loop noise: rerun with more replications"


def corrected(values: np.ndarray, noise_variance: np.ndarray) -> tuple[np.ndarray, float, str]:
    """The draws to read probabilities from, the noise share, and which they are."""
    share = noise_share(values, noise_variance)
    if math.isnan(share):
        return np.asarray(values, float), share, FROM_UNCORRECTED
    if share >= NOISE_DOMINATES:
        return np.asarray(values, float), share, FROM_NOISY
    if share > NOISE_LIMIT:
        return denoised(values, share), share, FROM_CORRECTED
    return np.asarray(values, float), share, FROM_DRAWS


def judge_draws(values: np.ndarray, name: str) -> dict[str, float | str]:
    """The probabilities and robust verdict of one scenario's differences in KPI ``name``.

    Better and worse follow the KPI's direction; a KPI without one ("neither") has no
    better or worse (NaN), only "different" or "too small to matter"."""
    entry = kpi(name)
    better = entry.better if entry else "neither"
    mid = mid_value(name)
    sign = {"higher": 1.0, "lower": -1.0}.get(better)
    gain = values * sign if sign is not None else np.full(len(values), np.nan)
    threshold = 0.0 if math.isnan(mid) else mid
    verdicts = Counter(point_verdict(float(v), mid, better) for v in values)
    verdict, count = verdicts.most_common(1)[0]
    return {
        "mean_difference": float(values.mean()),
        "p_better": _share(gain > 0, sign),
        "p_worse": _share(gain < 0, sign),
        "p_important_better": _share((gain > 0) & (gain >= threshold), sign),
        "p_important_worse": _share((gain < 0) & (-gain >= threshold), sign),
        "verdict_robust": verdict if count >= ROBUST_SHARE * len(values) else DEPENDS,
    }


def _share(hits: np.ndarray, sign: float | None) -> float:
    return float(hits.mean()) if sign is not None else math.nan


def decision_table(differences: pd.DataFrame) -> pd.DataFrame:
    """``decision.csv`` from the per-draw differences (``differences.paired_differences``):
    one row per scenario and KPI, in the order they come."""
    rows = []
    for (scenario, name), block in differences.groupby(["scenario", "kpi"], sort=False):
        values = block["difference"].to_numpy(float)
        noise = block["noise_variance"].to_numpy(float)
        if np.isnan(values).any():  # a KPI a draw could not measure (e.g. no removals)
            values, noise = values[~np.isnan(values)], noise[~np.isnan(values)]
        if len(values) == 0:
            continue
        read, share, source = corrected(values, noise)
        rows.append(
            {
                "scenario": scenario,
                "kpi": name,
                **judge_draws(read, str(name)),
                "mean_difference_se": float(values.std(ddof=1) / np.sqrt(len(values)))
                if len(values) > 1
                else math.nan,
                "noise_share": share,
                "probabilities_from": source,
                "draws": len(values),
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)
