"""Regenerate the back-test expectations: ``python -m tests.backtest.regenerate``.

Each case is a tiny run through the command line (two replications). Its
``replications.csv`` and ``services.csv`` are copied here with the library
versions that produced them, so ``tests/test_backtest.py`` can tell a change of
behaviour from a change of numpy or scipy. Regenerate only on purpose, when a
model change is meant to move results, and say so in the commit.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
CASES: dict[str, list[str]] = {
    "mmc": [
        "scenarios/verification/mmc.yaml",
        "--set",
        "run.horizon_days=300",
        "--set",
        "run.warmup_days=30",
    ],
    "tandem": [
        "scenarios/verification/tandem.yaml",
        "--set",
        "run.horizon_days=300",
        "--set",
        "run.warmup_days=30",
    ],
    "base": [
        "scenarios/base.yaml",
        "--set",
        "population.women_per_year=40",
    ],
    # The preconditions off (preconditions.strength 0): the levers as independent switches.
    "base_strength0": [
        "scenarios/base.yaml",
        "--set",
        "population.women_per_year=40",
        "--set",
        "preconditions.strength=0",
    ],
}
FILES = ("replications.csv", "services.csv")
LIBRARIES = ("numpy", "scipy", "pandas", "simpy")


def run_case(name: str, out: Path) -> Path:
    """Run back-test case ``name`` into ``out`` (two replications, seed 1, one worker)."""
    command = [sys.executable, "-m", "pathway_sim", "run", *CASES[name]]
    command += ["--reps", "2", "--seed", "1", "--workers", "1", "--quiet", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, check=True)
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name in CASES:
            out = run_case(name, Path(tmp) / name)
            target = HERE / "expected" / name
            target.mkdir(parents=True, exist_ok=True)
            for file in FILES:
                shutil.copyfile(out / file, target / file)
            libraries = json.loads((out / "manifest.json").read_text())["libraries"]
            versions = {lib: libraries.get(lib) for lib in LIBRARIES}
            (target / "versions.json").write_text(json.dumps(versions, indent=2) + "\n")
            print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
