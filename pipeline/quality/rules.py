"""The data-quality rules: each a small named function that returns its findings.

Every rule reads typed tables (`Table`) and returns `Finding`s whose message is one sentence:
the file, the spreadsheet row a person sees, the user's own column header, the offending value,
how to fix it and, for a warning, what the run does with the record meanwhile. `RULES` holds
each rule's severity and treatment; docs/data-quality.md describes the same rules and a test
keeps the two in step.

Rules are vectorised: each builds its messages as whole columns of text, so a million-row
extract is checked in seconds. Dates of birth and child IDs are never echoed in a message (the
row number finds them); episode IDs are, because the analyst needs them to find the record.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from pipeline.clock import change_at, unusual_wall_times
from pipeline.files import QUOTE_LIMIT, clip
from pipeline.findings import Finding, Severity
from pipeline.load import RawExtract
from pipeline.schema import EXTRACTS, RISKS, ROW, Column

# An RHI extract with more unmatched rows than this share (and at least UNMATCHED_ROWS of
# them) is not a few typos: it is fatal (rhi_mostly_unmatched).
UNMATCHED_SHARE = 0.05
UNMATCHED_ROWS = 5


@dataclass(frozen=True)
class Rule:
    """What one rule finds, how serious it is, and what the run does about it."""

    id: str
    severity: Severity
    description: str
    treatment: str
    ssda903: str = ""


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "missing_column",
            "fatal",
            "A required column is not in the extract (or its header is not mapped in the config).",
            "The run stops.",
        ),
        Rule(
            "no_episodes",
            "fatal",
            "The episodes extract has no data rows.",
            "The run stops.",
        ),
        Rule(
            "blank_required",
            "fatal",
            "A required value is blank: episode ID, child ID, start or looked-after status of "
            "an episode; episode ID or outcome of an interview record.",
            "The run stops.",
            "564 (start blank)",
        ),
        Rule(
            "invalid_date",
            "fatal",
            "A date cannot be read, or is not a real date (31/02/2026, month-first 12/25/2026).",
            "The run stops: a date is never guessed.",
            "1004, 1005 (invalid dates)",
        ),
        Rule(
            "invalid_yes_no",
            "fatal",
            "A yes/no value (looked after, reported to police) cannot be read.",
            "The run stops.",
        ),
        Rule(
            "unknown_code",
            "fatal",
            "A coded value is not one of the canonical values after the config's mapping: "
            "episode type, placement area (of a looked-after child), interview outcome, mode, "
            "interviewer role, declined by.",
            "The run stops: add the local code to the config's value mapping, or correct the cell.",
            "1006 (invalid missing type)",
        ),
        Rule(
            "duplicate_episode_id",
            "fatal",
            "Two or more episode rows have the same episode ID.",
            "The run stops: a repeated episode would be counted twice.",
        ),
        Rule(
            "duplicate_rhi",
            "fatal",
            "An episode has more than one interview record.",
            "The run stops: an episode can have only one interview outcome.",
        ),
        Rule(
            "date_after_as_at",
            "fatal",
            "A start, end or interview date is after the as-at date (given with --as-at; by "
            "default the as-at date is the latest date in either extract that is at most a "
            "year after 95% of the episode starts, so only a date far outside the extract's "
            "span, such as 2100 for 2026, can be after it).",
            "The run stops: nothing can be dated after the extract was taken, so the date is a "
            "typo or the as-at date is wrong.",
        ),
        Rule(
            "rhi_unknown_episode",
            "warning",
            "An interview record names an episode ID that is not in the episodes extract.",
            "The interview record is dropped: it counts in no figure.",
        ),
        Rule(
            "end_before_start",
            "warning",
            "An episode ends before it starts.",
            "The episode is counted (in the quarter of its start) and as returned, so it is "
            "owed a return home interview; it leaves the duration bands, and its interview "
            "leaves the 72-hour timeliness measure, because one of its two dates is wrong.",
            "567",
        ),
        Rule(
            "overlapping_episodes",
            "warning",
            "A child's episode starts while an earlier episode of the same child is still open "
            "(no end) or had not yet ended.",
            "Both episodes are counted as recorded.",
            "574",
        ),
        Rule(
            "start_before_birth",
            "warning",
            "An episode starts before the child's date of birth.",
            "The episode is counted; the date of birth is set aside, so the child's age is "
            "shown as not known.",
            "586",
        ),
        Rule(
            "looked_after_without_area",
            "warning",
            "A looked-after episode has no placement area (in area or out of area).",
            "The episode is counted in the all and looked-after figures, but in neither the "
            "in-area nor the out-of-area figures.",
        ),
        Rule(
            "area_without_looked_after",
            "warning",
            "An episode of a child who is not looked after has a placement area.",
            "The episode is counted as not looked after; the placement area is ignored.",
        ),
        Rule(
            "ongoing_with_rhi_outcome",
            "warning",
            "An interview record says completed, declined or pending for an episode that has "
            "no end date (the child is recorded as still missing).",
            "The episode is counted as ongoing, which is not yet owed a return home interview; "
            "its interview record is treated as not offered and leaves every interview figure "
            "until the end date is entered.",
        ),
        Rule(
            "completed_without_date",
            "warning",
            "A completed interview record has no completed date.",
            "Counted as completed; it leaves the 72-hour timeliness measure (and the "
            "target-met and process-time measures that need the date).",
        ),
        Rule(
            "completed_without_mode",
            "warning",
            "A completed interview record has no mode (face to face, telephone, video).",
            "Counted as completed; not counted as face to face (the mode is not recorded).",
        ),
        Rule(
            "completed_without_role",
            "warning",
            "A completed interview record has no interviewer role.",
            "Counted as completed; not counted as independent (the role is not recorded).",
        ),
        Rule(
            "completed_before_end",
            "warning",
            "An interview's completed date is before the child returned (the episode's end).",
            "Counted as completed; it leaves the 72-hour timeliness measure.",
        ),
        Rule(
            "unknown_risk",
            "warning",
            "A risk in the risks column is not one of the canonical risk codes after the "
            "config's mapping.",
            "The unknown risk is counted as 'other'.",
        ),
        # Rules added for reliability (docs/reliability.md).
        Rule(
            "rhi_id_without_leading_zeros",
            "warning",
            "An interview record's episode ID is not in the episodes extract as written, but "
            "is the same number as exactly one episode ID there that has leading zeros (123 for "
            "000123): Excel stores such an ID as a number and drops the zeros.",
            "The interview record is matched to that episode.",
        ),
        Rule(
            "rhi_mostly_unmatched",
            "fatal",
            f"More than {UNMATCHED_SHARE:.0%} of the interview records (and at least "
            f"{UNMATCHED_ROWS}) name episode IDs that are not in the episodes extract.",
            "The run stops: the extracts are from different systems or periods, or write the "
            "IDs differently, and every interview figure would be wrong.",
        ),
        Rule(
            "time_did_not_happen",
            "warning",
            "A date-time is in the hour the clocks skip when British Summer Time starts "
            "(such as 29/03/2026 01:30, which no UK clock showed).",
            "Read as if the clocks had not yet gone forward (01:30 GMT, which is 02:30 BST), "
            "as zoneinfo reads it; elapsed times count real time from there.",
        ),
        Rule(
            "time_happened_twice",
            "warning",
            "A date-time is in the hour that happens twice when British Summer Time ends "
            "(such as 25/10/2026 01:30, shown first in BST and again in GMT).",
            "Read as the first of the two (BST), as zoneinfo reads it; if it was the second, "
            "elapsed times from or to it are an hour out.",
        ),
        # Rules added for the extract layouts (docs/inputs.md).
        Rule(
            "column_not_held",
            "warning",
            "A column some measures need is not in the extract, or is blank in every row (one "
            "finding for the column, not one per row); with no interviews extract, no interview "
            "column is held.",
            "Every measure that needs the column is not recorded: blank in metrics.csv, [x] in "
            "the paper and workbook, never counted as 0.",
        ),
        Rule(
            "footer_rows",
            "warning",
            "Lines at the foot of a file are totals or notes, not records ('Total', "
            "'(12 rows affected)').",
            "The lines are left out of every figure; reported once per file.",
        ),
    )
}


@dataclass(frozen=True)
class Table:
    """One extract read into types, ready for the rules.

    `frame` has every canonical column of the extract (all-NA when the file lacks it) typed as
    docs/architecture.md says, plus `row`, on the same index as `extract.frame`. `unreadable`
    maps each date and yes/no column to the mask of non-blank cells that could not be read.
    """

    extract: RawExtract
    frame: pd.DataFrame
    unreadable: dict[str, pd.Series]

    @property
    def file(self) -> str:
        """The file name as messages show it."""
        return self.extract.file

    @property
    def columns(self) -> tuple[Column, ...]:
        """The canonical columns of this extract."""
        return EXTRACTS[self.extract.name]

    def present(self, column: str) -> bool:
        """Whether the user's file has this column (after header mapping)."""
        return column in self.extract.frame.columns

    def held(self, column: str) -> bool:
        """Whether this run holds the column (see RawExtract.held)."""
        return column in self.extract.held

    def text(self, column: str) -> pd.Series:
        """A column exactly as the file gave it (after mapping), as text; NA when absent."""
        if self.present(column):
            return self.extract.frame[column]
        return pd.Series(pd.NA, index=self.frame.index, dtype="str")


