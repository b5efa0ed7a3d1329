"""Text from a user on its way out: to a terminal, a spreadsheet or a Markdown page.

A label, a key or a file name is written by whoever wrote the file, and each place it is
shown obeys some text rather than showing it: a terminal obeys escape sequences (clear
the screen, set the window title, rewrite a line), a spreadsheet obeys a cell that
starts with ``=`` (a formula, which may fetch a URL or run a command), and Markdown
obeys links and images (which make the reader's browser fetch them). Each guard here
turns such text back into text that shows itself. HTML has its own: the report's
Jinja2 templates escape every value (``reporting/templating.py``).
"""

from __future__ import annotations

import re

_OBEYED_BY_TERMINALS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
"""C0 and C1 control characters (ESC, BEL, backspace, carriage return...) but newline and
tab, and the bidirectional marks and overrides that reorder what a line shows."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, CSV injection)."""

_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
"""ASCII punctuation, every character of which a backslash makes literal in CommonMark."""


def printable(text: object) -> str:
    """``text`` with each character a terminal would obey written out as its escape
    (``\\x1b``, ``\\x07``, ``\\u202e``), so it shows rather than acts; newlines and tabs
    stay, so a message of several lines keeps them. The guard for terminals, and for any
    place a control character would draw as a missing glyph (a figure's label)."""
    return _OBEYED_BY_TERMINALS.sub(lambda found: ascii(found.group())[1:-1], str(text))


def first_line(text: object) -> str:
    """The first line of ``text``: a library's error (pyarrow's) may append a whole schema
    to the one line a message needs."""
    lines = str(text).strip().splitlines()
    return lines[0] if lines else ""


def formula_like(value: object) -> bool:
    """Whether a spreadsheet would read ``value`` as a formula rather than as text."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def as_spreadsheet_text(value: object) -> object:
    """``value``, with a leading apostrophe if a spreadsheet would read it as a formula:
    for tables that cannot mark a cell as text (a table the app's browser exports as
    CSV). The workbook marks such cells as text instead (``reporting/xlsx.py``)."""
    return f"'{value}" if formula_like(value) else value


def for_markdown(text: object) -> str:
    """``text`` shown as itself in Markdown (Streamlit's headings, captions and
    messages): every ASCII punctuation mark escaped, so no link, image, emphasis,
    formula or colour directive forms, and on one line."""
    one_line = " ".join(printable(text).split())
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", one_line)
