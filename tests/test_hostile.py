"""Hostile and careless input, through the real command line (issue 13).

Each case checks the exit code, that the message names the file and the field, that
there is no traceback, and that the previous run in ``--out`` (and anything outside
it) is untouched. Classes follow the issue: 1 stored replications, 2 names, 3 refusal
before anything is deleted, 4 inputs inside --out, 5 locking and tampering, 6 stale
files, 7 bounds, 8 silent nonsense. Processes (class 9) are in test_hostile_processes.py.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pathway_sim.cli.main import main
from pathway_sim.runs.lock import LOCK_NAME

from .conftest import MMC, ROOT, SCENARIOS, short_options, write

SCENARIO_OPTIONS = ["--reps", "2", *short_options()]


@pytest.fixture
def cli(capsys):
    """Run the command in-process; return (exit code, stdout, stderr), argparse's exits too."""

    def run(*args: object) -> tuple[int, str, str]:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` and its bytes."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def previous(cli, tmp_path) -> Path:
    """A finished run of a tiny M/M/c in ``tmp_path/prev``."""
    out = tmp_path / "prev"
    code, _, err = cli("run", MMC, *SCENARIO_OPTIONS, "--out", out, "--quiet")
    assert code == 0, err
    return out


def refused(result: tuple[int, str, str], *needles: str) -> str:
    """Assert a clean refusal (exit 2, no traceback) whose message holds each needle."""
    code, _, err = result
    assert code == 2, err
    assert "Traceback" not in err, err
    for needle in needles:
        assert needle in err, err
    return err


def variant(directory: Path, text: str, name: str = "bad") -> Path:
    return write(directory / f"{name}.yaml", f"extends: {MMC}\n{text}")


# --- 1: stored replications are data, checksummed ------------------------------------------


def test_a_stored_replication_is_json_with_a_checksum_of_its_run(previous):
    stored = sorted((previous / "replications").glob("rep-*"))
    assert [p.name for p in stored] == ["rep-00000.json", "rep-00001.json"]
    record = json.loads(stored[0].read_text())
    assert record["format"] == "pathway-sim replication v4"
    assert len(record["sha256"]) == 64 and len(record["identity_sha256"]) == 64
    assert record["replication"]["replication"] == 0


class Payload:
    """Unpickling this runs code: it touches a file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_pickle_planted_in_the_store_is_never_loaded(cli, previous, tmp_path):
    marker = tmp_path / "PWNED"
    for path in (previous / "replications").glob("rep-*.json"):
        path.write_bytes(pickle.dumps(Payload(marker)))
    (previous / "replications" / "rep-00002.pkl").write_bytes(pickle.dumps(Payload(marker)))
    before = snapshot(previous)
    refused(cli("run", MMC, *SCENARIO_OPTIONS, "--out", previous, "--resume"), "rep-", "--resume")
    assert not marker.exists()
    assert snapshot(previous) == before


def test_a_flipped_digit_in_a_stored_replication_is_refused_naming_the_file(cli, previous):
    path = previous / "replications" / "rep-00001.json"
    text = path.read_text()
    at = text.index('"kpis":{') + len('"kpis":{"throughput_per_day":')
    path.write_text(text[:at] + ("9" if text[at] != "9" else "8") + text[at + 1 :])
    before = snapshot(previous)
    err = refused(
        cli("run", MMC, *SCENARIO_OPTIONS, "--out", previous, "--resume"),
        str(path),
        "checksum",
    )
    assert "delete it" in err
    assert snapshot(previous) == before


def test_a_deeply_nested_json_replication_is_refused(cli, previous):
    path = previous / "replications" / "rep-00000.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    refused(cli("run", MMC, *SCENARIO_OPTIONS, "--out", previous, "--resume"), str(path))


def test_a_replication_of_another_run_copied_in_is_refused(cli, previous, tmp_path):
    other = tmp_path / "other"
    cli("run", MMC, *SCENARIO_OPTIONS, "--seed", "9", "--out", other, "--quiet")
    target = previous / "replications" / "rep-00001.json"
    target.write_bytes((other / "replications" / "rep-00001.json").read_bytes())
    refused(
        cli("run", MMC, *SCENARIO_OPTIONS, "--out", previous, "--resume"),
        str(target),
        "different run",
    )


# --- 2: names never become paths outside --out ---------------------------------------------

BAD_NAMES = {
    "absolute": "/tmp/pathway-sim-escape",
    "parent": "..",
    "dot": ".",
    "empty": "''",
    "nul": '"a\\0b"',
    "long": "x" * 300,
    "slash": "a/b",
    "mathtext": "'$\\frac{$'",
}


@pytest.mark.parametrize("case", sorted(BAD_NAMES))
def test_a_scenario_name_that_is_not_a_plain_name_is_refused(cli, tmp_path, case):
    path = variant(tmp_path, f"name: {BAD_NAMES[case]}\n")
    refused(cli("run", path, *SCENARIO_OPTIONS, "--quiet"), str(path), "name: expected a name")
    assert not Path("/tmp/pathway-sim-escape").exists()


@pytest.mark.parametrize("where", ["experiment", "variant", "sensitivity"])
def test_experiment_variant_and_sensitivity_names_are_checked(cli, tmp_path, where):
    bad = "/tmp/pathway-sim-escape"
    variants = "variants: [{name: %s, set: {services.clinic.staff: 4}}]\n"
    ranges = "parameters: [services.clinic.staff]\nranges: {services.clinic.staff: [3, 4]}\n"
    texts = {
        "experiment": f"name: {bad}\nbase: {MMC}\n" + variants % "v",
        "variant": f"name: e\nbase: {MMC}\n" + variants % "'..'",
        "sensitivity": f"name: {bad}\nbase: {MMC}\nmethod: lhs\nsamples: 2\n" + ranges,
    }
    path = write(tmp_path / "file.yaml", texts[where])
    command = "sensitivity" if where == "sensitivity" else "experiment"
    refused(cli(command, path, "--quiet"), str(path), "name", "expected a name")
    assert not Path(bad).exists()


def test_factorial_cells_are_named_by_their_factors(cli, tmp_path):
    path = write(
        tmp_path / "f.yaml",
        f"name: f\nbase: {MMC}\nreplications: 2\n"
        "set: {run.horizon_days: 60, run.warmup_days: 10}\nfactorial:\n"
        "  staff: {services.clinic.staff: 4}\n"
        "  faster: {services.clinic.duration_days.mean: 0.5}\n",
    )
    code, _, err = cli("experiment", path, "--out", tmp_path / "R", "--no-report", "--quiet")
    assert code == 0, err
    assert (tmp_path / "R" / "staff+faster" / "manifest.json").is_file()


# --- 3: everything checked before the output directory is touched -------------------------


def test_an_unknown_kpi_for_reps_auto_is_refused_before_anything_runs(cli, previous):
    before = snapshot(previous)
    started = time.perf_counter()
    refused(
        cli("run", MMC, "--reps", "auto", "--kpis", "typo", *short_options(), "--out", previous),
        "--kpis: unknown KPI typo",
    )
    assert time.perf_counter() - started < 5
    assert snapshot(previous) == before


def test_an_unreachable_scheduler_is_refused_before_anything_is_deleted(cli, previous):
    before = snapshot(previous)
    refused(
        cli("run", MMC, *SCENARIO_OPTIONS, "--out", previous, "--scheduler", "tcp://127.0.0.1:9"),
        "--scheduler tcp://127.0.0.1:9",
    )
    assert snapshot(previous) == before


def test_compare_resume_with_one_changed_scenario_leaves_every_directory(cli, tmp_path):
    other = variant(tmp_path, "name: other\n", "other")
    out = tmp_path / "cmp"
    code, _, err = cli("compare", MMC, other, *SCENARIO_OPTIONS, "--out", out, "--no-report")
    assert code == 0, err
    before = snapshot(out)
    variant(tmp_path, "name: other\nservices: {clinic: {staff: 5}}\n", "other")
    refused(
        cli("compare", MMC, other, *SCENARIO_OPTIONS, "--out", out, "--resume", "--no-report"),
        str(out / "other" / "replications"),
        "services.clinic.staff: stored 3, now 5",
    )
    assert snapshot(out) == before


SENSITIVITY = (
    f"name: sens\nbase: {MMC}\nmethod: lhs\nsamples: 2\nreplications: 1\n"
    "set: {run.horizon_days: 60, run.warmup_days: 10}\n"
)


def test_a_sensitivity_range_with_an_invalid_point_is_refused_before_anything_is_deleted(
    cli, previous, tmp_path
):
    path = write(
        tmp_path / "s.yaml",
        SENSITIVITY
        + "parameters: [services.clinic.staff]\nranges: {services.clinic.staff: [-3, -1]}\n",
    )
    before = snapshot(previous)
    refused(cli("sensitivity", path, "--out", previous), "services.clinic.staff")
    assert snapshot(previous) == before


def test_a_sensitivity_kpi_unknown_to_its_model_is_refused_before_anything_runs(
    cli, previous, tmp_path
):
    path = write(
        tmp_path / "s.yaml",
        SENSITIVITY
        + "parameters: [services.clinic.staff]\nranges: {services.clinic.staff: [3, 4]}\n"
        + "kpis: [antenatal_attendance_pct]\n",
    )
    before = snapshot(previous)
    refused(cli("sensitivity", path, "--out", previous), "kpis: unknown KPI antenatal")
    assert snapshot(previous) == before


# --- 4: inputs inside --out are never overwritten or deleted ------------------------------


def test_a_scenario_inside_out_is_refused_not_overwritten(cli, previous):
    scenario = previous / "scenario.yaml"
    scenario.write_text(scenario.read_text() + "# my own notes\n")
    before = snapshot(previous)
    refused(cli("run", scenario, "--reps", "2", "--out", previous), str(scenario), "input")
    assert snapshot(previous) == before


@pytest.mark.parametrize("command", ["experiment", "sensitivity"])
def test_an_experiment_or_sensitivity_file_inside_out_is_not_deleted(cli, tmp_path, command):
    out = tmp_path / "R"
    text = (
        f"name: e\nbase: {MMC}\nvariants: [{{name: v, set: {{services.clinic.staff: 4}}}}]\n"
        if command == "experiment"
        else SENSITIVITY
        + "parameters: [services.clinic.staff]\nranges: {services.clinic.staff: [3, 4]}\n"
    )
    path = write(out / f"{command}.yaml", text)
    refused(cli(command, path, "--out", out), str(path), "input of this run")
    assert path.read_text() == text


# --- 5: one run at a time, and tampering refused -------------------------------------------


def test_a_second_run_into_a_locked_directory_is_refused_naming_the_lock(cli, previous):
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (previous / LOCK_NAME).write_text(f"{holder.pid}\n")
        before = snapshot(previous)
        refused(
            cli("run", MMC, *SCENARIO_OPTIONS, "--out", previous),
            str(previous / LOCK_NAME),
            f"pid {holder.pid}",
        )
        assert snapshot(previous) == before
    finally:
        holder.kill()
        holder.wait()


def test_a_stale_lock_of_a_dead_process_is_taken_over_and_removed(cli, previous):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (previous / LOCK_NAME).write_text(f"{dead.pid}\n")
    code, _, err = cli("run", MMC, *SCENARIO_OPTIONS, "--out", previous)
    assert code == 0, err
    assert "stale lock" in err
    assert not (previous / LOCK_NAME).exists()


def test_resume_without_identity_refuses_and_keeps_the_replications(cli, previous):
    (previous / "replications" / "identity.json").unlink()
    before = snapshot(previous)
    refused(
        cli("run", MMC, *SCENARIO_OPTIONS, "--out", previous, "--resume"),
        str(previous / "replications"),
        "no identity.json",
    )
    assert snapshot(previous) == before


# --- 6: nothing stale beside a new manifest ------------------------------------------------


def test_a_new_run_clears_every_file_an_earlier_one_left(cli, previous):
    for name in ("calibration.csv", "kpi_evidence.csv", "report.html", "precision.csv"):
        (previous / name).write_text("old")
    (previous / "figures").mkdir()
    (previous / "figures" / "old.png").write_bytes(b"old")
    code, _, err = cli("run", MMC, *SCENARIO_OPTIONS, "--out", previous, "--quiet")
    assert code == 0, err
    left = sorted(p.name for p in previous.iterdir())
    assert left == sorted(
        ["manifest.json", "replications", "replications.csv", "scenario.yaml", "services.csv",
         "summary.csv"]
    )  # fmt: skip


def test_removing_stale_files_never_follows_a_symlink_out_of_the_directory(cli, previous, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.png").write_bytes(b"keep")
    (previous / "figures").symlink_to(outside, target_is_directory=True)
    code, _, err = cli("run", MMC, *SCENARIO_OPTIONS, "--out", previous, "--quiet")
    assert code == 0, err
    assert (outside / "keep.png").read_bytes() == b"keep"
    assert not (previous / "figures").exists()


def test_calibration_writes_its_manifest_last(cli, tmp_path):
    out = tmp_path / "cal"
    small = ["--set", "run.warmup_days=0", "--set", "population.cohort_days=30"]
    code, _, err = cli("calibration", SCENARIOS / "base.yaml", "--reps", "1", *small, "--out", out)
    assert code == 0, err
    written = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()}
    assert max(written, key=written.get) == "manifest.json"
    assert json.loads((out / "manifest.json").read_text())["calibration"]["targets"] > 0


# --- 7: bounds on files and workloads ------------------------------------------------------


def alias_bomb() -> str:
    lines = ["model: queue_network", 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous_anchor, anchor in zip("abcdefgh", "bcdefghi", strict=True):
        refs = ", ".join(f"k{i}: *{previous_anchor}" for i in range(9))
        lines.append(f"{anchor}: &{anchor} {{{refs}}}")
    return "\n".join(lines) + "\n"


BAD_FILES = {
    "alias bomb": (alias_bomb(), "expands to more than"),
    "deep nesting": ("model: queue_network\nx: " + "[" * 5000 + "]" * 5000 + "\n", "nested deeper"),
    "huge integer": (f"extends: {MMC}\nrun: {{seed: {'9' * 5000}}}\n", "an integer of 5000 digits"),
    "duplicate key": (f"extends: {MMC}\nname: a\nname: b\n", "duplicate key 'name'"),
    "huge file": (f"extends: {MMC}\n" + "# padding\n" * 120_000, "at most 1000000"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_hostile_yaml_file_is_refused_quickly(cli, tmp_path, previous, case):
    text, needle = BAD_FILES[case]
    path = write(tmp_path / "bad.yaml", text)
    before = snapshot(previous)
    started = time.perf_counter()
    refused(cli("run", path, "--out", previous), str(path), needle)
    assert time.perf_counter() - started < 5
    assert snapshot(previous) == before


BAD_VALUES = {
    "infinite horizon": ("run: {horizon_days: .inf}", "run.horizon_days: expected a finite number"),
    "huge rate": (
        "arrivals: {process: poisson, rate_per_day: 1e308}",
        "arrivals.rate_per_day: expected arrivals per day",
    ),
    "tiny interval": (
        "arrivals: {process: scheduled, interval_days: 1e-300}",
        "arrivals.interval_days: expected days between events",
    ),
    "huge staff": ("services: {clinic: {staff: 100000000}}", "services.clinic.staff: expected"),
    "float staff": (
        "services: {clinic: {staff: 1e8}}",
        "services.clinic.staff: expected a valid integer",
    ),
    "staff yes": (
        "services: {clinic: {staff: yes}}",
        "services.clinic.staff: expected a valid integer",
    ),
    "replications yes": ("run: {replications: yes}", "run.replications: expected a valid integer"),
    "negative triangular duration": (
        "services: {clinic: {duration_days: {dist: triangular, low: -1, mode: 0.5, high: 1}}}",
        "services.clinic.duration_days: expected days, from 0",
    ),
    "infinite uniform": (
        "services: {clinic: {duration_days: {dist: uniform, low: 0, high: .inf}}}",
        "services.clinic.duration_days.high: expected a finite number",
    ),
    "gamma sd tiny": (
        "services: {clinic: {duration_days: {dist: gamma, mean: 0.5, sd: 1e-300}}}",
        "services.clinic.duration_days: expected sd between",
    ),
    "nan duration": (
        "services: {clinic: {duration_days: {dist: exponential, mean: .nan}}}",
        "services.clinic.duration_days.mean: expected a finite number",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_VALUES))
def test_a_value_outside_its_unit_is_refused_naming_file_and_field(cli, tmp_path, previous, case):
    text, needle = BAD_VALUES[case]
    path = variant(tmp_path, text + "\n")
    before = snapshot(previous)
    refused(cli("run", path, "--out", previous), str(path), needle)
    assert snapshot(previous) == before


PERINATAL_VALUES = {
    "nan log odds": (
        "attendance: {trust_log_odds: .nan}",
        "attendance.trust_log_odds: expected a finite",
    ),
    "negative gestation": (
        "population: {early_known_gestation_weeks: {dist: triangular, low: -5, mode: 3, high: 9}}",
        "population.early_known_gestation_weeks: expected weeks of gestation",
    ),
    "huge cohort": ("population: {women_per_year: 1e9}", "population.women_per_year: expected"),
    "trust index below 0": (
        "population: {initial_trust: {dist: triangular, low: -1, mode: 0.5, high: 0.9}}",
        "population.initial_trust: expected an index, from 0 to 1",
    ),
    "knowledge index unbounded": (
        "population: {initial_knowledge: {dist: gamma, mean: 0.5, sd: 0.2}}",
        "population.initial_knowledge: expected an index, from 0 to 1",
    ),
}


@pytest.mark.parametrize("case", sorted(PERINATAL_VALUES))
def test_a_perinatal_value_outside_its_range_is_refused(cli, tmp_path, case):
    text, needle = PERINATAL_VALUES[case]
    path = write(tmp_path / "p.yaml", f"model: perinatal\n{text}\n")
    refused(cli("validate", path), str(path), needle)


def test_a_run_above_the_workload_limits_needs_allow_large(cli, previous):
    before = snapshot(previous)
    started = time.perf_counter()
    err = refused(
        cli("run", MMC, "--reps", "100000", "--out", previous),
        "replications 100,000",
        "--allow-large",
    )
    assert "limit 10,000" in err and time.perf_counter() - started < 5
    assert snapshot(previous) == before


def test_a_large_factorial_is_refused_before_its_scenarios_are_built(cli, tmp_path):
    factors = "".join(f"  f{i}: {{run.warmup_days: {i + 1}}}\n" for i in range(15))
    path = write(tmp_path / "big.yaml", f"name: big\nbase: {MMC}\nfactorial:\n{factors}")
    started = time.perf_counter()
    refused(cli("experiment", path, "--out", tmp_path / "R"), str(path), "32,768 scenarios")
    assert time.perf_counter() - started < 5 and not (tmp_path / "R").exists()


def test_workers_are_capped_at_the_number_of_replications(cli, tmp_path):
    out = tmp_path / "w"
    code, _, err = cli("run", MMC, *SCENARIO_OPTIONS, "--workers", "64", "--out", out, "--quiet")
    assert code == 0, err
    assert json.loads((out / "manifest.json").read_text())["workers"] == 2


def test_every_experiment_and_sensitivity_file_of_the_repository_is_within_the_limits():
    from pathway_sim.experiments.spec import load_experiment
    from pathway_sim.runs.preflight import check_workload, workload
    from pathway_sim.sensitivity.spec import load_sensitivity
    from pathway_sim.uncertainty.spec import load_uncertainty

    files = sorted((ROOT / "experiments").glob("*.yaml"))
    assert files
    for path in files:
        if path.name.startswith("sensitivity"):
            load = load_sensitivity(path).workload()
        elif path.name.startswith("uncertainty"):
            load = load_uncertainty(path).workload()
        else:
            experiment = load_experiment(path)
            reps = [experiment.scenarios[0].run.replications] * len(experiment.scenarios)
            load = workload(experiment.scenarios, reps)
        check_workload(load, allow_large=False)


# --- 9 (messages): odd paths and odd directories -------------------------------------------


def test_a_directory_or_fifo_as_a_scenario_gets_its_own_message(cli, tmp_path):
    directory = tmp_path / "adir"
    directory.mkdir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    refused(cli("run", directory), f"{directory}: is a directory")
    refused(cli("run", fifo), f"{fifo}: is not a regular file")


def test_validate_reports_a_symlink_loop_and_goes_on_to_the_other_files(cli, tmp_path):
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    code, out, err = cli("validate", tmp_path / "a.yaml", MMC)
    assert code == 2 and "Traceback" not in err
    assert str(tmp_path / "a.yaml") in err and f"ok  {MMC}" in out


def test_an_empty_out_is_refused(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    refused(cli("run", MMC, *SCENARIO_OPTIONS, "--out", ""), "--out", "empty")
    assert list(tmp_path.iterdir()) == []


def test_a_run_that_counts_nobody_warns(cli, tmp_path):
    path = variant(tmp_path, "arrivals: {process: poisson, rate_per_day: 0.00001}\n", "empty")
    code, _, err = cli("run", path, *SCENARIO_OPTIONS, "--out", tmp_path / "R")
    assert code == 0, err
    assert "nobody was counted (women = 0) in 2 of 2 replications" in err


def test_report_on_a_tampered_directory_is_refused_without_a_traceback(cli, previous):
    (previous / "summary.csv").write_text("kpi,mean\nx,not a number\n")
    refused(cli("report", previous), str(previous / "summary.csv"), "expected the columns")


def test_report_refuses_a_scenario_name_that_a_run_could_not_have_written(cli, tmp_path):
    out = tmp_path / "cmp"
    other = variant(tmp_path, "name: other\n", "other")
    code, _, err = cli("compare", MMC, other, *SCENARIO_OPTIONS, "--out", out, "--no-report")
    assert code == 0, err
    table = out / "comparison.csv"
    table.write_text(table.read_text().replace("other", "../../$\\frac{$"))
    refused(cli("report", out), str(table), "scenario: expected a name")


def test_a_full_disk_is_one_line_and_leaves_no_partial_file(cli, previous, monkeypatch):
    import errno

    from pathway_sim.runs import outputs

    def full(source, target):
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(outputs.os, "replace", full)
    code, _, err = cli("run", MMC, *SCENARIO_OPTIONS, "--out", previous)
    assert code == 1 and "Traceback" not in err
    assert "No space left on device" in err and "--resume" in err
    assert not list(previous.rglob(".*.tmp"))


def test_compare_resume_with_a_tampered_store_of_a_later_scenario_changes_nothing(cli, tmp_path):
    other = variant(tmp_path, "name: other\n", "other")
    out = tmp_path / "cmp"
    code, _, err = cli("compare", MMC, other, *SCENARIO_OPTIONS, "--out", out, "--no-report")
    assert code == 0, err
    stored = out / "other" / "replications" / "rep-00000.json"
    stored.write_text(stored.read_text().replace('"seed":1', '"seed":2', 1))
    before = snapshot(out)
    refused(
        cli("compare", MMC, other, *SCENARIO_OPTIONS, "--out", out, "--resume", "--no-report"),
        str(stored),
        "checksum",
    )
    assert snapshot(out) == before


def test_the_api_refuses_an_empty_out_too(tmp_path, monkeypatch):
    from pathway_sim import api
    from pathway_sim.core.errors import UsageError

    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match="empty"):
        api.run(MMC, reps=1, overrides=["run.horizon_days=60", "run.warmup_days=10"], out="")
    assert list(tmp_path.iterdir()) == []


def test_a_lock_file_naming_no_process_is_stale(cli, previous):
    (previous / LOCK_NAME).write_text("0\n")
    code, _, err = cli("run", MMC, *SCENARIO_OPTIONS, "--out", previous)
    assert code == 0 and "it names no process" in err, err


# --- 10 (issue 29): every command's bad input, one rule -----------------------------------


@pytest.mark.parametrize("byte", ["\x00", "\x07", "\x1b"], ids=["NUL", "BEL", "ESC"])
def test_a_raw_control_character_in_a_scenario_is_refused_naming_where(cli, tmp_path, byte):
    path = write(tmp_path / "pasted.yaml", f'extends: {MMC}\ndescription: "red{byte}[31m"\n')
    err = refused(cli("run", path, "--reps", "1"), str(path), "a control character",
                  "at line 2, column 18", "expected printable text")  # fmt: skip
    assert byte not in err


def test_a_sensitivity_range_outside_the_parameter_names_the_file_and_range(cli, tmp_path):
    path = write(
        tmp_path / "s.yaml",
        SENSITIVITY.replace("lhs", "morris")
        + "parameters: [services.clinic.staff]\nranges: {services.clinic.staff: [-3, -1]}\n",
    )
    refused(cli("sensitivity", path, "--out", tmp_path / "R"), str(path),
            "ranges: services.clinic.staff: [-3, -1]", "expected greater than 0")  # fmt: skip
    assert not (tmp_path / "R").exists()


def test_scenarios_copy_into_a_file_is_refused(cli, tmp_path):
    target = write(tmp_path / "afile", "mine\n")
    refused(cli("scenarios", "copy", "base", target), str(target), "is a file",
            "expected a directory")  # fmt: skip
    assert target.read_text() == "mine\n"


def test_a_directory_named_like_a_library_scenario_does_not_hide_it(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mmc").mkdir()
    code, _, err = cli("run", "mmc", "--reps", "1", *short_options(), "--out", tmp_path / "R")
    assert code == 0, err
    assert "mmc: is a directory here; using the library's scenario of that name" in err


def test_a_file_size_limit_is_one_line_naming_the_file(tmp_path):
    import resource
    import signal

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))

    out = tmp_path / "R"
    done = subprocess.run(
        [sys.executable, "-m", "pathway_sim", "run", str(MMC), *SCENARIO_OPTIONS, "--out",
         str(out)], preexec_fn=limited, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "File too large" in done.stderr and str(out) in done.stderr
    assert not list(out.rglob(".*.tmp"))


def test_a_full_disk_leaves_no_empty_lock_file(cli, tmp_path, monkeypatch):
    import errno

    from pathway_sim.runs import lock

    real = lock.os.fdopen

    def full(fd, *args, **kwargs):
        handle = real(fd, *args, **kwargs)

        def no_space(text):
            raise OSError(errno.ENOSPC, "No space left on device")

        handle.write = no_space
        return handle

    monkeypatch.setattr(lock.os, "fdopen", full)
    out = tmp_path / "R"
    code, _, err = cli("run", MMC, *SCENARIO_OPTIONS, "--out", out)
    assert code == 1 and "No space left on device" in err and "Traceback" not in err
    assert str(out / LOCK_NAME) in err and not (out / LOCK_NAME).exists()


def test_an_internal_error_is_one_line_and_debug_shows_its_traceback(cli, monkeypatch):
    from pathway_sim.cli import catalogues

    def broken(args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(catalogues, "cmd_kpis", broken)
    code, _, err = cli("kpis")
    assert code == 1 and "internal error (RuntimeError: a bug)" in err and "--debug" in err
    assert "Traceback" not in err
    with pytest.raises(RuntimeError, match="a bug"):
        main(["--debug", "kpis"])
