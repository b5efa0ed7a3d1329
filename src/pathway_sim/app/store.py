"""What the app's server holds for its life, shared by every browser session: one pool
of workers sized to the machine (``jobs.Workers``), and a bounded store of runs with
their files.

A run is kept under a key made from what it compares (``run_key``), so a refresh, a
second tab or another session finds it again; at most ``MAX_RUNNING`` run at once
(``Busy`` says so otherwise) and at most ``MAX_RUNS`` are kept, the oldest finished run
leaving first. Each run's files (its results directory, report, example journeys) are
written in its own folder under one temporary folder of the server, removed when the
run leaves the store and, all of it, when the server stops (``close``).
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pathway_sim.app import jobs
from pathway_sim.core.errors import UsageError
from pathway_sim.core.text import printable
from pathway_sim.inputs.loading import to_yaml
from pathway_sim.models.perinatal.schema import PerinatalScenario

MAX_RUNNING = 3
"""Runs replicating at once, over every browser session: they share the pool."""
MAX_RUNS = 20
MAX_KEPT_REPLICATIONS = 1_000
"""Runs kept, and replications of theirs held (about 0.2 MB each), over every session."""


class Busy(UsageError):
    """The server runs as many what-ifs as it allows at once."""


def run_key(base: PerinatalScenario, whatif: PerinatalScenario) -> str:
    """A run's key: what it compares (the resolved base and what-if, replications and
    seed included), so the same choice finds the same run from any session."""
    text = to_yaml(base) + "\n---\n" + to_yaml(whatif)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class StoredRun:
    """One run as the server keeps it: its key, label, job and the files made from it."""

    key: str
    label: str
    job: jobs.Job
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    """Downloads prepared from the finished run: file name -> (bytes, MIME type)."""


class RunStore:
    """The server's runs, oldest first, bounded; see the module's docstring."""

    def __init__(self, workers: jobs.Workers) -> None:
        self.workers = workers
        self._runs: dict[str, StoredRun] = {}
        self._lock = threading.Lock()
        self._folder: Path | None = None

    def start(self, base: PerinatalScenario, whatif: PerinatalScenario) -> StoredRun:
        """Run ``whatif`` against ``base``, or give back the run that already compares
        them (unless it stopped or failed: then it runs again). ``Busy`` if the server
        already runs ``MAX_RUNNING``."""
        key = run_key(base, whatif)
        with self._lock:
            found = self._runs.get(key)
            if found is not None and found.job.state in (jobs.RUNNING, jobs.DONE):
                return found
            running = sum(r.job.state == jobs.RUNNING for r in self._runs.values())
            if running >= MAX_RUNNING:
                raise Busy(
                    f"the server is already running {running} what-ifs (at most {MAX_RUNNING} "
                    "at once, so each gets a share of the machine): wait for one to finish or "
                    "stop one, then press Run again"
                )
            replaced = [found] if found is not None else []
            for old in replaced:
                self._forget(old)
            label = self._unique(printable(whatif.label or whatif.name))
            run = StoredRun(key, label, jobs.Job(base, whatif, self.workers))
            self._runs[key] = run
            evicted = replaced + self._evict()
        for old in evicted:
            self._remove_files(old)
        run.job.start()
        return run

    def get(self, key: str | None) -> StoredRun | None:
        with self._lock:
            return self._runs.get(key or "")

    def runs(self) -> list[StoredRun]:
        """Every run kept, oldest first."""
        with self._lock:
            return list(self._runs.values())

    def folder(self, run: StoredRun) -> Path:
        """The run's own folder for its files (created; removed when the run leaves)."""
        with self._lock:
            if self._runs.get(run.key) is not run:
                raise UsageError(f"{run.label}: this run has left the server's store; run it again")
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="pathway-sim-app-"))
            path = self._folder / run.key
            path.mkdir(exist_ok=True)
        return path

    def close(self) -> None:
        """Stop every run and the workers, and remove every file the runs made."""
        for run in self.runs():
            run.job.stop(wait=0)
        self.workers.close()
        with self._lock:
            folder, self._folder = self._folder, None
            self._runs.clear()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    def _evict(self) -> list[StoredRun]:
        """Drop the oldest finished runs beyond the bounds (never a running one)."""
        evicted = []
        for run in list(self._runs.values()):
            held = sum(len(r.job.whatif_results) for r in self._runs.values())
            if len(self._runs) <= MAX_RUNS and held <= MAX_KEPT_REPLICATIONS:
                break
            if run.job.state != jobs.RUNNING:
                self._forget(run)
                evicted.append(run)
        return evicted

    def _forget(self, run: StoredRun) -> None:
        del self._runs[run.key]
        run.files = {}

    def _remove_files(self, run: StoredRun) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder / run.key, ignore_errors=True)

    def _unique(self, label: str) -> str:
        taken = {r.label for r in self._runs.values()}
        n, found = 2, label
        while found in taken:
            found, n = f"{label} ({n})", n + 1
        return found


_SERVER: dict[str, RunStore] = {}
_SERVER_LOCK = threading.Lock()


def server() -> RunStore:
    """The server's one store of runs (and its workers), made on first use; closed when
    the process exits."""
    with _SERVER_LOCK:
        if "store" not in _SERVER:
            _SERVER["store"] = RunStore(jobs.Workers(jobs.machine_workers()))
        return _SERVER["store"]


@atexit.register
def close_server() -> None:
    """Stop the server's runs and workers, remove their files and forget the cached base
    replications (at exit; a new store is made if the page asks again)."""
    with _SERVER_LOCK:
        found = _SERVER.pop("store", None)
    if found is not None:
        found.close()
    jobs.BASE_CACHE.clear()
