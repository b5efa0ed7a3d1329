"""Example journeys on demand: one replication of the base and the what-if with the
event log, and the report's swimlane figure of the same women in both.

The event log is costly, so the live run never keeps it; this runs only when asked.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from matplotlib.figure import Figure

from pathway_sim import api
from pathway_sim.models import Scenario
from pathway_sim.reporting import eventlog, plots
from pathway_sim.runs.reader import read_results

EXAMPLES = 2


def journey_figures(
    base: Scenario,
    whatif: Scenario,
    labels: Mapping[str, str],
    folder: Path,
    count: int = EXAMPLES,
) -> Iterator[tuple[str, Figure]]:
    """(title, matplotlib figure) for up to ``count`` example women of replication 0,
    from a one-replication comparison written in ``folder`` (the run's own: removed with
    the run)."""
    folder = folder / "journeys"
    api.compare(base, whatif, reps=1, out=folder, event_log=True)
    logs = {s.name: s.events for s in read_results(folder).scenarios if s.events is not None}
    events = {name: eventlog.read_events(log.path, 0) for name, log in logs.items()}
    for rep, woman, why in eventlog.example_women(events[base.name], logs[base.name].women, count):
        paths = {
            labels.get(n, n): eventlog.journey(events[n], log.women, rep, woman)
            for n, log in logs.items()
        }
        title = f"Woman {woman}: chosen because in the base {why}"
        yield title, plots.swimlanes(paths, eventlog.lanes_used(list(paths.values())), title)