@dataclass(frozen=True)
class EpisodeKeys:
    """Both extracts' episode IDs as integer codes (-1 for a blank), equal IDs sharing a code
    across the two files. Hashing a million text IDs is the costly part of finding repeats and
    linking interviews to episodes, so it is done once (`episode_keys`) and shared."""

    episodes: np.ndarray
    interviews: np.ndarray


def episode_keys(episodes: Table, interviews: Table) -> EpisodeKeys:
    """The episode IDs of both extracts factorised together, in one pass over the text."""
    ids = pd.concat(
        [episodes.frame["episode_id"], interviews.frame["episode_id"]], ignore_index=True
    )
    codes = _codes(ids)
    split = len(episodes.frame)
    return EpisodeKeys(codes[:split], codes[split:])


def _codes(ids: pd.Series) -> np.ndarray:
    """IDs as integer codes (-1 for a blank)."""
    return pd.factorize(ids)[0].astype("int64")


def _later_repeats(codes: np.ndarray) -> np.ndarray:
    """True where a known code (not -1) already appeared on an earlier row."""
    return (codes >= 0) & pd.Series(codes).duplicated(keep="first").to_numpy()


# ---------------------------------------------------------------------------------------------
# Message building

# A message body: one text for every row, or a function building the texts of the flagged rows
# (given their index), so a rule spends nothing on the rows it does not flag.
Body = str | Callable[[pd.Index], pd.Series]


def where(table: Table, column: str) -> str:
    """How a message names a column: the user's header, with the canonical name if different."""
    header = table.extract.header(column)
    return f"column '{header}'" if header == column else f"column '{header}' ({column})"


def quoted(values: pd.Series) -> pd.Series:
    """Text values in single quotes, for echoing in a message; a long one is clipped (a
    200 MB cell is shown by its start and its length)."""
    text = values.astype("str").fillna("")
    long = (text.str.len() > QUOTE_LIMIT).to_numpy(dtype=bool)
    if long.any():
        text = text.copy()
        text[long] = text[long].map(clip)
    return "'" + text + "'"


def uk(stamps: pd.Series) -> pd.Series:
    """Date-times as the user writes them: dd/mm/yyyy hh:mm."""
    return stamps.dt.strftime("%d/%m/%Y %H:%M").astype("str").fillna("")


def emit(rule: str, table: Table, mask: pd.Series, column: str | None, body: Body) -> list[Finding]:
    """Findings of `rule` for the rows of `table` where `mask` holds.

    `body` is the message after "file row N, column 'X' (x): ".
    """
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return []
    rows = table.frame.loc[mask, ROW]
    if isinstance(body, str):
        texts = pd.Series(body, index=rows.index, dtype="str")
    else:
        texts = body(rows.index).astype("str")
    place = f", {where(table, column)}: " if column else ": "
    messages = table.file + " row " + rows.astype("str") + place + texts
    severity = RULES[rule].severity
    return [
        Finding(severity, table.file, int(row), column, rule, message)
        for row, message in zip(rows.tolist(), messages.tolist(), strict=True)
    ]


