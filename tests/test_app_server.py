"""The app as a server (issue 29): it sends nothing anywhere, stops with its process, and
bounds what it holds: one pool of workers for every session, a cap on runs at once, a
bounded store of runs whose files leave with them, and a bounded cache of base
replications. Runs outlive the browser session that started them.
"""

from __future__ import annotations

import base64
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import psutil
import pytest

pytest.importorskip("streamlit", reason="the app extra is not installed: pip install .[app]")
from streamlit.testing.v1 import AppTest

from pathway_sim.app import jobs, levers, page, server, store
from pathway_sim.models.results import ReplicationResult

from .test_app_browser import free_port, wait_until_serving
from .test_hostile_processes import all_gone

SITE, LEVER = "northern_city", "kr8_text_reminders"


@pytest.fixture(autouse=True)
def fresh_server():
    store.close_server()
    yield
    store.close_server()


def what_if(name: str, reps: int = 2) -> tuple:
    return levers.build(levers.WhatIf(SITE, [LEVER], {}, {}, reps, name))


def websocket_status(port: int, origin: str) -> str:
    """The status line the server answers a websocket upgrade from ``origin`` with."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /_stcore/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: {origin}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request.encode())
        return sock.recv(200).decode(errors="replace").splitlines()[0]


# --- nothing sent anywhere -------------------------------------------------------------------

REFUSE_LOOKUPS = """
import os, socket
_lookup = socket.getaddrinfo
def _refuse(host, *args, **kwargs):
    if host not in (None, "localhost", "127.0.0.1", "::1", "0.0.0.0", b"localhost"):
        with open(os.environ["LOOKUPS_LOG"], "a") as log:
            log.write(f"{host}\\n")
        raise OSError("this test refuses every lookup of a host on the network")
    return _lookup(host, *args, **kwargs)
