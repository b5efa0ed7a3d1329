"""compare: common random numbers make differences paired, exact for a scenario with itself."""

import pandas as pd
import pytest

from pathway_sim import api
from pathway_sim.cli.formatting import format_comparison

from .conftest import MMC, SHORT, mmc_variant, short_options

CONTRACT_COLUMNS = [
    "kpi",
    "scenario",
    "mean",
    "ci_low",
    "ci_high",
    "diff_vs_base",
    "diff_ci_low",
    "diff_ci_high",
]


def test_a_scenario_compared_with_itself_differs_by_exactly_zero(cli, tmp_path):
    copy = mmc_variant(tmp_path, "mmc_again")
    code, out, err = cli(
        "compare", MMC, copy, "--reps", "4", *short_options(), "--out", tmp_path / "C"
    )
    assert code == 0, err
    table = pd.read_csv(tmp_path / "C" / "comparison.csv")
    assert list(table.columns[:8]) == CONTRACT_COLUMNS
    assert set(table["scenario"]) == {"mmc", "mmc_again"} and len(table) == 2 * 4
    assert (table[["diff_vs_base", "diff_ci_low", "diff_ci_high"]] == 0.0).all().all()
    assert "common random numbers" in out and "no multiple-comparison correction" in out
    for name in ("mmc", "mmc_again"):  # each scenario gets the run contract
        names = {p.name for p in (tmp_path / "C" / name).iterdir()}
        assert {
            "replications.csv",
            "summary.csv",
            "services.csv",
            "scenario.yaml",
            "manifest.json",
        } <= names


def test_paired_interval_is_narrower_than_unpaired_for_more_staff(tmp_path):
    staffed = mmc_variant(tmp_path, "mmc_staff4", "services:\n  clinic:\n    staff: 4\n")
    table = api.compare(
        MMC, staffed, reps=10, overrides=("run.horizon_days=200", "run.warmup_days=20")
    ).table
    other = table[table["scenario"] == "mmc_staff4"].set_index("kpi")
    for kpi in ("wait_mean_days", "time_in_system_mean_days", "utilisation_mean"):
        row = other.loc[kpi]
        paired = row["diff_ci_high"] - row["diff_ci_low"]
        unpaired = row["diff_ci_unpaired_high"] - row["diff_ci_unpaired_low"]
        assert 0 < paired < unpaired, kpi
    assert other.loc["wait_mean_days", "diff_ci_high"] < 0  # a fourth member of staff cuts the wait


def test_bonferroni_widens_each_interval_and_says_so(cli, tmp_path):
    others = [
        mmc_variant(tmp_path, f"staff{c}", f"services:\n  clinic:\n    staff: {c}\n")
        for c in (4, 5)
    ]
    runs = {}
    for correction in ("none", "bonferroni"):
        code, out, _ = cli(
            "compare", MMC, *others, "--reps", "4", *short_options(), "--correction", correction,
            "--out", tmp_path / correction,
        )  # fmt: skip
        assert code == 0
        runs[correction] = pd.read_csv(tmp_path / correction / "comparison.csv")
    assert "Bonferroni-corrected for 2 comparisons: each interval at 0.975" in out
    assert set(runs["bonferroni"]["correction"]) == {"bonferroni"}
    assert set(runs["bonferroni"]["diff_confidence"]) == {0.975}
    rows = runs["none"]["scenario"] != "mmc"
    width = {k: (t["diff_ci_high"] - t["diff_ci_low"])[rows] for k, t in runs.items()}
    assert (width["bonferroni"] > width["none"]).all()
    assert (runs["bonferroni"]["diff_vs_base"] == runs["none"]["diff_vs_base"]).all()


def test_other_scenarios_take_the_base_seed_and_replications(cli, tmp_path):
    other = mmc_variant(tmp_path, "own_seed", "run: {seed: 99, replications: 7}\n")
    code, _, err = cli("compare", MMC, other, *short_options(), "--out", tmp_path / "C")
    assert code == 0 and "own_seed: using the base's seed 1 and 20 replications" in err
    reps = pd.read_csv(tmp_path / "C" / "own_seed" / "replications.csv")
    assert set(reps["seed"]) == {1} and len(reps) == 20


@pytest.mark.parametrize("names", [("mmc",), ("mmc", "mmc")])
def test_compare_needs_distinct_scenarios(cli, tmp_path, names):
    code, _, err = cli("compare", *[MMC for _ in names], *short_options(), "--out", tmp_path)
    assert code == 2 and "Traceback" not in err
    assert ("given more than once" in err) if len(names) == 2 else ("at least one other" in err)


def test_compare_runs_all_scenarios_on_one_process_pool(tmp_path):
    staffed = mmc_variant(tmp_path, "mmc_staff4", "services:\n  clinic:\n    staff: 4\n")
    serial = api.compare(MMC, staffed, reps=4, overrides=SHORT, out=tmp_path / "s")
    pooled = api.compare(MMC, staffed, reps=4, overrides=SHORT, out=tmp_path / "p", workers=2)
    pd.testing.assert_frame_equal(serial.table, pooled.table, check_exact=True)
    assert (tmp_path / "s" / "comparison.csv").read_bytes() == (
        tmp_path / "p" / "comparison.csv"
    ).read_bytes()


def test_the_printed_comparison_says_not_measured_instead_of_nan():
    row = {
        "kpi": "care_coordination_wait_days",
        "ci_low": 1.0,
        "ci_high": 3.0,
        "diff_vs_base": 0.0,
        "diff_ci_low": 0.0,
        "diff_ci_high": 0.0,
        "diff_confidence": 0.95,
        "correction": "none",
    }
    table = pd.DataFrame(
        [
            {**row, "scenario": "base", "mean": 2.0},
            {**row, "scenario": "no_coordinator", "mean": float("nan"), "ci_low": float("nan")},
        ]
    )
    text = format_comparison(table)
    line = next(ln for ln in text.splitlines() if "no_coordinator" in ln)
    assert line.split() == ["no_coordinator", "not", "measured"]
    assert "nan" not in text
