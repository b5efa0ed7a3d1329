"""Where replications run: in this process, in a process pool, or on a dask cluster.

Every executor takes the same calls and yields each result as it completes,
tagged by the caller, so the caller files results by tag and replication index
and the order of completion never reaches the outputs.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal, Protocol

from pathway_sim.core.errors import UsageError

ExecutorKind = Literal["serial", "processes", "dask"]
EXECUTORS: tuple[ExecutorKind, ...] = ("serial", "processes", "dask")

Call = tuple[Hashable, tuple[Any, ...]]
"""A tag chosen by the caller, and the arguments of one call."""


@dataclass(frozen=True)
class ExecutorSpec:
    """Which executor to use, with how many workers (and, for dask, which cluster)."""

    kind: ExecutorKind = "serial"
    workers: int = 1
    scheduler: str | None = None

    def manifest(self) -> dict[str, Any]:
        """What the run manifest records about where the replications ran."""
        info: dict[str, Any] = {"executor": self.kind, "workers": self.workers}
        if self.scheduler:
            info["scheduler"] = self.scheduler
        return info


def choose_executor(
    kind: str | None = None, workers: int | None = None, scheduler: str | None = None
) -> ExecutorSpec:
    """The executor the options ask for: processes when several workers are asked and no
    executor is named, dask when a scheduler address is given."""
    if workers is not None and workers < 1:
        raise UsageError(f"--workers: expected a whole number greater than 0, got {workers}")
    if kind is not None and kind not in EXECUTORS:
        raise UsageError(f"--executor: expected one of {', '.join(EXECUTORS)}, got {kind!r}")
    chosen: ExecutorKind
    if kind is None:
        chosen = "dask" if scheduler else "processes" if (workers or 1) > 1 else "serial"
    else:
        chosen = EXECUTORS[EXECUTORS.index(kind)]  # the same name, as an ExecutorKind
    kind = chosen
    if scheduler and kind != "dask":
        raise UsageError(f"--scheduler {scheduler} needs --executor dask, not {kind}")
    if kind == "serial" and (workers or 1) > 1:
        raise UsageError(
            f"--executor serial runs one replication at a time: drop --workers {workers} "
            "or choose --executor processes or dask"
        )
    default_workers = 1 if kind == "serial" else os.cpu_count() or 1
    return ExecutorSpec(chosen, workers or default_workers, scheduler)


class Executor(Protocol):
    def completed(
        self, fn: Callable[..., Any], calls: Sequence[Call]
    ) -> Iterator[tuple[Hashable, Any]]: ...


class SerialExecutor:
    """Runs each call in this process, in order: the reference the others must match."""

    def completed(
        self, fn: Callable[..., Any], calls: Sequence[Call]
    ) -> Iterator[tuple[Hashable, Any]]:
        for tag, args in calls:
            yield tag, fn(*args)


class ProcessExecutor:
    """A pool of worker processes on this machine."""

    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self.pool = pool

    def completed(
        self, fn: Callable[..., Any], calls: Sequence[Call]
    ) -> Iterator[tuple[Hashable, Any]]:
        futures = {self.pool.submit(fn, *args): tag for tag, args in calls}
        for future in as_completed(futures):
            yield futures[future], future.result()


class DaskExecutor:
    """Workers of a dask.distributed cluster: a local one, or one already running."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def completed(
        self, fn: Callable[..., Any], calls: Sequence[Call]
    ) -> Iterator[tuple[Hashable, Any]]:
        from distributed import as_completed as dask_completed

        # pure=False: equal arguments must still run as separate tasks.
        futures = {self.client.submit(fn, *args, pure=False): tag for tag, args in calls}
        try:
            for future in dask_completed(list(futures)):
                yield futures[future], future.result()
                future.release()
        finally:
            self.client.cancel([f for f in futures if not f.done()])


class executing:
    """``with executing(spec) as executor:``: start the workers, and stop them after."""

    def __init__(self, spec: ExecutorSpec) -> None:
        self.spec = spec
        self._closers: list[Callable[[], None]] = []

    def __enter__(self) -> Executor:
        if self.spec.kind == "processes":
            pool = ProcessPoolExecutor(self.spec.workers, mp_context=process_context())
            self._closers.append(lambda: pool.shutdown(wait=True, cancel_futures=True))
            return ProcessExecutor(pool)
        if self.spec.kind == "dask":
            return DaskExecutor(self._dask_client())
        return SerialExecutor()

    def __exit__(self, *exc: object) -> None:
        while self._closers:
            self._closers.pop()()

    def _dask_client(self) -> Any:
        from distributed import Client, LocalCluster

        if self.spec.scheduler:
            try:
                client = Client(self.spec.scheduler, timeout="10s")
            except OSError as exc:
                raise UsageError(
                    f"--scheduler {self.spec.scheduler}: could not reach a dask scheduler ({exc})"
                ) from None
        else:
            cluster = LocalCluster(
                n_workers=self.spec.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self._closers.append(partial(_close_ignoring_result, cluster))
            client = Client(cluster)
        self._closers.append(client.close)
        return client


def _close_ignoring_result(cluster: Any) -> None:
    """Close a dask cluster; its close returns an awaitable only in asynchronous mode."""
    cluster.close()


def process_context() -> multiprocessing.context.BaseContext:
    """How to start pool workers: chosen per pool, never for the whole process.

    Forking is fastest (workers start with everything imported) but unsafe once
    other threads run, since a lock one of them holds is never released in the
    child, and on macOS; then the fork server, which imports the main module and
    the runner once and forks each worker from that clean process.
    """
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["__main__", "pathway_sim.runs.runner"])
        return context
    return multiprocessing.get_context("spawn")
