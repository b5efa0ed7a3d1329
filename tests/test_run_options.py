"""One set of run options: checked when made, the same whether given as keywords or whole."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

import pathway_sim as ps
from pathway_sim.core.errors import UsageError
from pathway_sim.runs.executors import ExecutorSpec
from pathway_sim.runs.options import (
    RUN_SETTINGS,
    RunOptions,
    RunSettings,
    run_options,
    split_settings,
)

from .conftest import MMC, SHORT


def test_the_api_keywords_are_the_options_fields():
    fields = {f.name for f in dataclasses.fields(RunOptions)}
    assert set(RunSettings.__annotations__) == fields == RUN_SETTINGS


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"event_log_format": "xlsx"}, "event-log format 'xlsx'"),
        ({"executor": "serial", "workers": 2}, "--executor serial runs one replication"),
        ({"scheduler": "tcp://h:8786", "executor": "processes"}, "needs --executor dask"),
        ({"workers": 0}, "--workers: expected a whole number greater than 0"),
        ({"executor": "threads"}, "--executor: expected one of"),
        ({"out": " "}, "out: expected a directory name"),
    ],
)
def test_a_bad_option_is_refused_when_the_options_are_made(given, message):
    with pytest.raises(UsageError, match=message):
        RunOptions(**given)


def test_defaults_are_filled_in_where_the_options_are_used():
    options = RunOptions(out="results/x", workers=3)  # a string, as in a notebook
    assert options.out == Path("results/x")
    assert options.executor_spec == ExecutorSpec("processes", 3)
    assert options.log_format == "parquet" and RunOptions().executor_spec == ExecutorSpec()


def test_keywords_replace_the_fields_of_the_options_given():
    base = RunOptions(workers=2, event_log=True)
    assert run_options(base, workers=4) == RunOptions(workers=4, event_log=True)
    assert run_options(None, resume=True) == RunOptions(resume=True)
    with pytest.raises(TypeError):
        run_options(base, worker=4)  # a typo is an error, not ignored


def test_a_command_with_keywords_of_its_own_gets_them_apart():
    options, rest = split_settings(RunOptions(progress=True), {"samples": 4, "workers": 2})
    assert options == RunOptions(progress=True, workers=2) and rest == {"samples": 4}


def test_options_given_whole_or_as_keywords_write_the_same_bytes(tmp_path):
    common = {"reps": 2, "overrides": SHORT}
    ps.run(MMC, out=tmp_path / "a", event_log=True, event_log_format="csv.gz", **common)
    options = RunOptions(out=tmp_path / "b", event_log=True, event_log_format="csv.gz")
    ps.run(MMC, options=options, **common)
    for name in ("replications.csv", "summary.csv", "services.csv", "events.csv.gz"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    manifests = [json.loads((tmp_path / d / "manifest.json").read_text()) for d in "ab"]
    assert manifests[0]["executor"] == manifests[1]["executor"] == "serial"


def test_one_options_object_serves_several_calls_and_keywords_override_it(tmp_path):
    options = RunOptions(out=tmp_path / "one")
    first = ps.run(MMC, reps=2, overrides=SHORT, options=options)
    second = ps.run(MMC, reps=2, overrides=SHORT, options=options, out=tmp_path / "two")
    assert first.out == tmp_path / "one" and second.out == tmp_path / "two"
    pd.testing.assert_frame_equal(first.replications, second.replications)


def test_a_sensitivity_run_refuses_an_event_log_before_anything_runs(tmp_path):
    with pytest.raises(UsageError, match="no event log"):
        ps.run_sensitivity(
            Path(__file__).parents[1] / "experiments" / "sensitivity_morris_base.yaml",
            out=tmp_path / "s",
            event_log=True,
        )
    assert not (tmp_path / "s").exists()
