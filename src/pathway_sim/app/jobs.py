"""Replications in the background: the base and the what-if run pair by pair (the same
replication index, so common random numbers) on the server's workers (``Workers``),
in a thread that the page polls, so the page stays responsive and the intervals narrow
as it watches.

Each site's base replications are kept in a bounded cache for the server's life
(``BASE_CACHE``): a second what-if on the same site then only runs its own replications.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pathway_sim.core.errors import ScenarioError, UsageError
from pathway_sim.core.statistics import comparison_table
from pathway_sim.models import Scenario
from pathway_sim.models.perinatal.schema import PerinatalScenario
from pathway_sim.models.results import ReplicationResult
from pathway_sim.runs.executors import (
    Executor,
    ProcessExecutor,
    SerialExecutor,
    WorkerDied,
    process_pool,
    stop_workers,
)
from pathway_sim.runs.runner import replications_table, run_replication

RUNNING, DONE, STOPPED, FAILED = "running", "done", "stopped", "failed"
WORKERS_ENV = "PATHWAY_SIM_APP_WORKERS"
"""Worker processes of the server's pool (default: one per core; 1 runs in a thread)."""
MAX_CACHED_REPLICATIONS = 200
"""Base replications kept (about 0.2 MB each): two sites' worth at the app's most
replications, the oldest used dropped first."""


def replicate(scenario: Scenario, seed: int, index: int) -> ReplicationResult:
    """One replication (module level, so worker processes can import it by name)."""
    return run_replication(scenario, seed, index)


def nothing() -> None:
    """A task that starts a worker (which imports the runner), for ``Workers.warm``."""


def base_key(base: Scenario) -> str:
    """What a base replication's result depends on: the resolved scenario without its
    count of replications (replication ``i`` is the same whether 10 or 30 are run)."""
    data = base.model_dump(mode="json", exclude={"extends"})
    data["run"].pop("replications", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


class BaseCache:
    """(base key, replication index) -> result, at most ``limit`` of them, the least
    recently used dropped first; safe to use from every session's thread."""

    def __init__(self, limit: int = MAX_CACHED_REPLICATIONS) -> None:
        self.limit = limit
        self._results: OrderedDict[tuple[str, int], ReplicationResult] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, index: int) -> ReplicationResult | None:
        with self._lock:
            found = self._results.get((key, index))
            if found is not None:
                self._results.move_to_end((key, index))
            return found

    def put(self, key: str, index: int, result: ReplicationResult) -> None:
        with self._lock:
            self._results[key, index] = result
            self._results.move_to_end((key, index))
            while len(self._results) > self.limit:
                self._results.popitem(last=False)

    def __len__(self) -> int:
        return len(self._results)

    def clear(self) -> None:
        with self._lock:
            self._results.clear()


BASE_CACHE = BaseCache()


class Workers:
    """Where the server's runs replicate: one process pool of ``size`` workers shared by
    every run, or each run's own thread when ``size`` is 1."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._pool: Any = None
        self._lock = threading.Lock()

    def executor(self) -> Executor:
        if self.size == 1:
            return SerialExecutor()
        with self._lock:
            if self._pool is None:
                self._pool = process_pool(self.size)
            return ProcessExecutor(self._pool)

    def warm(self) -> None:
        """Start the workers now (from the thread that will outlive them: their parent),
        so the first Run does not wait for them to import the model."""
        if self.size > 1:
            calls = [(i, ()) for i in range(self.size)]
            list(self.executor().completed(nothing, calls))

    def renew(self) -> None:
        """After a worker died: the next run gets a new pool."""
        with self._lock:
            old, self._pool = self._pool, None
        if old is not None:
            old.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """End the workers at once (the server is stopping)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            stop_workers(pool)
            pool.shutdown(wait=False, cancel_futures=True)


def machine_workers() -> int:
    """The pool's size: ``PATHWAY_SIM_APP_WORKERS`` or the cores this process may use."""
    given = os.environ.get(WORKERS_ENV)
    if given:
        return int(given)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass
