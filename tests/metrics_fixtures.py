"""Build small joined episode tables (docs/architecture.md) by hand for the metrics tests."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.dataset import EPISODE_TABLE_COLUMNS

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
COLUMNS = list(EPISODE_TABLE_COLUMNS)


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


def random_table(n: int, seed: int = 0, children: int | None = None) -> pd.DataFrame:
    """A large random but valid joined episode table, built without row loops (for timing).

    Episodes start across 2025-26 Q3 to 2026-27 Q2; about 5% are ongoing (no RHI row);
    completed rows have a completed_at, mode and role.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    n_children = children or max(1, n // 2)
    base = np.datetime64("2025-10-01T00:00", "us")
    minute = np.timedelta64(60 * 10**6, "us")
    start = base + rng.integers(0, 365 * 24 * 60, n) * minute
    end = start + rng.integers(0, 10 * 24 * 60, n) * minute
    ongoing = rng.random(n) < 0.05
    end = np.where(ongoing, np.datetime64("NaT", "us"), end)
    outcome = rng.choice(np.array(["completed", "declined", "pending", "not_offered"]), n)
    outcome = np.where(ongoing, "not_offered", outcome)
    has_row = ~ongoing & (rng.random(n) < 0.9)
    outcome = np.where(has_row, outcome, "not_offered")
    completed = outcome == "completed"
    completed_at = np.where(
        completed, end + rng.integers(0, 7 * 24 * 60, n) * minute, np.datetime64("NaT", "us")
    )
    notified = np.where(has_row, end + rng.integers(-60, 48 * 60, n) * minute, end)
    looked_after = rng.random(n) < 0.6
    area = np.where(rng.random(n) < 0.5, "in_area", "out_of_area")

    def text(values: np.ndarray, keep: np.ndarray) -> pd.Series:
        return pd.Series(np.where(keep, values, None), dtype="str")

    return pd.DataFrame(
        {
            "episode_id": pd.Series([f"E{i}" for i in range(n)], dtype="str"),
            "child_id": pd.Series(rng.integers(0, n_children, n).astype(str), dtype="str"),
            "start": pd.Series(start, dtype="datetime64[us]"),
            "end": pd.Series(end, dtype="datetime64[us]"),
            "episode_type": pd.Series(rng.choice(np.array(["missing", "away"]), n), dtype="str"),
            "looked_after": looked_after,
            "placement_area": text(area, looked_after),
            "date_of_birth": pd.Series(
                start - rng.integers(8 * 365, 18 * 365, n) * 24 * 60 * minute,
                dtype="datetime64[us]",
            ).dt.floor("D"),
            "sex": pd.Series(None, index=range(n), dtype="str"),
            "ethnicity": pd.Series(None, index=range(n), dtype="str"),
            "placement_type": pd.Series(None, index=range(n), dtype="str"),
            "reported_to_police": pd.Series(None, index=range(n), dtype="boolean"),
            "row": np.arange(2, n + 2, dtype="int64"),
            "has_rhi_row": has_row,
            "outcome": pd.Series(outcome, dtype="str"),
            "notified_at": pd.Series(
                np.where(has_row, notified, np.datetime64("NaT", "us")), dtype="datetime64[us]"
            ),
            "assigned_at": pd.Series(
                np.where(
                    has_row,
                    notified + rng.integers(0, 24 * 60, n) * minute,
                    np.datetime64("NaT", "us"),
                ),
                dtype="datetime64[us]",
            ),
            "offered_at": pd.Series(
                np.datetime64("NaT", "us"), index=range(n), dtype="datetime64[us]"
            ),
            "completed_at": pd.Series(completed_at, dtype="datetime64[us]"),
            "mode": text(
                rng.choice(np.array(["face_to_face", "telephone", "video"]), n), completed
            ),
            "interviewer_role": text(
                rng.choice(np.array(["independent_practitioner", "social_worker", "other"]), n),
                completed,
            ),
            "interviewer_id": text(rng.integers(0, 30, n).astype(str), completed),
            "declined_by": text(
                rng.choice(np.array(["child", "parent_carer"]), n), outcome == "declined"
            ),
            "decline_reason": pd.Series(None, index=range(n), dtype="str"),
            "not_offered_reason": text(
                rng.choice(np.array(["missing_again", "unable_to_contact"]), n),
                has_row & (outcome == "not_offered"),
            ),
            "exception": text(np.full(n, "agreed"), completed & (rng.random(n) < 0.05)),
            "risks": text(rng.choice(np.array(["cse", "cce;county_lines", "other"]), n), completed),
            "timeliness_excluded": np.zeros(n, dtype=bool),
            "duration_excluded": np.zeros(n, dtype=bool),
        }
    )
