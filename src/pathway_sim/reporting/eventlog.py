"""Weekly series and example journeys derived from the event log (``events.parquet``) and
the per-woman table (``women.csv``) of a perinatal run.

The run's own outputs are totals per woman; the workshop questions are about how
things change over the weeks of pregnancy and the year after birth. Every series
here is indexed by *weeks from birth* (negative in pregnancy), so women known at
different gestations line up at the event they all share. A woman counts in week
``w`` from the week services learned of her pregnancy to the last whole week of her
follow-up; the denominators are the women counted in that week.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pathway_sim.core.units import DAYS_PER_WEEK
from pathway_sim.models.kpis import SERVICE_LABELS
from pathway_sim.runs.outputs import read_event_log

CONTACT_OUTCOMES = ("attended", "missed")
"""Outcomes of a contact that took place (a cancelled one never reached her)."""
NOT_A_TRIP = ("", "home", "remote")
"""Locations she did not travel to."""
ENGAGING = {"referred": 1, "reengaged": 1, "disengaged": 0, "case_closed": 0}
"""Activities that change whether she is engaged with a service, and to what."""
MIN_WOMEN_PER_WEEK = 10
"""Weeks with fewer women than this (per scenario) are left out of the curves: too noisy."""
EVENT_COLUMNS = ["run", "entity_id", "event", "time", "service", "location", "outcome"]
"""The event-log columns the report reads (the whole log: ``models.results.EVENT_COLUMNS``)."""
KEYS = ["run", "entity_id"]
WOMAN_COLUMNS = ["replication", "woman_id", "arrival_day", "birth_day", "end_day"]


def read_events(path) -> pd.DataFrame:
    """The columns of the event log the report uses, with compact types (either format)."""
    return read_event_log(path, EVENT_COLUMNS)


def _women(women: pd.DataFrame, columns: Sequence[str] = WOMAN_COLUMNS) -> pd.DataFrame:
    """The per-woman table keyed as the event log is (``run, entity_id``)."""
    return women[list(columns)].rename(columns={"replication": "run", "woman_id": "entity_id"})


def _timeline(events: pd.DataFrame, women: pd.DataFrame) -> pd.DataFrame:
    """Events joined to her birth day, with the week from birth each fell in."""
    joined = events.merge(_women(women), on=KEYS, how="inner")
    joined["week"] = np.floor((joined["time"] - joined["birth_day"]) / DAYS_PER_WEEK).astype(int)
    return joined


def women_per_week(women: pd.DataFrame) -> pd.Series:
    """How many women are followed in each week from birth (the denominators)."""
    first = np.floor((women["arrival_day"] - women["birth_day"]) / DAYS_PER_WEEK).astype(int)
    last = np.floor((women["end_day"] - women["birth_day"]) / DAYS_PER_WEEK).astype(int) - 1
    if first.empty:
        return pd.Series(dtype=int, name="women")
    lo, hi = int(first.min()), int(last.max())
    counts = np.zeros(hi - lo + 2, dtype=int)
    np.add.at(counts, first - lo, 1)
    np.add.at(counts, last - lo + 1, -1)
    weeks = pd.RangeIndex(lo, hi + 1, name="week")
    return pd.Series(np.cumsum(counts)[:-1], index=weeks, name="women")


def _followed(weekly: pd.DataFrame, at_risk: pd.Series, min_women: int) -> pd.DataFrame:
    """Keep weeks with enough women to be worth plotting."""
    keep = at_risk[at_risk >= min_women].index
    return weekly[weekly["week"].isin(keep)]


def weekly_burden(
    events: pd.DataFrame, women: pd.DataFrame, min_women: int = MIN_WOMEN_PER_WEEK
) -> pd.DataFrame:
    """Per week from birth: mean contacts (attended or missed) and mean distinct places
    travelled to (attended contacts away from home, remote ones excluded) per woman
    followed that week. Columns ``week, contacts, places, women``."""
    timeline = _timeline(events, women)
    last = np.floor((timeline["end_day"] - timeline["birth_day"]) / DAYS_PER_WEEK) - 1
    timeline = timeline[timeline["week"] <= last]
    contacts = timeline[timeline["outcome"].isin(CONTACT_OUTCOMES)]
    trips = timeline[(timeline["outcome"] == "attended") & ~timeline["location"].isin(NOT_A_TRIP)]
    places = trips.drop_duplicates([*KEYS, "week", "location"])
    at_risk = women_per_week(women)
    table = pd.DataFrame(
        {
            "contacts": contacts.groupby("week").size(),
            "places": places.groupby("week").size(),
        }
    ).reindex(at_risk.index, fill_value=0)
    table = table.div(at_risk.replace(0, np.nan), axis=0).assign(women=at_risk)
    return _followed(table.reset_index(), at_risk, min_women)


def _engagement_changes(events: pd.DataFrame) -> pd.DataFrame:
    changes = events[events["event"].isin(ENGAGING)].copy()
    changes["engaged"] = changes["event"].map(ENGAGING).astype(int)
    changes["service"] = changes["service"].astype(str)
    return changes[[*KEYS, "service", "time", "engaged"]]


def retention_curves(
    events: pd.DataFrame, women: pd.DataFrame, min_women: int = MIN_WOMEN_PER_WEEK
) -> pd.DataFrame:
    """Per service and week from birth: the share of women on the service's caseload who
    are engaged with it at the end of the week.

    On the caseload: referred to the service by then. Engaged: referred and not
    dropped out since (or brought back by outreach or her own return). Columns
    ``service, week, engaged_share, women``.
    """
    changes = _engagement_changes(events)
    if changes.empty:
        return pd.DataFrame(columns=["service", "week", "engaged_share", "women"])
    per_run = [
        _engaged_counts(part, women[women["replication"] == run])
        for run, part in changes.groupby("run", sort=True)
    ]
    counts = pd.concat(per_run).groupby(["service", "week"]).sum()
    table = counts.assign(engaged_share=counts["engaged"] / counts["women"]).reset_index()
    table = table[["service", "week", "engaged_share", "women"]]
    return table[table["women"] >= min_women].reset_index(drop=True)


def _engaged_counts(changes: pd.DataFrame, women: pd.DataFrame) -> pd.DataFrame:
    """One replication's women on each service's caseload, and of them those engaged, per
    service and week from birth: counted a replication at a time, since the grid of
    women and weeks is a million rows for 30 replications."""
    ids = [*KEYS, "service"]
    keys = changes[ids].drop_duplicates().merge(_women(women), on=KEYS)
    keys = keys.reset_index(drop=True).assign(key=lambda k: np.arange(len(k)))
    changes = changes.merge(keys[[*ids, "key"]], on=ids)
    grid = _week_grid(keys)
    state = _state_at(changes["key"].to_numpy(), changes["time"].to_numpy(),
                      changes["engaged"].to_numpy(),
                      grid["key"].to_numpy(), grid["time"].to_numpy())  # fmt: skip
    grid = grid.assign(engaged=state == 1)[state >= 0]
    return grid.groupby(["service", "week"]).agg(
        engaged=("engaged", "sum"), women=("engaged", "size")
    )


def _week_grid(keys: pd.DataFrame) -> pd.DataFrame:
    """One row per (woman, service) key and week she is followed, timed at the week's end."""
    first = (
        np.floor((keys["arrival_day"] - keys["birth_day"]) / DAYS_PER_WEEK).astype(int).to_numpy()
    )
    last = (
        np.floor((keys["end_day"] - keys["birth_day"]) / DAYS_PER_WEEK).astype(int).to_numpy() - 1
    )
    spans = np.clip(last - first + 1, 0, None)
    rows = np.repeat(np.arange(len(keys)), spans)
    week = first[rows] + np.arange(spans.sum()) - np.repeat(np.cumsum(spans) - spans, spans)
    return pd.DataFrame(
        {
            "key": rows,
            "service": keys["service"].to_numpy()[rows],
            "week": week,
            "time": keys["birth_day"].to_numpy()[rows] + (week + 1) * DAYS_PER_WEEK,
        }
    )


