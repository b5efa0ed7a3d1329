"""The scenario library: site archetypes and one intervention per Theory of Change lever."""

from pathlib import Path

import pytest
import yaml

from pathway_sim.inputs.loading import load_scenario

from .conftest import SCENARIOS

SITES = SCENARIOS / "sites"
INTERVENTIONS = SCENARIOS / "interventions"
ALL_FILES = sorted([*SCENARIOS.glob("*.yaml"), *SCENARIOS.glob("*/*.yaml")])
INTERVENTION_FILES = sorted(INTERVENTIONS.glob("*.yaml"))
SINGLE_LEVERS = [p for p in INTERVENTION_FILES if p.stem != "whole_system"]
LABELS = ("name", "description", "key_requirements", "changes")


def _load(path: Path):
    return load_scenario(path)


def _site(name: str):
    return _load(SITES / f"{name}.yaml")


def _changed_paths(path: Path) -> set[str]:
    """Scenario paths whose value differs from the base scenario, labels aside."""
    base = _flat(_load(SCENARIOS / "base.yaml").model_dump(mode="json"))
    other = _flat(_load(path).model_dump(mode="json"))
    return {k for k in other if other[k] != base.get(k) and k.split(".")[0] not in LABELS}


def _flat(data, prefix=""):
    out = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(SCENARIOS)))
def test_every_scenario_file_validates(path):
    assert _load(path).name


def test_scenario_names_are_unique():
    names = [_load(p).name for p in ALL_FILES]
    assert len(names) == len(set(names))


def test_the_library_has_four_sites_and_a_lever_for_every_key_requirement():
    assert {p.stem for p in SITES.glob("*.yaml")} == {
        "london_borough",
        "northern_city",
        "central_scotland",
        "southwest_scotland_rural",
    }
    covered = {kr for p in SINGLE_LEVERS for kr in _load(p).key_requirements}
    assert covered == {f"KR{i}" for i in range(1, 9)}


@pytest.mark.parametrize("path", INTERVENTION_FILES, ids=lambda p: p.stem)
def test_intervention_names_its_key_requirement_and_what_it_changes(path):
    raw = yaml.safe_load(path.read_text())
    scenario = _load(path)
    assert raw["extends"] == "../base.yaml"
    assert scenario.key_requirements and len(scenario.changes) > 40 and scenario.description
    assert _changed_paths(path), "an intervention must change at least one lever"


def test_whole_system_switches_on_every_lever_of_the_single_lever_files():
    whole = _changed_paths(INTERVENTIONS / "whole_system.yaml")
    missing = {p.stem: _changed_paths(p) - whole for p in SINGLE_LEVERS}
    assert {k: v for k, v in missing.items() if v} == {}


def test_whole_system_staffs_the_longer_relational_contacts():
    whole = _load(INTERVENTIONS / "whole_system.yaml").services
    staffed = _load(INTERVENTIONS / "kr4_staffing_supervision.yaml").services
    for name in ("midwifery", "drug_treatment", "social_work", "mental_health", "health_visiting"):
        assert getattr(whole, name).posts >= 1.25 * getattr(staffed, name).posts - 0.5


def _mean_trip_hours(scenario) -> float:
    site = scenario.site
    places = ("hospital", "community", "drug_service", "social_work_office")
    urban = sum(getattr(site.urban, p).hours for p in places) / len(places)
    rural = sum(getattr(site.rural, p).hours for p in places) / len(places)
    return (1 - site.rural_share) * urban + site.rural_share * rural


def test_rural_site_has_longer_dearer_trips_than_london():
    london, rural = _site("london_borough"), _site("southwest_scotland_rural")
    assert london.site.rural_share == 0 and rural.site.rural_share >= 0.5
    assert _mean_trip_hours(rural) > 1.5 * _mean_trip_hours(london)
    assert rural.site.rural.hospital.cost_gbp > 5 * london.site.urban.hospital.cost_gbp


def test_scottish_sites_follow_scottish_rules_and_english_sites_english_ones():
    for name in ("central_scotland", "southwest_scotland_rural"):
        s = _site(name)
        assert s.site.nation == "scotland"
        assert (
            s.child_protection.deadline_weeks,
            s.child_protection.deadline_days_after_concern,
        ) == (28, 21)
        assert s.services.health_visiting.antenatal_weeks == [33]
        assert len([d for d in s.services.health_visiting.postnatal_days if d <= 365]) == 8
    for name in ("london_borough", "northern_city"):
        s = _site(name)
        assert s.site.nation == "england"
        assert s.child_protection.deadline_weeks == 30
        assert s.services.health_visiting.postnatal_days == [12, 42, 300]


def test_sites_differ_in_services_and_staffing():
    sites = {p.stem: _site(p.stem) for p in SITES.glob("*.yaml")}
    assert len({s.population.women_per_year for s in sites.values()}) == 4
    rural = sites["southwest_scotland_rural"].services
    london = sites["london_borough"].services
    assert rural.mental_health.staff * rural.mental_health.hours_per_week < (
        london.mental_health.staff * london.mental_health.hours_per_week
    )
    assert london.parenting_support.available and not rural.parenting_support.available
    assert rural.peer_advocacy.funding_end_day is not None
    assert sites["northern_city"].services.peer_advocacy.funding_end_day is not None
    assert london.peer_advocacy.funding_end_day is None


@pytest.mark.parametrize("path", sorted(SITES.glob("*.yaml")), ids=lambda p: p.stem)
def test_site_file_says_where_its_numbers_come_from(path):
    header = "".join(line for line in path.read_text().splitlines(True) if line.startswith("#"))
    assert "Where the numbers come from" in header
    assert "women_per_year" in header and "rural_share" in header
    assert "assumption" in header and ("sourced" in header or "derived" in header)
