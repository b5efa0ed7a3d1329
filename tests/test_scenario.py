"""Scenario files: overlays, overrides and the errors a user sees."""

import json

import pytest

from pathway_sim.app import levers
from pathway_sim.core.errors import ScenarioError
from pathway_sim.inputs.loading import json_schema, load_scenario, to_yaml
from pathway_sim.models.perinatal.schema import PerinatalScenario
from pathway_sim.models.perinatal.toc import KEY_REQUIREMENTS

from .conftest import SCENARIOS, write

MMC = SCENARIOS / "verification" / "mmc.yaml"


def test_verification_scenario_loads_with_contract_overrides():
    s = load_scenario(
        MMC,
        [
            "arrivals.rate_per_day=2.5",
            "services.clinic.staff=4",
            "services.clinic.duration_days.mean=0.9",
            "run.horizon_days=500",
            "run.warmup_days=50",
        ],
    )
    assert s.arrivals.rate_per_day == 2.5
    assert s.services["clinic"].staff == 4
    assert s.services["clinic"].duration_days.mean == 0.9
    assert (s.run.horizon_days, s.run.warmup_days) == (500, 50)


def test_set_value_is_yaml_so_a_distribution_can_be_replaced(tmp_path):
    s = load_scenario(MMC, ["services.clinic.duration_days={dist: fixed, value: 0.5}"])
    assert s.services["clinic"].duration_days.dist == "fixed"


def test_extends_overlays_only_what_differs(tmp_path):
    write(tmp_path / "base.yaml", MMC.read_text())
    child = write(
        tmp_path / "sub" / "child.yaml",
        "extends: ../base.yaml\nservices:\n  clinic:\n    staff: 5\n",
    )
    s = load_scenario(child)
    assert s.services["clinic"].staff == 5
    assert s.services["clinic"].duration_days.mean == 0.6  # inherited
    assert s.name == "child"  # a file without a name is named after itself
    assert "extends" not in to_yaml(s)


def test_perinatal_overlay_keeps_every_other_default(tmp_path):
    f = write(tmp_path / "p.yaml", "model: perinatal\nservices:\n  social_work:\n    staff: 9\n")
    s = load_scenario(f)
    assert s.services.social_work.staff == 9
    assert (
        s.services.social_work.vacancy_days == 120.0
    )  # the service's own default, not the class's
    assert s.services.midwifery.staff == 4


def test_set_into_a_block_the_file_does_not_mention(tmp_path):
    f = write(tmp_path / "p.yaml", "model: perinatal\n")
    s = load_scenario(
        f, ["interventions.co_located_hub=true", "services.care_coordination.available=true"]
    )
    assert s.interventions.co_located_hub and s.services.care_coordination.available


def test_schema_covers_both_models_and_units():
    schema = json_schema()
    text = json.dumps(schema)
    assert "queue_network" in text and "perinatal" in text
    assert '"unit": "weeks"' in text


def _error(*args, **kwargs) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(*args, **kwargs)
    return str(info.value)


def test_unknown_key_is_named_with_a_suggestion(tmp_path):
    f = write(tmp_path / "bad.yaml", MMC.read_text().replace("    staff: 3", "    staf: 3"))
    message = _error(f)
    assert str(f) in message
    assert "services.clinic.staf: unknown field (did you mean 'staff'?)" in message


def test_wrong_type_names_field_and_expectation(tmp_path):
    f = write(tmp_path / "bad.yaml", MMC.read_text().replace("staff: 3", "staff: three"))
    message = _error(f)
    assert "services.clinic.staff" in message and "integer" in message and "'three'" in message


@pytest.mark.parametrize("staff", ["0", "-2"])
def test_zero_or_negative_staff(tmp_path, staff):
    message = _error(MMC, [f"services.clinic.staff={staff}"])
    assert f"--set services.clinic.staff={staff}" in message
    assert "greater than 0" in message


def test_probability_outside_unit_interval(tmp_path):
    f = write(
        tmp_path / "p.yaml", "model: perinatal\npopulation:\n  nulliparous_probability: 1.4\n"
    )
    message = _error(f)
    assert str(f) in message and "population.nulliparous_probability" in message
    assert "less than or equal to 1" in message


def test_malformed_yaml_gives_line(tmp_path):
    f = write(tmp_path / "bad.yaml", "model: queue_network\nservices: [unclosed\n")
    message = _error(f)
    assert str(f) in message and "malformed YAML" in message and "line" in message


def test_missing_extends_file(tmp_path):
    f = write(tmp_path / "child.yaml", "extends: nowhere.yaml\n")
    message = _error(f)
    assert (
        str(f) in message
        and "extends" in message
        and "nowhere.yaml" in message
        and "not found" in message
    )


def test_extends_cycle(tmp_path):
    write(tmp_path / "a.yaml", "extends: b.yaml\n")
    write(tmp_path / "b.yaml", "extends: a.yaml\n")
    message = _error(tmp_path / "a.yaml")
    assert "cycle" in message and "a.yaml" in message and "b.yaml" in message


def test_unknown_set_path_suggests(tmp_path):
    message = _error(MMC, ["services.clinc.staff=3"])
    assert "--set services.clinc.staff=3" in message and "did you mean 'clinic'" in message
    message = _error(MMC, ["run.horizon=3"])
    assert "unknown path run.horizon" in message and "horizon_days" in message


def test_set_without_equals():
    assert "expected PATH=VALUE" in _error(MMC, ["services.clinic.staff"])


def test_unknown_distribution_name(tmp_path):
    message = _error(MMC, ["services.clinic.duration_days={dist: normal, mean: 1}"])
    assert (
        "services.clinic.duration_days" in message
        and "'normal'" in message
        and "exponential" in message
    )


def test_error_names_the_file_that_set_the_value(tmp_path):
    write(tmp_path / "base.yaml", MMC.read_text())
    child = write(tmp_path / "child.yaml", "extends: base.yaml\nrun:\n  warmup_days: -1\n")
    message = _error(child)
    assert f"{child}: run.warmup_days" in message


def test_missing_model_key(tmp_path):
    f = write(tmp_path / "m.yaml", "name: x\n")
    assert "model: expected one of" in _error(f)


def test_top_level_must_be_a_mapping(tmp_path):
    f = write(tmp_path / "list.yaml", "- 1\n- 2\n")
    assert "expected a mapping" in _error(f)


def test_key_requirements_have_one_home():
    """The ToC's table of key requirements is the one list: the schema accepts its ids, the
    app groups levers by them, and an id outside it is refused."""
    schema = PerinatalScenario.model_json_schema()["properties"]["key_requirements"]
    assert schema["items"]["enum"] == list(KEY_REQUIREMENTS)
    assert levers.KEY_REQUIREMENTS is KEY_REQUIREMENTS
    with pytest.raises(ValueError, match="KR9"):
        PerinatalScenario(model="perinatal", name="s", key_requirements=["KR9"])
