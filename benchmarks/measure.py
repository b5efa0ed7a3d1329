"""Timing, slopes and peak memory: the measuring tools of the benchmark harness."""

from __future__ import annotations

import json
import math
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Timing:
    """Wall seconds of repeated runs: the median says how fast, the spread how noisy."""

    runs: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def spread(self) -> str:
        return f"{min(self.runs):.3g}-{max(self.runs):.3g} s over {len(self.runs)}"


def timed(fn: Callable[[], Any], repeats: int) -> tuple[Timing, Any]:
    """Run ``fn`` ``repeats`` times; its wall times, and what the last run returned."""
    runs, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - started)
    return Timing(tuple(runs)), result


def loglog_slope(sizes: Sequence[float], seconds: Sequence[float]) -> float:
    """Least-squares slope of log(seconds) on log(size): 1 is linear growth."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in seconds]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def child_usage(command: Sequence[str]) -> dict[str, float]:
    """Run ``command`` under a fresh Python that reports its children's wall and CPU
    seconds and peak RSS, so nothing this process ran before is counted."""
    probe = [sys.executable, "-m", "benchmarks.measure", *command]
    return json.loads(subprocess.run(probe, check=True, capture_output=True, text=True).stdout)


def _report_child(command: Sequence[str]) -> None:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
    }))  # fmt: skip


if __name__ == "__main__":
    _report_child(sys.argv[1:])
