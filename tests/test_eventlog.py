"""Weekly counts of a replication (``models/perinatal/weekly.py``), the curves the report
pools from them, and journeys from the event log, checked by hand on two women."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from pathway_sim.models.perinatal import weekly
from pathway_sim.models.results import EVENT_COLUMNS, EventRow
from pathway_sim.reporting import eventlog

COLUMNS = ["run", "entity_id", "time", "event", "service", "location", "outcome"]


@pytest.fixture
def women() -> pd.DataFrame:
    """A known at day 0, B at day 35; both give birth on day 70 and are followed a year."""
    return pd.DataFrame({
        "replication": [0, 0], "woman_id": [1, 2], "arrival_day": [0.0, 35.0],
        "birth_day": [70.0, 70.0], "end_day": [435.0, 435.0], "known_gestation_weeks": [28.0, 33.0],
    })  # fmt: skip


def events(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame([(0, *row) for row in rows], columns=COLUMNS)


def event_rows(log: pd.DataFrame) -> list[EventRow]:
    """The rows as the model records them."""
    rows = log.reindex(columns=list(EVENT_COLUMNS)).itertuples(index=False, name=None)
    return [EventRow(*row) for row in rows]


def weekly_burden(log: pd.DataFrame, women: pd.DataFrame, min_women: int) -> pd.DataFrame:
    """Counted in the replication, pooled as the report pools them."""
    counts = pd.DataFrame(weekly.burden_weeks(event_rows(log), women.to_dict("records")))
    return eventlog.weekly_burden(counts, min_women)


def retention_curves(log: pd.DataFrame, women: pd.DataFrame, min_women: int) -> pd.DataFrame:
    counts = pd.DataFrame(weekly.engagement_weeks(event_rows(log), women.to_dict("records")))
    return eventlog.retention_curves(counts, min_women)


def test_each_woman_is_followed_from_the_week_she_is_known(women):
    counts = Counter(w for row in women.to_dict("records") for w in weekly.weeks_followed(row))
    assert min(counts) == -10 and max(counts) == 51
    assert all(counts[w] == 1 for w in range(-10, -5))
    assert all(counts[w] == 2 for w in range(-5, 52))


def test_replications_pool_by_adding_their_counts(women):
    """Two replications of one woman each give the same curve as one of both women."""
    log = events((1, 0.5, "midwifery_begins", "midwifery", "hospital", "attended"),
                 (2, 36.0, "midwifery_begins", "midwifery", "hospital", "attended"))  # fmt: skip
    rows = women.to_dict("records")
    one = pd.DataFrame(weekly.burden_weeks(event_rows(log), rows))
    split = pd.concat(
        pd.DataFrame(weekly.burden_weeks(event_rows(log[log["entity_id"] == w]), [row]))
        for w, row in zip((1, 2), rows)
    )  # fmt: skip
    pd.testing.assert_frame_equal(eventlog.weekly_burden(one, 1), eventlog.weekly_burden(split, 1))


def test_weekly_burden_counts_contacts_and_distinct_places(women):
    log = events(
        (1, 0.5, "midwifery_begins", "midwifery", "hospital", "attended"),
        (1, 1.0, "ultrasound_begins", "ultrasound", "hospital", "missed"),
        (1, 3.0, "social_work_begins", "social_work", "home", "attended"),
        (1, 36.0, "midwifery_cancelled", "midwifery", "", "cancelled"),
        (2, 36.0, "drug_treatment_begins", "drug_treatment", "drug_service", "attended"),
        (2, 37.0, "midwifery_begins", "midwifery", "hospital", "attended"),
        (2, 38.0, "midwifery_begins", "midwifery", "hospital", "attended"),
        (
            2,
            440.0,
            "drug_treatment_begins",
            "drug_treatment",
            "drug_service",
            "attended",
        ),  # after follow-up
    )
    burden = weekly_burden(log, women, min_women=1).set_index("week")
    assert burden.loc[-10, "contacts"] == 3.0  # two at the hospital (one missed), one at home
    assert burden.loc[-10, "places"] == 1.0  # the missed one and the home visit are not trips
    assert burden.loc[-9, "contacts"] == 0.0
    assert burden.loc[-5, "contacts"] == 1.5  # B's three contacts over two women followed
    assert burden.loc[-5, "places"] == 1.0  # two places, hospital once, over two women
    assert burden["contacts"].sum() == pytest.approx(3.0 + 1.5)
    assert (burden.loc[-10:-6, "women"] == 1).all() and burden.loc[51, "women"] == 2


def test_weekly_burden_leaves_out_weeks_with_too_few_women(women):
    burden = weekly_burden(events(), women, min_women=2)
    assert burden["week"].min() == -5


def test_retention_follows_referral_dropping_out_and_return(women):
    log = events(
        (1, 0.0, "referred", "drug_treatment", "", ""),
        (1, 20.0, "disengaged", "drug_treatment", "", ""),
        (1, 80.0, "reengaged", "drug_treatment", "", ""),
        (2, 40.0, "referred", "drug_treatment", "", ""),
    )
    curve = retention_curves(log, women, min_women=1).set_index("week")
    assert curve.loc[-10, "engaged_share"] == 1.0 and curve.loc[-10, "women"] == 1
    assert curve.loc[-8, "engaged_share"] == 0.0  # A dropped out on day 20; B not yet referred
    assert curve.loc[-6, "women"] == 1
    assert curve.loc[-5, "engaged_share"] == 0.5 and curve.loc[-5, "women"] == 2
    assert curve.loc[0, "engaged_share"] == 0.5
    assert curve.loc[1, "engaged_share"] == 1.0  # brought back on day 80
    assert curve.index.max() == 51


def test_journey_marks_contacts_and_pathway_events(women):
    log = events(
        (1, 0.0, "arrival", "", "", ""),
        (1, 0.0, "referred", "midwifery", "", ""),
        (1, 7.0, "midwifery_begins", "midwifery", "hospital", "missed"),
        (1, 14.0, "midwifery_begins", "midwifery", "hospital", "attended"),
        (1, 14.0, "stigmatised", "midwifery", "", ""),
        (1, 70.0, "birth", "midwifery", "hospital", ""),
        (1, 75.0, "removal", "social_work", "", ""),
        (2, 40.0, "midwifery_begins", "midwifery", "hospital", "attended"),
    )
    marks = eventlog.journey(log, women, 0, 1)
    assert list(marks["mark"]) == [
        "known to services", "missed", "attended", "re-traumatised", "birth", "baby removed",
    ]  # fmt: skip
    assert list(marks["lane"]) == [
        "her pathway",
        "midwifery",
        "midwifery",
        "midwifery",
        "her pathway",
        "her pathway",
    ]
    assert marks["week"].iloc[0] == -10.0 and marks["week"].iloc[-1] == pytest.approx(5 / 7)
    assert eventlog.lanes_used([marks]) == ["her pathway", "midwifery"]


def test_example_women_prefer_a_journey_that_shows_a_mechanism(women):
    log = events(
        (1, 10.0, "midwifery_begins", "midwifery", "hospital", "attended"),
        (2, 75.0, "removal", "social_work", "", ""),
    )
    chosen = eventlog.example_women(log, women, count=2)
    assert chosen[0] == (0, 2, "her baby was removed")
    assert chosen[1] == (0, 1, "services learned of the pregnancy late")
