"""``report.xlsx``: the tables people pass around, in one workbook (openpyxl).

Sheets: ``scorecard`` (scorecard.csv), ``comparison`` (comparison.csv), ``costs`` (the
comparison's cost KPIs), ``cost_effectiveness`` (cost_effectiveness.csv) and
``register`` (the parameter register, every unit cost's source among them). Each
sheet holds the same values as its CSV, a header row in bold, frozen below it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

from pathway_sim.core.text import formula_like
from pathway_sim.inputs.register import register_table
from pathway_sim.models import kpi
from pathway_sim.runs import layout
from pathway_sim.runs.outputs import atomic_write

MAX_WIDTH = 60
"""Widest column, in characters: long sources and notes wrap rather than run on."""


def _cell(value: Any) -> Any:
    """A value as Excel keeps it: a missing number is an empty cell, numpy scalars plain."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _sheet(book: Workbook, title: str, table: pd.DataFrame) -> None:
    sheet = book.create_sheet(title)
    sheet.append(list(table.columns))
    for row in table.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            if formula_like(cell.value):
                as_text(cell)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for i, column in enumerate(table.columns, 1):
        longest = max([len(str(column)), *(len(str(v)) for v in table[column].head(200))])
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(MAX_WIDTH, longest + 2)


def as_text(cell: Cell) -> None:
    """Keep a cell that starts like a formula (``=HYPERLINK(...)`` in a label) as the text
    it is: a string cell, quote-prefixed so that editing it in Excel keeps it text. Every
    value written goes through here (``core.text.formula_like``)."""
    cell.data_type = "s"
    cell.quotePrefix = True


def cost_rows(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison's rows for the cost KPIs (GBP per woman), in catalogue order."""
    costs = comparison[comparison["kpi"].map(lambda k: (e := kpi(k)) is not None
                                             and e.toc_outcome == "CO")]  # fmt: skip
    return costs.reset_index(drop=True)


def workbook_tables(
    comparison: pd.DataFrame, scorecard: pd.DataFrame, cost_effect: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Each sheet's table, by sheet name."""
    return {
        "scorecard": scorecard,
        "comparison": comparison,
        "costs": cost_rows(comparison),
        "cost_effectiveness": cost_effect,
        "register": register_table(),
    }


def write_workbook(
    out: Path, comparison: pd.DataFrame, scorecard: pd.DataFrame, cost_effect: pd.DataFrame
) -> Path:
    """Write ``out/report.xlsx`` (whole or not at all) and return its path."""
    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    for title, table in workbook_tables(comparison, scorecard, cost_effect).items():
        _sheet(book, title, table)
    path = Path(out) / layout.WORKBOOK
    atomic_write(path, book.save, binary=True)
    return path
