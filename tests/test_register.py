"""The parameter register: one row per numeric parameter, one truth for defaults, honest sources."""

import io
import math
from importlib import resources

import pandas as pd
import pytest

from pathway_sim.inputs.loading import load_scenario
from pathway_sim.inputs.register import (
    COLUMNS,
    QUALITIES,
    STATUSES,
    load_register,
    numeric_leaves,
    parameter,
    ranges,
)
from pathway_sim.models.perinatal.schema import PerinatalScenario

from .conftest import SCENARIOS

REGISTER = load_register()
BUILTIN = numeric_leaves(PerinatalScenario.builtin_defaults())
LIBRARY = sorted(p for p in SCENARIOS.glob("*/*.yaml") if p.parent.name != "verification")


def test_every_numeric_parameter_of_the_base_scenario_has_a_row():
    base = load_scenario(SCENARIOS / "base.yaml").model_dump(mode="json")
    unregistered = sorted(set(numeric_leaves(base)) - set(REGISTER))
    assert unregistered == []


def test_no_row_names_a_parameter_the_model_does_not_have():
    assert sorted(set(REGISTER) - set(BUILTIN)) == []


def test_defaults_have_one_home_the_schema():
    """The stored register keeps no copy of a default: each is read from the schema."""
    stored = resources.files("pathway_sim").joinpath("data", "parameters.csv").read_text("utf-8")
    header = stored.splitlines()[0].split(",")
    assert "default" not in header and set(header) == set(COLUMNS) - {"default"}
    assert REGISTER["services.midwifery.staff"].default == BUILTIN["services.midwifery.staff"]


@pytest.mark.parametrize("name", sorted(REGISTER))
def test_default_lies_within_its_range(name):
    p = REGISTER[name]
    assert p.low <= p.high
    values = p.default if p.is_schedule else () if p.default is None else (p.default,)
    assert all(p.low <= v <= p.high for v in values), (values, p.low, p.high)


@pytest.mark.parametrize("name", sorted(REGISTER))
def test_every_row_names_a_source_or_says_assumption(name):
    p = REGISTER[name]
    assert p.status in STATUSES and p.unit
    if p.is_assumption:
        assert p.source == "assumption" and p.quality == ""
    else:
        assert p.source and p.source != "assumption" and p.quality in QUALITIES
    if p.status == "derived":
        assert p.note, "a derived value writes its working in the note"


def test_numeric_leaves_keeps_numbers_lists_and_unset_numbers_only():
    data = {
        "model": "perinatal",
        "key_requirements": ["KR1"],
        "run": {"seed": 3, "replications": 5, "warmup_days": 10.0},
        "services": {
            "a": {"available": True, "staff": 2, "weeks": [16, 28], "end": None, "location": "hub"}
        },
    }
    assert numeric_leaves(data) == {
        "run.warmup_days": 10.0,
        "services.a.staff": 2,
        "services.a.weeks": [16, 28],
        "services.a.end": None,
    }


def test_ranges_by_name_for_sensitivity_analysis():
    assert ranges(["attendance.reminder_odds_ratio"]) == {
        "attendance.reminder_odds_ratio": (1.37, 2.26)
    }
    every = ranges()
    assert "services.midwifery.staff" in every
    assert "services.midwifery.parous_weeks" not in every  # a schedule is not one number
    assert "population.cohort_days" not in every  # a design choice: low = high


def test_unknown_name_suggests_the_nearest_row():
    with pytest.raises(KeyError, match=r"services.midwifery.staff"):
        parameter("services.midwifery.staf")


def test_sourced_effect_sizes_carry_their_published_values():
    assert parameter("attendance.reminder_odds_ratio").default == 1.76
    assert parameter("birth.continuity_preterm_rr").default == 0.77
    assert parameter("harms.removal_overdose_multiplier").default == 1.55
    assert math.isclose(parameter("harms.overdose_fatal_share").default, 11 / 242, rel_tol=0.02)


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_scenario_library_stays_inside_the_register_ranges(path):
    """Sensitivity ranges cover every site and intervention, so no scenario extrapolates."""
    values = numeric_leaves(load_scenario(path).model_dump(mode="json"))
    outside = {}
    for name, value in values.items():
        if value is None:
            continue
        p = REGISTER[name]
        entries = value if isinstance(value, list) else [value]
        if not all(p.low <= v <= p.high for v in entries):
            outside[name] = (value, p.low, p.high)
    assert outside == {}


def test_params_command_prints_the_register(cli):
    code, out, _ = cli("params", "--csv")
    assert code == 0
    table = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert list(table.columns) == list(COLUMNS) and list(table["name"]) == list(REGISTER)
    code, out, _ = cli("params")
    assert code == 0 and "services.midwifery.staff" in out
    assert f"{len(REGISTER)} parameters:" in out
