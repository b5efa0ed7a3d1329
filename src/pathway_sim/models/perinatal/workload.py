"""Workload pressure: how far each service's recent utilisation runs above a threshold.

Pressure (0-1) rushes contacts (shorter, less relational, more stigmatising, notes
unread) and raises turnover (burnout); it is measured weekly over a recent window.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping

from pathway_sim.core.units import DAYS_PER_WEEK
from pathway_sim.engine.service import Service
from pathway_sim.models.perinatal.schema import Capacity


def pressure(utilisation: float, threshold: float) -> float:
    """Workload pressure 0-1: how far recent utilisation runs above the threshold, scaled so
    that a service busy all the time is at full pressure."""
    if utilisation <= threshold:
        return 0.0
    return min((utilisation - threshold) / (1.0 - threshold), 1.0) if threshold < 1 else 1.0


class Workload:
    """Each service's pressure now, from its utilisation over the last ``workload_window_days``
    (``capacity``), brought up to date once a week."""

    def __init__(self, services: Iterable[str], capacity: Capacity) -> None:
        keep = max(1, round(capacity.workload_window_days / DAYS_PER_WEEK))
        self.threshold = capacity.workload_threshold
        self.pressure: dict[str, float] = dict.fromkeys(services, 0.0)
        """Pressure 0-1 of each service now."""
        self._history = {name: deque([(0.0, 0.0)], maxlen=keep + 1) for name in self.pressure}
        """Each service's busy and staffed post-days to date, at the ends of recent weeks."""

    def week(self, services: Mapping[str, Service], now: float) -> None:
        """A week has passed: each service's pressure from its utilisation over the window."""
        for name, service in services.items():
            areas = self._history[name]
            busy, filled = service.busy.area(now), service.filled.area(now)
            if busy < areas[-1][0] or filled < areas[-1][1]:
                areas.clear()  # the measured period began: areas restarted from zero
                areas.append((0.0, 0.0))
            areas.append((busy, filled))
            staffed = filled - areas[0][1]
            recent = (busy - areas[0][0]) / staffed if staffed > 0 else 1.0
            self.pressure[name] = pressure(recent, self.threshold)
