"""Trauma-informed training (KR1) as stocks that staff turnover erodes.

Each post holder is trained or not by a draw fixed for that person, so raising the
coverage only adds trained staff. With the preconditions (``preconditions.strength``)
a worker who joins later is trained only at the background rate unless training is
sustained, so the trained share of the specialist teams drifts with turnover; the wider
team (ward, GP, pharmacy, duty social work) is a stock of its own, eroding at its
turnover towards its joiners' rate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pathway_sim.core.randomness import Streams
from pathway_sim.core.units import DAYS_PER_WEEK, DAYS_PER_YEAR
from pathway_sim.engine.service import Post
from pathway_sim.models.perinatal.schema import PerinatalScenario


class Training:
    """Who is trained in the specialist teams, and the trained shares the model reads now."""

    def __init__(self, streams: Streams, scenario: PerinatalScenario) -> None:
        iv, self._pre = scenario.interventions, scenario.preconditions
        self._streams = streams
        self._target = iv.training_coverage
        self._sustained = iv.sustained_training
        self._strength = self._pre.strength
        self._trained: dict[str, bool] = {}
        self.coverage = self._target
        """Share of the specialist staff trained now, as the model reads it."""
        self.wider_stock = self._target
        """Share of the wider team trained now."""
        self.wider_coverage = self._target
        """The wider team's trained share as the model reads it (at the preconditions' strength)."""

    def trained(self, post: Post) -> bool:
        """Whether this post's current holder is trained (drawn once per person)."""
        key = post.staff_id
        trained = self._trained.get(key)
        if trained is None:
            draw = self._streams.get(f"training:{post.service}", post.index, post.person).random()
            trained = self._trained[key] = bool(draw < self._chance(post))
        return trained

    def _chance(self, post: Post) -> float:
        """Holders at the start are trained at the coverage; a worker who joins later only
        at the joiners' rate (the stock erodes), at the preconditions' strength."""
        if post.person == 0 or self._strength == 0:
            return self._target
        return self._target + self._strength * (self._joiners() - self._target)

    def _joiners(self) -> float:
        """The chance a worker who joins is trained: the coverage if training is sustained,
        else the background rate."""
        return self._target if self._sustained else self._pre.newcomer_training_probability

    def week(self, in_post: Sequence[Post]) -> None:
        """A week has passed: the specialist share from the holders in post (``in_post``), and
        the wider team's stock after a week of its turnover."""
        s, target, pre = self._strength, self._target, self._pre
        if in_post:
            stock = sum(self.trained(p) for p in in_post) / len(in_post)
            self.coverage = target + s * (stock - target)
        leaving = 1.0 - math.exp(-pre.wider_team_turnover_per_year * DAYS_PER_WEEK / DAYS_PER_YEAR)
        self.wider_stock += leaving * (self._joiners() - self.wider_stock)
        self.wider_coverage = target + s * (self.wider_stock - target)
