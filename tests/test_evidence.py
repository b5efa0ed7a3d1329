"""KPI evidence: which parameters each KPI rests on, and whether they are mostly assumptions."""

import pandas as pd
import pytest

from pathway_sim.inputs.evidence import COLUMNS, assumption_share, kpi_evidence, main_parameters
from pathway_sim.inputs.loading import load_scenario
from pathway_sim.inputs.register import load_register, matching
from pathway_sim.models.perinatal.kpis import PATHWAY_KPIS
from pathway_sim.runs.runner import run_replication

from .conftest import SCENARIOS


@pytest.mark.parametrize("kpi", [k.name for k in PATHWAY_KPIS])
def test_every_kpi_pattern_names_register_rows(kpi):
    for pattern in main_parameters(kpi):
        assert matching([pattern]), f"{kpi}: {pattern!r} matches no register row"


def test_assumption_share_counts_register_statuses():
    assert assumption_share(("attendance.reminder_odds_ratio",)) == 0.0
    assert assumption_share(("attendance.reminder_odds_ratio", "attendance.remote_share")) == 0.5
    register = load_register()
    rows = [p for name, p in register.items() if name.startswith("harms.")]
    assert assumption_share(("harms.*",)) == sum(p.is_assumption for p in rows) / len(rows)


def test_kpi_evidence_flags_kpis_resting_mainly_on_assumptions():
    table = kpi_evidence().set_index("kpi")
    assert list(table.reset_index().columns) == list(COLUMNS)
    assert len(table) == len(PATHWAY_KPIS)
    assert (table["rests_on_assumptions"] == (table["assumption_share"] > 0.5)).all()
    assert table.loc["staff_confidence_index", "rests_on_assumptions"]  # nothing quantitative found
    assert not table.loc["overdoses_per_1000", "rests_on_assumptions"]  # Schiff et al. rates
    assert (
        table.loc["late_booking_pct", "calibrated"]
        and not table.loc["retraumatised_pct", "calibrated"]
    )


def test_model_outputs_exactly_the_catalogued_kpis():
    scenario = load_scenario(SCENARIOS / "base.yaml", ["population.women_per_year=20"])
    result = run_replication(scenario, 1, 0)
    assert list(result.kpis) == [k.name for k in PATHWAY_KPIS]


@pytest.mark.slow
def test_run_writes_kpi_evidence_beside_the_contract_files(cli, tmp_path):
    small = ["--set", "population.women_per_year=30"]
    code, out, err = cli("run", SCENARIOS / "base.yaml", "--reps", "2", *small, "--out", tmp_path)
    assert code == 0, err
    evidence = pd.read_csv(tmp_path / "kpi_evidence.csv")
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert list(summary.columns) == ["scenario", "kpi", "mean", "std", "ci_low", "ci_high", "n"]
    assert set(evidence["kpi"]) == set(summary["kpi"])
    assert "rest mainly on assumption" in out


def test_every_capacity_parameter_counts_for_some_kpi():
    """The capacity mechanisms (waits, workload, vacancy cover, hurried assessments) are
    assumptions: each must count towards the evidence of a KPI it moves, or
    kpi_evidence.csv would understate what rests on assumptions."""
    counted = {p.name for k in PATHWAY_KPIS for p in matching(main_parameters(k.name))}
    capacity = {name for name in load_register() if name.startswith("capacity.")}
    assert capacity and sorted(capacity - counted) == []
