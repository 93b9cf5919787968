"""One test per data-quality rule: a tiny fixture, the finding, its severity and its message."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from quality_fixtures import episode, extract, interview, table

from pipeline.quality import rules
from pipeline.quality.rules import RULES
from pipeline.quality.validate import type_table

DOC = Path(__file__).resolve().parents[1] / "docs" / "data-quality.md"


def only(findings, rule):
    """The findings of one rule, checking none of another rule slipped in."""
    assert {f.rule for f in findings} <= {rule}, [f.message for f in findings]
    return findings


# --- structure -----------------------------------------------------------------------------


def test_missing_column_names_the_column_and_the_config_key():
    t = table("episodes", [{"episode_id": "E1", "child_id": "C1", "looked_after": "no"}])
    [f] = only(rules.missing_column(t), "missing_column")
    assert (f.severity, f.file, f.row, f.column) == ("fatal", "episodes.csv", None, "start")
    assert f.message.startswith("episodes.csv: has no column for 'start'")
    assert "episodes: columns:" in f.message


def test_no_episodes_is_fatal_and_a_file_with_rows_passes():
    empty = table("episodes", [], columns=["episode_id", "child_id", "start", "looked_after"])
    [f] = only(rules.no_episodes(empty), "no_episodes")
    assert (f.severity, f.row) == ("fatal", None)
    assert "has no data rows" in f.message
    assert rules.no_episodes(table("episodes", [episode("E1")])) == []


# --- values ----------------------------------------------------------------------------------


def test_blank_required_names_row_and_users_header():
    # Rows: header 1, E1 row 2, blank start row 3.
    t = table("episodes", [episode("E1"), episode("E2", start="")])
    [f] = only(rules.blank_required(t), "blank_required")
    assert (f.severity, f.row, f.column) == ("fatal", 3, "start")
    assert f.message.startswith("episodes.csv row 3, column 'Missing Start Date' (start): is blank")


def test_blank_required_ignores_optional_columns():
    t = table("episodes", [episode("E1", end="", date_of_birth="")])
    assert rules.blank_required(t) == []


def test_invalid_date_impossible_day():
    t = table("episodes", [episode("E1", start="31/02/2026 10:00")])
    [f] = only(rules.invalid_date(t), "invalid_date")
    assert (f.severity, f.row, f.column) == ("fatal", 2, "start")
    assert f.message == (
        "episodes.csv row 2, column 'Missing Start Date' (start): '31/02/2026 10:00' is not a "
        "real date (February 2026 has no day 31); enter it day first as dd/mm/yyyy hh:mm "
        "(or as yyyy-mm-dd hh:mm)."
    )


def test_invalid_date_month_first_is_named_and_the_fix_suggested():
    t = table("episodes", [episode("E1", end="12/25/2026 09:00")])
    [f] = only(rules.invalid_date(t), "invalid_date")
    assert f.column == "end"
    # 12/25/2026 read day first has month 25; read month first it is 25 December.
    assert "'12/25/2026 09:00' has no month 25: it looks month first (US order)" in f.message
    assert "e.g. '25/12/2026'" in f.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13/25/2026", "is not a real date (there is no month 25)"),
        ("29/02/2025", "February 2025 has no day 29"),
        ("03/04/26", "has a two-digit year"),
        ("03/04/2026 25:00", "has a time that cannot be read"),
        ("2026-02-30", "is not a real date"),
        ("next Tuesday", "is not a date in a form that can be read"),
    ],
)
def test_date_problem_explains_each_kind_of_bad_date(value, expected):
    assert expected in rules.date_problem(value)


def test_invalid_date_of_birth_does_not_echo_the_value():
    t = table("episodes", [episode("E1", date_of_birth="31/09/2012")])
    [f] = only(rules.invalid_date(t), "invalid_date")
    assert f.column == "date_of_birth"
    assert "31/09/2012" not in f.message
    assert "not shown here" in f.message


def test_invalid_yes_no():
    t = table("episodes", [episode("E1", looked_after="Care Leaver")])
    [f] = only(rules.invalid_yes_no(t), "invalid_yes_no")
    assert (f.severity, f.row, f.column) == ("fatal", 2, "looked_after")
    assert "column 'Legal Status' (looked_after): 'Care Leaver' is not yes or no" in f.message
    assert "episodes: values: looked_after:" in f.message


@pytest.mark.parametrize(
    ("name", "row", "column", "value"),
    [
        ("episodes", episode("E1", episode_type="Absconded"), "episode_type", "Absconded"),
        (
            "episodes",
            episode("E1", looked_after="yes", placement_area="Abroad"),
            "placement_area",
            "Abroad",
        ),
        ("interviews", interview("E1", outcome="Offered (Other)"), "outcome", "Offered (Other)"),
        ("interviews", interview("E1", mode="Carrier Pigeon"), "mode", "Carrier Pigeon"),
        ("interviews", interview("E1", interviewer_role="Manager"), "interviewer_role", "Manager"),
        (
            "interviews",
            interview("E1", outcome="declined", declined_by="Dog"),
            "declined_by",
            "Dog",
        ),
    ],
)
def test_unknown_code_for_each_coded_column(name, row, column, value):
    [f] = only(rules.unknown_code(table(name, [row])), "unknown_code")
    assert (f.severity, f.column) == ("fatal", column)
    assert f"'{value}' is not a known" in f.message
    assert f"{name}: values: {column}:" in f.message


def test_unknown_area_of_a_child_not_looked_after_is_not_fatal():
    t = table("episodes", [episode("E1", looked_after="no", placement_area="N/A")])
    assert rules.unknown_code(t) == []


def test_duplicate_episode_id_points_at_the_first_row():
    # E1 on rows 2 and 4; the repeat (row 4) is the finding.
    t = table("episodes", [episode("E1"), episode("E2"), episode("E1")])
    [f] = only(rules.duplicate_episode_id(t), "duplicate_episode_id")
    assert (f.severity, f.row, f.column) == ("fatal", 4, "episode_id")
    assert "'E1' is also the episode ID of row 2" in f.message


def test_duplicate_rhi():
    t = table("interviews", [interview("E1"), interview("E1", outcome="declined")])
    [f] = only(rules.duplicate_rhi(t), "duplicate_rhi")
    assert (f.severity, f.row) == ("fatal", 3)
    assert "episode 'E1' already has an RHI row at row 2" in f.message


def test_date_after_as_at_allows_the_as_at_day_itself():
    t = table(
        "episodes",
        [
            episode("E1", start="14/07/2026 23:59", end=""),
            episode("E2", start="15/07/2026 00:00", end=""),
        ],
    )
    [f] = only(rules.date_after_as_at(t, date(2026, 7, 14)), "date_after_as_at")
    assert (f.severity, f.row, f.column) == ("fatal", 3, "start")
    assert "'15/07/2026 00:00' is after the as-at date 14/07/2026" in f.message
    assert rules.date_after_as_at(t, None) == []


# --- cross-record and cross-file ---------------------------------------------------------------


def test_rhi_unknown_episode():
    eps = table("episodes", [episode("E1")])
    rhi = table("interviews", [interview("E1"), interview("E9")])
    [f] = only(rules.rhi_unknown_episode(eps, rhi), "rhi_unknown_episode")
    assert (f.severity, f.file, f.row, f.column) == ("warning", "interviews.xlsx", 3, "episode_id")
    assert "episode 'E9' is not in episodes.csv" in f.message
    assert "left out of every figure" in f.message


def test_link_finds_each_rhi_rows_episode_and_its_first_row_when_repeated():
    # Episodes on spreadsheet rows 2 (E1), 3 (E2), 4 (E1 again); E1's RHI links to row 2,
    # E2's to row 3; E9 is unknown and the blank ID links to nothing.
    eps = table(
        "episodes",
        [
            episode("E1", start="01/04/2026 10:00"),
            episode("E2", start="02/04/2026 10:00"),
            episode("E1", start="03/04/2026 10:00"),
        ],
    )
    rhi = table("interviews", [interview("E2"), interview("E9"), interview(""), interview("E1")])
    linked = rules.link(eps, rhi)
    assert linked["matched"].tolist() == [True, False, False, True]
    assert linked["episode_row"].tolist()[0] == 3 and linked["episode_row"].tolist()[3] == 2
    assert linked["episode_row"].isna().tolist() == [False, True, True, False]
    assert str(linked["start"].iloc[3]) == "2026-04-01 10:00:00"
    assert linked["start"].isna().tolist() == [False, True, True, False]
    # One code per ID across both files, -1 for a blank; keys from other tables are refused.
    keys = rules.episode_keys(eps, rhi)
    assert keys.episodes[0] == keys.episodes[2] == keys.interviews[3] != keys.episodes[1]
    assert keys.interviews[1] not in keys.episodes and keys.interviews[2] == -1
    [f] = only(rules.duplicate_episode_id(eps, keys), "duplicate_episode_id")
    assert f.row == 4 and "'E1' is also the episode ID of row 2;" in f.message
    with pytest.raises(ValueError, match="other tables"):
        rules.link(eps, table("interviews", [interview("E1")]), keys)


def test_link_with_no_episodes_matches_nothing():
    eps = table("episodes", [])
    rhi = table("interviews", [interview("E1")])
    linked = rules.link(eps, rhi)
    assert linked["matched"].tolist() == [False]
    assert linked["episode_row"].isna().all() and linked["end"].isna().all()


def test_end_before_start():
    t = table("episodes", [episode("E1", start="03/04/2026 10:00", end="02/04/2026 09:00")])
    [f] = only(rules.end_before_start(t), "end_before_start")
    assert (f.severity, f.row, f.column) == ("warning", 2, "end")
    assert "'02/04/2026 09:00' is before the start '03/04/2026 10:00' of episode 'E1'" in f.message


def test_overlap_with_an_open_episode_and_with_an_unended_one():
    # Child C1: E1 03/04 10:00 - 05/04 10:00; E2 starts 04/04 (inside E1): overlap with E1.
    # Child C2: E3 01/04 open (no end); E4 starts 10/04: E3 is still open.
    # Child C3: E5 then E6 strictly after: no finding. Another child's dates never clash.
    t = table(
        "episodes",
        [
            episode("E1", "C1", start="03/04/2026 10:00", end="05/04/2026 10:00"),
            episode("E2", "C1", start="04/04/2026 10:00", end="04/04/2026 12:00"),
            episode("E3", "C2", start="01/04/2026 10:00", end=""),
            episode("E4", "C2", start="10/04/2026 10:00", end="11/04/2026 10:00"),
            episode("E5", "C3", start="03/04/2026 10:00", end="04/04/2026 10:00"),
            episode("E6", "C3", start="04/04/2026 10:00", end="05/04/2026 10:00"),
        ],
    )
    found = only(rules.overlapping_episodes(t), "overlapping_episodes")
    assert [(f.row, f.column, f.severity) for f in found] == [
        (3, "start", "warning"),
        (5, "start", "warning"),
    ]
    assert (
        "episode 'E2' starts '04/04/2026 10:00', before the same child's episode 'E1' (row 2)"
        in found[0].message
    )
    assert "(it ended 05/04/2026 10:00)" in found[0].message
    assert "episode 'E3' (row 4) had ended (it has no end date)" in found[1].message


def test_overlap_looks_past_the_previous_episode():
    # E1 03/04-10/04 holds the latest end; E2 04/04-05/04 (overlaps E1); E3 06/04 starts after
    # E2 ended but before E1 did, so E3 overlaps E1, not E2.
    t = table(
        "episodes",
        [
            episode("E1", start="03/04/2026 10:00", end="10/04/2026 10:00"),
            episode("E2", start="04/04/2026 10:00", end="05/04/2026 10:00"),
            episode("E3", start="06/04/2026 10:00", end="07/04/2026 10:00"),
        ],
    )
    found = rules.overlapping_episodes(t)
    assert [f.row for f in found] == [3, 4]
    assert "before the same child's episode 'E1' (row 2)" in found[1].message


def test_an_unreadable_end_does_not_make_later_episodes_overlap():
    # E1's end is unreadable (month 13): a fatal invalid_date of its own. Read as "still
    # open" it would make E2 and E3 overlap it; they must not be reported.
    t = table(
        "episodes",
        [
            episode("E1", start="03/04/2026 10:00", end="01/13/2026 10:00"),
            episode("E2", start="04/05/2026 10:00", end="05/05/2026 10:00"),
            episode("E3", start="06/06/2026 10:00", end="07/06/2026 10:00"),
        ],
    )
    assert rules.overlapping_episodes(t) == []


def test_start_before_birth_hides_both_dates():
    t = table("episodes", [episode("E1", start="03/04/2026 10:00", date_of_birth="04/04/2026")])
    [f] = only(rules.start_before_birth(t), "start_before_birth")
    assert (f.severity, f.row, f.column) == ("warning", 2, "date_of_birth")
    assert "04/04/2026" not in f.message and "03/04/2026" not in f.message
    assert "age not known" in f.message


def test_looked_after_without_area():
    t = table(
        "episodes",
        [
            episode("E1", looked_after="yes"),
            episode("E2", looked_after="no"),
            episode("E3", looked_after="yes", placement_area="in_area"),
        ],
    )
    [f] = only(rules.looked_after_without_area(t), "looked_after_without_area")
    assert (f.severity, f.row, f.column) == ("warning", 2, "placement_area")
    assert "episode 'E1' is of a looked-after child but has no placement area" in f.message


def test_a_placement_area_blank_in_every_row_is_one_finding_for_the_column():
    # Three looked-after episodes and no area anywhere: the column is not held, so one
    # column_not_held finding, not three looked_after_without_area findings.
    rows = [episode(f"E{i}", looked_after="yes") for i in (1, 2, 3)]
    t = table("episodes", rows)
    assert rules.looked_after_without_area(t) == []
    [f] = only(rules.column_not_held(t), "column_not_held")
    assert (f.row, f.column) == (None, "placement_area")
    assert f.message == (
        "episodes.csv: has no column for 'placement_area' (where a looked-after child was "
        "placed; required when looked_after is yes), so the measures that need it are not "
        "recorded ([x] in the paper, never 0); export the column and map it under episodes: "
        "columns: to report them."
    )
    # Present but blank in every row: named by the file's own header.
    blank = table("episodes", [{**r, "placement_area": ""} for r in rows])
    [g] = only(rules.column_not_held(blank), "column_not_held")
    assert g.message.startswith(
        "episodes.csv: column 'Placement Location' (placement_area) is blank in every row, so "
    )


def test_area_without_looked_after():
    t = table("episodes", [episode("E1", looked_after="no", placement_area="in_area")])
    [f] = only(rules.area_without_looked_after(t), "area_without_looked_after")
    assert (f.severity, f.column) == ("warning", "placement_area")
    assert "has the placement area 'in_area'" in f.message and "ignored" in f.message


def test_ongoing_with_rhi_outcome_flags_offers_not_not_offered():
    eps = table("episodes", [episode("E1", end=""), episode("E2", end="")])
    rhi = table(
        "interviews", [interview("E1", outcome="pending"), interview("E2", outcome="not_offered")]
    )
    [f] = only(rules.ongoing_with_rhi_outcome(eps, rhi), "ongoing_with_rhi_outcome")
    assert (f.severity, f.file, f.row, f.column) == ("warning", "interviews.xlsx", 2, "outcome")
    assert (
        "'pending' is recorded for episode 'E1', but the episode has no end date in "
        "episodes.csv (row 2)" in f.message
    )


@pytest.mark.parametrize(
    ("rule", "column", "phrase"),
    [
        ("completed_without_date", "completed_at", "left out of the 72-hour measure"),
        ("completed_without_mode", "mode", "not as face to face"),
        ("completed_without_role", "interviewer_role", "not as independent"),
    ],
)
def test_completed_without_required_detail(rule, column, phrase):
    eps = table("episodes", [episode("E1"), episode("E2"), episode("E3")])
    # E2 is declined with the same blank: only a completed RHI needs the detail. E3 has it,
    # so the column is held (a column blank in every row is one column_not_held finding).
    rhi = table(
        "interviews",
        [
            interview("E1", **{column: ""}),
            interview("E2", outcome="declined", **{column: ""}),
            interview("E3"),
        ],
    )
    [f] = only(getattr(rules, rule)(eps, rhi), rule)
    assert (f.severity, f.row, f.column) == ("warning", 2, column)
    assert "the RHI for episode 'E1' is completed but has no" in f.message
    assert phrase in f.message


def test_completed_without_date_ignores_orphan_rows():
    eps = table("episodes", [episode("E1")])
    rhi = table("interviews", [interview("E9", completed_at="")])
    assert rules.completed_without_date(eps, rhi) == []


def test_completed_before_end():
    eps = table("episodes", [episode("E1", end="04/04/2026 10:00")])
    rhi = table("interviews", [interview("E1", completed_at="04/04/2026 09:59")])
    [f] = only(rules.completed_before_end(eps, rhi), "completed_before_end")
    assert (f.severity, f.row, f.column) == ("warning", 2, "completed_at")
    assert (
        "'04/04/2026 09:59' is before the child returned (04/04/2026 10:00, episodes.csv row 2)"
        in f.message
    )


def test_unknown_risk_lists_only_the_unknown_items():
    t = table(
        "interviews",
        [interview("E1", risks="cse;gangs;county_lines;knife"), interview("E2", risks="cse")],
    )
    [f] = only(rules.unknown_risk(t), "unknown_risk")
    assert (f.severity, f.row, f.column) == ("warning", 2, "risks")
    assert f.message.startswith(
        "interviews.xlsx row 2, column 'Risks Identified' (risks): "
        "'gangs;knife' is not a known risk"
    )


def test_messages_use_the_canonical_name_alone_when_the_header_is_canonical():
    t = table("episodes", [episode("E1", start="31/02/2026")], headers={})
    [f] = rules.invalid_date(t)
    assert f.message.startswith("episodes.csv row 2, column 'start': ")


def test_messages_are_one_sentence_each():
    t = table("episodes", [episode("E1", start="31/02/2026"), episode("E1", looked_after="maybe")])
    for f in rules.invalid_date(t) + rules.duplicate_episode_id(t) + rules.invalid_yes_no(t):
        assert f.message.endswith(".")
        # No sentence break inside: a full stop followed by a space and a capital letter.
        assert not re.search(r"\. [A-Z]", f.message), f.message


def test_no_message_echoes_a_child_id():
    eps = extract("episodes", [episode("E1", "CHILD-777", end=""), episode("E2", "CHILD-777")])
    rhi = extract("interviews", [interview("E1", outcome="completed", mode="")])
    from pipeline.quality.validate import type_table

    findings = rules.run_rules(type_table(eps), type_table(rhi), date(2026, 7, 14))
    assert findings  # overlap, ongoing with outcome, completed without mode
    assert all("CHILD-777" not in f.message for f in findings)


def test_every_rule_is_documented_with_its_severity():
    text = DOC.read_text(encoding="utf-8")
    for rule in RULES.values():
        assert re.search(rf"\| `{rule.id}` \| {rule.severity} \|", text), rule.id


def test_date_problem_keeps_the_users_year_and_rejects_year_zero():
    assert "e.g. '25/12/2026'" in rules.date_problem("12/25/2026")
    assert "there is no year 0" in rules.date_problem("31/01/0000")


def test_a_huge_cell_is_quoted_by_its_start_and_its_length():
    # Once a 200 MB field was echoed whole (209 million characters in one message). Quotes
    # are clipped to 80 characters: a 2,000,000-character cell shows as 80 x's and its length.
    huge = "x" * 2_000_000
    shown = "'" + "x" * 80 + "... (2,000,000 characters)'"
    ep = table("episodes", [episode("E1", episode_type=huge, start=huge)])
    rhi = table("interviews", [interview(huge)])
    findings = rules.unknown_code(ep) + rules.invalid_date(ep) + rules.rhi_unknown_episode(ep, rhi)
    assert {f.rule for f in findings} == {"unknown_code", "invalid_date", "rhi_unknown_episode"}
    for f in findings:
        assert shown in f.message
        assert len(f.message) < 600


def test_a_code_differing_only_by_a_curly_apostrophe_or_dash_gets_a_hint():
    # The config maps "Offered - Declined (YP's choice)"; the file has a curly apostrophe
    # and an en dash.
    raw = extract("interviews", [interview("E1", outcome="Offered – Declined (YP’s choice)")])
    raw.mapped_codes["outcome"] = ("Offered - Declined (YP's choice)",)
    [f] = only(rules.unknown_code(type_table(raw)), "unknown_code")
    assert f.message == (
        "interviews.xlsx row 2, column 'RHI Outcome' (outcome): 'Offered – Declined (YP’s "
        "choice)' is not a known RHI outcome, but the config maps 'Offered - Declined (YP's "
        "choice)', which differs from it only in its apostrophes or dashes; copy the code from "
        "the file into the config under interviews: values: outcome:."
    )


def test_no_episodes_names_the_configured_sheet():
    empty = type_table(extract("episodes", []))
    [f] = rules.no_episodes(empty)
    assert f.message == (
        "episodes.csv: has no data rows; check that the right file was exported and that the "
        "episodes are on its first sheet (or name the sheet with sheet: in the config)."
    )
    named = extract("episodes", [])
    named.sheet = "Missing"
    [g] = rules.no_episodes(type_table(named))
    assert g.message == (
        "episodes.csv: has no data rows; check that the right file was exported and that the "
        "episodes are on its sheet 'Missing'."
    )
