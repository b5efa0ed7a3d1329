"""`pathway-sim animate`: a tiny run's event log becomes an HTML animation with its frames."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import SCENARIOS

pytest.importorskip("vidigi", reason="vidigi not installed: pip install 'pathway-sim[animate]'")

MMC = SCENARIOS / "verification" / "mmc.yaml"
SHORT = ["--set", "run.horizon_days=20", "--set", "run.warmup_days=0"]


def test_animate_writes_html_with_a_frame_per_day(cli, tmp_path):
    code, _out, err = cli("run", MMC, "--reps", "1", *SHORT, "--event-log", "--out", tmp_path / "R")
    assert code == 0, err
    out = tmp_path / "anim.html"
    code, printed, err = cli("animate", tmp_path / "R", "--weeks", "1:2", "--out", out)
    assert code == 0, err
    assert "(8 frames)" in printed  # days 7 to 14
    html = out.read_text()
    assert not re.search(r'<script[^>]*src="https?://', html)  # plotly.js embedded, no CDN
    start = html.index("[", html.rindex("Plotly.addFrames("))
    frames, _end = json.JSONDecoder().raw_decode(html, start)
    assert len(frames) == 8
    assert [int(float(f["name"])) for f in frames] == list(range(7, 15))
    assert any(f["data"] for f in frames)


def test_animate_explains_a_missing_event_log(cli, tmp_path):
    cli("run", MMC, "--reps", "1", *SHORT, "--out", tmp_path / "R")
    code, _out, err = cli("animate", tmp_path / "R", "--out", tmp_path / "a.html")
    assert code == 2 and "no event log" in err
