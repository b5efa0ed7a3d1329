"""Speed-up of W worker processes over one, for one scenario.

    .venv/bin/python benchmarks/speedup.py scenarios/verification/mmc.yaml --reps 40 --workers 2

Runs serial and pooled in turn ``--repeats`` times (the pool's start-up included),
checks both give the same replications, and prints the best and median times and
the load average, since other work on the machine slows the pooled runs most.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import pathway_sim as ps


def timed(scenario: str, reps: int, workers: int) -> tuple[float, object]:
    started = time.perf_counter()
    result = ps.run(scenario, reps=reps, workers=workers)
    return time.perf_counter() - started, result.replications


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    times: dict[int, list[float]] = {1: [], args.workers: []}
    for _ in range(args.repeats):
        tables = []
        for workers, runs in times.items():
            seconds, table = timed(args.scenario, args.reps, workers)
            runs.append(seconds)
            tables.append(table)
        assert tables[0].equals(tables[1]), "pooled replications differ from serial ones"
    for workers, runs in times.items():
        print(f"workers={workers}: best {min(runs):.2f} s, median {statistics.median(runs):.2f} s")
    best = min(times[1]) / min(times[args.workers])
    median = statistics.median(times[1]) / statistics.median(times[args.workers])
    print(
        f"speed-up: best {best:.2f}x, median {median:.2f}x on {os.cpu_count()} cores; "
        f"load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
