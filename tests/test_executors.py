"""Executors: the same bytes from serial, a process pool and a dask cluster, in any order."""

import contextlib
import gc
import logging
import os
import threading
import time
import weakref

import pytest

from pathway_sim import api
from pathway_sim.core.errors import UsageError
from pathway_sim.experiments.run import run_scenarios
from pathway_sim.inputs.loading import load_scenario
from pathway_sim.runs.executors import (
    ExecutorSpec,
    choose_executor,
    executing,
    process_context,
)
from pathway_sim.runs.options import RunOptions
from pathway_sim.runs.runner import run_replication

from .conftest import MMC, SCENARIOS, SHORT

CONTRACT = ("replications.csv", "summary.csv", "services.csv")


def test_workers_choose_processes_and_a_scheduler_chooses_dask():
    assert choose_executor(None, None, None) == ExecutorSpec("serial", 1)
    assert choose_executor(None, 2, None) == ExecutorSpec("processes", 2)
    assert choose_executor(None, 3, "tcp://h:8786") == ExecutorSpec("dask", 3, "tcp://h:8786")
    assert choose_executor("processes", 1, None) == ExecutorSpec("processes", 1)


@pytest.mark.parametrize(
    "kind, workers, scheduler, message",
    [
        ("serial", 2, None, "--executor serial runs one replication at a time"),
        ("processes", 2, "tcp://h:1", "--scheduler tcp://h:1 needs --executor dask"),
        ("threads", None, None, "--executor: expected one of serial, processes, dask"),
        (None, 0, None, "--workers: expected a whole number greater than 0"),
    ],
)
def test_contradictory_executor_options_are_refused(kind, workers, scheduler, message):
    with pytest.raises(UsageError, match=message):
        choose_executor(kind, workers, scheduler)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--executor", "threads"], "invalid choice: 'threads'"),
        (["--workers", "0"], "--workers"),
        (["--executor", "serial", "--workers", "2"], "runs one replication at a time"),
    ],
)
def test_bad_executor_options_exit_2(capsys, tmp_path, argv, message):
    from pathway_sim.cli.main import main

    try:
        code = main(["run", str(MMC), *argv, "--out", str(tmp_path)])
    except SystemExit as exc:  # argparse rejects some options before the command runs
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "replications").exists()


def slow_early_replications(scenario, seed, index, event_log=False):
    """Early replications finish last, so completion order is the reverse of index order."""
    time.sleep(0.25 * (6 - index))
    return run_replication(scenario, seed, index, event_log)


def completion_order(out):
    files = sorted((out / "replications").glob("rep-*.json"), key=lambda p: p.stat().st_mtime_ns)
    return [int(p.stem.split("-")[1]) for p in files]


@pytest.fixture(scope="module")
def serial_bytes(tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    api.run(MMC, reps=6, seed=4, overrides=SHORT, out=out)
    return {name: (out / name).read_bytes() for name in CONTRACT}


@contextlib.contextmanager
def another_thread():
    """A second thread running, as in a notebook or beside a dask client."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@pytest.mark.slow
@pytest.mark.parametrize("start", ["fork", "forkserver"])
def test_process_pool_gives_serial_bytes_whatever_the_completion_order(
    tmp_path, serial_bytes, start
):
    if start == "fork" and threading.active_count() > 1:
        pytest.skip("a thread left by an earlier test rules out forking here")
    scenario = api.resolve(MMC, SHORT, reps=6, seed=4)
    options = RunOptions(executor="processes", workers=2)
    with another_thread() if start == "forkserver" else contextlib.nullcontext():
        assert process_context().get_start_method() == start
        run_scenarios([scenario], [tmp_path], options, replicate_fn=slow_early_replications)
    order = completion_order(tmp_path)
    assert sorted(order) == list(range(6)) and order != sorted(order)  # really out of order
    assert {name: (tmp_path / name).read_bytes() for name in CONTRACT} == serial_bytes
    assert '"executor": "processes"' in (tmp_path / "manifest.json").read_text()


@pytest.mark.slow
def test_local_dask_cluster_gives_serial_bytes(tmp_path, serial_bytes):
    api.run(MMC, reps=6, seed=4, overrides=SHORT, out=tmp_path, executor="dask", workers=2)
    assert {name: (tmp_path / name).read_bytes() for name in CONTRACT} == serial_bytes
    manifest = (tmp_path / "manifest.json").read_text()
    assert '"executor": "dask"' in manifest and '"workers": 2' in manifest


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as cluster, distributed.Client(cluster) as client:  # fmt: skip
        yield cluster, client


@pytest.mark.slow
def test_existing_dask_cluster_runs_every_replication_on_its_workers(
    tmp_path, serial_bytes, dask_cluster
):
    from distributed import get_task_stream

    cluster, client = dask_cluster
    with get_task_stream(client) as stream:
        api.run(
            MMC, reps=6, seed=4, overrides=SHORT, out=tmp_path, scheduler=cluster.scheduler_address
        )
    assert {name: (tmp_path / name).read_bytes() for name in CONTRACT} == serial_bytes
    tasks = [t for t in stream.data if t["key"].startswith("replicate_keeping_events")]
    assert len(tasks) == 6 and len({t["worker"] for t in tasks}) == 2
    assert os.getpid() not in client.run(os.getpid).values()


@pytest.mark.slow
def test_event_logs_gathered_from_dask_workers_match_those_workers_write_themselves(tmp_path):
    options = {"reps": 3, "seed": 3, "event_log": True,
               "overrides": ("population.women_per_year=40", "population.cohort_days=120",
                             "run.warmup_days=60")}  # fmt: skip
    base = SCENARIOS / "base.yaml"
    api.run(base, out=tmp_path / "dask", executor="dask", workers=2, **options)
    api.run(base, out=tmp_path / "serial", **options)
    logs = [(tmp_path / d / "events.parquet").read_bytes() for d in ("dask", "serial")]
    assert logs[0] == logs[1]
    assert len(list((tmp_path / "dask" / "replications").glob("events-*.parquet"))) == 3


def test_a_process_pool_keeps_no_result_it_has_handed_over():
    """Each result is the caller's once yielded: the executor holds no reference to it, so
    a run that stores most of each replication does not hold them all in memory."""

    seen: list[weakref.ref] = []
    scenario = load_scenario(MMC, overrides=SHORT)
    calls = [(i, (scenario, 1, i, False)) for i in range(4)]
    with executing(ExecutorSpec("processes", 2)) as executor:
        for _, result in executor.completed(run_replication, calls):
            gc.collect()
            assert all(ref() is None for ref in seen)  # the earlier ones are gone
            seen.append(weakref.ref(result))
            del result
    assert len(seen) == 4
