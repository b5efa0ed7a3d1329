"""Processes (issue 13, class 9): workers never outlive the run, a dead worker or Ctrl-C
gives one clear line, and what finished is kept for --resume."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from .conftest import MMC

LONG = ["--set", "run.horizon_days=800", "--set", "run.warmup_days=10", "--seed", "3"]


def start_run(out: Path, *options: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "pathway_sim", "run", str(MMC), "--reps", "40", *LONG]
    return subprocess.Popen(
        [*command, *options, "--out", str(out)],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_replications(proc: subprocess.Popen, out: Path, count: int) -> None:
    deadline = time.monotonic() + 120
    while len(list((out / "replications").glob("rep-*.json"))) < count:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline, "no replication finished in time"
        time.sleep(0.05)


def descendants(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def ended(process: psutil.Process) -> bool:
    """Gone, or a zombie (dead, waiting for a parent that may never reap it)."""
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def all_gone(processes: list[psutil.Process], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not all(ended(p) for p in processes):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killing_the_main_process_ends_its_pool_workers(tmp_path, how):
    proc = start_run(tmp_path / "R", "--workers", "2")
    workers: list[psutil.Process] = []
    try:
        wait_for_replications(proc, tmp_path / "R", 1)
        workers = descendants(proc.pid)
        assert workers, "the pool has no workers"
        os.kill(proc.pid, how)  # the main process only, not its process group
        proc.wait(timeout=30)
        assert all_gone(workers), [w.pid for w in workers if w.is_running()]
    finally:
        for process in [psutil.Process(proc.pid), *workers] if proc.poll() is None else workers:
            with contextlib.suppress(psutil.Error):
                process.kill()


@pytest.mark.slow
def test_a_dead_worker_says_so_in_one_line_and_resume_continues(tmp_path):
    out = tmp_path / "R"
    proc = start_run(out, "--workers", "2")
    wait_for_replications(proc, out, 2)
    descendants(proc.pid)[-1].kill()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert "a worker process died" in err and "--resume" in err
    assert "Traceback" not in err and "BrokenProcessPool" not in err
    command = [sys.executable, "-m", "pathway_sim", "run", str(MMC), "--reps", "40", *LONG]
    resumed = subprocess.run(
        [*command, "--workers", "2", "--out", str(out), "--resume", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert resumed.returncode == 0, resumed.stderr
    reference = subprocess.run(
        [*command, "--out", str(tmp_path / "ref"), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert reference.returncode == 0, reference.stderr
    for name in ("replications.csv", "summary.csv", "services.csv"):
        assert (out / name).read_bytes() == (tmp_path / "ref" / name).read_bytes()


@pytest.mark.parametrize(
    "executor", ["processes", pytest.param("dask", marks=pytest.mark.slow)]
)  # a local dask cluster takes seconds to start
def test_ctrl_c_exits_130_with_one_line(tmp_path, executor):
    out = tmp_path / "R"
    proc = start_run(out, "--workers", "2", "--executor", executor)
    try:
        wait_for_replications(proc, out, 1)
        workers = descendants(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines == ["pathway-sim: interrupted"], err
    assert all_gone(workers)


def test_a_second_run_into_a_directory_in_use_is_refused_naming_the_lock(tmp_path):
    out = tmp_path / "R"
    first = start_run(out, "--reps", "400")
    try:
        wait_for_replications(first, out, 1)
        command = [sys.executable, "-m", "pathway_sim", "run", str(MMC), "--reps", "2"]
        second = subprocess.run(
            [*command, "--seed", "9", "--out", str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert first.poll() is None, "the first run ended too soon for this test"
        assert second.returncode == 2, second.stderr
        assert f"pid {first.pid}" in second.stderr and ".pathway-sim.lock" in second.stderr
        assert "Traceback" not in second.stderr
        os.killpg(first.pid, signal.SIGINT)
        first.communicate(timeout=60)
        assert first.returncode == 130
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    assert not (out / ".pathway-sim.lock").exists()  # released on Ctrl-C
    identity = json.loads((out / "replications" / "identity.json").read_text())
    assert identity["seed"] == 3  # only the first run's replications are stored
