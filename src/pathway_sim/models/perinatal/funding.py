"""Which services are funded now (ToC: short-term, patchy third-sector funding).

A service may be funded only until a day (``funding_end_day``). A third-sector service
(``third_sector``) lives on grants: funded spells and gaps in turn, a gap the longer the
stronger the preconditions, none with stable funding.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Mapping
from typing import Any

import simpy

from pathway_sim.core.randomness import Streams
from pathway_sim.models.perinatal.schema import PerinatalScenario, ServiceSpec


class Funding:
    """Each service's funding, and the lapses of the third-sector ones while they last."""

    def __init__(
        self,
        env: simpy.Environment,
        specs: Mapping[str, ServiceSpec],
        streams: Streams,
        scenario: PerinatalScenario,
        withdraw: Callable[[str], None],
    ) -> None:
        self.env = env
        self._streams = streams
        self._pre = scenario.preconditions
        self._withdraw = withdraw
        """What a lapse takes from the women at once (``WiderSystem.withdraw``)."""
        self._funded_until = {
            name: spec.funding_end_day or float("inf") for name, spec in specs.items()
        }
        self._lapsed: dict[str, simpy.Event] = {}
        lapses = self._pre.funding_gap_days > 0 and not scenario.interventions.stable_funding
        if self._pre.strength > 0 and lapses:
            for name, spec in specs.items():
                if spec.third_sector:
                    env.process(self._spells(name))

    def funded(self, service: str) -> bool:
        """Whether the service exists and is funded now."""
        return (
            self.env.now < self._funded_until.get(service, -math.inf)
            and service not in self._lapsed
        )

    def lapsed(self, service: str) -> simpy.Event | None:
        """The event of its funding restarting, while a third-sector service is unfunded."""
        return self._lapsed.get(service)

    def _spells(self, service: str) -> Generator[Any, Any, None]:
        """Funded spells and gaps in turn; a gap is the longer the stronger the
        preconditions."""
        rng = self._streams.get(f"funding:{service}")
        while True:
            yield self.env.timeout(rng.exponential(self._pre.funded_spell_days))
            gap = self._pre.strength * rng.exponential(self._pre.funding_gap_days)
            restored = self._lapsed[service] = self.env.event()
            self._withdraw(service)
            yield self.env.timeout(gap)
            del self._lapsed[service]
            restored.succeed()
