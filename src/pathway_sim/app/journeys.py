"""Example journeys on demand: one replication of the base and the what-if with the
event log, and the report's swimlane figure of the same women in both.

The event log is costly, so the live run never keeps it; this runs only when asked.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pathway_sim import api
from pathway_sim.reporting import eventlog, plots
from pathway_sim.reporting.report import load_results

EXAMPLES = 2


def journey_figures(
    base: Any, whatif: Any, labels: Mapping[str, str], count: int = EXAMPLES
) -> Iterator[tuple[str, Any]]:
    """(title, matplotlib figure) for up to ``count`` example women of replication 0."""
    folder = Path(tempfile.mkdtemp(prefix="pathway-sim-journeys-")) / "run"
    api.compare(base, whatif, reps=1, out=folder, event_log=True)
    found = load_results(folder)
    logs = {s.name: (eventlog.read_events(s.events_path, 0), s.women) for s in found.scenarios}
    events, women = logs[base.name]
    for rep, woman, why in eventlog.example_women(events, women, count):
        paths = {labels.get(n, n): eventlog.journey(*logs[n], rep, woman) for n in logs}
        title = f"Woman {woman}: chosen because in the base {why}"
        yield title, plots.swimlanes(paths, eventlog.lanes_used(list(paths.values())), title)
