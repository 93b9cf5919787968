"""Worklists for the director's quarterly report: the children and records to act on.

Each worklist is a table of plain values (text, whole numbers, hours, timestamps) with the
case IDs a service manager needs to find the child's record. They are child-level and for
the internal audience only: the orchestrator gives them only to an internal report's
results, and no public output is written from them (tested).

"Now" for a worklist is the end of the as-at day (midnight after it): a child returned at
09:00 on the as-at day has been back 15 hours. The reported quarter is the episodes that
started in it, as for every metric; the still-missing and overdue lists cover every open
case in the extract, whatever quarter it started in, because each needs action now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd

from pipeline.config import Config
from pipeline.findings import Finding
from pipeline.metrics.breakdowns import DEFAULT_LABELS, _age_bands, _cohort_codes
from pipeline.metrics.definitions import EpisodeFlags
from pipeline.periods import Quarter

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Each episode's group in few words, for narrow worklist columns.
GROUPS = {
    "looked_after_in_area": "In county",
    "looked_after_out_of_area": "Out of county",
    "not_looked_after": "Not looked after",
    "looked_after_area_not_recorded": "Looked after, area not recorded",
}


@dataclass(frozen=True)
class Worklist:
    """One worklist: an id, a title, a note on what it holds, and its rows.

    `frame` has one column per header, in order; values are str, int, float (hours) or
    pandas Timestamps, and NA where nothing is recorded. `child_level` marks a list whose
    rows name a child (case IDs): internal only.
    """

    id: str
    title: str
    note: str
    frame: pd.DataFrame
    child_level: bool = True


@dataclass(frozen=True)
class Worklists:
    """Every worklist of the reported quarter, in the order the director's report shows them."""

    items: list[Worklist] = field(default_factory=list)

    def get(self, key: str) -> Worklist | None:
        """The worklist called `key`, or None."""
        return next((w for w in self.items if w.id == key), None)

    def child_ids(self) -> set[str]:
        """Every child ID any worklist names (for the tests that no public output holds one)."""
        out: set[str] = set()
        for w in self.items:
            if "Child" in w.frame.columns:
                out.update(str(x) for x in w.frame["Child"].dropna())
        return out


def _labels(config: Config) -> dict[str, str]:
    return {**DEFAULT_LABELS, **dict(config.labels)}


def _label(values: pd.Series, labels: dict[str, str], blank: str = "Not recorded") -> pd.Series:
    """Codes as words, with `blank` where nothing is recorded."""
    return pd.Series(
        [blank if pd.isna(v) or str(v) == "" else labels.get(str(v), str(v)) for v in values],
        index=values.index,
        dtype="str",
    )


def _hours(later: pd.Series | pd.Timestamp, earlier: pd.Series) -> pd.Series:
    """Hours from `earlier` to `later`, as floats (NaN where either is missing)."""
    return (later - earlier) / pd.Timedelta(hours=1)


def _now(as_at: date) -> pd.Timestamp:
    """The end of the as-at day: midnight after it."""
    return pd.Timestamp(datetime.combine(as_at + timedelta(days=1), time()))


def _in_quarter(episodes: pd.DataFrame, quarter: Quarter) -> pd.Series:
    start = episodes["start"]
    return (start >= pd.Timestamp(quarter.start)) & (start < pd.Timestamp(quarter.end))


def still_missing(episodes: pd.DataFrame, as_at: date, labels: dict[str, str]) -> Worklist:
    """Every episode with no return recorded, longest missing first."""
    e = episodes[episodes["end"].isna()].sort_values(["start", "episode_id"], kind="stable")
    frame = pd.DataFrame(
        {
            "Child": e["child_id"].astype("str"),
            "Episode": e["episode_id"].astype("str"),
            "Went missing": e["start"],
            "Hours missing": _hours(_now(as_at), e["start"]),
            "Group": _label(_cohort_codes(e), GROUPS),
            "Reported to police": _yes_no(e["reported_to_police"]),
        }
    )
    return Worklist(
        "still_missing",
        "Children still missing",
        "Episodes with no return recorded at the end of the as-at date, longest first. Close "
        "any that have ended in the case record.",
        frame.reset_index(drop=True),
    )


def no_offer(episodes: pd.DataFrame, quarter: Quarter, labels: dict[str, str]) -> Worklist:
    """Returns in the quarter with no interview offered, or no interview record at all."""
    mask = _in_quarter(episodes, quarter) & episodes["end"].notna()
    mask &= episodes["outcome"].fillna("not_offered") == "not_offered"
    e = episodes[mask].sort_values(["end", "episode_id"], kind="stable")
    record = e["has_rhi_row"].fillna(False).astype(bool)
    reason = _label(e["not_offered_reason"], labels, "No reason recorded")
    frame = pd.DataFrame(
        {
            "Child": e["child_id"].astype("str"),
            "Episode": e["episode_id"].astype("str"),
            "Returned": e["end"],
            "Interview record": np.where(record, "Yes", "No"),
            "Reason": reason.where(record, "No interview record"),
            "Group": _label(_cohort_codes(e), GROUPS),
        }
    )
    return Worklist(
        "no_offer",
        "Returns with no interview offered or no record",
        "Children who returned in the quarter and were not offered a return home interview, "
        "or have no interview record at all.",
        frame.reset_index(drop=True),
    )


