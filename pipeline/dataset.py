"""The validated data one run works from: typed tables, the warnings found, and the as-at date.

`pipeline.quality.validate.validate` is the only producer. Every later stage reads
`Dataset.episodes` (the joined episode table of docs/architecture.md) and never the extracts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from pipeline.findings import Finding

# The joined episode table's columns, in order (docs/architecture.md, "The joined episode table").
EPISODE_TABLE_COLUMNS: tuple[str, ...] = (
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
)


@dataclass(frozen=True)
class Dataset:
    """The validated extracts.

    `episodes` is one row per episode, typed, with the interviews joined on and every
    data-quality treatment applied (see docs/data-quality.md). `interviews` is the typed
    interviews table, every row of the file, with `row` and a `matched` flag (False for a row
    whose episode is not in the episodes extract, which the figures leave out). `findings`
    holds the warnings, ordered by file, rule and row; a fatal finding never reaches a Dataset
    because validation raises instead. `episode_rows` and `interview_rows` count the data rows
    read from each file.
    """

    episodes: pd.DataFrame
    interviews: pd.DataFrame
    findings: list[Finding]
    as_at: date
    episode_rows: int
    interview_rows: int
    # The canonical columns this run holds (either extract); a measure that needs one that is
    # not held is not recorded (pipeline.metrics.held). None: every column is held.
    held: frozenset[str] | None = None
    # How the RHI record was given: "interviews" (its own extract), "flags" (offered and
    # accepted flags on the episode rows) or "none" (an episode-only run).
    rhi_source: str = "interviews"

    @property
    def warnings(self) -> int:
        """How many warnings validation found."""
        return len(self.findings)