def _file_finding(rule: str, table: Table, column: str | None, message: str) -> Finding:
    return Finding(RULES[rule].severity, table.file, None, column, rule, message)


def _episode(table: Table, index: pd.Index) -> pd.Series:
    """ "episode 'X'" for the given rows, naming the record in messages."""
    return "episode " + quoted(table.frame.loc[index, "episode_id"])


# ---------------------------------------------------------------------------------------------
# Structure


def missing_column(table: Table) -> list[Finding]:
    """A required canonical column the file lacks, or a header the config maps that it lacks."""
    findings = []
    extract = table.extract
    if not extract.header_found and extract.missing_columns:
        return [_header_not_found(table)]
    named = set()
    for local, name in extract.absent_headers.items():
        named.add(name)
        close = difflib.get_close_matches(local, extract.headers, n=1, cutoff=0.5)
        hint = f" (it has '{close[0]}': is that it?)" if close else ""
        findings.append(
            _file_finding(
                "missing_column",
                table,
                name,
                f"{table.file}: has no column '{local}', which the config maps to {name}"
                f"{hint}; correct the header under {extract.name}: columns: in the config, "
                "or export the column.",
            )
        )
    for name in extract.missing_columns:
        if name in named:
            continue
        meaning = next((c.meaning for c in table.columns if c.name == name), "")
        about = f" ({meaning})" if meaning else ""
        findings.append(
            _file_finding(
                "missing_column",
                table,
                name,
                f"{table.file}: has no column for '{name}'{about}; add the column, or map your "
                f"header to it in the config under {table.extract.name}: columns: "
                f"(for example 'Your Header': {name}).",
            )
        )
    return findings


def _header_not_found(table: Table) -> Finding:
    """One finding for a file whose header row names none of the columns the config maps:
    it says which headers it did find, and where it looked."""
    from pipeline.load import HEADER_SEARCH

    extract = table.extract
    if extract.encoding == "xlsx":
        sheet = f" on its sheet '{extract.sheet}'" if extract.sheet else " on its first sheet"
    else:
        sheet = ""
    found = ", ".join(f"'{h}'" for h in extract.headers if h and not h.startswith("Unnamed:"))
    return _file_finding(
        "missing_column",
        table,
        None,
        f"{table.file}: no header row naming the columns in the config was found{sheet} in "
        f"its first {HEADER_SEARCH} rows; row {extract.header_row} has "
        f"{found or 'no headers'}; map those headers under {extract.name}: columns:, or give "
        "the header's row as header_row: (or the sheet as sheet:).",
    )


def no_episodes(episodes: Table) -> list[Finding]:
    """An episodes extract with a header but no data rows."""
    if len(episodes.frame):
        return []
    return [
        _file_finding(
            "no_episodes",
            episodes,
            None,
            f"{episodes.file}: has no data rows; check that the right file was exported "
            + (
                f"and that the episodes are on its sheet '{episodes.extract.sheet}'."
                if episodes.extract.sheet
                else "and that the episodes are on its first sheet (or name the sheet "
                "with sheet: in the config)."
            ),
        )
    ]


# ---------------------------------------------------------------------------------------------
# Values


def blank_required(table: Table) -> list[Finding]:
    """A blank cell in a column every row must fill (903 rule 564 for the start)."""
    findings: list[Finding] = []
    for col in table.columns:
        if not col.required or not table.present(col.name):
            continue
        findings += emit(
            "blank_required",
            table,
            table.text(col.name).isna(),
            col.name,
            "is blank, but every row needs a value here; fill it in, or delete the row if it "
            "is not a real record.",
        )
    return findings


_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2,4})\b")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\b")
_HOW = "enter it day first as dd/mm/yyyy hh:mm (or as yyyy-mm-dd hh:mm)"


def date_problem(value: str) -> str:
    """Why one date text could not be read, and how to write it, as a message body."""
    shown = f"'{clip(value)}'"
    match = _NUMERIC_DATE.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if month > 12 and 1 <= day <= 12:
            return (
                f"{shown} has no month {month}: it looks month first (US order), but dates are "
                f"read day first; {_HOW}, e.g. '{month:02d}/{day:02d}/{match.group(3)}'."
            )
        if year == 0:
            return f"{shown} is not a real date (there is no year 0); {_HOW}."
        if month > 12 or month == 0:
            return f"{shown} is not a real date (there is no month {month}); {_HOW}."
        if len(match.group(3)) != 4:
            return f"{shown} has a two-digit year; {_HOW}, with a four-digit year."
        if day == 0 or day > calendar.monthrange(year, month)[1]:
            return (
                f"{shown} is not a real date ({calendar.month_name[month]} {year} has no "
                f"day {day}); {_HOW}."
            )
        return f"{shown} has a time that cannot be read; {_HOW}, with a 24-hour time."
    match = _ISO_DATE.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
        if not 1 <= month <= 12 or day == 0 or day > calendar.monthrange(year, month)[1]:
            return f"{shown} is not a real date; {_HOW}."
        return f"{shown} has a time that cannot be read; {_HOW}, with a 24-hour time."
    return f"{shown} is not a date in a form that can be read; {_HOW}."


def invalid_date(table: Table) -> list[Finding]:
    """A date cell that is not blank but cannot be read as a real date (903 1004/1005)."""
    findings: list[Finding] = []
    for col in table.columns:
        if col.kind not in {"datetime", "date"} or col.name not in table.unreadable:
            continue
        bad = table.unreadable[col.name]
        if col.name == "date_of_birth":
            # A date of birth identifies the child: the row number is enough to find it.
            body: Body = (
                "the date of birth cannot be read as a real date (it is not shown here, to keep "
                "it private); enter it day first as dd/mm/yyyy (or as yyyy-mm-dd)."
            )
        else:
            text = table.text(col.name)

            def body(index: pd.Index, text: pd.Series = text) -> pd.Series:
                values = text.loc[index]
                # One explanation per distinct bad value, not per row.
                return values.map({v: date_problem(v) for v in values.unique()})

        findings += emit("invalid_date", table, bad, col.name, body)
    return findings


