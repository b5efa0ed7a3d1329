"""The benchmark harness: its yardstick loop, event counting and table (never its timings)."""

from __future__ import annotations

import math
import sys

import simpy

from benchmarks.bench import QUICK, TARGETS, Figure, engine_overhead, figure, table
from benchmarks.counting import count_events
from benchmarks.measure import child_usage, loglog_slope
from benchmarks.mmc_loop import run_mmc_loop
from pathway_sim.inputs.loading import load_scenario
from pathway_sim.runs.runner import run_replication

from .conftest import SCENARIOS


def test_hand_written_loop_meets_the_same_contacts_as_the_engine() -> None:
    scenario = load_scenario(SCENARIOS / "verification/mmc.yaml", ["run.horizon_days=400"])
    engine = run_replication(scenario, 5, 0).services[0]
    loop = run_mmc_loop(scenario, 5, 0)
    assert loop.contacts == engine["contacts"]  # same streams, same arrivals and durations
    tolerance = 4 * engine["wait_mean_days"] / math.sqrt(engine["contacts"])
    assert abs(loop.wait_mean_days - engine["wait_mean_days"]) < tolerance


def test_count_events_counts_each_processed_event() -> None:
    def three_timeouts() -> None:
        env = simpy.Environment()

        def waits():
            for _ in range(3):
                yield env.timeout(1)

        env.process(waits())
        env.run()

    assert count_events(three_timeouts) == 5  # start, three timeouts, the process ending


def test_loglog_slope_of_linear_and_quadratic_growth() -> None:
    sizes = [1, 2, 4, 8]
    assert math.isclose(loglog_slope(sizes, [0.5 * n for n in sizes]), 1.0)
    assert math.isclose(loglog_slope(sizes, [0.5 * n * n for n in sizes]), 2.0)


def test_figures_are_judged_against_their_targets() -> None:
    assert figure("engine_overhead_ratio", 1.2, "x").met is True
    assert figure("parallel_efficiency_2_workers", 0.8, "").met is False
    assert figure("base_events_per_s", 1e5, "events/s").met is None


def test_table_lists_every_figure_with_its_target() -> None:
    figures = [figure(name, 1.0, "") for name in TARGETS] + [Figure("context_only", 2.0, "s")]
    text = table(figures)
    for f in figures:
        assert f.figure in text
    for op, bound in TARGETS.values():
        assert f"{op} {bound:g}" in text


def test_engine_overhead_section_gives_its_three_figures() -> None:
    names = [f.figure for f in engine_overhead(QUICK)]
    assert names == [
        "mmc_engine_contacts_per_s", "mmc_loop_contacts_per_s", "engine_overhead_ratio"
    ]  # fmt: skip


def test_child_usage_samples_the_main_process_and_its_workers_apart() -> None:
    worker = "import time; block = bytearray(80 * 2**20); time.sleep(1.5)"
    main = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {worker!r}])"
    usage = child_usage([sys.executable, "-c", main])
    assert usage["worker_rss_mb"] >= 80 > usage["main_rss_mb"]
    assert usage["processes_rss_mb"] >= usage["worker_rss_mb"]
    assert usage["peak_rss_mb"] >= 80
