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
        self.unread: list[str] = []  # prose lines with a number no reader accounts for
        # Shares printed without their counts: (numerator, denominator, share).
        self.shares: list[tuple[Key, Key, float]] = []

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


def read_breakdown_table(
    obs: Observations, breakdown: Any, table_rows: list[list[Any]], header: list[Any]
) -> None:
    """A breakdown sheet of the workbook: rows in the frame's order, then 'Total'; columns
    by their headers (a column left out of the public outputs is simply not there)."""
    from pipeline.render.workbook import COHORT_LABELS

    frame = breakdown.frame
    by_label = {label: cohort for cohort, label in COHORT_LABELS.items()}
    columns = [by_label.get(str(h), str(h)) for h in header[1:]]
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


def _twice(matrix: np.ndarray) -> np.ndarray:
    """Two independent copies of a constraint matrix, side by side on the diagonal."""
    rows, cols = matrix.shape
    out = np.zeros((2 * rows, 2 * cols))
    out[:rows, :cols] = matrix
    out[rows:, cols:] = matrix
    return out


def _components(n: int, matrices: list[np.ndarray]) -> np.ndarray:
    """A label per unknown: unknowns that share a row of any matrix share a label."""
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for matrix in matrices:
        for row in matrix:
            members = np.flatnonzero(row)
            for j in members[1:]:
                a, b = find(int(members[0])), find(int(j))
                if a != b:
                    parent[b] = a
    return np.array([find(j) for j in range(n)])


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
    capacity: Any = None,
) -> list[Finding]:
    """The withheld quantities the attacker can pin down: exactly, or (primary cells) to an
    interval narrower than `threshold`; and the small counts printed nowhere that the
    attacker works out by subtraction (the model's `derived` differences: completed less
    independent, within 72 hours less face to face within 72 hours, ...), which must also lie
    in an interval at least `threshold` wide.

    `extra` holds further relations read from the files, as (terms, total) for an equation
    or (terms, total, ">=") and (terms, total, "<=") for bounds."""
    from scipy.optimize import linprog

    model = build_model(
        metrics,
        breakdowns,
        monthly,
        quarter=quarter,
        registry=REGISTRY,
        repeat_threshold=repeat_threshold,
        independent_roles=independent_roles,
        capacity=capacity,
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
    # A share printed without its counts: numerator = share x denominator.
    extra = [*extra, *(([(num, 1.0), (den, -share)], 0.0) for num, den, share in obs.shares)]
    for terms, total, *sense in extra:
        row = np.zeros(n)
        rhs = total
        for key, coef in terms:
            if key in column:
                row[column[key]] += coef
            elif key in obs.known:
                rhs -= coef * obs.known[key]
        if not row.any():
            continue
        if not sense:
            rows_eq.append(row)
            rhs_eq.append(rhs)
        elif sense[0] == "<=":
            rows_ub.append(row)
            rhs_ub.append(rhs)
        else:
            rows_ub.append(-row)
            rhs_ub.append(-rhs)
    bounds = [(1.0 if k in obs.floor_one else 0.0, None) for k in unknown]
    a_eq = np.array(rows_eq) if rows_eq else np.zeros((0, n))
    a_ub = np.array(rows_ub) if rows_ub else np.zeros((0, n))
    b_eq, b_ub = np.array(rhs_eq), np.array(rhs_ub)
    group = _components(n, [a_eq, a_ub])
    findings = []
    # Withheld cells: counts printed [c] in their own place (a count row, a breakdown cell, a
    # month). A rate's numerator printed only beside a withheld base is not a cell of its own.
    # And every small difference printed nowhere (a rate's complement, a nested count).
    small = {k for k in model.derived if 1 <= model.values[k] < threshold}
    for key in sorted((obs.floor_one | small) - set(obs.known)):
        if key not in column:
            continue
        # Only the unknowns linked to this one matter: a smaller program, the same answer.
        cols = np.flatnonzero(group == group[column[key]])
        i = int(np.flatnonzero(cols == column[key])[0])
        eq = np.flatnonzero(np.abs(a_eq[:, cols]).sum(axis=1) > 0)
        ub = np.flatnonzero(np.abs(a_ub[:, cols]).sum(axis=1) > 0)
        # One program with two copies of the unknowns, maximising the figure in the first
        # copy less the figure in the second: the copies are independent, so its solution
        # holds both ends of the interval at once.
        k = len(cols)
        sub_eq = a_eq[np.ix_(eq, cols)]
        sub_ub = a_ub[np.ix_(ub, cols)]
        c = np.zeros(2 * k)
        c[i], c[k + i] = -1.0, 1.0
        res = linprog(
            c,
            A_ub=_twice(sub_ub) if ub.size else None,
            b_ub=np.concatenate([b_ub[ub], b_ub[ub]]) if ub.size else None,
            A_eq=_twice(sub_eq) if eq.size else None,
            b_eq=np.concatenate([b_eq[eq], b_eq[eq]]) if eq.size else None,
            bounds=[bounds[j] for j in cols] * 2,
            method="highs",
        )
        ends = [res.x[k + i], res.x[i]] if res.status == 0 else [bounds[cols[i]][0], math.inf]
        # Counts are whole numbers: the attacker rounds the ends inwards.
        low = math.ceil(ends[0] - 1e-6)
        high = ends[1] if ends[1] == math.inf else math.floor(ends[1] + 1e-6)
        truth = model.values[key]
        primary = 1 <= truth < threshold
        if high - low < 1 or (primary and high - low < threshold):
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
    "read_prose",
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
        rows = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
        header, rows = (rows[0], rows[1:]) if rows else ([], [])
        name = sheet.title
        if name in by_sheet:
            read_breakdown_table(obs, by_sheet[name], rows, header)
        elif name in spc_by_sheet:
            extra += read_spc_table(obs, spc_by_sheet[name], months, rows)
        elif name == CAPACITY_SHEET:
            read_capacity_table(obs, header, rows)
        elif name == CAPACITY_ASSUMPTIONS_SHEET:
            extra += read_capacity_assumptions(rows, quarter=max(metrics["quarter"].astype(str)))
    titles = {b.title: b for b in breakdowns}
    paper = (out_dir / "board-report.html").read_text(encoding="utf-8")
    quarters = sorted(set(metrics["quarter"].astype("str")))
    obs.unread = read_prose(obs, prose_lines(paper), quarters)
    for table in html_tables(paper):
        caption = re.sub(r"^Table \d+[.:]?\s*", "", table["caption"].strip())
        breakdown = titles.get(caption)
        if breakdown is not None and table["rows"]:
            read_html_table(obs, breakdown, table["rows"][0], table["rows"][1:])
    return obs, extra


# ---------------------------------------------------------------------------------------
# The capacity replay's sheets

CAPACITY_SHEET = "Capacity"
CAPACITY_ASSUMPTIONS_SHEET = "Capacity assumptions"
# The Capacity sheet's share columns and the replay's places.
CAPACITY_COLUMNS = {
    "In county or at home": "in_county",
    "Out of county": "out_of_county",
    "All": "all",
}
ACTUAL_ROW = "What actually happened"


def read_capacity_table(obs: Observations, header: list[Any], rows: list[list[Any]]) -> None:
    """The "what actually happened" row: per place, the share of interviews in the
    timeliness measure held face to face by an independent worker in time. With its base
    (the timeliness measure's denominator, published) a share gives its numerator: the
    attacker records share x base, exactly when the base is known."""
    from pipeline.metrics.relations import capacity_count_key

    for row in rows:
        if str(row[0]) != ACTUAL_ROW:
            continue
        for head, cell in zip(header, row, strict=False):
            place = CAPACITY_COLUMNS.get(str(head))
            share = _number(cell)
            if place is None or share is None:
                continue
            obs.shares.append(
                (
                    capacity_count_key("actual_timely", place),
                    capacity_count_key("actual_wanted", place),
                    share,
                )
            )


def read_capacity_assumptions(rows: list[list[Any]], *, quarter: str) -> list:
    """Assumption 5's non-engagement rate, printed to a whole percent of the quarter's
    returns: bounds on the count of returns not offered because the child could not be
    contacted or went missing again (p% is from p - 0.5% up to p + 0.5% of returns)."""
    from pipeline.metrics.relations import capacity_count_key

    out = []
    due = ("n", quarter, "all", "rhi_due")
    key = capacity_count_key("non_engagement", "all")
    for row in rows:
        text = " ".join(str(c) for c in row if c is not None)
        match = re.search(r"(\d+)% of returns not offered because the child could not", text)
        if match:
            p = int(match.group(1))
            low, high = max(p - 0.5, 0) / 100, (p + 0.5) / 100
            out.append(([(key, 1.0), (due, -low)], 0.0, ">="))
            out.append(([(key, 1.0), (due, -high)], 0.0, "<="))
    return out


# ---------------------------------------------------------------------------------------
# The paper's prose: every number a sentence states


def prose_lines(html: str) -> list[str]:
    """The paper's text outside tables and charts, one line per block of text."""
    import html as entities

    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
    text = re.sub(r"<table.*?</table>", "\n", text, flags=re.S)
    text = re.sub(r"<svg.*?</svg>", "\n", text, flags=re.S)
    text = re.sub(r"<[^>]+>", "\n", text)
    lines = [re.sub(r"\s+", " ", line).strip() for line in entities.unescape(text).split("\n")]
    return [line for line in lines if line]


_N = r"(\d[\d,]*)"

# Sentences that state counts, and the quantities they state, in order: (pattern, [(cohort,
# count name) or ("cell", breakdown, category, cohort)]). Quarter "q" is the reported one,
# "q-1" the one before, "q-4" a year earlier.
PROSE: list[tuple[str, list[tuple[str, ...]]]] = [
    (
        rf"{_N} of the {_N} interviews that count towards the timescale",
        [("q", "all", "target_met"), ("q", "all", "in_timeliness")],
    ),
    (
        rf"offered after {_N} of the {_N} episodes",
        [("q", "all", "rhi_offered"), ("q", "all", "rhi_due")],
    ),
    (
        rf"recorded {_N} missing and away episodes involving {_N} children, \d+ (?:more|fewer) "
        rf"episodes than in the previous quarter \({_N}\) and \d+ (?:more|fewer) than a year "
        rf"earlier \({_N}\)",
        [
            ("q", "all", "episodes"),
            ("q", "all", "children"),
            ("q-1", "all", "episodes"),
            ("q-4", "all", "episodes"),
        ],
    ),
    (
        rf"completed after \d+% of returns \({_N} of {_N}\)",
        [("q", "all", "rhi_completed"), ("q", "all", "rhi_due")],
    ),
    (
        rf"out of county, an interview was offered after {_N} of {_N} returns",
        [
            ("q", "looked_after_out_of_area", "rhi_offered"),
            ("q", "looked_after_out_of_area", "rhi_due"),
        ],
    ),
    (
        rf"^{_N} interviews with children placed out of county were completed",
        [("q", "looked_after_out_of_area", "rhi_completed")],
    ),
    (
        rf"there were {_N} missing and away episodes involving {_N} children",
        [("q", "all", "episodes"), ("q", "all", "children")],
    ),
    (rf"{_N} episodes? (?:was|were) still open", [("q", "all", "episodes_ongoing")]),
    (
        rf"Of {_N} returns this quarter, {_N} were offered",
        [("q", "all", "rhi_due"), ("q", "all", "rhi_offered")],
    ),
    (rf"{_N} offers were declined", [("q", "all", "rhi_declined")]),
    (rf"\. {_N} interviews were completed", [("q", "all", "rhi_completed")]),
    (rf"{_N} of them \(\d+%\)(?= face to face)", [("q", "all", "face_to_face")]),
    (rf"{_N} of them \(\d+%\) by an independent", [("q", "all", "independent")]),
    (rf", and {_N} \(\d+%\) by an independent", [("q", "all", "independent")]),
    (
        rf"{_N} returns? of children placed out of county (?:was|were) not offered an interview "
        "because of where the child was placed",
        [("cell", "not_offered_reasons", "out_of_area", "looked_after_out_of_area")],
    ),
    (
        rf"{_N} interviews were offered to children placed out of county and {_N} were",
        [
            ("q", "looked_after_out_of_area", "rhi_offered"),
            ("q", "looked_after_out_of_area", "rhi_completed"),
        ],
    ),
    (
        rf"{_N} interviews were offered to children placed out of county\.",
        [("q", "looked_after_out_of_area", "rhi_offered")],
    ),
    (
        rf", {_N} interviews with children placed out of county were",
        [("q", "looked_after_out_of_area", "rhi_completed")],
    ),
    (rf"In total, {_N} return home interviews were completed", [("q", "all", "rhi_completed")]),
    (rf"^{_N} children had \d+ or more episodes", [("q", "all", "children_repeat")]),
    (
        rf"{_N} of the {_N} completed interviews \(\d+%\) (?:was|were) carried out by an "
        "independent worker",
        [("q", "all", "independent"), ("q", "all", "rhi_completed")],
    ),
    (
        rf"^{_N} of the {_N} interviews? with children placed out of county that count "
        "towards the timescale",
        [
            ("q", "looked_after_out_of_area", "target_met"),
            ("q", "looked_after_out_of_area", "in_timeliness"),
        ],
    ),
    (
        rf"^None of the {_N} interviews? with children placed out of county that count "
        "towards the timescale",
        [("q", "looked_after_out_of_area", "in_timeliness")],
    ),
    # A rate tile's base, on its own line under the rate.
    (rf"^of {_N} returns?$", [("q", "all", "rhi_due")]),
    (rf"^of {_N} offers?$", [("q", "all", "rhi_offered")]),
    (rf"^of {_N} completed interviews?$", [("q", "all", "rhi_completed")]),
    (
        rf"^of {_N} completed interviews? \(out of county\)$",
        [("q", "looked_after_out_of_area", "rhi_completed")],
    ),
    (
        rf"^of {_N} interviews? that counts? towards the timescale$",
        [("q", "all", "in_timeliness")],
    ),
    (rf"placed in county \({_N}\)", [("q", "looked_after_in_area", "episodes")]),
    (rf"placed out of county \({_N}\)", [("q", "looked_after_out_of_area", "episodes")]),
    (rf"not looked after \({_N}\)", [("q", "not_looked_after", "episodes")]),
]

# Numbers in the prose that are not counts of children or episodes: dates, quarters,
# percentages, times, thresholds and targets, table and figure numbers, file facts, and a
# rate's base printed beside it (the same figure as the rate's denominator in metrics.csv).
NOT_COUNTS = [
    r"\d+(?:\.\d+)?%",
    r"\b(?:19|20)\d\d(?:-\d\d)?\b",
    r"\bQ[1-4]\b",
    r"\b(?:Quarter|Figure|figure|Table|Appendix) [A-Z]?\d+\b",
    r"\d+ warnings?",
    r"\d+ percentage points?",
    r"\d+(?:\.\d+)? (?:hours?|days?|months?|quarters?|workers?|targets?)\b",
    r"\d+ dedicated workers?",  # the replay's workforce, a configured number of staff
    r"\d+-hour",
    r"\b\d+ (?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b",
    r"fewer than \d+",
    r"\d+ to \d+ \(zero is shown\)",
    r"Only \d+ of the\b",  # "Only 3 of the 15 months' figures can be published"
    r"\d+ or more",
    r"\(of \d+\)|of \d+\)",
    r"\d+ rows",
    r"SHA-256",
    r"2\.66",
    r"\d+\.\d+\.\d+",
    r"Up \d+ on last quarter \(\d+\)|Down \d+ on last quarter \(\d+\)",
    r"\d+ (?:more|fewer) than",
]


# The summary's count tiles: label -> the count they show for all children.
TILES = {
    "Missing and away episodes": "episodes",
    "Children who went missing": "children",
    "Children with 3 or more episodes": "children_repeat",
}


def read_prose(obs: Observations, lines: list[str], quarters: list[str]) -> list[str]:
    """Record every count the prose states; return the lines holding a number neither a
    known sentence nor `NOT_COUNTS` accounts for (the audit fails on any)."""
    q = quarters[-1]
    offsets = {"q": q}
    if len(quarters) >= 2:
        offsets["q-1"] = quarters[-2]
    if len(quarters) >= 5:
        offsets["q-4"] = quarters[-5]
    unread = []
    tile: str | None = None
    for line in lines:
        # A summary tile: its label, its figure alone on a line, then the change on last
        # quarter with last quarter's figure in brackets.
        if tile is not None and re.fullmatch(_N, line):
            obs.shown(("n", q, "all", tile), float(line.replace(",", "")))
            continue
        last = re.search(r"on last quarter \(" + _N + r"\)", line)
        if tile is not None and last and "q-1" in offsets:
            obs.shown(("n", offsets["q-1"], "all", tile), float(last.group(1).replace(",", "")))
            tile = None
            continue
        tile = TILES.get(line, tile if re.fullmatch(_N, line) else None)
        rest = line
        for pattern, keys in PROSE:
            for match in re.finditer(pattern, rest):
                for text, where in zip(match.groups(), keys, strict=True):
                    if where[0] == "cell":
                        key: Key = where
                    elif where[0] in offsets:
                        key = ("n", offsets[where[0]], where[1], where[2])
                    else:
                        continue
                    obs.shown(key, float(text.replace(",", "")))
            rest = re.sub(pattern, " ", rest)
        for pattern in NOT_COUNTS:
            rest = re.sub(pattern, " ", rest)
        if re.search(r"\d", rest):
            unread.append(line)
    return unread
