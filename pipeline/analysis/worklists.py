"""Worklists for the director's quarterly report: the children and records to act on.

Each worklist is a table of plain values (text, whole numbers, hours, timestamps) with the
case IDs a service manager needs to find the child's record. They are child-level and for
the internal audience only: the orchestrator gives them only to an internal report's
results, and no public output is written from them (tested).

"Now" for a worklist is the end of the as-at day (midnight after it): a child returned at
09:00 on the as-at day has been back 15 hours. The reported quarter is the episodes that
started in it, as for every metric; the lists of open cases (still missing, no interview
due within the timescale, pending beyond it) cover every such case in the extract, whatever
quarter it started in, because each needs action now; returns with no interview record are
those of the quarter and since (earlier ones are history). Their notes say how many started
in the quarter, so that they can be set against the quarter's counts.

The owner of a row is its RHI worker (the interview record's `interviewer_id`), "Not
allocated" where none is recorded. The extracts hold no allocated social worker or team
(docs/spec/inputs.md), so no list can show one; the notes say so.
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
OWNER = "RHI worker"
NOT_ALLOCATED = "Not allocated"
OWNER_NOTE = (
    "RHI worker is the worker ID on the interview record ('Not allocated' where none is "
    "recorded); the extracts do not hold the child's allocated social worker or team."
)


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
    # What the report says when the list has no rows.
    empty: str = "None this quarter."
    # A sentence about the list's figures, for the text above it ("" when none).
    lede: str = ""

    @property
    def sheet_note(self) -> str:
        """The note as a workbook sheet gives it: a sheet is read on its own, so it says what
        the owner column holds (the report says it once, above the lists)."""
        return f"{self.note} {OWNER_NOTE}" if OWNER in self.frame.columns else self.note


@dataclass(frozen=True)
class Worklists:
    """Every worklist of the reported quarter, in the order the director's report shows them."""

    items: list[Worklist] = field(default_factory=list)
    # What needs doing this week, from the lists' counts (the report's page 2).
    actions: list[str] = field(default_factory=list)

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


def _owner(e: pd.DataFrame) -> pd.Series:
    """Each row's RHI worker (worker ID), or "Not allocated" where none is recorded."""
    worker = e["interviewer_id"]
    return worker.astype("str").where(worker.notna() & (worker != ""), NOT_ALLOCATED)


def _scope(starts: pd.Series, quarter: Quarter, counted: str = "") -> str:
    """Which quarter a list's episodes started in, in words: a list of open cases covers
    every quarter, so its count can be set against the quarter's only with this. `counted`
    names where the quarter's are counted, in brackets after them."""
    n = len(starts)
    if n == 0:
        return ""
    before = int((starts < pd.Timestamp(quarter.start)).sum())
    after = int((starts >= pd.Timestamp(quarter.end)).sum())
    inside = n - before - after
    where = f" ({counted})" if counted else ""
    if n == 1:
        when = "in the quarter" + where if inside else "before the quarter" if before else None
        return f"It started {when or 'after the quarter ended'}."
    if inside == n:
        return f"All {n} started in the quarter{where}."
    parts = [
        f"{k} {words}"
        for k, words in (
            (inside, f"started in the quarter{where}"),
            (before, "started before it"),
            (after, "started after it ended"),
        )
        if k
    ]
    said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Of these {n}, {said}."


