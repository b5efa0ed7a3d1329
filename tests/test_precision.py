"""--reps auto: the replications algorithm of Hoad, Robinson and Davies (2010)."""

import math

import numpy as np
import pandas as pd
import pytest

from pathway_sim import api
from pathway_sim.experiments.run import _goal_kpis
from pathway_sim.models.perinatal.toc import HEADLINE_KPIS
from pathway_sim.runs.precision import (
    PrecisionGoal,
    PrecisionTracker,
    look_ahead,
    relative_half_width,
    replications_needed,
)

from .conftest import MMC, short_options


def test_look_ahead_grows_in_proportion_beyond_100_replications():
    assert [look_ahead(n, 5) for n in (3, 100, 101, 200, 250)] == [5, 5, 5, 10, 12]


def test_relative_half_width_edge_cases():
    assert relative_half_width(np.array([4.0])) == math.inf
    assert relative_half_width(np.array([2.0, 2.0, 2.0])) == 0.0
    assert relative_half_width(np.array([-1.0, 1.0])) == math.inf
    # t(0.975, 1) * sd / sqrt(2) / mean with values 9, 11: 12.706 * 1.414 / 1.414 / 10
    assert relative_half_width(np.array([9.0, 11.0])) == pytest.approx(1.2706205, rel=1e-6)


def test_a_candidate_is_kept_only_if_the_look_ahead_confirms_it():
    goal = PrecisionGoal(target=0.1, k_limit=2, initial=3, max_reps=10)
    dip = [9, 9, 0.09, 0.2, 0.08, 0.07, 0.06]  # n=3 dips below, n=4 rises again
    assert replications_needed(dip, goal) == 5
    assert replications_needed(dip[:6], goal) is None  # n=5 not yet confirmed
    assert replications_needed([9, 9, 0.5, 0.4], goal) is None


def sequence(sd: float, n: int = 400) -> pd.DataFrame:
    values = np.random.default_rng(12).normal(10.0, sd, n)
    return pd.DataFrame({"replication": range(n), "x": values})


@pytest.mark.parametrize("sd", [1.0, 2.0])
def test_stops_once_the_known_variance_allows_the_target(sd):
    goal = PrecisionGoal(target=0.05, max_reps=400)
    tracker = PrecisionTracker(goal, {"x": []})
    tracker.update(sequence(sd))
    n = tracker.decision()
    # half-width ~ 1.96 sd / sqrt(n) <= 0.05 * 10  =>  n ~ (3.92 sd)^2
    expected = (1.96 * sd / 0.5) ** 2
    assert 0.6 * expected < n < 1.6 * expected
    values = sequence(sd)["x"].to_numpy()
    assert relative_half_width(values[:n]) <= 0.05 < relative_half_width(values[: n - 1])
    report = tracker.report(sequence(sd).iloc[:n])
    assert report.loc[0, "met"] and report.loc[0, "replications_needed"] == n


def test_a_tighter_target_needs_more_replications_and_can_fail():
    paths = {}
    for target in (0.05, 0.02):
        tracker = PrecisionTracker(PrecisionGoal(target=target, max_reps=400), {"x": []})
        tracker.update(sequence(1.0).iloc[:60])
        paths[target] = tracker
    assert paths[0.05].decision() is not None
    assert paths[0.02].decision() is None  # (1.96 / 0.2)^2 ~ 96 replications needed, 60 run
    report = paths[0.02].report(sequence(1.0).iloc[:60])
    assert not report.loc[0, "met"] and report.loc[0, "precision"] > 0.02


def test_reps_auto_writes_the_precision_reached(cli, tmp_path):
    code, out, err = cli(
        "run", MMC, "--reps", "auto", "--target-precision", "0.1", *short_options(200),
        "--kpis", "utilisation_mean,time_in_system_mean_days", "--out", tmp_path,
    )  # fmt: skip
    assert code == 0, err
    precision = pd.read_csv(tmp_path / "precision.csv").set_index("kpi")
    summary = pd.read_csv(tmp_path / "summary.csv").set_index("kpi")
    reps = pd.read_csv(tmp_path / "replications.csv")
    assert list(precision.index) == ["utilisation_mean", "time_in_system_mean_days"]
    assert precision["met"].all() and (precision["precision"] <= 0.1).all()
    assert len(reps) == precision["replications_needed"].max() == precision["replications"].iloc[0]
    for kpi, row in precision.iterrows():
        s = summary.loc[kpi]
        assert row["precision"] == pytest.approx((s["ci_high"] - s["mean"]) / abs(s["mean"]))
    assert "met" in out and f"{len(reps)} replications" in out


def test_reps_auto_reports_a_target_not_reached(tmp_path):
    goal = PrecisionGoal(target=0.001, kpis=("wait_mean_days",), max_reps=9)
    result = api.run(
        MMC, reps=goal, overrides=("run.horizon_days=60", "run.warmup_days=10"), out=tmp_path
    )
    assert len(result.replications) == 9
    assert not result.precision.loc[0, "met"] and pd.isna(
        result.precision.loc[0, "replications_needed"]
    )


@pytest.mark.slow
def test_reps_auto_chooses_the_same_replications_on_any_executor(tmp_path):
    goal = PrecisionGoal(target=0.2, kpis=("wait_mean_days",))
    overrides = ("run.horizon_days=100", "run.warmup_days=10")
    serial = api.run(MMC, reps=goal, overrides=overrides, out=tmp_path / "s")
    pooled = api.run(MMC, reps=goal, overrides=overrides, out=tmp_path / "p", workers=2)
    assert (tmp_path / "s" / "replications.csv").read_bytes() == (
        tmp_path / "p" / "replications.csv"
    ).read_bytes()
    assert len(serial.replications) == len(pooled.replications) > 8


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--reps", "auto", "--kpis", "nope"], "--kpis: unknown KPI nope"),
        (["--reps", "auto", "--target-precision", "2"], "expected a number between 0 and 1"),
        (["--reps", "auto", "--max-reps", "3"], "max reps: expected at least 8"),
        (["--reps", "3", "--target-precision", "0.1"], "go with --reps auto"),
    ],
)
def test_bad_auto_options_exit_2(cli, tmp_path, argv, message):
    code, _, err = cli("run", MMC, *argv, *short_options(), "--out", tmp_path)
    assert code == 2 and message in err and "Traceback" not in err


def test_by_default_a_perinatal_run_aims_at_the_headline_kpis_and_a_queue_at_every_kpi():
    ids = {"scenario": ["s"], "replication": [0], "seed": [1], "women": [10]}
    perinatal = pd.DataFrame(
        {**ids, **{k: [1.0] for k in [*HEADLINE_KPIS.values(), "continuity_breaks_per_woman"]}}
    )
    assert _goal_kpis(PrecisionGoal(), perinatal) == list(HEADLINE_KPIS.values())
    assert _goal_kpis(PrecisionGoal(kpis=("continuity_breaks_per_woman",)), perinatal) == [
        "continuity_breaks_per_woman"
    ]
    queue = pd.DataFrame({**ids, "wait_mean_days": [0.5], "utilisation_mean": [0.8]})
    assert _goal_kpis(PrecisionGoal(), queue) == ["wait_mean_days", "utilisation_mean"]
