"""The app in a real browser (issue 18): the Streamlit server on a free localhost port,
headless Debian Chromium driven by its chromedriver (selenium, pointed at the Debian
binaries so nothing is downloaded), a tiny what-if run by pressing Run, and the page
checked for the Theory of Change panel and the comparison. A screenshot is saved in
the test's tmp dir.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("streamlit", reason="the app extra is not installed: pip install .[app]")
pytest.importorskip("selenium", reason="selenium is not installed: pip install .[test]")
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from pathway_sim.app import page, server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
needs_browser = pytest.mark.skipif(
    not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()),
    reason="the browser test needs Debian's chromium and chromium-driver "
    "(apt-get install chromium chromium-driver; .ci/run installs them)",
)
START_SECONDS = 60
RUN_SECONDS = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server ended with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the server did not answer within {timeout} s")


@pytest.fixture
def served(tmp_path) -> Iterator[str]:
    """The app's server (the command ``pathway-sim app`` runs), stopped after the test."""
    port = free_port()
    env = {**os.environ, page.WORKERS_ENV: "1", "HOME": str(tmp_path)}
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(server.command(port), env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, process, START_SECONDS)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def browser(tmp_path) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--window-size=1400,2200",
                 f"--user-data-dir={tmp_path / 'profile'}"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(START_SECONDS)
    try:
        yield driver
    finally:
        driver.quit()


def click_text(driver: webdriver.Chrome, text: str, wait: WebDriverWait) -> None:
    """Click the element whose own text is ``text`` (an expander, a checkbox label)."""
    path = f"//*[normalize-space(text())='{text}']"
    wait.until(ready.element_to_be_clickable((By.XPATH, path))).click()


def run_what_if(driver: webdriver.Chrome, url: str, wait: WebDriverWait) -> None:
    """Two replications of text reminders, Run pressed, then the run picked to compare."""
    driver.get(url)
    reps = wait.until(ready.presence_of_element_located(
        (By.CSS_SELECTOR, "input[aria-label='Replications']")))  # fmt: skip
    reps.send_keys("\b\b\b2\n")
    click_text(driver, "KR8 Care delivery (staff)", wait)
    click_text(driver, "Text reminders", wait)
    time.sleep(1)  # let the widget changes reach the server before Run
    click_text(driver, "Run", wait)
    wait.until(ready.text_to_be_present_in_element(
        (By.TAG_NAME, "body"), "2 of 2 paired replications done"))  # fmt: skip
    wait.until(ready.text_to_be_present_in_element((By.TAG_NAME, "body"), "Verdicts"))
    picker = wait.until(ready.element_to_be_clickable(
        (By.CSS_SELECTOR, "div[data-testid='stMultiSelect'] input")))  # fmt: skip
    picker.send_keys("What-if 1\n")
    wait.until(lambda d: d.find_element(By.TAG_NAME, "body").text.count("Short-term outcomes") == 2)


@needs_browser
@pytest.mark.slow
def test_a_tiny_what_if_in_a_real_browser_shows_the_toc_panel_and_comparison(
    served, browser, tmp_path
):
    wait = WebDriverWait(browser, RUN_SECONDS)
    try:
        run_what_if(browser, served, wait)
    finally:
        browser.save_screenshot(str(tmp_path / "app.png"))
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Key requirements" in body and "Short-term outcomes" in body  # the ToC panel
    assert "Compare side by side" in body  # and the kept run beside the base
    assert "What-if 1 against" in body
    assert "better" in body or "no clear difference" in body  # the comparison's verdicts
    assert (tmp_path / "app.png").stat().st_size > 10_000
