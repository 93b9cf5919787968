"""Summaries of findings: the order they are listed in, the messages printed when a run stops,
the table `rhi-report validate` prints, and the counts per rule for the report's appendix.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby

import pandas as pd

from pipeline.findings import Finding
from pipeline.quality.rules import RULES

# How many findings of one rule in one column are printed in full before the count of the rest.
FIRST = 3
_RANK = {rule: i for i, rule in enumerate(RULES)}


def order(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in a deterministic order: file, rule, row (file-level first), column, message."""
    return sorted(
        findings,
        key=lambda f: (f.file, f.rule, -1 if f.row is None else f.row, f.column or "", f.message),
    )


def _grouped(findings: Iterable[Finding]) -> list[tuple[tuple[str, str, str], list[Finding]]]:
    """Findings grouped by rule (in RULES order), file and column, rows ascending in each."""

    def key(f: Finding) -> tuple[int, str, str, str, int]:
        row = -1 if f.row is None else f.row
        return (_RANK.get(f.rule, len(_RANK)), f.rule, f.file, f.column or "", row)

    ordered = sorted(findings, key=key)
    return [
        ((rule, file, column), list(group))
        for (_, rule, file, column), group in groupby(ordered, key=lambda f: key(f)[:4])
    ]


def summarise(findings: Sequence[Finding], first: int = FIRST) -> list[str]:
    """One message per finding, but only the first few of each rule and column, then a count.

    This is what a stopped run prints: every problem is named, and a column full of one
    mistake does not bury the rest.
    """
    lines: list[str] = []
    for (rule, file, _column), group in _grouped(findings):
        lines += [f.message for f in group[:first]]
        rest = len(group) - first
        if rest > 0:
            rows = [f.row for f in group[first:] if f.row is not None]
            shown = ", ".join(str(r) for r in rows[:10])
            shown += f" and {len(rows) - 10:,} more" if len(rows) > 10 else ""
            lines.append(
                f"{file}: and {rest:,} more {'row' if rest == 1 else 'rows'} with the same "
                f"problem ({rule}): {'row' if len(rows) == 1 else 'rows'} {shown}."
            )
    return lines


def _first_rows(group: list[Finding], limit: int = 5) -> str:
    rows = [str(f.row) for f in group if f.row is not None]
    if not rows:
        return "whole file"
    return ", ".join(rows[:limit]) + (", ..." if len(rows) > limit else "")


def summary_table(findings: Sequence[Finding]) -> str:
    """A plain-text table of findings by rule, file and column: severity, count, first rows.

    `rhi-report validate` prints it; fatal rules come first (RULES order).
    """
    if not findings:
        return "No data-quality findings."
    header = ("Severity", "Rule", "File", "Column", "Findings", "First rows")
    body = [
        (
            RULES[rule].severity if rule in RULES else group[0].severity,
            rule,
            file,
            column or "-",
            f"{len(group):,}",
            _first_rows(group),
        )
        for (rule, file, column), group in _grouped(findings)
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        parts = [
            cell.rjust(widths[i]) if i == 4 else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    rule_line = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule_line, *(line(row) for row in body)])


def counts_by_rule(findings: Sequence[Finding], *, include_zero: bool = False) -> pd.DataFrame:
    """Findings counted per rule, for the report's data-quality appendix.

    Columns: rule, description, severity, treatment, count (int64), in RULES order. With
    `include_zero`, every rule appears, so the appendix can show what was checked and found
    nothing; otherwise only rules with findings.
    """
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.rule] = counts.get(f.rule, 0) + 1
    rows = [
        {
            "rule": rule.id,
            "description": rule.description,
            "severity": rule.severity,
            "treatment": rule.treatment,
            "count": counts.get(rule.id, 0),
        }
        for rule in RULES.values()
        if include_zero or counts.get(rule.id, 0)
    ]
    frame = pd.DataFrame(rows, columns=["rule", "description", "severity", "treatment", "count"])
    return frame.astype(
        {
            "rule": "str",
            "description": "str",
            "severity": "str",
            "treatment": "str",
            "count": "int64",
        }
    )
