"""The calibration of the child-protection, birth, withdrawal, overdose and treatment-entry
targets, for the base scenario and the four sites, as one reproducible command.

    .venv/bin/python -m scripts.calibrate_causal_core [--reps 16] [--out results/calibration]
                                                      [--set PATH=VALUE]...

It runs ``pathway-sim calibration`` for each scenario (seed 1, two workers; ``--set`` options
go to every run), then prints

- the calibration table: every target's band and each scenario's mean (``*`` outside it);
- from the base run, the overdose reference rates that bring the opioid users' profile to
  the published one (Schiff et al. 2018: 3.3 and 12.3 per 100,000 person-days in pregnancy
  and 7-12 months after birth, the 0-6 month rate their midpoint, as the register computes
  it). The rates act linearly on expected overdoses and nothing else reads them, so one run
  gives the factor: write the proposals into ``models/perinatal/schema.py`` and run again;
- the subgroup rates over all five scenarios' women: babies removed by opioid use and
  treatment at birth, and by a child removed before; preterm births and withdrawal by the
  baby's exposure; women out of treatment at birth who are in treatment 6 and 12 months on.

Whoever changes a mechanism these targets read runs it again and records the table in
docs/calibration.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pandas as pd

from pathway_sim.inputs.loading import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = {
    "base": ROOT / "scenarios" / "base.yaml",
    **{p.stem: p for p in sorted((ROOT / "scenarios" / "sites").glob("*.yaml"))},
}
PUBLISHED = {"overdose_rate_opioid_pregnancy": 3.3, "overdose_rate_opioid_7_12m": 12.3}
"""The profile the reference rates are calibrated to (Schiff et al. 2018)."""


def calibrate(name: str, path: Path, reps: int, out: Path, sets: list[str]) -> Path:
    """One scenario's calibration run; returns its results directory."""
    target = out / name
    command = [sys.executable, "-m", "pathway_sim", "calibration", str(path), "--reps", str(reps)]
    command += ["--seed", "1", "--workers", "2", "--out", str(target), "--quiet"]
    for change in sets:
        command += ["--set", change]
    subprocess.run(command, check=True)
    return target


def calibration_table(runs: dict[str, Path]) -> pd.DataFrame:
    """Target by scenario: the simulated mean, starred when outside the band."""
    columns = {}
    for name, directory in runs.items():
        table = pd.read_csv(directory / "calibration.csv")
        columns[name] = [
            f"{r.simulated_mean:.1f}{'' if r.in_range else '*'}" for r in table.itertuples()
        ]
        bands = [f"{r.low:g}-{r.high:g}" for r in table.itertuples()]
        targets = list(table["target"])
    return pd.DataFrame({"target": targets, "band": bands, **columns})


def overdose_proposal(base: Path, sets: list[str]) -> pd.DataFrame:
    """The reference rates that bring the base's opioid users to the published profile."""
    harms = load_scenario(SCENARIOS["base"], sets).harms
    simulated = pd.read_csv(base / "replications.csv")
    pregnant = harms.overdose_per_100k_days_pregnant * (
        PUBLISHED["overdose_rate_opioid_pregnancy"]
        / simulated["overdose_rate_opioid_pregnancy"].mean()
    )
    late = harms.overdose_per_100k_days_late_postpartum * (
        PUBLISHED["overdose_rate_opioid_7_12m"] / simulated["overdose_rate_opioid_7_12m"].mean()
    )
    early = (pregnant + late) / 2
    expected_early = simulated["overdose_rate_opioid_0_6m"].mean() * (
        early / harms.overdose_per_100k_days_early_postpartum
    )
    return pd.DataFrame(
        {
            "row": [f"harms.overdose_per_100k_days_{p}" for p in ("pregnant", "early_postpartum",
                                                                 "late_postpartum")],
            "now": [harms.overdose_per_100k_days_pregnant,
                    harms.overdose_per_100k_days_early_postpartum,
                    harms.overdose_per_100k_days_late_postpartum],
            "proposed": [round(pregnant, 2), round(early, 2), round(late, 2)],
            "opioid users then": [PUBLISHED["overdose_rate_opioid_pregnancy"],
                                  round(expected_early, 2),
                                  PUBLISHED["overdose_rate_opioid_7_12m"]],
        }
    )  # fmt: skip


def subgroups(runs: dict[str, Path]) -> dict[str, pd.DataFrame]:
    """The subgroup rates (percent, with the women counted), over every scenario's women."""
    women = pd.concat(
        pd.read_csv(directory / "women.csv").assign(scenario=name)
        for name, directory in runs.items()
    )
    out_at_birth = women[women["opioid_use"] & ~women["in_treatment_at_birth"].astype(bool)]
    return {
        "babies removed, by opioid use and treatment at birth": _rate(
            women, ["opioid_use", "in_treatment_at_birth"], "removed"
        ),
        "babies removed, by a child removed before": _rate(women, ["previous_removal"], "removed"),
        "preterm births, by the baby's exposure": _rate(
            women.assign(preterm=women["birth_gestation_weeks"] < 37),
            ["opioid_exposure"],
            "preterm",
        ),
        "withdrawal treated, by exposure": _rate(
            women[women["opioid_use"]], ["opioid_exposure"], "nas_treated"
        ),
        "opioid users out of treatment at birth: in treatment at 6 and 12 months": pd.DataFrame(
            {
                "women": [len(out_at_birth)],
                "6 months %": [100 * out_at_birth["in_treatment_at_6m"].mean()],
                "12 months %": [100 * out_at_birth["in_treatment_at_end"].mean()],
            }
        ),
    }


def _rate(women: pd.DataFrame, by: list[str], flag: str) -> pd.DataFrame:
    grouped = women.groupby(by)[flag]
    return pd.DataFrame({"women": grouped.size(), "%": 100 * grouped.mean()}).round(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=16)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "calibration")
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="PATH=VALUE")
    args = parser.parse_args()
    runs = {name: calibrate(name, path, args.reps, args.out, args.sets)
            for name, path in SCENARIOS.items()}  # fmt: skip
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(calibration_table(runs).to_string(index=False))
        print("\nOverdose reference rates (base):")
        print(overdose_proposal(runs["base"], args.sets).to_string(index=False))
        for title, table in subgroups(runs).items():
            print(f"\n{title}:\n{table.round(1).to_string()}")


if __name__ == "__main__":
    main()
