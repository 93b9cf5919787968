"""Turns a run's `Results` into what the board paper shows: text, tables and charts.

Every figure becomes text here, and only through `pipeline.metrics.present` with its
`suppressed` flag, so `[c]` appears the same way in every table, tile and chart label. The
template then only lays things out: it never formats a number or decides what to say.

The view reads the disclosed metrics table (quarter, cohort, metric, numerator, denominator,
value, suppressed), the breakdowns with their disclosure masks, and the analysis (key
messages, targets, SPC, commentary). It computes nothing new about the children: the change on
last quarter is the difference of two figures already in the table.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import pandas as pd

from pipeline.metrics import present
from pipeline.periods import Quarter, month_label
from pipeline.render.charts import (
    Chart,
    DataTable,
    Series,
    bar_chart,
    line_chart,
    spc_chart,
    stacked_bar_chart,
)
from pipeline.results import Results

SUPPRESSED = "[c]"
MOSTLY_WITHHELD = (
    "Most of these numbers are too small to publish without risk of identifying a child, so "
    "they are shown as [c] and no chart is drawn. The table gives the figures that can be "
    "published."
)
IN, OUT = "looked_after_in_area", "looked_after_out_of_area"
COHORT_SHORT = {
    "all": "All children",
    "looked_after": "Looked after",
    IN: "In county",
    OUT: "Out of county",
    "not_looked_after": "Not looked after",
}
COHORT_PHRASE = {
    IN: "looked after and placed in county",
    OUT: "looked after and placed out of county",
    "not_looked_after": "not looked after",
}
SECTIONS = (
    ("summary", "Summary"),
    ("missing", "Missing episodes"),
    ("interviews", "Return home interviews"),
    ("timeliness", "Timeliness"),
    ("out_of_county", "Children placed out of county"),
    ("risks", "Risks identified"),
    ("workload", "Workload of return home interview practitioners"),
    ("trends", "Trends"),
)
# Which section a breakdown belongs in, by words in its id or dimension (first match wins).
_PLACEMENT = (
    (("exception",), "timeliness"),
    (("risk",), "risks"),
    (("interviewer_id", "practitioner", "workload", "per_interviewer"), "workload"),
    (("mode", "role"), "out_of_county"),
    (("not_offered", "declin", "offer"), "interviews"),
)
# Breakdowns the paper shows in its own tables (the workbook still has them).
NOT_SHOWN = frozenset({"episodes_by_cohort", "children_by_cohort", "rhi_outcomes"})
# Breakdowns worth a chart; the others are shown as tables only, to keep the paper short.
CHARTED = frozenset({"rhi_mode", "interviewer_role", "risks", "interviews_per_practitioner"})
# Breakdowns whose point is comparing children placed in and out of county.
COMPARED = frozenset({"rhi_mode", "interviewer_role"})

# The SPC series the analysis produces, with how to show them.
SPC_SERIES = (
    ("episodes", "Missing episodes each month", False),
    ("rhi_offered_rate", "Return home interviews offered each month", True),
    ("rhi_timely_rate", "Interviews completed within the timescale each month", True),
)


@dataclass(frozen=True)
class Tile:
    """One headline figure on the summary page, with its change and target status in words."""

    label: str
    figure: str
    change: str  # e.g. "Up 5 percentage points on last quarter (55%)"
    arrow: str  # "up", "down", "same" or "" (drawn by CSS, hidden from screen readers)
    judgement: str  # "better", "worse", "no change" or ""
    rag_status: str  # "green", "amber", "red", "none"
    rag_word: str  # e.g. "Target missed (target 90%)"
    rag_symbol: str  # a glyph of the shipped font, e.g. "×"; hidden from screen readers
    suppressed: bool = False


@dataclass(frozen=True)
class Block:
    """One item of a section, in reading order: a sub-heading, a paragraph, a table or a chart."""

    kind: str  # "h3" | "text" | "table" | "chart" | "commentary"
    text: str = ""
    table: DataTable | None = None
    chart: Chart | None = None
    number: int = 0  # figure or table number
    html: Any = None  # commentary Markup (already escaped by the analysis stage)


@dataclass
class Section:
    """A numbered part of the paper (h2) and its blocks."""

    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class ReportView:
    """Everything the template shows, already in words."""

    meta: dict[str, Any]
    tiles: list[Tile]
    key_messages: list[str]
    summary_commentary: Any
    sections: list[Section]
    methodology: list[dict[str, str]]
    rules: list[str]
    cohorts: list[tuple[str, str]]
    quality: dict[str, Any]
    provenance: list[tuple[str, str]]
    notes: list[str]
    charts: list[Chart]
    board_asks: list[str] = field(default_factory=list)  # items after "The Board is asked to"


# --------------------------------------------------------------------------------------------
# Looking figures up


def _registry(results: Results) -> dict[str, Any]:
    """The metric catalogue worded for this run's configuration."""
    from pipeline.metrics import registry

    cfg = results.config
    configured = getattr(registry, "configured_registry", None)
    if configured is None:
        return dict(registry.REGISTRY)
    return configured(cfg.timeliness_hours, cfg.repeat_threshold, cfg.independent_roles)


