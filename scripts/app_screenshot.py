"""Regenerate the README's screenshot of the app (docs/app.png, at most 200 kB).

    .venv/bin/python -m scripts.app_screenshot

Serves the app on a free localhost port, runs a care co-ordinator in the northern
city over 10 paired replications in headless Debian Chromium, and saves the top of the
page with the Theory of Change panel, reduced to a palette so the PNG stays small.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
import time
from pathlib import Path

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from pathway_sim.app import server
from tests.test_app_browser import CHROMEDRIVER, CHROMIUM, click_text, free_port
from tests.test_app_browser import wait_until_serving as serving

OUT = Path(__file__).parent.parent / "docs" / "app.png"
MAX_BYTES = 200_000


def driver(profile: Path) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--window-size=1400,1700",
                 "--hide-scrollbars", f"--user-data-dir={profile}"):  # fmt: skip
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))


def drive(browser: webdriver.Chrome, url: str) -> None:
    wait = WebDriverWait(browser, 180)
    browser.get(url)
    site = wait.until(ready.presence_of_element_located(
        (By.CSS_SELECTOR, "input[aria-label*='Site archetype']")))  # fmt: skip
    site.send_keys("northern_city\n")
    reps = browser.find_element(By.CSS_SELECTOR, "input[aria-label='Replications']")
    reps.send_keys("\b\b\b10\n")
    name = browser.find_element(By.CSS_SELECTOR, "input[aria-label='Name of this what-if']")
    name.send_keys("\b" * 20 + "Care co-ordinator\n")
    click_text(browser, "KR5 Service components", wait)
    click_text(browser, "Care co-ordinator", wait)
    time.sleep(1)
    click_text(browser, "KR5 Service components", wait)  # fold it again: room for results
    time.sleep(1)
    click_text(browser, "Run", wait)
    wait.until(ready.text_to_be_present_in_element(
        (By.TAG_NAME, "body"), "10 of 10 paired replications done"))  # fmt: skip
    time.sleep(2)
    title = browser.find_element(By.XPATH, "//*[contains(text(), 'against northern_city')]")
    browser.execute_script("arguments[0].scrollIntoView();", title)
    time.sleep(1)


def small_png(raw: bytes) -> bytes:
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    for width in (1400, 1200, 1000):
        scaled = image.resize((width, round(image.height * width / image.width)))
        buffer = io.BytesIO()
        scaled.quantize(64).save(buffer, "PNG", optimize=True)
        if buffer.tell() <= MAX_BYTES:
            return buffer.getvalue()
    raise SystemExit("the screenshot stays above 200 kB")


def main() -> None:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "HOME": tmp}
        process = subprocess.Popen(server.command(port), env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            serving(f"http://127.0.0.1:{port}", process, 60)
            browser = driver(Path(tmp) / "profile")
            try:
                drive(browser, f"http://127.0.0.1:{port}")
                OUT.parent.mkdir(exist_ok=True)
                OUT.write_bytes(small_png(browser.get_screenshot_as_png()))
            finally:
                browser.quit()
        finally:
            process.terminate()
            process.wait(10)
    print(f"{OUT}: {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