def _state_at(
    change_key: np.ndarray,
    change_time: np.ndarray,
    change_state: np.ndarray,
    grid_key: np.ndarray,
    grid_time: np.ndarray,
) -> np.ndarray:
    """The last state of each key at or before each grid time; -1 before its first change.

    Keys and times are folded into one sortable number, so one ``searchsorted``
    answers every (key, time) query at once.
    """  # fmt: skip
    span = max(float(change_time.max()), float(grid_time.max())) + 1.0
    folded = change_key * span + change_time
    order = np.argsort(folded, kind="stable")
    position = np.searchsorted(folded[order], grid_key * span + grid_time, side="right") - 1
    found = position >= 0
    same_key = np.zeros_like(found)
    same_key[found] = change_key[order][position[found]] == grid_key[found]
    state = np.full(len(grid_key), -1)
    state[same_key] = change_state[order][position[same_key]]
    return state


# --- example journeys ----------------------------------------------------------------------

STORY_RULES: tuple[tuple[str, str], ...] = (
    ("her baby was removed", "removal"),
    ("she dropped out of drug treatment", "disengaged:drug_treatment"),
    ("services learned of the pregnancy late", "late"),
    ("she dropped out of a service", "disengaged"),
)
"""How example women are chosen, in order: a journey that shows a mechanism."""
LATE_KNOWN_WEEKS = 20.0