def invalid_yes_no(table: Table) -> list[Finding]:
    """A yes/no cell that is not one of yes/no, y/n, true/false, 1/0."""
    findings: list[Finding] = []
    for col in table.columns:
        if col.kind != "bool" or col.name not in table.unreadable:
            continue
        text = table.text(col.name)
        hint = (
            " is not yes or no; enter yes or no (y/n, true/false and 1/0 are read too), "
            f"or map this value in the config under {table.extract.name}: values: {col.name}:."
        )
        findings += emit(
            "invalid_yes_no",
            table,
            table.unreadable[col.name],
            col.name,
            lambda i, text=text, hint=hint: quoted(text.loc[i]) + hint,
        )
    return findings


_CODE_NOUNS = {
    "episode_type": "episode type",
    "placement_area": "placement area",
    "outcome": "RHI outcome",
    "mode": "RHI mode",
    "interviewer_role": "interviewer role",
    "declined_by": "'declined by' value",
}


def unknown_code(table: Table) -> list[Finding]:
    """A coded cell whose value is not canonical after the config's value mapping (903 1006).

    The placement area of a child who is not looked after is ignored (see
    `area_without_looked_after`), so an odd code there does not stop the run.
    """
    findings: list[Finding] = []
    for col in table.columns:
        if col.kind != "category" or not table.present(col.name):
            continue
        text = table.text(col.name)
        bad = text.notna() & ~text.isin(col.allowed)
        if col.name == "placement_area":
            bad &= table.frame["looked_after"].ne(False).fillna(True).astype(bool)
        hint = (
            f" is not a known {_CODE_NOUNS.get(col.name, col.name)}; map it in the config under "
            f"{table.extract.name}: values: {col.name}: to one of {', '.join(col.allowed)}, "
            "or correct the cell."
        )
        near = near_codes(table.extract.mapped_codes.get(col.name, ()))
        where = (
            f"{_CODE_NOUNS.get(col.name, col.name)}",
            f"{table.extract.name}: values: {col.name}:",
        )

        def body(
            index: pd.Index, text: pd.Series = text, hint: str = hint, near=near, where=where
        ) -> pd.Series:
            values = text.loc[index]
            shown = quoted(values)  # a long value is clipped
            tail = values.map({v: _near_hint(v, near, where) or hint for v in values.unique()})
            return shown + tail

        findings += emit("unknown_code", table, bad, col.name, body)
    return findings


# Typographic characters a word processor or a case management system puts in place of the
# keyboard's: curly apostrophes and quotes, and the various dashes.
_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)


def _plain(code: str) -> str:
    """A code with typographic apostrophes, quotes and dashes made plain, case-folded."""
    return " ".join(code.translate(_TYPOGRAPHIC).casefold().split())


def near_codes(mapped: tuple[str, ...]) -> dict[str, str]:
    """The config's codes for a column by their plain form (see `_plain`)."""
    return {_plain(code): code for code in mapped}


def _near_hint(value: str, near: dict[str, str], where: tuple[str, str]) -> str:
    """The message when the value differs from a code the config maps only in its
    apostrophes or dashes (a curly ’ for a straight ', an en dash for a hyphen); "" if not."""
    code = near.get(_plain(value))
    if code is None or code.casefold() == value.casefold():
        return ""
    noun, section = where
    return (
        f" is not a known {noun}, but the config maps '{code}', which differs from it only in "
        f"its apostrophes or dashes; copy the code from the file into the config under "
        f"{section}."
    )


