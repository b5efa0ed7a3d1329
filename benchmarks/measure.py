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


SAMPLE_SECONDS = 0.1


def _report_child(command: Sequence[str]) -> None:
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peaks = _sampled_peaks(process)
    if process.wait() != 0:
        raise subprocess.CalledProcessError(process.returncode, command)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux; the largest process
        **peaks,
    }))  # fmt: skip


def _sampled_peaks(process: subprocess.Popen[bytes]) -> dict[str, float]:
    """Peak RSS, sampled every ``SAMPLE_SECONDS`` until ``process`` ends, of the process
    itself (``main_rss_mb``), of its largest descendant (``worker_rss_mb``: pool or
    cluster workers) and of all of them at once (``processes_rss_mb``); a spike between
    two samples can be missed, so ``peak_rss_mb`` bounds the largest process."""
    import psutil  # a dependency of distributed

    main = psutil.Process(process.pid)
    peaks = {"main_rss_mb": 0.0, "worker_rss_mb": 0.0, "processes_rss_mb": 0.0}
    while process.poll() is None:
        try:
            own = main.memory_info().rss
            workers = [_rss(child) for child in main.children(recursive=True)]
        except psutil.Error:  # it ended between two calls
            break
        peaks["main_rss_mb"] = max(peaks["main_rss_mb"], own / 2**20)
        peaks["worker_rss_mb"] = max(peaks["worker_rss_mb"], max(workers, default=0) / 2**20)
        peaks["processes_rss_mb"] = max(peaks["processes_rss_mb"], (own + sum(workers)) / 2**20)
        time.sleep(SAMPLE_SECONDS)
    return peaks


def _rss(process: Any) -> int:
    """A process's RSS, 0 once it has ended."""
    try:
        return int(process.memory_info().rss)
    except Exception:  # psutil.Error: ended since listed
        return 0


if __name__ == "__main__":
    _report_child(sys.argv[1:])
