"""The breakdowns of metrics.md for the reported quarter, as tidy tables for charts and the
workbook.

Each `Breakdown` has a `frame` with columns `category` (a code), `label` (plain English), then
one integer count column per cohort shown: `all`, plus `looked_after_in_area` and
`looked_after_out_of_area` where the report compares children placed in and out of county.
Free-text columns (decline_reason, not_offered_reason, exception) appear only as configured
codes: anything else is grouped as `other`. Interviewer IDs never appear: practitioners are
numbered by workload.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline import schema
from pipeline.clock import elapsed
from pipeline.metrics.registry import COHORTS
from pipeline.metrics.table import cohort_masks
from pipeline.periods import Quarter, month_label

# Practitioners with fewer completed interviews than this are grouped, so that a small
# workload cannot be traced to one person.
MIN_PRACTITIONER_RHIS = 5

OTHER = "other"
NOT_RECORDED = "not_recorded"
NO_RECORD = "no_rhi_record"
OTHER_PRACTITIONERS = "other_practitioners"

# A label for every canonical code (schema.py) and every category this module makes.
DEFAULT_LABELS: dict[str, str] = {
    # episode types
    "missing": "Missing",
    "away": "Away from placement without authorisation",
    # placement areas
    "in_area": "Placed in county",
    "out_of_area": "Placed out of county",
    # outcomes
    "completed": "Completed",
    "declined": "Declined",
    "pending": "Pending",
    "not_offered": "Not offered",
    # modes
    "face_to_face": "Face to face",
    "telephone": "Telephone",
    "video": "Video",
    # declined by
    "child": "Child or young person",
    "parent_carer": "Parent or carer",
    # interviewer roles
    "independent_practitioner": "Independent practitioner",
    "host_authority_practitioner": "Host authority practitioner",
    "social_worker": "Social worker",
    "carer_or_staff": "Carer or staff",
    # not-offered reasons
    "missing_again": "Missing again",
    "unable_to_contact": "Unable to make contact",
    # risks
    "cse": "Child sexual exploitation",
    "cce": "Child criminal exploitation",
    "county_lines": "County lines",
    "modern_slavery": "Modern slavery",
    "trafficking": "Trafficking",
    "radicalisation": "Radicalisation",
    "substance_misuse": "Substance misuse",
    # categories made here
    OTHER: "Other",
    NOT_RECORDED: "Not recorded",
    NO_RECORD: "Nothing recorded about an interview",
    OTHER_PRACTITIONERS: "Other interviewers",
    "under_24_hours": "Under 24 hours",
    "1_to_7_days": "1 to 7 days",
    "over_7_days": "Over 7 days",
    "age_under_10": "Under 10",
    "age_10_to_12": "10 to 12",
    "age_13_to_15": "13 to 15",
    "age_16_to_17": "16 to 17",
    "age_18_and_over": "18 and over",
    "1_episode": "1 episode",
    "2_episodes": "2 episodes",
    "3_to_4_episodes": "3 or 4 episodes",
    "5_or_more_episodes": "5 or more episodes",
    "looked_after_area_not_recorded": "Looked after, placement area not recorded",
    **COHORTS,
}
# Cohort labels are shared with the metrics; `all` reads better as "All children".

ALL = ["all"]
IN_OUT = ["all", "looked_after_in_area", "looked_after_out_of_area"]
# The funnel's tables show every group, as the cohort table beside them does.
COHORT_COLUMNS = [*IN_OUT, "not_looked_after"]

DURATION_BANDS = ("under_24_hours", "1_to_7_days", "over_7_days")
AGE_BANDS = ("age_under_10", "age_10_to_12", "age_13_to_15", "age_16_to_17")
EPISODE_COUNT_BANDS = ("1_episode", "2_episodes", "3_to_4_episodes", "5_or_more_episodes")


@dataclass(frozen=True)
class Breakdown:
    """One tidy breakdown: categories of `dimension`, counted per cohort column.

    `additive` is True when the categories are mutually exclusive, so the rows add up to the
    total of the population described in `note`.
    """

    id: str
    title: str
    dimension: str
    additive: bool
    frame: pd.DataFrame
    note: str = ""


def _clean(values: pd.Series) -> pd.Series:
    """Text stripped of surrounding spaces, with blanks as missing."""
    text = values.astype("str").str.strip()
    return text.where(text != "", None)


def _codes(values: pd.Series, known: Sequence[str]) -> pd.Series:
    """Each value as a category code: itself if known, `other` if not, `not_recorded` if blank."""
    text = _clean(values)
    coded = text.where(text.isin(list(known)), OTHER)
    return coded.where(text.notna(), NOT_RECORDED).astype("str")


def _frame(
    codes: pd.Series,
    masks: Mapping[str, np.ndarray],
    cohorts: Sequence[str],
    fixed: Sequence[str],
    labels: Mapping[str, str],
    extras: Sequence[str] = (),
) -> pd.DataFrame:
    """Count `codes` per cohort. `fixed` categories always get a row (in that order); any other
    code found gets a row after them (known extras in `extras` order, then the rest sorted)."""
    counts = {
        cohort: codes[masks[cohort]].value_counts() if len(codes) else pd.Series(dtype="int64")
        for cohort in cohorts
    }
    seen = set().union(*(set(c.index) for c in counts.values())) if counts else set()
    tail_order = [c for c in extras if c in seen and c not in fixed]
    rest = sorted(seen - set(fixed) - set(tail_order) - {OTHER, NOT_RECORDED, NO_RECORD})
    trailing = [c for c in (OTHER, NOT_RECORDED, NO_RECORD) if c in seen and c not in fixed]
    categories = [*fixed, *rest, *tail_order, *trailing]
    frame = pd.DataFrame(
        {
            "category": pd.array(categories, dtype="str"),
            "label": pd.array([labels.get(c, c) for c in categories], dtype="str"),
        }
    )
    for cohort in cohorts:
        frame[cohort] = (
            counts[cohort].reindex(categories, fill_value=0).to_numpy(dtype="int64")
            if categories
            else np.array([], dtype="int64")
        )
    return frame


def _subset(masks: Mapping[str, np.ndarray], keep: np.ndarray) -> dict[str, np.ndarray]:
    """Each cohort mask narrowed to the episodes in `keep`."""
    return {cohort: mask & keep for cohort, mask in masks.items()}


def _age_bands(start: pd.Series, dob: pd.Series) -> pd.Series:
    """Age in whole years at the start of each episode, banded; `not_recorded` with no valid
    date of birth."""
    s = pd.DatetimeIndex(start)
    b = pd.DatetimeIndex(dob)
    valid = ~np.asarray(b.isna()) & ~np.asarray(s.isna())
    sy = s.year.to_numpy(dtype="float64", na_value=0)
    by = b.year.to_numpy(dtype="float64", na_value=0)
    s_md = s.month.to_numpy(dtype="float64", na_value=0) * 100 + s.day.to_numpy(
        dtype="float64", na_value=0
    )
    b_md = b.month.to_numpy(dtype="float64", na_value=0) * 100 + b.day.to_numpy(
        dtype="float64", na_value=0
    )
    # Not yet had this year's birthday at the start: one year younger.
    age = sy - by - (s_md < b_md)
    valid &= age >= 0
    bands = np.select(
        [age < 10, age < 13, age < 16, age < 18],
        list(AGE_BANDS),
        default="age_18_and_over",
    )
    return pd.Series(np.where(valid, bands, NOT_RECORDED), index=start.index, dtype="str")


def _duration_bands(start: pd.Series, end: pd.Series) -> pd.Series:
    """Under 24 hours; 1 to 7 days (24 hours up to exactly 7 days); over 7 days."""
    # Real elapsed time in Europe/London: a night the clocks change has 23 or 25 hours.
    delta = elapsed(start.to_numpy(dtype="datetime64[us]"), end.to_numpy(dtype="datetime64[us]"))
    day = np.timedelta64(24 * 3600 * 10**6, "us")
    safe = np.where(np.isnat(delta), np.timedelta64(0, "us"), delta)
    bands = np.select([safe < day, safe <= 7 * day], list(DURATION_BANDS[:2]), DURATION_BANDS[2])
    return pd.Series(bands, index=start.index, dtype="str")


def _practitioners(ids: pd.Series, mask: np.ndarray) -> tuple[pd.DataFrame, str]:
    """Completed interviews per practitioner, without their IDs.

    Practitioners with at least MIN_PRACTITIONER_RHIS interviews are numbered by descending
    count (ties by ID, so the numbering is deterministic); the rest are grouped.
    """
    text = _clean(ids)[mask]
    per_id = text.dropna().value_counts()
    table = pd.DataFrame({"id": per_id.index.astype("str"), "n": per_id.to_numpy(dtype="int64")})
    table = table.sort_values(["n", "id"], ascending=[False, True], kind="stable")
    named = table[table["n"] >= MIN_PRACTITIONER_RHIS]
    grouped_n = int(table.loc[table["n"] < MIN_PRACTITIONER_RHIS, "n"].sum())
    grouped_people = int((table["n"] < MIN_PRACTITIONER_RHIS).sum())
    not_recorded = int(text.isna().sum())
    categories = [f"practitioner_{i}" for i in range(1, len(named) + 1)]
    labels = [f"Practitioner {i}" for i in range(1, len(named) + 1)]
    counts = named["n"].tolist()
    if grouped_n:
        categories.append(OTHER_PRACTITIONERS)
        labels.append(DEFAULT_LABELS[OTHER_PRACTITIONERS])
        counts.append(grouped_n)
    if not_recorded:
        categories.append(NOT_RECORDED)
        labels.append(DEFAULT_LABELS[NOT_RECORDED])
        counts.append(not_recorded)
    frame = pd.DataFrame(
        {
            "category": pd.array(categories, dtype="str"),
            "label": pd.array(labels, dtype="str"),
            "all": np.array(counts, dtype="int64"),
        }
    )
    if grouped_people == 0:
        grouped = ""
    elif grouped_people == 1:
        grouped = (
            f" 1 practitioner with fewer than {MIN_PRACTITIONER_RHIS} completed interviews "
            f"is shown as '{DEFAULT_LABELS[OTHER_PRACTITIONERS]}'."
        )
    else:
        grouped = (
            f" {grouped_people} practitioners with fewer than {MIN_PRACTITIONER_RHIS} completed "
            f"interviews are grouped together as '{DEFAULT_LABELS[OTHER_PRACTITIONERS]}'."
        )
    note = f"Practitioners are numbered by the number of interviews they completed.{grouped}"
    return frame, note


def breakdowns(
    episodes: pd.DataFrame,
    quarter: Quarter,
    *,
    labels: Mapping[str, str],
    repeat_threshold: int,
) -> list[Breakdown]:
    """Every breakdown of metrics.md for the episodes that started in `quarter`."""
    names = {**DEFAULT_LABELS, **labels}
    configured = list(labels)
    start = episodes["start"]
    lo, hi = pd.Timestamp(quarter.start), pd.Timestamp(quarter.end)
    in_quarter = ((start >= lo) & (start < hi)).fillna(False).to_numpy(dtype=bool)
    e = episodes.loc[in_quarter].reset_index(drop=True)
    masks = cohort_masks(e)

    due = e["end"].notna().to_numpy(dtype=bool)
    outcome = e["outcome"].fillna("not_offered").astype("str").str.strip()
    has_row = e["has_rhi_row"].fillna(False).to_numpy(dtype=bool)
    completed = due & (outcome == "completed").to_numpy(dtype=bool)
    declined = due & (outcome == "declined").to_numpy(dtype=bool)
    offered = due & outcome.isin(["completed", "declined", "pending"]).to_numpy(dtype=bool)
    not_offered = due & ~offered
    returned = due & ~e["duration_excluded"].fillna(False).to_numpy(dtype=bool)

    out: list[Breakdown] = []

    def add(
        id_: str,
        title: str,
        dimension: str,
        codes: pd.Series,
        keep: np.ndarray,
        cohorts: Sequence[str],
        fixed: Sequence[str],
        *,
        additive: bool = True,
        extras: Sequence[str] = (),
        note: str = "",
        other_note: str = "",
    ) -> None:
        frame = _frame(codes, _subset(masks, keep), cohorts, fixed, names, extras)
        # What 'Other' holds is said only when there is an 'Other' row to explain.
        others = frame.loc[frame["category"] == OTHER, "all"] if "all" in frame else []
        if other_note and len(others) and int(others.sum()) > 0:
            note = f"{note} {other_note}".strip()
        out.append(Breakdown(id_, title, dimension, additive, frame, note))

    everything = np.ones(len(e), dtype=bool)

    months = pd.Series(start.loc[in_quarter].dt.strftime("%Y-%m").to_numpy(), dtype="str")
    month_names = {**names, **{m: month_label(m) for m in quarter.months}}
    out.append(
        Breakdown(
            "episodes_by_month",
            "Episodes by month",
            "month",
            True,
            _frame(months, masks, ALL, quarter.months, month_names),
            "Episodes by the month they started.",
        )
    )
    add(
        "episodes_by_type",
        "Episodes by type",
        "episode_type",
        _codes(e["episode_type"], schema.EPISODE_TYPES),
        everything,
        ALL,
        schema.EPISODE_TYPES,
    )
    excluded = int((due & ~returned).sum())
    add(
        "duration_bands",
        "How long children were missing or away",
        "duration_band",
        _duration_bands(e["start"], e["end"]),
        returned,
        ALL,
        DURATION_BANDS,
        note="Episodes that have ended, by time from start to return."
        + (f" {excluded} episode(s) with inconsistent times are left out." if excluded else ""),
    )
    add(
        "age_bands",
        "Episodes by age of the child",
        "age_band",
        _age_bands(e["start"], e["date_of_birth"]),
        everything,
        ALL,
        AGE_BANDS,
        extras=["age_18_and_over"],
        note="Age in whole years when the episode started.",
    )
    add(
        "episodes_by_cohort",
        "Episodes by whether the child was looked after and where they were placed",
        "cohort",
        _cohort_codes(e),
        everything,
        ALL,
        ["looked_after_in_area", "looked_after_out_of_area", "not_looked_after"],
        extras=["looked_after_area_not_recorded"],
    )
    out.append(_children_by_cohort(e, masks, names))
    out.append(_repeat_children(e, names, repeat_threshold))
    add(
        "rhi_outcomes",
        "Return home interview outcomes",
        "outcome",
        outcome,
        due,
        COHORT_COLUMNS,
        schema.OUTCOMES,
        note="Episodes that have ended (each is due an interview), by what happened.",
    )
    # Not-offered episodes with no interview record have no reason to report.
    reasons = _codes(e["not_offered_reason"], [*schema.NOT_OFFERED_REASONS, *configured])
    reasons = reasons.where(pd.Series(has_row), NO_RECORD)
    add(
        "not_offered_reasons",
        "Why return home interviews were not offered",
        "not_offered_reason",
        reasons,
        not_offered,
        COHORT_COLUMNS,
        schema.NOT_OFFERED_REASONS,
    )
    add(
        "declined_by",
        "Who declined the return home interview",
        "declined_by",
        _codes(e["declined_by"], schema.DECLINED_BY),
        declined,
        ALL,
        schema.DECLINED_BY,
    )
    add(
        "decline_reasons",
        "Why return home interviews were declined",
        "decline_reason",
        _codes(e["decline_reason"], configured),
        declined,
        ALL,
        [],
        note=(
            "The reason is recorded apart from who declined, so a reason such as a parent or "
            "carer refusing need not match the declines by a parent or carer."
        ),
        other_note="Reasons not on the council's list of decline reasons are counted as 'Other'.",
    )
    add(
        "rhi_mode",
        "Completed return home interviews by how they were held",
        "mode",
        _codes(e["mode"], schema.MODES),
        completed,
        IN_OUT,
        schema.MODES,
    )
    add(
        "interviewer_role",
        "Completed return home interviews by who held them",
        "interviewer_role",
        _codes(e["interviewer_role"], schema.INTERVIEWER_ROLES),
        completed,
        IN_OUT,
        schema.INTERVIEWER_ROLES,
    )
    out.append(_risks(e, completed, masks, names, configured))
    add(
        "timeliness_exceptions",
        "Completed return home interviews with an agreed exception to the timescale",
        "exception",
        _codes(e["exception"], configured),
        completed & _clean(e["exception"]).notna().to_numpy(dtype=bool),
        ALL,
        [],
        other_note=(
            "Exceptions not on the council's list of agreed exceptions are counted as 'Other'."
        ),
    )
    ids = e["interviewer_id"] if "interviewer_id" in e else pd.Series(pd.NA, index=e.index)
    frame, note = _practitioners(ids, completed)
    out.append(
        Breakdown(
            "interviews_per_practitioner",
            "Completed return home interviews per practitioner",
            "interviewer",
            True,
            frame,
            note,
        )
    )
    return out


def _cohort_codes(e: pd.DataFrame) -> pd.Series:
    """Each episode's exclusive cohort: in county, out of county or not looked after."""
    looked_after = e["looked_after"].fillna(False).to_numpy(dtype=bool)
    area = _clean(e["placement_area"]).to_numpy(dtype=object)
    codes = np.select(
        [~looked_after, area == "in_area", area == "out_of_area"],
        ["not_looked_after", "looked_after_in_area", "looked_after_out_of_area"],
        "looked_after_area_not_recorded",
    )
    return pd.Series(codes, index=e.index, dtype="str")


