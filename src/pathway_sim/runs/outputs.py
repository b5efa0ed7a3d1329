"""The results directory: every file written whole or not at all.

Each file is written to a hidden temporary name in the same directory, flushed
to disk and renamed over its final name, so a file that exists is complete.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import platform
import sys
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import IO, Any

import pandas as pd

from pathway_sim import __version__
from pathway_sim.core.statistics import summarise
from pathway_sim.inputs.evidence import kpi_evidence
from pathway_sim.inputs.loading import to_yaml
from pathway_sim.models.perinatal.schema import PerinatalScenario
from pathway_sim.models.results import EVENT_COLUMNS, ReplicationResult
from pathway_sim.runs.runner import replications_table, services_table, women_table

LIBRARIES = ("simpy", "numpy", "pandas", "pydantic", "scipy", "PyYAML", "dask", "distributed")
TEMPORARY_SUFFIX = ".tmp"
RUN_FILES = (
    "scenario.yaml",
    "replications.csv",
    "summary.csv",
    "services.csv",
    "women.csv",
    "events.csv",
    "precision.csv",
    "manifest.json",
)
"""Files a finished run leaves in its directory; ``manifest.json`` is written last."""


def atomic_write(path: Path, write: Callable[[IO[Any]], None], binary: bool = False) -> None:
    """Write ``path`` through ``write(handle)`` so that it appears only when complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}{TEMPORARY_SUFFIX}")
    try:
        with open(tmp, "wb") if binary else open(tmp, "w", encoding="utf-8", newline="") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def remove_stale(out: Path, names: Sequence[str] = RUN_FILES) -> None:
    """Remove the files of an earlier run in ``out`` (and temporary files a killed run
    left), so that the directory never mixes whole files from two runs."""
    for name in names:
        (out / name).unlink(missing_ok=True)
    if out.is_dir():
        for tmp in out.glob(f".*{TEMPORARY_SUFFIX}"):
            tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> None:
    def write(handle: IO[Any]) -> None:
        handle.write(text)

    atomic_write(path, write)


def write_csv(path: Path, table: pd.DataFrame) -> None:
    """CSV with shortest round-trip floats, so identical results give identical bytes."""
    atomic_write(path, lambda h: table.to_csv(h, index=False, lineterminator="\n"))


def write_events(path: Path, results: Sequence[ReplicationResult]) -> None:
    """``events.csv`` written row by row: the same bytes as through a DataFrame
    (floats shortest round-trip, minimal quoting; the log has no missing values,
    which a DataFrame would write empty) in about half the time."""

    def write(handle: IO[str]) -> None:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(EVENT_COLUMNS)
        for result in sorted(results, key=lambda r: r.replication):
            writer.writerows(result.events)

    atomic_write(path, write)


def write_json(path: Path, data: Any) -> None:
    write_text(path, json.dumps(data, indent=2, sort_keys=False) + "\n")


def scenario_digest(scenario: Any) -> str:
    """A fingerprint of the resolved scenario, to tell whether two runs are the same."""
    return hashlib.sha256(to_yaml(scenario).encode()).hexdigest()


def manifest(
    scenario: Any, seed: int, replications: int, wall_seconds: float, **extra: Any
) -> dict[str, Any]:
    """Provenance of a run: what ran, from which seed, with what software."""
    versions: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "pathway_sim_version": __version__,
        "scenario": scenario.name,
        "scenario_sha256": scenario_digest(scenario),
        "seed": seed,
        "replications": replications,
        "wall_seconds": round(wall_seconds, 3),
        **extra,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "libraries": versions,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": sys.argv[1:],
    }


def write_run(
    out: Path,
    scenario: Any,
    results: Sequence[ReplicationResult],
    run_manifest: dict[str, Any],
    event_log: bool = False,
) -> pd.DataFrame:
    """Write the ``run`` output contract into ``out``; return the summary table.

    A perinatal run also gets ``kpi_evidence.csv``: which KPIs rest mainly on
    assumption-status parameters of the register.
    """
    reps = replications_table(scenario.name, results)
    summary = summarise(reps)
    write_text(out / "scenario.yaml", to_yaml(scenario))
    write_csv(out / "replications.csv", reps)
    write_csv(out / "summary.csv", summary)
    write_csv(out / "services.csv", services_table(scenario.name, results))
    women = women_table(scenario.name, results)
    if not women.empty:
        write_csv(out / "women.csv", women)
    if event_log:
        write_events(out / "events.csv", results)
    if isinstance(scenario, PerinatalScenario):
        write_csv(out / "kpi_evidence.csv", kpi_evidence())
    write_json(out / "manifest.json", run_manifest)
    return summary
