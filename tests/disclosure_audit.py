"""An auditor's attack on the public outputs: linear programs over what metrics.csv, the
workbook's tables and the paper's HTML tables show, with every relation of
`pipeline.metrics.relations`.

The attacker knows how the figures are defined (the relations, and which counts each row,
cell and month prints) and reads every figure the public files show. For each figure shown
as `[c]` anywhere, scipy's `linprog` (HiGHS) finds the smallest and largest value consistent
with everything shown: zero is always shown, so a withheld count is at least 1. A cell is
exactly recoverable when the two agree; a primary cell (truly 1 to threshold - 1) is
protected only if the interval is at least `threshold` wide.

This module reads only public text (CSV bytes, workbook cells, HTML); the disclosure engine's
decisions are never consulted.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import numpy as np
import pandas as pd

from pipeline.metrics.registry import REGISTRY
from pipeline.metrics.relations import build_model, count_name, metric_places

Key = tuple[str, ...]
WITHHELD = "[c]"


@dataclass
class Finding:
    key: Key
    truth: float
    low: float
    high: float
    primary: bool


def _number(text: Any) -> float | None:
    """A published figure as a number; None for `[c]`, blanks and words."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return None if math.isnan(float(text)) else float(text)
    s = str(text).strip().replace(",", "")
    try:
        return float(s)
    except ValueError:
        return None


def _withheld(text: Any) -> bool:
    return str(text).strip() == WITHHELD


class Observations:
    """What the attacker has read: known figures, and quantities seen as `[c]`."""

    def __init__(self) -> None:
        self.known: dict[Key, float] = {}
        self.seen_withheld: set[Key] = set()
        self.floor_one: set[Key] = set()  # shown alone as [c]: at least 1

    def shown(self, key: Key, value: float) -> None:
        self.known[key] = value

    def withheld(self, key: Key, alone: bool) -> None:
        self.seen_withheld.add(key)
        if alone:
            self.floor_one.add(key)


def read_metrics_csv(obs: Observations, text: str, metrics: pd.DataFrame) -> None:
    """metrics.csv: each row prints the counts `metric_places` says (structure is public)."""
    places = {row: counted for row, counted in metric_places(metrics, REGISTRY)}
    for record in csv.DictReader(io.StringIO(text)):
        q, c, m = record["quarter"], record["cohort"], record["metric"]
        spec = REGISTRY.get(m)
        kind = getattr(spec, "kind", "count")
        for key, _ in places.get((q, c, m), ()):
            if kind == "count":
                field = "value"
            elif key == ("n", q, c, count_name(m, "numerator", spec)):
                field = "numerator"
            else:
                field = "denominator"
            figure = record[field]
            if _withheld(figure):
                obs.withheld(key, alone=kind == "count")
            elif (number := _number(figure)) is not None:
                obs.shown(key, number)


def read_breakdown_table(obs: Observations, breakdown: Any, table_rows: list[list[Any]]) -> None:
    """A breakdown sheet of the workbook: rows in the frame's order, then 'Total'."""
    frame = breakdown.frame
    columns = [c for c in frame.columns if c not in ("category", "label")]
    categories = [str(c) for c in frame["category"].tolist()]
    for r, row in enumerate(table_rows):
        cat = "total" if r >= len(categories) else categories[r]
        for col, cell in zip(columns, row[1:], strict=False):
            key = ("cell", breakdown.id, cat, col)
            if _withheld(cell):
                obs.withheld(key, alone=True)
            elif (number := _number(cell)) is not None:
                obs.shown(key, number)


def read_html_table(
    obs: Observations, breakdown: Any, headers: list[str], rows: list[list[str]]
) -> None:
    """A breakdown table of the paper (rows may be sorted): matched by label and header."""
    from pipeline.render.figures import COHORT_SHORT

    frame = breakdown.frame
    columns = [c for c in frame.columns if c not in ("category", "label")]
    pairs = zip(frame["category"], frame["label"], strict=True)
    by_label = {str(lab): str(cat) for cat, lab in pairs}
    by_label["Total"] = "total"
    names = {COHORT_SHORT.get(c, c.replace("_", " ").capitalize()): c for c in columns}
    cols = [names.get(h) for h in headers[1:]]
    for row in rows:
        cat = by_label.get(row[0])
        if cat is None:
            continue
        for col, cell in zip(cols, row[1:], strict=False):
            if col is None:
                continue
            key = ("cell", breakdown.id, cat, col)
            if _withheld(cell):
                obs.withheld(key, alone=True)
            elif (number := _number(cell)) is not None:
                obs.shown(key, number)


def read_spc_table(
    obs: Observations, series: str, months: list[str], rows: list[list[Any]]
) -> list:
    """A control-chart sheet: each month's value, and the mean (a relation over the months).
    Returns extra relations as (terms, rhs)."""
    extra = []
    values: list[float | None] = []
    for month, row in zip(months, rows, strict=False):
        value = row[1]
        if series == "episodes":
            key = ("month", month, "episodes")
            if _withheld(value):
                obs.withheld(key, alone=True)
                values.append(None)
            elif (number := _number(value)) is not None:
                obs.shown(key, number)
                values.append(number)
    if series == "episodes" and rows:
        mean = _number(rows[-1][2])
        if mean is not None and any(v is None for v in values):
            # The mean of the months (no rebasing in one segment) is their sum / count.
            terms = [(("month", m, "episodes"), 1.0) for m in months[: len(rows)]]
            extra.append((terms, mean * len(rows)))
    return extra


