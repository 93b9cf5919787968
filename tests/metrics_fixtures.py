"""Build small joined episode tables (docs/architecture.md) by hand for the metrics tests."""

from __future__ import annotations

from typing import Any

import pandas as pd

TEXT = [
    "episode_id",
    "child_id",
    "episode_type",
    "placement_area",
    "sex",
    "ethnicity",
    "placement_type",
    "outcome",
    "mode",
    "interviewer_role",
    "interviewer_id",
    "declined_by",
    "decline_reason",
    "not_offered_reason",
    "exception",
    "risks",
]
STAMPS = [
    "start",
    "end",
    "date_of_birth",
    "notified_at",
    "assigned_at",
    "offered_at",
    "completed_at",
]
COLUMNS = [
    "episode_id",
    "child_id",
    "start",
    "end",
    "episode_type",
    "looked_after",
    "placement_area",
    "date_of_birth",
    "sex",
    "ethnicity",
    "placement_type",
    "reported_to_police",
    "row",
    "has_rhi_row",
    "outcome",
    "notified_at",
    "assigned_at",
    "offered_at",
    "completed_at",
    "mode",
    "interviewer_role",
    "interviewer_id",
    "declined_by",
    "decline_reason",
    "not_offered_reason",
    "exception",
    "risks",
    "timeliness_excluded",
    "duration_excluded",
]


def episode(**fields: Any) -> dict[str, Any]:
    """One joined episode row: a not-looked-after `missing` episode with no RHI row unless told.

    Giving an `outcome` implies an RHI row; a `completed` outcome defaults to face to face by
    an independent practitioner.
    """
    row: dict[str, Any] = {
        "episode_type": "missing",
        "looked_after": False,
        "has_rhi_row": "outcome" in fields,
        "outcome": "not_offered",
        "timeliness_excluded": False,
        "duration_excluded": False,
    }
    if fields.get("looked_after") and "placement_area" not in fields:
        row["placement_area"] = "in_area"
    if fields.get("outcome") == "completed":
        row["mode"] = "face_to_face"
        row["interviewer_role"] = "independent_practitioner"
    row.update(fields)
    return row


def table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A typed joined episode table from `episode()` rows (ids and spreadsheet rows filled in)."""
    data: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    for i, r in enumerate(rows):
        full = {"episode_id": f"E{i + 1}", "child_id": f"C{i + 1}", "row": i + 2, **r}
        for c in COLUMNS:
            data[c].append(full.get(c))
    frame = pd.DataFrame(index=range(len(rows)))
    for c in COLUMNS:
        values = data[c]
        if c in STAMPS:
            frame[c] = pd.to_datetime(
                pd.Series(values, dtype="object"), format="%Y-%m-%d %H:%M"
            ).astype("datetime64[us]")
        elif c in TEXT:
            frame[c] = pd.Series(values, dtype="str")
        elif c == "reported_to_police":
            frame[c] = pd.Series(values, dtype="boolean")
        elif c == "row":
            frame[c] = pd.Series(values, dtype="int64")
        else:
            frame[c] = pd.Series(values, dtype="bool")
    return frame
