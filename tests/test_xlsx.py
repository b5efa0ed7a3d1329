"""report.xlsx: written by compare and experiment, and the same values as the CSVs."""

import pandas as pd
import pytest
from openpyxl import load_workbook

from pathway_sim.inputs.register import register_table

from .conftest import SCENARIOS

SMALL = ("population.women_per_year=30", "population.cohort_days=90", "run.warmup_days=30")


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    import pathway_sim as ps

    out = tmp_path_factory.mktemp("xlsx")
    ps.compare(SCENARIOS / "base.yaml", SCENARIOS / "interventions" / "kr5_hub.yaml", reps=2,
               overrides=SMALL, out=out)  # fmt: skip
    return out


def sheet(path, name) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name=name, engine="openpyxl")


def same(read: pd.DataFrame, written: pd.DataFrame) -> None:
    assert list(read.columns) == list(written.columns)
    pd.testing.assert_frame_equal(
        read.reset_index(drop=True), written.reset_index(drop=True),
        check_dtype=False, rtol=1e-12,
    )  # fmt: skip


@pytest.mark.slow
def test_workbook_has_the_sheets_and_the_csvs_values(compared):
    path = compared / "report.xlsx"
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["scorecard", "comparison", "costs", "cost_effectiveness", "register"]
    same(sheet(path, "scorecard"), pd.read_csv(compared / "scorecard.csv"))
    same(sheet(path, "comparison"), pd.read_csv(compared / "comparison.csv"))
    ce = pd.read_csv(compared / "cost_effectiveness.csv")
    same(sheet(path, "cost_effectiveness"), ce)
    costs = sheet(path, "costs")
    assert set(costs["kpi"]) >= {"service_cost_per_woman", "total_cost_per_woman"}
    comparison = pd.read_csv(compared / "comparison.csv")
    same(costs, comparison[comparison["kpi"].isin(costs["kpi"])])
    register = sheet(path, "register")
    assert len(register) == len(register_table())
    assert set(register.loc[register["name"].str.startswith("costs."), "source"].dropna())