class Figures:
    """Fast lookup of metric rows, and their text through `present`."""

    def __init__(self, metrics: pd.DataFrame, registry: dict[str, Any]) -> None:
        frame = metrics.copy()
        if "suppressed" not in frame.columns:
            frame["suppressed"] = False
        self.registry = registry
        self._rows: dict[tuple[str, str, str], dict[str, Any]] = {
            (r["quarter"], r["cohort"], r["metric"]): r for r in frame.to_dict("records")
        }

    def row(self, quarter: Quarter, cohort: str, metric: str) -> dict[str, Any] | None:
        return self._rows.get((quarter.id, cohort, metric))

    def value(self, quarter: Quarter, cohort: str, metric: str) -> float | None:
        """The raw value, or None when absent, blank or suppressed (never drawn or compared)."""
        row = self.row(quarter, cohort, metric)
        if row is None or bool(row["suppressed"]) or _blank(row["value"]):
            return None
        return float(row["value"])

    def suppressed(self, quarter: Quarter, cohort: str, metric: str) -> bool:
        row = self.row(quarter, cohort, metric)
        return bool(row is not None and row["suppressed"])

    def small_base(self, quarter: Quarter, cohort: str, metric: str, below: int) -> bool:
        """A shown rate worked out on fewer than `below` cases (but some): too few to be the
        headline of a chart, and shown with its base so a reader can reconcile it."""
        row = self.row(quarter, cohort, metric)
        spec = self.registry.get(metric)
        if row is None or spec is None or bool(row["suppressed"]) or spec.kind != "ratio":
            return False
        den = _num(row["denominator"])
        return not math.isnan(den) and 0 < den < below

    def rate_text(self, quarter: Quarter, cohort: str, metric: str, below: int) -> str:
        """`text`, with the base added to a rate on few cases: '0% (of 3)'."""
        shown = self.text(quarter, cohort, metric)
        if not self.small_base(quarter, cohort, metric, below):
            return shown
        row = self.row(quarter, cohort, metric)
        assert row is not None
        return f"{shown} (of {present.count(_num(row['denominator']))})"

    def text(self, quarter: Quarter, cohort: str, metric: str) -> str:
        """The figure as the reader sees it: '1,234', '60%', '36 hours', 'no cases' or '[c]'."""
        row = self.row(quarter, cohort, metric)
        spec = self.registry.get(metric)
        if row is None or spec is None:
            return "not available"
        hidden = bool(row["suppressed"])
        shown_as = getattr(spec, "shown_as", None) or _default_shown(spec.kind)
        if shown_as == "count":
            return present.count(_num(row["value"]), suppressed=hidden)
        if shown_as == "hours":
            return present.hours(_num(row["value"]), suppressed=hidden)
        if shown_as == "number":
            return present.number(_num(row["value"]), 1, suppressed=hidden)
        return present.percent(_num(row["numerator"]), _num(row["denominator"]), suppressed=hidden)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _num(value: Any) -> float:
    return math.nan if _blank(value) else float(value)


def _default_shown(kind: str) -> str:
    return {"count": "count", "ratio": "percent", "median_hours": "hours"}[kind]


# --------------------------------------------------------------------------------------------
# Headline tiles

HEADLINES: tuple[tuple[str, str, str], ...] = (
    # (metric, cohort, label override or "" for the registry label)
    ("episodes", "all", "Missing and away episodes"),
    ("children", "all", "Children who went missing"),
    ("rhi_offered_rate", "all", "Return home interviews offered"),
    ("rhi_decline_rate", "all", "Offers declined by the child or family"),
    ("rhi_completed_rate", "all", "Return home interviews completed"),
    ("rhi_timely_rate", "all", ""),
    ("rhi_independent_rate", OUT, "Out-of-county interviews held independently"),
    ("children_repeat", "all", ""),
)


def _change(fig: Figures, quarter: Quarter, cohort: str, metric: str) -> tuple[str, str, str]:
    """The change on last quarter in words, the arrow to draw and the judgement."""
    prev = quarter.previous()
    spec = fig.registry[metric]
    if fig.row(prev, cohort, metric) is None:
        return "No figure for last quarter", "", ""
    now, before = fig.value(quarter, cohort, metric), fig.value(prev, cohort, metric)
    before_text = fig.text(prev, cohort, metric)
    if fig.suppressed(quarter, cohort, metric) or fig.suppressed(prev, cohort, metric):
        return f"Change not shown (small numbers); last quarter {before_text}", "", ""
    if now is None or before is None:
        return f"Not comparable; last quarter {before_text}", "", ""
    shown_as = getattr(spec, "shown_as", None) or _default_shown(spec.kind)
    if shown_as == "percent":
        # Percentage points between the two shown (rounded) percentages, so the words add up.
        diff = present.round_half_away(now * 100) - present.round_half_away(before * 100)
        unit = "percentage point" if abs(diff) == 1 else "percentage points"
        amount = f"{abs(diff)} {unit}"
    elif shown_as == "hours":
        diff = round(now - before)
        amount = f"{abs(diff)} hours"
    elif shown_as == "number":
        diff = round(now - before, 1)
        amount = f"{abs(diff):.1f}"
    else:
        diff = now - before
        amount = present.count(abs(diff))
    if diff == 0:
        return f"No change on last quarter ({before_text})", "same", "no change"
    word, arrow = ("Up", "up") if diff > 0 else ("Down", "down")
    judgement = ""
    if spec.direction is not None:
        judgement = "better" if (diff > 0) == (spec.direction == "up") else "worse"
    tail = f", {judgement}" if judgement else ""
    return f"{word} {amount} on last quarter ({before_text}){tail}", arrow, judgement


def _rag(results: Results, fig: Figures, metric: str, cohort: str) -> tuple[str, str, str]:
    """Target status, its words and its symbol for a tile; ("none", "", "") with no target."""
    from pipeline.analysis import targets

    target = results.config.targets.get(metric)
    if target is None:
        return "none", "", ""
    quarter = results.quarter
    hidden = fig.suppressed(quarter, cohort, metric)
    rag = None
    if cohort == "all":
        rag = (getattr(results.analysis, "rag", None) or {}).get(metric)
    if rag is None:
        rag = targets.rag(
            fig.value(quarter, cohort, metric),
            target,
            fig.registry[metric].direction,
            suppressed=hidden,
        )
    goal = present.rate_percent(target.target) if _is_rate(fig, metric) else f"{target.target:g}"
    status = str(getattr(rag, "status", "no data"))
    word = str(getattr(rag, "word", "") or status.capitalize())
    if hidden:
        word = "Not rated: numbers too small"
    symbol = str(getattr(rag, "symbol", ""))
    shown = status if status in ("green", "amber", "red") else "none"
    return shown, f"{word} (target {goal})", symbol


def _is_rate(fig: Figures, metric: str) -> bool:
    spec = fig.registry[metric]
    return (getattr(spec, "shown_as", None) or _default_shown(spec.kind)) == "percent"


