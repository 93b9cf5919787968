"""The director's worklists as the report's tables and as sheets of its internal workbook.

The worklists are worked out upstream (`pipeline.analysis.worklists`) and reach only an
internal report's results; this module only writes their values as text or cells.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from pipeline.metrics import present
from pipeline.render.charts import DataTable, worded_table
from pipeline.render.workbook import Table


def _text(value: Any) -> str:
    """A worklist value as the reader sees it: dates as 03/06/2026 14:05, hours to one
    decimal place, counts with separators, '-' where nothing is recorded."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "-"
    if isinstance(value, pd.Timestamp):
        # A no-break space keeps the date and time on one line.
        return value.strftime("%d/%m/%Y\u00a0%H:%M")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return present.count(float(value))
    if isinstance(value, float):
        return "-" if math.isnan(value) else present.number(value, 1)
    return str(value)


def worklist_table(worklist: Any) -> DataTable:
    """A worklist as a report table: caption, headers, rows of text, its note."""
    frame = worklist.frame
    rows = [[_text(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    if not rows:
        rows = [[worklist.empty, *[""] * (len(frame.columns) - 1)]]
    return worded_table(
        worklist.title, [str(c) for c in frame.columns], rows, worklist.note, css="worklist"
    )


def worklist_tables(worklists: Any) -> dict[str, DataTable]:
    """Every worklist's report table, by worklist id (for `c.table(id)` in a template)."""
    if worklists is None:
        return {}
    return {w.id: worklist_table(w) for w in worklists.items}


def _cell(value: Any) -> tuple[Any, str]:
    """A workbook cell and its format: numbers stay numbers, dates and words are text."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _text(value), "text"
    if isinstance(value, float) and math.isnan(value):
        return "-", "text"
    return value, "count" if isinstance(value, int) else "hours"


def worklist_sheets(worklists: Any) -> list[Table]:
    """Every worklist as a workbook sheet (title in A1, note in A2, headers in row 3)."""
    if worklists is None:
        return []
    out = []
    for w in worklists.items:
        rows = [
            [_cell(v)[0] for v in values] for values in w.frame.itertuples(index=False, name=None)
        ]
        if not rows:
            # An empty sheet says so, as the report does, rather than showing bare headers.
            rows = [[w.empty, *[""] * (len(w.frame.columns) - 1)]]
        # A column's number format is that of its numbers ("-" is written as text anyway).
        kinds = []
        for column in w.frame.columns:
            found = [_cell(v)[1] for v in w.frame[column].tolist()]
            kinds.append(next((k for k in found if k != "text"), "text"))
        out.append(
            Table(
                # Plain words, as every sheet name (no underscore, no leading number).
                f"Worklist {w.id.replace('_', ' ')}"[:31],
                w.title,
                w.sheet_note,
                [str(c) for c in w.frame.columns],
                rows,
                kinds,
            )
        )
    return out


__all__ = ["worklist_sheets", "worklist_table", "worklist_tables"]
