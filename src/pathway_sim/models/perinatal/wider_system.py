"""The system around the specialist teams, as the Theory of Change's preconditions read it.

How much of the workforce is trained sets the fear of surveillance that keeps her away
while social work is involved, and how far a hub or a co-ordinator can help in a wider
team that does not work with them. The wider team she meets each week (GP, pharmacy
while in opioid treatment, duty social work) can stigmatise her, undoing part of the
trust and protection services built. None of this moves at ``preconditions.strength`` 0.
"""

from __future__ import annotations

import math

from pathway_sim.core.randomness import Streams, Uniforms
from pathway_sim.models.perinatal.event_log import EventLog
from pathway_sim.models.perinatal.schema import PerinatalScenario
from pathway_sim.models.perinatal.terms import AttendanceTerms
from pathway_sim.models.perinatal.training import Training
from pathway_sim.models.perinatal.woman import Woman


class WiderSystem:
    """The attendance terms the system's training sets, and the wider team's weekly stigma."""

    def __init__(
        self,
        streams: Streams,
        scenario: PerinatalScenario,
        training: Training,
        terms: AttendanceTerms,
        events: EventLog,
    ) -> None:
        self._streams = streams
        self._pre = scenario.preconditions
        self._strength = self._pre.strength
        self._fear_log_odds = scenario.attendance.fear_log_odds
        self._training_stigma_reduction = scenario.hostile_care.training_stigma_reduction
        self._training = training
        self._terms = terms
        self._events = events
        self.fear = terms.fear
        """Log-odds of attending while social work is involved: fear of removal, less where
        staff are trained."""
        self.hub = terms.hub
        """Log-odds of attending at a hub, less in a wider team that does not work with it."""
        self.coordinator = terms.coordinator
        """Log-odds of attending with a co-ordinator, likewise."""
        self._known: dict[Woman, Uniforms] = {}
        """The women known to services now, each with her weekly wider-team draws."""

    def join(self, woman: Woman) -> None:
        """She is known to services: from now she also meets the wider team."""
        if self._strength > 0:
            woman.trust_at_known = woman.trust
            self._known[woman] = Uniforms(self._streams.get("wider_team", woman.id))
            woman.ended.callbacks.append(lambda _: self._leave(woman))

    def _leave(self, woman: Woman) -> None:
        """Her follow-up has ended: she meets the wider team no more."""
        self._known.pop(woman, None)

    def withdraw(self, service: str) -> None:
        """The service stopped (its funding lapsed): no woman has it as her navigator now."""
        for woman in self._known:
            woman.set_navigator(service, False)

    def week(self) -> None:
        """A week has passed (the training stocks are up to date): the terms they set, then
        the week's wider-team contacts."""
        s, pre, training = self._strength, self._pre, self._training
        self.fear = self._fear_log_odds * (1 - training.coverage)
        floor = pre.hostile_system_floor
        system_works = floor + (1 - floor) * training.wider_stock
        self.hub = self._terms.hub * (1 - s + s * system_works)
        self.coordinator = self._terms.coordinator * (1 - s + s * system_works)
        self._wider_team_week()

    def _wider_team_week(self) -> None:
        """A week of contacts with staff outside the specialist team (pharmacy while in
        opioid treatment, GP, duty social workers): cheap draws, one per woman a week,
        from her own stream, drawn whatever happens so the numbers stay common."""
        pre = self._pre
        stigma = (
            self._strength
            * pre.wider_stigma_probability
            * (1 - self._training_stigma_reduction * self._training.wider_stock)
        )
        for woman, draws in self._known.items():
            rate = pre.gp_contacts_per_week
            if woman.opioid_use and woman.in_treatment:
                rate += pre.pharmacy_contacts_per_week
            if woman.sw_referred and not woman.separated:
                rate += pre.duty_social_work_contacts_per_week
            if draws.one() < 1.0 - math.exp(-rate * stigma):
                self.stigmatise(woman)

    def stigmatise(self, woman: Woman) -> None:
        """A stigmatising wider-team contact undoes part of the trust she built with
        services and of the protection good contacts gave her (ToC: continuity undone)."""
        undo = self._pre.wider_stigma_undo_share
        woman.wider_stigma += 1
        woman.trust -= undo * max(0.0, woman.trust - woman.trust_at_known)
        woman.protection *= 1 - undo
        self._events.log(woman, "wider_team_stigma", detail="stigma")