class _Tables(HTMLParser):
    """Every <table> of an HTML page: caption, header cells, body rows (cell text)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            self.tables[-1]["rows"].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._in_caption and self.tables:
            self.tables[-1]["caption"] += data
        if self._cell is not None:
            self._cell.append(data)


def html_tables(html: str) -> list[dict[str, Any]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def attack(
    obs: Observations,
    *,
    metrics: pd.DataFrame,
    breakdowns: list[Any],
    monthly: pd.DataFrame | None,
    quarter: str,
    threshold: int,
    repeat_threshold: int,
    independent_roles: list[str],
    extra: list = (),
) -> list[Finding]:
    """The withheld quantities the attacker can pin down: exactly, or (primary cells) to an
    interval narrower than `threshold`."""
    from scipy.optimize import linprog

    model = build_model(
        metrics,
        breakdowns,
        monthly,
        quarter=quarter,
        registry=REGISTRY,
        repeat_threshold=repeat_threshold,
        independent_roles=independent_roles,
    )
    unknown = sorted(k for k in model.values if k not in obs.known)
    column = {k: i for i, k in enumerate(unknown)}
    n = len(unknown)
    rows_eq, rhs_eq, rows_ub, rhs_ub = [], [], [], []
    for relation in model.relations:
        row = np.zeros(n)
        rhs = 0.0
        for key, coef in relation.terms:
            if key in column:
                row[column[key]] += coef
            else:
                rhs -= coef * obs.known[key]
        if not row.any():
            continue
        if relation.exact:
            rows_eq.append(row)
            rhs_eq.append(rhs)
        else:  # sum >= 0  ->  -row . y <= -rhs
            rows_ub.append(-row)
            rhs_ub.append(-rhs)
    for terms, total in extra:
        row = np.zeros(n)
        rhs = total
        for key, coef in terms:
            if key in column:
                row[column[key]] += coef
            elif key in obs.known:
                rhs -= coef * obs.known[key]
        if row.any():
            rows_eq.append(row)
            rhs_eq.append(rhs)
    bounds = [(1.0 if k in obs.floor_one else 0.0, None) for k in unknown]
    a_eq = np.array(rows_eq) if rows_eq else None
    a_ub = np.array(rows_ub) if rows_ub else None
    findings = []
    # Withheld cells: counts printed [c] in their own place (a count row, a breakdown cell, a
    # month). A rate's numerator printed only beside a withheld base is not a cell of its own.
    for key in sorted(obs.floor_one - set(obs.known)):
        if key not in column:
            continue
        i = column[key]
        ends = []
        for sense in (1.0, -1.0):
            c = np.zeros(n)
            c[i] = sense
            res = linprog(
                c,
                A_ub=a_ub,
                b_ub=rhs_ub or None,
                A_eq=a_eq,
                b_eq=rhs_eq or None,
                bounds=bounds,
                method="highs",
            )
            ends.append(sense * res.fun if res.status == 0 else math.inf)
        low, high = ends
        truth = model.values[key]
        primary = 1 <= truth < threshold
        if high - low < 1e-6 or (primary and high - low < threshold - 1e-6):
            findings.append(Finding(key, truth, low, high, primary))
    return findings


__all__ = [
    "Finding",
    "Observations",
    "attack",
    "html_tables",
    "read_breakdown_table",
    "read_html_table",
    "read_metrics_csv",
    "read_outputs",
    "read_spc_table",
]


def read_outputs(
    out_dir: Any, *, metrics: pd.DataFrame, breakdowns: list[Any], months: list[str]
) -> tuple[Observations, list]:
    """Read metrics.csv, tables.xlsx and board-report.html of a run's folder."""
    from openpyxl import load_workbook

    obs = Observations()
    read_metrics_csv(obs, (out_dir / "metrics.csv").read_text(encoding="utf-8"), metrics)
    book = load_workbook(out_dir / "tables.xlsx", read_only=True)
    from pipeline.render.workbook import SPC_SHEETS, breakdown_sheet

    # Sheets are found by the plain-English names the workbook gives them.
    by_sheet = {breakdown_sheet(b): b for b in breakdowns}
    spc_by_sheet = {sheet: key for key, sheet in SPC_SHEETS.items()}
    extra: list = []
    for sheet in book.worksheets:
        rows = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
        name = sheet.title
        if name in by_sheet:
            read_breakdown_table(obs, by_sheet[name], rows)
        elif name in spc_by_sheet:
            extra += read_spc_table(obs, spc_by_sheet[name], months, rows)
    titles = {b.title: b for b in breakdowns}
    for table in html_tables((out_dir / "board-report.html").read_text(encoding="utf-8")):
        caption = re.sub(r"^Table \d+[.:]?\s*", "", table["caption"].strip())
        breakdown = titles.get(caption)
        if breakdown is not None and table["rows"]:
            read_html_table(obs, breakdown, table["rows"][0], table["rows"][1:])
    return obs, extra
