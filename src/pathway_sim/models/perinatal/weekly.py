"""Weekly series of one replication, counted where the replication ran.

The run's own outputs are totals per woman; the workshop questions are about how
things change over the weeks of pregnancy and the year after birth. Every series here
is indexed by *weeks from birth* (negative in pregnancy), so women known at different
gestations line up at the event they all share. A woman counts in week ``w`` from the
week services learned of her pregnancy to the last whole week of her follow-up.

The series are counts, not shares, so that replications add up: the report pools them
and divides. Counting them here, from the replication's own event rows, means the event
log never has to be read whole again to draw the curves.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from pathway_sim.core.units import DAYS_PER_WEEK
from pathway_sim.models.perinatal.terms import NOT_TRAVELLED
from pathway_sim.models.results import EventRow

CONTACT_OUTCOMES = ("attended", "missed")
"""Outcomes of a contact that took place (a cancelled one never reached her)."""
NOT_A_TRIP = ("", *NOT_TRAVELLED)
"""Locations in the log she did not travel to (none recorded, or no trip needed)."""
ENGAGING = {"referred": 1, "reengaged": 1, "disengaged": 0, "case_closed": 0}
"""Events that change whether she is engaged with a service, and to what."""


def week_from_birth(day: float, birth_day: float) -> int:
    """The week from her birth that ``day`` falls in (negative in pregnancy)."""
    return math.floor((day - birth_day) / DAYS_PER_WEEK)


def last_week(woman: dict[str, Any]) -> int:
    """The last whole week of her follow-up, from her birth."""
    return week_from_birth(woman["end_day"], woman["birth_day"]) - 1


def weeks_followed(woman: dict[str, Any]) -> range:
    """The weeks from birth she is followed: from the week she became known to the last
    whole week of her follow-up."""
    return range(week_from_birth(woman["arrival_day"], woman["birth_day"]), last_week(woman) + 1)


def burden_weeks(events: Iterable[EventRow], woman_rows: list[dict[str, Any]]) -> list[dict]:
    """Per week from birth: the counted women followed that week, their contacts
    (attended or missed, all services) and the distinct places they travelled to for
    attended contacts (home visits and remote contacts are not trips)."""
    birth_and_last = {row["woman_id"]: (row["birth_day"], last_week(row)) for row in woman_rows}
    followed = Counter(week for row in woman_rows for week in weeks_followed(row))
    contacts: Counter[int] = Counter()
    trips: set[tuple[int, int, str]] = set()
    for event in events:
        woman = birth_and_last.get(event.entity_id)
        outcome = event.outcome
        if woman is None or outcome not in CONTACT_OUTCOMES:
            continue
        birth_day, last = woman
        week = week_from_birth(event.time, birth_day)
        if week > last:
            continue
        contacts[week] += 1
        place = event.location or ""
        if outcome == "attended" and place not in NOT_A_TRIP:
            trips.add((event.entity_id, week, place))
    places = Counter(week for _, week, _ in trips)
    return [
        {"week": week, "women": followed[week], "contacts": contacts[week], "places": places[week]}
        for week in sorted(followed)
    ]


def engagement_weeks(events: Iterable[EventRow], woman_rows: list[dict[str, Any]]) -> list[dict]:
    """Per service and week from birth: the counted women on the service's caseload at
    the end of the week (referred to it by then) and, of them, those engaged with it
    (not dropped out since, or brought back by outreach, her own return or admission)."""
    women = {row["woman_id"]: row for row in woman_rows}
    changes: defaultdict[tuple[int, str], list[tuple[float, int]]] = defaultdict(list)
    for event in events:
        if event.event in ENGAGING and event.entity_id in women:
            key = (event.entity_id, event.service or "")
            changes[key].append((event.time, ENGAGING[event.event]))
    on_caseload: Counter[tuple[str, int]] = Counter()
    engaged: Counter[tuple[str, int]] = Counter()
    for (woman_id, service), history in changes.items():
        history.sort(key=lambda change: change[0])  # stable: the later of two at once wins
        times = [time for time, _ in history]
        woman = women[woman_id]
        for week in weeks_followed(woman):
            end_of_week = woman["birth_day"] + (week + 1) * DAYS_PER_WEEK
            last_change = bisect_right(times, end_of_week) - 1
            if last_change < 0:
                continue  # not referred yet
            on_caseload[service, week] += 1
            engaged[service, week] += history[last_change][1]
    return [
        {"service": service, "week": week, "women": on_caseload[service, week],
         "engaged": engaged[service, week]}
        for service, week in sorted(on_caseload)
    ]  # fmt: skip
