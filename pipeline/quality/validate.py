"""The validation stage: type the extracts, run every rule, apply the treatments, join.

`validate` either raises `FatalFindings` (a `DataError`, exit status 1) listing every fatal
problem, summarised per rule, or returns the `Dataset` every later stage reads. The treatments
applied to warnings are described rule by rule in docs/data-quality.md.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from pipeline.config import Config
from pipeline.dataset import EPISODE_TABLE_COLUMNS, Dataset
from pipeline.errors import DataError
from pipeline.findings import Finding
from pipeline.load import RawExtract
from pipeline.parse import DATETIME_UNIT, parse_bools, parse_datetimes
from pipeline.quality.rules import OFFERED, Table, episode_keys, link, run_rules, unknown_risks
from pipeline.quality.summary import order, summarise
from pipeline.schema import RISKS, ROW


class FatalFindings(DataError):
    """Validation found at least one fatal problem; `findings` holds every finding (fatal first)."""

    def __init__(self, findings: list[Finding]) -> None:
        fatal = [f for f in findings if f.severity == "fatal"]
        super().__init__(*summarise(fatal))
        self.findings = findings


def type_table(extract: RawExtract) -> Table:
    """Read an extract's text into types: every canonical column, missing ones all-NA."""
    text = extract.frame
    typed: dict[str, pd.Series] = {}
    unreadable: dict[str, pd.Series] = {}
    for col in Table(extract, text, {}).columns:
        values = (
            text[col.name]
            if col.name in text.columns
            else pd.Series(pd.NA, index=text.index, dtype="str")
        )
        if col.kind in {"datetime", "date"}:
            typed[col.name], unreadable[col.name] = parse_datetimes(values)
        elif col.kind == "bool":
            typed[col.name], unreadable[col.name] = parse_bools(values)
        else:
            typed[col.name] = values.astype("str")
    typed[ROW] = (
        text[ROW].astype("int64")
        if ROW in text.columns
        else pd.Series([], index=text.index, dtype="int64")
    )
    return Table(extract, pd.DataFrame(typed, index=text.index), unreadable)


# A date more than this long after nearly every episode started (the 95th percentile of the
# starts) is far outside the extract's span: a typo such as 2100 for 2026, which must not
# become the as-at date and so move the default quarter to one that has not ended.
FAR_AFTER_STARTS = pd.Timedelta(days=366)
STARTS_PERCENTILE = 0.95


def latest_plausible(episodes: Table) -> pd.Timestamp | None:
    """The latest date-time that is not far outside the extract's span: a year after the
    95th percentile of the episode starts (nearest rank), None without any start."""
    starts = episodes.frame["start"].to_numpy(dtype="datetime64[us]")
    starts = starts[~np.isnat(starts)]
    if not len(starts):
        return None
    rank = max(math.ceil(STARTS_PERCENTILE * len(starts)) - 1, 0)
    # As integers: numpy partitions datetime64 values far more slowly than their int64 view.
    typical = np.partition(starts.view("int64"), rank)[rank]
    return pd.Timestamp(np.datetime64(int(typical), "us")) + FAR_AFTER_STARTS


def resolve_as_at(episodes: Table, interviews: Table, as_at: date | None) -> date | None:
    """The as-at date: as given, else the latest date-time in either extract that is not far
    outside its span (`latest_plausible`); None if there is none.

    Dates of birth are left out: they are never later than an episode, and a mistyped one
    must not move the as-at date. A date far outside the span is then after the as-at date,
    which the date_after_as_at rule reports.
    """
    if as_at is not None:
        return as_at
    limit = latest_plausible(episodes)
    latest: list[pd.Timestamp] = []
    for table in (episodes, interviews):
        for col in table.columns:
            if col.kind == "datetime":
                values = table.frame[col.name]
                top = values.max()
                if limit is not None and pd.notna(top) and top > limit:
                    top = values[values <= limit].max()  # only when a far date is there
                if pd.notna(top):
                    latest.append(top)
    return max(latest).date() if latest else None


def validate(
    episodes: RawExtract, interviews: RawExtract, *, config: Config, as_at: date | None
) -> Dataset:
    """Check both extracts; raise FatalFindings on any fatal finding, else build the Dataset.

    `as_at=None` means the latest date in either extract. `config` is accepted so rules can
    follow configuration; the checks themselves need none of it today.
    """
    del config  # every rule is fixed by inputs.md; kept in the signature for the stage contract
    ep, rhi = type_table(episodes), type_table(interviews)
    resolved = resolve_as_at(ep, rhi, as_at)
    keys = episode_keys(ep, rhi)
    linked = link(ep, rhi, keys)
    findings = run_rules(ep, rhi, resolved, linked, keys)
    findings += episodes.findings + interviews.findings
    findings = order(findings)
    if any(f.severity == "fatal" for f in findings):
        raise FatalFindings(findings)
    assert resolved is not None  # a readable, non-blank start exists when nothing is fatal
    return Dataset(
        episodes=joined_episodes(ep, rhi, linked),
        interviews=typed_interviews(rhi, linked),
        findings=findings,
        as_at=resolved,
        episode_rows=len(episodes.frame),
        interview_rows=len(interviews.frame),
        held=held_columns(episodes, interviews),
        rhi_source=rhi_source(episodes, interviews),
    )


