"""Writing the results directory: every file written whole or not at all.

Each file is written to a hidden temporary name in the same directory, flushed
to disk and renamed over its final name, so a file that exists is complete. The
files' names are ``runs/layout.py``'s; ``runs/reader.py`` reads them back.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import platform
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import IO, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pathway_sim.core.paths import within
from pathway_sim.core.statistics import summarise
from pathway_sim.core.version import __version__
from pathway_sim.inputs.evidence import kpi_evidence
from pathway_sim.inputs.loading import to_yaml
from pathway_sim.models import Scenario
from pathway_sim.models.perinatal.schema import PerinatalScenario
from pathway_sim.models.results import EVENT_COLUMNS, ReplicationResult
from pathway_sim.runs import layout
from pathway_sim.runs.formats import DEFAULT_EVENT_LOG_FORMAT, EVENT_LOG_FORMATS
from pathway_sim.runs.runner import (
    replications_table,
    services_table,
    weekly_tables,
    women_table,
)

LIBRARIES = ("simpy", "numpy", "pandas", "pydantic", "scipy", "PyYAML", "dask", "distributed")
TEMPORARY_SUFFIX = ".tmp"


def atomic_write(path: Path, write: Callable[[IO[Any]], None], binary: bool = False) -> None:
    """Write ``path`` through ``write(handle)`` so that it appears only when complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}{TEMPORARY_SUFFIX}")
    # created afresh ("x"): never written through a link planted under its name
    tmp.unlink(missing_ok=True)
    try:
        with open(tmp, "xb") if binary else open(tmp, "x", encoding="utf-8", newline="") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if exc.filename is not None or exc.errno is None:
            raise
        # a failed write names no file (a full disk, a file-size limit): name the one meant
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    finally:
        tmp.unlink(missing_ok=True)


def remove_stale(out: Path, names: Sequence[str] = layout.RUN_FILES) -> None:
    """Remove the files of an earlier run in ``out`` (and temporary files a killed run
    left), so that the directory never mixes whole files from two runs. A symlink is
    removed, never followed, so nothing outside ``out`` is deleted."""
    for name in names:
        remove_entry(out, out / name)
    if out.is_dir():
        for tmp in out.glob(f".*{TEMPORARY_SUFFIX}"):
            tmp.unlink(missing_ok=True)


def remove_entry(out: Path, path: Path) -> None:
    """Delete a file or directory of ``out`` (a symlink itself, not its target)."""
    within(out, path.parent, "delete")
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def write_text(path: Path, text: str) -> None:
    def write(handle: IO[str]) -> None:
        handle.write(text)

    atomic_write(path, write)


def write_bytes(path: Path, data: bytes) -> None:
    def write(handle: IO[bytes]) -> None:
        handle.write(data)

    atomic_write(path, write, binary=True)


def write_csv(path: Path, table: pd.DataFrame) -> None:
    """CSV with shortest round-trip floats, so identical results give identical bytes."""
    atomic_write(path, lambda h: table.to_csv(h, index=False, lineterminator="\n"))


CATEGORICAL_EVENT_COLUMNS = ("event_type", "event", "service", "location", "outcome", "detail")
EVENT_DTYPES: dict[str, Any] = {
    "run": "int32",
    "entity_id": "int32",
    "time": "float64",
    "resource_id": "Int32",
    "value": "float64",
}
"""The event log's column types (``data/event_log.schema.json``): the others categories."""


def typed_events(events: pd.DataFrame) -> pd.DataFrame:
    """The event log's columns with their types: integers, floats, categories."""
    for column in events.columns:
        if column in CATEGORICAL_EVENT_COLUMNS:
            events[column] = events[column].fillna("").astype(str).astype("category")
        else:
            events[column] = events[column].astype(EVENT_DTYPES[column])
    return events


def events_frame(results: Sequence[ReplicationResult]) -> pd.DataFrame:
    """The event log of ``results`` as one typed table, in replication order."""
    rows = [row for r in sorted(results, key=lambda r: r.replication) for row in r.events]
    return typed_events(pd.DataFrame(rows, columns=list(EVENT_COLUMNS)))


