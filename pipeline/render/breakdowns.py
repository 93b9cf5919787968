"""Breakdowns as the paper shows them: ordered rows, a table, and a chart when worth one."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from pipeline.disclosure import total_key
from pipeline.metrics import present
from pipeline.render.blocks import ALL_WITHHELD, MOSTLY_WITHHELD, Block, Numberer, _slug
from pipeline.render.charts import DataTable, Series, bar_chart
from pipeline.render.figures import COHORT_SHORT
from pipeline.render.titles import breakdown_title
from pipeline.results import Results

# Breakdowns the paper shows in its own tables (the workbook still has them).
NOT_SHOWN = frozenset({"episodes_by_cohort", "children_by_cohort", "rhi_outcomes"})
# Breakdowns worth a chart; the others are shown as tables only, to keep the paper short.
CHARTED = frozenset({"rhi_mode", "interviewer_role", "risks", "interviews_per_practitioner"})
# Breakdowns whose point is comparing children placed in and out of county.
COMPARED = frozenset({"rhi_mode", "interviewer_role"})


def _mask(results: Results, breakdown: Any, columns: list[str]) -> pd.DataFrame:
    """The disclosure stage's decisions for a breakdown's count columns (True = `[c]`)."""
    mask = results.disclosure.breakdown_mask(breakdown)
    mask = pd.DataFrame(mask).reindex(columns=columns, fill_value=False)
    return mask.reset_index(drop=True).astype(bool)


def _count_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c not in ("category", "label")]


def breakdown_block_data(
    results: Results, breakdown: Any
) -> tuple[list[str], list[Series], DataTable]:
    """A breakdown's categories, one chart series per cohort column (at most four), and table."""
    frame = breakdown.frame.reset_index(drop=True)
    columns = _count_columns(frame)
    mask = _mask(results, breakdown, columns)
    if columns and not _ordinal(breakdown):
        order = _by_count(frame, mask, columns[0])
        frame = frame.iloc[order].reset_index(drop=True)
        mask = mask.iloc[order].reset_index(drop=True)
    labels = [str(x) for x in frame["label"].tolist()]
    series = []
    for col in columns:
        values = frame[col].tolist()
        hidden = mask[col].tolist()
        texts = [present.count(float(v), suppressed=h) for v, h in zip(values, hidden, strict=True)]
        series.append(
            Series(COHORT_SHORT.get(col, col.replace("_", " ").capitalize()), values, texts, hidden)
        )
    headers = [_first_header(breakdown), *[s.name for s in series]]
    rows = [[lab, *[s.labels[i] for s in series]] for i, lab in enumerate(labels)]
    if breakdown.additive and len(labels) > 1:
        totals = []
        for col, _s in zip(columns, series, strict=True):
            total = float(frame[col].sum())
            totals.append(results.disclosure.count(total_key(breakdown.id, col), total))
        rows.append(["Total", *totals])
    note = results.disclosure.note(breakdown)
    return labels, series, DataTable(breakdown.title, headers, rows, note)


# Breakdowns whose categories have a natural order (bands, months, practitioners numbered by
# count): kept as they are. Every other breakdown is sorted by count.
ORDINAL = frozenset(
    {
        "episodes_by_month",
        "duration_bands",
        "age_bands",
        "repeat_children",
        "interviews_per_practitioner",
        "episodes_by_cohort",
        "children_by_cohort",
        "rhi_outcomes",
    }
)
# Catch-all categories, listed last whatever their count.
_LAST = (
    "other",
    "not recorded",
    "nothing recorded about an interview",
    "no reason given",
    "unknown",
)


def _ordinal(breakdown: Any) -> bool:
    key = str(getattr(breakdown, "id", ""))
    return key in ORDINAL or key.endswith(("_band", "_bands", "_by_month"))