class Job:
    """One what-if against its base: the replications finished so far and the state."""

    base: PerinatalScenario
    whatif: PerinatalScenario
    workers: Workers
    base_results: dict[int, ReplicationResult] = field(default_factory=dict)
    whatif_results: dict[int, ReplicationResult] = field(default_factory=dict)
    state: str = RUNNING
    error: str | None = None
    started: float = field(default_factory=time.perf_counter)
    first_estimate_seconds: float | None = None
    wall_seconds: float | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _table: tuple[int, pd.DataFrame] | None = None
    _base_key: str = ""

    def __post_init__(self) -> None:
        self._base_key = base_key(self.base)

    @property
    def reps(self) -> int:
        return self.base.run.replications

    @property
    def done(self) -> int:
        """Paired replications finished: both scenarios have the index."""
        return len(self.paired())

    def paired(self) -> list[int]:
        return sorted(set(self.base_results) & set(self.whatif_results))

    def start(self, replicate_fn: Callable[..., ReplicationResult] | None = None) -> Job:
        """Run in a daemon thread; returns at once. ``replicate_fn`` defaults to this
        module's ``replicate``, looked up now (so a test can replace it)."""
        target = replicate_fn or replicate
        self._thread = threading.Thread(target=self._run, args=(target,), daemon=True)
        self._thread.start()
        return self

    def stop(self, wait: float = 30.0) -> None:
        """Ask the job to stop after the replications in flight; wait for it."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(wait)

    def wait(self, timeout: float) -> bool:
        """Block until the job ends (tests, precompute); True if it ended."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.state != RUNNING

    def _run(self, replicate_fn: Callable[..., ReplicationResult]) -> None:
        try:
            executor = self.workers.executor()
            for calls in self._batches():
                if self._stop.is_set():
                    break
                for (which, index), result in executor.completed(replicate_fn, calls):
                    self._keep(which, index, result)
            self.state = STOPPED if self.done < self.reps else DONE
        except WorkerDied:
            self.workers.renew()
            self.error, self.state = (
                "a worker process died (out of memory?); press Run again",
                FAILED,
            )
        except (ScenarioError, UsageError, ValueError, OSError, RuntimeError) as exc:
            self.error, self.state = _message(exc), FAILED
        except Exception as exc:  # the page shows it, never a traceback
            self.error, self.state = f"internal error: {_message(exc)}", FAILED
        self.wall_seconds = time.perf_counter() - self.started

    def _batches(self) -> Iterator[list[tuple[Any, tuple[Any, ...]]]]:
        """Calls in index order, in batches that fill the workers once: a pair per two
        workers, or one what-if per worker once the base is cached."""
        batch: list[tuple[Any, tuple[Any, ...]]] = []
        for i in range(self.reps):
            batch.extend(self._calls(i))
            if len(batch) >= self.workers.size:
                yield batch
                batch = []
        if batch:
            yield batch

    def _calls(self, i: int) -> list[tuple[Any, tuple[Any, ...]]]:
        seed = self.base.run.seed
        cached = BASE_CACHE.get(self._base_key, i)
        calls: list[tuple[Any, tuple[Any, ...]]] = []
        if cached is not None:
            self.base_results[i] = cached
        else:
            calls.append((("base", i), (self.base, seed, i)))
        calls.append((("whatif", i), (self.whatif, seed, i)))
        return calls

    def _keep(self, which: str, index: int, result: ReplicationResult) -> None:
        if which == "base":
            BASE_CACHE.put(self._base_key, index, result)
            self.base_results[index] = result
        else:
            self.whatif_results[index] = result
        if self.first_estimate_seconds is None and self.done >= 2:
            self.first_estimate_seconds = time.perf_counter() - self.started

    def replications(self) -> pd.DataFrame:
        """``replications.csv`` rows of both scenarios, paired replications only."""
        pairs = self.paired()
        base = replications_table(self.base.name, [self.base_results[i] for i in pairs])
        other = replications_table(self.whatif.name, [self.whatif_results[i] for i in pairs])
        return pd.concat([base, other], ignore_index=True)

    def comparison(self) -> pd.DataFrame | None:
        """``comparison.csv`` from the pairs done so far (None before two pairs)."""
        done = self.done
        if done < 2:
            return None
        if self._table is None or self._table[0] != done:  # the page asks every second
            self._table = (done, comparison_table(self.replications(), self.base.name))
        return self._table[1]


def _message(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
