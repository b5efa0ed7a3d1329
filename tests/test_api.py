"""The notebook API mirrors the command line and returns DataFrames."""

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

import pandas as pd
import pytest

import pathway_sim as ps
from pathway_sim.core.errors import UsageError
from pathway_sim.runs.reader import read_event_log

from .conftest import MMC, SHORT, short_options


def test_run_returns_the_tables_the_cli_writes(cli, tmp_path):
    result = ps.run(MMC, reps=3, seed=2, overrides=SHORT)
    assert result.out is None and result.precision is None
    cli("run", MMC, "--reps", "3", "--seed", "2", *short_options(), "--out", tmp_path, "--quiet")
    pd.testing.assert_frame_equal(result.replications, pd.read_csv(tmp_path / "replications.csv"))
    pd.testing.assert_frame_equal(result.summary, pd.read_csv(tmp_path / "summary.csv"))
    assert list(result.services["service"]) == ["clinic"] * 3


def test_a_scenario_object_takes_the_same_overrides_as_a_file():
    scenario = ps.load_scenario(MMC)
    from_object = ps.run(scenario, reps=2, overrides=[*SHORT, "services.clinic.staff=4"])
    from_file = ps.run(MMC, reps=2, overrides=[*SHORT, "services.clinic.staff=4"])
    pd.testing.assert_frame_equal(
        from_object.replications, from_file.replications, check_exact=True
    )
    assert (
        from_object.scenario.services["clinic"].staff == 4
        and scenario.services["clinic"].staff == 3
    )


def test_compare_returns_the_comparison_and_every_replication():
    comparison = ps.compare(
        MMC, ps.load_scenario(MMC).model_copy(update={"name": "same"}), reps=3, overrides=SHORT
    )
    assert list(comparison.replications["scenario"].unique()) == ["mmc", "same"]
    assert (comparison.table["diff_vs_base"] == 0).all() and comparison.out is None


def test_run_experiment_applies_reps_seed_and_overrides_to_every_scenario(tmp_path):
    path = tmp_path / "e.yaml"
    path.write_text(
        f"name: e\nbase: {MMC}\nreplications: 5\nseed: 1\n"
        "variants: [{name: more_staff, set: {services.clinic.staff: 4}}]\n"
    )
    result = ps.run_experiment(path, reps=2, seed=9, overrides=SHORT)
    replications = result.comparison.replications
    assert replications.groupby("scenario").size().to_dict() == {"mmc": 2, "more_staff": 2}
    assert set(replications["seed"]) == {9}
    assert all(s.run.horizon_days == 60 for s in result.experiment.scenarios)
    assert result.experiment.scenarios[1].services["clinic"].staff == 4


def run_on_a_terminal(*args: str) -> str:
    """Run the command with its stderr on a pseudo-terminal; return what it showed there."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "pathway_sim", *args], stdout=subprocess.DEVNULL, stderr=follower
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        shown += chunk
    proc.wait()
    os.close(leader)
    return shown.decode(errors="replace")


@pytest.mark.slow
def test_progress_shows_on_a_terminal_and_not_when_quiet(cli, tmp_path):
    args = ["run", str(MMC), "--reps", "5", *short_options(), "--out"]
    shown = run_on_a_terminal(*args, str(tmp_path / "a"))
    assert "replications: 100%" in shown and "5/5" in shown and "rep/s" in shown
    assert run_on_a_terminal(*args, str(tmp_path / "b"), "--quiet") == ""
    code, _, err = cli(*args, tmp_path / "c")  # stderr captured: not a terminal
    assert code == 0 and err == ""


def test_the_event_log_format_is_chosen_per_call_as_on_the_command_line(tmp_path):
    options = {"reps": 2, "overrides": SHORT, "event_log": True}
    ps.run(MMC, out=tmp_path / "gz", event_log_format="csv.gz", **options)
    ps.run(MMC, out=tmp_path / "default", **options)
    assert (tmp_path / "gz" / "events.csv.gz").is_file()
    assert (tmp_path / "default" / "events.parquet").is_file()  # the choice did not stick
    logs = [read_event_log(tmp_path / d) for d in ("gz", "default")]
    pd.testing.assert_frame_equal(logs[0], logs[1], check_categorical=False)
    some = {"run": [1], "entity_id": [3, 5]}  # a few women's rows, without the rest
    picked = [read_event_log(tmp_path / d, ["entity_id", "event"], some) for d in ("gz", "default")]
    pd.testing.assert_frame_equal(picked[0], picked[1], check_categorical=False)
    whole = logs[1][(logs[1]["run"] == 1) & logs[1]["entity_id"].isin([3, 5])]
    assert len(picked[1]) == len(whole) > 0
    assert list(picked[1]["event"].astype(str)) == list(whole["event"].astype(str))
    with pytest.raises(UsageError, match="event-log format 'xlsx'"):
        ps.compare(MMC, MMC, out=tmp_path / "bad", event_log_format="xlsx", **options)
    assert not (tmp_path / "bad").exists()