def held_columns(episodes: RawExtract, interviews: RawExtract) -> frozenset[str]:
    """The canonical columns held in this run, by name (both extracts share `episode_id`).
    The joined table's `outcome` is held whenever an RHI record exists at all."""
    return episodes.held | interviews.held


def rhi_source(episodes: RawExtract, interviews: RawExtract) -> str:
    """Where the RHI record came from: "interviews", "flags" or "none"."""
    if not interviews.provided:
        return "none"
    return "flags" if episodes.flags is not None else "interviews"


def typed_interviews(interviews: Table, linked: pd.DataFrame) -> pd.DataFrame:
    """Every RHI row, typed, with `matched` False where the episode is unknown (dropped).

    `linked` is `rules.link(episodes, interviews)`.
    """
    frame = interviews.frame.copy()
    frame["matched"] = linked["matched"].astype(bool)
    return frame.reset_index(drop=True)


def _canonical_risks(risks: pd.Series) -> pd.Series:
    """Risks cells with every unknown item replaced by `other` (each code once, in order)."""
    odd = unknown_risks(risks).notna()
    if not odd.any():
        return risks
    items = risks[odd].str.split(";").explode()
    items = items[items.str.len() > 0]
    items = items.where(items.isin(RISKS), "other")
    items = items.to_frame("item").reset_index(names="cell").drop_duplicates()
    fixed = items.groupby("cell", sort=False)["item"].agg(";".join)
    out = risks.copy()
    out.loc[fixed.index] = fixed
    return out


def joined_episodes(episodes: Table, interviews: Table, linked: pd.DataFrame) -> pd.DataFrame:
    """The joined episode table of docs/architecture.md, with every treatment applied.

    Only called when nothing is fatal, so IDs are unique, starts and looked-after are filled.
    `linked` is `rules.link(episodes, interviews)`.
    """
    ep = episodes.frame.copy()
    start, end = ep["start"], ep["end"]
    ep["episode_type"] = ep["episode_type"].fillna("missing")
    # Blank only when the layout does not hold the column (config not_held): its cohorts are
    # then not recorded (pipeline.metrics.held), and no episode counts as looked after.
    ep["looked_after"] = ep["looked_after"].fillna(False).astype(bool)
    # The area of a child who is not looked after is ignored (area_without_looked_after).
    ep["placement_area"] = ep["placement_area"].where(ep["looked_after"]).astype("str")
    # A date of birth after the start is set aside (start_before_birth).
    ep["date_of_birth"] = ep["date_of_birth"].mask(ep["date_of_birth"] > start)
    backwards = (end < start).fillna(False).astype(bool)
    ep["duration_excluded"] = backwards

    rhi = interviews.frame.loc[linked["matched"]].drop(columns=[ROW])
    rhi["risks"] = _canonical_risks(rhi["risks"])
    # Episode IDs are unique here (a repeat is fatal), so each matched RHI row belongs to one
    # episode. `linked` already found it by ID; joining on its spreadsheet row (an integer)
    # avoids hashing every text ID a second time.
    at = pd.Index(ep[ROW].to_numpy()).get_indexer(
        linked.loc[linked["matched"], "episode_row"].to_numpy(dtype="int64")
    )
    source = np.full(len(ep), -1, dtype=np.int64)
    source[at] = np.arange(len(rhi))
    picked = rhi.drop(columns=["episode_id"]).reset_index(drop=True).reindex(source)
    picked.index = ep.index
    has_row = picked["outcome"].notna()  # outcome is required, so never blank on a real row
    joined = pd.concat([ep, picked], axis=1)
    joined["has_rhi_row"] = has_row.astype(bool)

    # ongoing_with_rhi_outcome: an episode with no end is not yet owed an RHI.
    ongoing_offered = has_row & joined["outcome"].isin(OFFERED) & joined["end"].isna()
    completed = joined["outcome"].eq("completed").fillna(False)
    no_date = completed & joined["completed_at"].isna()
    early = (joined["completed_at"] < joined["end"]).fillna(False)
    joined["timeliness_excluded"] = (
        has_row & (no_date | early | backwards | ongoing_offered)
    ).astype(bool)
    joined.loc[ongoing_offered, "outcome"] = "not_offered"
    joined["outcome"] = joined["outcome"].fillna("not_offered").astype("str")

    for name in (
        "notified_at",
        "assigned_at",
        "offered_at",
        "completed_at",
        "start",
        "end",
        "date_of_birth",
    ):
        joined[name] = joined[name].astype(DATETIME_UNIT)
    joined[ROW] = joined[ROW].astype("int64")
    joined["reported_to_police"] = joined["reported_to_police"].astype("boolean")
    return joined.loc[:, list(EPISODE_TABLE_COLUMNS)].reset_index(drop=True)
