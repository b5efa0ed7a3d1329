"""Global sensitivity analysis with SALib: sample designs and indices, model-free.

These functions know nothing of the simulation: they turn factor ranges into a
design matrix and a matrix of outputs into tidy indices, so the same code is
checked against the Ishigami function (analytic indices known) and used on the
model.

- Morris elementary effects (Morris 1991; mu* of Campolongo et al. 2007): a cheap
  screen, r(k+1) points, ranking which of many parameters matter.
- Sobol indices (Saltelli 2002; Saltelli et al. 2010) from Saltelli's extension of
  the Sobol sequence, N(k+2) points: S1 (the share of output variance a parameter
  explains alone) and ST (alone and through interactions), with bootstrap intervals.
- Latin hypercube sampling (McKay et al. 1979) for uncertainty analysis: the
  distribution of each KPI when every parameter is uncertain at once, with
  Spearman rank correlations as a rough guide to which parameters drive it.

Integer parameters (staff posts, visit counts) are sampled over ``[low - 0.5,
high + 0.5]`` and rounded to the nearest whole number, so each whole number in
``[low, high]`` is equally likely; their indices describe that stepped response.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import latin
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample
from scipy import stats

from pathway_sim.sensitivity.spec import Factor

INDEX_COLUMNS = ("param", "kpi", "method", "index", "value", "conf")
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def problem(factors: Sequence[Factor]) -> dict[str, Any]:
    """SALib's problem: names and bounds (integers widened by half a step each side)."""
    bounds = [[f.low - 0.5, f.high + 0.5] if f.integer else [f.low, f.high] for f in factors]
    return {"num_vars": len(factors), "names": [f.name for f in factors], "bounds": bounds}


def sample(
    method: str,
    spec: dict[str, Any],
    samples: int,
    seed: int,
    levels: int = 4,
    second_order: bool = False,
) -> np.ndarray:
    """The design matrix, one row per point: Morris trajectories, Saltelli's Sobol
    sample (scrambled, seeded) or a Latin hypercube."""
    if method == "morris":
        return morris_sample.sample(spec, samples, num_levels=levels, seed=seed)
    if method == "sobol":
        return sobol_sample.sample(spec, samples, calc_second_order=second_order, seed=seed)
    if method == "lhs":
        return latin.sample(spec, samples, seed=seed)
    raise ValueError(f"unknown method {method!r}")


def to_values(design: np.ndarray, factors: Sequence[Factor]) -> np.ndarray:
    """The parameter values each point runs with: integers rounded into ``[low, high]``."""
    values = design.astype(float).copy()
    for j, f in enumerate(factors):
        if f.integer:
            values[:, j] = np.clip(np.floor(values[:, j] + 0.5), f.low, f.high)
    return values


def analyse(
    method: str,
    spec: dict[str, Any],
    design: np.ndarray,
    outputs: pd.DataFrame,
    seed: int,
    levels: int = 4,
    second_order: bool = False,
) -> pd.DataFrame:
    """Tidy indices (``param, kpi, method, index, value, conf``) for every output column."""
    tables = [
        _indices(
            method, spec, design, outputs[kpi].to_numpy(float), seed, levels, second_order
        ).assign(kpi=kpi)
        for kpi in outputs.columns
    ]
    return pd.concat(tables, ignore_index=True)[list(INDEX_COLUMNS)]


