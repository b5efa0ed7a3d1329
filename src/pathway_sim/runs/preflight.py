"""Checks made before a run touches its output directory.

A run refused half-way would already have cleared the earlier run's files, so
everything that can be checked without simulating is checked first: the output
directory itself (not empty, not a file, holding none of the run's own input
files), the KPIs named, the dask scheduler's address, and the size of the work.

The workload limits (``LIMITS``) stop a typo (``--reps 100000``, ``women_per_year:
1e6``, a 15-factor factorial) from occupying a machine for days; a run above them is
refused unless ``--allow-large`` (``allow_large=True`` in the API) says it is meant.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from pathway_sim.core.errors import UsageError
from pathway_sim.models import Scenario
from pathway_sim.models.perinatal.kpis import PATHWAY_KPIS
from pathway_sim.models.queueing.kpis import QUEUE_KPIS
from pathway_sim.models.queueing.network import QueueNetworkScenario
from pathway_sim.runs.executors import ExecutorSpec
from pathway_sim.runs.lock import locked
from pathway_sim.runs.options import RunOptions


@dataclass(frozen=True)
class Limits:
    """The most a run may ask for without ``--allow-large``."""

    replications: int = 10_000
    """Replications in all, over every scenario or sample point."""
    entities: float = 10_000_000
    """Women (or queue arrivals) simulated in all, over every replication."""
    scenarios: int = 1_024
    """Scenarios of a comparison or experiment, or points of a sensitivity design."""


LIMITS = Limits()


@dataclass(frozen=True)
class Workload:
    """How much a run asks for: scenarios (or points), replications and entities."""

    scenarios: int
    replications: int
    entities: float


def entities_per_replication(scenario: Scenario) -> float:
    """Expected women (perinatal) or arrivals (queue network) of one replication."""
    if isinstance(scenario, QueueNetworkScenario):
        arrivals = scenario.arrivals
        rate = getattr(arrivals, "rate_per_day", None) or 1.0 / arrivals.interval_days  # type: ignore[union-attr]
        return rate * scenario.run.horizon_days
    population = scenario.population
    return population.women_per_year * (scenario.run.warmup_days + population.cohort_days) / 365


def workload(scenarios: Sequence[Scenario], reps: Sequence[int]) -> Workload:
    """The workload of replicating each scenario ``reps[k]`` times."""
    entities = sum(n * entities_per_replication(s) for s, n in zip(scenarios, reps, strict=True))
    return Workload(len(scenarios), int(sum(reps)), entities)


def check_workload(load: Workload, allow_large: bool, limits: Limits = LIMITS) -> None:
    """Refuse a workload above ``limits`` unless ``allow_large``."""
    if allow_large:
        return
    over = [
        f"{what} {got:,.0f} (limit {limit:,.0f})"
        for what, got, limit in (
            ("scenarios or points", load.scenarios, limits.scenarios),
            ("replications", load.replications, limits.replications),
            ("women or arrivals simulated", load.entities, limits.entities),
        )
        if got > limit
    ]
    if over:
        raise UsageError(
            f"this run is larger than the limits: {'; '.join(over)}. Check the numbers "
            "(replications, women_per_year, horizon, factors), or give --allow-large "
            "(allow_large=True in the API) if it is meant"
        )


def known_kpis(scenario: Scenario) -> list[str]:
    """The KPIs a scenario's model reports, known before anything runs."""
    kpis = QUEUE_KPIS if isinstance(scenario, QueueNetworkScenario) else PATHWAY_KPIS
    return [k.name for k in kpis]


def check_kpis(scenario: Scenario, wanted: Iterable[str], option: str) -> None:
    """Refuse KPI names the scenario's model does not report."""
    known = known_kpis(scenario)
    unknown = [k for k in wanted if k not in known]
    if unknown:
        raise UsageError(
            f"{option}: unknown KPI {', '.join(unknown)}; this model reports: {', '.join(known)}"
        )


@contextmanager
def preflight(options: RunOptions, sources: Iterable[Path], load: Workload) -> Iterator[None]:
    """``with preflight(...):`` everything checked before ``options.out`` is touched (the
    directory, and that it holds none of the input files ``sources``; the size of the
    work; the scheduler's address), then ``options.out`` locked while the run writes it."""
    if options.out is not None:
        check_out(options.out)
        check_inputs_outside(options.out, sources)
    check_workload(load, options.allow_large)
    check_scheduler(options.scheduler)
    with locked(options.out):
        yield


def check_out(out: Path) -> None:
    """An output directory that can be one: not a file, not empty, not a symlink loop."""
    if str(out).strip() == "":
        raise UsageError("--out: expected a directory name, got an empty one")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: is a file; expected a results directory")
    try:
        out.resolve(strict=False)
    except (OSError, RuntimeError) as exc:
        raise UsageError(f"--out {out}: cannot be resolved ({exc})") from None


def check_inputs_outside(out: Path, sources: Iterable[Path]) -> None:
    """Refuse an ``--out`` holding one of the run's input files: a run clears and
    rewrites its directory, and must never overwrite or delete what it was given."""
    top = out.resolve()
    for source in sources:
        resolved = Path(source).resolve()
        if resolved == top or top in resolved.parents:
            raise UsageError(
                f"--out {out}: holds {source}, an input of this run, which the run would "
                "overwrite or delete; give another --out (or copy the file elsewhere first)"
            )


def check_scheduler(address: str | None, timeout: float = 5.0) -> None:
    """Refuse a dask scheduler address that nothing answers at, before anything starts."""
    if not address:
        return
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if not host or not port:
        raise UsageError(f"--scheduler {address}: expected an address like tcp://host:8786")
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        raise UsageError(
            f"--scheduler {address}: could not reach a dask scheduler ({exc})"
        ) from None


def capped(spec: ExecutorSpec, tasks: int) -> ExecutorSpec:
    """The executor with no more local workers than there are tasks to run."""
    if spec.kind == "serial" or spec.scheduler or spec.workers <= max(tasks, 1):
        return spec
    return replace(spec, workers=max(tasks, 1))
