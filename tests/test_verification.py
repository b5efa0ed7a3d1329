"""The engine against queueing theory: Erlang C (M/M/c) and Jackson networks (tandem).

Tolerances come from the run: the simulated mean must lie within t(0.999) standard
errors of the theoretical value, where the standard error is estimated from the
replications. Each check is also shown able to fail: the same interval must
exclude the answer for one staff member fewer (or more).
"""

import pandas as pd
import pytest
from scipy import stats

from pathway_sim.core.statistics import t_interval
from pathway_sim.inputs.loading import load_scenario
from pathway_sim.models.queueing.theory import mmc_utilisation, mmc_wait
from pathway_sim.runs.runner import run_replication, services_table

from .conftest import SCENARIOS

MMC = SCENARIOS / "verification" / "mmc.yaml"
TANDEM = SCENARIOS / "verification" / "tandem.yaml"
REPS = 20
Z = float(stats.t.ppf(0.9995, REPS - 1))  # two-sided 99.9%


def _services(path, overrides, reps=REPS, seed=1):
    scenario = load_scenario(path, overrides)
    results = [run_replication(scenario, seed, i) for i in range(reps)]
    return services_table(scenario.name, results)


def _within(values, theory) -> tuple[bool, float]:
    ci = t_interval(values)
    half = Z * ci.std / len(values) ** 0.5
    return abs(ci.mean - theory) <= half, half


# (arrival rate per day, mean duration in days, staff): utilisation 0.5 to 0.9
MMC_CASES = [(2.0, 0.25, 1), (5.0, 0.7, 5), (4.0, 0.6, 3), (9.0, 0.5, 5)]


@pytest.mark.slow
@pytest.mark.parametrize("rate,mean,staff", MMC_CASES)
def test_mmc_matches_erlang_c(rate, mean, staff):
    horizon = 2200 if rate * mean / staff < 0.85 else 3200
    table = _services(
        MMC,
        [
            f"arrivals.rate_per_day={rate}",
            f"services.clinic.duration_days.mean={mean}",
            f"services.clinic.staff={staff}",
            f"run.horizon_days={horizon}",
            "run.warmup_days=200",
        ],
    )
    ok, half = _within(table["wait_mean_days"], mmc_wait(rate, mean, staff))
    assert ok, (table["wait_mean_days"].mean(), mmc_wait(rate, mean, staff), half)
    ok_util, _ = _within(table["utilisation"], mmc_utilisation(rate, mean, staff))
    assert ok_util
    # power: one more staff member gives a wait the same interval rejects
    assert abs(table["wait_mean_days"].mean() - mmc_wait(rate, mean, staff + 1)) > half


@pytest.mark.slow
def test_tandem_matches_jackson_network():
    rate = 3.0
    table = _services(TANDEM, [f"arrivals.rate_per_day={rate}"])
    for service, mean, staff in [("first", 0.5, 2), ("second", 0.25, 1)]:
        rows = table[table["service"] == service]
        ok, half = _within(rows["wait_mean_days"], mmc_wait(rate, mean, staff))
        assert ok, (service, rows["wait_mean_days"].mean(), mmc_wait(rate, mean, staff), half)
        assert _within(rows["utilisation"], mmc_utilisation(rate, mean, staff))[0]


@pytest.mark.slow
def test_tandem_second_service_overrides():
    rate, mean, staff = 3.0, 0.5, 2
    table = _services(
        TANDEM, [f"services.second.staff={staff}", f"services.second.duration_days.mean={mean}"]
    )
    rows = table[table["service"] == "second"]
    assert _within(rows["wait_mean_days"], mmc_wait(rate, mean, staff))[0]


def test_ample_staff_means_no_waits():
    table = _services(MMC, ["services.clinic.staff=60", "run.horizon_days=400"], reps=3)
    assert (table["wait_max_days"] == 0).all()
    assert (table["contacts"] > 600).all()  # 200 measured days at 4 a day


def test_deterministic_queue_gives_the_hand_computed_result():
    # arrivals at 0,1,...,9; each contact 1.5 days; one staff member; horizon 10.
    # contact n starts at 1.5n (n = 0..6 start before day 10), so waits are 0.5n:
    # mean 1.5. Waiting area: sum of 0.5n for n<=6 (10.5) plus 3+2+1 for the three
    # still waiting at the horizon = 16.5 over 10 days.
    table = _services(
        MMC,
        [
            "arrivals={process: scheduled, interval_days: 1}",
            "services.clinic.duration_days={dist: fixed, value: 1.5}",
            "services.clinic.staff=1",
            "run.horizon_days=10",
            "run.warmup_days=0",
        ],
        reps=1,
    )
    row = table.iloc[0]
    assert row["contacts"] == 7
    assert row["wait_mean_days"] == pytest.approx(1.5)
    assert row["wait_max_days"] == pytest.approx(3.0)
    assert row["utilisation"] == pytest.approx(1.0)
    assert row["queue_mean"] == pytest.approx(1.65)


def test_deterministic_tandem_time_in_system_is_the_sum_of_durations():
    scenario = load_scenario(
        TANDEM,
        [
            "arrivals={process: scheduled, interval_days: 1}",
            "services.first.duration_days={dist: fixed, value: 0.5}",
            "services.second.duration_days={dist: fixed, value: 0.25}",
            "services.first.staff=1",
            "run.horizon_days=50",
            "run.warmup_days=5",
        ],
    )
    result = run_replication(scenario, 1, 0)
    assert result.kpis["time_in_system_mean_days"] == pytest.approx(0.75)
    assert result.kpis["wait_mean_days"] == 0
    table = pd.DataFrame(result.services).set_index("service")
    assert table.loc["first", "utilisation"] == pytest.approx(
        0.5, abs=0.011
    )  # 45 days, 45 or 46 contacts


def test_warmup_excludes_contacts_started_before_it():
    scenario = load_scenario(
        MMC,
        [
            "arrivals={process: scheduled, interval_days: 1}",
            "services.clinic.duration_days={dist: fixed, value: 0.5}",
            "run.horizon_days=20",
            "run.warmup_days=10",
        ],
    )
    result = run_replication(scenario, 1, 0)
    assert result.services[0]["contacts"] == 10  # days 10..19
    assert result.women == 10


@pytest.mark.slow
def test_cli_mmc_run_is_within_tolerance_and_reproducible(cli, tmp_path):
    for name in ("R", "R2"):
        code, _out, err = cli("run", MMC, "--reps", "20", "--seed", "1", "--out", tmp_path / name)
        assert code == 0, err
    table = pd.read_csv(tmp_path / "R" / "services.csv")
    assert _within(table["wait_mean_days"], mmc_wait(4.0, 0.6, 3))[0]
    assert (tmp_path / "R" / "replications.csv").read_bytes() == (
        tmp_path / "R2" / "replications.csv"
    ).read_bytes()