def _event_schema() -> pa.Schema:
    """The Arrow schema of every event-log part: categories as int32-indexed dictionaries
    (whatever one replication's count of categories), and the pandas types (``Int32``)
    restored on reading."""
    typed = pa.Schema.from_pandas(events_frame([]), preserve_index=False)
    text = pa.dictionary(pa.int32(), pa.string())
    fields = [pa.field(f.name, text) if f.name in CATEGORICAL_EVENT_COLUMNS else f for f in typed]
    return pa.schema(fields, metadata=typed.metadata)


EVENT_SCHEMA = _event_schema()


def event_table(result: ReplicationResult) -> pa.Table:
    """One replication's event log as an Arrow table of ``EVENT_SCHEMA``."""
    return pa.Table.from_pandas(events_frame([result]), schema=EVENT_SCHEMA, preserve_index=False)


def parquet_bytes(table: pa.Table) -> bytes:
    """``table`` as a zstd Parquet file's bytes (the same table, the same bytes)."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def write_events(out: Path, parts: Iterable[pa.Table], fmt: str) -> Path:
    """Write the event log into ``out`` from its parts (one table per replication, in
    replication order), holding one part at a time: Parquet (zstd, dictionary-encoded
    categories, a row group per replication) or gzip CSV (missing values empty; no
    timestamp in the header, so equal logs give equal bytes); return its path."""
    path = out / EVENT_LOG_FORMATS[fmt]

    def write_parquet(handle: IO[bytes]) -> None:
        with pq.ParquetWriter(handle, EVENT_SCHEMA, compression="zstd") as writer:
            for part in parts:
                writer.write_table(part)

    def write_csv_gz(handle: IO[bytes]) -> None:
        with (
            gzip.GzipFile(fileobj=handle, mode="wb", mtime=0) as raw,
            io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
        ):
            text.write(",".join(EVENT_COLUMNS) + "\n")
            for part in parts:
                part.to_pandas().to_csv(text, header=False, index=False, lineterminator="\n")

    atomic_write(path, write_parquet if fmt == "parquet" else write_csv_gz, binary=True)
    return path


def write_json(path: Path, data: object) -> None:
    write_text(path, json.dumps(data, indent=2, sort_keys=False) + "\n")


def scenario_digest(scenario: Scenario) -> str:
    """A fingerprint of the resolved scenario, to tell whether two runs are the same."""
    return hashlib.sha256(to_yaml(scenario).encode()).hexdigest()


def manifest(
    scenario: Scenario, seed: int, replications: int, wall_seconds: float, **extra: object
) -> dict[str, Any]:
    """Provenance of a run: what ran, from which seed, with what software; ``extra`` adds
    what the command records (JSON values)."""
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
    scenario: Scenario,
    results: Sequence[ReplicationResult],
    run_manifest: dict[str, Any],
    event_parts: Iterable[pa.Table] | None = None,
    event_log_format: str = DEFAULT_EVENT_LOG_FORMAT,
) -> pd.DataFrame:
    """Write the ``run`` output contract into ``out``; return the summary table.
    ``event_parts``, each replication's event log in order, are streamed into the
    event log, in ``event_log_format``, when given (else it was written already, or not
    asked for).

    A perinatal run also gets ``kpi_evidence.csv``: which KPIs rest mainly on
    assumption-status parameters of the register.
    """
    reps = replications_table(scenario.name, results)
    summary = summarise(reps)
    write_text(out / layout.SCENARIO, to_yaml(scenario))
    write_csv(out / layout.REPLICATIONS, reps)
    write_csv(out / layout.SUMMARY, summary)
    write_csv(out / layout.SERVICES, services_table(scenario.name, results))
    women = women_table(scenario.name, results)
    if not women.empty:
        write_csv(out / layout.WOMEN, women)
    if event_parts is not None:
        write_events(out, event_parts, event_log_format)
    for name, table in weekly_tables(scenario.name, results).items():
        if not table.empty:  # only with the event log
            write_csv(out / name, table)
    if isinstance(scenario, PerinatalScenario):
        write_csv(out / layout.KPI_EVIDENCE, kpi_evidence())
    write_json(out / layout.MANIFEST, run_manifest)
    return summary
