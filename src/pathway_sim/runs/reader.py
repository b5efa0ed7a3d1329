"""The results reader: what the commands wrote, read back through one door.

``runs/outputs.py`` writes the output-directory contract; this module reads it, by the
names ``runs/layout.py`` declares. The report, the app, ``animate`` and the command
line's checks read a results directory here and nowhere else, and every file is
reached through ``ResultsDir.path``: the one place that decides what may be read.
A results directory may come from someone else, so nothing read here is run as code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pathway_sim.core.errors import UsageError
from pathway_sim.core.paths import within
from pathway_sim.core.schema import name_problem
from pathway_sim.core.statistics import COMPARISON_COLUMNS, ID_COLUMNS
from pathway_sim.core.text import first_line
from pathway_sim.inputs.yaml_files import read_mapping
from pathway_sim.models.results import EVENT_COLUMNS
from pathway_sim.runs import layout
from pathway_sim.runs.formats import EVENT_LOG_FILES
from pathway_sim.runs.outputs import CATEGORICAL_EVENT_COLUMNS, typed_events

CSV_CHUNK_ROWS = 200_000
"""Rows of a gzip CSV event log read at a time."""
COLUMNS_READ: dict[str, tuple[str, ...]] = {
    layout.REPLICATIONS: ID_COLUMNS,
    layout.SUMMARY: ("scenario", "kpi", "mean", "ci_low", "ci_high"),
    layout.SERVICES: ("scenario", "replication", "service", "wait_mean_days"),
    layout.WOMEN: ("replication", "woman_id", "birth_day", "known_gestation_weeks", "rural",
                   "travel_hours"),
    layout.ENGAGEMENT_WEEKLY: ("service", "week", "women", "engaged"),
    layout.BURDEN_WEEKLY: ("week", "women", "contacts", "places"),
    layout.KPI_EVIDENCE: ("kpi", "rests_on_assumptions"),
    layout.COMPARISON: tuple(COMPARISON_COLUMNS),
    layout.EFFECTS: ("kpi", "effect", "estimate", "ci_low", "ci_high", "confidence"),
}  # fmt: skip
"""The columns the readers of each table rely on (the report, the app, animate): a table
without them is refused when it is read, naming the file, rather than failing later."""
REWRITE = "run the command that wrote the directory again"


@dataclass(frozen=True)
class ResultsDir:
    """A results directory as a command wrote it. ``parts`` name a file below it: a layout
    name, after the sub-directory of a comparison's scenario if there is one. A file
    that is missing or not as a command writes it is refused (``UsageError`` naming it)."""

    root: Path

    def path(self, *parts: str) -> Path:
        """The file (or directory) ``parts`` names, refused if a link leads it out of the
        directory: a results directory may come from someone else."""
        return within(self.root, self.root.joinpath(*parts), "read")

    def has(self, *parts: str) -> bool:
        return self.path(*parts).is_file()

    def table(self, *parts: str) -> pd.DataFrame:
        """A table the run wrote, with at least the columns its readers rely on."""
        return read_result_table(self.file(*parts), list(COLUMNS_READ.get(parts[-1], ())))

    def optional_table(self, *parts: str) -> pd.DataFrame | None:
        """The table, or None when the run did not write it."""
        return self.table(*parts) if self.has(*parts) else None

    def text(self, *parts: str) -> str:
        path = self.file(*parts)
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"{path}: expected UTF-8 text as pathway-sim writes it") from None

    def data(self, *parts: str) -> bytes:
        return self.file(*parts).read_bytes()

    def manifest(self, *where: str) -> dict[str, Any]:
        """``manifest.json`` of the run in ``where`` (the top by default)."""
        try:
            found = json.loads(self.text(*where, layout.MANIFEST))
        except (ValueError, RecursionError) as exc:
            found = exc
        if not isinstance(found, dict):
            raise UsageError(
                f"{self.path(*where, layout.MANIFEST)}: expected a JSON object as pathway-sim "
                f"writes it ({found if isinstance(found, Exception) else type(found).__name__})"
                f"; {REWRITE}"
            )
        return found

    def scenario(self, *where: str) -> dict[str, Any]:
        """``scenario.yaml`` of the run in ``where``, as plain data, read under the input
        files' limits (``inputs/yaml_files.py``): it may have been edited by hand."""
        return read_mapping(self.file(*where, layout.SCENARIO), "resolved scenario")[1]

    def file(self, *parts: str) -> Path:
        """The path of a file the run must have written (refused if it is not there)."""
        path = self.path(*parts)
        if not path.is_file():
            missing = "is a directory" if path.is_dir() else "is missing"
            raise UsageError(
                f"{path}: {missing}; expected the file the run writes there; {REWRITE}"
            )
        return path

    def event_log(self, *where: str) -> Path | None:
        """The event log of the run in ``where``, in whichever format it was written."""
        for name in EVENT_LOG_FILES:
            if self.has(*where, name):
                return self.path(*where, name)
        return None


