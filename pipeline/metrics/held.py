"""Not held is not zero: which figures a run cannot give because their data is not held.

Each canonical column is held or not held in a run (`Dataset.held`: in the extract, or built
by the config, and not blank in every row). A metric needs certain columns, and a cohort
others; a figure that needs a column that is not held is *not recorded*: its numerator,
denominator and value are blank, its `not_recorded` flag is set, and every output shows it as
`[x]` (the GSS symbol for "not available") or leaves it out, never as 0 or "no cases".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import numpy as np
import pandas as pd

NOT_RECORDED = "not_recorded"

# The RHI record: with none (an episode-only run) no RHI measure is recorded.
_RHI = ("outcome",)
_TIMELY = ("outcome", "end", "completed_at")

# The columns each metric needs, beyond the episode's own ID, child and start (always held).
METRIC_NEEDS: dict[str, tuple[str, ...]] = {
    "episodes": (),
    "children": (),
    "children_repeat": (),
    "episodes_ongoing": ("end",),
    "rhi_due": ("end",),
    "rhi_offered": ("end", *_RHI),
    "rhi_declined": ("end", *_RHI),
    "rhi_completed": ("end", *_RHI),
    "rhi_pending": ("end", *_RHI),
    "rhi_not_offered": ("end", *_RHI),
    "episodes_per_child": (),
    "children_repeat_rate": (),
    "rhi_offered_rate": ("end", *_RHI),
    "rhi_decline_rate": ("end", *_RHI),
    "rhi_completed_rate": ("end", *_RHI),
    "rhi_timely_rate": _TIMELY,
    "rhi_target_met_rate": (*_TIMELY, "mode"),
    "rhi_face_to_face_rate": ("end", *_RHI, "mode"),
    "rhi_independent_rate": ("end", *_RHI, "interviewer_role"),
    "median_hours_return_to_notification": ("end", *_RHI, "notified_at"),
    "median_hours_notification_to_assignment": ("end", *_RHI, "notified_at", "assigned_at"),
    "median_hours_assignment_to_completion": ("end", *_RHI, "assigned_at", "completed_at"),
    "median_hours_return_to_completion": _TIMELY,
}

# The columns each cohort needs to be told apart.
COHORT_NEEDS: dict[str, tuple[str, ...]] = {
    "all": (),
    "looked_after": ("looked_after",),
    "looked_after_in_area": ("looked_after", "placement_area"),
    "looked_after_out_of_area": ("looked_after", "placement_area"),
    "not_looked_after": ("looked_after",),
}

# The monthly series (metrics.table.monthly_series) and the columns each needs.
MONTHLY_NEEDS: dict[str, tuple[str, ...]] = {
    "episodes": (),
    "rhi_due": ("end",),
    "rhi_offered": ("end", *_RHI),
    "rhi_offered_rate": ("end", *_RHI),
    "rhi_timely": _TIMELY,
    "T": _TIMELY,
    "rhi_timely_rate": _TIMELY,
    "rhi_target_met": (*_TIMELY, "mode"),
    "rhi_target_met_rate": (*_TIMELY, "mode"),
}


# The columns each breakdown (metrics.breakdowns) needs; one not listed needs none.
_RHI_DUE = ("end", *_RHI)
BREAKDOWN_NEEDS: dict[str, tuple[str, ...]] = {
    "episodes_by_type": ("episode_type",),
    "duration_bands": ("end",),
    "age_bands": ("date_of_birth",),
    "episodes_by_cohort": ("looked_after", "placement_area"),
    "children_by_cohort": ("looked_after", "placement_area"),
    "looked_after_area_not_recorded": ("looked_after", "placement_area"),
    "rhi_outcomes": _RHI_DUE,
    "not_offered_reasons": (*_RHI_DUE, "not_offered_reason"),
    "declined_by": (*_RHI_DUE, "declined_by"),
    "decline_reasons": (*_RHI_DUE, "decline_reason"),
    "rhi_mode": (*_RHI_DUE, "mode"),
    "interviewer_role": (*_RHI_DUE, "interviewer_role"),
    "timeliness_exceptions": (*_TIMELY, "exception"),
    "interviews_per_practitioner": (*_RHI_DUE, "interviewer_id"),
    "risks": (*_RHI_DUE, "risks"),
}


def missing_for(needs: Iterable[str], held: Collection[str] | None) -> list[str]:
    """The needed columns that are not held (none when `held` is None: everything held)."""
    if held is None:
        return []
    return [c for c in needs if c not in held]


def metric_recorded(metric: str, held: Collection[str] | None, cohort: str = "all") -> bool:
    """Whether this run can give the metric for the cohort."""
    needs = (*METRIC_NEEDS.get(metric, ()), *COHORT_NEEDS.get(cohort, ()))
    return not missing_for(needs, held)


def not_recorded_metrics(held: Collection[str] | None) -> frozenset[str]:
    """The metrics not recorded for any cohort in this run."""
    return frozenset(m for m in METRIC_NEEDS if not metric_recorded(m, held))


def mark_not_recorded(metrics: pd.DataFrame, held: Collection[str] | None) -> pd.DataFrame:
    """The metrics table with a boolean `not_recorded` column; not-recorded rows have a blank
    numerator, denominator and value. Returns a new table; with every column held, the
    figures are those given."""
    out = metrics.copy()
    pairs = pd.MultiIndex.from_arrays([out["metric"], out["cohort"]]).unique()
    recorded = {(m, c): metric_recorded(m, held, c) for m, c in pairs}
    flag = np.array(
        [not recorded[(m, c)] for m, c in zip(out["metric"], out["cohort"], strict=True)],
        dtype=bool,
    )
    out[NOT_RECORDED] = flag
    if flag.any():
        for column in ("numerator", "denominator", "value"):
            out[column] = out[column].astype("float64").mask(flag)
    return out


def mark_monthly(monthly: pd.DataFrame, held: Collection[str] | None) -> pd.DataFrame:
    """The monthly series with every series whose data is not held made blank (float)."""
    out = monthly.copy()
    for column, needs in MONTHLY_NEEDS.items():
        if column in out.columns and missing_for(needs, held):
            out[column] = np.nan
    return out


def held_breakdowns(parts: Iterable[object], held: Collection[str] | None) -> list[object]:
    """The breakdowns this run can give: one whose column is not held is left out whole (a
    table of "not recorded" rows would state a finding the data cannot make)."""
    return [
        b
        for b in parts
        if not missing_for(BREAKDOWN_NEEDS.get(str(getattr(b, "id", "")), ()), held)
    ]


# The capacity replay (analysis.capacity) works on returns and compares with the interviews
# held: it needs the return, the RHI record's times, mode and role, and where children live.
CAPACITY_NEEDS: tuple[str, ...] = (
    "end",
    *_RHI,
    "completed_at",
    "mode",
    "interviewer_role",
    "looked_after",
    "placement_area",
)


def capacity_recorded(held: Collection[str] | None) -> bool:
    """Whether the capacity replay can be run and compared in this run."""
    return not missing_for(CAPACITY_NEEDS, held)


def monthly_recorded(series: str, held: Collection[str] | None) -> bool:
    """Whether the monthly series (a `monthly_series` column) is recorded in this run."""
    return not missing_for(MONTHLY_NEEDS.get(series, ()), held)


__all__ = [
    "BREAKDOWN_NEEDS",
    "CAPACITY_NEEDS",
    "COHORT_NEEDS",
    "METRIC_NEEDS",
    "MONTHLY_NEEDS",
    "NOT_RECORDED",
    "capacity_recorded",
    "held_breakdowns",
    "mark_monthly",
    "mark_not_recorded",
    "metric_recorded",
    "monthly_recorded",
    "not_recorded_metrics",
]
