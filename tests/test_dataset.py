"""The Dataset hand-off: its joined table columns match docs/architecture.md."""

from __future__ import annotations

import re
from dataclasses import FrozenInstanceError
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pipeline.dataset import EPISODE_TABLE_COLUMNS, Dataset
from pipeline.findings import Finding

ARCHITECTURE = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"


def test_columns_are_those_architecture_md_lists_in_order():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text.split("## The joined episode table", 1)[1].split("\n## ", 1)[0]
    documented: list[str] = []
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            documented += re.findall(r"`([a-z_]+)`", first_cell)
    assert documented == list(EPISODE_TABLE_COLUMNS)


def test_dataset_is_frozen_and_counts_warnings():
    warning = Finding("warning", "episodes.csv", 2, "end", "end_before_start", "m.")
    d = Dataset(
        episodes=pd.DataFrame(columns=list(EPISODE_TABLE_COLUMNS)),
        interviews=pd.DataFrame(),
        findings=[warning],
        as_at=date(2026, 7, 14),
        episode_rows=0,
        interview_rows=0,
    )
    assert d.warnings == 1
    with pytest.raises(FrozenInstanceError):
        d.as_at = date(2026, 7, 15)  # type: ignore[misc]