def example_women(
    events: pd.DataFrame, women: pd.DataFrame, count: int = 3
) -> list[tuple[int, int, str]]:
    """Up to ``count`` women of the first replication whose journeys show a mechanism:
    ``(replication, woman_id, why chosen)``, one per rule of ``STORY_RULES`` first, then
    the women with most contacts."""
    if women.empty:
        return []
    rep = int(women["replication"].min())
    ev = events[events["run"] == rep]
    candidates = {
        "removal": ev.loc[ev["event"] == "removal", "entity_id"],
        "disengaged:drug_treatment": ev.loc[
            (ev["event"] == "disengaged") & (ev["service"] == "drug_treatment"), "entity_id"
        ],
        "late": women.loc[
            (women["replication"] == rep) & (women["known_gestation_weeks"] >= LATE_KNOWN_WEEKS),
            "woman_id",
        ],
        "disengaged": ev.loc[ev["event"] == "disengaged", "entity_id"],
    }
    chosen: list[tuple[int, int, str]] = []
    for why, rule in STORY_RULES:
        for woman in sorted(set(candidates[rule])):
            if len(chosen) < count and woman not in {w for _, w, _ in chosen}:
                chosen.append((rep, int(woman), why))
                break
    busiest = (
        ev[ev["outcome"].isin(CONTACT_OUTCOMES)]
        .groupby("entity_id")
        .size()
        .sort_values(ascending=False)
    )
    for woman in busiest.index:
        if len(chosen) >= count:
            break
        if woman not in {w for _, w, _ in chosen}:
            chosen.append((rep, int(woman), "one of the women with most contacts"))
    return chosen


LANE_ORDER: tuple[str, ...] = ("her pathway", *SERVICE_LABELS)
MARKS = {
    "attended": "attended",
    "missed": "missed",
    "cancelled": "cancelled",
    "disengaged": "dropped out",
    "case_closed": "case closed",
    "reengaged": "brought back",
    "retraumatised": "re-traumatised",
    "stigmatised": "re-traumatised",
    "handover_failed": "hand-over failed",
    "removal": "baby removed",
    "birth": "birth",
    "arrival": "known to services",
    "depart": "follow-up ends",
}
"""What each logged event (or contact outcome) shows as on a swimlane."""


def journey(
    events: pd.DataFrame, women: pd.DataFrame, replication: int, woman_id: int
) -> pd.DataFrame:
    """One woman's events as swimlane marks: ``lane, week, mark`` (week from her birth)."""
    mine = events[(events["run"] == replication) & (events["entity_id"] == woman_id)]
    timeline = _timeline(mine, women)
    outcome = timeline["outcome"].astype(str)
    event = timeline["event"].astype(str)
    mark = outcome.where(outcome.isin(MARKS) & ~event.isin(MARKS), event).map(MARKS)
    service = timeline["service"].astype(str)
    pathway_level = event.isin(("arrival", "birth", "removal", "depart")) | (service == "")
    lane = service.where(~pathway_level, "her pathway")
    table = pd.DataFrame(
        {
            "lane": lane,
            "week": (timeline["time"] - timeline["birth_day"]) / DAYS_PER_WEEK,
            "mark": mark,
        }
    )
    return table.dropna(subset=["mark"]).reset_index(drop=True)


def lanes_used(journeys: Sequence[pd.DataFrame]) -> list[str]:
    """The lanes any of the journeys uses, in pathway order."""
    used = set().union(*(set(j["lane"]) for j in journeys)) if journeys else set()
    return [lane for lane in LANE_ORDER if lane in used]