def pending_overdue(
    episodes: pd.DataFrame, as_at: date, hours: float, labels: dict[str, str]
) -> Worklist:
    """Interviews still pending more than `hours` after the return, longest waiting first."""
    e = episodes[(episodes["outcome"] == "pending") & episodes["end"].notna()]
    waited = _hours(_now(as_at), e["end"])
    e = e.assign(_waited=waited)[waited > hours].sort_values(
        ["_waited", "episode_id"], ascending=[False, True], kind="stable"
    )
    frame = pd.DataFrame(
        {
            "Child": e["child_id"].astype("str"),
            "Episode": e["episode_id"].astype("str"),
            "Returned": e["end"],
            "Hours since return": e["_waited"],
            "Offered": e["offered_at"],
            "Worker": e["interviewer_id"]
            .astype("str")
            .where(e["interviewer_id"].notna(), "Not recorded"),
        }
    )
    return Worklist(
        "pending_overdue",
        f"Interviews pending beyond {hours:g} hours",
        f"Interviews offered but not yet held, more than {hours:g} hours after the child "
        "returned, at the end of the as-at date.",
        frame.reset_index(drop=True),
    )


def repeat_missing(
    episodes: pd.DataFrame, quarter: Quarter, threshold: int, labels: dict[str, str]
) -> Worklist:
    """Children missing `threshold` or more times in the quarter: their interviews and risks."""
    e = episodes[_in_quarter(episodes, quarter)]
    counts = e.groupby("child_id", sort=True)["episode_id"].count()
    repeat = counts[counts >= threshold]
    rows = []
    for child, n in repeat.items():
        mine = e[e["child_id"] == child]
        outcome = mine["outcome"].fillna("not_offered").where(mine["end"].notna(), "ongoing")
        risks = sorted(
            {
                code.strip()
                for value in mine["risks"].dropna()
                for code in str(value).split(";")
                if code.strip()
            }
        )
        rows.append(
            {
                "Child": str(child),
                "Episodes": int(n),
                "Completed": int((outcome == "completed").sum()),
                "Declined": int((outcome == "declined").sum()),
                "Pending": int((outcome == "pending").sum()),
                "Not offered": int((outcome == "not_offered").sum()),
                "Risks identified": "; ".join(labels.get(r, r) for r in risks) or "None recorded",
                "Group": "; ".join(sorted(set(_label(_cohort_codes(mine), GROUPS)))),
            }
        )
    frame = pd.DataFrame(rows, columns=_REPEAT_COLUMNS)
    frame = frame.sort_values(["Episodes", "Child"], ascending=[False, True], kind="stable")
    return Worklist(
        "repeat_missing",
        f"Children missing {threshold} or more times",
        f"Children with {threshold} or more episodes starting in the quarter, what happened "
        "to their interviews and the risks the interviews identified.",
        frame.reset_index(drop=True),
    )


_REPEAT_COLUMNS = [
    "Child",
    "Episodes",
    "Completed",
    "Declined",
    "Pending",
    "Not offered",
    "Risks identified",
    "Group",
]


def out_of_county(episodes: pd.DataFrame, quarter: Quarter, labels: dict[str, str]) -> Worklist:
    """Episodes in the quarter of looked-after children placed out of county."""
    mask = _in_quarter(episodes, quarter) & episodes["looked_after"].fillna(False).astype(bool)
    mask &= episodes["placement_area"] == "out_of_area"
    e = episodes[mask].sort_values(["start", "episode_id"], kind="stable")
    outcome = e["outcome"].fillna("not_offered").where(e["end"].notna(), "ongoing")
    # Who held it and how, as recorded; where nothing is, "No interview" unless one was held.
    held = outcome == "completed"

    def recorded(codes: pd.Series) -> pd.Series:
        words = _label(codes, labels, "")
        blank = words == ""
        return words.mask(blank & held, "Not recorded").mask(blank & ~held, "No interview")

    frame = pd.DataFrame(
        {
            "Child": e["child_id"].astype("str"),
            "Episode": e["episode_id"].astype("str"),
            "Went missing": e["start"],
            "Outcome": _label(outcome, {**labels, "ongoing": "Still missing"}),
            "Interviewer role": recorded(e["interviewer_role"]),
            "Mode": recorded(e["mode"]),
        }
    )
    return Worklist(
        "out_of_county",
        "Children placed out of county",
        "Episodes in the quarter of looked-after children placed out of county, with who held "
        "the interview and how. The extracts do not hold the host area.",
        frame.reset_index(drop=True),
    )


