"""Shared test helpers: paths to the repository's scenarios and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathway_sim.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture
def cli(capsys):
    """Run the command in-process; return (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


MMC = SCENARIOS / "verification" / "mmc.yaml"
SHORT = ("run.horizon_days=60", "run.warmup_days=10")
"""A run short enough for tests that only need the machinery, not the statistics."""


def short_options(horizon_days: int = 60) -> list[str]:
    """``--set`` options for a short run of a verification scenario."""
    return ["--set", f"run.horizon_days={horizon_days}", "--set", "run.warmup_days=10"]


def mmc_variant(directory: Path, name: str, text: str = "") -> Path:
    """A scenario file that extends mmc.yaml under another name (plus ``text``)."""
    return write(directory / f"{name}.yaml", f"extends: {MMC}\nname: {name}\n{text}")
