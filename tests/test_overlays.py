"""Overlaying an intervention file on another base, so levers carry across site archetypes."""

import pytest

from pathway_sim.core.errors import ScenarioError
from pathway_sim.experiments.spec import load_experiment
from pathway_sim.inputs.loading import load_scenario, overlay_file

from .conftest import ROOT, SCENARIOS, write

SITE = SCENARIOS / "sites" / "northern_city.yaml"
INTERVENTIONS = SCENARIOS / "interventions"


def test_overlay_applies_only_what_the_file_writes():
    site = load_scenario(SITE)
    staffed = overlay_file(site, INTERVENTIONS / "kr4_staffing_supervision.yaml")
    assert staffed.name == "kr4_staffing_supervision"
    assert staffed.interventions.supervision
    for service, added in [("midwifery", 1), ("drug_treatment", 2), ("social_work", 2)]:
        before, after = getattr(site.services, service), getattr(staffed.services, service)
        assert after.staff == before.staff  # the site's establishment is kept
        assert after.posts == before.posts + added
    # everything else is the site's, not the generic base's the file extends
    assert staffed.population.women_per_year == site.population.women_per_year
    assert staffed.site == site.site


def test_overlay_can_secure_funding_the_site_ends():
    site = load_scenario(SITE)
    assert site.services.peer_advocacy.funding_end_day is not None
    peers = overlay_file(site, INTERVENTIONS / "kr5_peer_advocacy.yaml")
    assert peers.services.peer_advocacy.funding_end_day is None


def test_overlay_is_validated_and_names_the_file(tmp_path):
    bad = write(
        tmp_path / "bad.yaml",
        "extends: nowhere.yaml\nservices:\n  social_work: {added_posts: -1}\n",
    )
    with pytest.raises(ScenarioError) as info:
        overlay_file(load_scenario(SITE), bad)
    assert str(bad) in str(info.value) and "services.social_work.added_posts" in str(info.value)
    other = write(tmp_path / "q.yaml", "model: queue_network\n")
    with pytest.raises(ScenarioError, match="model"):
        overlay_file(load_scenario(SITE), other)


def test_experiment_overlays_every_single_intervention_on_the_site():
    experiment = load_experiment(ROOT / "experiments" / "single_interventions_northern_city.yaml")
    base, *others = experiment.scenarios
    assert base.name == "northern_city" and len(others) == 20
    assert all(s.site == base.site and s.run == base.run for s in others)
    assert {s.name for s in others} == {p.stem for p in INTERVENTIONS.glob("kr*.yaml")}
