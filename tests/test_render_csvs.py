"""metrics.csv and data-quality.csv: formats, [c], formula protection and privacy."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import numpy as np
import pandas as pd

from pipeline.disclosure import disclose
from pipeline.findings import Finding
from pipeline.render.csvs import (
    data_quality_csv_bytes,
    metrics_csv_bytes,
    write_data_quality_csv,
    write_metrics_csv,
)

REGISTRY = {
    "episodes": SimpleNamespace(kind="count"),
    "rhi_offered_rate": SimpleNamespace(kind="ratio"),
    "median_hours_return_to_completion": SimpleNamespace(kind="median_hours"),
}


def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "quarter": ["2026-27-Q1"] * 4,
            "cohort": ["all", "all", "all", "not_looked_after"],
            "metric": [
                "episodes",
                "rhi_offered_rate",
                "median_hours_return_to_completion",
                "episodes",
            ],
            "numerator": [np.nan, 65, np.nan, np.nan],
            "denominator": [np.nan, 108, 7, np.nan],
            # 65 / 108 = 0.6018518... -> 0.601852; 36.516667 h -> 36.52; 3 episodes.
            "value": [120.0, 65 / 108, 36 + 31 / 60, 3.0],
            "suppressed": [False, False, False, True],
        }
    )


def test_metrics_csv_formats_each_kind():
    text = metrics_csv_bytes(table(), audience="internal", registry=REGISTRY).decode()
    assert text == (
        "quarter,cohort,metric,numerator,denominator,value\n"
        "2026-27-Q1,all,episodes,,,120\n"
        "2026-27-Q1,all,rhi_offered_rate,65,108,0.601852\n"
        "2026-27-Q1,all,median_hours_return_to_completion,,7,36.52\n"
        "2026-27-Q1,not_looked_after,episodes,,,3\n"
    )


def test_public_metrics_csv_withholds_suppressed_rows():
    text = metrics_csv_bytes(table(), audience="public", registry=REGISTRY).decode()
    assert text.splitlines()[-1] == "2026-27-Q1,not_looked_after,episodes,[c],[c],[c]"
    assert text.splitlines()[2] == "2026-27-Q1,all,rhi_offered_rate,65,108,0.601852"


def test_blank_rate_and_unknown_metric_shape():
    frame = pd.DataFrame(
        {
            "quarter": ["2026-27-Q1", "2026-27-Q1"],
            "cohort": ["all", "all"],
            "metric": ["rhi_offered_rate", "new_ratio"],
            "numerator": [0.0, 1.0],
            "denominator": [0.0, 3.0],
            "value": [np.nan, 1 / 3],
            "suppressed": [False, False],
        }
    )
    lines = metrics_csv_bytes(frame, audience="internal", registry=REGISTRY).decode().splitlines()
    # Denominator 0: blank value. An unregistered metric with a numerator is a ratio: 6 places.
    assert lines[1:] == [
        "2026-27-Q1,all,rhi_offered_rate,0,0,",
        "2026-27-Q1,all,new_ratio,1,3,0.333333",
    ]


FINDINGS = [
    Finding(
        "warning",
        "/home/analyst/extracts/episodes.csv",
        14,
        "child_id",
        "duplicate_child",
        "episodes.csv row 14, column child_id: value 'CHILD-ZZ991' =cmd|' /C calc'!A0 repeats.",
    ),
    Finding("warning", "C:\\Data\\interviews.xlsx", None, None, "=rule", '=HYPERLINK("x")'),
]


def parse(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_data_quality_internal_keeps_messages_but_never_folders_or_formulas():
    rows = parse(data_quality_csv_bytes(FINDINGS, audience="internal"))
    assert rows[0] == ["severity", "file", "row", "column", "rule", "message"]
    assert rows[1][:5] == ["warning", "episodes.csv", "14", "child_id", "duplicate_child"]
    assert "CHILD-ZZ991" in rows[1][5]
    # A Windows path loses its folders; text starting with = gets an apostrophe.
    assert rows[2] == ["warning", "interviews.xlsx", "", "", "'=rule", '\'=HYPERLINK("x")']


def test_data_quality_public_replaces_messages():
    data = data_quality_csv_bytes(FINDINGS, audience="public")
    assert b"CHILD-ZZ991" not in data and b"analyst" not in data and b"HYPERLINK" not in data
    rows = parse(data)
    assert rows[1][5] == (
        "Rule 'duplicate_child' found a problem at row 14, column child_id. The value is not "
        "published; the internal edition of this file gives the details."
    )
    assert rows[2][5].startswith("Rule '=rule' found a problem at the whole file.")


def test_writers_use_results_and_are_deterministic(tmp_path):
    metrics = table().drop(columns="suppressed")
    config = SimpleNamespace(suppress_below=5)
    decisions = disclose(metrics, [], None, quarter="2026-27-Q1", audience="public", threshold=5)
    results = SimpleNamespace(
        metrics=metrics,
        config=config,
        audience="public",
        findings=FINDINGS,
        disclosure=decisions,
    )
    # No `suppressed` column: the writer reads the stage's decisions (episodes 3 -> [c]).
    assert write_metrics_csv(results, tmp_path / "a") == "metrics.csv"
    assert write_data_quality_csv(results, tmp_path / "a") == "data-quality.csv"
    write_metrics_csv(results, tmp_path / "b")
    write_data_quality_csv(results, tmp_path / "b")
    for name in ("metrics.csv", "data-quality.csv"):
        first = (tmp_path / "a" / name).read_bytes()
        assert first == (tmp_path / "b" / name).read_bytes()
        assert b"\r" not in first and not first.startswith(b"\xef\xbb\xbf")
    assert "not_looked_after,episodes,[c],[c],[c]" in (tmp_path / "a" / "metrics.csv").read_text()
