"""The output directory's layout: the name of every file the commands write, declared once.

``runs/outputs.py`` writes a run's files and ``runs/reader.py`` reads them back; the
comparison, experiment and sensitivity runs, the report and the workbook add theirs
beside them. Each name is part of the output-directory contract (README: Output
files). The groups say which command writes which, so that a new run clears exactly
what an earlier one left (``outputs.remove_stale``). No pandas here: the command line
may name these files without importing it.
"""

from __future__ import annotations

from pathway_sim.runs.formats import EVENT_LOG_FILES

# --- one run (``run``, and each scenario's sub-directory of ``compare`` or ``experiment``) ---
MANIFEST = "manifest.json"
"""Provenance, written last: a directory with a manifest holds a whole run."""
SCENARIO = "scenario.yaml"
"""The fully resolved scenario."""
REPLICATIONS = "replications.csv"
SUMMARY = "summary.csv"
SERVICES = "services.csv"
WOMEN = "women.csv"
ENGAGEMENT_WEEKLY = "engagement_weekly.csv"
BURDEN_WEEKLY = "burden_weekly.csv"
OLD_EVENT_LOG = "events.csv"
"""The event log of earlier versions (other columns): never read, cleared by a new run."""
PRECISION = "precision.csv"
"""With ``--reps auto``: the precision each KPI reached."""
KPI_EVIDENCE = "kpi_evidence.csv"
CALIBRATION = "calibration.csv"
STORE = "replications"
"""The directory of finished replications that ``--resume`` reuses (``runs/store.py``)."""

# --- what the report and the workbook add to any results directory --------------------------
REPORT = "report.html"
WORKBOOK = "report.xlsx"
FIGURES = "figures"

# --- a comparison or an experiment, at the top of its directory --------------------------
COMPARISON = "comparison.csv"
SCORECARD = "scorecard.csv"
COST_EFFECTIVENESS = "cost_effectiveness.csv"
EXPERIMENT = "experiment.csv"
EFFECTS = "effects.csv"
"""A factorial experiment's main effects and two-way interactions."""
EXPERIMENT_FILE = "experiment.yaml"
"""The experiment file as given."""

# --- a sensitivity analysis -----------------------------------------------------------------
SENSITIVITY_FILE = "sensitivity.yaml"
"""The sensitivity file as given."""
PARAMETERS = "parameters.csv"
SAMPLES = "samples.csv"
INDICES = "indices.csv"
TORNADO = "tornado.csv"
UNCERTAINTY = "uncertainty.csv"
POINTS = "points"
"""The directory of each sample point's stored replications."""

RUN_FILES = (
    MANIFEST, SCENARIO, REPLICATIONS, SUMMARY, SERVICES, WOMEN, ENGAGEMENT_WEEKLY, BURDEN_WEEKLY,
    *EVENT_LOG_FILES, OLD_EVENT_LOG, PRECISION, KPI_EVIDENCE, CALIBRATION, REPORT, WORKBOOK,
    SCORECARD, FIGURES,
)  # fmt: skip
"""What a run (and ``calibration`` or a report after it) may leave in its directory, all
cleared when the next run starts, the manifest first."""
COMPARISON_FILES = (COMPARISON, SCORECARD, COST_EFFECTIVENESS, REPORT, WORKBOOK, FIGURES)
"""What ``compare`` writes at the top of its directory (each scenario's run below it)."""
EXPERIMENT_FILES = (EXPERIMENT, EFFECTS, EXPERIMENT_FILE)
"""What ``experiment`` adds to a comparison's files."""
SENSITIVITY_FILES = (
    MANIFEST, SENSITIVITY_FILE, SCENARIO, PARAMETERS, SAMPLES, INDICES, TORNADO, UNCERTAINTY,
    FIGURES,
)  # fmt: skip
"""What ``sensitivity`` writes at the top of its directory (its points below it)."""
