"""A data-quality finding: one problem in one place of one extract."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["fatal", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem found in an extract.

    `row` is the spreadsheet row a person would see (header = row 1), or None when the finding
    is about the whole file or column. `message` is one plain sentence naming the file, row,
    column and value, and saying how to fix it.
    """

    severity: Severity
    file: str
    row: int | None
    column: str | None
    rule: str
    message: str