def exceptions(episodes: pd.DataFrame, quarter: Quarter) -> Worklist:
    """Interviews in the quarter with an agreed exception to the timescale."""
    e = episodes[_in_quarter(episodes, quarter) & episodes["exception"].notna()]
    e = e[e["exception"].astype("str").str.strip() != ""].sort_values(
        ["end", "episode_id"], kind="stable"
    )
    frame = pd.DataFrame(
        {
            "Child": e["child_id"].astype("str"),
            "Episode": e["episode_id"].astype("str"),
            "Exception": e["exception"].astype("str"),
            "Returned": e["end"],
            "Interview held": e["completed_at"],
            "Hours to interview": _hours(e["completed_at"], e["end"]),
        }
    )
    return Worklist(
        "exceptions",
        "Exceptions audit",
        "Interviews with an agreed exception to the timescale (left out of the timeliness "
        "rates): check each exception was agreed for a good reason.",
        frame.reset_index(drop=True),
    )


def declines(
    episodes: pd.DataFrame, quarter: Quarter, labels: dict[str, str]
) -> tuple[Worklist, Worklist, Worklist]:
    """The declines audit: each decline, repeat decliners, and declines by group and age."""
    mask = _in_quarter(episodes, quarter) & episodes["end"].notna()
    e = episodes[mask & (episodes["outcome"] == "declined")]
    e = e.sort_values(["end", "episode_id"], kind="stable")
    group = _label(_cohort_codes(e), GROUPS)
    age = _label(_age_bands(e["start"], e["date_of_birth"]), labels)
    each = pd.DataFrame(
        {
            "Child": e["child_id"].astype("str"),
            "Episode": e["episode_id"].astype("str"),
            "Returned": e["end"],
            "Declined by": _label(e["declined_by"], labels),
            "Reason": _label(e["decline_reason"], labels),
            "Group": group,
            "Age": age,
        }
    ).reset_index(drop=True)
    counts = e.groupby("child_id", sort=True)["episode_id"].count()
    repeat = counts[counts >= 2]
    repeaters = pd.DataFrame(
        {"Child": [str(c) for c in repeat.index], "Declines": [int(n) for n in repeat]}
    ).sort_values(["Declines", "Child"], ascending=[False, True], kind="stable")
    by = pd.DataFrame({"Group": group.to_numpy(), "Age": age.to_numpy()})
    summary = (
        by.value_counts(["Group", "Age"], sort=False)
        .rename("Declines")
        .reset_index()
        .sort_values(["Group", "Age"], kind="stable")
    )
    summary["Declines"] = summary["Declines"].astype("int64")
    return (
        Worklist(
            "declines",
            "Declines audit",
            "Every declined interview in the quarter: who declined and the reason given.",
            each,
        ),
        Worklist(
            "repeat_decliners",
            "Children who declined more than once",
            "Children who declined two or more interviews in the quarter.",
            repeaters.reset_index(drop=True),
        ),
        Worklist(
            "declines_by_group",
            "Declines by group and age",
            "Declined interviews by cohort and age at the start of the episode.",
            summary.reset_index(drop=True),
            child_level=False,
        ),
    )


def _flags(episodes: pd.DataFrame, config: Config) -> EpisodeFlags:
    return EpisodeFlags.of(
        episodes,
        timeliness_hours=config.timeliness_hours,
        independent_roles=config.independent_roles,
    )


def _timeliness_rows(keys: pd.Series, e: pd.DataFrame, flags: EpisodeFlags) -> pd.DataFrame:
    """Per key: returns due, interviews held, in the timeliness measure, within the
    timescale, and the median hours from return to interview of those in the measure."""
    hours = _hours(e["completed_at"], e["end"]).to_numpy(dtype="float64")
    frame = pd.DataFrame(
        {
            "key": keys.to_numpy(),
            "due": flags.due,
            "held": flags.completed,
            "measured": flags.in_timeliness,
            "timely": flags.timely,
            "hours": np.where(flags.in_timeliness, hours, np.nan),
        }
    )
    grouped = frame.groupby("key", sort=False)
    out = grouped[["due", "held", "measured", "timely"]].sum().astype("int64")
    out["median"] = grouped["hours"].median()
    return out


