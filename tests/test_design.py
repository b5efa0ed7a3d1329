"""Experiment files: validation, factorial designs and their effects, one command to run."""

import numpy as np
import pandas as pd
import pytest

from pathway_sim import api
from pathway_sim.core.statistics import factorial_effects
from pathway_sim.experiments.spec import load_experiment

from .conftest import MMC, ROOT, mmc_variant, write

FACTORIAL = f"""\
name: staff_speed
base: {MMC}
replications: 4
seed: 3
set: {{run.horizon_days: 60, run.warmup_days: 10}}
factorial:
  staff: {{services.clinic.staff: 4}}
  faster: {{services.clinic.duration_days.mean: 0.5}}
"""


def test_a_factorial_expands_in_standard_order_from_the_base(tmp_path):
    experiment = load_experiment(write(tmp_path / "e.yaml", FACTORIAL))
    assert [s.name for s in experiment.scenarios] == ["mmc", "staff", "faster", "staff+faster"]
    assert experiment.levels["faster"] == {"staff": 0, "faster": 1}
    both = experiment.scenarios[3]
    assert both.services["clinic"].staff == 4 and both.services["clinic"].duration_days.mean == 0.5
    assert {(s.run.seed, s.run.replications, s.run.horizon_days) for s in experiment.scenarios} == {
        (3, 4, 60)
    }


def test_effects_recover_a_known_interaction():
    a, b = np.meshgrid([0, 1], [0, 1], indexing="ij")
    levels = {name: {"a": int(x), "b": int(y)} for name, x, y in zip("pqrs", a.ravel(), b.ravel())}
    noise = np.array([0.3, -0.1, 0.5])  # common to every scenario, as with common random numbers
    rows = [
        {"scenario": s, "replication": r, "seed": 1, "women": 0,
         "y": 10 + 2 * lv["a"] + 3 * lv["b"] + 1 * lv["a"] * lv["b"] + noise[r]}
        for s, lv in levels.items() for r in range(3)
    ]  # fmt: skip
    effects = factorial_effects(pd.DataFrame(rows), levels).set_index("effect")
    # Montgomery: A = 2 + 1/2 (the interaction averaged over B), AB = 1/2
    assert effects.loc["a", "estimate"] == pytest.approx(2.5)
    assert effects.loc["b", "estimate"] == pytest.approx(3.5)
    assert effects.loc["a:b", "estimate"] == pytest.approx(0.5)
    assert effects.loc["a:b", "ci_low"] == pytest.approx(0.5)  # the noise is paired out


@pytest.mark.slow
def test_experiment_command_writes_one_tidy_table_and_effects(cli, tmp_path):
    code, out, err = cli(
        "experiment",
        write(tmp_path / "e.yaml", FACTORIAL),
        "--out",
        tmp_path / "R",
        "--workers",
        "2",
    )
    assert code == 0, err
    table = pd.read_csv(tmp_path / "R" / "experiment.csv")
    assert list(table.columns[:4]) == ["scenario", "staff", "faster", "kpi"]
    assert (
        len(table) == 4 * 4 and table.loc[table["scenario"] == "staff+faster", "staff"].eq(1).all()
    )
    effects = pd.read_csv(tmp_path / "R" / "effects.csv")
    assert list(effects["effect"].unique()) == ["staff", "faster", "staff:faster"]
    diff = table.set_index(["kpi", "scenario"])["diff_vs_base"]
    for kpi, row in effects[effects["effect"] == "staff:faster"].set_index("kpi").iterrows():
        expected = (diff[kpi, "staff+faster"] - diff[kpi, "staff"] - diff[kpi, "faster"]) / 2
        assert row["estimate"] == pytest.approx(expected, abs=1e-12)
    for name in ("mmc", "staff", "faster", "staff+faster"):
        assert (tmp_path / "R" / name / "manifest.json").is_file()
    assert (
        "Factorial effects" in out and (tmp_path / "R" / "experiment.yaml").read_text() == FACTORIAL
    )


