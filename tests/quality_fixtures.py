"""Tiny hand-written extracts for the data-quality tests, built without files.

`extract()` makes a `RawExtract` the way `pipeline.load.load_extract` would leave it: text
cells (blank = NA), canonical headers, and a `row` column counting spreadsheet rows from 2
(row 1 is the header).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.config import Config
from pipeline.load import RawExtract
from pipeline.parse import clean_text
from pipeline.quality.rules import Table
from pipeline.quality.validate import type_table
from pipeline.schema import EXTRACTS, FIRST_DATA_ROW, ROW

CONFIG = Config()

EPISODE_HEADERS = {
    "episode_id": "Episode ID",
    "child_id": "Person ID",
    "start": "Missing Start Date",
    "end": "Missing End Date",
    "episode_type": "Missing/Absent",
    "looked_after": "Legal Status",
    "placement_area": "Placement Location",
    "date_of_birth": "Date of Birth",
}
INTERVIEW_HEADERS = {
    "episode_id": "Episode ID",
    "outcome": "RHI Outcome",
    "completed_at": "RHI Completed Date",
    "mode": "RHI Method",
    "interviewer_role": "Completed By",
    "risks": "Risks Identified",
}


def episode(episode_id: str, child_id: str = "C1", **values: str) -> dict[str, str]:
    """One valid episode row (not looked after, returned a day later), with overrides."""
    row = {
        "episode_id": episode_id,
        "child_id": child_id,
        "start": "03/04/2026 10:00",
        "end": "04/04/2026 10:00",
        "looked_after": "no",
    }
    row.update(values)
    return row


def interview(episode_id: str, **values: str) -> dict[str, str]:
    """One valid completed RHI row (face to face, independent, 24 hours after return)."""
    row = {
        "episode_id": episode_id,
        "outcome": "completed",
        "completed_at": "05/04/2026 10:00",
        "mode": "face_to_face",
        "interviewer_role": "independent_practitioner",
    }
    row.update(values)
    return row


def extract(
    name: str,
    rows: list[dict[str, str]],
    *,
    file: str | None = None,
    headers: dict[str, str] | None = None,
    columns: list[str] | None = None,
    first_row: int = FIRST_DATA_ROW,
) -> RawExtract:
    """A RawExtract of `rows`; `columns` fixes which canonical columns the file has."""
    if columns is None and not rows:
        columns = [c.name for c in EXTRACTS[name] if c.required]
    if columns is None:
        columns = []
        for r in rows:
            columns += [c for c in r if c not in columns]
    frame = pd.DataFrame({c: pd.Series([r.get(c, "") for r in rows], dtype="str") for c in columns})
    for c in columns:
        frame[c] = clean_text(frame[c])
    frame[ROW] = pd.Series(range(first_row, first_row + len(rows)), dtype="int64")
    default_headers = EPISODE_HEADERS if name == "episodes" else INTERVIEW_HEADERS
    names = headers if headers is not None else default_headers
    return RawExtract(
        name=name,
        path=Path(file or ("episodes.csv" if name == "episodes" else "interviews.xlsx")),
        frame=frame,
        missing_columns=[c.name for c in EXTRACTS[name] if c.required and c.name not in columns],
        local_names={c: names[c] for c in columns if c in names},
    )


def table(name: str, rows: list[dict[str, str]], **kwargs: object) -> Table:
    """A typed Table of `rows` (see `extract`)."""
    return type_table(extract(name, rows, **kwargs))  # type: ignore[arg-type]
