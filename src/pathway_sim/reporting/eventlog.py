"""Weekly curves and example journeys of a perinatal run, for the report and the app.

The curves pool the weekly counts each replication made where it ran
(``engagement_weekly.csv``, ``burden_weekly.csv``; ``models/perinatal/weekly.py``), so
the event log is never read whole: the example journeys read only the rows of the
women they show. Weeks are weeks from birth (negative in pregnancy).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from pathway_sim.core.units import DAYS_PER_WEEK
from pathway_sim.models.perinatal.kpis import SERVICE_LABELS
from pathway_sim.models.perinatal.weekly import CONTACT_OUTCOMES
from pathway_sim.runs.reader import read_event_log

MIN_WOMEN_PER_WEEK = 10
"""Weeks with fewer women than this (per scenario) are left out of the curves: too noisy."""
JOURNEY_COLUMNS = ["run", "entity_id", "event", "time", "service", "location", "outcome"]
"""The event-log columns the journeys read, a subset of ``models.results.EventRow``'s."""


def weekly_burden(burden: pd.DataFrame, min_women: int = MIN_WOMEN_PER_WEEK) -> pd.DataFrame:
    """Per week from birth, pooled over replications: mean contacts (attended or missed)
    and mean distinct places travelled to per woman followed that week, from
    ``burden_weekly.csv``. Columns ``week, contacts, places, women``."""
    pooled = burden.groupby("week")[["women", "contacts", "places"]].sum()
    pooled = pooled[pooled["women"] >= min_women]
    table = pooled[["contacts", "places"]].div(pooled["women"], axis=0)
    return table.assign(women=pooled["women"]).reset_index()


def retention_curves(engagement: pd.DataFrame, min_women: int = MIN_WOMEN_PER_WEEK) -> pd.DataFrame:
    """Per service and week from birth, pooled over replications: the share of women on
    the service's caseload who are engaged with it at the end of the week, from
    ``engagement_weekly.csv``. Columns ``service, week, engaged_share, women``."""
    columns = ["service", "week", "engaged_share", "women"]
    if engagement.empty:
        return pd.DataFrame(columns=columns)
    pooled = engagement.groupby(["service", "week"])[["engaged", "women"]].sum().reset_index()
    pooled = pooled.assign(engaged_share=pooled["engaged"] / pooled["women"])
    return pooled.loc[pooled["women"] >= min_women, columns].reset_index(drop=True)


def read_events(path: Path, replication: int, women: Sequence[int] | None = None) -> pd.DataFrame:
    """The journeys' columns of one replication's events (of ``women`` only, if given)."""
    rows = {"run": [replication]} if women is None else {"run": [replication], "entity_id": women}
    return read_event_log(path, JOURNEY_COLUMNS, rows)


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
    """One woman's events as swimlane marks: ``lane, week, mark`` (week from her birth);
    none for a woman not counted."""
    mine = events[(events["run"] == replication) & (events["entity_id"] == woman_id)]
    row = women[(women["replication"] == replication) & (women["woman_id"] == woman_id)]
    if row.empty:
        mine = mine.iloc[0:0]
    birth_day = float(row["birth_day"].iloc[0]) if not row.empty else 0.0
    outcome = mine["outcome"].astype(str)
    event = mine["event"].astype(str)
    mark = outcome.where(outcome.isin(MARKS) & ~event.isin(MARKS), event).map(MARKS)
    service = mine["service"].astype(str)
    pathway_level = event.isin(("arrival", "birth", "removal", "depart")) | (service == "")
    lane = service.where(~pathway_level, "her pathway")
    table = pd.DataFrame(
        {"lane": lane, "week": (mine["time"] - birth_day) / DAYS_PER_WEEK, "mark": mark}
    )
    return table.dropna(subset=["mark"]).reset_index(drop=True)


def lanes_used(journeys: Sequence[pd.DataFrame]) -> list[str]:
    """The lanes any of the journeys uses, in pathway order."""
    used = set().union(*(set(j["lane"]) for j in journeys)) if journeys else set()
    return [lane for lane in LANE_ORDER if lane in used]
