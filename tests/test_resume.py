"""Resume and integrity: a killed run leaves nothing that looks whole, and resumes exactly."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from pathway_sim import api

from .conftest import MMC, SCENARIOS, SHORT, short_options

CONTRACT = ("replications.csv", "summary.csv", "services.csv")


def contract_bytes(out):
    return {name: (out / name).read_bytes() for name in CONTRACT}


def manifest(out):
    return json.loads((out / "manifest.json").read_text())


@pytest.mark.slow
def test_a_run_killed_mid_way_resumes_to_the_uninterrupted_result(tmp_path):
    longer = ["run.horizon_days=600", "run.warmup_days=10"]
    options = [
        "--reps",
        "30",
        "--seed",
        "7",
        "--set",
        longer[0],
        "--set",
        longer[1],
        "--workers",
        "2",
    ]
    out = tmp_path / "killed"
    command = [sys.executable, "-m", "pathway_sim", "run", str(MMC), *options, "--out", str(out)]
    proc = subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    store = out / "replications"
    deadline = time.monotonic() + 120
    while len(list(store.glob("rep-*.json"))) < 4:
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "no replication finished in time"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its workers, mid-way
    proc.wait()

    finished = sorted(store.glob("rep-*.json"))
    assert 4 <= len(finished) < 30
    for path in finished:  # every stored replication is whole
        assert json.loads(path.read_text())["replication"]["seed"] == 7
    assert not (out / "manifest.json").exists() and not (out / "replications.csv").exists()

    resumed = subprocess.run([*command, "--resume"], capture_output=True, text=True, check=False)
    assert resumed.returncode == 0, resumed.stderr
    reference = tmp_path / "uninterrupted"
    api.run(MMC, reps=30, seed=7, overrides=longer, out=reference)
    assert contract_bytes(out) == contract_bytes(reference)
    assert len(finished) <= manifest(out)["resumed_replications"] < 30


def test_resume_refuses_another_seed_or_scenario_and_leaves_the_results(cli, tmp_path):
    assert cli("run", MMC, "--reps", "2", *short_options(), "--out", tmp_path, "--quiet")[0] == 0
    before = contract_bytes(tmp_path)
    code, _, err = cli(
        "run", MMC, "--reps", "2", "--seed", "2", *short_options(), "--out", tmp_path, "--resume"
    )
    assert code == 2 and str(tmp_path / "replications") in err and "seed: stored 1, now 2" in err
    code, _, err = cli(
        "run", MMC, "--reps", "2", *short_options(), "--set", "services.clinic.staff=4",
        "--out", tmp_path, "--resume",
    )  # fmt: skip
    assert code == 2 and "scenario.services.clinic.staff: stored 3, now 4" in err
    assert "Traceback" not in err
    assert contract_bytes(tmp_path) == before


def test_resume_with_more_replications_reuses_those_finished(cli, tmp_path):
    cli("run", MMC, "--reps", "3", *short_options(), "--out", tmp_path / "a", "--quiet")
    assert (
        cli("run", MMC, "--reps", "5", *short_options(), "--out", tmp_path / "a", "--resume")[0]
        == 0
    )
    cli("run", MMC, "--reps", "5", *short_options(), "--out", tmp_path / "b", "--quiet")
    assert contract_bytes(tmp_path / "a") == contract_bytes(tmp_path / "b")
    assert manifest(tmp_path / "a")["resumed_replications"] == 3
    assert manifest(tmp_path / "b")["resumed_replications"] == 0


def test_without_resume_a_directory_of_another_run_starts_afresh_and_says_so(cli, tmp_path):
    cli(
        "run",
        MMC,
        "--reps",
        "2",
        *short_options(),
        "--set",
        "services.clinic.staff=4",
        "--out",
        tmp_path / "a",
    )
    code, _, err = cli("run", MMC, "--reps", "2", *short_options(), "--out", tmp_path / "a")
    assert code == 0 and "starting afresh: discarding 2 finished replications" in err
    cli("run", MMC, "--reps", "2", *short_options(), "--out", tmp_path / "b", "--quiet")
    assert contract_bytes(tmp_path / "a") == contract_bytes(tmp_path / "b")


def test_leftovers_of_a_killed_write_are_ignored_and_cleared(cli, tmp_path):
    cli("run", MMC, "--reps", "2", *short_options(), "--out", tmp_path, "--quiet")
    torn = tmp_path / "replications" / ".rep-00002.json.999.tmp"
    torn.write_bytes(b"half a pick")
    (tmp_path / ".summary.csv.999.tmp").write_text("kpi,me")
    (tmp_path / "manifest.json").unlink()  # as if killed before the end
    assert cli("run", MMC, "--reps", "3", *short_options(), "--out", tmp_path, "--resume")[0] == 0
    assert not torn.exists() and not list(tmp_path.glob(".*.tmp"))
    assert manifest(tmp_path)["resumed_replications"] == 2


def test_resume_needs_a_results_directory():
    with pytest.raises(Exception, match="--resume needs the results directory"):
        api.run(MMC, reps=1, overrides=SHORT, resume=True)


SMALL_PERINATAL = ("population.women_per_year=40", "population.cohort_days=120",
                   "run.warmup_days=60")  # fmt: skip


def test_a_resumed_event_log_is_the_uninterrupted_one_and_its_rows_stay_in_the_store(tmp_path):
    base, options = (
        SCENARIOS / "base.yaml",
        {"seed": 3, "overrides": SMALL_PERINATAL, "event_log": True},
    )
    api.run(base, reps=2, out=tmp_path / "resumed", **options)
    (tmp_path / "resumed" / "replications" / "rep-00001.json").unlink()  # as if killed
    api.run(base, reps=3, out=tmp_path / "resumed", resume=True, **options)
    api.run(base, reps=3, out=tmp_path / "whole", **options)
    api.run(base, reps=3, out=tmp_path / "pooled", workers=2, **options)
    logs = [(tmp_path / d / "events.parquet").read_bytes() for d in ("resumed", "whole", "pooled")]
    assert logs[0] == logs[1] == logs[2]
    record = json.loads((tmp_path / "whole" / "replications" / "rep-00000.json").read_text())
    assert "events" not in record["replication"]
    assert len(record["replication"]["events_sha256"]) == 64


def test_a_changed_event_log_part_is_refused_on_resume(cli, tmp_path):
    options = ["--reps", "2", "--event-log", *(a for s in SMALL_PERINATAL for a in ("--set", s))]
    assert cli("run", "base", *options, "--out", tmp_path, "--quiet")[0] == 0
    part = tmp_path / "replications" / "events-00001.parquet"
    part.write_bytes(part.read_bytes()[:-8] + b"changed!")
    code, _, err = cli("run", "base", *options, "--out", tmp_path, "--resume")
    assert code == 2 and "events-00001.parquet is missing or changed" in err
    assert "Traceback" not in err


def test_a_stored_run_holds_only_kpis_in_memory_and_reads_its_rows_back(tmp_path):
    """Per-woman and weekly rows are most of a replication: once stored they are read back
    for the run's tables, not held while the other replications run."""
    from pathway_sim.experiments.run import Run
    from pathway_sim.inputs.loading import load_scenario
    from pathway_sim.runs.runner import run_replication

    small = ["population.women_per_year=40", "population.cohort_days=120", "run.warmup_days=30"]
    scenario = load_scenario(SCENARIOS / "base.yaml", small)
    run = Run.start(scenario, tmp_path, event_log=True, resume=False)
    result = run_replication(scenario, 1, 0, event_log=True)
    run.keep(result)
    kept = run.results(1)[0]
    assert kept.kpis == result.kpis and kept.services == result.services
    assert kept.woman_rows == [] and kept.engagement_weeks == [] and kept.burden_weeks == []
    whole = run.rows(1)[0]
    assert whole.woman_rows == result.woman_rows and len(whole.woman_rows) == result.women > 0
    assert whole.engagement_weeks == result.engagement_weeks != []
    assert whole.burden_weeks == result.burden_weeks != []