# --- one run, and a directory of runs --------------------------------------------------------


@dataclass(frozen=True)
class EventLog:
    """A run's event log and the tables the run took from it: all there, or none."""

    path: Path
    women: pd.DataFrame
    engagement_weekly: pd.DataFrame
    burden_weekly: pd.DataFrame


@dataclass(frozen=True)
class RunResults:
    """What one run's directory holds (``run``, or one scenario of a comparison)."""

    name: str
    path: Path
    scenario: dict[str, Any]
    manifest: dict[str, Any]
    replications: pd.DataFrame
    summary: pd.DataFrame
    services: pd.DataFrame
    women: pd.DataFrame | None
    evidence: pd.DataFrame | None
    events: EventLog | None
    """None unless the run kept its event log and the weekly counts taken from it."""

    @property
    def perinatal(self) -> bool:
        return self.scenario.get("model") == "perinatal"

    @property
    def archetype(self) -> str:
        return str(self.scenario.get("site", {}).get("archetype", ""))

    @property
    def label(self) -> str:
        """The display name: the scenario's ``label``, else its whole name."""
        return str(self.scenario.get("label") or self.name)


@dataclass(frozen=True)
class Results:
    """A results directory: one run, or a base and the scenarios compared with it."""

    root: Path
    scenarios: list[RunResults]
    comparison: pd.DataFrame | None
    experiment_text: str | None
    effects: pd.DataFrame | None = None
    """A factorial experiment's main effects and two-way interactions (``effects.csv``)."""

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.scenarios]

    @property
    def perinatal(self) -> bool:
        return all(s.perinatal for s in self.scenarios)


def read_results(root: Path) -> Results:
    """Read a run directory (``manifest.json`` at its top) or a compare/experiment
    directory (``comparison.csv`` and a sub-directory per scenario, base first)."""
    where = ResultsDir(Path(root))
    if where.has(layout.MANIFEST):
        return Results(where.root, [read_run(where)], None, None)
    if not where.has(layout.COMPARISON):
        raise UsageError(
            f"{where.root}: not a results directory: expected {layout.MANIFEST} (from run) or "
            f"{layout.COMPARISON} (from compare or experiment)"
        )
    comparison = where.table(layout.COMPARISON)
    names = scenario_names(where.path(layout.COMPARISON), comparison)
    text = where.text(layout.EXPERIMENT_FILE) if where.has(layout.EXPERIMENT_FILE) else None
    effects = where.optional_table(layout.EFFECTS)
    return Results(where.root, [read_run(where, n) for n in names], comparison, text, effects)


def read_run(results: ResultsDir, *where: str) -> RunResults:
    """The run in ``where`` below ``results`` (its top by default)."""
    path = results.path(*where)
    if not results.has(*where, layout.MANIFEST):
        raise UsageError(f"{path}: no finished run here ({layout.MANIFEST} is missing)")
    scenario = results.scenario(*where)
    name = scenario.get("name")
    if name_problem(name):
        raise UsageError(f"{results.path(*where, layout.SCENARIO)}: name: {name_problem(name)}")
    women = results.optional_table(*where, layout.WOMEN)
    return RunResults(
        name=str(name),
        path=path,
        scenario=scenario,
        manifest=results.manifest(*where),
        replications=results.table(*where, layout.REPLICATIONS),
        summary=results.table(*where, layout.SUMMARY),
        services=results.table(*where, layout.SERVICES),
        women=women,
        evidence=results.optional_table(*where, layout.KPI_EVIDENCE),
        events=_event_log(results, where, women),
    )


def _event_log(
    results: ResultsDir, where: Sequence[str], women: pd.DataFrame | None
) -> EventLog | None:
    path = results.event_log(*where)
    engagement = results.optional_table(*where, layout.ENGAGEMENT_WEEKLY)
    burden = results.optional_table(*where, layout.BURDEN_WEEKLY)
    if path is None or women is None or engagement is None or burden is None:
        return None
    return EventLog(path, women, engagement, burden)


def read_comparison(root: Path) -> pd.DataFrame:
    """``comparison.csv`` alone, without the runs below it (the app's presets), with a
    row for at least one scenario, each named as a run names it."""
    results = ResultsDir(root)
    table = results.table(layout.COMPARISON)
    scenario_names(results.path(layout.COMPARISON), table)
    return table


