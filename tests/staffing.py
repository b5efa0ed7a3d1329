"""Paired staffing comparisons on common random numbers, with Holm-corrected verdicts.

Used by the staffing direction tests and by hand (``python -m tests.staffing``): each
change runs on the same seed and replication numbers as its site, so differences are
paired replication by replication.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from pathway_sim.inputs.loading import load_scenario
from pathway_sim.models import kpi
from pathway_sim.runs.runner import replications_table, run_replication

ROOT = Path(__file__).resolve().parent.parent / "scenarios"
SITES = {
    "base": ROOT / "base.yaml",
    **{p.stem: p for p in sorted((ROOT / "sites").glob("*.yaml"))},
}
OUTCOMES = (
    "retraumatised_pct",
    "antenatal_attendance_pct",
    "drug_treatment_attendance_pct",
    "in_treatment_at_birth_pct",
    "treatment_retention_12m_pct",
    "baby_with_mother_at_12m_pct",
    "baby_in_care_3m_pct",
    "overdoses_per_1000",
    "deaths_after_removal_per_1000",
    "stable_at_12m_pct",
    "self_efficacy_index",
    "knowledge_at_birth",
    "staff_confidence_index",
)
"""The outcome KPIs fewer staff must never clearly improve (issue 14)."""


def _replication(args: tuple) -> object:
    path, changes, seed, index = args
    return run_replication(load_scenario(path, list(changes)), seed, index)


def table(path: Path, changes: Sequence[str], reps: int, seed: int, workers: int = 2):
    """Replications of ``path`` with ``changes`` as a table (one row per replication)."""
    jobs = [(path, tuple(changes), seed, i) for i in range(reps)]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_replication, jobs))
    else:
        results = [_replication(job) for job in jobs]
    return replications_table(path.stem, results)


@dataclass(frozen=True)
class Verdict:
    """One KPI's paired difference (other - base), its 95% interval and Holm verdicts."""

    kpi: str
    base: float
    diff: float
    low: float
    high: float
    p: float
    clearly_better: bool
    clearly_worse: bool


def paired(base: pd.DataFrame, other: pd.DataFrame, kpis: Sequence[str], alpha: float = 0.05):
    """Paired t-tests of ``other - base`` for each KPI, Holm-corrected across ``kpis``.

    "Clearly better" or "worse" means significant after Holm's step-down correction, in
    the direction the KPI catalogue calls better. A KPI with no spread (both NaN or
    identical in every pair) is never clearly anything.
    """
    rows = []
    for name in kpis:
        d = other[name].to_numpy(float) - base[name].to_numpy(float)
        d = d[~np.isnan(d)]
        mean = float(d.mean()) if len(d) else np.nan
        if len(d) < 3 or np.allclose(d, d[0]):
            rows.append((name, mean, mean, mean, 1.0 if not len(d) or d[0] == 0 else 0.0))
            continue
        half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
        p = float(stats.ttest_1samp(d, 0.0).pvalue)
        rows.append((name, mean, mean - half, mean + half, p))
    order = sorted(range(len(rows)), key=lambda i: rows[i][4])
    significant = [False] * len(rows)
    for rank, i in enumerate(order):
        if rows[i][4] > alpha / (len(rows) - rank):
            break
        significant[i] = True
    verdicts = []
    for (name, mean, low, high, p), sig in zip(rows, significant, strict=True):
        better = kpi(name).better if kpi(name) else "neither"
        up = mean > 0
        good = (better == "higher" and up) or (better == "lower" and not up)
        verdicts.append(
            Verdict(name, float(base[name].mean()), mean, low, high, p,
                    sig and good and better != "neither", sig and not good and better != "neither")
        )  # fmt: skip
    return verdicts


def show(verdicts: Sequence[Verdict]) -> str:
    lines = []
    for v in verdicts:
        mark = "*" if v.p < 0.05 else " "
        flag = "BETTER" if v.clearly_better else ("worse" if v.clearly_worse else "")
        lines.append(
            f"  {v.kpi:36} base {v.base:9.3f}  diff {v.diff:+9.3f}{mark} "
            f"[{v.low:+.3f}, {v.high:+.3f}] {flag}"
        )
    return "\n".join(lines)


def halved(path: Path) -> list[str]:
    """Changes that halve every available service's posts (rounding down, at least one)."""
    scenario = load_scenario(path)
    return [
        f"services.{name}.staff={max(1, spec.staff // 2)}"
        for name, spec in scenario.services
        if spec.available
    ]


if __name__ == "__main__":
    import sys

    site, reps, *changes = sys.argv[1:]
    path = SITES[site]
    if changes == ["halved"]:
        changes = halved(path)
    seed = load_scenario(path).run.seed
    base = table(path, [], int(reps), seed)
    other = table(path, changes, int(reps), seed)
    extra = [c for c in other.columns if c.endswith("_wait_days") or c.endswith("utilisation")]
    print(site, changes)
    print(show(paired(base, other, [*OUTCOMES, "history_retold_per_woman",
                                    "conference_late_pct", *extra])))  # fmt: skip


NEW_PARAMETERS = ("capacity.", "hostile_care.retell_probability_new_service",
                  "hostile_care.known_worker_stigma_reduction",
                  "hostile_care.retell_probability_same_service",
                  "hostile_care.stigma_retraumatise_probability",
                  "hostile_care.relationship_protection",
                  "hostile_care.protection_gain_good_contact",
                  "child_protection.information_shortfall_log_odds",
                  "child_protection.planning_reference_days",
                  "child_protection.short_planning_log_odds")  # fmt: skip
"""The parameters issue 14 added (a prefix or a full name)."""


def range_end_variants(register: pd.DataFrame, cut: list[str]) -> list[dict]:
    """Experiment variants: each new parameter at each end of its register range, with and
    without ``cut`` (changes such as every service's posts halved)."""
    variants = []
    for row in register.itertuples():
        if not any(row.name == p or (p.endswith(".") and row.name.startswith(p))
                   for p in NEW_PARAMETERS):  # fmt: skip
            continue
        for end, value in (("low", row.low), ("high", row.high)):
            setting = {row.name: float(value)}
            key = f"{row.name.split('.')[-1]}_{end}"
            variants.append({"name": key, "set": setting})
            cut_set = dict(setting)
            for change in cut:
                path, raw = change.split("=")
                cut_set[path] = int(raw)
            variants.append({"name": f"{key}_cut", "set": cut_set})
    return variants


def range_end_verdicts(results: Path, kpis: Sequence[str] = OUTCOMES) -> pd.DataFrame:
    """From a run of the range-end experiment: for each parameter end, the paired verdicts
    of the cut against the same end without it (one row per KPI)."""
    rows = []
    for cut_dir in sorted(results.glob("*_cut")):
        plain = results / cut_dir.name.removesuffix("_cut")
        base = pd.read_csv(plain / "replications.csv")
        other = pd.read_csv(cut_dir / "replications.csv")
        for v in paired(base, other, kpis):
            rows.append({"variant": plain.name, **v.__dict__})
    return pd.DataFrame(rows)