def _repeats(codes: np.ndarray, rows: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Rows whose ID (as `codes`, -1 blank) appeared on an earlier row, and for those, the
    first row with that ID."""
    repeated = pd.Series(_later_repeats(codes), index=rows.index)
    if not repeated.any():
        return repeated, pd.Series(dtype="int64")
    involved = np.isin(codes, np.unique(codes[repeated.to_numpy()]))
    first_rows = rows[involved].groupby(codes[involved]).min()
    return repeated, pd.Series(codes[repeated.to_numpy()], index=rows.index[repeated]).map(
        first_rows
    ).astype("int64")


def duplicate_episode_id(episodes: Table, keys: EpisodeKeys | None = None) -> list[Finding]:
    """An episode ID used on more than one row: the episode would be counted twice.

    `keys` is `episode_keys(episodes, interviews)` when the caller has it already."""
    if not episodes.present("episode_id"):
        return []
    ids = episodes.frame["episode_id"]
    codes = _codes(ids) if keys is None else keys.episodes
    repeated, first = _repeats(codes, episodes.frame[ROW])
    return emit(
        "duplicate_episode_id",
        episodes,
        repeated,
        "episode_id",
        lambda i: (
            quoted(ids.loc[i])
            + " is also the episode ID of row "
            + first.loc[i].astype("str")
            + "; every episode must appear once: delete the repeated row, or correct its ID."
        ),
    )


def duplicate_rhi(interviews: Table, keys: EpisodeKeys | None = None) -> list[Finding]:
    """More than one RHI row for one episode.

    `keys` is `episode_keys(episodes, interviews)` when the caller has it already."""
    if not interviews.present("episode_id"):
        return []
    codes = _codes(interviews.frame["episode_id"]) if keys is None else keys.interviews
    repeated, first = _repeats(codes, interviews.frame[ROW])
    return emit(
        "duplicate_rhi",
        interviews,
        repeated,
        "episode_id",
        lambda i: (
            _episode(interviews, i)
            + " already has an RHI row at row "
            + first.loc[i].astype("str")
            + "; keep one RHI row per episode: delete the extra row, or correct its episode ID."
        ),
    )


def date_after_as_at(table: Table, as_at: date | None) -> list[Finding]:
    """A start, end or RHI date after the as-at date: nothing is dated after the extract."""
    if as_at is None:
        return []
    limit = pd.Timestamp(as_at) + pd.Timedelta(days=1)  # any time on the as-at day is fine
    findings: list[Finding] = []
    for col in table.columns:
        if col.kind != "datetime" or not table.present(col.name):
            continue
        text = table.text(col.name)
        hint = (
            f" is after the as-at date {as_at:%d/%m/%Y}, and nothing can be dated after the "
            "extract was taken; correct the date, or give the date the extract was taken "
            "with --as-at."
        )
        findings += emit(
            "date_after_as_at",
            table,
            table.frame[col.name] >= limit,
            col.name,
            lambda i, text=text, hint=hint: quoted(text.loc[i]) + hint,
        )
    return findings


# ---------------------------------------------------------------------------------------------
# Cross-record and cross-file


def link(episodes: Table, interviews: Table, keys: EpisodeKeys | None = None) -> pd.DataFrame:
    """For each RHI row: whether its episode is known, and that episode's start, end and row.

    Built once and shared by the cross-file rules (pass it as `linked`); an episode ID used
    twice links to its first row (the repeat is a fatal finding of its own). `keys` is
    `episode_keys(episodes, interviews)` when the caller has it already.
    """
    keys = episode_keys(episodes, interviews) if keys is None else keys
    ours, theirs = keys.episodes, keys.interviews
    if len(ours) != len(episodes.frame) or len(theirs) != len(interviews.frame):
        raise ValueError("episode keys were built from other tables")
    # The first episode row of each code (a repeated ID links to its first row).
    first = np.flatnonzero((ours >= 0) & ~_later_repeats(ours))
    codes = int(max(ours.max(initial=-1), theirs.max(initial=-1))) + 1
    # One slot more than there are codes: a blank ID (-1) reads the last slot, never filled.
    row_of_code = np.full(codes + 1, -1, dtype="int64")
    row_of_code[ours[first]] = first
    at = row_of_code[theirs]
    found = at >= 0
    by_digits = _match_without_leading_zeros(episodes, interviews, at, first)
    at = np.where(by_digits >= 0, by_digits, at)
    found = at >= 0
    frame = episodes.frame

    def picked(column: str, dtype: str) -> pd.Series:
        source = frame[column].astype(dtype)
        if source.empty:  # no episodes: nothing links
            return pd.Series(pd.NA, index=interviews.frame.index, dtype=dtype)
        values = source.take(np.where(found, at, 0))
        values.index = interviews.frame.index
        return values.where(found)

    return pd.DataFrame(
        {
            "matched": pd.Series(found, index=interviews.frame.index),
            "by_digits": pd.Series(by_digits >= 0, index=interviews.frame.index),
            "start": picked("start", "datetime64[us]"),
            "end": picked("end", "datetime64[us]"),
            "episode_row": picked(ROW, "Int64"),
        },
        index=interviews.frame.index,
    )


def _digits_key(ids: pd.Series) -> pd.Series:
    """All-digit IDs without their leading zeros ('000123' -> '123'); NA for any other ID."""
    text = ids.astype("str")
    digits = text.str.fullmatch(r"\d+").fillna(False).astype(bool)
    return text.where(digits).str.lstrip("0").replace("", "0")


def _match_without_leading_zeros(
    episodes: Table, interviews: Table, at: np.ndarray, first: np.ndarray
) -> np.ndarray:
    """For each RHI row not matched as written (`at` < 0): the episode row whose all-digit ID
    is the same number, when exactly one episode has it and no other RHI row already links
    to that episode; -1 otherwise. An ID stored as a number in Excel loses its leading zeros,
    which would otherwise drop every RHI row as unknown."""
    result = np.full(len(at), -1, dtype="int64")
    ids = interviews.frame["episode_id"]
    unmatched = (at < 0) & ids.notna().to_numpy(dtype=bool)
    if not unmatched.any():
        return result
    wanted = _digits_key(ids[unmatched])
    if wanted.isna().all():
        return result
    # Only IDs written with a leading zero can be the ones meant.
    written = episodes.frame["episode_id"].iloc[first].reset_index(drop=True)
    zero = written.str.startswith("0").fillna(False).to_numpy(dtype=bool)
    keys = _digits_key(written[zero])
    positions = first[zero]
    valid = keys.notna().to_numpy(dtype=bool)
    keys, positions = keys[valid], positions[valid]
    alone = ~keys.duplicated(keep=False).to_numpy(dtype=bool)
    lookup = pd.Series(np.arange(len(positions))[alone], index=keys[alone].to_numpy())
    target = wanted.map(lookup)
    candidate = np.full(len(at), -1, dtype="int64")
    picked = target.notna().to_numpy(dtype=bool)
    rows = np.flatnonzero(unmatched)[picked]
    candidate[rows] = positions[target[picked].to_numpy(dtype="int64")]
    # Never a second RHI row for one episode: not one linked already, nor two recovered alike.
    taken = set(at[at >= 0].tolist())
    counts = pd.Series(candidate[rows]).value_counts()
    for row in rows:
        episode_row = candidate[row]
        if episode_row not in taken and counts[episode_row] == 1:
            result[row] = episode_row
    return result


def matched(episodes: Table, interviews: Table) -> pd.Series:
    """True for each RHI row whose episode ID is in the episodes extract."""
    return link(episodes, interviews)["matched"]


def rhi_unknown_episode(
    episodes: Table, interviews: Table, linked: pd.DataFrame | None = None
) -> list[Finding]:
    """An RHI row for an episode ID the episodes extract does not have: it is dropped."""
    linked = link(episodes, interviews) if linked is None else linked
    orphan = interviews.frame["episode_id"].notna() & ~linked["matched"]
    return emit(
        "rhi_unknown_episode",
        interviews,
        orphan,
        "episode_id",
        lambda i: (
            _episode(interviews, i)
            + f" is not in {episodes.file}; correct the episode ID, or add the episode to the "
            "episodes extract; until then this RHI row is left out of every figure."
        ),
    )


def rhi_id_without_leading_zeros(
    episodes: Table, interviews: Table, linked: pd.DataFrame | None = None
) -> list[Finding]:
    """An RHI row matched to its episode only once the leading zeros were put back."""
    linked = link(episodes, interviews) if linked is None else linked
    recovered = linked["by_digits"]
    if not recovered.any():
        return []
    rows = linked.loc[recovered, "episode_row"].astype("int64")
    theirs = episodes.frame.set_index(ROW)["episode_id"]
    written = pd.Series(theirs.loc[rows.to_numpy()].to_numpy(), index=rows.index, dtype="str")
    return emit(
        "rhi_id_without_leading_zeros",
        interviews,
        recovered,
        "episode_id",
        lambda i: (
            _episode(interviews, i)
            + f" is not in {episodes.file} as written, but "
            + quoted(written.loc[i])
            + f" is: the leading zeros were lost, as when Excel stores an ID as a number; "
            "it is matched to that episode. Format the column as Text in "
            f"{interviews.file} (or export it as CSV) so the IDs match as written."
        ),
    )


def rhi_mostly_unmatched(
    episodes: Table, interviews: Table, linked: pd.DataFrame | None = None
) -> list[Finding]:
    """More than a small share of RHI rows match no episode: never a quiet drop of most."""
    linked = link(episodes, interviews) if linked is None else linked
    named = interviews.frame["episode_id"].notna()
    orphan = named & ~linked["matched"]
    lost, total = int(orphan.sum()), int(named.sum())
    if lost < UNMATCHED_ROWS or lost <= UNMATCHED_SHARE * total:
        return []
    examples = ", ".join(quoted(interviews.frame.loc[orphan, "episode_id"].head(3)).tolist())
    return [
        _file_finding(
            "rhi_mostly_unmatched",
            interviews,
            "episode_id",
            f"{interviews.file}: {lost:,} of its {total:,} RHI rows ({lost / total:.0%}) name "
            f"episode IDs that are not in {episodes.file} (for example {examples}); check that "
            "both extracts come from the same system and period and write the episode IDs the "
            "same way. The run stops, because every RHI figure would be wrong.",
        )
    ]


_DID_NOT_HAPPEN = (
    " is a time no UK clock showed (that night the clocks went forward from {0} to {1}); "
    "check it; meanwhile it is read as if the clocks had not yet gone forward."
)
_HAPPENED_TWICE = (
    " happened twice (that night the clocks went back from {0} to {1}); it is read as "
    "the first, in summer time, so an elapsed time from or to it is an hour out if it "
    "was the second."
)


def local_times(table: Table) -> list[Finding]:
    """Date-times that did not happen, or happened twice, on UK clocks (time_did_not_happen,
    time_happened_twice): both rules from one look at each column."""
    findings: list[Finding] = []
    for col in table.columns:
        if col.kind != "datetime" or not table.present(col.name):
            continue
        stamps = table.frame[col.name]
        masks = unusual_wall_times(stamps.to_numpy(dtype="datetime64[us]"))
        text = table.text(col.name)
        for rule, mask, what in zip(
            ("time_did_not_happen", "time_happened_twice"),
            masks,
            (_DID_NOT_HAPPEN, _HAPPENED_TWICE),
            strict=True,
        ):
            if not mask.any():
                continue

            def body(
                index: pd.Index, text: pd.Series = text, stamps: pd.Series = stamps, what=what
            ) -> pd.Series:
                shown = stamps.loc[index].map(
                    lambda s, what=what: what.format(*change_at(np.datetime64(s, "us")))
                )
                return quoted(text.loc[index]) + shown

            findings += emit(rule, table, pd.Series(mask, index=stamps.index), col.name, body)
    return findings


def time_did_not_happen(table: Table) -> list[Finding]:
    """A UK clock time skipped when British Summer Time starts (01:00 to 02:00)."""
    return [f for f in local_times(table) if f.rule == "time_did_not_happen"]


def time_happened_twice(table: Table) -> list[Finding]:
    """A UK clock time shown twice when British Summer Time ends (01:00 to 02:00)."""
    return [f for f in local_times(table) if f.rule == "time_happened_twice"]


def end_before_start(episodes: Table) -> list[Finding]:
    """An episode whose end is before its start (903 rule 567)."""
    frame = episodes.frame
    return emit(
        "end_before_start",
        episodes,
        frame["end"] < frame["start"],
        "end",
        lambda i: (
            quoted(episodes.text("end").loc[i])
            + " is before the start "
            + quoted(episodes.text("start").loc[i])
            + " of "
            + _episode(episodes, i)
            + "; correct whichever date is wrong; until then the episode is counted as returned "
            "but left out of the duration bands, and its RHI out of the 72-hour measure."
        ),
    )


# An end date later than any real one: an open episode has not ended.
_NEVER = pd.Timestamp("9999-12-31").as_unit("us")


def overlapping_episodes(episodes: Table) -> list[Finding]:
    """A child's episode starting while an earlier one is open or not yet ended (903 rule 574).

    Episodes are compared with every earlier episode of the same child, not only the one just
    before: the running latest end per child catches a long open episode.
    """
    frame = episodes.frame
    usable = frame["child_id"].notna() & frame["start"].notna()
    # An unreadable end is already a fatal finding; read as "still open" it would make every
    # later episode of the child look like an overlap.
    end_unreadable = episodes.unreadable.get("end")
    if end_unreadable is not None:
        usable &= ~end_unreadable
    part = frame.loc[usable, ["start", "end", "episode_id", ROW]]
    if part.empty:
        return []
    # Integer codes sort far faster than text IDs.
    child = pd.factorize(frame.loc[usable, "child_id"])[0]
    start = part["start"].to_numpy(dtype="datetime64[us]").view("int64")
    order = np.lexsort((part[ROW].to_numpy(dtype="int64"), start, child))
    part, child, start = part.iloc[order], child[order], start[order]
    # An open episode never ends; an end before the start is read as ending at the start.
    sane = (part["end"].isna() | (part["end"] >= part["start"])).to_numpy(dtype=bool)
    ends = part["end"].fillna(_NEVER).to_numpy(dtype="datetime64[us]").view("int64")
    reach = np.where(sane, ends, start)
    running, holder = _running_latest(child, reach)
    # Each child's rows are together (sorted by child, then start): the row before is the
    # same child's previous episode unless a new child begins.
    same_child = np.r_[False, child[1:] == child[:-1]]
    clash = same_child & (start < np.r_[0, running[:-1]])
    if not clash.any():
        return []
    later = part.index[clash]
    other = part.iloc[np.r_[0, holder[:-1]][clash]]
    ended = pd.Series(uk(other["end"]).to_numpy(), index=later, dtype="str")
    open_ = pd.Series(other["end"].isna().to_numpy(), index=later)
    detail = (" (it ended " + ended + ")").mask(open_, " (it has no end date)")
    other_id = pd.Series(other["episode_id"].to_numpy(), index=later, dtype="str")
    other_row = pd.Series(other[ROW].to_numpy(), index=later).astype("str")
    mask = pd.Series(False, index=frame.index)
    mask.loc[later] = True
    return emit(
        "overlapping_episodes",
        episodes,
        mask,
        "start",
        lambda i: (
            _episode(episodes, i)
            + " starts "
            + quoted(episodes.text("start").loc[i])
            + ", before the same child's episode "
            + quoted(other_id.loc[i])
            + " (row "
            + other_row.loc[i]
            + ") had ended"
            + detail.loc[i]
            + "; correct the dates, or merge the two rows if they are one episode; "
            "both are counted."
        ),
    )


def _running_latest(groups: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Down rows sorted by group: the latest value so far in each row's group, and the
    position of the last row that raised it (a row holding the latest value raises it)."""
    # Ranked, so one running maximum over (group, rank) serves every group at once: a later
    # group's ranks all lie above an earlier group's.
    distinct, rank = np.unique(values, return_inverse=True)
    start_of_group = np.r_[True, groups[1:] != groups[:-1]]
    group_number = np.cumsum(start_of_group) - 1
    offset = group_number * (len(distinct) + 1)
    best = np.maximum.accumulate(offset + rank) - offset
    raised = np.where(rank == best, np.arange(len(values)), -1)
    return distinct[best], np.maximum.accumulate(raised)


def start_before_birth(episodes: Table) -> list[Finding]:
    """An episode starting before the child's date of birth (903 rule 586)."""
    frame = episodes.frame
    return emit(
        "start_before_birth",
        episodes,
        frame["date_of_birth"] > frame["start"],
        "date_of_birth",
        lambda i: (
            "the date of birth is after the start of "
            + _episode(episodes, i)
            + " (neither date is shown here, to keep the child's details private); correct "
            "whichever is wrong; until then the episode is counted with the child's age not known."
        ),
    )


def looked_after_without_area(episodes: Table) -> list[Finding]:
    """A looked-after episode with no placement area (when the column is held at all: a
    column that is not held is one `column_not_held` finding instead)."""
    if not episodes.held("placement_area"):
        return []
    looked_after = episodes.frame["looked_after"].eq(True).fillna(False)
    return emit(
        "looked_after_without_area",
        episodes,
        looked_after & episodes.text("placement_area").isna(),
        "placement_area",
        lambda i: (
            _episode(episodes, i)
            + " is of a looked-after child but has no placement area; enter where the child was "
            "placed (in area or out of area); until then it counts as looked after but in neither "
            "the in-area nor the out-of-area figures."
        ),
    )


def area_without_looked_after(episodes: Table) -> list[Finding]:
    """A placement area on an episode of a child who is not looked after: it is ignored."""
    text = episodes.text("placement_area")
    not_looked_after = episodes.frame["looked_after"].eq(False).fillna(False)
    return emit(
        "area_without_looked_after",
        episodes,
        not_looked_after & text.notna(),
        "placement_area",
        lambda i: (
            _episode(episodes, i)
            + " is of a child who is not looked after but has the placement area "
            + quoted(text.loc[i])
            + "; clear the cell, or correct the looked-after status; until then the area is "
            "ignored."
        ),
    )


OFFERED = ("completed", "declined", "pending")


def ongoing_with_rhi_outcome(
    episodes: Table, interviews: Table, linked: pd.DataFrame | None = None
) -> list[Finding]:
    """An RHI outcome other than not offered for an episode with no end (still missing)."""
    linked = link(episodes, interviews) if linked is None else linked
    outcome = interviews.frame["outcome"]
    ongoing = outcome.isin(OFFERED) & linked["matched"] & linked["end"].isna()
    return emit(
        "ongoing_with_rhi_outcome",
        interviews,
        ongoing,
        "outcome",
        lambda i: (
            quoted(outcome.loc[i])
            + " is recorded for "
            + _episode(interviews, i)
            + f", but the episode has no end date in {episodes.file} (row "
            + linked.loc[i, "episode_row"].astype("str")
            + "), so the child is recorded as still missing; enter the end date if the child has "
            "returned; until then this RHI is left out of every RHI figure."
        ),
    )


def _completed_without(
    rule: str,
    interviews: Table,
    linked: pd.DataFrame,
    column: str,
    what: str,
    meanwhile: str,
) -> list[Finding]:
    if not interviews.held(column):
        return []  # one `column_not_held` finding for the column instead of one per row
    missing = interviews.text(column).isna()
    if column in interviews.unreadable:
        missing &= ~interviews.unreadable[column]  # an unreadable date is its own finding
    completed = interviews.frame["outcome"].eq("completed").fillna(False)
    return emit(
        rule,
        interviews,
        completed & missing & linked["matched"],
        column,
        lambda i: (
            "the RHI for "
            + _episode(interviews, i)
            + f" is completed but has no {what}; enter it; until then it is counted as completed "
            f"but {meanwhile}."
        ),
    )


def completed_without_date(
    episodes: Table, interviews: Table, linked: pd.DataFrame | None = None
) -> list[Finding]:
    """A completed RHI with no completed date: it leaves the 72-hour measure."""
    return _completed_without(
        "completed_without_date",
        interviews,
        link(episodes, interviews) if linked is None else linked,
        "completed_at",
        "completed date",
        "left out of the 72-hour measure",
    )


def completed_without_mode(
    episodes: Table, interviews: Table, linked: pd.DataFrame | None = None
) -> list[Finding]:
    """A completed RHI with no mode: it is not counted as face to face."""
    return _completed_without(
        "completed_without_mode",
        interviews,
        link(episodes, interviews) if linked is None else linked,
        "mode",
        "mode (face to face, telephone or video)",
        "not as face to face",
    )


def completed_without_role(
    episodes: Table, interviews: Table, linked: pd.DataFrame | None = None
) -> list[Finding]:
    """A completed RHI with no interviewer role: it is not counted as independent."""
    return _completed_without(
        "completed_without_role",
        interviews,
        link(episodes, interviews) if linked is None else linked,
        "interviewer_role",
        "interviewer role",
        "not as independent",
    )


def completed_before_end(
    episodes: Table, interviews: Table, linked: pd.DataFrame | None = None
) -> list[Finding]:
    """An RHI completed before the child returned: it leaves the 72-hour measure."""
    linked = link(episodes, interviews) if linked is None else linked
    return emit(
        "completed_before_end",
        interviews,
        interviews.frame["completed_at"] < linked["end"],
        "completed_at",
        lambda i: (
            quoted(interviews.text("completed_at").loc[i])
            + " is before the child returned ("
            + uk(linked.loc[i, "end"])
            + f", {episodes.file} row "
            + linked.loc[i, "episode_row"].astype("str")
            + ") for "
            + _episode(interviews, i)
            + "; correct whichever date is wrong; until then the RHI is counted as completed but "
            "left out of the 72-hour measure."
        ),
    )


def unknown_risks(risks: pd.Series) -> pd.Series:
    """For each risks cell, its items that are not canonical codes, `;`-joined (NA if none)."""
    present = risks.dropna()
    if present.empty:
        return pd.Series(pd.NA, index=risks.index, dtype="str")
    items = present.str.split(";").explode()
    odd = items[(items.str.len() > 0) & ~items.isin(RISKS)]
    if odd.empty:
        return pd.Series(pd.NA, index=risks.index, dtype="str")
    return odd.groupby(level=0).agg(";".join).reindex(risks.index).astype("str")


def unknown_risk(interviews: Table) -> list[Finding]:
    """A risk that is not a canonical risk code: it is counted as `other`."""
    odd = unknown_risks(interviews.text("risks"))
    return emit(
        "unknown_risk",
        interviews,
        odd.notna(),
        "risks",
        lambda i: (
            quoted(odd.loc[i])
            + " is not a known risk; map it in the config under interviews: values: risks: to one "
            f"of {', '.join(RISKS)}, or correct the cell; until then it is counted as other."
        ),
    )


# Optional columns that some measure needs, by extract: a column not held is reported once.
MEASURE_COLUMNS: dict[str, tuple[str, ...]] = {
    "episodes": ("end", "looked_after", "placement_area"),
    "interviews": (
        "outcome",
        "notified_at",
        "assigned_at",
        "completed_at",
        "mode",
        "interviewer_role",
    ),
}


def column_not_held(table: Table) -> list[Finding]:
    """One finding per column a measure needs that the run does not hold (absent, or blank
    in every row); with no interviews extract at all, one finding for the whole extract."""
    extract = table.extract
    if not extract.provided:
        return [
            _file_finding(
                "column_not_held",
                table,
                None,
                "No interviews extract was given and the episodes extract holds no RHI flags, "
                "so no return home interview measure is recorded; give the interviews "
                "extract (interviews: path: in the config, or --interviews FILE), or name the "
                "RHI flags under episodes: rhi_flags:, to report them.",
            )
        ]
    findings = []
    for name in MEASURE_COLUMNS[extract.name]:
        if table.held(name) or (name == "outcome" and not len(extract.frame)):
            continue
        meaning = next((c.meaning for c in table.columns if c.name == name), "")
        about = f" ({meaning})" if meaning else ""
        if name in extract.frame.columns:
            what = f"{where(table, name)} is blank in every row"
        else:
            what = f"has no column for '{name}'{about}"
        if extract.from_flags:
            what = f"has RHI flags but no '{name}'{about}"
            fix = "it comes only from a local RHI record: give an interviews extract to report them"
        else:
            fix = f"export the column and map it under {extract.name}: columns: to report them"
        findings.append(
            _file_finding(
                "column_not_held",
                table,
                name,
                f"{table.file}: {what}, so the measures that need it are not recorded "
                f"([x] in the paper, never 0); {fix}.",
            )
        )
    return findings


def run_rules(
    episodes: Table,
    interviews: Table,
    as_at: date | None,
    linked: pd.DataFrame | None = None,
    keys: EpisodeKeys | None = None,
) -> list[Finding]:
    """Every rule over both extracts (listing order is the caller's: see summary.order).

    `linked` is `link(episodes, interviews)` and `keys` `episode_keys(episodes, interviews)`
    when the caller has them already.
    """
    keys = episode_keys(episodes, interviews) if keys is None else keys
    both = (episodes, interviews)
    findings: list[Finding] = []
    for table in both:
        findings += missing_column(table)
    findings += no_episodes(episodes)
    for rule in (blank_required, invalid_date, invalid_yes_no, unknown_code):
        for table in both:
            findings += rule(table)
    findings += duplicate_episode_id(episodes, keys)
    findings += duplicate_rhi(interviews, keys)
    for table in both:
        findings += date_after_as_at(table, as_at)
        findings += local_times(table)
    for episode_rule in (
        end_before_start,
        overlapping_episodes,
        start_before_birth,
        looked_after_without_area,
        area_without_looked_after,
    ):
        findings += episode_rule(episodes)
    linked = link(episodes, interviews, keys) if linked is None else linked
    for cross_rule in (
        rhi_unknown_episode,
        rhi_id_without_leading_zeros,
        rhi_mostly_unmatched,
        ongoing_with_rhi_outcome,
        completed_without_date,
        completed_without_mode,
        completed_without_role,
        completed_before_end,
    ):
        findings += cross_rule(episodes, interviews, linked)
    findings += unknown_risk(interviews)
    for table in both:
        findings += column_not_held(table)
    return findings