def timeliness_by_day(episodes: pd.DataFrame, quarter: Quarter, config: Config) -> Worklist:
    """Timeliness by the day of the week the child returned."""
    e = episodes[_in_quarter(episodes, quarter) & episodes["end"].notna()]
    flags = _flags(e, config)
    day = pd.Series([WEEKDAYS[d] for d in e["end"].dt.day_of_week], index=e.index, dtype="str")
    rows = _timeliness_rows(day, e, flags).reindex(list(WEEKDAYS), fill_value=0)
    frame = _timeliness_frame("Day of return", rows)
    return Worklist(
        "timeliness_by_day",
        "Timeliness by the day of the week the child returned",
        f"Returns in the quarter by weekday: interviews held, and those within "
        f"{config.timeliness_hours:g} hours of those counted in the timeliness measure.",
        frame,
        child_level=False,
    )


def timeliness_by_worker(episodes: pd.DataFrame, quarter: Quarter, config: Config) -> Worklist:
    """Timeliness and workload for each RHI worker (pseudonymous worker IDs)."""
    e = episodes[_in_quarter(episodes, quarter) & episodes["end"].notna()]
    e = e[e["interviewer_id"].notna()]
    flags = _flags(e, config)
    rows = _timeliness_rows(e["interviewer_id"].astype("str"), e, flags).sort_index()
    weeks = (quarter.end - quarter.start).days / 7
    frame = pd.DataFrame(
        {
            "Worker": rows.index.astype("str"),
            "Returns assigned": rows["due"].to_numpy(),
            "Returns per week": (rows["due"] / weeks).to_numpy(dtype="float64"),
            "Interviews held": rows["held"].to_numpy(),
            "Within timescale": rows["timely"].to_numpy(),
            "In the measure": rows["measured"].to_numpy(),
            "Median hours to interview": rows["median"].to_numpy(dtype="float64"),
        }
    )
    return Worklist(
        "workload_by_worker",
        "Workload and timeliness by RHI worker",
        f"Returns in the quarter assigned to each worker (by worker ID), per week over the "
        f"quarter's {weeks:.1f} weeks, the interviews they held and how many of those in the "
        f"timeliness measure were within {config.timeliness_hours:g} hours.",
        frame,
        child_level=False,
    )


def _timeliness_frame(first: str, rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            first: rows.index.astype("str"),
            "Returns": rows["due"].to_numpy(),
            "Interviews held": rows["held"].to_numpy(),
            "Within timescale": rows["timely"].to_numpy(),
            "In the measure": rows["measured"].to_numpy(),
            "Median hours to interview": rows["median"].to_numpy(dtype="float64"),
        }
    )


def data_quality(findings: Sequence[Finding], episodes: pd.DataFrame) -> Worklist:
    """The records to correct: every finding, with the episode and its worker where the
    finding points at a row of the episodes extract."""
    by_row = {int(r): (str(ep), w) for r, ep, w in _rows(episodes)}
    rows = []
    for f in findings:
        ep, worker = ("", None)
        if f.row is not None and "episode" in f.file.lower():
            ep, worker = by_row.get(int(f.row), ("", None))
        rows.append(
            {
                "File": f.file,
                "Row": "" if f.row is None else str(f.row),
                "Column": f.column or "",
                "Episode": ep,
                "Worker": "" if worker is None or pd.isna(worker) else str(worker),
                "Problem": f.message,
            }
        )
    frame = pd.DataFrame(rows, columns=["File", "Row", "Column", "Episode", "Worker", "Problem"])
    return Worklist(
        "data_quality",
        "Data-quality worklist",
        "The records to correct in the case management system, by worker where one is "
        "recorded; the row is the spreadsheet row of the extract.",
        frame,
    )


def _rows(episodes: pd.DataFrame) -> Any:
    return zip(
        episodes["row"].tolist(),
        episodes["episode_id"].tolist(),
        episodes["interviewer_id"].tolist(),
        strict=True,
    )


def _yes_no(values: pd.Series) -> pd.Series:
    return pd.Series(
        ["Not recorded" if pd.isna(v) else ("Yes" if bool(v) else "No") for v in values],
        index=values.index,
        dtype="str",
    )


def worklists(
    episodes: pd.DataFrame,
    findings: Sequence[Finding],
    quarter: Quarter,
    as_at: date,
    config: Config,
) -> Worklists:
    """Every worklist of the director's report, from the joined episode table."""
    labels = _labels(config)
    each, repeaters, by_group = declines(episodes, quarter, labels)
    return Worklists(
        [
            still_missing(episodes, as_at, labels),
            no_offer(episodes, quarter, labels),
            pending_overdue(episodes, as_at, float(config.timeliness_hours), labels),
            repeat_missing(episodes, quarter, int(config.repeat_threshold), labels),
            out_of_county(episodes, quarter, labels),
            exceptions(episodes, quarter),
            each,
            repeaters,
            by_group,
            timeliness_by_day(episodes, quarter, config),
            timeliness_by_worker(episodes, quarter, config),
            data_quality(findings, episodes),
        ]
    )


__all__ = ["WEEKDAYS", "Worklist", "Worklists", "worklists"]
