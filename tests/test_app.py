"""The workshop what-if app (issue 18): its widgets, the run and compare flow, errors in
the page, downloads and presets, through Streamlit's ``AppTest`` (no browser).

Runs use two paired replications in a thread (``PATHWAY_SIM_APP_WORKERS=1``), so each
takes a few seconds; the browser test is in ``test_app_browser.py``.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("streamlit", reason="the app extra is not installed: pip install .[app]")
from streamlit.testing.v1 import AppTest

from pathway_sim.app import jobs, levers, page, presets, results, server, store
from pathway_sim.cli.main import main
from pathway_sim.core.errors import ScenarioError, UsageError
from pathway_sim.inputs.loading import to_yaml

PAGE = Path(page.__file__)
LEVER = "kr8_text_reminders"
SITE = "northern_city"


@pytest.fixture(autouse=True)
def fresh_server():
    """Each test starts with an empty store of runs, as a new server does."""
    store.close_server()
    yield
    store.close_server()


@pytest.fixture
def app(monkeypatch) -> AppTest:
    """The page, run once, with runs in a thread and no presets."""
    monkeypatch.setenv(page.WORKERS_ENV, "1")
    monkeypatch.delenv(server.RESULTS_ENV, raising=False)
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def choose(at: AppTest, lever: str = LEVER, reps: int = 2, name: str | None = None) -> None:
    at.selectbox(key="site").set_value(SITE)
    at.number_input(key="reps").set_value(reps)
    at.checkbox(key=f"lever:{lever}").check()
    if name is not None:
        at.text_input(key="name").set_value(name)
    at.run()


def run_to_end(at: AppTest, timeout: float = 60.0) -> jobs.Job:
    """Press Run and rerun the page until the current job ends."""
    at.button(key="run").click()
    at.run()
    job = shown(at).job
    deadline = time.monotonic() + timeout
    while job.state == jobs.RUNNING and time.monotonic() < deadline:
        time.sleep(0.3)
    at.run()
    assert job.state != jobs.RUNNING, "the run did not end in time"
    return job


def shown(at: AppTest) -> store.StoredRun:
    """The run the page shows (its key in the session, the run in the server's store)."""
    run = store.server().get(at.session_state["current"])
    assert run is not None
    return run


def by_label(label: str) -> jobs.Job:
    return next(r.job for r in store.server().runs() if r.label == label)


def page_html(at: AppTest) -> str:
    return "".join(str(h.proto.body) for h in at.get("html"))


# --- widgets ---------------------------------------------------------------------------------


def test_every_lever_of_the_library_is_offered_once_with_what_it_changes(app):
    keys = [c.key for c in app.checkbox]
    assert sorted(keys) == sorted(f"lever:{lv.name}" for lv in levers.levers())
    captions = " ".join(c.value for c in app.caption)
    assert levers.lever("kr1_trauma_informed_training").changes in captions


def test_levers_are_grouped_by_the_eight_key_requirements(app):
    labels = [e.proto.label for e in app.get("expander")]
    assert sorted(lb[:3] for lb in labels if lb.startswith("KR")) == list(levers.KEY_REQUIREMENTS)
    assert "KR1 Person-centred, trauma-informed systems" in labels


def test_number_inputs_are_bounded_by_the_schema(app):
    staff = app.number_input(key=f"staff:{app.selectbox(key='site').value}:midwifery")
    assert staff.min == 1 and staff.max >= staff.value
    assert (app.number_input(key="reps").min, app.number_input(key="reps").max) == (2, 100)
    app.checkbox(key="lever:kr1_trauma_informed_training").check().run()
    coverage = app.number_input(
        key="intensity:kr1_trauma_informed_training:interventions.training_coverage"
    )
    assert (coverage.min, coverage.max, coverage.value) == (0.0, 1.0, 0.9)


def test_bounds_come_from_the_schema_and_register():
    base = levers.site_scenario(SITE)
    assert levers.bounds(base, "interventions.training_coverage") == levers.Bounds(0, 1, False)
    posts = levers.bounds(base, "services.midwifery.staff")
    assert posts.low == 1 and posts.integer and posts.high >= 8  # register high 8


def test_a_value_outside_the_schema_is_refused_with_its_path():
    choice = levers.WhatIf(SITE, [], {}, {"services.midwifery.staff": 0}, 2)
    with pytest.raises(ScenarioError, match=r"services\.midwifery\.staff"):
        levers.build(choice)
    with pytest.raises(UsageError, match="not a lever"):
        levers.build(levers.WhatIf(SITE, ["no_such_lever"], {}, {}, 2))


def test_a_what_if_is_the_site_with_the_levers_laid_over_and_the_base_seed():
    choice = levers.WhatIf(
        SITE, ["kr1_trauma_informed_training", LEVER],
        {"interventions.training_coverage": 0.6}, {"services.midwifery.staff": 7}, 3, "Mine",
    )  # fmt: skip
    base, whatif = levers.build(choice)
    assert whatif.interventions.text_reminders and whatif.interventions.training_coverage == 0.6
    assert whatif.services.midwifery.staff == 7 and whatif.site == base.site
    assert (whatif.run.seed, whatif.run.replications) == (base.run.seed, 3)
    assert whatif.key_requirements == ["KR1", "KR8"] and whatif.label == "Mine"


# --- running and comparing -------------------------------------------------------------------


@pytest.mark.slow
def test_run_shows_progress_the_toc_panel_and_verdicts(app):
    choose(app)
    job = run_to_end(app)
    assert job.state == jobs.DONE and job.done == 2
    assert any("2 paired replications" in s.value for s in app.success)
    html = page_html(app)
    assert "Key requirements" in html and "S4" in html and job.whatif.label in html
    verdict_table = app.dataframe[0].value
    assert set(verdict_table["verdict"]) <= {
        "better", "worse", "no clear difference", "too small to matter",
    }  # fmt: skip
    assert not app.error and not app.exception


@pytest.mark.slow
def test_the_live_estimate_is_the_paired_comparison_of_the_pairs_done(app):
    choose(app)
    job = run_to_end(app)
    table = job.comparison()
    row = table[
        (table["scenario"] == job.whatif.name) & (table["kpi"] == "antenatal_attendance_pct")
    ]
    by_rep = job.replications().pivot(index="replication", columns="scenario",
                                      values="antenatal_attendance_pct")  # fmt: skip
    paired = (by_rep[job.whatif.name] - by_rep[job.base.name]).mean()
    assert row["diff_vs_base"].iloc[0] == pytest.approx(paired)


@pytest.mark.slow
def test_each_run_is_kept_and_compared_side_by_side(app):
    choose(app, name="Reminders")
    run_to_end(app)
    app.checkbox(key=f"lever:{LEVER}").uncheck()
    app.checkbox(key="lever:kr2_shared_records").check()
    app.text_input(key="name").set_value("Records")
    app.run()
    run_to_end(app)
    picker = app.multiselect(key="compare")
    assert picker.options == ["Reminders", "Records"]
    picker.set_value(["Reminders", "Records"]).run()
    html = page_html(app)
    assert html.count("Reminders") >= 2 and html.count("Records") >= 2  # both in the panel


def test_a_failed_run_shows_its_message_not_a_traceback(app, monkeypatch):
    def broken(*args):
        raise RuntimeError("the cohort could not be simulated")

    monkeypatch.setattr(jobs, "replicate", broken)
    choose(app)
    job = run_to_end(app)
    assert job.state == jobs.FAILED
    assert any("the cohort could not be simulated" in e.value for e in app.error)
    assert not app.exception


@pytest.mark.slow
def test_run_while_running_stops_the_first_cleanly_and_stop_stops(app):
    choose(app, reps=60, name="Long")
    app.button(key="run").click().run()
    first = by_label("Long")
    assert first.state == jobs.RUNNING
    app.text_input(key="name").set_value("Second").run()
    app.button(key="run").click().run()
    assert first.state == jobs.STOPPED and first.done < 60
    assert any("Stopped Long" in i.value for i in app.info)
    second = by_label("Second")
    app.button(key="stop").click().run()
    assert second.wait(30) and second.state == jobs.STOPPED


# --- downloads and presets -------------------------------------------------------------------


@pytest.fixture(scope="module")
def finished() -> jobs.Job:
    base, whatif = levers.build(levers.WhatIf(SITE, [LEVER], {}, {}, 2, "Reminders"))
    job = jobs.Job(base, whatif, jobs.Workers(1)).start()
    assert job.wait(60) and job.state == jobs.DONE
    return job


@pytest.mark.slow
def test_the_scenario_yaml_runs_with_pathway_sim_run_to_the_same_numbers(finished, tmp_path):
    path = tmp_path / "whatif.yaml"
    path.write_text(to_yaml(finished.whatif))
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    ran = pd.read_csv(tmp_path / "out" / "replications.csv")
    mine = finished.replications()
    mine = mine[mine["scenario"] == finished.whatif.name].reset_index(drop=True)
    assert ran["antenatal_attendance_pct"].tolist() == pytest.approx(
        mine["antenatal_attendance_pct"].tolist()
    )


@pytest.mark.slow
def test_results_zip_report_and_workbook_are_offered(finished, tmp_path):
    files = page.files_of(finished, tmp_path)
    names = zipfile.ZipFile(io.BytesIO(files["Reminders_results.zip"][0])).namelist()
    assert "Reminders/comparison.csv" in names and "Reminders/northern_city/summary.csv" in names
    assert b"Theory of Change" in files["report.html"][0]
    assert files["report.xlsx"][0][:2] == b"PK"


@pytest.mark.slow
def test_precomputed_presets_load_into_the_compare_list(tmp_path, monkeypatch):
    presets.precompute(tmp_path / "presets", reps=2, sites=[SITE], lever_names=[LEVER])
    found = presets.load(tmp_path / "presets")
    assert [(p.site, p.lever) for p in found] == [(SITE, LEVER)]
    monkeypatch.setenv(server.RESULTS_ENV, str(tmp_path / "presets"))
    monkeypatch.setenv(page.WORKERS_ENV, "1")
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    option = f"preset: {SITE}: Text reminders"
    assert at.multiselect(key="compare").options == [option]
    at.multiselect(key="compare").set_value([option]).run()
    assert "Text reminders" in page_html(at) and not at.exception


def test_precompute_refuses_an_unknown_site_before_writing(tmp_path):
    assert main(["precompute", "--out", str(tmp_path / "p"), "--sites", "atlantis"]) == 2
    assert not (tmp_path / "p").exists()


def test_app_refuses_a_results_dir_without_presets(tmp_path, capsys):
    assert main(["app", "--results", str(tmp_path)]) == 2
    assert "precompute" in capsys.readouterr().err


def test_the_server_is_headless_local_and_sends_no_statistics():
    line = server.command(8600)
    assert line[line.index("--server.address") + 1] == "127.0.0.1"
    assert line[line.index("--browser.gatherUsageStats") + 1] == "false"
    assert line[line.index("--server.headless") + 1] == "true"


def test_side_by_side_keeps_one_base_and_at_most_four(finished):
    table = finished.comparison()
    merged = results.side_by_side([table] * 6)
    base = table["scenario"].iloc[0]
    assert (merged["scenario"] == base).sum() == (table["scenario"] == base).sum()
    assert len(merged) == len(table) + 3 * (table["scenario"] != base).sum()


@pytest.mark.slow
def test_example_journeys_on_demand_show_the_same_women_in_both(app):
    choose(app)
    run_to_end(app)
    app.button(key="journeys").click().run()
    titles = [c.value for c in app.caption if c.value.startswith("Woman ")]
    assert titles and "chosen because in the base" in titles[0]
    assert len(app.get("image")) == len(titles) and not app.exception
