"""Replications in the background: the base and the what-if run pair by pair (the same
replication index, so common random numbers) on the project's executors, in a thread
that the page polls, so the page stays responsive and the intervals narrow as it watches.

The site's base replications are kept for the server's life (``BASE_CACHE``): a second
what-if on the same site then only runs its own replications.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pathway_sim.core.errors import ScenarioError, UsageError
from pathway_sim.core.statistics import comparison_table
from pathway_sim.inputs.loading import to_yaml
from pathway_sim.models import Scenario
from pathway_sim.models.perinatal.schema import PerinatalScenario
from pathway_sim.models.results import ReplicationResult
from pathway_sim.runs.executors import ExecutorSpec, executing
from pathway_sim.runs.runner import replications_table, run_replication

BASE_CACHE: dict[tuple[str, int], ReplicationResult] = {}
"""(resolved base YAML, replication index) -> result; identical inputs, identical result."""
_CACHE_LOCK = threading.Lock()
RUNNING, DONE, STOPPED, FAILED = "running", "done", "stopped", "failed"


def replicate(scenario: Scenario, seed: int, index: int) -> ReplicationResult:
    """One replication (module level, so worker processes can import it by name)."""
    return run_replication(scenario, seed, index)


_WARMED = threading.Event()


def _nothing() -> None:
    """A task for ``warm``: its worker has imported the runner, which is the point."""


def warm(spec: ExecutorSpec) -> None:
    """Start the workers' fork server (it imports the model once) in the background, once
    per server, so the presenter's first Run does not wait for it."""
    if spec.kind != "processes" or _WARMED.is_set():
        return
    _WARMED.set()

    def run() -> None:
        with executing(ExecutorSpec("processes", 1)) as executor:
            list(executor.completed(_nothing, [(0, ())]))

    threading.Thread(target=run, daemon=True).start()


@dataclass
class Job:
    """One what-if against its base: the replications finished so far and the state."""

    base: PerinatalScenario
    whatif: PerinatalScenario
    spec: ExecutorSpec
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
        if self._thread is not None:
            self._thread.join(wait)

    def wait(self, timeout: float) -> bool:
        """Block until the job ends (tests, precompute); True if it ended."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.state != RUNNING

    def _run(self, replicate_fn: Callable[..., ReplicationResult]) -> None:
        try:
            with executing(self.spec) as executor:
                for calls in self._batches():
                    if self._stop.is_set():
                        break
                    for (which, index), result in executor.completed(replicate_fn, calls):
                        self._keep(which, index, result)
            self.state = STOPPED if self.done < self.reps else DONE
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
            if len(batch) >= self.spec.workers:
                yield batch
                batch = []
        if batch:
            yield batch

    def _calls(self, i: int) -> list[tuple[Any, tuple[Any, ...]]]:
        seed = self.base.run.seed
        cached = BASE_CACHE.get((to_yaml(self.base), i))
        calls: list[tuple[Any, tuple[Any, ...]]] = []
        if cached is not None:
            self.base_results[i] = cached
        else:
            calls.append((("base", i), (self.base, seed, i)))
        calls.append((("whatif", i), (self.whatif, seed, i)))
        return calls

    def _keep(self, which: str, index: int, result: ReplicationResult) -> None:
        if which == "base":
            with _CACHE_LOCK:
                BASE_CACHE[(to_yaml(self.base), index)] = result
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