# --- checks before a results directory is trusted -------------------------------------------


def check_results_dir(root: Path) -> None:
    """Refuse a results directory whose scenario names could not have been written by a
    run (a tampered or hand-made directory): the report joins them into paths. Each
    ``scenario.yaml`` is read under the input files' limits."""
    results = ResultsDir(root)
    comparison = results.path(layout.COMPARISON)
    if comparison.is_file() and not results.has(layout.MANIFEST):
        table = read_result_table(comparison, ["scenario"])
        for name in scenario_names(comparison, table):
            _check_run_dir(results, name)
    else:
        _check_run_dir(results)


def _check_run_dir(results: ResultsDir, *where: str) -> None:
    if not results.has(*where, layout.SCENARIO):
        return  # the report says what is missing
    name = results.scenario(*where).get("name")
    if name_problem(name):
        raise UsageError(f"{results.path(*where, layout.SCENARIO)}: name: {name_problem(name)}")


def scenario_names(path: Path, comparison: pd.DataFrame) -> list[str]:
    """The scenarios of a comparison, base first, each a name a run could have written
    (the readers join them into paths)."""
    names = list(dict.fromkeys(comparison["scenario"]))
    for name in names:
        if name_problem(name):
            raise UsageError(f"{path}: scenario: {name_problem(name)}; {REWRITE}")
    if not names:
        raise UsageError(f"{path}: expected a row per KPI and scenario, found none; {REWRITE}")
    return [str(n) for n in names]


def read_result_table(path: Path, columns: list[str]) -> pd.DataFrame:
    """A table pathway-sim wrote, with at least ``columns`` (exit 2 naming it, if not)."""
    try:
        table = pd.read_csv(path)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: not a table pathway-sim wrote ({exc}); {REWRITE}") from None
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise UsageError(
            f"{path}: expected the columns {', '.join(missing)} (not in its header); {REWRITE}"
        )
    return table


# --- the event log -----------------------------------------------------------------------------


def read_event_log(
    path: Path,
    columns: Sequence[str] | None = None,
    rows: Mapping[str, Sequence[object]] | None = None,
) -> pd.DataFrame:
    """An event log in any of ``EVENT_LOG_FILES``' formats (a file, or a results directory
    holding one), with its typed columns; with ``rows`` (column -> values), only the rows
    whose values are among those (Parquet skips the other replications' row groups; gzip
    CSV is filtered as it streams), so a few women's journeys never load the whole log."""
    path = Path(path)
    if path.is_dir():
        found = ResultsDir(path).event_log()
        if found is None:
            raise UsageError(f"{path}: no event log (run with --event-log)")
        path = found
    wanted = list(columns or EVENT_COLUMNS)
    rows = dict(rows or {})
    try:
        if path.name.endswith(".parquet"):
            filters = [(column, "in", list(values)) for column, values in rows.items()] or None
            return pd.read_parquet(path, columns=wanted, filters=filters).reset_index(drop=True)
        return _read_csv_log(path, wanted, rows)
    except (ValueError, KeyError, TypeError, OSError, EOFError) as exc:  # pyarrow's too
        raise UsageError(
            f"{path}: not an event log pathway-sim wrote, with the columns "
            f"{', '.join(wanted)} ({type(exc).__name__}: {first_line(exc)}); {REWRITE}"
        ) from None


def _read_csv_log(
    path: Path, wanted: list[str], rows: Mapping[str, Sequence[object]]
) -> pd.DataFrame:
    """A gzip CSV event log's ``wanted`` columns, only the ``rows`` asked for."""
    text = [c for c in wanted if c in CATEGORICAL_EVENT_COLUMNS]
    chunks = pd.read_csv(
        path, usecols=sorted({*wanted, *rows}), dtype=dict.fromkeys(text, "str"),
        keep_default_na=False, na_values={"resource_id": [""], "value": [""]},
        chunksize=CSV_CHUNK_ROWS,
    )  # fmt: skip
    kept = [_matching(chunk, rows)[wanted] for chunk in chunks]
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in wanted})
    events = pd.concat(kept, ignore_index=True) if kept else empty
    return typed_events(events)


def _matching(chunk: pd.DataFrame, rows: Mapping[str, Sequence[object]]) -> pd.DataFrame:
    keep = pd.Series(True, index=chunk.index)
    for column, values in rows.items():
        keep &= chunk[column].isin(values)
    return chunk[keep]
