"""The calibration check: targets as data, the in-range rule, and the command's output contract."""

import math

import pandas as pd
import pytest

from pathway_sim.core.statistics import t_interval
from pathway_sim.inputs.calibration import (
    COLUMNS,
    Target,
    calibration_table,
    in_range,
    load_targets,
)
from pathway_sim.models.perinatal.kpis import PATHWAY_KPIS

from .conftest import SCENARIOS

SMALL = ["--set", "population.women_per_year=30"]


@pytest.mark.parametrize(
    "mean, expected",
    [(25.0, True), (15.0, True), (40.0, True), (14.99, False), (40.01, False), (math.nan, False)],
)
def test_in_range_includes_the_edges_and_never_a_missing_mean(mean, expected):
    assert in_range(mean, 15.0, 40.0) is expected


def test_calibration_table_reads_each_target_kpi_and_judges_its_mean():
    reps = pd.DataFrame(
        {"late_booking_pct": [30.0, 34.0, 38.0], "antenatal_missed_pct": [50.0, 52.0, 54.0]}
    )
    targets = [
        Target("late booking", "late_booking_pct", "cohort A", 25.0, 45.0),
        Target("DNA", "antenatal_missed_pct", "anchors", 15.0, 40.0),
    ]
    table = calibration_table(reps, targets)
    assert list(table.columns) == list(COLUMNS)
    assert list(table["target"]) == ["late booking", "DNA"]
    ci = t_interval([30.0, 34.0, 38.0])
    first = table.iloc[0]
    assert (first.simulated_mean, first.ci_low, first.ci_high) == pytest.approx(
        (34.0, ci.low, ci.high)
    )
    assert list(table["in_range"]) == [True, False]


def test_targets_name_catalogued_kpis_sources_and_ranges():
    catalogue = {k.name for k in PATHWAY_KPIS}
    targets = load_targets()
    assert len(targets) >= 8
    for t in targets:
        assert t.kpi in catalogue and t.source and t.low < t.high


@pytest.mark.slow
def test_calibration_command_writes_the_contract_table(cli, tmp_path):
    out = tmp_path / "cal"
    code, stdout, err = cli(
        "calibration", SCENARIOS / "base.yaml", "--reps", "2", *SMALL, "--out", out
    )
    assert code == 0, err
    table = pd.read_csv(out / "calibration.csv")
    assert list(table.columns) == list(COLUMNS)
    assert len(table) == len(load_targets())
    judged = [bool(r.low <= r.simulated_mean <= r.high) for r in table.itertuples()]
    assert list(table["in_range"]) == judged
    reps = pd.read_csv(out / "replications.csv")
    assert table.loc[0, "simulated_mean"] == pytest.approx(reps[load_targets()[0].kpi].mean())
    assert (out / "kpi_evidence.csv").exists() and (out / "summary.csv").exists()
    assert "targets in range" in stdout


def test_calibration_of_a_queueing_scenario_is_bad_input(cli, tmp_path):
    code, _, err = cli("calibration", SCENARIOS / "verification" / "mmc.yaml", "--out", tmp_path)
    assert code == 2 and "perinatal" in err and "Traceback" not in err
    code, _, err = cli("calibration", tmp_path / "missing.yaml", "--out", tmp_path)
    assert code == 2 and "not found" in err