def _indices(
    method: str,
    spec: dict[str, Any],
    design: np.ndarray,
    y: np.ndarray,
    seed: int,
    levels: int,
    second_order: bool,
) -> pd.DataFrame:
    names = spec["names"]
    if not np.all(np.isfinite(y)) or np.ptp(y) == 0:
        return _undefined(method, names, second_order)
    if method == "morris":
        res = morris_analyze.analyze(spec, design, y, num_levels=levels, seed=seed)
        rows = [(p, "mu", res["mu"][i], np.nan) for i, p in enumerate(names)]
        rows += [
            (p, "mu_star", res["mu_star"][i], res["mu_star_conf"][i]) for i, p in enumerate(names)
        ]
        rows += [(p, "sigma", res["sigma"][i], np.nan) for i, p in enumerate(names)]
    elif method == "sobol":
        res = sobol_analyze.analyze(spec, y, calc_second_order=second_order, seed=seed)
        rows = [
            (p, ix, res[ix][i], res[f"{ix}_conf"][i])
            for ix in ("S1", "ST")
            for i, p in enumerate(names)
        ]
        if second_order:
            rows += [
                (f"{a}:{names[j]}", "S2", res["S2"][i, j], res["S2_conf"][i, j])
                for i, a in enumerate(names) for j in range(i + 1, len(names))
            ]  # fmt: skip
    else:
        rows = [(p, "spearman", _spearman(design[:, i], y), np.nan) for i, p in enumerate(names)]
    return pd.DataFrame(rows, columns=["param", "index", "value", "conf"]).assign(method=method)


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    return float(stats.spearmanr(x, y).statistic) if np.ptp(x) > 0 else np.nan


def _undefined(method: str, names: list[str], second_order: bool) -> pd.DataFrame:
    """A constant (or undefined) output has no variance to apportion: every index is NaN."""
    kinds = {"morris": ["mu", "mu_star", "sigma"], "sobol": ["S1", "ST"], "lhs": ["spearman"]}[
        method
    ]
    rows = [(p, ix, np.nan, np.nan) for ix in kinds for p in names]
    if method == "sobol" and second_order:
        rows += [
            (f"{a}:{b}", "S2", np.nan, np.nan) for i, a in enumerate(names) for b in names[i + 1 :]
        ]
    return pd.DataFrame(rows, columns=["param", "index", "value", "conf"]).assign(method=method)


def oat_points(factors: Sequence[Factor]) -> np.ndarray:
    """One-at-a-time design for the tornado chart: the base, then each factor at its
    low and at its high end with every other factor at its base value."""
    base = np.array([f.base for f in factors], dtype=float)
    rows = [base]
    for j, f in enumerate(factors):
        for end in (f.low, f.high):
            row = base.copy()
            row[j] = end
            rows.append(row)
    return np.vstack(rows)


def tornado_table(factors: Sequence[Factor], outputs: pd.DataFrame) -> pd.DataFrame:
    """Per parameter and KPI: the KPI at the base and at each end, and the swing
    (high end minus low end), from the outputs of ``oat_points`` in order."""
    rows = []
    for kpi in outputs.columns:
        y = outputs[kpi].to_numpy(float)
        for j, f in enumerate(factors):
            at_low, at_high = y[1 + 2 * j], y[2 + 2 * j]
            rows.append({
                "param": f.name, "kpi": kpi, "low": f.low, "high": f.high, "base_value": f.base,
                "kpi_base": y[0], "kpi_at_low": at_low, "kpi_at_high": at_high,
                "swing": at_high - at_low,
            })  # fmt: skip
    return pd.DataFrame(rows)


def uncertainty_table(outputs: pd.DataFrame) -> pd.DataFrame:
    """Per KPI, its distribution over the sample points: mean, sd and quantiles."""
    rows = []
    for kpi in outputs.columns:
        y = outputs[kpi].to_numpy(float)
        q = np.quantile(y, QUANTILES)
        row = {
            "kpi": kpi,
            "n": len(y),
            "mean": y.mean(),
            "std": y.std(ddof=1) if len(y) > 1 else np.nan,
        }
        row.update({f"q{round(p * 100):02d}": v for p, v in zip(QUANTILES, q)})
        rows.append(row)
    return pd.DataFrame(rows)


def ranking(indices: pd.DataFrame, kpi: str, index: str = "mu_star") -> pd.DataFrame:
    """Parameters ranked by one index for one KPI, largest first."""
    rows = indices[(indices["kpi"] == kpi) & (indices["index"] == index)]
    return rows.sort_values("value", ascending=False, na_position="last").reset_index(drop=True)