def _children_by_cohort(
    e: pd.DataFrame, masks: Mapping[str, np.ndarray], labels: Mapping[str, str]
) -> Breakdown:
    """Distinct children per cohort (a child can be in more than one)."""
    child = e["child_id"]
    counts = [int(child[masks[c]].nunique()) for c in COHORTS]  # five cohorts, not rows
    frame = pd.DataFrame(
        {
            "category": pd.array(list(COHORTS), dtype="str"),
            "label": pd.array([labels.get(c, c) for c in COHORTS], dtype="str"),
            "all": np.array(counts, dtype="int64"),
        }
    )
    return Breakdown(
        "children_by_cohort",
        "Children by whether they were looked after and where they were placed",
        "cohort",
        False,
        frame,
        "A child can be counted in more than one group, for example if they became looked "
        "after during the quarter.",
    )


def _repeat_children(
    e: pd.DataFrame, labels: Mapping[str, str], repeat_threshold: int
) -> Breakdown:
    """Children by how many episodes they had in the quarter (1, 2, 3-4, 5+)."""
    per_child = e.groupby("child_id", sort=False).size().to_numpy(dtype="int64")
    bands = np.select(
        [per_child == 1, per_child == 2, per_child <= 4],
        list(EPISODE_COUNT_BANDS[:3]),
        EPISODE_COUNT_BANDS[3],
    )
    counts = pd.Series(bands, dtype="str").value_counts()
    frame = pd.DataFrame(
        {
            "category": pd.array(list(EPISODE_COUNT_BANDS), dtype="str"),
            "label": pd.array([labels.get(c, c) for c in EPISODE_COUNT_BANDS], dtype="str"),
            "all": counts.reindex(list(EPISODE_COUNT_BANDS), fill_value=0).to_numpy(dtype="int64"),
        }
    )
    repeat = int((per_child >= repeat_threshold).sum())
    return Breakdown(
        "repeat_children",
        "Children by number of episodes in the quarter",
        "episode_count_band",
        True,
        frame,
        f"{repeat} children had {repeat_threshold} or more episodes (the repeat threshold).",
    )


