"""The event log of one replication: one named row per event of a counted woman."""

from __future__ import annotations

import simpy

from pathway_sim.models.perinatal.woman import Woman
from pathway_sim.models.results import EventRow


class EventLog:
    """The replication's event rows, kept only when a log is asked for. Logging draws
    nothing and changes nothing, so results are the same with or without it."""

    def __init__(self, env: simpy.Environment, replication: int, kept: bool) -> None:
        self.env = env
        self.replication = replication
        self.kept = kept
        self.rows: list[EventRow] = []

    def keeps(self, woman: Woman) -> bool:
        """Whether her events go into the log: a log is kept and she is counted."""
        return self.kept and woman.counted

    def log(
        self,
        woman: Woman,
        event: str,
        service: str = "",
        location: str = "",
        *,
        event_type: str = "other",
        resource_id: int | None = None,
        outcome: str = "",
        detail: str = "",
        value: float | None = None,
        time: float | None = None,
    ) -> None:
        """One row for ``woman`` (at ``time``, default now), if her events are kept."""
        if self.keeps(woman):
            self.rows.append(
                EventRow(
                    run=self.replication,
                    entity_id=woman.id,
                    event_type=event_type,
                    event=event,
                    time=self.env.now if time is None else time,
                    service=service,
                    resource_id=resource_id,
                    location=location,
                    outcome=outcome,
                    detail=detail,
                    value=value,
                )
            )