def tiles(results: Results, fig: Figures) -> list[Tile]:
    """The summary page's headline figures."""
    out = []
    for metric, cohort, label in HEADLINES:
        if metric not in fig.registry or fig.row(results.quarter, cohort, metric) is None:
            continue
        change, arrow, judgement = _change(fig, results.quarter, cohort, metric)
        status, word, symbol = _rag(results, fig, metric, cohort)
        out.append(
            Tile(
                label=label or fig.registry[metric].label,
                figure=fig.text(results.quarter, cohort, metric),
                change=change,
                arrow=arrow,
                judgement=judgement,
                rag_status=status,
                rag_word=word,
                rag_symbol=symbol,
                suppressed=fig.suppressed(results.quarter, cohort, metric),
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# Tables and charts from the metrics table


class Numberer:
    """Hands out figure and table numbers in reading order, and unique chart ids."""

    def __init__(self) -> None:
        self.figures = 0
        self.tables = 0
        self.charts: list[Chart] = []

    def chart(self, chart: Chart) -> Block:
        self.figures += 1
        self.charts.append(chart)
        return Block("chart", chart=chart, number=self.figures)

    def table(self, table: DataTable) -> Block:
        self.tables += 1
        return Block("table", table=table, number=self.tables)


def metric_table(
    fig: Figures,
    quarter: Quarter,
    caption: str,
    metrics: Sequence[str],
    cohorts: Sequence[str],
    *,
    labels: dict[str, str] | None = None,
    small_below: int = 0,
) -> DataTable:
    """Rows of metrics, one column per cohort, every cell through `present`. A rate on fewer
    than `small_below` cases shows its base, e.g. '0% (of 3)'."""
    labels = labels or {}
    rows = []
    for m in metrics:
        if m not in fig.registry:
            continue
        if _shown_as(fig, m) == "hours":
            cells = _hours_row(fig, quarter, cohorts, m)
        else:
            cells = [fig.rate_text(quarter, c, m, small_below) for c in cohorts]
        rows.append([labels.get(m, fig.registry[m].label), *cells])
    return DataTable(caption, ["Measure", *[COHORT_SHORT[c] for c in cohorts]], rows)


def _shown_as(fig: Figures, metric: str) -> str:
    spec = fig.registry[metric]
    return getattr(spec, "shown_as", None) or _default_shown(spec.kind)


def _hours_row(fig: Figures, quarter: Quarter, cohorts: Sequence[str], metric: str) -> list[str]:
    """A row of durations in one unit: hours, or days to one decimal place when any shown
    figure is over 48 hours (so '2.2 days' never sits beside '37 hours')."""
    values = [fig.value(quarter, c, metric) for c in cohorts]
    shown = [v for v in values if v is not None and not math.isnan(v)]
    if not any(present.round_half_away(v) > present.HOURS_SHOWN_UP_TO for v in shown):
        return [fig.text(quarter, c, metric) for c in cohorts]
    return [
        fig.text(quarter, c, metric)
        if v is None or math.isnan(v)
        else f"{present.number(v / 24, 1)} days"
        for c, v in zip(cohorts, values, strict=True)
    ]


def _series(
    fig: Figures,
    quarter: Quarter,
    cohort: str,
    metrics: Sequence[str],
    name: str,
    small_below: int = 0,
) -> Series:
    return Series(
        name,
        [fig.value(quarter, cohort, m) for m in metrics],
        [fig.rate_text(quarter, cohort, m, small_below) for m in metrics],
        [fig.suppressed(quarter, cohort, m) for m in metrics],
    )


# --------------------------------------------------------------------------------------------
# Breakdowns


def _mask(results: Results, breakdown: Any, columns: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """The disclosure mask for a breakdown's count columns (all False for internal), and the
    cohort columns whose total must be withheld because the metrics table withholds it."""
    from pipeline import disclosure

    hidden_totals: list[str] = []
    if results.audience == "public" and "suppressed" in results.metrics.columns:
        hidden_totals = disclosure.hidden_breakdown_totals(
            breakdown, results.metrics, results.quarter.id
        )
    mask = disclosure.suppress_breakdown(
        breakdown,
        threshold=results.config.suppress_below,
        audience=results.audience,
        hidden_totals=hidden_totals,
    )
    mask = pd.DataFrame(mask).reindex(columns=columns, fill_value=False)
    return mask.reset_index(drop=True).astype(bool), hidden_totals


def _count_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c not in ("category", "label")]


def breakdown_block_data(
    results: Results, breakdown: Any
) -> tuple[list[str], list[Series], DataTable]:
    """A breakdown's categories, one chart series per cohort column (at most four), and table."""
    frame = breakdown.frame.reset_index(drop=True)
    columns = _count_columns(frame)
    mask, hidden_totals = _mask(results, breakdown, columns)
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
            small = 0 < total < results.config.suppress_below
            hidden_total = results.audience == "public" and (col in hidden_totals or small)
            totals.append(present.count(total, suppressed=hidden_total))
        rows.append(["Total", *totals])
    note = getattr(breakdown, "note", "") or ""
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
_LAST = ("other", "not recorded", "no interview record", "no reason given", "unknown")


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


def _first_header(breakdown: Any) -> str:
    dimension = str(getattr(breakdown, "dimension", "") or "Category")
    return dimension.replace("_", " ").capitalize()


def breakdown_title(breakdown: Any, labels: list[str], series: list[Series]) -> str:
    """A title stating the message: the most common category, naming the cohort if compared."""
    names = [s.name for s in series]
    compared = [n for n in ("Out of county", "In county") if n in names]
    for name in compared:
        s = series[names.index(name)]
        top = _top(labels, s)
        if top is not None:
            return (
                f"{breakdown.title}: for children placed {name.lower()}, the largest group was "
                f"{_lower_first(labels[top])} ({s.labels[top]})"
            )
    main = series[0]
    top = _top(labels, main)
    if top is None:
        return f"{breakdown.title}: numbers too small to show"
    if "practitioner" in str(getattr(breakdown, "id", "")):
        # Practitioners are numbered by their count, so name the count, not "practitioner 1".
        return f"{breakdown.title}: the most by one practitioner was {main.labels[top]}"
    if "month" in str(getattr(breakdown, "dimension", "")).lower():
        return f"{breakdown.title}: the most were in {labels[top]} ({main.labels[top]})"
    return (
        f"{breakdown.title}: the largest group was {_lower_first(labels[top])} ({main.labels[top]})"
    )


def _lower_first(text: str) -> str:
    # Keep acronyms such as CSE or CCE as written.
    if len(text) > 1 and text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _top(labels: list[str], series: Series) -> int | None:
    shown = [
        (float(series.values[i]), -i)
        for i in range(len(labels))
        if not series.hidden(i) and float(series.values[i]) > 0
    ]
    if not shown:
        return None
    return -max(shown)[1]


def _section_for(breakdown: Any) -> str:
    key = f"{getattr(breakdown, 'id', '')} {getattr(breakdown, 'dimension', '')}".lower()
    for words, section in _PLACEMENT:
        if any(w in key for w in words):
            return section
    return "missing"


def breakdown_blocks(results: Results, breakdown: Any, num: Numberer) -> list[Block]:
    """A breakdown's table, with a chart first when it is one worth drawing."""
    labels, series, table = breakdown_block_data(results, breakdown)
    blocks: list[Block] = [Block("h3", text=breakdown.title)]
    if getattr(breakdown, "note", ""):
        blocks.append(Block("text", text=breakdown.note))
    if not labels:
        blocks.append(Block("text", text="None this quarter."))
        return blocks
    if breakdown.id in COMPARED:
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
    if breakdown.id in CHARTED and mostly_withheld:
        blocks.append(Block("text", text=MOSTLY_WITHHELD))
    if breakdown.id in CHARTED and drawable:
        title = breakdown_title(breakdown, labels, chosen)
        chart_id = f"fig-{_slug(breakdown.id)}"
        chart = bar_chart(chart_id, title, labels, chosen, first_header=table.headers[0])
        blocks.append(num.chart(chart))
    blocks.append(num.table(replace(table, note="")))
    return blocks


# A rate on fewer cases than this is shown with its base ("0% (of 5)") and never made the
# headline of a chart: one interview moves it by 10 points or more.
SMALL_BASE = 10


def _small_base(results: Results) -> int:
    return max(SMALL_BASE, results.config.suppress_below)


def _between(q: Quarter) -> str:
    """'April and June 2026', to follow 'Between'."""
    return f"{month_label(q.months[0]).split()[0]} and {month_label(q.months[-1])}"


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in str(text).lower()).strip("-")


# --------------------------------------------------------------------------------------------
# Sections


def _missing_section(results: Results, fig: Figures, num: Numberer, extra: list[Any]) -> Section:
    q = results.quarter
    section = Section("missing", "Missing episodes")
    cohorts = ["all", IN, OUT, "not_looked_after"]
    table = metric_table(
        fig,
        q,
        f"Missing episodes and children by cohort, {q.months_label}",
        ["episodes", "children", "episodes_per_child", "children_repeat", "episodes_ongoing"],
        cohorts,
    )
    cats = [COHORT_SHORT[c] for c in cohorts[1:]]
    series = Series(
        "Episodes",
        [fig.value(q, c, "episodes") for c in cohorts[1:]],
        [fig.text(q, c, "episodes") for c in cohorts[1:]],
        [fig.suppressed(q, c, "episodes") for c in cohorts[1:]],
    )
    top = _top(cats, series)
    title = (
        f"The largest group of episodes was of children {COHORT_PHRASE[cohorts[1:][top]]} "
        f"({series.labels[top]})"
        if top is not None
        else "Missing episodes by cohort"
    )
    section.blocks.append(
        Block(
            "text",
            text=(
                f"Between {_between(q)} there were {fig.text(q, 'all', 'episodes')} missing "
                f"and away episodes involving {fig.text(q, 'all', 'children')} children. These "
                "are the episodes known to the council, mostly absences reported to the "
                "police, so the true number of times children went missing is likely to be "
                "higher. A child can be counted in two cohorts if their legal status changed "
                "in the quarter, so cohort child counts need not add up."
            ),
        )
    )
    section.blocks.append(
        num.chart(bar_chart("fig-episodes-cohort", title, cats, [series], first_header="Cohort"))
    )
    section.blocks.append(num.table(table))
    for b in extra:
        section.blocks.extend(breakdown_blocks(results, b, num))
    return section


FUNNEL = (
    "rhi_due",
    "rhi_offered",
    "rhi_completed",
    "rhi_declined",
    "rhi_pending",
    "rhi_not_offered",
)
FUNNEL_LABELS = {
    "rhi_due": "Returned: interview due",
    "rhi_offered": "Offered",
    "rhi_completed": "Completed",
    "rhi_declined": "Declined",
    "rhi_pending": "Pending",
    "rhi_not_offered": "Not offered",
}


def _interviews_section(results: Results, fig: Figures, num: Numberer, extra: list[Any]) -> Section:
    q = results.quarter
    section = Section("interviews", "Return home interviews")
    offered = fig.text(q, "all", "rhi_offered_rate")
    declined = fig.text(q, "all", "rhi_decline_rate")
    shown = {
        m: not fig.suppressed(q, "all", m)
        for m in (*FUNNEL, "rhi_offered_rate", "rhi_decline_rate")
    }
    words = ["Every child who returns should be offered an independent return home interview."]
    if shown["rhi_due"] and shown["rhi_offered"]:
        words.append(
            f"Of {fig.text(q, 'all', 'rhi_due')} returns this quarter, "
            f"{fig.text(q, 'all', 'rhi_offered')} were offered an interview ({offered})."
        )
    elif shown["rhi_offered"]:
        words.append(f"This quarter {fig.text(q, 'all', 'rhi_offered')} were offered an interview.")
    if shown["rhi_declined"]:
        words.append(
            f"{fig.text(q, 'all', 'rhi_declined')} offers were declined ({declined} of offers)."
        )
    if shown["rhi_completed"]:
        words.append(f"{fig.text(q, 'all', 'rhi_completed')} interviews were completed.")
    if not all(shown.values()):
        words.append(
            "Some figures are shown as [c]: they are withheld because they could reveal a "
            "small number of children."
        )
    section.blocks.append(Block("text", text=" ".join(words)))
    funnel = _series(fig, q, "all", FUNNEL, "Episodes")
    labels = [FUNNEL_LABELS[m] for m in FUNNEL]
    if shown["rhi_offered_rate"] and shown["rhi_decline_rate"]:
        title = (
            f"{offered} of returns were offered an interview and {declined} of offers were declined"
        )
    elif shown["rhi_decline_rate"]:
        title = f"{declined} of the interviews offered were declined"
    elif shown["rhi_offered_rate"]:
        title = f"{offered} of returns were offered an interview"
    else:
        title = "What happened after children returned"
    section.blocks.append(
        num.chart(bar_chart("fig-funnel", title, labels, [funnel], first_header="Stage"))
    )
    cohorts = ["all", IN, OUT, "not_looked_after"]
    section.blocks.append(
        num.table(
            metric_table(
                fig,
                q,
                f"Return home interviews by cohort, {q.months_label}",
                [*FUNNEL, "rhi_offered_rate", "rhi_decline_rate", "rhi_completed_rate"],
                cohorts,
                labels=FUNNEL_LABELS,
            )
        )
    )
    for b in extra:
        section.blocks.extend(breakdown_blocks(results, b, num))
    return section


STEPS = (
    ("median_hours_return_to_notification", "Return to police notification"),
    ("median_hours_notification_to_assignment", "Notification to assignment"),
    ("median_hours_assignment_to_completion", "Assignment to interview"),
)


def _timeliness_section(results: Results, fig: Figures, num: Numberer, extra: list[Any]) -> Section:
    q = results.quarter
    hours = f"{float(results.config.timeliness_hours):g}"
    section = Section("timeliness", "Timeliness")
    cohorts = ["all", IN, OUT, "not_looked_after"]
    section.blocks.append(
        Block(
            "text",
            text=(
                f"An interview should be held within {hours} hours of the child's return. "
                f"This quarter {fig.text(q, 'all', 'rhi_timely_rate')} of completed interviews "
                f"were held within {hours} hours, and {fig.text(q, 'all', 'rhi_target_met_rate')} "
                "were both within the timescale and face to face. Interviews with an agreed "
                "exception are left out of these rates."
            ),
        )
    )
    below = _small_base(results)
    rate = Series(
        "Within timescale",
        [fig.value(q, c, "rhi_timely_rate") for c in cohorts],
        [fig.rate_text(q, c, "rhi_timely_rate", below) for c in cohorts],
        [fig.suppressed(q, c, "rhi_timely_rate") for c in cohorts],
    )
    cats = [COHORT_SHORT[c] for c in cohorts]
    # A rate on a handful of interviews is shown, but never made the headline; "all" is the
    # whole, not a group to compare, and "lowest" needs at least two groups to compare.
    left_out = [c == "all" or fig.small_base(q, c, "rhi_timely_rate", below) for c in cohorts]
    compared = sum(1 for i, out in enumerate(left_out) if not out and not rate.hidden(i))
    low = _lowest(rate, left_out) if compared >= 2 else None
    if low is not None:
        title = (
            f"Interviews within {hours} hours: lowest for {cats[low].lower()} ({rate.labels[low]})"
        )
    elif not rate.hidden(0):
        title = f"{rate.labels[0]} of interviews were held within {hours} hours"
    else:
        title = f"Interviews within {hours} hours by cohort"
    section.blocks.append(
        num.chart(
            bar_chart("fig-timely-cohort", title, cats, [rate], percent=True, first_header="Cohort")
        )
    )
    section.blocks.append(Block("h3", text=f"Where the {hours} hours go"))
    section.blocks.append(
        Block(
            "text",
            text=(
                "The chart shows the median time taken by each step, from the child's return to "
                "the interview. Medians of the steps need not add up to the median of the whole, "
                "so the bars show where time typically goes rather than one child's journey."
            ),
        )
    )
    step_cohorts = ["all", IN, OUT]
    segments = [
        Series(
            label,
            [fig.value(q, c, m) for c in step_cohorts],
            [fig.text(q, c, m) for c in step_cohorts],
            [fig.suppressed(q, c, m) for c in step_cohorts],
        )
        for m, label in STEPS
    ]
    longest = max(
        range(len(STEPS)),
        key=lambda j: (segments[j].values[0] or 0) if not segments[j].hidden(0) else -1,
    )
    title = (
        f"The longest step was {STEPS[longest][1].lower()} (median {segments[longest].labels[0]})"
        if not segments[longest].hidden(0)
        else "Where the time goes between return and interview"
    )
    section.blocks.append(
        num.chart(
            stacked_bar_chart(
                "fig-hours",
                title,
                [COHORT_SHORT[c] for c in step_cohorts],
                segments,
                reference=float(results.config.timeliness_hours),
                reference_label=f"{hours} hours",
                axis_label="Median hours",
                first_header="Cohort",
            )
        )
    )
    section.blocks.append(
        num.table(
            metric_table(
                fig,
                q,
                f"Timeliness by cohort, {q.months_label}",
                [
                    "rhi_timely_rate",
                    "rhi_target_met_rate",
                    *[m for m, _ in STEPS],
                    "median_hours_return_to_completion",
                ],
                cohorts,
                small_below=below,
            )
        )
    )
    for b in extra:
        section.blocks.extend(breakdown_blocks(results, b, num))
    return section


def _lowest(series: Series, few: Sequence[bool] = ()) -> int | None:
    """The lowest shown point, leaving out those marked in `few` (rates on too few cases)."""
    shown = [
        (float(series.values[i]), i)
        for i in range(len(series.values))
        if not series.hidden(i) and not (i < len(few) and few[i])
    ]
    return min(shown)[1] if shown else None


COMPARE = (
    ("rhi_offered_rate", "Offered"),
    ("rhi_completed_rate", "Completed"),
    ("rhi_independent_rate", "Independent"),
    ("rhi_face_to_face_rate", "Face to face"),
    ("rhi_timely_rate", "Within timescale"),
)


def _out_of_county_section(
    results: Results, fig: Figures, num: Numberer, extra: list[Any]
) -> Section:
    q = results.quarter
    section = Section("out_of_county", "Children placed out of county")
    below = _small_base(results)
    metrics = [m for m, _ in COMPARE]
    cats = [label for _, label in COMPARE]
    ins = _series(fig, q, IN, metrics, "In county", below)
    outs = _series(fig, q, OUT, metrics, "Out of county", below)
    j = metrics.index("rhi_independent_rate")
    intro = (
        "Looked-after children placed outside the county remain the council's "
        "responsibility. This section sets them side by side with looked-after children "
        "placed in county."
    )
    few = fig.small_base(q, OUT, "rhi_independent_rate", below) or fig.small_base(
        q, IN, "rhi_independent_rate", below
    )
    comparable = not ins.hidden(j) and not outs.hidden(j) and not few
    # Said only when this quarter's figures show it.
    if comparable and float(outs.values[j]) < float(ins.values[j]):
        intro += (
            f" This quarter their interviews were less often carried out by an independent "
            f"worker: {outs.labels[j]} of completed interviews, against {ins.labels[j]} "
            "for children placed in county."
        )
    section.blocks.append(Block("text", text=intro))
    if comparable:
        comparison = "less" if float(outs.values[j]) < float(ins.values[j]) else "at least as"
        title = (
            f"Out-of-county interviews were {comparison} often independent "
            f"({outs.labels[j]} against {ins.labels[j]} in county)"
        )
    else:
        title = "Interviews for children placed in and out of county"
    hidden = sum(s.hidden(i) for s in (ins, outs) for i in range(len(metrics)))
    if 2 * hidden > 2 * len(metrics):
        # Bars that are mostly [c] read as a broken chart: the table says what can be said.
        section.blocks.append(Block("text", text=MOSTLY_WITHHELD))
    else:
        section.blocks.append(
            num.chart(
                bar_chart("fig-ooc", title, cats, [ins, outs], percent=True, first_header="Measure")
            )
        )
    section.blocks.append(
        num.table(
            metric_table(
                fig,
                q,
                f"Looked-after children in and out of county, {q.months_label}",
                ["episodes", "rhi_due", "rhi_offered", "rhi_completed", *metrics],
                [IN, OUT],
                small_below=below,
            )
        )
    )
    for b in extra:
        section.blocks.extend(breakdown_blocks(results, b, num))
    return section


def _simple_section(
    results: Results, sid: str, title: str, intro: str, num: Numberer, extra: list[Any]
) -> Section:
    section = Section(sid, title, [Block("text", text=intro)] if intro else [])
    for b in extra:
        section.blocks.extend(breakdown_blocks(results, b, num))
    if not extra:
        section.blocks.append(Block("text", text="No figures were available for this section."))
    return section


TREND_RATES = (
    ("rhi_offered_rate", "Offered"),
    ("rhi_completed_rate", "Completed"),
    ("rhi_timely_rate", "Within timescale"),
)


def _trends_section(results: Results, fig: Figures, num: Numberer) -> Section:
    section = Section("trends", "Trends")
    quarters = results.quarters
    xs = [q.short_label for q in quarters]
    section.blocks.append(
        Block(
            "text",
            text=(
                f"The trends cover the {len(quarters)} quarters from "
                f"{quarters[0].short_label} to {quarters[-1].short_label}, for all children."
            ),
        )
    )
    series = [
        Series(
            label,
            [fig.value(q, "all", m) for q in quarters],
            [fig.text(q, "all", m) for q in quarters],
            [fig.suppressed(q, "all", m) for q in quarters],
        )
        for m, label in TREND_RATES
    ]
    first = series[0]
    title = "Return home interview rates by quarter"
    if len(quarters) > 1 and not first.hidden(0) and not first.hidden(len(quarters) - 1):
        a, b = float(first.values[0]), float(first.values[-1])  # type: ignore[arg-type]
        verb = "rose" if b > a else "fell" if b < a else "held steady"
        title = (
            f"The share of returns offered an interview {verb} from {first.labels[0]} "
            f"to {first.labels[-1]}"
        )
    section.blocks.append(num.chart(line_chart("fig-trend-rates", title, xs, series, percent=True)))
    counts = ["episodes", "children", "rhi_due", "rhi_offered", "rhi_completed"]
    # A non-breaking space keeps "Q1 2025-26" on one line in a narrow first column.
    rows = [
        [q.short_label.replace(" ", "\u00a0"), *[fig.text(q, "all", m) for m in counts]]
        for q in quarters
    ]
    section.blocks.append(
        num.table(
            DataTable(
                "Quarterly figures, all children",
                ["Quarter", *[fig.registry[m].label for m in counts if m in fig.registry]],
                rows,
            )
        )
    )
    section.blocks.extend(_spc_blocks(results, num))
    return section


def _months_ending(quarter: Quarter, count: int) -> list[str]:
    """The `count` months (YYYY-MM) ending with the quarter's last month."""
    year, month = (int(x) for x in quarter.months[-1].split("-"))
    out = []
    for _ in range(count):
        out.append(f"{year}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(out))


# The registry metric of each monthly series (for its target).
_SPC_METRIC = {
    "episodes": "episodes",
    "rhi_offered_rate": "rhi_offered_rate",
    "rhi_timely_rate": "rhi_timely_rate",
}


def _monthly_mask(results: Results) -> pd.DataFrame | None:
    """Which monthly values the audience may not see (None when the series is not available)."""
    monthly = getattr(results, "monthly", None)
    if not isinstance(monthly, pd.DataFrame):
        return None
    from pipeline import disclosure

    mask = disclosure.suppress_monthly(
        monthly,
        metrics=results.metrics,
        threshold=results.config.suppress_below,
        audience=results.audience,
    )
    return mask.reset_index(drop=True)


def _spc_reading(result: Any, target: str) -> str:
    """What the chart says, in plain English: the latest month, then the target."""
    variation = getattr(result, "variation", None)
    better = {"up": " (higher is better)", "down": " (lower is better)"}.get(
        str(getattr(result, "improvement", None)), ""
    )
    latest = {
        None: "",
        "common_cause": "The latest month is within the range past months lead us to expect.",
        "improvement": f"An unusual improvement in the latest month{better}.",
        "concern": f"An unusual deterioration in the latest month{better}.",
        "neither": "An unusual change in the latest month.",
    }.get(variation, "")
    goal = f"the target of {target}" if target else "the target"
    assurance = {
        "consistently_meets": f"On these limits {goal} will keep being met.",
        "consistently_fails": (
            f"On these limits {goal} will keep being missed unless the process changes."
        ),
        "hit_and_miss": (
            f"On these limits {goal} will be met in some months and missed in others, by "
            "chance alone."
        ),
    }.get(str(getattr(result, "assurance", None)), "")
    return " ".join(x for x in (latest, assurance) if x)


def _spc_blocks(results: Results, num: Numberer) -> list[Block]:
    """Control charts for the monthly series, each with its plain-English reading."""
    spc = getattr(results.analysis, "spc", None) or {}
    blocks: list[Block] = []
    if not spc:
        return blocks
    blocks.append(Block("h3", text="Is the change real? Statistical process control"))
    blocks.append(
        Block(
            "text",
            text=(
                "These charts follow NHS Making Data Count. The dashed lines are process limits "
                "(the mean plus or minus 2.66 times the average moving range). A point outside "
                "them, a run of points on one side of the mean, or a steady rise or fall is a "
                "signal of special cause, drawn as a larger square. Other movement is ordinary "
                "variation."
            ),
        )
    )
    mask = _monthly_mask(results)
    for key, title_base, percent in SPC_SERIES:
        result = spc.get(key)
        if result is None:
            continue
        values = [float(v) for v in result.values]
        months = list(getattr(results.analysis, "months", []) or [])
        if len(months) != len(values):
            months = _months_ending(results.quarter, len(values))
        xs = [month_label(m, short=True) for m in months]
        months_full = [month_label(m) for m in months]
        if mask is not None and key in mask.columns and len(mask) == len(values):
            hidden = [bool(x) for x in mask[key].tolist()]
        else:
            # Without the monthly counts no point can be checked, so none is published.
            hidden = [results.audience == "public"] * len(values)
        fmt: Callable[[float], str] = (
            (lambda v: present.percent(v, 1.0)) if percent else (lambda v: present.count(v))
        )
        labels = [
            SUPPRESSED if h else ("no cases" if percent else "no data") if math.isnan(v) else fmt(v)
            for v, h in zip(values, hidden, strict=True)
        ]
        special = [bool(x) for x in result.special]
        shown_special = [s and not h for s, h in zip(special, hidden, strict=True)]
        text = getattr(result, "text", {}) or {}
        metric = _SPC_METRIC.get(key, key)
        goal = results.config.targets.get(metric)
        target = float(goal.target) if goal is not None else None
        summary = " ".join(
            x
            for x in (
                _spc_reading(result, fmt(target) if target is not None else ""),
                str(text.get("limits") or ""),
            )
            if x
        )
        if any(hidden):
            # The SPC reading was worked out on every month, withheld ones included.
            withheld = (
                "Months shown as [c] are withheld because their numbers are small; they are "
                "not drawn, but the limits and signals were worked out from every month."
            )
            summary = f"{withheld} {summary}".strip()
        flagged = [xs[i] for i, s in enumerate(shown_special) if s]
        message = (
            f"{title_base}: special cause in {flagged[-1]}"
            if flagged
            else f"{title_base}: only ordinary variation"
            if not any(hidden)
            else f"{title_base}: no special cause in the months shown"
        )

        limit_texts = [
            ["" if math.isnan(float(v)) else fmt(float(v)) for v in (m, lo, hi)]
            for m, lo, hi in zip(result.mean, result.lower, result.upper, strict=True)
        ]
        last = len(values) - 1
        lower_last = float(result.lower[last])
        limit_labels = (
            [
                f"Upper {fmt(float(result.upper[last]))}",
                f"Mean {fmt(float(result.mean[last]))}",
                f"Lower {fmt(lower_last)}" + (" (below 0)" if lower_last < 0 else ""),
            ]
            if not math.isnan(float(result.upper[last]))
            else []
        )
        target_label = f"Target {fmt(target)}" if target is not None else ""
        if 2 * sum(hidden) > len(values):
            # A line through a few scattered months tells the reader nothing: give the
            # months that can be published as a table, with the same reading.
            blocks.append(Block("h3", text=title_base))
            blocks.append(
                Block(
                    "text",
                    text=(
                        "Most months' figures are too small to publish, so no chart is drawn; "
                        "the table gives the months that can be published."
                    ),
                )
            )
            rows = [
                [
                    months_full[i],
                    labels[i],
                    SUPPRESSED if hidden[i] else ("Yes" if special[i] else "No"),
                ]
                for i in range(len(values))
            ]
            blocks.append(
                num.table(DataTable(title_base, ["Month", "Value", "Special cause"], rows))
            )
            reading = summary.replace("; they are not drawn, but the limits", "; the limits")
            if reading:
                blocks.append(Block("text", text=reading))
            continue
        chart = spc_chart(
            f"fig-spc-{_slug(key)}",
            message,
            xs,
            values,
            [float(v) for v in result.mean],
            [float(v) for v in result.lower],
            [float(v) for v in result.upper],
            special,
            labels,
            percent=percent,
            summary=summary,
            limit_labels=limit_labels,
            suppressed=hidden,
            limit_texts=limit_texts,
            target=target,
            target_label=target_label,
        )
        blocks.append(num.chart(chart))
        if summary:
            blocks.append(Block("text", text=summary))
    return blocks


# --------------------------------------------------------------------------------------------
# Appendices


def methodology_rows(results: Results) -> list[dict[str, str]]:
    """The metric definitions, as the code computes them."""
    from pipeline.metrics import methodology as meth

    rows = []
    for entry in meth.methodology(*_method_args(results)):
        get = entry.get if isinstance(entry, dict) else lambda k, e=entry: getattr(e, k, "")
        rows.append(
            {
                "label": str(get("label") or ""),
                "definition": str(get("definition") or ""),
                "numerator": str(get("numerator") or ""),
                "denominator": str(get("denominator") or ""),
                "unit": str(get("unit") or ""),
            }
        )
    return rows


def _method_args(results: Results) -> tuple[Any, ...]:
    cfg = results.config
    return (cfg.timeliness_hours, cfg.repeat_threshold, cfg.independent_roles)


def quality_view(results: Results) -> dict[str, Any]:
    """Data-quality findings, summarised by rule; full messages only for the internal audience.

    Messages name the offending value, which may be a child's ID or date of birth, so the public
    paper shows only how many rows each rule affected.
    """
    from pipeline.quality.rules import RULES

    findings = list(results.findings)
    headers = _source_headers(results)
    counts: dict[tuple[str, str, str, str], int] = {}
    for f in findings:
        key = (f.severity, f.file, f.rule, f.column or "")
        counts[key] = counts.get(key, 0) + 1
    summary = [
        [
            RULES[rule].description if rule in RULES else rule.replace("_", " ").capitalize(),
            file,
            headers.get((file, column), column) if column else "whole file",
            severity,
            present.count(float(n)),
        ]
        for (severity, file, rule, column), n in sorted(counts.items())
    ]
    detail = []
    if results.audience == "internal":
        detail = [
            [f.file, "" if f.row is None else str(f.row), f.column or "", f.message]
            for f in findings
        ]
    return {"count": len(findings), "summary": summary, "detail": detail}


def _source_headers(results: Results) -> dict[tuple[str, str], str]:
    """(file, canonical column) -> the header the council's extract uses, where the
    configuration maps one, so Appendix B names columns as the reader's own files do."""
    from pathlib import Path

    out: dict[tuple[str, str], str] = {}
    files = {f.file for f in results.findings}
    for extract in ("episodes", "interviews"):
        spec = getattr(results.config, extract, None)
        if spec is None:
            continue
        path = getattr(spec, "path", None)
        name = Path(path).name if path else ""
        mine = [f for f in files if f == name or (not name and extract in f.lower())]
        for header, canonical in spec.columns.items():
            for file in mine:
                out.setdefault((file, canonical), header)
    return out


def provenance_rows(results: Results) -> list[tuple[str, str]]:
    """Where the figures came from: input files (name, rows, SHA-256) and the configuration."""
    rows = [
        (f"Input: {i.name}", f"{present.count(float(i.rows))} rows; SHA-256 {i.sha256}")
        for i in results.inputs
    ]
    if results.config_sha256:
        rows.append(("Configuration", f"SHA-256 {results.config_sha256}"))
    rows.append(("Reporting quarter", f"{results.quarter.label} ({results.quarter.id})"))
    rows.append(("Data as at", _long_date(results.as_at)))
    rows.append(("Audience", results.audience))
    try:
        from importlib.metadata import version

        rows.append(("Produced by", f"rhi-report {version('rhi-report')}"))
    except Exception:  # not installed as a package: say nothing rather than guess
        pass
    return rows


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


# --------------------------------------------------------------------------------------------
# The whole view


def build_view(results: Results) -> ReportView:
    """Everything the board paper shows, in reading order, as words, tables and charts."""
    cfg = results.config
    registry = _registry(results)
    fig = Figures(results.metrics, registry)
    q = results.quarter
    internal = results.audience == "internal"
    marking = "OFFICIAL-SENSITIVE" if internal else "OFFICIAL"
    meta = {
        "council": cfg.council_name,
        "board": cfg.board_name,
        "title": cfg.report_title,
        "quarter_label": q.label,
        "quarter_short": q.short_label,
        "months_label": q.months_label,
        "owner": cfg.report_owner,
        "date_line": (
            _long_date(cfg.report_date)
            if cfg.report_date
            else f"Data as at {_long_date(results.as_at)}"
        ),
        "as_at": _long_date(results.as_at),
        "marking": marking,
        "not_for_publication": internal,
        "marking_line": f"{marking}: not for publication" if internal else marking,
        "audience": results.audience,
        "document_title": f"{cfg.report_title}: {q.label}",
        "short_title": f"Return home interviews, {q.short_label}",
    }
    num = Numberer()
    placed: dict[str, list[Any]] = {s: [] for s, _ in SECTIONS}
    for b in results.breakdowns:
        if b.id not in NOT_SHOWN:
            placed[_section_for(b)].append(b)

    analysis = results.analysis
    commentary = dict(getattr(analysis, "commentary", None) or {})
    sections = [
        _missing_section(results, fig, num, placed["missing"]),
        _interviews_section(results, fig, num, placed["interviews"]),
        _timeliness_section(results, fig, num, placed["timeliness"]),
        _out_of_county_section(results, fig, num, placed["out_of_county"]),
        _simple_section(
            results,
            "risks",
            "Risks identified",
            "The risks of harm and exploitation that return home interviews identified.",
            num,
            placed["risks"],
        ),
        _simple_section(
            results,
            "workload",
            "Workload of return home interview practitioners",
            "How the completed interviews were shared between practitioners.",
            num,
            placed["workload"],
        ),
        _trends_section(results, fig, num),
    ]
    _name_workbook_sheets(results, sections, num)
    for section in sections:
        if section.id in commentary:
            section.blocks.insert(0, Block("commentary", html=commentary[section.id]))

    notes = []
    if not internal:
        notes.append(
            f"[c] means a figure is not shown because it is fewer than {cfg.suppress_below}, "
            "or because it would let such a figure be worked out, to protect the children's "
            "privacy. Rates and times built on such a figure are not shown either."
        )
    notes.append(
        "The figures behind every chart are in a table beside it and in the workbook "
        "tables.xlsx; each figure's caption says where."
    )
    notes.append(
        "Percentages are whole numbers, rounded half away from zero. 'No cases' means there was "
        "nothing to count, so no rate can be given."
    )
    from pipeline.metrics.registry import COHORTS

    return ReportView(
        meta=meta,
        tiles=tiles(results, fig),
        key_messages=list(getattr(analysis, "key_messages", None) or []),
        summary_commentary=commentary.get("summary"),
        sections=sections,
        methodology=methodology_rows(results),
        rules=_rules(results),
        cohorts=[(COHORTS[c], _cohort_definition(c)) for c in COHORTS],
        quality=quality_view(results),
        provenance=provenance_rows(results),
        notes=notes,
        charts=num.charts,
        board_asks=_board_asks(results),
    )


def _board_asks(results: Results) -> list[str]:
    """What the Board is asked to do, from the council's editable templates and the
    disclosed figures (the same figures as the key messages); none without an analysis."""
    analysis = results.analysis
    if analysis is None or not hasattr(analysis, "rag"):
        return []
    from pipeline.analysis.narrative import board_asks

    return board_asks(
        results.metrics,
        results.quarter,
        history=getattr(analysis, "history", None),
        rag=getattr(analysis, "rag", None) or {},
        config=results.config,
    )


def workbook_table(results: Results, chart_id: str) -> str:
    """How a caption points a reader at a chart's figures in tables.xlsx: by sheet name when
    the name is plain words ('Headline', 'Trends'), otherwise by the table's title, which is
    in cell A1 of its sheet and in the contents sheet."""
    from pipeline.render.workbook import SPC_SERIES as BOOK_SPC

    sheet = workbook_sheet(results, chart_id)
    for key, (title, _) in BOOK_SPC.items():
        if chart_id == f"fig-spc-{_slug(key)}":
            return f"the table '{title}: statistical process control' in tables.xlsx"
    for b in results.breakdowns:
        if chart_id == f"fig-{_slug(b.id)}":
            # The title workbook.py writes in A1 of the breakdown's sheet.
            return f"the table '{b.title}, {results.quarter.label}' in tables.xlsx"
    return f"the sheet '{sheet}' of tables.xlsx"


def workbook_sheet(results: Results, chart_id: str) -> str:
    """The tables.xlsx sheet holding a chart's figures (the names `workbook.py` gives them)."""
    if chart_id == "fig-trend-rates":
        return "Trends"
    for key, _, _ in SPC_SERIES:
        if chart_id == f"fig-spc-{_slug(key)}":
            return f"SPC {key}"[:31]
    for number, b in enumerate(results.breakdowns, start=1):
        if chart_id == f"fig-{_slug(b.id)}":
            return f"{number:02d} {b.id}"[:31]
    # The cohort, funnel, timeliness and out-of-county charts show reported-quarter metrics.
    return "Headline"


def _name_workbook_sheets(results: Results, sections: list[Section], num: Numberer) -> None:
    """Note under every figure where its data is in the workbook (the PDF has no chart-data
    appendix: the workbook holds every figure)."""
    charts: list[Chart] = []
    for section in sections:
        for i, block in enumerate(section.blocks):
            if block.kind == "chart" and block.chart is not None:
                note = f"The figures are in {workbook_table(results, block.chart.id)}."
                chart = replace(block.chart, note=note)
                section.blocks[i] = replace(block, chart=chart)
                charts.append(chart)
    num.charts = charts


def _rules(results: Results) -> list[str]:
    from pipeline.metrics import methodology as meth

    return list(meth.rules(results.config.timeliness_hours))


def _cohort_definition(cohort: str) -> str:
    from pipeline.metrics import registry

    return getattr(registry, "COHORT_DEFINITIONS", {}).get(cohort, "")


__all__ = [
    "Block",
    "Figures",
    "ReportView",
    "Section",
    "Tile",
    "breakdown_block_data",
    "breakdown_title",
    "build_view",
    "metric_table",
    "quality_view",
    "tiles",
    "workbook_sheet",
]
