"""Staff confidence (ToC S6) as a simulated state of each post holder.

A newcomer starts from what training gives; each week a holder's confidence moves
towards a level raised by supervision and by experience with these women, and lowered
by workload pressure; a new person in the post starts again.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from pathway_sim.engine.service import Post, Service
from pathway_sim.models.perinatal.schema import PerinatalScenario
from pathway_sim.models.perinatal.training import Training


@dataclass(slots=True)
class Holder:
    """The person in a post as the model sees them: experience with these women, confidence."""

    person: int
    contacts: int
    confidence: float


class StaffConfidence:
    """Every post holder's confidence, and its mean over filled posts and measured weeks."""

    def __init__(
        self, services: Mapping[str, Service], scenario: PerinatalScenario, training: Training
    ) -> None:
        self._services = services
        self._ix = scenario.indices
        self._supervision = scenario.interventions.supervision
        self._training = training
        self.holders = {
            name: [self._newcomer(post) for post in service.posts]
            for name, service in services.items()
        }
        self._samples: list[float] = []

    def note_contact(self, post: Post) -> None:
        """The post's holder has seen one more of these women: experience builds."""
        self.holders[post.service][post.index].contacts += 1

    def _newcomer(self, post: Post) -> Holder:
        return Holder(post.person, 0, self._target(post, 0, 0.0, experienced=False))

    def _target(self, post: Post, contacts: int, strain: float, experienced: bool = True) -> float:
        ix = self._ix
        level = ix.confidence_base + ix.confidence_training_weight * self._training.trained(post)
        if experienced:
            level += (ix.confidence_supervision_weight if self._supervision else 0.0) + (
                ix.confidence_experience_weight
                * (1 - math.exp(-contacts / ix.confidence_experience_contacts))
            )
            level -= ix.confidence_strain_weight * strain
        return min(max(level, 0.0), 1.0)

    def week(self, pressure: Mapping[str, float]) -> None:
        """A week has passed: each holder's confidence moves towards its target (a newcomer's
        from the start), and the mean over filled posts is sampled."""
        rate = self._ix.confidence_adjust_per_week
        total = weight = 0.0
        for name, service in self._services.items():
            holders = self.holders[name]
            for post in service.posts:
                if holders[post.index].person != post.person:  # a newcomer's confidence
                    holders[post.index] = self._newcomer(post)
                holder = holders[post.index]
                target = self._target(post, holder.contacts, pressure[name])
                holder.confidence += rate * (target - holder.confidence)
                if not post.leaving:
                    total += holder.confidence
                    weight += 1
        if weight:
            self._samples.append(total / weight)

    def start_measuring(self) -> None:
        """The warm-up is over: confidence is averaged from now."""
        self._samples.clear()

    def index(self) -> float:
        """Staff confidence over the measured weeks: the mean over filled posts and weeks."""
        samples = self._samples
        return sum(samples) / len(samples) if samples else math.nan
