"""Summaries of findings: stopped-run messages, the validate table, counts per rule."""

from __future__ import annotations

from pipeline.findings import Finding
from pipeline.quality.rules import RULES
from pipeline.quality.summary import counts_by_rule, order, summarise, summary_table


def f(rule: str, row: int | None, file: str = "episodes.csv", column: str | None = "start"):
    return Finding(RULES[rule].severity, file, row, column, rule, f"{file} row {row}: {rule}.")


def test_summarise_prints_the_first_three_then_counts_the_rest():
    findings = [f("invalid_date", r) for r in (9, 2, 5, 7, 3)]
    lines = summarise(findings)
    # Rows in order: 2, 3, 5 printed; 7 and 9 counted.
    assert lines == [
        "episodes.csv row 2: invalid_date.",
        "episodes.csv row 3: invalid_date.",
        "episodes.csv row 5: invalid_date.",
        "episodes.csv: and 2 more rows with the same problem (invalid_date): rows 7, 9.",
    ]


def test_summarise_groups_by_rule_then_file_then_column():
    findings = [
        f("duplicate_episode_id", 4, column="episode_id"),
        f("invalid_date", 2, column="end"),
        f("invalid_date", 6, column="start"),
        f("missing_column", None, file="interviews.xlsx", column="outcome"),
    ]
    lines = summarise(findings)
    # RULES order: missing_column, invalid_date (end before start), duplicate_episode_id.
    assert lines == [
        "interviews.xlsx row None: missing_column.",
        "episodes.csv row 2: invalid_date.",
        "episodes.csv row 6: invalid_date.",
        "episodes.csv row 4: duplicate_episode_id.",
    ]


def test_summarise_one_more_row_is_singular():
    lines = summarise([f("invalid_date", r) for r in (2, 3, 4, 5)])
    assert lines[-1] == "episodes.csv: and 1 more row with the same problem (invalid_date): row 5."


def test_summarise_many_more_rows_counts_the_rest_in_words():
    # 3 shown, 20 more (rows 5 to 24): the first 10 of them listed, then "and 10 more".
    lines = summarise([f("invalid_date", r) for r in range(2, 25)])
    assert lines[-1] == (
        "episodes.csv: and 20 more rows with the same problem (invalid_date): "
        "rows 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 and 10 more."
    )


def test_order_is_file_rule_row():
    findings = [
        f("end_before_start", 9),
        f("rhi_unknown_episode", 3, file="interviews.xlsx"),
        f("end_before_start", 4),
        f("area_without_looked_after", 12),
    ]
    assert [(x.file, x.rule, x.row) for x in order(findings)] == [
        ("episodes.csv", "area_without_looked_after", 12),
        ("episodes.csv", "end_before_start", 4),
        ("episodes.csv", "end_before_start", 9),
        ("interviews.xlsx", "rhi_unknown_episode", 3),
    ]


def test_summary_table_lists_each_rule_with_count_and_first_rows():
    findings = [f("end_before_start", r, column="end") for r in (20, 3, 7, 11, 15, 30)]
    findings.append(f("rhi_unknown_episode", 203, file="interviews.xlsx", column="episode_id"))
    lines = summary_table(findings).splitlines()
    assert lines[0].split() == ["Severity", "Rule", "File", "Column", "Findings", "First", "rows"]
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].split() == [
        "warning",
        "rhi_unknown_episode",
        "interviews.xlsx",
        "episode_id",
        "1",
        "203",
    ]
    # Six rows, the first five shown in order, then an ellipsis.
    assert lines[3].split() == [
        "warning",
        "end_before_start",
        "episodes.csv",
        "end",
        "6",
        "3,",
        "7,",
        "11,",
        "15,",
        "20,",
        "...",
    ]
    assert len(lines) == 4


def test_summary_table_with_no_findings():
    assert summary_table([]) == "No data-quality findings."


def test_counts_by_rule():
    findings = [f("end_before_start", 2), f("end_before_start", 5), f("rhi_unknown_episode", 4)]
    counts = counts_by_rule(findings)
    assert list(counts.columns) == ["rule", "description", "severity", "treatment", "count"]
    assert counts["rule"].tolist() == ["rhi_unknown_episode", "end_before_start"]
    assert counts["count"].tolist() == [1, 2]
    assert counts["count"].dtype == "int64"
    assert counts.loc[1, "treatment"] == RULES["end_before_start"].treatment
    every = counts_by_rule(findings, include_zero=True)
    assert every["rule"].tolist() == list(RULES)
    assert int(every["count"].sum()) == 3
