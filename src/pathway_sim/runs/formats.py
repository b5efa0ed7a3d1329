"""The event log's file formats: a module without pandas or pyarrow, so that the command line
can offer them in its help without importing either."""

from __future__ import annotations

from pathway_sim.core.errors import UsageError

EVENT_LOG_FORMATS = {"parquet": "events.parquet", "csv.gz": "events.csv.gz"}
"""The event log's formats and file names; the first is the default (the smaller)."""
DEFAULT_EVENT_LOG_FORMAT = "parquet"
EVENT_LOG_FILES = tuple(EVENT_LOG_FORMATS.values())
"""Where a results directory's event log may be, in the order looked for. An ``events.csv``
of earlier versions (other columns) is not read: such results count as having no event
log (a new run clears it)."""


def check_event_log_format(fmt: str | None) -> None:
    """Refuse an event-log format that is not one of ``EVENT_LOG_FORMATS`` (None: the default)."""
    if fmt is not None and fmt not in EVENT_LOG_FORMATS:
        raise UsageError(
            f"event-log format {fmt!r}: expected one of {', '.join(EVENT_LOG_FORMATS)}"
        )
