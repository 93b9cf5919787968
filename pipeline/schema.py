"""The canonical extracts: every column the pipeline understands, its type and allowed values.

This is the single description of inputs.md in code. Loading, validation, the documentation
and the tests all read it, so a new column is added here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnKind = Literal["text", "datetime", "date", "bool", "category"]


@dataclass(frozen=True)
class Column:
    """One canonical column of an extract."""

    name: str
    kind: ColumnKind
    required: bool = False
    allowed: tuple[str, ...] = ()
    default: str | None = None
    meaning: str = ""


EPISODE_TYPES = ("missing", "away")
PLACEMENT_AREAS = ("in_area", "out_of_area")
OUTCOMES = ("completed", "declined", "pending", "not_offered")
MODES = ("face_to_face", "telephone", "video")
DECLINED_BY = ("child", "parent_carer")
INTERVIEWER_ROLES = (
    "independent_practitioner",
    "host_authority_practitioner",
    "social_worker",
    "carer_or_staff",
    "other",
)
NOT_OFFERED_REASONS = ("missing_again", "unable_to_contact", "out_of_area", "other")
RISKS = (
    "cse",
    "cce",
    "county_lines",
    "modern_slavery",
    "trafficking",
    "radicalisation",
    "substance_misuse",
    "other",
)

EPISODE_COLUMNS: tuple[Column, ...] = (
    Column("episode_id", "text", required=True, meaning="unique per row"),
    Column("child_id", "text", required=True, meaning="the child's case ID; never published"),
    Column("start", "datetime", required=True, meaning="when the child went missing"),
    Column("end", "datetime", meaning="when the child was found or returned; blank = ongoing"),
    Column(
        "episode_type",
        "category",
        allowed=EPISODE_TYPES,
        default="missing",
        meaning="missing, or away from placement without authorisation",
    ),
    Column(
        "looked_after",
        "bool",
        required=True,
        meaning="looked after by this council when the episode started",
    ),
    Column(
        "placement_area",
        "category",
        allowed=PLACEMENT_AREAS,
        meaning="where a looked-after child was placed; required when looked_after is yes",
    ),
    Column("date_of_birth", "date", meaning="for age at start; never published"),
    Column("sex", "text"),
    Column("ethnicity", "text"),
    Column("placement_type", "text"),
    Column("reported_to_police", "bool"),
)

INTERVIEW_COLUMNS: tuple[Column, ...] = (
    Column("episode_id", "text", required=True, meaning="the episode the RHI follows"),
    Column("outcome", "category", required=True, allowed=OUTCOMES),
    Column("notified_at", "datetime", meaning="police notification of the return received"),
    Column("assigned_at", "datetime", meaning="RHI assigned to a missing practitioner"),
    Column("offered_at", "datetime", meaning="offer made to the child or family"),
    Column("completed_at", "datetime", meaning="interview held; required when completed"),
    Column("mode", "category", allowed=MODES, meaning="required when completed"),
    Column(
        "interviewer_role",
        "category",
        allowed=INTERVIEWER_ROLES,
        meaning="required when completed",
    ),
    Column("interviewer_id", "text", meaning="pseudonymous worker ID; never published"),
    Column("declined_by", "category", allowed=DECLINED_BY),
    Column("decline_reason", "text"),
    Column("not_offered_reason", "text"),
    Column("exception", "text", meaning="non-blank: agreed exception to the 72-hour timescale"),
    Column("risks", "text", meaning="';'-separated risk codes"),
)

EXTRACTS: dict[str, tuple[Column, ...]] = {
    "episodes": EPISODE_COLUMNS,
    "interviews": INTERVIEW_COLUMNS,
}

# The spreadsheet row a person sees for the first data row (row 1 is the header).
FIRST_DATA_ROW = 2

# Column holding each record's spreadsheet row number, carried through every stage.
ROW = "row"


def column(extract: str, name: str) -> Column:
    """Return the canonical column called `name` of `extract`."""
    for col in EXTRACTS[extract]:
        if col.name == name:
            return col
    raise KeyError(f"{extract} has no canonical column {name!r}")
