"""Running a sensitivity design: every sample point's replications on any executor.

Each sample point is the base scenario with the point's parameter values, run
for the same replications from the same seed, so replication *i* of every
point meets the same random numbers and the point's KPI is the mean over its
replications. Points are stored by a digest of their resolved scenario and
seed (``DIR/points/<digest>/replications/``, one file per replication as it
completes), so ``--resume`` reuses whatever finished before, and a point that
occurs twice (the tornado's base, a repeated Morris step) runs once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from pathway_sim.core.errors import ScenarioError, UsageError
from pathway_sim.core.paths import within
from pathway_sim.experiments.run import DEFAULTS, Run, check_resumable, progress_bar, replicate
from pathway_sim.inputs.loading import to_yaml, with_changes
from pathway_sim.models import Scenario
from pathway_sim.runs import layout
from pathway_sim.runs.executors import executing
from pathway_sim.runs.options import RunOptions
from pathway_sim.runs.outputs import (
    manifest,
    remove_entry,
    remove_stale,
    write_csv,
    write_json,
    write_text,
)
from pathway_sim.runs.preflight import capped, check_kpis
from pathway_sim.runs.runner import replications_table
from pathway_sim.runs.store import identity
from pathway_sim.sensitivity.methods import (
    analyse,
    oat_points,
    problem,
    sample,
    to_values,
    tornado_table,
    uncertainty_table,
)
from pathway_sim.sensitivity.spec import SensitivitySpec

log = logging.getLogger("pathway_sim")


@dataclass(frozen=True)
class SensitivityResult:
    """The tables of a sensitivity run (``tornado`` and ``uncertainty`` may be None)."""

    spec: SensitivitySpec
    samples: pd.DataFrame
    indices: pd.DataFrame
    tornado: pd.DataFrame | None
    uncertainty: pd.DataFrame | None
    out: Path | None


FigureWriter = Callable[[SensitivityResult, Path], object]
"""Draws a result's figures into a folder (``reporting.sensitivity_plots.save_figures``)."""


def run_sensitivity(
    spec: SensitivitySpec, options: RunOptions = DEFAULTS, *, figures: FigureWriter | None = None
) -> SensitivityResult:
    """Sample, run every point, analyse; write the tables, then ``figures`` (drawn by a
    caller in the reporting layer), then ``manifest.json`` last, to ``options.out`` if
    given. The points keep no event log."""
    f = spec.file
    _check_kpis(spec)
    factors, prob = spec.factors, problem(spec.factors)
    rounded = [x.name for x in factors if x.integer]
    if rounded:
        log.info(
            "rounded to whole numbers (each equally likely in its range): %s", ", ".join(rounded)
        )
    design = sample(f.method, prob, f.samples, f.seed, f.levels, f.second_order)
    values: dict[str, np.ndarray] = {f.method: to_values(design, factors)}
    if f.tornado:
        values["oat"] = oat_points(factors)
    points = plan_points(spec, values)
    out = options.out
    if out is not None:
        stores: list[Path | None] = [out / layout.POINTS / key for key in points.scenarios]
        check_resumable(list(points.scenarios.values()), stores, False, options.resume)
        _prepare(out, options.resume)
    started = time.perf_counter()
    means = _run_points(spec, points, options)
    wall = time.perf_counter() - started
    kpis = _kpis(f.kpis, list(means[f.method].columns))
    samples = _samples_table(spec, values, means, kpis)
    indices = analyse(
        f.method, prob, design, means[f.method][kpis], f.seed, f.levels, f.second_order
    )
    tornado = tornado_table(factors, means["oat"][kpis]) if f.tornado else None
    uncertainty = uncertainty_table(means["lhs"][kpis]) if f.method == "lhs" else None
    result = SensitivityResult(spec, samples, indices, tornado, uncertainty, out)
    if out is not None:
        _write(result, out, options, wall, len(samples), figures)
    return result


def _kpis(chosen: list[str], reported: list[str]) -> list[str]:
    unknown = [k for k in chosen if k not in reported]
    if unknown:
        raise UsageError(
            f"kpis: unknown KPI {', '.join(unknown)}; this model reports: {', '.join(reported)}"
        )
    return chosen or reported


def _check_kpis(spec: SensitivitySpec) -> None:
    """Catch a KPI unknown to the base's model before anything runs."""
    check_kpis(spec.base, spec.file.kpis, f"{spec.file.name}: kpis")


def _prepare(out: Path, resume: bool) -> None:
    """Clear an earlier run's files; without ``resume`` also its stored points."""
    remove_stale(out, layout.SENSITIVITY_FILES)
    points = within(out, out / layout.POINTS)
    if not resume and points.is_dir() and any(points.iterdir()):
        log.info(
            "starting afresh: discarding the stored points in %s (--resume reuses them)", points
        )
        remove_entry(out, points)


