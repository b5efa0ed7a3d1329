"""What one replication returns: the contract between models, runner and executors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


class EventRow(NamedTuple):
    """One row of the event log (the output contract), in vidigi's long format.

    ``run`` is the replication, ``entity_id`` the woman, ``event_type`` one of
    ``EVENT_TYPES``, ``time`` in days, ``resource_id`` the post within its service (from 1;
    empty when no post); ``outcome`` is attended, missed or cancelled on contacts only,
    ``detail`` any other categorical result and ``value`` a number.
    ``src/pathway_sim/data/event_log.schema.json`` states the same.
    """

    run: int
    entity_id: int
    event_type: str
    event: str
    time: float
    service: str
    resource_id: int | None
    location: str
    outcome: str
    detail: str
    value: float | None


EVENT_COLUMNS: tuple[str, ...] = EventRow._fields
"""Columns of the event log, in their order (``EventRow``'s fields)."""

EVENT_TYPES = ("arrival_departure", "queue", "resource_use", "resource_use_end", "other")
"""vidigi's four event types, and ``other`` for pathway events that move no one."""


@dataclass
class ReplicationResult:
    """Results of one replication: plain data, cheap to pickle between processes.

    ``kpis`` maps each KPI name to its value for this replication; ``services``
    holds one dict per service (``services.csv`` rows without the identifying
    columns); ``woman_rows`` one dict per woman counted; ``events`` the event log rows
    (``EventRow``) when it was asked for, unless they were written
    to the run's store where the replication ran: then ``events_sha256`` is the SHA-256
    of that file, and the rows never travel back to the main process. With the event log,
    ``engagement_weeks`` and ``burden_weeks`` are its weekly counts
    (``models/perinatal/weekly.py``), counted where the replication ran.
    """

    replication: int
    seed: int
    women: int
    kpis: dict[str, float]
    services: list[dict[str, Any]] = field(default_factory=list)
    woman_rows: list[dict[str, Any]] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    events_sha256: str = ""
    engagement_weeks: list[dict[str, Any]] = field(default_factory=list)
    burden_weeks: list[dict[str, Any]] = field(default_factory=list)