def _risks(
    e: pd.DataFrame,
    completed: np.ndarray,
    masks: Mapping[str, np.ndarray],
    labels: Mapping[str, str],
    configured: Sequence[str],
) -> Breakdown:
    """Completed interviews identifying each risk (an interview can identify several)."""
    text = _clean(e["risks"])
    keep = completed & text.notna().to_numpy(dtype=bool)
    items = text[keep].str.split(";").explode()
    items = items.str.strip()
    items = items[items.notna() & (items != "")]
    known = [*schema.RISKS, *configured]
    codes = items.where(items.isin(known), OTHER).astype("str")
    # An interview listing the same risk twice identifies it once.
    pairs = pd.DataFrame({"episode": codes.index.to_numpy(), "code": codes.to_numpy()})
    pairs = pairs.drop_duplicates()
    episode_pos = pairs["episode"].to_numpy(dtype="int64")
    pair_codes = pd.Series(pairs["code"].to_numpy(), dtype="str")
    pair_masks = {c: masks[c][episode_pos] for c in IN_OUT}
    frame = _frame(pair_codes, pair_masks, IN_OUT, schema.RISKS, labels)
    return Breakdown(
        "risks",
        "Risks identified in completed return home interviews",
        "risk",
        False,
        frame,
        "An interview can identify more than one risk, so the rows do not add up to the number "
        "of interviews.",
    )