socket.getaddrinfo = _refuse
"""


@pytest.mark.slow
def test_a_foreign_origin_is_refused_without_looking_anything_up(tmp_path):
    patch = tmp_path / "patch"
    patch.mkdir()
    (patch / "sitecustomize.py").write_text(REFUSE_LOOKUPS)
    log = tmp_path / "lookups.log"
    port = free_port()
    path = os.pathsep.join([str(patch), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, page.WORKERS_ENV: "1", "HOME": str(tmp_path), "LOOKUPS_LOG": str(log),
           "PYTHONPATH": path}  # fmt: skip
    with (tmp_path / "server.log").open("w") as out:
        process = subprocess.Popen(server.command(port), env=env, stdout=out, stderr=out)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}", process, 90)
        assert "403" in websocket_status(port, "http://evil.example")
        assert "101" in websocket_status(port, f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        process.wait(30)
    assert not log.exists(), log.read_text()  # the lookup was never tried


# --- stopping with its process ---------------------------------------------------------------


@pytest.mark.slow
def test_sigterm_to_pathway_sim_app_ends_the_server_and_its_workers(tmp_path):
    port = free_port()
    env = {**os.environ, page.WORKERS_ENV: "2", "HOME": str(tmp_path), "TMPDIR": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "pathway_sim", "app", "--port", str(port)],
        env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    workers: list[psutil.Process] = []
    try:
        wait_until_serving(f"http://127.0.0.1:{port}", process, 90)
        workers = psutil.Process(process.pid).children(recursive=True)
        assert workers, "the pool's workers start with the server"
        os.kill(process.pid, signal.SIGTERM)  # the pid alone, as a service manager does
        process.wait(60)
        assert all_gone(workers), [w.pid for w in workers if w.is_running()]
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        for worker in workers:
            if worker.is_running():
                worker.kill()
    assert not list(tmp_path.glob("pathway-sim-app-*"))


# --- one pool, a cap on runs at once, a bounded store ---------------------------------------


def test_every_run_shares_one_pool_sized_to_the_machine(monkeypatch):
    monkeypatch.delenv(page.WORKERS_ENV, raising=False)
    assert jobs.machine_workers() == len(os.sched_getaffinity(0))
    shared = jobs.Workers(2)
    try:
        first, second = shared.executor(), shared.executor()
        assert first.pool is second.pool  # type: ignore[attr-defined]
    finally:
        shared.close()


@pytest.fixture
def held(monkeypatch) -> threading.Event:
    """Replications that wait until the event is set (each run stays running)."""
    release = threading.Event()

    def waiting(scenario, seed, index):
        release.wait(60)
        return ReplicationResult(replication=index, seed=seed, women=1, kpis={"x": 1.0})

    monkeypatch.setattr(jobs, "replicate", waiting)
    monkeypatch.setenv(page.WORKERS_ENV, "1")
    yield release
    release.set()


def test_runs_at_once_are_capped_over_every_session_with_a_clear_message(held):
    runs = [store.server().start(*what_if(f"run {i}")) for i in range(store.MAX_RUNNING)]
    with pytest.raises(store.Busy, match=f"already running {store.MAX_RUNNING} what-ifs"):
        store.server().start(*what_if("one too many"))
    assert store.server().start(*what_if("run 0")) is runs[0]  # the same choice: the same run
    held.set()
    assert all(r.job.wait(30) for r in runs)
    store.server().start(*what_if("one too many"))  # room again


def test_a_run_leaving_the_store_takes_its_files_and_close_takes_the_rest(held, monkeypatch):
    monkeypatch.setattr(store, "MAX_RUNS", 2)
    held.set()
    kept = []
    for i in range(3):
        run = store.server().start(*what_if(f"run {i}"))
        assert run.job.wait(30)
        (store.server().folder(run) / "report.html").write_text("x")
        kept.append(run)
    assert [r.label for r in store.server().runs()] == ["run 1", "run 2"]
    with pytest.raises(store.UsageError, match="left the server's store"):
        store.server().folder(kept[0])
    root = store.server().folder(kept[2]).parent
    assert not (root / kept[0].key).exists() and (root / kept[2].key / "report.html").exists()
    store.close_server()
    assert not root.exists()


def test_the_store_is_removed_when_the_process_exits(tmp_path):
    code = (
        "from pathway_sim.app import store\n"
        "from pathway_sim.app.levers import WhatIf, build\n"
        "s = store.server()\n"
        f"run = s.start(*build(WhatIf('{SITE}', ['{LEVER}'], {{}}, {{}}, 2, 'x')))\n"
        "run.job.stop(0)\n"
        "print(s.folder(run))\n"
    )
    env = {**os.environ, page.WORKERS_ENV: "1", "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=False, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert not Path(done.stdout.strip()).exists()
    assert not list(tmp_path.glob("pathway-sim-app-*"))


def test_base_replications_are_cached_whatever_the_count_and_bounded():
    ten, thirty = what_if("a", reps=10)[0], what_if("a", reps=30)[0]
    assert jobs.base_key(ten) == jobs.base_key(thirty)
    assert jobs.base_key(ten) != jobs.base_key(levers.site_scenario("london_borough"))
    cache = jobs.BaseCache(limit=3)
    result = ReplicationResult(replication=0, seed=1, women=1, kpis={})
    for i in range(5):
        cache.put("k", i, result)
    cache.get("k", 2)  # used: kept
    cache.put("k", 5, result)
    assert len(cache) == 3 and cache.get("k", 2) is result and cache.get("k", 3) is None


# --- runs outlive the browser session --------------------------------------------------------


@pytest.mark.slow
def test_a_refresh_shows_the_run_again(monkeypatch):
    monkeypatch.setenv(page.WORKERS_ENV, "1")
    monkeypatch.delenv(server.RESULTS_ENV, raising=False)
    first = AppTest.from_file(str(Path(page.__file__)), default_timeout=60)
    first.run()
    first.number_input(key="reps").set_value(2)
    first.checkbox(key=f"lever:{LEVER}").check()
    first.text_input(key="name").set_value("Kept")
    first.run()
    first.button(key="run").click().run()
    key = first.session_state["current"]
    assert first.query_params[page.RUN_PARAM] in (key, [key])  # the address names the run
    assert store.server().get(key).job.wait(60)
    refreshed = AppTest.from_file(str(Path(page.__file__)), default_timeout=60)
    refreshed.query_params[page.RUN_PARAM] = key
    refreshed.run()
    assert any(h.value.startswith("Kept against") for h in refreshed.subheader)
    assert any("2 paired replications" in s.value for s in refreshed.success)
    assert "Kept" in refreshed.multiselect(key="compare").options


# --- presets the page could not show ---------------------------------------------------------

PRESET_CASES = {
    "not UTF-8": (b"\xff\xfe\x00bad", "not a table pathway-sim wrote"),
    "no columns": (b"a,b\n1,2\n", "expected the columns kpi, scenario"),
    "empty": (b"", "not a table pathway-sim wrote"),
    "header only": (b"kpi,scenario,mean,ci_low,ci_high,diff_vs_base,diff_ci_low,diff_ci_high,"
                    b"diff_ci_unpaired_low,diff_ci_unpaired_high,diff_confidence,correction\n",
                    "found none"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(PRESET_CASES))
def test_app_refuses_presets_it_cannot_show_before_serving(tmp_path, capsys, case):
    from pathway_sim.cli.main import main

    content, needle = PRESET_CASES[case]
    table = tmp_path / "presets" / "site" / "comparison.csv"
    table.parent.mkdir(parents=True)
    table.write_bytes(content)
    assert main(["app", "--results", str(tmp_path / "presets")]) == 2
    err = capsys.readouterr().err
    assert str(table) in err and needle in err and "Traceback" not in err


def test_the_page_shows_presets_it_cannot_read_as_an_error(tmp_path, monkeypatch):
    table = tmp_path / "site" / "comparison.csv"
    table.parent.mkdir()
    table.write_bytes(b"a,b\n1,2\n")
    monkeypatch.setenv(server.RESULTS_ENV, str(tmp_path))
    monkeypatch.setenv(page.WORKERS_ENV, "1")
    at = AppTest.from_file(str(Path(page.__file__)), default_timeout=60)
    at.run()
    assert not at.exception
    assert any("comparison" in e.value and "expected the columns" in e.value for e in at.error)
