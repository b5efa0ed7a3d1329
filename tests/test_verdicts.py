"""Verdicts on hand-made intervals: the one rule the terminal, the CSVs and the report share."""

import math

import pytest

from pathway_sim.core.verdicts import (
    BETTER,
    DIFFERENT,
    TOO_SMALL,
    UNCLEAR,
    WORSE,
    excludes_zero,
    point_verdict,
    verdict,
)
from pathway_sim.models.mids import kpi_verdict, mid, mid_value
from pathway_sim.models.perinatal.kpis import PATHWAY_KPIS
from pathway_sim.models.queueing.kpis import QUEUE_KPIS


@pytest.mark.parametrize(
    ("mean", "low", "high", "mid", "better", "expected"),
    [
        (3.0, -1.0, 7.0, 1.0, "higher", UNCLEAR),  # interval includes zero
        (3.0, 0.0, 6.0, 1.0, "higher", UNCLEAR),  # touching zero is not excluding it
        (0.5, 0.2, 0.8, 1.0, "higher", TOO_SMALL),  # clear but below the threshold
        (-0.5, -0.8, -0.2, 1.0, "lower", TOO_SMALL),
        (2.0, 1.0, 3.0, 1.0, "higher", BETTER),  # up, higher is better
        (2.0, 1.0, 3.0, 1.0, "lower", WORSE),  # up, lower is better
        (-2.0, -3.0, -1.0, 1.0, "lower", BETTER),  # down, lower is better
        (-2.0, -3.0, -1.0, 1.0, "higher", WORSE),  # down, higher is better
        (1.0, 0.5, 1.5, 1.0, "higher", BETTER),  # exactly the threshold counts
        (2.0, 1.0, 3.0, 1.0, "neither", DIFFERENT),  # no better direction
        (0.5, 0.2, 0.8, 1.0, "neither", TOO_SMALL),
        (2.0, -1.0, 3.0, 1.0, "neither", UNCLEAR),
        (0.01, 0.005, 0.02, math.nan, "higher", BETTER),  # no MID: any clear difference
        (math.nan, math.nan, math.nan, 1.0, "higher", UNCLEAR),  # not estimable
    ],
)
def test_verdict_on_hand_made_intervals(mean, low, high, mid, better, expected):
    assert verdict(mean, low, high, mid, better) == expected


@pytest.mark.parametrize(
    ("difference", "mid", "better", "expected"),
    [
        (2.0, 1.0, "higher", BETTER),
        (-2.0, 1.0, "higher", WORSE),
        (-2.0, 1.0, "lower", BETTER),
        (1.0, 1.0, "higher", BETTER),  # exactly the MID counts
        (0.5, 1.0, "higher", TOO_SMALL),
        (0.0, 1.0, "higher", TOO_SMALL),
        (0.0, math.nan, "higher", TOO_SMALL),  # no difference at all, even without a MID
        (0.01, math.nan, "higher", BETTER),
        (2.0, 1.0, "neither", DIFFERENT),
        (math.nan, 1.0, "higher", UNCLEAR),
    ],
)
def test_point_verdict_on_a_difference_taken_as_known(difference, mid, better, expected):
    assert point_verdict(difference, mid, better) == expected


def test_excludes_zero():
    assert excludes_zero(0.1, 0.2) and excludes_zero(-0.2, -0.1)
    assert not excludes_zero(-0.1, 0.2) and not excludes_zero(math.nan, 1.0)


def test_a_small_change_on_an_index_is_not_painted_worse():
    # issue 16: -0.009 on a 0-1 index was shown red "worse"; its MID is 0.05
    assert kpi_verdict("self_efficacy_index", -0.009, -0.012, -0.006) == TOO_SMALL
    assert kpi_verdict("self_efficacy_index", -0.09, -0.12, -0.06) == WORSE


def test_babies_with_mothers_matter_from_one_percentage_point():
    assert mid_value("baby_with_mother_at_12m_pct") == 1.0
    assert kpi_verdict("baby_with_mother_at_12m_pct", 1.2, 0.4, 2.0) == BETTER
    assert kpi_verdict("baby_with_mother_at_12m_pct", 0.8, 0.4, 1.2) == TOO_SMALL


def test_every_catalogued_kpi_has_a_positive_mid_with_a_reason():
    for entry in PATHWAY_KPIS + QUEUE_KPIS:
        found = mid(entry.name)
        assert found is not None, entry.name
        assert found.value > 0 and found.reason, entry.name
