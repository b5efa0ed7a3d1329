"""The performance harness: every performance figure against its target, in one run.

    make bench                  # or: .venv/bin/python -m benchmarks.bench [--quick]

Writes ``results/bench/bench-<time>.csv`` and prints a table. Figures are wall
times on this machine, so the load average is recorded before and after: other
work on the machine slows pooled runs most. ``--quick`` (or ``BENCH_QUICK=1``)
runs one repeat of each at small sizes, to check the harness rather than measure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

import pandas as pd

import pathway_sim as ps
from benchmarks.counting import count_events
from benchmarks.measure import Timing, child_usage, loglog_slope, timed
from benchmarks.mmc_loop import run_mmc_loop
from pathway_sim.inputs.loading import load_scenario, with_changes
from pathway_sim.runs.runner import run_replication

ROOT = Path(__file__).resolve().parent.parent
MMC = ROOT / "scenarios/verification/mmc.yaml"
BASE = ROOT / "scenarios/base.yaml"
PLANNER = [BASE] + [
    ROOT / "scenarios/interventions" / name
    for name in ("kr1_trauma_informed_training.yaml", "kr5_care_coordinator.yaml",
                 "kr5_hub.yaml", "whole_system.yaml")
]  # fmt: skip
"""The standard planner comparison: what ``make run`` compares."""

TARGETS: dict[str, tuple[str, float]] = {
    "engine_overhead_ratio": ("<=", 1.5),
    "scaling_loglog_slope": ("<=", 1.1),
    "parallel_efficiency_2_workers": (">=", 0.85),
    "peak_rss_mb": ("<", 1024.0),
    "planner_comparison_s": ("<", 60.0),
    "planner_main_peak_rss_mb": ("<", 300.0),
    "report_s": ("<", 3.0),
    "report_peak_rss_mb": ("<", 300.0),
    "cli_help_s": ("<", 0.25),
    "cli_validate_s": ("<", 0.25),
}
"""Figures with a target (2-core machine); the others are context for them."""
SCALING_FACTORS = (1, 2, 4, 8)
"""Cohort sizes, as multiples of the base scenario's women per year."""


@dataclass(frozen=True)
class Sizes:
    """How much each measurement runs: full for figures, quick to check the harness."""

    repeats: int
    scaling_repeats: int
    parallel_reps: int
    memory_reps: int
    planner_reps: int


FULL = Sizes(repeats=5, scaling_repeats=3, parallel_reps=8, memory_reps=30, planner_reps=30)
QUICK = Sizes(repeats=1, scaling_repeats=1, parallel_reps=2, memory_reps=2, planner_reps=1)


@dataclass(frozen=True)
class Figure:
    """One measured figure, with its spread over repeats and its target if it has one."""

    figure: str
    value: float
    unit: str
    spread: str = ""
    target: str = ""
    met: bool | None = None


def figure(name: str, value: float, unit: str, spread: str = "", key: str | None = None) -> Figure:
    """A figure, judged against the target filed under ``key`` (default: its name)."""
    rule = TARGETS.get(key or name)
    if rule is None:
        return Figure(name, value, unit, spread)
    op, bound = rule
    met = {"<=": value <= bound, "<": value < bound, ">=": value >= bound}[op]
    return Figure(name, value, unit, spread, f"{op} {bound:g}", met)


def engine_overhead(sizes: Sizes) -> list[Figure]:
    """The M/M/c scenario through ``run_replication`` against the hand-written loop."""
    scenario = load_scenario(MMC)
    seed = scenario.run.seed
    engine, result = timed(partial(run_replication, scenario, seed, 0), sizes.repeats)
    loop, baseline = timed(partial(run_mmc_loop, scenario, seed, 0), sizes.repeats)
    contacts = result.services[0]["contacts"]
    return [
        figure("mmc_engine_contacts_per_s", contacts / engine.median, "contacts/s", engine.spread),
        figure(
            "mmc_loop_contacts_per_s", baseline.contacts / loop.median, "contacts/s", loop.spread
        ),
        figure("engine_overhead_ratio", engine.median / loop.median, "x"),
    ]


def pathway_speed(sizes: Sizes) -> list[Figure]:
    """One base replication: seconds, women and simpy events per second."""
    scenario = load_scenario(BASE)
    seed = scenario.run.seed
    replicate = partial(run_replication, scenario, seed, 0)
    run, result = timed(replicate, sizes.repeats)
    events = count_events(replicate)
    return [
        figure("base_replication_s", run.median, "s", run.spread),
        figure("base_women_per_s", result.women / run.median, "women/s"),
        figure("base_events_per_s", events / run.median, "events/s"),
    ]


def scaling(sizes: Sizes) -> list[Figure]:
    """Wall time of one base replication as the cohort grows x1, x2, x4, x8: with every
    service's staff grown alike (the same system, larger), and with staff fixed.

    With staff fixed, time grows less than the cohort: overloaded services cancel
    contacts that come too late, so each woman costs less to simulate.
    """
    base = load_scenario(BASE)
    rows = []
    for staffed, name in ((True, "scaling"), (False, "scaling_fixed_staff")):
        medians = []
        for k in SCALING_FACTORS:
            changes = {"population.women_per_year": base.population.women_per_year * k}
            if staffed:
                changes.update({f"services.{s}.staff": spec.staff * k for s, spec in base.services})
            scenario = with_changes(base, changes, "bench")
            replicate = partial(run_replication, scenario, base.run.seed, 0)
            run, _ = timed(replicate, sizes.scaling_repeats)
            medians.append(run.median)
            rows.append(figure(f"{name}_x{k}_s", run.median, "s", run.spread))
        slope = loglog_slope(SCALING_FACTORS, medians)
        rows.append(figure(f"{name}_loglog_slope", slope, "", "time vs women per year",
                           key="scaling_loglog_slope" if staffed else None))  # fmt: skip
    return rows


