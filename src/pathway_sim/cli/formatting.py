"""Plain-text tables the commands print: summaries, comparisons, effects, precision."""

from __future__ import annotations

import pandas as pd


def interval(low: float, high: float) -> str:
    return "n/a" if pd.isna(low) else f"[{low:.4g}, {high:.4g}]"


def format_summary(summary: pd.DataFrame, flagged: frozenset[str] = frozenset()) -> str:
    """A plain table of KPI means with their 95% confidence intervals; ``flagged`` KPIs get a *."""
    width = max(len(k) for k in summary["kpi"]) if len(summary) else 10
    lines = [f"{'KPI':<{width}}  {'mean':>12}  95% CI"]
    for row in summary.to_dict("records"):
        mark = " *" if row["kpi"] in flagged else ""
        ci = interval(row["ci_low"], row["ci_high"])
        lines.append(f"{row['kpi']:<{width}}  {row['mean']:>12.4g}  {ci}{mark}")
    if flagged:
        lines.append(
            "\n* rest mainly on assumption-status parameters (kpi_evidence.csv, pathway-sim params)"
        )
    return "\n".join(lines)


def format_precision(precision: pd.DataFrame) -> str:
    """Per KPI: the relative half-width reached against the target."""
    lines = ["Precision (95% CI half-width / |mean|; Hoad, Robinson & Davies 2010):"]
    for row in precision.to_dict("records"):
        n = row["replications_needed"]
        needed = "undecided" if pd.isna(n) else f"needs {n}"
        verdict = "met" if row["met"] else "NOT met"
        lines.append(
            f"  {row['kpi']:<30} {row['precision']:8.4f}  target {row['target']:g}: "
            f"{verdict} ({needed})"
        )
    return "\n".join(lines)


def comparison_heading(table: pd.DataFrame) -> str:
    """Which intervals the differences are, and which correction was used."""
    base = table["scenario"].iloc[0]
    others = table["scenario"].nunique() - 1
    level = f"{table['diff_confidence'].iloc[0]:.4g}"
    correction = (
        f"Bonferroni-corrected for {others} comparisons: each interval at {level}"
        if table["correction"].iloc[0] == "bonferroni"
        else f"each interval at {level}, no multiple-comparison correction"
    )
    return f"Paired differences from the base {base!r} over common random numbers ({correction})."


def format_comparison(table: pd.DataFrame) -> str:
    """Per KPI, each scenario's mean and its paired difference from the base."""
    width = max(len(s) for s in table["scenario"]) + 2
    lines = [comparison_heading(table), ""]
    lines.append(
        f"{'KPI / scenario':<{width}}  {'mean':>10}  {'95% CI':<22}  {'diff vs base':>12}  CI"
    )
    for kpi, rows in table.groupby("kpi", sort=False):
        lines.append(str(kpi))
        for i, row in enumerate(rows.to_dict("records")):
            if pd.isna(row["mean"]):  # e.g. a service this scenario does not have
                lines.append(f"  {row['scenario']:<{width - 2}}  {'not measured':>10}")
                continue
            change = interval(row["diff_ci_low"], row["diff_ci_high"])
            diff = f"{'(base)':>12}" if i == 0 else f"{row['diff_vs_base']:>12.4g}  {change}"
            lines.append(
                f"  {row['scenario']:<{width - 2}}  {row['mean']:>10.4g}  "
                f"{interval(row['ci_low'], row['ci_high']):<22}  {diff}"
            )
    return "\n".join(lines)


def format_effects(effects: pd.DataFrame) -> str:
    """Main effects and two-way interactions per KPI, with their intervals."""
    level = f"{effects['confidence'].iloc[0]:.4g}"
    lines = [f"Factorial effects (paired over replications; intervals at {level}):"]
    for kpi, rows in effects.groupby("kpi", sort=False):
        lines.append(str(kpi))
        for row in rows.to_dict("records"):
            ci = interval(row["ci_low"], row["ci_high"])
            lines.append(f"  {row['effect']:<30} {row['estimate']:>10.4g}  {ci}")
    return "\n".join(lines)


def format_sensitivity(indices: pd.DataFrame, method: str, top: int = 5) -> str:
    """Per KPI, the ``top`` parameters by the method's main index, with the other indices
    and each one's 95% half-width where the method gives one."""
    shown = {"morris": ("mu_star", "sigma"), "sobol": ("ST", "S1"), "lhs": ("spearman",)}[method]
    lines = [f"Top {top} parameters per KPI by {shown[0]} ({method}); indices.csv has them all."]
    for kpi, rows in indices.groupby("kpi", sort=False):
        value = rows.pivot(index="param", columns="index", values="value")
        conf = rows.pivot(index="param", columns="index", values="conf")
        ranked = value[shown[0]].abs().sort_values(ascending=False).index[:top]
        lines.append(str(kpi))
        for param in ranked:
            cells = [f"{ix} {value[ix][param]:.3g}" + _half_width(conf[ix][param]) for ix in shown]
            lines.append(f"  {param:<48} " + "  ".join(f"{c:<22}" for c in cells).rstrip())
    return "\n".join(lines)


def _half_width(conf: float) -> str:
    return "" if pd.isna(conf) else f" ± {conf:.2g}"
