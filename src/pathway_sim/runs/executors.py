"""Where replications run: in this process, in a process pool, or on a dask cluster.

Every executor takes the same calls and yields each result as it completes,
tagged by the caller, so the caller files results by tag and replication index
and the order of completion never reaches the outputs.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

from pathway_sim.core.errors import UsageError

ExecutorKind = Literal["serial", "processes", "dask"]
EXECUTORS: tuple[ExecutorKind, ...] = ("serial", "processes", "dask")

Tag = TypeVar("Tag", bound=Hashable)
Result = TypeVar("Result")
Call = tuple[Tag, tuple[object, ...]]
"""A tag chosen by the caller, and the arguments of one call."""

PR_SET_PDEATHSIG = 1
WATCHDOG_SECONDS = 1.0


class WorkerDied(Exception):
    """A worker process ended mid-task (killed, or out of memory): the replications
    finished so far are stored, so ``--resume`` continues from them."""

    def __str__(self) -> str:
        return (
            "a worker process died (killed, or out of memory?); the replications finished so "
            "far are kept: run the same command with --resume to continue"
        )


def tie_to_parent(main: int) -> None:
    """Make this worker end when the run's main process ``main`` ends, however it ends.

    On Linux the kernel kills the worker when its parent dies (``PR_SET_PDEATHSIG``;
    the parent is ``main`` itself, or the fork server or nanny that ``main`` started);
    everywhere a watchdog thread checks once a second that both still run. Ctrl-C is
    the main process's to handle (it stops the workers), so workers ignore SIGINT
    rather than each print a traceback.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    parent = os.getppid()
    if not _alive(main):  # it died before the line above
        os._exit(1)
    threading.Thread(target=_watch, args=(main, parent), daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _watch(main: int, parent: int) -> None:
    while os.getppid() == parent and _alive(main):
        time.sleep(WATCHDOG_SECONDS)
    os._exit(1)


def tied_to_parent_plugin(parent: int) -> Any:
    """A dask worker plugin that ties each worker of a local cluster to this process."""
    from distributed import WorkerPlugin

    class TiedToParent(WorkerPlugin):
        name = "pathway-sim-tied-to-parent"

        def setup(self, worker: Any) -> None:
            tie_to_parent(parent)

    return TiedToParent()


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
    local: bool
    """Whether its workers can write to this machine's results directory."""

    def completed(
        self, fn: Callable[..., Result], calls: Sequence[Call[Tag]]
    ) -> Iterator[tuple[Tag, Result]]: ...


class SerialExecutor:
    """Runs each call in this process, in order: the reference the others must match."""

    local = True

    def completed(
        self, fn: Callable[..., Result], calls: Sequence[Call[Tag]]
    ) -> Iterator[tuple[Tag, Result]]:
        for tag, args in calls:
            yield tag, fn(*args)


class ProcessExecutor:
    """A pool of worker processes on this machine."""

    local = True

    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self.pool = pool

    def completed(
        self, fn: Callable[..., Result], calls: Sequence[Call[Tag]]
    ) -> Iterator[tuple[Tag, Result]]:
        futures = {self.pool.submit(fn, *args): tag for tag, args in calls}
        try:
            for future in as_completed(futures):
                # popped: a finished future holds its result, which the caller keeps as it
                # chooses (a run stores most of it and keeps its KPIs)
                yield futures.pop(future), future.result()
        except BrokenProcessPool:
            raise WorkerDied() from None


class DaskExecutor:
    """Workers of a dask.distributed cluster: a local one, or one already running (whose
    workers may be on other machines, so results come back whole)."""

    local = False

    def __init__(self, client: Any) -> None:
        self.client = client

    def completed(
        self, fn: Callable[..., Result], calls: Sequence[Call[Tag]]
    ) -> Iterator[tuple[Tag, Result]]:
        # pure=False: equal arguments must still run as separate tasks.
        from distributed import KilledWorker
        from distributed import as_completed as dask_completed

        futures = {self.client.submit(fn, *args, pure=False): tag for tag, args in calls}
        try:
            for future in dask_completed(list(futures)):
                yield futures.pop(future), future.result()
                future.release()
        except KilledWorker:
            raise WorkerDied() from None
        finally:
            self.client.cancel([f for f in futures if not f.done()])  # those not yet yielded


class executing:
    """``with executing(spec) as executor:``: start the workers, and stop them after."""

    def __init__(self, spec: ExecutorSpec) -> None:
        self.spec = spec
        self._closers: list[Callable[[], object]] = []
        self._stoppers: list[Callable[[], None]] = []

    def __enter__(self) -> Executor:
        if self.spec.kind == "processes":
            pool = process_pool(self.spec.workers)
            self._closers.append(lambda: pool.shutdown(wait=True, cancel_futures=True))
            self._stoppers.append(lambda: stop_workers(pool))
            return ProcessExecutor(pool)
        if self.spec.kind == "dask":
            return DaskExecutor(self._dask_client())
        return SerialExecutor()

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is not None:  # Ctrl-C or an error: stop the workers now, do not wait
            for stop in self._stoppers:
                stop()
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
            # Workers inherit SIG_IGN (Ctrl-C is ours alone); a port taken by another
            # cluster is not the user's concern (the scheduler's HTTP server moves).
            with sigint_ignored(), warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Port .* is already in use")
                cluster = LocalCluster(
                    n_workers=self.spec.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.CRITICAL,
                )
            self._closers.append(cluster.close)
            client = Client(cluster)
            client.register_plugin(tied_to_parent_plugin(os.getpid()))
        self._closers.append(client.close)
        return client


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes tied to this one (``tie_to_parent``): they end when
    it ends, however it ends."""
    return ProcessPoolExecutor(
        workers, mp_context=process_context(), initializer=tie_to_parent, initargs=(os.getpid(),)
    )


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """End a pool's workers at once (Ctrl-C): their finished replications are stored."""
    for process in list(getattr(pool, "_processes", {}).values()):
        if process.is_alive():
            process.terminate()


class sigint_ignored:
    """``with sigint_ignored():`` processes started inside ignore Ctrl-C (SIG_IGN is
    inherited across fork and exec); this process's own handler is restored after."""

    def __enter__(self) -> None:
        self._previous = signal.signal(signal.SIGINT, signal.SIG_IGN)

    def __exit__(self, *exc: object) -> None:
        signal.signal(signal.SIGINT, self._previous)


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
