"""The director's worklists as report tables and workbook sheets, from hand-made lists."""

from __future__ import annotations

import pandas as pd

from pipeline.analysis.worklists import OWNER_NOTE, Worklist, Worklists
from pipeline.render.worklists import worklist_sheets, worklist_table, worklist_tables


def _due(rows: list[dict[str, object]]) -> Worklist:
    columns = ["Child", "Returned", "Hours left", "RHI worker"]
    return Worklist(
        "due_soon",
        "Interviews due in the next 72 hours",
        "Soonest deadline first.",
        pd.DataFrame(rows, columns=columns),
        empty="No interview was due within the next 72 hours.",
    )


def test_a_worklist_table_writes_dates_hours_and_counts_as_text() -> None:
    due = _due(
        [
            {
                "Child": "C1",
                "Returned": pd.Timestamp("2026-07-13 12:00"),
                "Hours left": 36.0,
                "RHI worker": "Not allocated",
            }
        ]
    )
    table = worklist_table(due)
    # A no-break space keeps the date with its time; hours to one decimal place.
    assert table.rows == [["C1", "13/07/2026\u00a012:00", "36.0", "Not allocated"]]
    # The report's table keeps the short note: the owner column is explained above the lists.
    assert table.note == "Soonest deadline first."


def test_an_empty_worklist_says_so_in_its_own_words() -> None:
    due = _due([])
    assert worklist_table(due).rows[0][0] == "No interview was due within the next 72 hours."
    (sheet,) = worklist_sheets(Worklists([due]))
    assert sheet.rows == [["No interview was due within the next 72 hours.", "", "", ""]]


def test_a_sheet_read_on_its_own_says_what_the_owner_column_holds() -> None:
    due = _due([])
    (sheet,) = worklist_sheets(Worklists([due]))
    assert sheet.note == f"Soonest deadline first. {OWNER_NOTE}"
    assert sheet.sheet == "Worklist due soon"
    # A list with no owner column keeps its note as it is.
    plain = Worklist("x", "X", "Note.", pd.DataFrame({"Group": ["In county"], "Declines": [2]}))
    assert worklist_sheets(Worklists([plain]))[0].note == "Note."
    assert worklist_sheets(None) == [] and worklist_tables(None) == {}