def _sentence(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def still_missing(
    episodes: pd.DataFrame, quarter: Quarter, as_at: date, labels: dict[str, str]
) -> Worklist:
    """Every episode with no return recorded, whatever quarter it started in, longest
    missing first."""
    e = episodes[episodes["end"].isna()].sort_values(["start", "episode_id"], kind="stable")
    frame = pd.DataFrame(
        {
            "Child": e["child_id"].astype("str"),
            "Episode": e["episode_id"].astype("str"),
            "Went missing": e["start"],
            "Hours missing": _hours(_now(as_at), e["start"]),
            "Group": _label(_cohort_codes(e), GROUPS),
            "Reported to police": _yes_no(e["reported_to_police"]),
            OWNER: _owner(e),
        }
    )
    return Worklist(
        "still_missing",
        "Children still missing",
        _sentence(
            "Every episode with no return recorded at the end of the as-at date, whatever "
            "quarter it started in, longest first.",
            _scope(e["start"], quarter, "the summary's episodes still open"),
            "Close any that have ended in the case record.",
        ),
        frame.reset_index(drop=True),
        empty="No child is recorded as still missing.",
    )


def _returned(episodes: pd.DataFrame) -> pd.DataFrame:
    return episodes[episodes["end"].notna()]


def no_record(episodes: pd.DataFrame, quarter: Quarter, as_at: date, hours: float) -> Worklist:
    """Returns with no interview record at all whose timescale has run out, of episodes that
    started in the quarter or since (earlier quarters' are history, reported then), newest
    first."""
    e = _returned(episodes[episodes["start"] >= pd.Timestamp(quarter.start)])
    e = e[~e["has_rhi_row"].fillna(False).astype(bool)]
    waited = _hours(_now(as_at), e["end"])
    e = e.assign(_waited=waited)[waited > hours].sort_values(
        ["end", "episode_id"], ascending=[False, True], kind="stable"
    )
    frame = pd.DataFrame(
        {
            "Child": e["child_id"].astype("str"),
            "Episode": e["episode_id"].astype("str"),
            "Returned": e["end"],
            "Hours since return": e["_waited"],
            "Group": _label(_cohort_codes(e), GROUPS),
            OWNER: _owner(e),
        }
    )
    return Worklist(
        "no_record",
        "Returns with no interview record",
        _sentence(
            f"Children who returned more than {hours:g} hours before the end of the as-at "
            "date and have no interview record at all, from episodes that started in the "
            "quarter or since, newest first: offer an interview, or record why none was "
            "offered.",
            _scope(e["start"], quarter, "counted as 'Nothing recorded about an interview'"),
            f"Returns still inside the {hours:g} hours are in the list of interviews due.",
        ),
        frame.reset_index(drop=True),
        empty="No return is without an interview record.",
    )


def not_offered(
    episodes: pd.DataFrame, quarter: Quarter, as_at: date, labels: dict[str, str]
) -> Worklist:
    """Returns in the quarter recorded as not offered an interview, with the reason, newest
    first."""
    e = _returned(episodes[_in_quarter(episodes, quarter)])
    e = e[e["has_rhi_row"].fillna(False).astype(bool) & (e["outcome"] == "not_offered")]
    e = e.sort_values(["end", "episode_id"], ascending=[False, True], kind="stable")
    frame = pd.DataFrame(
        {
            "Child": e["child_id"].astype("str"),
            "Episode": e["episode_id"].astype("str"),
            "Returned": e["end"],
            "Hours since return": _hours(_now(as_at), e["end"]),
            "Reason": _label(e["not_offered_reason"], labels, "No reason recorded"),
            "Group": _label(_cohort_codes(e), GROUPS),
            OWNER: _owner(e),
        }
    )
    return Worklist(
        "not_offered",
        "Returns in the quarter not offered an interview, with the reason",
        _sentence(
            "Children who returned from an episode that started in the quarter and whose "
            "interview record says none was offered, newest first: check the reason still "
            "holds (a child who could not be contacted can be tried again). These are the "
            "returns counted by reason in 'Why return home interviews were not offered'.",
        ),
        frame.reset_index(drop=True),
    )


def _owed(episodes: pd.DataFrame, as_at: date) -> pd.DataFrame:
    """Returns whose interview is still owed at the end of the as-at date: offered and still
    pending, or with no interview record at all (nothing held, declined or decided yet),
    with the hours since the return."""
    e = _returned(episodes)
    record = e["has_rhi_row"].fillna(False).astype(bool)
    e = e[(e["outcome"] == "pending") | ~record]
    return e.assign(_waited=_hours(_now(as_at), e["end"]), _record=record[e.index])


def _status(e: pd.DataFrame) -> pd.Series:
    return pd.Series(
        np.where(e["_record"], "Offered, not yet held", "No interview record"),
        index=e.index,
        dtype="str",
    )


def due_soon(episodes: pd.DataFrame, quarter: Quarter, as_at: date, hours: float) -> Worklist:
    """Interviews still owed whose timescale has not yet run out at the end of the as-at
    date, soonest deadline first."""
    e = _owed(episodes, as_at)
    e = e[(e["_waited"] <= hours) & (e["_waited"] >= 0)]
    e = e.assign(_deadline=e["end"] + pd.Timedelta(hours=hours)).sort_values(
        ["_deadline", "episode_id"], kind="stable"
    )
    frame = pd.DataFrame(
        {
            "Child": e["child_id"].astype("str"),
            "Episode": e["episode_id"].astype("str"),
            "Returned": e["end"],
            f"Deadline ({hours:g} hours)": e["_deadline"],
            "Hours left": hours - e["_waited"],
            "Status": _status(e),
            OWNER: _owner(e),
        }
    )
    return Worklist(
        "due_soon",
        f"Interviews due in the next {hours:g} hours",
        _sentence(
            f"Children whose interview is still owed (offered and pending, or no interview "
            f"record yet) and whose {hours:g} hours from the return had not run out at the "
            "end of the as-at date, soonest deadline first, whatever quarter the episode "
            "started in.",
            _scope(e["start"], quarter),
        ),
        frame.reset_index(drop=True),
        empty=f"No interview was due within the next {hours:g} hours at the end of the as-at date.",
    )


def pending_overdue(
    episodes: pd.DataFrame, quarter: Quarter, as_at: date, hours: float
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
            OWNER: _owner(e),
        }
    )
    return Worklist(
        "pending_overdue",
        f"Interviews pending beyond {hours:g} hours",
        _sentence(
            f"Interviews offered but not yet held, more than {hours:g} hours after the child "
            "returned, at the end of the as-at date, whatever quarter the episode started in.",
            _scope(e["start"], quarter, "among the quarter's pending interviews"),
        ),
        frame.reset_index(drop=True),
        empty=f"No interview was pending beyond {hours:g} hours.",
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
        held = int((outcome == "completed").sum())
        # No interview, no risk could be recorded: say so rather than "None recorded".
        none = "None recorded" if held else "No interview held"
        workers = sorted(set(mine["interviewer_id"].dropna().astype("str")) - {""})
        rows.append(
            {
                "Child": str(child),
                "Episodes": int(n),
                "Completed": held,
                "Declined": int((outcome == "declined").sum()),
                "Pending": int((outcome == "pending").sum()),
                "Not offered": int((outcome == "not_offered").sum()),
                "Risks identified": "; ".join(labels.get(r, r) for r in risks) or none,
                "Group": "; ".join(sorted(set(_label(_cohort_codes(mine), GROUPS)))),
                OWNER: "; ".join(workers) or NOT_ALLOCATED,
            }
        )
    frame = pd.DataFrame(rows, columns=_REPEAT_COLUMNS)
    frame = frame.sort_values(["Episodes", "Child"], ascending=[False, True], kind="stable")
    return Worklist(
        "repeat_missing",
        f"Children missing {threshold} or more times",
        _sentence(
            f"Children with {threshold} or more episodes starting in the quarter, what "
            "happened to their interviews and the risks the interviews identified.",
        ),
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
    OWNER,
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
            OWNER: _owner(e),
        }
    )
    return Worklist(
        "out_of_county",
        "Children placed out of county",
        _sentence(
            "Episodes in the quarter of looked-after children placed out of county, with who "
            "held the interview and how. The extracts do not hold the host area.",
        ),
        frame.reset_index(drop=True),
    )