def _by_count(frame: pd.DataFrame, mask: pd.DataFrame, column: str) -> list[int]:
    """Row order for a categorical table: largest first by `column`, catch-alls ('Other',
    'Not recorded') last. Rows whose figure is withheld keep their original order after the
    shown ones (and before shown zeros), so the order never hints at a hidden figure's size."""
    labels = [str(x).strip().lower() for x in frame["label"].tolist()]
    values = frame[column].tolist()
    hidden = mask[column].tolist() if column in mask.columns else [False] * len(labels)
    rest = [i for i in range(len(labels)) if labels[i] not in _LAST]
    shown = [i for i in rest if not hidden[i] and float(values[i]) > 0]
    withheld = [i for i in rest if hidden[i]]
    zeros = [i for i in rest if not hidden[i] and float(values[i]) <= 0]
    last = [i for i in range(len(labels)) if labels[i] in _LAST]
    shown.sort(key=lambda i: -float(values[i]))  # stable: ties keep their order
    return shown + withheld + zeros + last


def _nothing_but_withheld_or_zero(series: list[Series]) -> bool:
    """True when some category figure is withheld and every one is withheld or zero: the
    table would publish its totals and nothing else."""
    cells = [
        (bool(s.suppressed[i]) if s.suppressed else False, s.values[i])
        for s in series
        for i in range(len(s.values))
    ]
    if not any(hidden for hidden, _ in cells):
        return False
    return all(hidden or not float(value or 0) for hidden, value in cells)


# Each group column's children, for the note on a table that leaves some group out.
_GROUP_WORDS = {
    "In county": "children placed in county",
    "Out of county": "children placed out of county",
    "Not looked after": "children not looked after",
}


def _partial_note(headers: list[str]) -> str:
    """Where a table's group columns do not add up to its All children column: which of them
    are looked-after children, and which children are counted in All children only ("" when
    no group is missing)."""
    shown = [g for g in _GROUP_WORDS if g in headers]
    if "All children" not in headers or not shown or len(shown) == len(_GROUP_WORDS):
        return ""
    placed = [g.lower() for g in shown if g != "Not looked after"]
    first = ""
    if placed:
        verb = "count" if len(placed) > 1 else "counts"
        first = f"{' and '.join(placed)} {verb} looked-after children only; "
    missing = " and ".join(_GROUP_WORDS[g] for g in _GROUP_WORDS if g not in headers)
    sentence = f"{first}{missing} are counted in All children only."
    return sentence[0].upper() + sentence[1:]


def _first_header(breakdown: Any) -> str:
    dimension = str(getattr(breakdown, "dimension", "") or "Category")
    return dimension.replace("_", " ").capitalize()


def breakdown_blocks(
    results: Results,
    breakdown: Any,
    num: Numberer,
    *,
    charted: frozenset[str] = CHARTED,
    compared: frozenset[str] = COMPARED,
) -> list[Block]:
    """A breakdown's table, with a chart first when it is one worth drawing (`charted`);
    `compared` breakdowns chart children in and out of county side by side."""
    labels, series, table = breakdown_block_data(results, breakdown)
    blocks: list[Block] = [Block("h3", text=breakdown.title)]
    if note := results.disclosure.note(breakdown):
        blocks.append(Block("text", text=note))
    if not labels:
        blocks.append(Block("text", text="None this quarter."))
        return blocks
    if _nothing_but_withheld_or_zero(series):
        blocks.append(Block("text", text=ALL_WITHHELD))
        return blocks
    if breakdown.id in compared:
        chosen = [s for s in series if s.name in ("In county", "Out of county")] or series[:1]
    else:
        chosen = series[:1]
    cells = [s.hidden(i) for s in chosen for i in range(len(labels))]
    # A chart whose bars for one group are mostly [c] reads as broken: then the table alone
    # says what can be said.
    mostly_withheld = any(
        2 * sum(bool(x) for x in s.suppressed) > len(labels) for s in chosen if s.suppressed
    )
    drawable = not all(cells) and not mostly_withheld
    if breakdown.id in charted and mostly_withheld:
        blocks.append(Block("text", text=MOSTLY_WITHHELD))
    if breakdown.id in charted and drawable:
        title = breakdown_title(breakdown, labels, chosen)
        chart_id = f"fig-{_slug(breakdown.id)}"
        chart = bar_chart(chart_id, title, labels, chosen, first_header=table.headers[0])
        blocks.append(num.chart(chart))
    # Group columns that do not cover every child would not add up to All children: say
    # which children are looked after and where the others are counted.
    note = _partial_note(table.headers)
    blocks.append(num.table(replace(table, note=note)))
    return blocks
