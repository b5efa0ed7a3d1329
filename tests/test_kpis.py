"""The KPI catalogue matches what the model writes, and covers the Theory of Change."""

import io

import pandas as pd
import pytest

from pathway_sim.models import label
from pathway_sim.models.perinatal.kpis import PATHWAY_KPIS, catalogue
from pathway_sim.models.perinatal.toc import TOC_OUTCOMES
from pathway_sim.runs.runner import replications_table, run_replication

from .pathway_helpers import small


def test_every_written_kpi_is_catalogued_and_every_catalogued_kpi_is_written():
    result = run_replication(small(), 2, 0)
    columns = [
        c
        for c in replications_table("s", [result]).columns
        if c not in ("scenario", "replication", "seed", "women")
    ]
    assert columns == [k.name for k in PATHWAY_KPIS]


def test_each_outcome_and_impact_a_service_model_can_speak_to_has_a_kpi():
    covered = {k.toc_outcome for k in PATHWAY_KPIS}
    assert {"S1", "S2", "S3", "S4", "S5", "S6", "M1", "M2", "I1", "I2", "I3", "I4"} <= covered
    assert covered <= set(TOC_OUTCOMES)
    assert "I5" not in covered  # public discourse: outside what a service model can show


def test_catalogue_entries_are_complete():
    for k in PATHWAY_KPIS:
        assert k.better in ("higher", "lower", "neither")
        assert k.definition and k.unit and k.label and k.label != k.name
    assert label("preterm_birth_pct") == "Preterm births"
    assert label("not_a_kpi") == "not_a_kpi"


def test_kpis_csv_command(cli):
    code, out, _ = cli("kpis", "--csv")
    table = pd.read_csv(io.StringIO(out))
    assert code == 0
    assert list(table.columns) == [
        "name", "toc_outcome", "definition", "unit", "better",
        "minimal_important_difference", "mid_reason",
    ]  # fmt: skip
    assert table["minimal_important_difference"].gt(0).all()
    assert list(table["name"]) == list(catalogue()["name"])


STRUCTURALLY_CONSTANT: dict[str, str] = {}
"""KPIs allowed to take one value over replications and scenarios, and why (none today)."""


@pytest.mark.slow
def test_no_kpi_is_a_constant_or_a_copy_of_another():
    """Over a few replications of two scenarios every KPI varies, and no two KPI columns
    are the same numbers (a KPI that never moves, or repeats another, measures nothing)."""
    scenarios = {
        "base": small("population.women_per_year=150"),
        "levers": small(
            "population.women_per_year=150",
            "services.care_coordination.available=true",
            "services.parenting_support.available=true",
            "services.post_removal_support.available=true",
            "interventions.shared_records=true",
            "interventions.training_coverage=0.9",
        ),
    }
    table = pd.concat(
        replications_table(name, [run_replication(s, 5, rep) for rep in range(3)])
        for name, s in scenarios.items()
    )
    kpis = table[[k.name for k in PATHWAY_KPIS]]
    constant = [c for c in kpis if kpis[c].dropna().nunique() <= 1]
    assert sorted(set(constant) - set(STRUCTURALLY_CONSTANT)) == []
    seen: dict[tuple, str] = {}
    copies = []
    for name in kpis:
        key = tuple(kpis[name].round(12).fillna(-1e300))
        if key in seen:
            copies.append((seen[key], name))
        seen.setdefault(key, name)
    assert copies == []