def point_scenario(spec: SensitivitySpec, row: np.ndarray, label: str) -> Scenario:
    """The base with one point's values (whole numbers for integer parameters)."""
    changes = {
        f.name: int(v) if f.integer else float(v) for f, v in zip(spec.factors, row, strict=True)
    }
    try:
        return with_changes(spec.base, changes, label)
    except ScenarioError as exc:
        raise UsageError(
            f"{spec.sources[0] if spec.sources else spec.file.name}: parameters: {label} is "
            f"not a valid scenario: {exc}"
        ) from None


def point_key(scenario: Scenario) -> str:
    """What identifies a point's replications: the resolved scenario and seed."""
    text = json.dumps(identity(scenario, False), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Points:
    """Every design's points as keys, and each distinct point's validated scenario."""

    keys: dict[str, list[str]]
    scenarios: dict[str, Scenario]


def plan_points(spec: SensitivitySpec, values: dict[str, np.ndarray]) -> Points:
    """Validate every point of every design (before any directory is touched)."""
    keys: dict[str, list[str]] = {}
    scenarios: dict[str, Scenario] = {}
    for design, rows in values.items():
        keys[design] = []
        for i, row in enumerate(rows):
            scenario = point_scenario(spec, row, f"{design} point {i}")
            key = point_key(scenario)
            keys[design].append(key)
            scenarios.setdefault(key, scenario)
    return Points(keys, scenarios)


def _run_points(
    spec: SensitivitySpec, points: Points, options: RunOptions
) -> dict[str, pd.DataFrame]:
    """Each design's KPI means, one row per point in design order."""
    keys, out = points.keys, options.out
    runs: dict[str, Run] = {}
    for key, scenario in points.scenarios.items():
        where = out / layout.POINTS / key if out is not None else None
        runs[key] = Run.start(scenario, where, False, options.resume)
    reps = spec.file.replications
    executor = capped(options.executor_spec, len(runs) * reps)
    ordered = list(runs.values())
    done = sum(r.done(reps) for r in ordered)
    total = len(ordered) * reps
    with executing(executor) as pool, progress_bar(total, done, options.progress) as bar:
        replicate(ordered, [reps] * len(ordered), pool, bar)
    means = {k: _kpi_means(r, reps) for k, r in runs.items()}
    return {d: pd.DataFrame([means[k] for k in ks]) for d, ks in keys.items()}


def _kpi_means(run: Run, reps: int) -> pd.Series:
    table = replications_table(run.scenario.name, run.results(reps))
    return table.drop(columns=["scenario", "replication", "seed", "women"]).mean()


def _samples_table(
    spec: SensitivitySpec,
    values: dict[str, np.ndarray],
    means: dict[str, pd.DataFrame],
    kpis: list[str],
) -> pd.DataFrame:
    """``samples.csv``: point id, design, the values run, the replications, the KPI means."""
    tables = []
    for design, rows in values.items():
        table = pd.DataFrame(rows, columns=spec.names)
        for f in spec.factors:
            if f.integer:
                table[f.name] = table[f.name].astype(int)
        table.insert(0, "design", design)
        table["replications"] = spec.file.replications
        tables.append(pd.concat([table, means[design][kpis]], axis=1))
    samples = pd.concat(tables, ignore_index=True)
    samples.insert(0, "point", range(len(samples)))
    return samples


def parameters_table(spec: SensitivitySpec) -> pd.DataFrame:
    """``parameters.csv``: each factor's range, base value, unit and whether it is rounded."""
    return pd.DataFrame(
        [{"param": f.name, "low": f.low, "high": f.high, "base_value": f.base, "unit": f.unit,
          "integer": f.integer, "range_from": f.range_source} for f in spec.factors]
    )  # fmt: skip


def _write(
    result: SensitivityResult,
    out: Path,
    options: RunOptions,
    wall: float,
    points: int,
    figures: FigureWriter | None,
) -> None:
    spec, f = result.spec, result.spec.file
    write_text(out / layout.SENSITIVITY_FILE, spec.source_text)
    write_text(out / layout.SCENARIO, to_yaml(spec.base))
    write_csv(out / layout.PARAMETERS, parameters_table(spec))
    write_csv(out / layout.SAMPLES, result.samples)
    write_csv(out / layout.INDICES, result.indices)
    if result.tornado is not None:
        write_csv(out / layout.TORNADO, result.tornado)
    if result.uncertainty is not None:
        write_csv(out / layout.UNCERTAINTY, result.uncertainty)
    if figures is not None:
        figures(result, out / layout.FIGURES)
    sensitivity = {
        "name": f.name, "method": f.method, "samples": f.samples, "levels": f.levels,
        "second_order": f.second_order, "parameters": spec.names, "points": points,
        "salib_version": metadata.version("SALib"),
        "resolved_file": f.model_dump(mode="json"),
    }  # fmt: skip
    info = manifest(
        spec.base,
        f.seed,
        f.replications,
        wall,
        **options.executor_spec.manifest(),
        sensitivity=sensitivity,
    )
    write_json(out / layout.MANIFEST, info)
