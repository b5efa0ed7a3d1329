"""Uncertainty files: what varies by default, and bad files refused naming file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathway_sim.core.errors import ScenarioError
from pathway_sim.inputs.register import load_register
from pathway_sim.uncertainty.spec import load_uncertainty

from .conftest import MMC, ROOT, SCENARIOS, mmc_variant, write

DEFAULT = ROOT / "experiments" / "uncertainty_default.yaml"
INTERVENTIONS = SCENARIOS / "interventions"


HUB = f"scenarios: [{INTERVENTIONS / 'kr5_hub.yaml'}]\n"


def spec_file(
    directory: Path, text: str, base: Path = SCENARIOS / "base.yaml", compare: str = HUB
) -> Path:
    """A small uncertainty file comparing the hub (``compare``) with ``base``, plus ``text``."""
    return write(directory / "u.yaml", f"name: u\nbase: {base}\n{compare}draws: 12\n{text}")


def test_the_default_file_compares_the_default_comparison():
    spec = load_uncertainty(DEFAULT)
    makefile = (ROOT / "Makefile").read_text()
    assert [s.name for s in spec.scenarios] == [
        "base",
        "kr1_trauma_informed_training",
        "kr5_care_coordinator",
        "kr5_hub",
        "whole_system",
    ]
    assert all(f"{s.name}.yaml" in makefile for s in spec.scenarios[1:])
    assert spec.options("kr5_hub_vs_base") == ["base", "kr5_hub"]
    assert spec.options("all") == [s.name for s in spec.scenarios]


def test_by_default_every_register_row_with_a_distribution_varies_and_nothing_else():
    spec = load_uncertainty(DEFAULT)
    register = load_register()
    drawn = {u.name for u in spec.uncertain}
    expected = {p.name for p in register.values() if p.is_uncertain} - set(spec.computed)
    assert drawn == expected
    assert spec.computed == ("harms.overdose_per_100k_days_early_postpartum",)
    held = ["services.midwifery.staff", "interventions.training_coverage", "run.warmup_days"]
    held += ["costs.discount_rate_per_year", "population.women_per_year"]
    assert not drawn & set(held)
    assert all(u.origin == "register" for u in spec.uncertain)


def test_each_draw_is_centred_on_the_base_and_grouped_as_the_register_says():
    spec = load_uncertainty(DEFAULT)
    by_name = {u.name: u for u in spec.uncertain}
    hub = by_name["attendance.hub_odds_ratio"]
    assert (hub.marginal.distribution, hub.marginal.mode) == ("pert", 1.5)
    assert by_name["harms.removal_suicide_multiplier"].marginal.distribution == "lognormal"
    assert by_name["costs.staff_per_post_year.midwifery"].group == "staff_costs"
    assert by_name["engagement.misses_to_disengage"].integer


def test_a_site_s_own_values_are_kept_not_drawn(tmp_path):
    """The northern city sets its social-work turnover and travel; they are not drawn."""
    path = spec_file(tmp_path, "", base=SCENARIOS / "sites" / "northern_city.yaml")
    drawn = {u.name for u in load_uncertainty(path).uncertain}
    assert "services.social_work.turnover_per_year" not in drawn
    assert "site.urban.hospital.cost_gbp" not in drawn
    assert "services.midwifery.turnover_per_year" in drawn


def test_parameters_exclude_and_distributions_choose_what_varies(tmp_path):
    path = spec_file(
        tmp_path,
        "parameters: [attendance.*_odds_ratio, harms.overdose_per_100k_days_pregnant]\n"
        "exclude: [attendance.remote_odds_ratio]\n"
        "distributions: {services.midwifery.staff: {distribution: uniform, low: 3, high: 6}}\n",
    )
    spec = load_uncertainty(path)
    names = [u.name for u in spec.uncertain]
    assert "attendance.hub_odds_ratio" in names and "attendance.remote_odds_ratio" not in names
    staff = next(u for u in spec.uncertain if u.name == "services.midwifery.staff")
    assert (staff.origin, staff.integer, staff.marginal.low) == ("file", True, 3.0)
    # a computed row follows the rows it is worked out from
    assert spec.computed == ("harms.overdose_per_100k_days_early_postpartum",)


def test_fields_can_be_replaced_when_loading(tmp_path):
    spec = load_uncertainty(spec_file(tmp_path, ""), draws=16, replications=3, seed=7)
    assert (spec.file.draws, spec.file.replications, spec.file.seed) == (16, 3, 7)
    assert all(s.run.seed == 7 and s.run.replications == 3 for s in spec.scenarios)


def test_the_workload_counts_every_scenario_in_every_draw(tmp_path):
    spec = load_uncertainty(spec_file(tmp_path, "replications: 3\n"))
    load = spec.workload()
    assert (load.scenarios, load.replications) == (24, 72)


def test_a_queue_network_draws_only_what_the_file_gives(tmp_path):
    twin = mmc_variant(tmp_path, "twin")
    path = write(
        tmp_path / "q.yaml",
        f"name: q\nbase: {MMC}\nscenarios: [{twin}]\ndraws: 4\n"
        "distributions: {arrivals.rate_per_day: {distribution: pert, low: 3.5, high: 4.5}}\n",
    )
    spec = load_uncertainty(path)
    assert [u.name for u in spec.uncertain] == ["arrivals.rate_per_day"]
    assert spec.computed == ()


BAD = {
    "unknown field": ("draw: 4\n", "draw: unknown field (did you mean 'draws'?)"),
    "sobol draws": ("sampler: sobol\n", "Sobol needs a power of 2"),
    "unknown decision": ("decisions: [kr9_vs_base]\n", "decisions: kr9_vs_base: expected all"),
    "bad decision": ("decisions: [hub]\n", "decisions.0: String should match pattern"),
    "unknown outcome": ("willingness_to_pay: {qalys: [0]}\n", "qalys: expected one of"),
    "unsorted grid": (
        "willingness_to_pay: {overdoses_per_1000: [10, 5]}\n",
        "expected increasing amounts",
    ),
    "held parameter": (
        "parameters: [services.midwifery.staff]\n",
        "parameters: services.midwifery.staff is not drawn (register: decision)",
    ),
    "no match": ("parameters: ['nosuch.*']\n", "parameters: 'nosuch.*' matches no parameter"),
    "exclude no match": ("exclude: [nosuch]\n", "exclude: 'nosuch' matches no parameter drawn"),
    "group no match": (
        "evppi_groups: {g: [nosuch.*]}\n",
        "evppi_groups: g: 'nosuch.*' matches no parameter drawn",
    ),
    "not a leaf": (
        "distributions: {nosuch: {distribution: pert, low: 0, high: 1}}\n",
        "distributions: nosuch is not a numeric parameter",
    ),
    "base outside": (
        "distributions: {attendance.hub_odds_ratio: {distribution: pert, low: 2, high: 3}}\n",
        "distributions: attendance.hub_odds_ratio: the base value 1.5 lies outside 2-3",
    ),
    "bad lognormal": (
        "distributions: {attendance.hub_odds_ratio: {distribution: lognormal, low: 0, high: 3}}\n",
        "distributions: attendance.hub_odds_ratio: lognormal needs 0 < low",
    ),
    "no options": ("", "expected scenarios or overlays"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_file_is_refused_naming_file_and_field(tmp_path, case):
    text, expected = BAD[case]
    path = spec_file(tmp_path, text, compare="" if case == "no options" else HUB)
    with pytest.raises(ScenarioError) as caught:
        load_uncertainty(path)
    assert expected in str(caught.value) and str(path) in str(caught.value), str(caught.value)


def test_two_scenarios_with_one_name_are_refused(tmp_path):
    hub = INTERVENTIONS / "kr5_hub.yaml"
    path = spec_file(tmp_path, f"overlays: [{hub}]\n")
    with pytest.raises(ScenarioError, match=r"\['kr5_hub'\] appear twice"):
        load_uncertainty(path)
