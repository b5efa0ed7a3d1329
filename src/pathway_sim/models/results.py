"""What one replication returns: the contract between models, runner and executors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

EVENT_COLUMNS = (
    "replication",
    "woman_id",
    "time_days",
    "activity",
    "service",
    "location",
    "staff_id",
    "outcome",
)
"""Columns of the event log (the output contract)."""


@dataclass
class ReplicationResult:
    """Results of one replication: plain data, cheap to pickle between processes.

    ``kpis`` maps each KPI name to its value for this replication; ``services``
    holds one dict per service (``services.csv`` rows without the identifying
    columns); ``woman_rows`` one dict per woman counted; ``events`` the event log rows
    (tuples in ``EVENT_COLUMNS`` order) when it was asked for.
    """

    replication: int
    seed: int
    women: int
    kpis: dict[str, float]
    services: list[dict[str, Any]] = field(default_factory=list)
    woman_rows: list[dict[str, Any]] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
