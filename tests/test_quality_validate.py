"""The validation stage: typing, the joined episode table, treatments, as-at, and stopping."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from quality_fixtures import CONFIG, episode, extract, interview

from pipeline.dataset import EPISODE_TABLE_COLUMNS
from pipeline.errors import DataError
from pipeline.quality.validate import FatalFindings, validate

ROOT = Path(__file__).resolve().parents[1]

# Small fixtures hold few of the optional columns: each gives one column_not_held finding
# (tested in test_quality_rules), left out here to compare the other rules' findings.
NOT_HELD = "column_not_held"


def run(episodes, interviews, as_at=None):
    return validate(
        extract("episodes", episodes), extract("interviews", interviews), config=CONFIG, as_at=as_at
    )


def by_id(dataset):
    return dataset.episodes.set_index("episode_id")


def test_joined_table_columns_and_types():
    d = run(
        [
            episode("E1", looked_after="yes", placement_area="out_of_area", reported_to_police="Y"),
            episode("E2", "C2", episode_type="away", date_of_birth="01/02/2012"),
        ],
        [interview("E1", notified_at="04/04/2026 12:00")],
    )
    frame = d.episodes
    assert list(frame.columns) == list(EPISODE_TABLE_COLUMNS)
    for name in (
        "start",
        "end",
        "date_of_birth",
        "notified_at",
        "assigned_at",
        "offered_at",
        "completed_at",
    ):
        assert frame[name].dtype == "datetime64[us]", name
    for name in ("looked_after", "has_rhi_row", "timeliness_excluded", "duration_excluded"):
        assert frame[name].dtype == bool, name
    assert frame["reported_to_police"].dtype == "boolean"
    assert frame["row"].dtype == "int64"
    for name in (
        "episode_id",
        "child_id",
        "episode_type",
        "placement_area",
        "outcome",
        "mode",
        "risks",
        "sex",
    ):
        assert frame[name].dtype == "str", name
    e1, e2 = by_id(d).loc["E1"], by_id(d).loc["E2"]
    assert (e1["start"], e1["end"]) == (
        pd.Timestamp("2026-04-03 10:00"),
        pd.Timestamp("2026-04-04 10:00"),
    )
    assert e1["notified_at"] == pd.Timestamp("2026-04-04 12:00")
    assert e2["date_of_birth"] == pd.Timestamp("2012-02-01")
    assert bool(e1["looked_after"]) and not bool(e2["looked_after"])
    assert e1["reported_to_police"] == True  # noqa: E712 (pandas boolean scalar)
    assert pd.isna(e2["reported_to_police"])
    assert (e1["placement_area"], e2["episode_type"]) == ("out_of_area", "away")
    assert frame["row"].tolist() == [2, 3]


def test_defaults_episode_type_missing_and_no_rhi_row_not_offered():
    d = run([episode("E1"), episode("E2", "C2")], [interview("E1")])
    t = by_id(d)
    assert t["episode_type"].tolist() == ["missing", "missing"]
    assert t["has_rhi_row"].tolist() == [True, False]
    assert t["outcome"].tolist() == ["completed", "not_offered"]
    assert [f for f in d.findings if f.rule != NOT_HELD] == []
    assert (d.episode_rows, d.interview_rows) == (2, 1)


def test_as_at_defaults_to_latest_datetime_in_either_extract():
    # Latest: E1 end 04/04; RHI completed 09/04 10:00 -> 9 April. Dates of birth don't count.
    d = run(
        [episode("E1", date_of_birth="01/01/2030")],
        [interview("E1", completed_at="09/04/2026 10:00")],
    )
    assert d.as_at == date(2026, 4, 9)
    # The date of birth after the start is a warning, not a new as-at.
    assert [f.rule for f in d.findings if f.rule != NOT_HELD] == ["start_before_birth"]


def test_explicit_as_at_is_kept_and_dates_after_it_are_fatal():
    eps = [episode("E1", start="03/04/2026 10:00", end="04/04/2026 10:00")]
    assert run(eps, [], as_at=date(2026, 7, 14)).as_at == date(2026, 7, 14)
    with pytest.raises(FatalFindings) as caught:
        run(eps, [], as_at=date(2026, 4, 3))
    # The end (4 April) is after 3 April; the start (3 April 10:00) is on the as-at day.
    [message] = caught.value.messages
    assert message.startswith(
        "episodes.csv row 2, column 'Missing End Date' (end): '04/04/2026 10:00' is after"
    )


def test_fatal_findings_stop_with_exit_status_1_and_list_only_fatal_messages():
    with pytest.raises(DataError) as caught:
        run(
            [episode("E1", start="31/02/2026 10:00"), episode("E2", end="01/04/2026 10:00")],
            [interview("E9")],
        )
    err = caught.value
    assert isinstance(err, FatalFindings) and err.exit_status == 1
    assert len(err.messages) == 1 and "'31/02/2026 10:00' is not a real date" in err.messages[0]
    # Every finding is kept on the error, warnings included, for `validate` to tabulate.
    # (E1's unreadable start takes it out of the overlap check, so E2 overlaps nothing.)
    assert {f.rule for f in err.findings if f.rule != NOT_HELD} == {
        "invalid_date",
        "end_before_start",
        "rhi_unknown_episode",
    }


def test_missing_column_is_fatal_even_with_no_rows():
    with pytest.raises(FatalFindings) as caught:
        validate(
            extract("episodes", [], columns=["episode_id", "child_id", "start"]),
            extract("interviews", [], columns=["episode_id", "outcome"]),
            config=CONFIG,
            as_at=None,
        )
    assert [f.rule for f in caught.value.findings if f.rule != NOT_HELD] == [
        "missing_column",
        "no_episodes",
    ]


def test_rhi_for_unknown_episode_is_dropped_but_kept_in_interviews():
    d = run([episode("E1")], [interview("E9")])
    assert by_id(d).loc["E1", "has_rhi_row"] == False  # noqa: E712 (numpy bool)
    assert by_id(d).loc["E1", "outcome"] == "not_offered"
    assert d.interviews["matched"].tolist() == [False]
    assert d.interviews["row"].tolist() == [2]
    assert [f.rule for f in d.findings if f.rule != NOT_HELD] == ["rhi_unknown_episode"]


def test_end_before_start_leaves_duration_and_timeliness_but_is_counted_returned():
    d = run(
        [episode("E1", start="03/04/2026 10:00", end="02/04/2026 10:00"), episode("E2", "C2")],
        [interview("E1"), interview("E2")],
    )
    t = by_id(d)
    assert t["duration_excluded"].tolist() == [True, False]
    assert t["timeliness_excluded"].tolist() == [True, False]
    assert t.loc["E1", "end"] == pd.Timestamp("2026-04-02 10:00")  # kept: still returned


def test_timeliness_treatments():
    # E1 completed before the return; E2 completed with no date; E3 fine; E4 ongoing pending.
    d = run(
        [episode("E1"), episode("E2", "C2"), episode("E3", "C3"), episode("E4", "C4", end="")],
        [
            interview("E1", completed_at="04/04/2026 09:00"),
            interview("E2", completed_at=""),
            interview("E3"),
            interview("E4", outcome="pending", completed_at=""),
        ],
    )
    t = by_id(d)
    assert t["timeliness_excluded"].tolist() == [True, True, False, True]
    assert t["outcome"].tolist() == ["completed", "completed", "completed", "not_offered"]
    assert t.loc["E4", "has_rhi_row"]
    assert [f.rule for f in d.findings if f.rule != NOT_HELD] == [
        "completed_before_end",
        "completed_without_date",
        "ongoing_with_rhi_outcome",
    ]


def test_area_and_date_of_birth_treatments():
    d = run(
        [
            episode("E1", looked_after="no", placement_area="in_area"),
            episode("E2", "C2", looked_after="yes"),
            episode("E3", "C3", date_of_birth="05/04/2026"),
        ],
        [],
    )
    t = by_id(d)
    assert pd.isna(t.loc["E1", "placement_area"])  # ignored: not looked after
    assert pd.isna(t.loc["E2", "placement_area"])  # looked after with none recorded
    assert pd.isna(t.loc["E3", "date_of_birth"])  # set aside: born after the start


def test_unknown_risks_become_other_once():
    d = run(
        [episode("E1"), episode("E2", "C2")],
        [interview("E1", risks="cse;gangs;knife;county_lines"), interview("E2", risks="cce")],
    )
    # gangs and knife are unknown: both become one "other", in the place of the first.
    assert by_id(d)["risks"].tolist() == ["cse;other;county_lines", "cce"]


def test_warnings_are_ordered_by_file_rule_row():
    d = run(
        [
            episode("E1", start="03/04/2026 10:00", end="02/04/2026 10:00"),
            episode("E2", "C2", looked_after="yes"),
            episode("E3", "C3", start="03/04/2026 10:00", end="02/04/2026 10:00"),
            # An area on one row, so the column is held and E2's blank is a finding of its own.
            episode("E4", "C4", looked_after="yes", placement_area="in_area"),
        ],
        [interview("E9"), interview("E2", mode="")],
    )
    keys = [(f.file, f.rule, f.row) for f in d.findings if f.rule != NOT_HELD]
    assert keys == [
        ("episodes.csv", "end_before_start", 2),
        ("episodes.csv", "end_before_start", 4),
        ("episodes.csv", "looked_after_without_area", 3),
        ("interviews.xlsx", "completed_without_mode", 3),
        ("interviews.xlsx", "rhi_unknown_episode", 2),
    ]


def test_the_extracts_are_not_modified():
    eps = extract("episodes", [episode("E1", end=""), episode("E2", "C2")])
    rhi = extract("interviews", [interview("E2", risks="gangs")])
    before = (eps.frame.copy(), rhi.frame.copy())
    validate(eps, rhi, config=CONFIG, as_at=None)
    pd.testing.assert_frame_equal(eps.frame, before[0])
    pd.testing.assert_frame_equal(rhi.frame, before[1])


def test_validation_imports_neither_matplotlib_nor_weasyprint():
    code = (
        "import sys\n"
        "import pipeline.quality.validate, pipeline.quality.summary, pipeline.load\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'weasyprint')]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# ---- reliability: no silent wrong number (docs/reliability.md) -----------------------------


def test_ids_that_lost_their_leading_zeros_are_matched_with_a_warning():
    # The episodes CSV writes 000123; the interviews workbook stored it as the number 123
    # (read as the text '123'). Once every RHI row was dropped and the offer rate fell to 0%.
    d = run(
        [episode("000123"), episode("000124", "C2"), episode("7", "C3")],
        [interview("123"), interview("124", outcome="declined"), interview("7")],
    )
    rows = by_id(d)
    assert rows.loc["000123", "outcome"] == "completed"
    assert rows.loc["000124", "outcome"] == "declined"
    assert rows.loc["7", "outcome"] == "completed"  # matched as written
    warned = [f for f in d.findings if f.rule == "rhi_id_without_leading_zeros"]
    assert [f.row for f in warned] == [2, 3]
    assert "episode '123' is not in episodes.csv as written, but '000123' is" in warned[0].message
    assert "interviews.xlsx" in warned[0].message
    assert not [f for f in d.findings if f.rule == "rhi_unknown_episode"]


def test_leading_zeros_are_not_guessed_when_two_episodes_share_the_number():
    # 0123 and 00123 are both 123: which one is meant cannot be known, so nothing is matched.
    d = run([episode("0123"), episode("00123", "C2")], [interview("123")])
    assert not by_id(d)["has_rhi_row"].any()
    assert [f.rule for f in d.findings if f.row == 2] == ["rhi_unknown_episode"]


def test_an_episode_never_gets_a_second_rhi_row_from_a_lost_zero():
    d = run([episode("0123")], [interview("0123"), interview("123", outcome="declined")])
    assert by_id(d).loc["0123", "outcome"] == "completed"
    assert [f.rule for f in d.findings if f.row == 3] == ["rhi_unknown_episode"]


def test_most_rhi_rows_unmatched_is_fatal_naming_both_files():
    # 6 of 10 RHI rows (60%, and at least 5) match no episode: more than the 5% allowed.
    episodes = [episode(f"E{i}", f"C{i}") for i in range(10)]
    interviews = [interview(f"E{i}") for i in range(4)] + [interview(f"X{i}") for i in range(6)]
    with pytest.raises(FatalFindings) as caught:
        run(episodes, interviews)
    [fatal] = [f for f in caught.value.findings if f.rule == "rhi_mostly_unmatched"]
    assert fatal.message.startswith(
        "interviews.xlsx: 6 of its 10 RHI rows (60%) name episode IDs that are not in "
        "episodes.csv (for example 'X0', 'X1', 'X2')"
    )


def test_a_few_unmatched_rhi_rows_are_only_warnings():
    # 4 unmatched is fewer than 5 rows: warnings, the run goes on.
    episodes = [episode(f"E{i}", f"C{i}") for i in range(10)]
    interviews = [interview(f"X{i}") for i in range(4)]
    d = run(episodes, interviews)
    assert [f.rule for f in d.findings if f.rule != NOT_HELD] == ["rhi_unknown_episode"] * 4


def test_a_date_far_after_the_extract_does_not_become_the_as_at_date():
    # Starts 3-4 April 2026; one end typed as 2100. The as-at date is the latest other date
    # (the RHI completed 05/04/2026 10:00), so the 2100 end is after it: fatal, and the
    # default quarter cannot move to one that has not ended.
    episodes = [episode("E1"), episode("E2", "C2", end="04/04/2100 10:00")]
    with pytest.raises(FatalFindings) as caught:
        run(episodes, [interview("E1")])
    [late] = [f for f in caught.value.findings if f.rule == "date_after_as_at"]
    assert late.row == 3
    assert "'04/04/2100 10:00' is after the as-at date 05/04/2026" in late.message


def test_times_the_clocks_skipped_or_repeated_are_warnings():
    d = run(
        [
            episode("E1", start="29/03/2026 01:30", end="29/03/2026 05:00"),
            episode("E2", "C2", start="25/10/2026 01:30", end="25/10/2026 03:00"),
        ],
        [],
    )
    [skipped] = [f for f in d.findings if f.rule == "time_did_not_happen"]
    [twice] = [f for f in d.findings if f.rule == "time_happened_twice"]
    assert (skipped.row, skipped.column, twice.row, twice.column) == (2, "start", 3, "start")
    assert "'29/03/2026 01:30' is a time no UK clock showed" in skipped.message
    assert "the clocks went forward from 01:00 to 02:00" in skipped.message
    assert "the clocks went back from 02:00 to 01:00" in twice.message
