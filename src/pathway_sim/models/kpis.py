"""What a KPI is, for any model: its column name, meaning, unit and better direction.

Each model keeps its own catalogue beside the code that computes it (the perinatal one in
``models/perinatal/kpis.py``, the queueing one in ``models/queueing/kpis.py``); the
registry (``pathway_sim.models``) finds any KPI by name. Display labels live in the
catalogues, not in column names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Better = Literal["higher", "lower", "neither"]


@dataclass(frozen=True)
class KPI:
    """One output measure: its column name, meaning, unit and which direction is better."""

    name: str
    toc_outcome: str
    label: str
    definition: str
    unit: str
    better: Better
    evidence: str = ""
