"""The event log's schema file (``data/event_log.schema.json``) is what the models write."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pandas as pd
import pytest

from pathway_sim.inputs.loading import load_scenario
from pathway_sim.models.results import EVENT_COLUMNS, EVENT_TYPES
from pathway_sim.runs.runner import run_replication

from .conftest import SCENARIOS
from .pathway_helpers import small

SHORT = ["run.horizon_days=30", "run.warmup_days=5"]
VIDIGI = ("entity_id", "event_type", "event", "time", "resource_id", "run")
"""The columns vidigi's animation functions read."""


@pytest.fixture(scope="module")
def schema() -> dict:
    text = resources.files("pathway_sim").joinpath("data/event_log.schema.json").read_text()
    return json.loads(text)


def test_schema_names_the_columns_in_order(schema):
    assert tuple(schema["x-column-order"]) == EVENT_COLUMNS
    assert tuple(schema["required"]) == EVENT_COLUMNS
    assert set(schema["properties"]) == set(EVENT_COLUMNS)
    assert tuple(schema["properties"]["event_type"]["enum"]) == EVENT_TYPES
    assert set(VIDIGI) <= set(EVENT_COLUMNS)


def rows(result) -> list[dict]:
    return [dict(zip(EVENT_COLUMNS, row, strict=True)) for row in result.events]


@pytest.mark.parametrize("model", ["perinatal", "queue_network"])
def test_every_row_the_models_write_fits_the_schema(schema, model):
    if model == "perinatal":
        result = run_replication(small(), 3, 0, event_log=True)
    else:
        scenario = load_scenario(SCENARIOS / "verification" / "mmc.yaml", SHORT)
        result = run_replication(scenario, 3, 0, event_log=True)
    validator = jsonschema.Draft202012Validator(schema)
    for row in rows(result):
        validator.validate(row)
    log = pd.DataFrame(result.events, columns=list(EVENT_COLUMNS))
    assert set(log["event_type"]) >= {
        "arrival_departure",
        "queue",
        "resource_use",
        "resource_use_end",
    }
    flow = log[log["event_type"] == "resource_use"]
    assert flow["event"].str.endswith("_begins").all() and flow["resource_id"].notna().all()
    assert set(log.loc[log["event_type"] == "arrival_departure", "event"]) <= {"arrival", "depart"}
    assert set(log["outcome"]) <= {"", "attended", "missed", "cancelled"}


def test_every_contact_has_its_queue_start_and_end():
    log = pd.DataFrame(run_replication(small(), 3, 0, event_log=True).events, columns=EVENT_COLUMNS)
    counts = log.groupby(["service", "event_type"]).size().unstack(fill_value=0)
    begun = counts["resource_use"]
    assert (counts["resource_use_end"] == begun).all()
    assert (counts["queue"] >= begun).all()
