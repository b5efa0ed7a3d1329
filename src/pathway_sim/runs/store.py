"""Finished replications kept one file each, so a run killed at any point can resume.

``DIR/replications/`` holds ``identity.json`` (what was being run: the resolved
scenario without its replication count, the seed, whether the event log was
kept, the package version) and one ``rep-NNNNN.json`` per finished replication,
each written whole or not at all; with the event log, ``events-NNNNN.parquet`` beside
it holds that replication's rows, written first (by the worker itself with a local
executor, so the rows never reach the main process) and named in the JSON by its
SHA-256. The run's event log is assembled from these parts, one at a time, so a resumed
run writes the same event log as an uninterrupted one.

A results directory may come from someone else, so a stored replication is plain
JSON data, never code (no pickle): floats are written by ``repr``, which reads back
to the identical float, so a resumed run writes the same bytes. Each file carries
``sha256``, the SHA-256 of the run identity's digest and the replication's canonical
JSON (``checksum``), and is refused on load (exit 2, naming it) if the two disagree:
a file changed by accident, or mixed in from another run.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pathway_sim.core.errors import UsageError
from pathway_sim.core.paths import within
from pathway_sim.core.version import __version__
from pathway_sim.models import Scenario
from pathway_sim.models.results import ReplicationResult
from pathway_sim.runs import layout
from pathway_sim.runs.outputs import (
    TEMPORARY_SUFFIX,
    atomic_write,
    event_table,
    parquet_bytes,
    write_events,
    write_json,
    write_text,
)

log = logging.getLogger("pathway_sim")

IDENTITY = "identity.json"
"""What was being run, at the top of the store (``identity``)."""
FORMAT = "pathway-sim replication v4"
"""v4: the event log's weekly counts in the JSON; v3 had event-log rows in a Parquet part beside
it, v2 held them in it (v1-v3 refused)."""
MAX_STORED_BYTES = 2_000_000_000
"""A stored replication larger than this is not read (a results directory is input)."""


def identity(scenario: Scenario, event_log: bool) -> dict[str, Any]:
    """What must match for stored replications to be reused.

    The replication count is left out, so a resumed run may ask for more (or
    fewer) replications than were stored.
    """
    resolved = scenario.model_dump(mode="json", exclude={"extends"})
    seed = resolved["run"].pop("seed")
    resolved["run"].pop("replications")
    return {
        "pathway_sim_version": __version__,
        "seed": seed,
        "event_log": event_log,
        "scenario": resolved,
    }


def identity_digest(wanted: dict[str, Any]) -> str:
    """SHA-256 of a run identity's JSON with sorted keys."""
    text = json.dumps(wanted, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def canonical(data: Any) -> str:
    """Compact JSON with ``repr`` floats, keys in their order (the order of the KPI
    columns): the same data, the same bytes, before and after a round trip."""
    return json.dumps(data, separators=(",", ":"), default=_plain)


def _plain(value: Any) -> Any:
    """numpy scalars as the Python numbers they equal (nothing else is stored)."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"a replication holds a {type(value).__name__}, which JSON cannot store")


def checksum(digest: str, record: dict[str, Any]) -> str:
    """SHA-256 over the run identity's digest and the replication's canonical JSON."""
    return hashlib.sha256(f"{digest}\n{canonical(record)}".encode()).hexdigest()


def to_record(result: ReplicationResult) -> dict[str, Any]:
    return {
        "replication": result.replication,
        "seed": result.seed,
        "women": result.women,
        "kpis": result.kpis,
        "services": result.services,
        "woman_rows": result.woman_rows,
        "events_sha256": result.events_sha256,
        "engagement_weeks": result.engagement_weeks,
        "burden_weeks": result.burden_weeks,
    }


def from_record(record: dict[str, Any]) -> ReplicationResult:
    return ReplicationResult(
        replication=record["replication"],
        seed=record["seed"],
        women=record["women"],
        kpis=record["kpis"],
        services=record["services"],
        woman_rows=record["woman_rows"],
        events_sha256=record["events_sha256"],
        engagement_weeks=record["engagement_weeks"],
        burden_weeks=record["burden_weeks"],
    )


def without_rows(result: ReplicationResult) -> ReplicationResult:
    """``result`` with its KPIs and service rows only: what a run keeps in memory once the
    rest is stored (per-woman and weekly rows are most of a replication's size)."""
    return replace(result, woman_rows=[], events=[], engagement_weeks=[], burden_weeks=[])


def events_part(directory: Path, index: int) -> Path:
    """Where replication ``index``'s event-log rows are kept in a store directory."""
    return directory / f"events-{index:05d}.parquet"


def save_events(directory: Path, result: ReplicationResult) -> ReplicationResult:
    """Write ``result``'s event-log rows to their part in ``directory`` (whole or not at
    all); return it without them, naming the part by its SHA-256."""
    data = parquet_bytes(event_table(result))

    def write(handle: IO[bytes]) -> None:
        handle.write(data)

    atomic_write(events_part(directory, result.replication), write, binary=True)
    return replace(result, events=[], events_sha256=hashlib.sha256(data).hexdigest())


def event_parts(directory: Path, reps: int) -> Iterator[pa.Table]:
    """The event-log parts of replications ``0 .. reps-1`` in store ``directory``, in order,
    one at a time."""
    for index in range(reps):
        yield pq.read_table(events_part(directory, index))


def assemble_event_log(directory: Path, out: Path, reps: int, fmt: str) -> Path:
    """Write ``out``'s event log, in format ``fmt``, from the parts in store ``directory``:
    a task for a worker process, so the main process never reads them (reading Parquet
    leaves some 50 MB of buffers in a process)."""
    return write_events(out, event_parts(directory, reps), fmt)


def replicate_keeping_events(
    replicate_fn: Callable[..., ReplicationResult],
    parts: Path | None,
    scenario: Scenario,
    seed: int,
    index: int,
    event_log: bool,
) -> ReplicationResult:
    """Run one replication where the executor put it; with ``parts`` (a store directory
    this process can write), its event-log rows go there rather than back to the caller."""
    result = replicate_fn(scenario, seed, index, event_log)
    return save_events(parts, result) if event_log and parts is not None else result


class ReplicationStore:
    """The finished replications of one run directory."""

    def __init__(self, out: Path) -> None:
        self.directory = within(out, out / layout.STORE)
        self._digest = ""

    def check(self, wanted: dict[str, Any], resume: bool) -> None:
        """Refuse (``UsageError``), without changing anything, a resume this store
        cannot serve: another run's replications, an identity missing or unreadable,
        replications in the old pickle format, or one that fails its checksum."""
        if not resume or not self.directory.is_dir():
            return
        stored = self._identity()
        if stored is None and (self._files() or self._pickles()):
            raise UsageError(
                f"--resume: {self.directory} holds replications but no identity.json, so "
                "they cannot be checked against this run; run without --resume to start afresh"
            )
        if self._pickles():
            raise UsageError(
                f"--resume: {self.directory} holds replications in the old pickle format "
                "(rep-*.pkl), which is never loaded since it can run code; run without "
                "--resume to start afresh"
            )
        if stored is not None and stored != wanted:
            raise UsageError(
                f"--resume: {self.directory} holds replications of a different run "
                f"({'; '.join(differences(stored, wanted))}); use another --out directory, "
                "or run without --resume to start afresh"
            )
        self._digest = identity_digest(wanted)
        self._load()  # every stored replication verified now, before anything is changed

    def open(self, wanted: dict[str, Any], resume: bool) -> dict[int, ReplicationResult]:
        """Prepare the store for the run ``wanted`` describes; return what can be reused.

        With ``resume``, stored replications of the same run are reused (each verified
        against its checksum) and any other run's are refused (``UsageError``).
        Without it the run starts afresh, discarding what was stored, and says so.
        """
        self.check(wanted, resume)
        self._digest = identity_digest(wanted)
        if resume and self._identity() is not None:
            loaded = self._load()
            self._remove_leftovers()
            return loaded
        finished = len(self._files()) + len(self._pickles())
        if finished:
            log.info(
                "starting afresh: discarding %d finished replications in %s (--resume reuses them)",
                finished,
                self.directory,
            )
        self._clear()
        write_json(self.directory / IDENTITY, wanted)
        return {}

    def save(self, result: ReplicationResult) -> ReplicationResult:
        """Keep ``result`` (its event-log rows in their part, if it still holds them);
        return it as kept, without the rows."""
        if result.events:  # gathered from a worker that could not write here
            result = save_events(self.directory, result)
        body = canonical(to_record(result))
        sha = hashlib.sha256(f"{self._digest}\n{body}".encode()).hexdigest()
        head = canonical({"format": FORMAT, "identity_sha256": self._digest, "sha256": sha})
        write_text(self._path(result.replication), f'{head[:-1]},"replication":{body}}}\n')
        return result

    def load(self, index: int) -> ReplicationResult:
        """Replication ``index`` as kept, verified again (its rows are read back for the
        run's tables rather than held in memory while the others run)."""
        return self._verified(self._path(index))

    def event_parts(self, reps: int) -> Iterator[pa.Table]:
        """The event-log parts of replications ``0 .. reps-1``, in order, one at a time."""
        return event_parts(self.directory, reps)

    def _path(self, index: int) -> Path:
        return self.directory / f"rep-{index:05d}.json"

    def _files(self) -> list[Path]:
        return sorted(self.directory.glob("rep-*.json")) if self.directory.is_dir() else []

    def _pickles(self) -> list[Path]:
        return sorted(self.directory.glob("rep-*.pkl")) if self.directory.is_dir() else []

    def _identity(self) -> dict[str, Any] | None:
        path = self.directory / IDENTITY
        if not path.is_file():
            return None
        try:
            data = json.loads(_read_bounded(path))
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise UsageError(
                f"{path}: not a pathway-sim run identity (unreadable JSON); "
                "run without --resume to start afresh"
            ) from None
        if not isinstance(data, dict):
            raise UsageError(f"{path}: not a pathway-sim run identity (expected a JSON object)")
        return data

    def _load(self) -> dict[int, ReplicationResult]:
        results = {}
        for path in self._files():
            result = self._verified(path)
            results[result.replication] = result
        return results

    def _verified(self, path: Path) -> ReplicationResult:
        """One stored replication, refused unless whole, of this run and unchanged."""
        refuse = (
            f"--resume: {path} is not a replication of this run ({{}}); delete it to run that "
            "replication again, or run without --resume to start afresh"
        )
        try:
            stored = json.loads(_read_bounded(path))
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise UsageError(refuse.format("unreadable JSON")) from None
        if not isinstance(stored, dict) or stored.get("format") != FORMAT:
            raise UsageError(refuse.format(f"expected format {FORMAT!r}"))
        record = stored.get("replication")
        if stored.get("identity_sha256") != self._digest:
            raise UsageError(refuse.format("written by a different run"))
        if not isinstance(record, dict) or stored.get("sha256") != checksum(self._digest, record):
            raise UsageError(refuse.format("its checksum does not match: changed since written"))
        try:
            result = from_record(record)
        except (KeyError, TypeError):
            raise UsageError(refuse.format("fields missing")) from None
        if not _whole_numbers(result) or path.name != self._path(result.replication).name:
            raise UsageError(refuse.format("its replication number does not match its name"))
        if result.events_sha256 and not self._part_matches(result):
            raise UsageError(
                refuse.format(
                    f"its event log {events_part(self.directory, result.replication).name} "
                    "is missing or changed since written"
                )
            )
        return result

    def _part_matches(self, result: ReplicationResult) -> bool:
        part = events_part(self.directory, result.replication)
        if not part.is_file() or part.stat().st_size > MAX_STORED_BYTES:
            return False
        return hashlib.sha256(part.read_bytes()).hexdigest() == result.events_sha256

    def _remove_leftovers(self) -> None:
        for leftover in self.directory.glob(f".*{TEMPORARY_SUFFIX}"):  # a killed write
            leftover.unlink()

    def _clear(self) -> None:
        if self.directory.is_dir():
            self._remove_leftovers()
        for path in [*self._files(), *self._pickles(), *self._parts()]:
            path.unlink()

    def _parts(self) -> list[Path]:
        return sorted(self.directory.glob("events-*.parquet")) if self.directory.is_dir() else []


def _read_bounded(path: Path) -> str:
    if path.stat().st_size > MAX_STORED_BYTES:
        raise ValueError("too large")
    return path.read_text(encoding="utf-8")


def _whole_numbers(result: ReplicationResult) -> bool:
    """The identifying numbers are whole numbers (JSON could hold anything)."""
    numbers = (result.replication, result.seed, result.women)
    return all(isinstance(n, int) and not isinstance(n, bool) for n in numbers)


def differences(stored: Any, wanted: Any, path: str = "") -> list[str]:
    """Where two identities differ, as ``dotted.path: stored X, now Y`` lines."""
    if isinstance(stored, dict) and isinstance(wanted, dict):
        return [
            line
            for key in [*stored, *(k for k in wanted if k not in stored)]
            for line in differences(
                stored.get(key), wanted.get(key), f"{path}.{key}" if path else key
            )
        ]
    if stored == wanted:
        return []
    return [f"{path}: stored {stored!r}, now {wanted!r}"]
