"""The command line: exit codes, messages without tracebacks, reproducible files."""

import subprocess
import sys

import pandas as pd
import pytest

from pathway_sim.models.results import EVENT_COLUMNS
from pathway_sim.runs.reader import read_event_log

from .conftest import SCENARIOS, write

MMC = SCENARIOS / "verification" / "mmc.yaml"
SHORT = ["--set", "run.horizon_days=60", "--set", "run.warmup_days=10"]


def test_run_writes_the_output_contract(cli, tmp_path):
    code, _out, err = cli("run", MMC, "--reps", "3", "--seed", "5", *SHORT, "--out", tmp_path / "R")
    assert code == 0, err
    names = {p.name for p in (tmp_path / "R").iterdir()}
    assert {
        "replications.csv",
        "summary.csv",
        "services.csv",
        "scenario.yaml",
        "manifest.json",
    } <= names
    assert not [n for n in names if n.endswith(".tmp")]
    reps = pd.read_csv(tmp_path / "R" / "replications.csv")
    assert list(reps.columns[:4]) == ["scenario", "replication", "seed", "women"]
    assert list(reps["replication"]) == [0, 1, 2] and set(reps["seed"]) == {5}
    services = pd.read_csv(tmp_path / "R" / "services.csv")
    assert {"service", "contacts", "wait_mean_days", "wait_p95_days", "utilisation"} <= set(
        services.columns
    )
    summary = pd.read_csv(tmp_path / "R" / "summary.csv")
    assert list(summary.columns) == ["scenario", "kpi", "mean", "std", "ci_low", "ci_high", "n"]


def test_same_seed_gives_byte_identical_replications(cli, tmp_path):
    for name in ("a", "b"):
        assert (
            cli("run", MMC, "--reps", "2", "--seed", "9", *SHORT, "--out", tmp_path / name)[0] == 0
        )
    assert (tmp_path / "a" / "replications.csv").read_bytes() == (
        tmp_path / "b" / "replications.csv"
    ).read_bytes()
    assert cli("run", MMC, "--reps", "2", "--seed", "10", *SHORT, "--out", tmp_path / "c")[0] == 0
    assert (tmp_path / "a" / "replications.csv").read_bytes() != (
        tmp_path / "c" / "replications.csv"
    ).read_bytes()


def test_resolved_scenario_records_overrides(cli, tmp_path):
    cli(
        "run",
        MMC,
        "--reps",
        "1",
        "--seed",
        "3",
        *SHORT,
        "--set",
        "services.clinic.staff=4",
        "--out",
        tmp_path,
    )
    text = (tmp_path / "scenario.yaml").read_text()
    assert "staff: 4" in text and "seed: 3" in text and "replications: 1" in text


def test_event_log_has_contract_columns(cli, tmp_path):
    cli("run", MMC, "--reps", "1", *SHORT, "--event-log", "--out", tmp_path)
    events = pd.read_parquet(tmp_path / "events.parquet")  # the default format
    assert tuple(events.columns) == EVENT_COLUMNS
    assert len(events) > 0
    assert str(events["event_type"].dtype) == "category" and events["run"].dtype == "int32"


def test_event_log_formats_read_back_the_same(cli, tmp_path):
    for fmt in ("parquet", "csv.gz"):
        options = ["--event-log", "--event-log-format", fmt, "--out", tmp_path / fmt]
        code, _out, err = cli("run", MMC, "--reps", "2", *SHORT, *options)
        assert code == 0, err
    assert not (tmp_path / "parquet" / "events.csv.gz").exists()
    parquet = read_event_log(tmp_path / "parquet")
    gzipped = read_event_log(tmp_path / "csv.gz" / "events.csv.gz")
    assert len(parquet) > 0
    pd.testing.assert_frame_equal(parquet, gzipped, check_categorical=False)


BAD_FILES = {
    "malformed": ("model: queue_network\nname: [x\n", "malformed YAML"),
    "unknown key": (
        MMC.read_text().replace("staff: 3", "staff: 3\n    colour: red"),
        "services.clinic.colour: unknown field",
    ),
    "wrong type": (
        MMC.read_text().replace("rate_per_day: 4.0", "rate_per_day: lots"),
        "arrivals.rate_per_day",
    ),
    "zero staff": (MMC.read_text().replace("staff: 3", "staff: 0"), "services.clinic.staff"),
    "missing extends": ("extends: missing.yaml\n", "missing.yaml not found"),
    "probability": (
        "model: perinatal\nbirth:\n  preterm_probability: -0.1\n",
        "birth.preterm_probability",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_exits_2_with_message(cli, tmp_path, case):
    text, expected = BAD_FILES[case]
    f = write(tmp_path / "bad.yaml", text)
    for command in (["run", f, "--out", tmp_path / "R"], ["validate", f]):
        code, _out, err = cli(*command)
        assert code == 2
        assert str(f) in err and expected in err
        assert "Traceback" not in err
    assert not (tmp_path / "R").exists()  # rejected before any simulation


def test_extends_cycle_exits_2(cli, tmp_path):
    write(tmp_path / "a.yaml", "extends: b.yaml\n")
    write(tmp_path / "b.yaml", "extends: a.yaml\n")
    code, _, err = cli("validate", tmp_path / "a.yaml")
    assert code == 2 and "cycle" in err


def test_validate_names_the_bad_file_once(cli, tmp_path):
    f = write(tmp_path / "a.yaml", f"extends: {MMC}\nname: a\nservices:\n  clinic: {{staf: 3}}\n")
    code, _, err = cli("validate", f)
    assert code == 2 and err.count(str(f)) == 1 and "did you mean 'staff'" in err


def test_unknown_set_path_exits_2(cli, tmp_path):
    code, _, err = cli("run", MMC, "--set", "services.clinic.stafff=2", "--out", tmp_path)
    assert code == 2 and "did you mean 'staff'" in err


@pytest.mark.parametrize("reps", ["many", "0", "-1", "2.5"])
def test_bad_reps_exits_2(cli, reps):
    with pytest.raises(SystemExit) as info:
        cli("run", MMC, "--reps", reps)
    assert info.value.code == 2


def test_bad_reps_message_from_real_process(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "pathway_sim", "run", str(MMC), "--reps", "many"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 2
    assert "--reps" in proc.stderr and "'many'" in proc.stderr and "Traceback" not in proc.stderr


def test_validate_accepts_good_files(cli):
    code, out, _ = cli("validate", MMC, SCENARIOS / "verification" / "tandem.yaml")
    assert code == 0 and out.count("ok") == 2


def test_schema_is_json(cli):
    import json

    code, out, _ = cli("schema")
    assert code == 0 and json.loads(out)["title"] == "pathway-sim scenario"


def test_the_command_line_starts_without_the_heavy_libraries():
    """``--help`` and ``validate`` stay quick: the command line imports pandas, pyarrow and
    numpy only inside the commands that need them."""
    probe = (
        "import sys; import pathway_sim.cli.main; "
        "print(sorted(m for m in ('pandas', 'pyarrow', 'numpy', 'scipy', 'matplotlib') "
        "if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], check=False, capture_output=True, text=True
    )
    assert loaded.returncode == 0 and loaded.stdout.strip() == "[]", loaded.stdout + loaded.stderr
