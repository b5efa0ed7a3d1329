"""Birth outcomes read the right things: preterm risk from opioid use, treatment, medication and
the care she gets; withdrawal from what the baby was exposed to, never prevented by treatment."""

import pytest
import simpy

from pathway_sim.core.randomness import Streams
from pathway_sim.models.perinatal.maternity import nas_probability, preterm_risk
from pathway_sim.models.perinatal.schema import PerinatalScenario
from pathway_sim.models.perinatal.system import CareSystem

from .pathway_helpers import kpi_values, paired_difference, small
from .test_pathway_units import _woman


def _system(**sections) -> CareSystem:
    scenario = PerinatalScenario(model="perinatal", name="s", **sections)
    return CareSystem(simpy.Environment(), scenario, Streams(1, 0), event_log=False)


def _at_birth(**changes):
    w = _woman(**changes)
    w.in_treatment_at_birth = w.in_treatment
    return w


def test_preterm_risk_is_higher_with_opioids_and_lower_in_treatment_on_buprenorphine():
    system = _system()
    b = system.birth
    other = preterm_risk(system, _woman(opioid_use=False, in_treatment=False))
    illicit = preterm_risk(system, _woman(in_treatment=False))
    methadone = preterm_risk(system, _woman())
    buprenorphine = preterm_risk(system, _woman(buprenorphine=True))
    assert illicit == pytest.approx(other * b.opioid_preterm_rr)
    assert methadone == pytest.approx(illicit * b.treatment_preterm_rr)
    assert buprenorphine == pytest.approx(methadone * b.buprenorphine_preterm_rr)
    assert buprenorphine < methadone < illicit and other < methadone


def test_no_lever_moves_preterm_risk_without_a_stated_route():
    """A hub or community clinics move it only through continuity and adequate care (the
    community relative risk is 1 by default); continuity of carer has its Cochrane effect."""
    w = _woman()
    base = preterm_risk(_scenario_system(), w)
    community = _scenario_system("services.midwifery.location=community")
    assert preterm_risk(community, w) == base
    continuity = _scenario_system("services.midwifery.named_worker=true")
    assert preterm_risk(continuity, w) == pytest.approx(
        base * continuity.birth.continuity_preterm_rr
    )


def _scenario_system(*changes: str) -> CareSystem:
    return CareSystem(simpy.Environment(), small(*changes), Streams(1, 0), event_log=False)


def test_withdrawal_follows_exposure_and_treatment_does_not_prevent_it():
    system = _system()
    b = system.birth
    methadone = nas_probability(system, _at_birth())
    buprenorphine = nas_probability(system, _at_birth(buprenorphine=True))
    illicit = nas_probability(system, _at_birth(in_treatment=False))
    assert methadone == b.nas_treatment_probability
    assert buprenorphine == pytest.approx(methadone * b.buprenorphine_nas_rr)
    assert illicit == pytest.approx(methadone * b.illicit_nas_rr)
    assert illicit <= methadone  # being in treatment never lowers the chance of withdrawal
    together = _system(interventions={"keep_together_postnatally": True})
    assert nas_probability(together, _at_birth()) == pytest.approx(
        methadone * b.keep_together_nas_rr
    )


@pytest.mark.slow
def test_preterm_birth_is_higher_for_opioid_users_than_for_others():
    """The same women, all using opioids against none (common random numbers): more preterm
    births, paired over replications."""
    none = kpi_values(small("population.opioid_use_probability=0"), "preterm_birth_pct", 10)
    every = kpi_values(small("population.opioid_use_probability=1"), "preterm_birth_pct", 10)
    mean, low, _ = paired_difference(none, every, confidence=0.95)
    assert mean > 0 and low > 0
