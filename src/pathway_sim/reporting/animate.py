"""An animated view of women moving through the services' queues and posts, drawn by vidigi
(the optional ``animate`` extra) from a results directory's event log.

The layout is fixed: one row per service (its queue on the left, its posts in the middle,
and on the right the women its posts have seen, until their next event),
in pathway order, so two scenarios' animations line up. The time window is whole weeks from
the start of the counted cohort (``RunSettings.counted_from_day``: the warm-up's end, so
the default window shows the first women counted), at most ``MAX_WINDOW_WEEKS`` long; each
woman still on the pathway when the window opens starts at the place her last event put
her, and the animation's clock counts days from the start of the run. The HTML file
embeds plotly.js, so it opens without a network connection.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from pathway_sim.core.errors import UsageError
from pathway_sim.core.schema import name_problem
from pathway_sim.core.units import DAYS_PER_WEEK
from pathway_sim.inputs.loading import load_scenario
from pathway_sim.runs import layout
from pathway_sim.runs.outputs import write_text
from pathway_sim.runs.reader import ResultsDir, read_event_log

FLOW_TYPES = ("arrival_departure", "queue", "resource_use", "resource_use_end")
"""The event types vidigi animates (``other`` events move no one)."""
ROW_HEIGHT = 70
QUEUE_X, POSTS_X, SEEN_X = 420, 470, 900
MAX_WINDOW_WEEKS = 13
"""The longest window: a frame a day, so a quarter (92 frames) takes about a minute."""
WEEKS_HELP = "weeks from the start of the counted cohort"


def find_scenario(results: ResultsDir, scenario: str | None) -> tuple[str, ...]:
    """Where the event log is below ``results``: at its top (a run), or in its ``scenario``
    sub-directory (a comparison; the first in name order when not given)."""
    if scenario is None and results.event_log() is not None:
        return ()
    if scenario is not None:
        if name_problem(scenario):
            raise UsageError(f"--scenario {scenario!r}: {name_problem(scenario)}")
        if results.event_log(scenario) is None:
            raise UsageError(f"{results.path(scenario)}: no event log (run with --event-log)")
        return (scenario,)
    found = sorted(
        p.name for p in results.root.iterdir() if p.is_dir() and results.event_log(p.name)
    )
    if not found:
        raise UsageError(f"{results.root}: no event log (run with --event-log)")
    return (found[0],)


def parse_weeks(text: str) -> tuple[float, float]:
    """``A:B`` weeks from the start of the counted cohort, ``0 <= A < B``, at most
    ``MAX_WINDOW_WEEKS`` apart."""
    try:
        first, last = (float(part) for part in text.split(":"))
    except ValueError:
        raise UsageError(f"--weeks {text!r}: expected A:B, {WEEKS_HELP}, e.g. 0:4") from None
    if not (math.isfinite(first) and math.isfinite(last) and 0 <= first < last):
        raise UsageError(f"--weeks {text!r}: expected 0 <= A < B, {WEEKS_HELP}")
    if last - first > MAX_WINDOW_WEEKS:
        raise UsageError(
            f"--weeks {text!r}: expected a window of at most {MAX_WINDOW_WEEKS} weeks "
            "(a frame a day; animate a longer stretch in parts)"
        )
    return first, last


def positions(services: list[str]) -> pd.DataFrame:
    """The fixed layout: arrivals at the top, a row per service, departures at the bottom."""
    rows = [{"event": "arrival", "x": 50, "y": (len(services) + 1) * ROW_HEIGHT, "label": "Known"}]
    for i, name in enumerate(services):
        y = (len(services) - i) * ROW_HEIGHT
        label = name.replace("_", " ")
        rows.append({"event": f"{name}_wait_begins", "x": QUEUE_X, "y": y, "label": label})
        rows.append({"event": f"{name}_begins", "x": POSTS_X, "y": y, "label": "",
                     "resource": f"n_{name}"})  # fmt: skip
        rows.append({"event": f"{name}_ends", "x": SEEN_X, "y": y, "label": "seen"})
    rows.append({"event": "depart", "x": 50, "y": 0, "label": "Follow-up ends"})
    return pd.DataFrame(rows)


def window(events: pd.DataFrame, end: float) -> pd.DataFrame:
    """The flow events up to ``end`` days (the history before the window stays in: it
    places the women already waiting or seen when the window opens). Text columns are
    plain objects: pandas 3's ``str`` type keeps an empty column mapped through a dict as
    text, which vidigi's queue placement then adds a number to."""
    flow = events[events["event_type"].isin(FLOW_TYPES) & (events["time"] <= end)]
    shown = flow.copy()
    for column in ("event_type", "event", "service"):
        shown[column] = shown[column].astype(str).astype(object)
    shown["resource_id"] = shown["resource_id"].astype("float64")
    return shown.sort_values("time", kind="stable").reset_index(drop=True)


def build(
    results_dir: Path,
    scenario: str | None = None,
    replication: int | None = None,
    weeks: tuple[float, float] = (0.0, 4.0),
) -> Any:
    """The animation (a plotly figure) of one replication of one scenario, ``weeks`` from
    the start of its counted cohort."""
    try:
        from vidigi.animation import animate_activity_log
    except ImportError:
        raise UsageError(
            "pathway-sim animate needs vidigi: pip install 'pathway-sim[animate]'"
        ) from None
    results = ResultsDir(results_dir)
    where = find_scenario(results, scenario)
    resolved = load_scenario(results.file(*where, layout.SCENARIO))
    events = one_run(read_event_log(results.path(*where)), replication, results.path(*where))
    counted = resolved.run.counted_from_day
    start, end = (counted + w * DAYS_PER_WEEK for w in weeks)
    shown = window(events, end)
    if not (shown["time"] >= start).any():
        last = (events["time"].max() - counted) / DAYS_PER_WEEK
        raise UsageError(
            f"--weeks {weeks[0]:g}:{weeks[1]:g}: no events in that window ({WEEKS_HELP}, "
            f"which start on day {counted:g} of the run; its event log ends in week {last:.0f})"
        )
    services = resolved.model_dump(mode="json")["services"]
    staff = {name: int(s.get("staff", 1)) for name, s in services.items()}
    return animate_activity_log(
        shown.drop(columns=["run"]),
        positions(list(staff)),
        scenario={f"n_{name}": n for name, n in staff.items()},
        simulation_time_unit="days",
        every_x_time_units=1,
        limit_duration=int(end),
        warm_up=int(start),
        run_col_name=None,
        wrap_queues_at=15,
        wrap_resources_at=10,
        step_snapshot_max=30,
        plotly_height=max(600, (len(staff) + 2) * ROW_HEIGHT + 100),
        entity_icon_size=14,
        resource_icon_size=14,
        text_size=12,
        gap_between_entities=8,
        gap_between_resources=14,
    )


def one_run(events: pd.DataFrame, replication: int | None, where: Path) -> pd.DataFrame:
    """The events of ``replication`` (the first in the log by default)."""
    runs = sorted(int(r) for r in events["run"].unique())
    if not runs:
        raise UsageError(f"{where}: the event log holds no events")
    run = runs[0] if replication is None else replication
    if run not in runs:
        raise UsageError(f"--replication {run}: the event log holds {runs[0]}-{runs[-1]}")
    return events[events["run"] == run]


def write_animation(figure: Any, out: Path) -> None:
    """The animation as one HTML file with plotly.js inside (no CDN)."""
    write_text(out, figure.to_html(include_plotlyjs=True, full_html=True, auto_play=False))
