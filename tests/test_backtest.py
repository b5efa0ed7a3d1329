"""Back-tests: tiny runs compared with committed outputs (``tests/backtest/expected``).

Byte for byte when the recorded numerical libraries are the versions installed;
otherwise to a relative tolerance of 1e-12, since dependencies have only lower
bounds and a new numpy may round the last bit differently. A failure means the
model's results moved: if that was meant, regenerate with
``python -m tests.backtest.regenerate`` and say so in the commit.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

import pandas as pd
import pytest

from tests.backtest.regenerate import CASES, FILES, HERE, LIBRARIES, run_case


def installed_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for lib in LIBRARIES:
        try:
            versions[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            versions[lib] = None
    return versions


@pytest.mark.parametrize("case", sorted(CASES))
def test_outputs_match_the_committed_back_test(case: str, tmp_path: Path) -> None:
    expected_dir = HERE / "expected" / case
    out = run_case(case, tmp_path / case)
    recorded = json.loads((expected_dir / "versions.json").read_text())
    exact = recorded == installed_versions()
    for file in FILES:
        if exact:
            assert (out / file).read_bytes() == (expected_dir / file).read_bytes(), file
        else:
            got = pd.read_csv(out / file)
            want = pd.read_csv(expected_dir / file)
            pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12, atol=0.0)
