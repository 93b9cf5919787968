"""Loading messy and one-file exports (pipeline.load, the "Layout" block): the header below
title rows, totals and footer lines, blank markers, two-digit years, SQL Server date-times,
columns the config builds, and the RHI record from offered/accepted flags."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from pipeline.config import ExtractConfig, RhiFlags
from pipeline.errors import UsageError
from pipeline.load import FLAG_OUTCOMES, interviews_from_flags, load_extract, no_interviews
from pipeline.quality.validate import type_table

COLUMNS = {
    "Episode ID": "episode_id",
    "Person ID": "child_id",
    "Start": "start",
    "End": "end",
    "Legal Status": "looked_after",
}
SPEC = ExtractConfig(columns=COLUMNS)
HEADER = "Episode ID,Person ID,Start,End,Legal Status"


def _csv(tmp_path: Path, text: str, name: str = "episodes.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_header_found_below_title_rows_in_a_csv(tmp_path):
    text = (
        "Missing episodes report,,,,\n"
        "Run on 10/07/2026,,,,\n"
        ",,,,\n"
        f"{HEADER}\n"
        "E1,C1,03/04/2026,04/04/2026,yes\n"
        "E2,C2,05/04/2026,,no\n"
    )
    raw = load_extract("episodes", _csv(tmp_path, text), SPEC)
    # Three rows above the header: it is row 4, so E1 is row 5 and E2 row 6.
    assert raw.header_row == 4
    assert raw.frame["row"].tolist() == [5, 6]
    assert raw.frame["episode_id"].tolist() == ["E1", "E2"]
    assert raw.missing_columns == []


def test_title_row_with_fewer_fields_than_the_data(tmp_path):
    # A title line with a single field (no trailing commas) above the header.
    text = f"Missing episodes\n{HEADER}\nE1,C1,03/04/2026,04/04/2026,yes\n"
    raw = load_extract("episodes", _csv(tmp_path, text), SPEC)
    assert (raw.header_row, raw.frame["row"].tolist()) == (2, [3])


def test_header_found_below_merged_title_rows_in_a_workbook(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Episodes"
    sheet["A1"] = "Children missing: quarterly extract"
    sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(HEADER.split(","))
    sheet.append(["E1", "C1", "03/04/2026", "04/04/2026", "yes"])
    path = tmp_path / "episodes.xlsx"
    book.save(path)
    raw = load_extract("episodes", path, SPEC)
    # Title row 1 (merged), blank row 2, header row 3, E1 row 4.
    assert (raw.header_row, raw.frame["row"].tolist()) == (3, [4])
    assert raw.frame["child_id"].tolist() == ["C1"]


def test_header_row_can_be_configured(tmp_path):
    # Row 1 names a canonical column, so it would be taken as the header; the config says 2.
    text = f"start,note\n{HEADER}\nE1,C1,03/04/2026,04/04/2026,yes\n"
    spec = ExtractConfig(columns=COLUMNS, header_row=2)
    raw = load_extract("episodes", _csv(tmp_path, text), spec)
    assert (raw.header_row, raw.frame["row"].tolist()) == (2, [3])


def test_totals_and_footer_lines_are_left_out_and_reported_once(tmp_path):
    text = (
        f"{HEADER}\n"
        "E1,C1,03/04/2026,04/04/2026,yes\n"
        "E2,C2,05/04/2026,,no\n"
        "Total,2,,,\n"
        ",,,,\n"
        "(2 rows affected),,,,\n"
    )
    raw = load_extract("episodes", _csv(tmp_path, text), SPEC)
    assert raw.frame["episode_id"].tolist() == ["E1", "E2"]
    [finding] = raw.findings
    assert (finding.rule, finding.row, finding.severity) == ("footer_rows", None, "warning")
    assert finding.message == (
        "episodes.csv: rows 4 to 6 at the foot of the file look like totals or notes, not "
        "records ('Total'); they are left out of every figure."
    )


def test_a_record_that_merely_mentions_total_is_kept(tmp_path):
    # Only lines at the foot whose first cell is a total or note are footers.
    text = f"{HEADER}\nTotal-1,C1,03/04/2026,04/04/2026,yes\n"
    raw = load_extract("episodes", _csv(tmp_path, text), SPEC)
    assert raw.frame["episode_id"].tolist() == ["Total-1"]
    assert raw.findings == []


def test_configured_blank_markers_are_blank(tmp_path):
    text = (
        f"{HEADER}\nE1,C1,03/04/2026,NULL,yes\nE2,C2,05/04/2026,N/A,no\nE3,C3,06/04/2026, - ,no\n"
    )
    spec = ExtractConfig(columns=COLUMNS, blank_values=["NULL", "N/A", "-"])
    raw = load_extract("episodes", _csv(tmp_path, text), spec)
    assert raw.frame["end"].isna().tolist() == [True, True, True]
    # Without the setting NULL is text, reported as an unreadable date by the checks.
    plain = load_extract("episodes", _csv(tmp_path, text), SPEC)
    _, unreadable = type_table(plain).frame, type_table(plain).unreadable
    assert unreadable["end"].tolist() == [True, True, True]


def test_two_digit_years_need_a_century_rule(tmp_path):
    text = f"{HEADER}\nE1,C1,24/04/17,25/04/17 09:30,yes\nE2,C2,01/01/75,,yes\n"
    spec = ExtractConfig(columns=COLUMNS, two_digit_year_pivot=50)
    typed = type_table(load_extract("episodes", _csv(tmp_path, text), spec)).frame
    # Pivot 50: 17 is below it, so 2017; 75 is not, so 1975.
    assert typed["start"].tolist() == [pd.Timestamp("2017-04-24"), pd.Timestamp("1975-01-01")]
    assert typed["end"].tolist()[0] == pd.Timestamp("2017-04-25 09:30")
    # Without a rule the century is never guessed: the cells are unreadable.
    table = type_table(load_extract("episodes", _csv(tmp_path, text), SPEC))
    assert table.unreadable["start"].tolist() == [True, True]


def test_sql_server_datetimes_with_milliseconds(tmp_path):
    text = f"{HEADER}\nE1,C1,2026-04-03 14:30:00.000,2026-04-04 09:15:30.250,yes\n"
    typed = type_table(load_extract("episodes", _csv(tmp_path, text), SPEC)).frame
    assert typed["start"].tolist() == [pd.Timestamp("2026-04-03 14:30")]
    assert typed["end"].tolist() == [pd.Timestamp("2026-04-04 09:15:30.250")]


def test_derived_constant_and_default_columns(tmp_path):
    text = "CHILD,MIS_START,MIS_END,MISSING\nC1,03/04/2026,04/04/2026,\nC1,10/04/2026,,A\n"
    spec = ExtractConfig(
        columns={
            "CHILD": "child_id",
            "MIS_START": "start",
            "MIS_END": "end",
            "MISSING": "episode_type",
        },
        values={"episode_type": {"M": "missing", "A": "away"}},
        derived={"episode_id": ["child_id", "start"]},
        constants={"looked_after": "yes"},
        defaults={"episode_type": "M"},
    )
    raw = load_extract("episodes", _csv(tmp_path, text), spec)
    # The ID joins the child and the start as written; a blank type takes the default M,
    # which the value mapping then reads as missing.
    assert raw.frame["episode_id"].tolist() == ["C1 03/04/2026", "C1 10/04/2026"]
    assert raw.frame["looked_after"].tolist() == ["yes", "yes"]
    assert raw.frame["episode_type"].tolist() == ["missing", "away"]
    assert raw.missing_columns == []
    assert raw.header("episode_id") == "CHILD + MIS_START"


def test_two_columns_mapping_to_one_canonical_column_are_both_named(tmp_path):
    text = "Episode ID,Ref,Person ID,Start,Legal Status\nE1,R1,C1,03/04/2026,yes\n"
    spec = ExtractConfig(columns={**COLUMNS, "Ref": "episode_id"})
    with pytest.raises(UsageError) as caught:
        load_extract("episodes", _csv(tmp_path, text), spec)
    assert caught.value.messages == [
        "episodes.csv: two columns map to 'episode_id': 'Episode ID' and 'Ref'. "
        "Remove one from the file, or correct the column mapping in the config."
    ]


# ---------------------------------------------------------------------------------------------
# The RHI record from offered / accepted flags on the episode rows

FLAGS = RhiFlags(offered="Offered", accepted="Accepted")


def _flagged(tmp_path: Path, pairs: list[tuple[str, str]], **extra: object) -> object:
    lines = [f"{HEADER},Offered,Accepted"]
    for i, (offered, accepted) in enumerate(pairs, start=1):
        lines.append(f"E{i},C{i},03/04/2026,04/04/2026,yes,{offered},{accepted}")
    spec = ExtractConfig(columns=COLUMNS, rhi_flags=FLAGS, **extra)  # type: ignore[arg-type]
    episodes = load_extract("episodes", _csv(tmp_path, "\n".join(lines) + "\n"), spec)
    return interviews_from_flags(episodes, spec)


def test_outcome_from_flags_follows_the_documented_table(tmp_path):
    pairs = [
        ("Y", "Y"),  # E1 offered, accepted: completed (shown as accepted)
        ("Yes", "No"),  # E2 offered, not accepted: declined
        ("y", "NA"),  # E3 offered, acceptance not known: pending
        ("N", ""),  # E4 not offered
        ("No", "Yes"),  # E5 not offered wins over an accepted flag
        ("NULL", "Y"),  # E6 offer not recorded but accepted: completed
        ("NA", "N"),  # E7 neither known: no record (not offered)
        ("", ""),  # E8 blank: no record
    ]
    rhi = _flagged(tmp_path, pairs)
    assert rhi.frame["episode_id"].tolist() == ["E1", "E2", "E3", "E4", "E5", "E6"]
    assert rhi.frame["outcome"].tolist() == [
        "completed",
        "declined",
        "pending",
        "not_offered",
        "not_offered",
        "completed",
    ]
    assert rhi.frame["row"].tolist() == [2, 3, 4, 5, 6, 7]
    assert rhi.held == frozenset({"episode_id", "outcome"})
    assert rhi.findings == []


def test_every_flag_pair_has_an_outcome():
    words = ("yes", "no", "unknown")
    assert set(FLAG_OUTCOMES) == {(a, b) for a in words for b in words}


def test_an_unreadable_flag_is_fatal_and_named(tmp_path):
    rhi = _flagged(tmp_path, [("Y", "Y"), ("maybe", "N")])
    [finding] = rhi.findings
    assert (finding.severity, finding.row, finding.rule) == ("fatal", 3, "unknown_code")
    assert finding.message == (
        "episodes.csv row 3, column 'Offered': 'maybe' is not a yes/no flag; map it in the "
        "config under episodes: rhi_flags: values: to yes, no or unknown, or correct the cell."
    )


def test_flag_codes_can_be_mapped(tmp_path):
    # Annex A style answers.
    values = {"a) Yes": "yes", "b) No": "no"}
    flags = RhiFlags(offered="Offered", accepted="Accepted", values=values)
    lines = [f"{HEADER},Offered,Accepted", "E1,C1,03/04/2026,04/04/2026,yes,a) Yes,b) No"]
    spec = ExtractConfig(columns=COLUMNS, rhi_flags=flags)
    episodes = load_extract("episodes", _csv(tmp_path, "\n".join(lines) + "\n"), spec)
    assert interviews_from_flags(episodes, spec).frame["outcome"].tolist() == ["declined"]


def test_a_missing_flag_column_names_the_headers_found(tmp_path):
    spec = ExtractConfig(columns=COLUMNS, rhi_flags=RhiFlags(offered="RHI Offered"))
    with pytest.raises(UsageError) as caught:
        load_extract("episodes", _csv(tmp_path, f"{HEADER}\nE1,C1,03/04/2026,,yes\n"), spec)
    assert caught.value.messages == [
        "episodes.csv: has no column 'RHI Offered', which the config names under episodes: "
        "rhi_flags: offered:; correct the header (its headers are: Episode ID, Person ID, "
        "Start, End, Legal Status)."
    ]


def test_no_interviews_extract_holds_nothing(tmp_path):
    episodes = load_extract("episodes", _csv(tmp_path, f"{HEADER}\nE1,C1,03/04/2026,,yes\n"), SPEC)
    none = no_interviews(episodes)
    assert (none.provided, none.held, len(none.frame)) == (False, frozenset(), 0)
    # The episodes file holds what it has, and not the column blank in its only row.
    assert episodes.held == frozenset({"episode_id", "child_id", "start", "looked_after"})


# ---------------------------------------------------------------------------------------------
# Files that cannot be read as asked


def test_a_workbook_whose_header_was_not_found_says_which_headers_it_has(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "RHI"
    sheet.append(["Ref", "Who", "When"])
    sheet.append(["E1", "C1", "03/04/2026"])
    path = tmp_path / "episodes.xlsx"
    book.save(path)
    raw = load_extract("episodes", path, ExtractConfig(columns=COLUMNS, sheet="RHI"))
    from pipeline.quality import rules

    [finding] = rules.missing_column(type_table(raw))
    assert finding.message == (
        "episodes.xlsx: no header row naming the columns in the config was found on its sheet "
        "'RHI' in its first 30 rows; row 1 has 'Ref', 'Who', 'When'; map those headers under "
        "episodes: columns:, or give the header's row as header_row: (or the sheet as sheet:)."
    )


def test_an_annex_a_list_8_file_gets_one_sentence(tmp_path):
    text = (
        "Child Unique ID,Number of missing episodes,"
        "Offered a return interview after the last missing episode,Accepted\n"
        "C1,3,a) Yes,b) No\n"
    )
    with pytest.raises(UsageError) as caught:
        load_extract("episodes", _csv(tmp_path, text, "list8.csv"), ExtractConfig())
    assert caught.value.messages == [
        "list8.csv: looks like an Ofsted Annex A List 8 (one row per child, with the number of "
        "missing episodes and the last episode only, and no episode dates), which cannot make "
        "this paper, as no episode can be placed in a quarter; export your system's "
        "episode-level missing table instead (docs/inputs.md, 'Ofsted Annex A List 8')."
    ]