def exceptions(episodes: pd.DataFrame, quarter: Quarter, labels: dict[str, str]) -> Worklist:
    """Interviews in the quarter with an agreed exception to the timescale."""
    e = episodes[_in_quarter(episodes, quarter) & episodes["exception"].notna()]
    e = e[e["exception"].astype("str").str.strip() != ""].sort_values(
        ["end", "episode_id"], kind="stable"
    )
    frame = pd.DataFrame(
        {
            "Child": e["child_id"].astype("str"),
            "Episode": e["episode_id"].astype("str"),
            # The configured words for the council's codes; other free text as written.
            "Exception": _label(e["exception"], labels),
            "Returned": e["end"],
            "Interview held": e["completed_at"],
            "Hours to interview": _hours(e["completed_at"], e["end"]),
            OWNER: _owner(e),
        }
    )
    return Worklist(
        "exceptions",
        "Exceptions audit",
        _sentence(
            "Interviews with an agreed exception to the timescale (left out of the timeliness "
            "rates): check each exception was agreed for a good reason.",
        ),
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
            _sentence(
                "Every declined interview in the quarter: who declined and the reason given.",
            ),
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
        lede=weekend_sentence(rows, float(config.timeliness_hours)),
    )


def weekend_sentence(rows: pd.DataFrame, hours: float) -> str:
    """Whether interviews after a weekend return were within the timescale more or less often
    than after a weekday return, from the weekday table's own counts."""
    weekend = rows.loc[["Saturday", "Sunday"]]
    weekday = rows.drop(index=["Saturday", "Sunday"])
    end_in, end_of = int(weekend["timely"].sum()), int(weekend["measured"].sum())
    day_in, day_of = int(weekday["timely"].sum()), int(weekday["measured"].sum())
    if end_of == 0 or day_of == 0:
        which = "a weekend" if end_of == 0 else "a weekday"
        return (
            f"No interview after a return on {which} was in the timeliness measure this "
            "quarter, so the two cannot be compared."
        )
    # Compared as fractions, exactly: end_in / end_of against day_in / day_of.
    left, right = end_in * day_of, day_in * end_of
    verdict = "more often" if left > right else "less often" if left < right else "as often"
    few = (
        " With fewer than 10 interviews on one side, the difference may be chance."
        if min(end_of, day_of) < 10 and verdict != "as often"
        else ""
    )
    return (
        f"This quarter, interviews after a return at the weekend were held within {hours:g} "
        f"hours {verdict} than after a return on a weekday: {end_in} of {end_of} against "
        f"{day_in} of {day_of}.{few}"
    ).replace("as often than", "as often as")


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
            # The extracts record one worker per interview record, not who the return was
            # assigned to: this counts the returns whose record names the worker.
            "Returns naming the worker": rows["due"].to_numpy(),
            "Per week": (rows["due"] / weeks).to_numpy(dtype="float64"),
            "Interviews held": rows["held"].to_numpy(),
            "Within timescale": rows["timely"].to_numpy(),
            "In the measure": rows["measured"].to_numpy(),
            "Median hours to interview": rows["median"].to_numpy(dtype="float64"),
        }
    )
    return Worklist(
        "workload_by_worker",
        "Workload and timeliness by RHI worker",
        f"Returns in the quarter whose interview record names the worker (by worker ID), and "
        f"per week over the quarter's {weeks:.1f} weeks; the interviews they held and how many "
        f"of those in the timeliness measure were within {config.timeliness_hours:g} hours. "
        "The extracts record the worker on the interview record, not who the return was "
        "assigned to, so returns assigned to a worker but not yet recorded against them are "
        "not counted.",
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
        # Not an episode's row (an interview record of no known episode, a whole file):
        # nobody to name.
        owner = ""
        if ep:
            owner = NOT_ALLOCATED if worker is None or pd.isna(worker) else str(worker)
        rows.append(
            {
                "File": f.file,
                "Row": "" if f.row is None else str(f.row),
                "Column": f.column or "",
                "Episode": ep,
                OWNER: owner,
                "Problem": f.message,
            }
        )
    frame = pd.DataFrame(rows, columns=["File", "Row", "Column", "Episode", OWNER, "Problem"])
    return Worklist(
        "data_quality",
        "Data-quality worklist",
        _sentence(
            "The records to correct in the case management system, by RHI worker where the "
            "row is an episode's; the row is the spreadsheet row of the extract.",
        ),
        frame,
        empty="No record needs correcting.",
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
    """Every worklist of the director's report, from the joined episode table, and what
    needs doing this week from their counts."""
    labels = _labels(config)
    hours = float(config.timeliness_hours)
    each, repeaters, by_group = declines(episodes, quarter, labels)
    items = [
        still_missing(episodes, quarter, as_at, labels),
        due_soon(episodes, quarter, as_at, hours),
        pending_overdue(episodes, quarter, as_at, hours),
        no_record(episodes, quarter, as_at, hours),
        not_offered(episodes, quarter, as_at, labels),
        repeat_missing(episodes, quarter, int(config.repeat_threshold), labels),
        out_of_county(episodes, quarter, labels),
        exceptions(episodes, quarter, labels),
        each,
        repeaters,
        by_group,
        timeliness_by_day(episodes, quarter, config),
        timeliness_by_worker(episodes, quarter, config),
        data_quality(findings, episodes),
    ]
    return Worklists(items, this_week(Worklists(items), hours, int(config.repeat_threshold)))


def _n(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def this_week(lists: Worklists, hours: float, threshold: int) -> list[str]:
    """What needs doing this week, one sentence per worklist with rows, from their counts
    (in the order of urgency the worklists are shown in)."""

    def rows(key: str) -> pd.DataFrame:
        found = lists.get(key)
        return found.frame if found is not None else pd.DataFrame()

    out = []
    missing = rows("still_missing")
    if len(missing):
        children = missing["Child"].nunique()
        out.append(
            f"{_n(children, 'child is', 'children are')} recorded as still missing "
            f"({_n(len(missing), 'episode', 'episodes')}): check each is being looked for, or "
            "record the return if the child is back."
        )
    due = rows("due_soon")
    if len(due):
        first = due[f"Deadline ({hours:g} hours)"].iloc[0].strftime("%d/%m/%Y %H:%M")
        out.append(
            f"Hold the {_n(len(due), 'interview', 'interviews')} due in the next {hours:g} "
            f"hours, the first by {first}."
        )
    else:
        out.append(f"No interview falls due in the next {hours:g} hours.")
    late = rows("pending_overdue")
    if len(late):
        out.append(
            f"Hold or close the {_n(len(late), 'interview', 'interviews')} offered but still "
            f"pending beyond {hours:g} hours."
        )
    blank = rows("no_record")
    if len(blank):
        out.append(
            f"Offer an interview, or record why none was offered, for the "
            f"{_n(len(blank), 'return', 'returns')} with no interview record."
        )
    refused = rows("not_offered")
    if len(refused):
        out.append(
            f"Check the reason still holds for the {_n(len(refused), 'return', 'returns')} in "
            "the quarter not offered an interview."
        )
    repeat = rows("repeat_missing")
    if len(repeat):
        unseen = int((repeat["Completed"] == 0).sum())
        out.append(
            f"Review the plans for the {_n(len(repeat), 'child', 'children')} missing "
            f"{threshold} or more times this quarter; {unseen} had no interview held."
        )
    again = rows("repeat_decliners")
    if len(again):
        out.append(
            f"Consider a different offer (another worker, place or way of talking) for the "
            f"{_n(len(again), 'child', 'children')} who declined more than once."
        )
    fix = rows("data_quality")
    if len(fix):
        out.append(f"Correct the {_n(len(fix), 'record', 'records')} in the data-quality worklist.")
    return out


__all__ = ["WEEKDAYS", "Worklist", "Worklists", "this_week", "weekend_sentence", "worklists"]
