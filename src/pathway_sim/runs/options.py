"""How and where a run runs: the options every running command shares, in one object.

``run``, ``compare``, ``experiment``, ``sensitivity`` and ``calibration`` (and the
notebook API's functions) take the same options: the results directory, where the
replications run (executor, workers, dask scheduler), whether the event log is kept and
in which format, whether to resume, whether to show progress, and whether a run above
the workload limits is meant. ``RunOptions`` holds them, checked when it is made; the
command line builds one from its options, the API from its keywords (``RunSettings``),
and the layers below take it whole. No pandas here: the command line builds it cheaply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypedDict, Unpack

from pathway_sim.core.errors import UsageError
from pathway_sim.runs.executors import ExecutorSpec, choose_executor
from pathway_sim.runs.formats import DEFAULT_EVENT_LOG_FORMAT, check_event_log_format


@dataclass(frozen=True, kw_only=True)
class RunOptions:
    """The options of a run; None means the default the field's description gives."""

    out: Path | None = None
    """The results directory (``--out``); None writes nothing."""
    workers: int | None = None
    """Replications run at once (default: 1, or every core for a pool or local cluster)."""
    executor: str | None = None
    """serial, processes or dask (default: processes when several workers, else serial)."""
    scheduler: str | None = None
    """The address of a dask cluster already running."""
    event_log: bool = False
    """Also write the event log, one row per event."""
    event_log_format: str | None = None
    """parquet or csv.gz (default parquet, the smaller)."""
    resume: bool = False
    """Reuse the finished replications stored in ``out``."""
    progress: bool = False
    """Show a progress bar on a terminal."""
    allow_large: bool = False
    """Run even above the workload limits (``runs/preflight.py``)."""

    def __post_init__(self) -> None:
        """Refuse a bad option now, before anything is checked, run or written."""
        if self.out is not None:
            object.__setattr__(self, "out", output_dir(self.out))
        check_event_log_format(self.event_log_format)
        self.executor_spec  # noqa: B018 (checks the executor, workers and scheduler together)

    @property
    def executor_spec(self) -> ExecutorSpec:
        """Where the replications run (``executors.choose_executor``)."""
        return choose_executor(self.executor, self.workers, self.scheduler)

    @property
    def log_format(self) -> str:
        """The event log's format, the default filled in."""
        return self.event_log_format or DEFAULT_EVENT_LOG_FORMAT


class RunSettings(TypedDict, total=False):
    """The notebook API's keywords for ``RunOptions``: its fields, ``out`` also a string."""

    out: str | Path | None
    workers: int | None
    executor: str | None
    scheduler: str | None
    event_log: bool
    event_log_format: str | None
    resume: bool
    progress: bool
    allow_large: bool


RUN_SETTINGS = RunSettings.__optional_keys__


def run_options(
    options: RunOptions | None = None, /, **settings: Unpack[RunSettings]
) -> RunOptions:
    """``options`` (default: every default) with the fields ``settings`` name replaced."""
    changes: dict[str, Any] = dict(settings)
    return replace(options or RunOptions(), **changes)


def split_settings(
    options: RunOptions | None, settings: Mapping[str, object]
) -> tuple[RunOptions, dict[str, object]]:
    """``settings`` parted: those ``RunSettings`` names, applied to ``options``, and the rest
    (for a command that also takes other keywords)."""
    changes: dict[str, Any] = {k: v for k, v in settings.items() if k in RUN_SETTINGS}
    rest = {k: v for k, v in settings.items() if k not in RUN_SETTINGS}
    return replace(options or RunOptions(), **changes), rest


def output_dir(out: str | Path) -> Path:
    """``out`` as a path; an empty name would mean the working directory: refused."""
    if not str(out).strip():
        raise UsageError("out: expected a directory name, got an empty one")
    return Path(out)
