"""Results directories read by the commands that read them (issue 29): ``report``,
``animate`` and the app's presets. A directory may be edited by hand or come from
someone else: each file it lacks or holds malformed is refused (exit 2) naming the file,
the field and what was expected, with no traceback; no link is followed out of it, for
reading or for writing, and nothing outside it is touched. The app's presets are in
test_app_server.py.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from .conftest import MMC, short_options, write
from .test_hostile import refused, snapshot

SMALL = ["--set", "population.women_per_year=30", "--set", "population.cohort_days=90",
         "--set", "run.warmup_days=30"]  # fmt: skip
"""A perinatal run of a few seconds whose counted cohort starts on day 30."""


@pytest.fixture
def run_dir(cli, tmp_path) -> Path:
    out = tmp_path / "run"
    code, _, err = cli("run", MMC, "--reps", "2", *short_options(), "--out", out, "--quiet")
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def perinatal(tmp_path_factory) -> Path:
    """A small perinatal run with its event log (and the weekly counts the report uses)."""
    from pathway_sim.cli.main import main

    out = tmp_path_factory.mktemp("perinatal") / "run"
    assert main(["run", "base", "--reps", "1", *SMALL, "--event-log", "--out", str(out),
                 "--quiet"]) == 0  # fmt: skip
    return out


def outside(tmp_path: Path) -> Path:
    """A directory outside the results, holding a file that must stay as it is."""
    found = tmp_path / "outside"
    found.mkdir()
    (found / "toc.svg").write_text("keep")
    (found / "rep-00000.json").write_text("keep")
    return found


# --- links out of the directory --------------------------------------------------------------


def test_report_never_writes_through_a_figures_link_out_of_the_directory(cli, run_dir, tmp_path):
    away = outside(tmp_path)
    (run_dir / "figures").symlink_to(away, target_is_directory=True)
    before = snapshot(away)
    refused(cli("report", run_dir), str(run_dir / "figures"), "symbolic link out of")
    assert snapshot(away) == before


def test_report_never_reads_through_a_link_out_of_the_directory(cli, run_dir, tmp_path):
    secret = write(tmp_path / "secret.csv", "scenario,kpi,mean,ci_low,ci_high\nx,y,1,1,1\n")
    (run_dir / "summary.csv").unlink()
    (run_dir / "summary.csv").symlink_to(secret)
    refused(cli("report", run_dir), str(run_dir / "summary.csv"), "refusing to read")


def test_a_link_planted_under_a_temporary_name_is_never_written_through(cli, run_dir, tmp_path):
    away = outside(tmp_path)
    (run_dir / f".report.html.{os.getpid()}.tmp").symlink_to(away / "toc.svg")
    code, _, err = cli("report", run_dir)
    assert code == 0, err
    assert (away / "toc.svg").read_text() == "keep"
    assert "<html" in (run_dir / "report.html").read_text()


def test_a_run_never_clears_a_store_linked_out_of_the_directory(cli, tmp_path):
    away = outside(tmp_path)
    out = tmp_path / "R"
    out.mkdir()
    (out / "replications").symlink_to(away, target_is_directory=True)
    before = snapshot(away)
    refused(cli("run", MMC, "--reps", "1", *short_options(), "--out", out),
            str(out / "replications"), "symbolic link out of")  # fmt: skip
    assert snapshot(away) == before


def test_scenarios_copy_never_writes_through_a_dangling_link(cli, tmp_path):
    dest = tmp_path / "dest"
    (dest / "scenarios").mkdir(parents=True)
    (dest / "scenarios" / "base.yaml").symlink_to(tmp_path / "victim.yaml")
    refused(cli("scenarios", "copy", "base", dest), str(dest / "scenarios" / "base.yaml"),
            "refusing to write")  # fmt: skip
    assert not (tmp_path / "victim.yaml").exists()


def test_scenarios_copy_never_writes_through_a_folder_linked_out(cli, tmp_path):
    away = outside(tmp_path)
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "scenarios").symlink_to(away, target_is_directory=True)
    refused(cli("scenarios", "copy", "base", dest), str(dest / "scenarios"),
            "symbolic link out of")  # fmt: skip
    assert sorted(p.name for p in away.iterdir()) == ["rep-00000.json", "toc.svg"]


# --- report: each file missing or malformed, named ------------------------------------------

REPORT_CASES = {
    "summary missing": ("summary.csv", None, "summary.csv: is missing"),
    "manifest not JSON": ("manifest.json", "not json\n", "manifest.json: expected a JSON object"),
    "manifest a list": ("manifest.json", "[1, 2]\n", "manifest.json: expected a JSON object"),
    "services without columns": ("services.csv", "a,b\n1,2\n", "services.csv: expected the "
                                 "columns scenario, replication, service, wait_mean_days"),
    "replications not UTF-8": ("replications.csv", b"\xff\xfe\x00", "replications.csv: not a "
                               "table pathway-sim wrote"),
    "scenario with a control character": ("scenario.yaml", "name: a\x1bb\n",
                                          "scenario.yaml: a control character (U+001B)"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(REPORT_CASES))
def test_report_names_the_file_that_is_missing_or_malformed(cli, run_dir, case):
    name, content, needle = REPORT_CASES[case]
    path = run_dir / name
    if content is None:
        path.unlink()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    err = refused(cli("report", run_dir), needle)
    assert str(path) in err and "--resume" not in err


@pytest.mark.slow
@pytest.mark.parametrize("name", ["women.csv", "engagement_weekly.csv", "burden_weekly.csv"])
def test_report_names_a_perinatal_table_without_its_columns(cli, perinatal, tmp_path, name):
    copy = Path(shutil.copytree(perinatal, tmp_path / "copy"))
    (copy / name).write_text("scenario,replication\nbase,0\n")
    err = refused(cli("report", copy), str(copy / name), "expected the columns")
    assert "--resume" not in err


@pytest.mark.slow
def test_report_names_an_event_log_without_its_columns_in_one_line(cli, perinatal, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    copy = Path(shutil.copytree(perinatal, tmp_path / "copy"))
    pq.write_table(pa.table({"run": [0], "time": [1.0]}), copy / "events.parquet")
    err = refused(cli("report", copy), str(copy / "events.parquet"), "not an event log")
    assert len(err.strip().splitlines()) == 1, err


def test_a_full_disk_while_reporting_names_the_file_and_not_resume(cli, run_dir, monkeypatch):
    import errno

    from pathway_sim.runs import outputs

    def full(source, target):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs.os, "replace", full)
    code, _, err = cli("report", run_dir)
    assert code == 1 and "Traceback" not in err and "No space left on device" in err
    assert str(run_dir / "figures") in err and "--resume" not in err


def test_report_refuses_an_out_that_is_a_directory(cli, run_dir, tmp_path):
    (tmp_path / "here").mkdir()
    refused(cli("report", run_dir, "--out", tmp_path / "here"), "--out", "is a directory",
            str(tmp_path / "here" / "report.html"))  # fmt: skip


# --- animate ---------------------------------------------------------------------------------

needs_vidigi = pytest.mark.skipif(
    importlib.util.find_spec("vidigi") is None,
    reason="vidigi not installed: pip install 'pathway-sim[animate]'",
)


def frames(html: Path) -> list[float]:
    text = html.read_text()
    start = text.index("[", text.rindex("Plotly.addFrames("))
    found, _ = json.JSONDecoder().raw_decode(text, start)
    return [float(f["name"]) for f in found]


@needs_vidigi
def test_animate_by_default_shows_the_first_weeks_of_the_counted_cohort(cli, perinatal, tmp_path):
    code, _, err = cli("animate", perinatal, "--out", tmp_path / "a.html")
    assert code == 0, err
    shown = frames(tmp_path / "a.html")
    assert (shown[0], shown[-1]) == (30, 58)  # weeks 0-4 after the 30-day warm-up


@needs_vidigi
def test_animate_counts_weeks_from_the_counted_cohort(cli, perinatal, tmp_path):
    code, _, err = cli("animate", perinatal, "--weeks", "2:3", "--out", tmp_path / "a.html")
    assert code == 0, err
    assert frames(tmp_path / "a.html")[0] == 30 + 14


@needs_vidigi
def test_animate_draws_a_window_where_nobody_queues(cli, tmp_path):
    out = tmp_path / "R"
    code, _, err = cli("run", MMC, "--reps", "1", "--set", "run.horizon_days=40",
                       "--set", "run.warmup_days=0", "--set", "services.clinic.staff=60",
                       "--event-log", "--out", out, "--quiet")  # fmt: skip
    assert code == 0, err
    code, printed, err = cli("animate", out, "--weeks", "1:2", "--out", tmp_path / "a.html")
    assert code == 0, err
    assert "(8 frames)" in printed


@needs_vidigi
@pytest.mark.parametrize(
    ("weeks", "needle"),
    [("0:1e400", "expected 0 <= A < B"), ("0:nan", "expected 0 <= A < B"),
     ("0:100000", "at most 13 weeks"), ("4:2", "expected 0 <= A < B"), ("x", "expected A:B")],
)  # fmt: skip
def test_animate_refuses_a_window_it_cannot_draw_at_once(cli, perinatal, tmp_path, weeks, needle):
    started = time.perf_counter()
    refused(cli("animate", perinatal, "--weeks", weeks, "--out", tmp_path / "a.html"), needle)
    assert time.perf_counter() - started < 5 and not (tmp_path / "a.html").exists()


@needs_vidigi
def test_animate_names_a_window_after_the_log_ends(cli, perinatal, tmp_path):
    refused(cli("animate", perinatal, "--weeks", "120:121", "--out", tmp_path / "a.html"),
            "no events in that window", "log ends in week")  # fmt: skip


@needs_vidigi
@pytest.mark.parametrize("case", ["no scenario", "scenario without services", "corrupt log"])
def test_animate_names_the_file_that_is_missing_or_malformed(cli, perinatal, tmp_path, case):
    copy = Path(shutil.copytree(perinatal, tmp_path / "copy"))
    if case == "no scenario":
        (copy / "scenario.yaml").unlink()
        needle, path = "is missing", copy / "scenario.yaml"
    elif case == "scenario without services":
        (copy / "scenario.yaml").write_text("model: perinatal\nname: base\nservices: 3\n")
        needle, path = "services", copy / "scenario.yaml"
    else:
        (copy / "events.parquet").write_bytes(b"not parquet")
        needle, path = "not an event log pathway-sim wrote", copy / "events.parquet"
    refused(cli("animate", copy, "--out", tmp_path / "a.html"), str(path), needle)