def test_listed_scenarios_and_variants_run_against_the_base(tmp_path):
    staffed = mmc_variant(tmp_path, "staff4", "services:\n  clinic:\n    staff: 4\n")
    text = f"""\
name: listed
base: {MMC}
replications: 3
set: {{run.horizon_days: 60, run.warmup_days: 10}}
scenarios: [{staffed.name}]
variants:
  - name: busier
    set: {{arrivals.rate_per_day: 4.5}}
correction: bonferroni
"""
    result = api.run_experiment(write(tmp_path / "e.yaml", text), out=tmp_path / "R")
    assert list(result.table["scenario"].unique()) == ["mmc", "staff4", "busier"]
    assert result.effects is None and not (tmp_path / "R" / "effects.csv").exists()
    assert set(result.table["diff_confidence"]) == {0.975}
    busier = result.table[
        (result.table["scenario"] == "busier") & (result.table["kpi"] == "utilisation_mean")
    ]
    assert busier["diff_vs_base"].iloc[0] > 0


BAD = {
    "unknown field": (
        "name: x\nbase: b.yaml\nfactorials: {}\n",
        "factorials: unknown field (did you mean 'factorial'?)",
    ),
    "nothing to compare": (
        "name: x\nbase: b.yaml\n",
        "expected scenarios, overlays, variants or factorial",
    ),
    "both designs": (
        "name: x\nbase: b.yaml\nscenarios: [a.yaml]\nfactorial: {f: {a: 1}}\n",
        "either factorial or",
    ),
    "factor name": ("name: x\nbase: b.yaml\nfactorial: {'2x': {a: 1}}\n", "factorial.2x"),
    "replications": (
        "name: x\nbase: b.yaml\nreplications: 0\nvariants: [{name: v, set: {a: 1}}]\n",
        "replications: expected greater than 0, got 0",
    ),
    "overlap": (
        f"name: x\nbase: {MMC}\nfactorial:\n"
        "  a: {services.clinic: {staff: 4}}\n"
        "  b: {services.clinic.staff: 5}\n",
        "b and a both change services.clinic",
    ),
    "reserved": (
        f"name: x\nbase: {MMC}\nfactorial:\n  kpi: {{services.clinic.staff: 4}}\n",
        "reserved",
    ),
    "bad set path": (
        f"name: x\nbase: {MMC}\nset: {{services.clinic.stafff: 4}}\n"
        "variants: [{name: v, set: {services.clinic.staff: 4}}]\n",
        "did you mean 'staff'",
    ),
    "bad variant value": (
        f"name: x\nbase: {MMC}\nvariants: [{{name: v, set: {{services.clinic.staff: 0}}}}]\n",
        "variants: v: services.clinic.staff",
    ),
    "missing base": (
        "name: x\nbase: nowhere.yaml\nvariants: [{name: v, set: {a: 1}}]\n",
        "nowhere.yaml not found",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_experiment_file_exits_2_naming_file_and_field(cli, tmp_path, case):
    text, expected = BAD[case]
    path = write(tmp_path / "bad.yaml", text)
    code, _, err = cli("experiment", path, "--out", tmp_path / "R")
    assert code == 2 and expected in err and "Traceback" not in err, err
    assert str(path) in err or case == "missing base"
    assert not (tmp_path / "R").exists()


@pytest.mark.parametrize(
    "path",
    sorted(
        p
        for p in (ROOT / "experiments").glob("*.yaml")
        if not p.name.startswith(("sensitivity_", "uncertainty_"))
    ),
    ids=lambda p: p.name,
)
def test_shipped_experiment_files_are_valid(path):
    base = path.parent / next(
        line.split(":", 1)[1].strip()
        for line in path.read_text().splitlines()
        if line.startswith("base:")
    )
    if not base.exists():
        pytest.skip(f"{base} is not in this tree yet")
    experiment = load_experiment(path)
    assert len(experiment.scenarios) == 2 ** len(experiment.factors) or not experiment.factors
