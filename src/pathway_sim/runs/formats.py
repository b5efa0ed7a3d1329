"""The event log's file formats, and the one this process writes: a module without pandas or
pyarrow, so that the command line can offer them in its help without importing either."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pathway_sim.core.errors import UsageError

EVENT_LOG_FORMATS = {"parquet": "events.parquet", "csv.gz": "events.csv.gz"}
"""The event log's formats and file names; the first is the default (the smaller)."""
DEFAULT_EVENT_LOG_FORMAT = "parquet"
EVENT_LOG_FILES = tuple(EVENT_LOG_FORMATS.values())
"""Where a results directory's event log may be, in the order looked for. An ``events.csv``
of earlier versions (other columns) is not read: such results count as having no event
log (a new run clears it)."""
_chosen = {"event_log_format": DEFAULT_EVENT_LOG_FORMAT}


def use_event_log_format(fmt: str | None) -> None:
    """Choose the format this process writes event logs in (``--event-log-format``)."""
    if fmt is not None and fmt not in EVENT_LOG_FORMATS:
        raise UsageError(
            f"event-log format {fmt!r}: expected one of {', '.join(EVENT_LOG_FORMATS)}"
        )
    _chosen["event_log_format"] = fmt or DEFAULT_EVENT_LOG_FORMAT


@contextmanager
def event_log_format(fmt: str | None) -> Iterator[None]:
    """``with event_log_format("csv.gz"):`` event logs written inside are in that format
    (None: the format already chosen); the choice before is restored after."""
    before = _chosen["event_log_format"]
    use_event_log_format(fmt or before)
    try:
        yield
    finally:
        _chosen["event_log_format"] = before


def chosen_event_log_format() -> str:
    """The format this process writes event logs in (to hand to a worker that writes one)."""
    return _chosen["event_log_format"]
