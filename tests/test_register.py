"""The parameter register: one row per numeric parameter, one truth for defaults, honest sources."""

import csv
import io
import math
from importlib import resources

import pandas as pd
import pytest

from pathway_sim.core.marginals import RANGE_IS
from pathway_sim.inputs.loading import load_scenario
from pathway_sim.inputs.register import (
    COLUMNS,
    COMPUTED,
    HELD,
    QUALITIES,
    STATUSES,
    Parameter,
    check_distribution,
    load_register,
    numeric_leaves,
    parameter,
    ranges,
    register_table,
    rule_distribution,
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


def test_every_stored_line_has_the_header_s_fields():
    """An unquoted comma in a note would push its tail into the next column unseen."""
    stored = resources.files("pathway_sim").joinpath("data", "parameters.csv").read_text("utf-8")
    lines = list(csv.reader(io.StringIO(stored)))
    widths = {len(line) for line in lines}
    assert widths == {len(lines[0])}, [line[0] for line in lines if len(line) != len(lines[0])]


@pytest.mark.parametrize("name", sorted(REGISTER))
def test_every_row_says_how_its_value_is_uncertain(name):
    p = REGISTER[name]
    assert p.distribution in (*RANGE_IS, *HELD, COMPUTED)
    assert check_distribution(p) is None
    if p.unit in ("posts", "hours/week per post"):
        assert p.distribution == "decision"
    if not p.varies or p.default is None:
        assert not p.is_uncertain


def test_the_rule_fills_an_empty_distribution():
    """A new row need write nothing: no range is fixed, staffing a decision, the rest PERT."""
    assert rule_distribution(28.0, 14, 56, "days") == "pert"
    assert rule_distribution(90.0, 90, 90, "days") == "fixed"
    assert rule_distribution([16, 28], 10, 42, "weeks") == "fixed"
    assert rule_distribution(None, 180, 1095, "days") == "fixed"
    assert rule_distribution(4, 2, 8, "posts") == "decision"


def test_published_intervals_are_drawn_from_them():
    """Sourced effect sizes with a 95% confidence interval are lognormal around it."""
    for name in (
        "birth.continuity_preterm_rr",
        "attendance.reminder_odds_ratio",
        "harms.removal_overdose_multiplier",
        "harms.removal_suicide_multiplier",
    ):
        assert REGISTER[name].distribution == "lognormal"
        assert REGISTER[name].range_is == "95% interval"
    assert REGISTER["child_protection.referral_probability"].distribution == "beta"
    assert REGISTER["attendance.hub_odds_ratio"].range_is == "bounds"


def test_method_choices_and_decisions_are_not_drawn():
    held = {
        "run.warmup_days": "method",
        "birth.follow_up_days": "method",
        "costs.discount_rate_per_year": "method",
        "costs.full_time_hours_per_week": "method",
        "services.midwifery.staff": "decision",
        "services.social_work.added_posts": "decision",
        "services.drug_treatment.hours_per_week": "decision",
        "interventions.training_coverage": "decision",
        "population.women_per_year": "site",
    }
    assert {n: REGISTER[n].distribution for n in held} == held
    assert not any(REGISTER[n].is_uncertain for n in held)


def test_groups_join_rows_that_move_together():
    groups: dict[str, list[str]] = {}
    for p in REGISTER.values():
        if p.group:
            groups.setdefault(p.group, []).append(p.name)
    assert sorted(groups["overdose_rates"]) == [
        "harms.overdose_per_100k_days_early_postpartum",
        "harms.overdose_per_100k_days_late_postpartum",
        "harms.overdose_per_100k_days_pregnant",
    ]
    assert len(groups["staff_costs"]) == 10
    assert all(len(members) > 1 for members in groups.values())


def _row(**changes) -> Parameter:
    fields = {"name": "x", "default": 2.0, "low": 1.0, "high": 3.0, "unit": "odds ratio"}
    stated = {"source": "assumption", "status": "assumption", "quality": "", "note": ""}
    return Parameter(**{**fields, **stated, "distribution": "pert", "group": "", **changes})


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"distribution": "normal"}, "is not one of"),
        ({"distribution": "lognormal", "low": 0.0}, "lognormal needs 0 < low"),
        ({"distribution": "beta"}, "beta needs 0 < low"),
        ({"default": 4.0}, "outside"),
        ({"distribution": "decision", "group": "g"}, "joins no group"),
        ({"distribution": "fixed"}, "say why it is not drawn"),
        ({"distribution": "computed"}, "needs the group"),
        ({"default": (1.0, 2.0)}, "needs one number"),
    ],
)
def test_a_bad_distribution_is_named(changes, problem):
    assert problem in check_distribution(_row(**changes))


def test_params_table_prints_each_row_s_distribution():
    table = register_table()
    assert set(table["distribution"]) <= {*RANGE_IS, *HELD, COMPUTED}
    assert table.set_index("name").loc["services.midwifery.contact_hours.mean", "distribution"] == (
        "pert"
    )


def test_a_group_of_one_row_is_named():
    from pathway_sim.inputs.register import _lone_groups

    rows = [
        _row(name="a", group="pair"),
        _row(name="b", group="pair"),
        _row(name="c", group="solo"),
    ]
    assert _lone_groups(rows) == ["group 'solo' has one row (c)"]