def parallel_efficiency(sizes: Sizes) -> list[Figure]:
    """Serial against two pooled workers (pool start-up included), alternating so that
    load from elsewhere falls on both; the two must give the same replications."""
    scenario = load_scenario(BASE)
    runs: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(sizes.scaling_repeats):
        tables = []
        for workers, times in runs.items():
            replicate = partial(ps.run, scenario, reps=sizes.parallel_reps, workers=workers)
            run, result = timed(replicate, 1)
            times.extend(run.runs)
            tables.append(result.replications)
        if not tables[0].equals(tables[1]):
            raise RuntimeError("pooled replications differ from serial ones")
    serial, pooled = Timing(tuple(runs[1])), Timing(tuple(runs[2]))
    return [
        figure("serial_s", serial.median, "s", serial.spread),
        figure("two_workers_s", pooled.median, "s", pooled.spread),
        figure("parallel_efficiency_2_workers", serial.median / (2 * pooled.median), ""),
    ]


def peak_memory(sizes: Sizes) -> list[Figure]:
    """Peak RSS of a base run in a fresh process (the largest of it and its workers)."""
    rows = []
    for event_log, name in ((False, "peak_rss_mb"), (True, "peak_rss_event_log_mb")):
        with tempfile.TemporaryDirectory() as out:
            command = _cli("run", str(BASE), "--reps", str(sizes.memory_reps), "--out", out)
            usage = child_usage(command + ["--event-log"] * event_log)
        rows.append(figure(name, usage["peak_rss_mb"], "MB", f"{sizes.memory_reps} reps"))
    return rows


def planner_comparison(sizes: Sizes) -> list[Figure]:
    """``compare`` of the base and four levers, as ``make run`` does (event logs and report
    included): its time and the peak memory of its main process and of its workers; then
    ``report`` alone on its results (issue 17: main under 300 MB, report under 3 s)."""
    reps = str(sizes.planner_reps)
    size = f"{reps} reps x {len(PLANNER)}"
    with tempfile.TemporaryDirectory() as out:
        usage = child_usage(_cli("compare", *map(str, PLANNER), "--reps", reps, "--out", out))
        report = child_usage([sys.executable, "-m", "pathway_sim", "report", out])
    return [
        figure("planner_comparison_s", usage["wall_s"], "s", size),
        figure("planner_comparison_cpu_s", usage["cpu_s"], "s", "all processes"),
        figure("planner_main_peak_rss_mb", usage["main_rss_mb"], "MB", f"{size}, sampled"),
        figure("planner_worker_peak_rss_mb", usage["worker_rss_mb"], "MB", "largest worker"),
        figure("planner_processes_peak_rss_mb", usage["processes_rss_mb"], "MB", "all at once"),
        figure("report_s", report["wall_s"], "s", f"{size}, whole process"),
        figure("report_peak_rss_mb", report["peak_rss_mb"], "MB", size),
    ]


def cli_startup(sizes: Sizes) -> list[Figure]:
    """Whole-process wall time and peak memory of ``--help`` and ``validate`` (median of
    five): the commands a user types first must answer at once."""
    rows = []
    commands = {"cli_help": ["--help"], "cli_validate": ["validate", str(BASE)]}
    for name, args in commands.items():
        command = [sys.executable, "-m", "pathway_sim", *args]
        usages = [child_usage(command) for _ in range(max(sizes.repeats, 5))]
        wall = Timing(tuple(u["wall_s"] for u in usages))
        peak = max(u["peak_rss_mb"] for u in usages)
        rows.append(figure(f"{name}_s", wall.median, "s", wall.spread))
        rows.append(figure(f"{name}_peak_rss_mb", peak, "MB"))
    return rows


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "pathway_sim", *args, "--workers", "2", "--quiet"]


SECTIONS: tuple[Callable[[Sizes], list[Figure]], ...] = (
    engine_overhead, pathway_speed, scaling, parallel_efficiency, peak_memory, planner_comparison,
    cli_startup,
)  # fmt: skip


def table(figures: list[Figure]) -> str:
    """The figures as a fixed-width table, each against its target."""
    verdict = {True: "met", False: "NOT MET", None: ""}
    lines = [f"{'figure':32} {'value':>12} {'unit':10} {'target':10} {'':8} spread"]
    for f in figures:
        lines.append(
            f"{f.figure:32} {f.value:12.4g} {f.unit:10} {f.target:10} {verdict[f.met]:8} {f.spread}"
        )
    return "\n".join(lines)


def load_line() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", default=bool(os.environ.get("BENCH_QUICK")))
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "bench")
    parser.add_argument("--only", nargs="+", metavar="SECTION", help="run only these sections")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    before = load_line()
    sections = [s for s in SECTIONS if not args.only or s.__name__ in args.only]
    figures = [f for section in sections for f in section(sizes)]
    after = load_line()
    print(table(figures))
    print(f"before: {before}\nafter:  {after}")
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    path = args.out / f"bench-{stamp}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = pd.DataFrame([asdict(f) for f in figures])
    rows.assign(quick=args.quick, load_before=before, load_after=after).to_csv(path, index=False)
    print(f"written {path}")
    judged = [f for f in figures if f.met is not None]
    print(f"targets met: {sum(bool(f.met) for f in judged)} of {len(judged)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
