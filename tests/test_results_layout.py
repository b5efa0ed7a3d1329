"""The output directory's contract in one place: every file name declared once
(``runs/layout.py``), written by ``runs/outputs.py`` and read back by ``runs/reader.py``."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd

import pathway_sim as ps
from pathway_sim.reporting.report import build_report
from pathway_sim.runs import layout
from pathway_sim.runs.formats import EVENT_LOG_FILES
from pathway_sim.runs.reader import ResultsDir, read_results

from .conftest import MMC, SHORT, mmc_variant, write

PACKAGE = Path(__file__).parents[1] / "src" / "pathway_sim"
HOMES = {PACKAGE / "runs" / "layout.py", PACKAGE / "runs" / "formats.py"}
PACKAGE_DATA = {("inputs/register.py", "parameters.csv")}
"""The register's own file (package data), which shares a name with a results file."""
DECLARED = {
    value for name, value in vars(layout).items() if name.isupper() and isinstance(value, str)
}


def test_no_module_but_the_layout_spells_a_results_file_name():
    files = {name for name in DECLARED | set(EVENT_LOG_FILES) if "." in name}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in HOMES:
            continue
        where = str(path.relative_to(PACKAGE))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            spelt = isinstance(node, ast.Constant) and node.value in files
            if spelt and (where, node.value) not in PACKAGE_DATA:
                found.append(f"{where}:{node.lineno} {node.value}")
    assert not found, found


def written(root: Path) -> set[str]:
    """Every file and directory name under ``root`` that a command wrote (not the files in
    the replication store, which the store names)."""
    store = set(root.rglob(f"{layout.STORE}/*"))
    return {p.name for p in root.rglob("*") if p not in store}


def test_every_file_a_comparison_writes_is_declared(tmp_path):
    other = mmc_variant(tmp_path / "inputs", "staffed", "services: {clinic: {staff: 4}}")
    out = tmp_path / "cmp"
    ps.compare(MMC, other, reps=2, overrides=SHORT, out=out, event_log=True)
    build_report(out)
    names = written(out) - {"mmc", "staffed"}  # the scenarios' own directories
    figures = {p.name for p in (out / layout.FIGURES).iterdir()}
    assert names - figures <= DECLARED | set(EVENT_LOG_FILES)
    assert {layout.COMPARISON, layout.SCORECARD, layout.WORKBOOK, layout.REPORT} <= names


def test_every_file_a_sensitivity_analysis_writes_is_declared(tmp_path):
    spec = write(
        tmp_path / "s.yaml",
        f"name: s\nbase: {MMC}\nmethod: lhs\nsamples: 3\nreplications: 1\ntornado: false\n"
        "set: {run.horizon_days: 60, run.warmup_days: 10}\n"
        "parameters: [services.clinic.duration_days.mean]\n"
        "ranges: {services.clinic.duration_days.mean: [0.5, 0.6]}\n",
    )
    out = tmp_path / "sens"
    ps.run_sensitivity(spec, out=out)
    top = {p.name for p in out.iterdir()}
    assert top <= set(layout.SENSITIVITY_FILES) | {layout.POINTS} and layout.SAMPLES in top


def test_the_reader_reads_back_what_the_run_wrote(tmp_path):
    other = mmc_variant(tmp_path / "inputs", "staffed", "services: {clinic: {staff: 4}}")
    comparison = ps.compare(MMC, other, reps=3, overrides=SHORT, out=tmp_path / "c", event_log=True)
    results = read_results(tmp_path / "c")
    assert results.names == ["mmc", "staffed"] and results.effects is None
    assert results.comparison is not None
    pd.testing.assert_frame_equal(results.comparison, comparison.table, check_exact=True)
    for run, read in zip(comparison.runs, results.scenarios, strict=True):
        pd.testing.assert_frame_equal(read.replications, run.replications, check_exact=True)
        assert read.manifest["replications"] == 3 and read.scenario["name"] == run.name
        assert read.events is None  # a queue network keeps no weekly counts of women
        assert ResultsDir(tmp_path / "c").event_log(run.name) is not None
