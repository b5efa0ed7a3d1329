"""The Streamlit page: choose a site, levers and staffing, press Run, watch the Theory of
Change outcomes move, keep each run and compare up to four side by side.

Run by ``pathway-sim app`` (``streamlit run`` on this file). Settings come from the
environment the server sets: ``PATHWAY_SIM_APP_RESULTS`` (presets written by
``pathway-sim precompute``) and ``PATHWAY_SIM_APP_WORKERS`` (1 runs in a thread only).
Runs live in the server's store (``store.py``), shared by every session; the page's
address names the run it shows (``?run=KEY``), so a refresh shows it again. A label the
presenter typed is shown as text: escaped for Markdown, and as text in a table a
spreadsheet may open (``core/text.py``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from pandas.api.types import is_numeric_dtype
from streamlit.runtime.state import SessionStateProxy

from pathway_sim.app import jobs, levers, presets, results, server, store
from pathway_sim.app.store import StoredRun
from pathway_sim.core.errors import ScenarioError, UsageError
from pathway_sim.core.text import as_spreadsheet_text, for_markdown
from pathway_sim.inputs.loading import to_yaml
from pathway_sim.models.perinatal.toc import KEY_REQUIREMENTS
from pathway_sim.runs import layout
from pathway_sim.runs.reader import ResultsDir

MAX_REPS = 100
DEFAULT_REPS = 30
POLL_SECONDS = 1.0
RESULTS_ENV = server.RESULTS_ENV
WORKERS_ENV = jobs.WORKERS_ENV
RUN_PARAM = "run"
"""The query parameter naming the run shown (its key in the server's store)."""


def state() -> SessionStateProxy:
    """This browser session's current run (its key), taken from the page's address when
    the session starts (a refresh, a shared link)."""
    if "current" not in st.session_state:
        key = st.query_params.get(RUN_PARAM)
        st.session_state["current"] = key if store.server().get(key) else None
    return st.session_state


def current() -> StoredRun | None:
    return store.server().get(state()["current"])


# --- choosing ---------------------------------------------------------------------------------


def choose_site() -> tuple[str, str, int]:
    """Site, the run's name and replications, in the sidebar."""
    with st.sidebar:
        st.header("Site and run")
        site = st.selectbox("Site archetype", levers.sites(), key="site")
        taken = len(store.server().runs()) + 1
        name = st.text_input("Name of this what-if", f"What-if {taken}", key="name", max_chars=60)
        reps = st.number_input(
            "Replications", min_value=2, max_value=MAX_REPS, value=DEFAULT_REPS, step=1,
            key="reps", help="Each is one simulated cohort; the base runs the same ones.",
        )  # fmt: skip
    return site, name, int(reps)


def choose_levers(site: str) -> tuple[list[str], dict[str, float]]:
    """Levers by key requirement (each shown once, under its first), with intensities."""
    chosen: list[str] = []
    intensity: dict[str, float] = {}
    base = levers.site_scenario(site)
    shown: set[str] = set()
    st.subheader("Levers, by key requirement of the Theory of Change")
    columns = st.columns(2)
    for n, (kr, group) in enumerate(levers.by_requirement().items()):
        with columns[n % 2].expander(f"{kr} {KEY_REQUIREMENTS[kr][0]}", expanded=False):
            for lever in group:
                if lever.name not in shown:
                    shown.add(lever.name)
                    _lever_widget(lever, base, chosen, intensity)
    with st.expander("All key requirements together", expanded=False):
        _lever_widget(levers.lever(levers.WHOLE_SYSTEM), base, chosen, intensity)
    return chosen, intensity


def _lever_widget(
    lever: levers.Lever, base: Any, chosen: list[str], intensity: dict[str, float]
) -> None:
    also = list(lever.key_requirements[1:])
    title = lever.label + (f" (also {', '.join(also)})" if also else "")
    if st.checkbox(title, key=f"lever:{lever.name}", help=lever.changes):
        chosen.append(lever.name)
        for path, value in lever.settings.items():
            intensity[path] = _number(f"intensity:{lever.name}:{path}", path, value, base)
    st.caption(lever.changes)


def _number(key: str, path: str, value: float, scenario: Any) -> float:
    """A number input bounded by the schema's range for ``path``."""
    limit = levers.bounds(scenario, path)
    label = f"{path} ({limit.low:g} to {limit.high:g})"
    if limit.integer:
        whole = st.number_input(label, int(limit.low), int(limit.high), int(value), 1, key=key)
        return int(whole)
    got = st.number_input(label, limit.low, limit.high, float(value), 0.05, key=key)
    return float(got)


def choose_staff(site: str) -> dict[str, int]:
    """Staff posts per service, each bounded by the schema (at least one post)."""
    base = levers.site_scenario(site)
    staff = {}
    with st.expander("Staffing per service (posts)", expanded=False):
        columns = st.columns(4)
        for n, service in enumerate(levers.staffed_services(base)):
            path = f"services.{service}.staff"
            with columns[n % 4]:
                current = getattr(base.services, service).staff
                staff[path] = int(_number(f"staff:{site}:{service}", path, current, base))
    return staff


# --- running ----------------------------------------------------------------------------------


def start(choice: levers.WhatIf) -> None:
    """Build and start the what-if; this session's run still going is stopped first
    (kept as stopped)."""
    running = current()
    if running is not None and running.job.state == jobs.RUNNING:
        running.job.stop()
        job = running.job
        st.info(f"Stopped {for_markdown(running.label)} ({job.done} of {job.reps} done) to "
                "start this one.")  # fmt: skip
    try:
        base, whatif = levers.build(choice)
        run = store.server().start(base, whatif)
    except (ScenarioError, UsageError, ValueError) as exc:
        st.error(f"This what-if cannot run: {for_markdown(exc)}")
        return
    state()["current"] = run.key
    st.query_params[RUN_PARAM] = run.key


def labels_of(run: StoredRun) -> dict[str, str]:
    job = run.job
    return {job.base.name: f"{job.base.name} (base)", job.whatif.name: run.label}


def show_job(run: StoredRun) -> None:
    """Progress, then the ToC panel, verdicts and costs from the pairs done so far."""
    job = run.job
    st.subheader(f"{for_markdown(run.label)} against {job.base.name}")
    st.progress(job.done / job.reps, text=f"{job.done} of {job.reps} paired replications done")
    _status(job)
    table = job.comparison()
    if table is None:
        return
    show_comparison(table, labels_of(run), {job.whatif.name: job.whatif.key_requirements})


def _status(job: jobs.Job) -> None:
    if job.state == jobs.FAILED:
        st.error(f"The run failed: {for_markdown(job.error)}")
    elif job.state == jobs.STOPPED:
        st.warning(f"Stopped after {job.done} of {job.reps} paired replications.")
    elif job.state == jobs.DONE:
        st.success(f"Done: {job.reps} paired replications in {job.wall_seconds:.1f} s.")
    if job.first_estimate_seconds is not None:
        st.caption(f"First estimate (2 pairs) after {job.first_estimate_seconds:.1f} s.")


def show_comparison(
    table: pd.DataFrame, labels: dict[str, str], requirements: dict[str, Any]
) -> None:
    """The report's ToC panel, then the verdicts and costs tables."""
    st.html(results.toc_html(table, labels, requirements))
    st.markdown("**Verdicts** (difference from the base, 95% interval, minimal important "
                "difference)")  # fmt: skip
    st.dataframe(as_text_table(results.verdicts(table, labels)), hide_index=True)
    st.markdown("**Costs**")
    st.dataframe(as_text_table(results.costs(table, labels)), hide_index=True)


def as_text_table(table: pd.DataFrame) -> pd.DataFrame:
    """The table with a label that a spreadsheet would take for a formula shown as text:
    the browser's table exports itself as CSV."""
    return table.apply(lambda column: column if is_numeric_dtype(column)
                       else column.map(as_spreadsheet_text))  # fmt: skip


@st.fragment(run_every=POLL_SECONDS)
def live() -> None:
    """The current run, redrawn every second while it runs (the rest of the page stays)."""
    run = current()
    if run is None:
        return
    show_job(run)
    settled = st.session_state.setdefault("settled", set())
    if run.job.state != jobs.RUNNING and run.key not in settled:
        settled.add(run.key)
        st.rerun()  # the whole page, so compare and downloads list the finished run


def journeys(run: StoredRun) -> None:
    """Example journeys of the same women in the base and the what-if (one replication,
    run with the event log on demand, in the run's folder)."""
    from pathway_sim.app.journeys import journey_figures

    try:
        job, folder = run.job, store.server().folder(run)
    except UsageError as exc:
        st.error(for_markdown(exc))
        return
    with st.spinner("Running one replication of each with the event log..."):
        for title, figure in journey_figures(job.base, job.whatif, labels_of(run), folder):
            st.caption(for_markdown(title))
            st.pyplot(figure)


# --- comparing and downloading ----------------------------------------------------------------


def compare() -> None:
    """Up to four kept runs and presets side by side against the first one's base."""
    options = _comparable()
    if not options:
        return
    st.subheader("Compare side by side")
    picked = st.multiselect("Runs and presets (up to 4)", list(options), key="compare",
                            max_selections=results.MAX_SIDE_BY_SIDE)  # fmt: skip
    if not picked:
        return
    tables = [options[p][0] for p in picked]
    labels = {k: v for p in picked for k, v in options[p][1].items()}
    requirements = {k: v for p in picked for k, v in options[p][2].items()}
    st.caption("Each what-if is paired with its own site's base; the panel's base is the first.")
    show_comparison(results.side_by_side(tables), labels, requirements)


def _comparable() -> dict[str, tuple[pd.DataFrame, dict[str, str], dict[str, Any]]]:
    found: dict[str, tuple[pd.DataFrame, dict[str, str], dict[str, Any]]] = {}
    for run in store.server().runs():
        job, table = run.job, run.job.comparison()
        if table is not None and job.state != jobs.RUNNING:
            found[run.label] = (table, labels_of(run),
                                {job.whatif.name: job.whatif.key_requirements})  # fmt: skip
    for preset in loaded_presets():
        names = {preset.table["scenario"].iloc[0]: f"{preset.site} (base)",
                 preset.lever: f"{preset.label} ({preset.site}, preset)"}  # fmt: skip
        found[f"preset: {preset.title}"] = (
            preset.table,
            names,
            {preset.lever: preset.key_requirements},
        )
    return found


def loaded_presets() -> list[presets.Preset]:
    """The presets of ``--results DIR`` (read once per session)."""
    root = os.environ.get(RESULTS_ENV)
    if not root:
        return []
    if "presets" not in st.session_state:
        try:
            st.session_state["presets"] = presets.load(Path(root))
        except UsageError as exc:
            st.session_state["presets"] = []
            st.session_state["presets_error"] = str(exc)
    if st.session_state.get("presets_error"):
        st.error(for_markdown(st.session_state["presets_error"]))
    return st.session_state["presets"]


def downloads() -> None:
    """Any kept run as scenario YAML, results directory (zip), HTML report and xlsx."""
    finished = {
        r.label: r for r in store.server().runs() if r.job.state != jobs.RUNNING and r.job.done
    }
    if not finished:
        return
    st.subheader("Take it away")
    label = st.selectbox("Run", list(finished), key="download_run")
    run = finished[label]
    job = run.job
    st.download_button("Scenario YAML", to_yaml(job.whatif), f"{job.whatif.name}.yaml",
                       "application/x-yaml", key="yaml")  # fmt: skip
    if st.button("Prepare results, report and workbook", key="prepare"):
        try:
            run.files = files_of(job, store.server().folder(run))
        except UsageError as exc:
            st.error(for_markdown(exc))
    for name, (data, mime) in run.files.items():
        st.download_button(name, data, name, mime, key=f"get:{run.key}:{name}")


def files_of(job: jobs.Job, folder: Path) -> dict[str, tuple[bytes, str]]:
    """The run's results directory (written in ``folder``), its HTML report and
    workbook, as downloadable bytes."""
    from pathway_sim.reporting.report import build_report

    folder = folder / job.whatif.name
    pairs = job.paired()
    results.write_results(folder, [job.base, job.whatif],
                          [[job.base_results[i] for i in pairs],
                           [job.whatif_results[i] for i in pairs]])  # fmt: skip
    report = build_report(folder)
    written = ResultsDir(folder)
    return {
        f"{job.whatif.name}_results.zip": (results.zipped(folder), "application/zip"),
        layout.REPORT: (report.read_bytes(), "text/html"),
        layout.WORKBOOK: (written.data(layout.WORKBOOK),
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    }  # fmt: skip


# --- the page ---------------------------------------------------------------------------------


def controls(choice: levers.WhatIf) -> None:
    """Run, Stop and example journeys."""
    run_col, stop_col, journey_col = st.columns(3)
    if run_col.button("Run", type="primary", key="run"):
        start(choice)
    run = current()
    if stop_col.button("Stop", key="stop", disabled=run is None) and run is not None:
        run.job.stop()
    if journey_col.button("Example journeys", key="journeys", disabled=run is None) and run:
        journeys(run)


def main() -> None:
    st.set_page_config(page_title="pathway-sim what-if", layout="wide")
    st.title("What if? Perinatal care for women who use drugs")
    st.caption("A simulation judged against the Theory of Change: pick a site and levers, "
               "press Run, and watch the outcomes move against the site as it is.")  # fmt: skip
    site, name, reps = choose_site()
    chosen, intensity = choose_levers(site)
    staff = choose_staff(site)
    controls(levers.WhatIf(site, chosen, intensity, staff, reps, name))
    live()
    compare()
    downloads()


if __name__ == "__main__":  # as Streamlit runs it; importing it draws nothing
    main()
