"""tables.xlsx: every figure of the report as an accessible workbook.

Written by hand with xlsxwriter to the UK Government Analysis Function's good-practice rules
for releasing statistics in spreadsheets (the rules gptables applies):

- a cover sheet, a contents sheet (linked to every sheet) and a notes sheet come first;
- every other sheet holds exactly one table, laid out the same way: the title in A1, one
  short note in A2 (always starting with the security marking, "OFFICIAL" or
  "OFFICIAL-SENSITIVE: not for publication"), the single header row in row 3, and the data
  from row 4 with no blank rows, no blank cells and no merged cells;
- each table is also marked as an Excel table (so screen readers announce its headers);
- numbers are stored as numbers (rates as decimals shown as percentages, medians in hours),
  never as text; symbols are text, right-aligned: `[c]` a figure withheld to protect
  children's confidentiality, `[z]` not applicable (a rate with no cases, or a count's
  numerator); the notes sheet explains both and no meaning is given by colour alone;
- the marking is also in every sheet's printed header and footer;
- every text cell is written as a string, never as a formula, and the workbook's fixed
  creation date (the as-at date) makes the bytes the same on every run;
- sheets have plain-English names ("Episodes by month"), each Excel table a meaningful name
  (`tbl_episodes_by_month`, gptables' `table_name`), and each table's first column a header
  naming what its rows are ("Month", not "Category");
- the cover, in sections as gptables' and aftables' covers are, says what the tables are,
  the period, the publication and next-update dates and whom to contact (from the config);
- the workbook's language is set (en-GB, in its core properties) so screen readers speak it
  with the right voice.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import disclosure
from pipeline.metrics import present
from pipeline.render.csvs import disclosed_metrics
from pipeline.render.safety import SUPPRESSED, marking

WORKBOOK = "tables.xlsx"
NOT_APPLICABLE = "[z]"
TITLE_ROW, NOTE_ROW, HEADER_ROW = 0, 1, 2  # A1, A2, row 3

COHORT_LABELS = {
    "all": "All children",
    "looked_after": "Looked after",
    "looked_after_in_area": "Looked after, placed in county",
    "looked_after_out_of_area": "Looked after, placed out of county",
    "not_looked_after": "Not looked after",
}

# Monthly series -> (title, shown as a percentage).
SPC_SERIES = {
    "episodes": ("Missing and away episodes each month", False),
    "rhi_offered_rate": ("Return home interviews offered each month", True),
    "rhi_timely_rate": ("Return home interviews completed within the timescale each month", True),
    "rhi_target_met_rate": (
        "Return home interviews held face to face within the timescale each month",
        True,
    ),
}

Cell = int | float | str

# Each breakdown's sheet name (plain English, at most 31 characters, Excel's limit) and the
# header of its first column, which names what the rows are. A breakdown not listed here gets
# a sheet name from its title and a header from its dimension.
BREAKDOWN_SHEETS: dict[str, tuple[str, str]] = {
    "episodes_by_month": ("Episodes by month", "Month"),
    "episodes_by_type": ("Episodes by type", "Type of episode"),
    "duration_bands": ("Time missing or away", "Time missing or away"),
    "age_bands": ("Episodes by age", "Age of the child"),
    "episodes_by_cohort": ("Episodes by placement", "Looked after and where placed"),
    "children_by_cohort": ("Children by placement", "Looked after and where placed"),
    "repeat_children": ("Children by episode count", "Episodes in the quarter"),
    "rhi_outcomes": ("Interview outcomes", "Outcome of the offer"),
    "not_offered_reasons": ("Why not offered", "Reason not offered"),
    "declined_by": ("Who declined", "Who declined"),
    "decline_reasons": ("Why declined", "Reason for declining"),
    "rhi_mode": ("How interviews were held", "How the interview was held"),
    "interviewer_role": ("Who held interviews", "Who held the interview"),
    "risks": ("Risks identified", "Risk identified"),
    "timeliness_exceptions": ("Exceptions to the timescale", "Exception agreed"),
    "interviews_per_practitioner": ("Interviews per practitioner", "Practitioner"),
}
# Each control chart's sheet.
SPC_SHEETS = {
    "episodes": "Episodes control chart",
    "rhi_offered_rate": "Offered control chart",
    "rhi_timely_rate": "Timely interviews control chart",
    "rhi_target_met_rate": "Face to face in time chart",
}
LANGUAGE = "en-GB"
_SHEET_LIMIT = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\']")


def _short_name(text: str) -> str:
    """Text cut at a word to fit a sheet name, without the characters Excel refuses."""
    words = _NOT_IN_SHEET_NAMES.sub(" ", text).split()
    name = ""
    for word in words:
        longer = f"{name} {word}".strip()
        if len(longer) > _SHEET_LIMIT:
            break
        name = longer
    return name or text[:_SHEET_LIMIT]


def breakdown_sheet(breakdown: Any) -> str:
    """The plain-English name of a breakdown's sheet."""
    known = BREAKDOWN_SHEETS.get(breakdown.id)
    return known[0] if known else _short_name(breakdown.title)


def spc_sheet(key: str) -> str:
    """The name of a control chart's sheet."""
    return SPC_SHEETS.get(key) or _short_name(f"{key.replace('_', ' ').capitalize()} chart")


def breakdown_first_header(breakdown: Any) -> str:
    """What a breakdown's rows are, as the header of its first column."""
    known = BREAKDOWN_SHEETS.get(breakdown.id)
    if known:
        return known[1]
    return str(breakdown.dimension or "Group").replace("_", " ").capitalize()


def table_name(text: str) -> str:
    """An Excel table name (letters, digits and underscores, starting with a letter), prefixed
    tbl_ as gptables' conventions suggest: `tbl_episodes_by_month`."""
    return "tbl_" + (re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower() or "table")


@dataclass
class Table:
    """One table sheet: `formats` names each column's number format ("count", "percent",
    "number", "hours", "text" or "mixed", where each row's format is in `row_formats`)."""

    sheet: str
    title: str
    note: str
    columns: list[str]
    rows: list[list[Cell]]
    formats: list[str]
    row_formats: list[str] = field(default_factory=list)
    name: str = ""  # the Excel table's name; from the sheet name when not given

    @property
    def table_name(self) -> str:
        """The Excel table's name (`tbl_...`)."""
        return self.name or table_name(self.sheet)


def _blank(value: Any) -> bool:
    try:
        return value is None or math.isnan(float(value))
    except (TypeError, ValueError):
        return value is None


def _figure(value: Any, withheld: bool, not_recorded: bool = False) -> Cell:
    """A figure as a workbook cell: the number, `[c]` if withheld, `[x]` if its data is not
    held in this run (not recorded), `[z]` if there is none."""
    if not_recorded:
        return present.NOT_RECORDED
    if withheld:
        return SUPPRESSED
    if _blank(value):
        return NOT_APPLICABLE
    number = float(value)
    return int(number) if number.is_integer() else number


def _registry(config: Any) -> dict[str, Any]:
    from pipeline.metrics.registry import configured_registry

    return configured_registry(
        timeliness_hours=config.timeliness_hours,
        repeat_threshold=config.repeat_threshold,
        independent_roles=config.independent_roles,
        completed_word=getattr(config, "completed_word", "completed"),
    )


def _shown_as(spec: Any) -> str:
    if spec is None:
        return "number"
    return getattr(spec, "shown_as", None) or {"ratio": "percent", "median_hours": "hours"}.get(
        spec.kind, "count"
    )


MEASURE = {
    "count": "Number",
    "percent": "Proportion (shown as a percentage)",
    "number": "Average",
    "hours": "Median, hours",
}


def headline_table(results: Any, metrics: pd.DataFrame, registry: dict[str, Any]) -> Table:
    """The reported quarter's metrics, one row per metric, one column per cohort."""
    q = metrics[metrics["quarter"] == results.quarter.id]
    cohorts = [c for c in COHORT_LABELS if c in set(q["cohort"])]
    order = [m for m in registry if m in set(q["metric"])] + sorted(
        set(q["metric"]) - set(registry)
    )
    by_key = q.set_index(["metric", "cohort"])
    rows, row_formats = [], []
    for metric in order:
        spec = registry.get(metric)
        shown = _shown_as(spec)
        row: list[Cell] = [spec.label if spec else metric, MEASURE[shown]]
        for cohort in cohorts:
            if (metric, cohort) in by_key.index:
                record = by_key.loc[(metric, cohort)]
                row.append(
                    _figure(
                        record["value"],
                        bool(record["suppressed"]),
                        bool(record.get("not_recorded", False)),
                    )
                )
            else:
                row.append(NOT_APPLICABLE)
        rows.append(row)
        row_formats.append(shown)
    return Table(
        "Headline",
        f"Headline figures by group of children, {results.quarter.label}",
        "Rates are proportions shown as percentages; medians are in hours.",
        ["Measure", "Type of figure", *[COHORT_LABELS[c] for c in cohorts]],
        rows,
        ["text", "text", *["mixed"] * len(cohorts)],
        row_formats,
    )


def trends_table(results: Any, metrics: pd.DataFrame, registry: dict[str, Any]) -> Table:
    """Every metric for every cohort and trend quarter, with numerators and denominators."""
    quarter_labels = {q.id: q.short_label for q in results.quarters}
    frame = metrics.copy()
    frame["_q"] = frame["quarter"].map({q.id: i for i, q in enumerate(results.quarters)})
    frame["_c"] = frame["cohort"].map({c: i for i, c in enumerate(COHORT_LABELS)})
    frame["_m"] = frame["metric"].map({m: i for i, m in enumerate(registry)})
    frame = frame.sort_values(["_q", "_c", "_m", "metric"], kind="stable", na_position="last")
    rows, row_formats = [], []
    for record in frame.to_dict("records"):
        spec = registry.get(record["metric"])
        shown = _shown_as(spec)
        withheld = bool(record["suppressed"])
        unheld = bool(record.get("not_recorded", False))
        rows.append(
            [
                quarter_labels.get(record["quarter"], record["quarter"]),
                COHORT_LABELS.get(record["cohort"], record["cohort"]),
                spec.label if spec else record["metric"],
                record["metric"],
                _figure(record["numerator"], withheld, unheld),
                _figure(record["denominator"], withheld, unheld),
                _figure(record["value"], withheld, unheld),
            ]
        )
        row_formats.append(shown)
    return Table(
        "Trends",
        "Every measure by quarter and group of children",
        "One row per quarter, group and measure, as in metrics.csv; Metric ID matches it.",
        [
            "Quarter",
            "Group of children",
            "Measure",
            "Metric ID",
            "Numerator",
            "Denominator",
            "Value",
        ],
        rows,
        ["text", "text", "text", "text", "count", "count", "mixed"],
        row_formats,
    )


def breakdown_table(results: Any, breakdown: Any, metrics: pd.DataFrame) -> Table:
    """One breakdown: a row per category, a column per cohort, and a total row when the
    categories add up."""
    frame = breakdown.frame.reset_index(drop=True)
    columns = disclosure.count_columns(frame)
    decisions = results.disclosure
    mask = decisions.breakdown_mask(breakdown).reset_index(drop=True)
    rows: list[list[Cell]] = [
        [str(label), *[_figure(frame.at[i, c], bool(mask.at[i, c])) for c in columns]]
        for i, label in enumerate(frame["label"].tolist())
    ]
    if breakdown.additive and len(frame) > 1:
        totals: list[Cell] = ["Total"]
        for c in columns:
            total = float(frame[c].sum())
            totals.append(_figure(total, decisions.total_withheld(breakdown, c)))
        rows.append(totals)
    return Table(
        breakdown_sheet(breakdown),
        f"{breakdown.title}, {results.quarter.label}",
        decisions.note(breakdown) or "Number of episodes or interviews in each category.",
        [breakdown_first_header(breakdown), *[COHORT_LABELS.get(c, c) for c in columns]],
        rows,
        ["text", *["count"] * len(columns)],
        name=table_name(breakdown.id),
    )


def _month_label(month: str) -> str:
    from pipeline.periods import month_label

    return month_label(month)


def spc_tables(results: Any, metrics: pd.DataFrame) -> list[Table]:
    """One table per control chart: each month's value, the mean, the process limits and
    whether the point is a special-cause signal."""
    analysis = results.analysis
    spc = getattr(analysis, "spc", None) or {}
    monthly = getattr(results, "monthly", None)
    months = list(getattr(analysis, "months", None) or [])
    mask = None
    if isinstance(monthly, pd.DataFrame):
        months = monthly["month"].astype("str").tolist()
        mask = results.disclosure.monthly_mask(monthly).reset_index(drop=True)
    public = results.disclosure.public
    tables = []
    for key, (title, percent) in SPC_SERIES.items():
        result = results.disclosure.spc_result(key, spc.get(key) if hasattr(spc, "get") else None)
        if result is None:
            continue
        values = list(result.values)
        labels = (
            [_month_label(m) for m in months]
            if len(months) == len(values)
            else [f"Point {i + 1}" for i in range(len(values))]
        )
        if mask is not None and key in mask.columns and len(mask) == len(values):
            withheld = mask[key].tolist()
        elif public:
            # Without the monthly counts a point cannot be checked, so none is published.
            withheld = [True] * len(values)
        else:
            withheld = [False] * len(values)
        limits = results.disclosure.spc_withheld(key)
        rows: list[list[Cell]] = [
            [
                labels[i],
                _figure(values[i], withheld[i]),
                _figure(result.mean[i], limits),
                _figure(max(float(result.lower[i]), 0.0), limits),
                _figure(result.upper[i], limits),
                SUPPRESSED
                if withheld[i] or limits
                else ("Yes" if bool(result.special[i]) else "No"),
            ]
            for i in range(len(values))
        ]
        fmt = "percent" if percent else "number"
        tables.append(
            Table(
                spc_sheet(key),
                f"{title}: statistical process control",
                "Process limits are the mean plus or minus 2.66 times the average moving range "
                "(NHS Making Data Count); a lower limit below zero is shown as zero.",
                [
                    "Month",
                    "Value",
                    "Mean",
                    "Lower process limit",
                    "Upper process limit",
                    "Special cause signal",
                ],
                rows,
                ["text", fmt, fmt, fmt, fmt, "text"],
                name=table_name(f"spc_{key}"),
            )
        )
    return tables


def notes_rows(results: Any, registry: dict[str, Any]) -> list[list[Cell]]:
    """The notes sheet: symbols, disclosure control, data quality, cohorts and definitions."""
    config = results.config
    threshold = config.suppress_below
    warnings = sum(1 for f in results.findings if f.severity == "warning")
    notes = [
        f"[c] means a figure is withheld to protect children's confidentiality: it is from 1 "
        f"to {threshold - 1}, or could be worked out from other figures (for example by "
        "subtracting from a total), or is a rate or median built on such a figure. Zero is "
        "shown."
        if results.disclosure.public
        else "[c] is not used: this internal edition shows every figure. It is not for "
        "publication.",
        "[z] means not applicable: a rate or median with no cases, or the numerator or "
        "denominator of a figure that has none.",
        *(
            [
                "[x] means not recorded: the extracts this workbook was made from do not hold "
                "the data the figure needs, so it is not counted (never 0); data-quality.csv "
                "names the columns not held."
            ]
            if "not_recorded" in results.metrics.columns and results.metrics["not_recorded"].any()
            else []
        ),
        "Quarters are UK financial-year quarters (Quarter 1 is April to June). An episode "
        "belongs to the quarter in which it started.",
        f"Data quality: the extracts had {warnings} warning(s), listed in data-quality.csv; "
        "records a rule excludes from a measure are left out of that measure only.",
    ]
    from pipeline.metrics.registry import COHORT_DEFINITIONS

    notes += [f"{COHORT_LABELS.get(c, c)}: {text}" for c, text in COHORT_DEFINITIONS.items()]
    notes += [f"{spec.label} ({key}): {spec.definition}" for key, spec in registry.items()]
    return [[i, text] for i, text in enumerate(notes, start=1)]


def build_tables(results: Any) -> tuple[list[Table], Table]:
    """The table sheets and the notes table, in order."""
    metrics = disclosed_metrics(results)
    registry = _registry(results.config)
    tables = [headline_table(results, metrics, registry), trends_table(results, metrics, registry)]
    published = results.disclosure.published(results.breakdowns)
    tables += [breakdown_table(results, b, metrics) for b in published]
    tables += spc_tables(results, metrics)
    from pipeline.render import capacity, revisions

    tables += [
        t
        for t in (
            capacity.workbook_table(results),
            capacity.assumptions_table(results),
            revisions.workbook_table(results),
        )
        if t
    ]
    notes = Table(
        "Notes",
        "Notes",
        "Symbols, definitions and data-quality treatment used in every table.",
        ["Note number", "Note text"],
        notes_rows(results, registry),
        ["count", "text"],
    )
    return tables, notes


class _Formats:
    """The workbook's cell formats, made once."""

    def __init__(self, book: Any) -> None:
        base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
        self.title = book.add_format({**base, "bold": True, "font_size": 14})
        self.heading = book.add_format({**base, "bold": True, "font_size": 12})
        self.note = book.add_format({**base})
        self.header = book.add_format({**base, "bold": True, "text_wrap": True, "bottom": 1})
        self.text = book.add_format({**base, "text_wrap": True})
        self.symbol = book.add_format({**base, "align": "right"})
        self.link = book.add_format({**base, "underline": 1, "font_color": "#1d4f91"})
        self.number = {
            "count": book.add_format({**base, "num_format": "#,##0"}),
            "percent": book.add_format({**base, "num_format": "0.0%"}),
            "number": book.add_format({**base, "num_format": "#,##0.0"}),
            "hours": book.add_format({**base, "num_format": "#,##0.0"}),
        }


def _write_cell(sheet: Any, row: int, col: int, value: Cell, fmt: str, formats: _Formats) -> None:
    if isinstance(value, str):
        style = formats.text if fmt == "text" else formats.symbol
        sheet.write_string(row, col, value, style)
    else:
        sheet.write_number(row, col, value, formats.number.get(fmt, formats.number["number"]))


def _set_marking(sheet: Any, text: str) -> None:
    # Printed pages carry the marking too (& must be doubled in header codes).
    code = "&C" + text.replace("&", "&&")
    sheet.set_header(code)
    sheet.set_footer(code)


def _write_table(sheet: Any, table: Table, mark: str, formats: _Formats) -> None:
    sheet.write_string(TITLE_ROW, 0, table.title, formats.title)
    sheet.write_string(NOTE_ROW, 0, f"{mark}. {table.note}".strip(), formats.note)
    for col, name in enumerate(table.columns):
        sheet.write_string(HEADER_ROW, col, name, formats.header)
    for r, row in enumerate(table.rows):
        for col, value in enumerate(row):
            fmt = table.formats[col]
            if fmt == "mixed":
                fmt = table.row_formats[r]
            _write_cell(sheet, HEADER_ROW + 1 + r, col, value, fmt, formats)
    if table.rows:
        sheet.add_table(
            HEADER_ROW,
            0,
            HEADER_ROW + len(table.rows),
            len(table.columns) - 1,
            {
                "name": table.table_name,
                "style": None,
                "autofilter": False,
                "columns": [
                    {"header": name, "header_format": formats.header} for name in table.columns
                ],
            },
        )
    widths = [
        max([len(str(table.columns[c]))] + [len(str(r[c])) for r in table.rows])
        for c in range(len(table.columns))
    ]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width + 2, 12), 60 if col else 70))
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    _set_marking(sheet, mark)


def _long_date(day: Any) -> str:
    """A date as the cover writes it: 23 July 2026."""
    return f"{day.day} {day:%B %Y}"


def cover_sections(results: Any, mark: str) -> list[tuple[str, list[str]]]:
    """The cover's sections, each a heading and its lines (gptables' and aftables' layout):
    what the tables are, the period, the dates and whom to contact, from the config."""
    config = results.config
    published = config.publication_date or config.report_date
    dates = [f"Data as at: {_long_date(results.as_at)}"]
    if published is not None:
        dates.append(f"Published: {_long_date(published)}")
    if config.next_update is not None:
        dates.append(f"Next update: {_long_date(config.next_update)}")
    else:
        dates.append(f"Next update: with the paper for {results.quarter.next().label}")
    contact = [f"{config.report_owner}, {config.council_name}"]
    if config.contact_email:
        contact.append(f"Email: {config.contact_email}")
    if config.contact_phone:
        contact.append(f"Telephone: {config.contact_phone}")
    return [
        (
            "About these tables",
            [
                mark,
                f"{config.council_name}, {config.board_name}.",
                "These tables hold every figure in the board report on children missing from "
                "home and care and their return home interviews, and the data behind its "
                "charts.",
                "The contents sheet lists every table; the notes sheet explains symbols and "
                "definitions.",
            ],
        ),
        ("Period covered", [results.quarter.label]),
        ("Dates", dates),
        ("Contact", contact),
    ]


def _write_cover(sheet: Any, results: Any, mark: str, formats: _Formats) -> None:
    """The cover: title in A1, then each section's heading (bold) and lines, one per row;
    the email address is a mailto link."""
    config = results.config
    sheet.write_string(0, 0, f"{config.report_title}: tables", formats.title)
    row = 1
    for heading, lines in cover_sections(results, mark):
        sheet.write_string(row, 0, heading, formats.heading)
        row += 1
        for line in lines:
            if config.contact_email and line == f"Email: {config.contact_email}":
                url = f"mailto:{config.contact_email}"
                sheet.write_url(row, 0, url, formats.link, line)
            else:
                sheet.write_string(row, 0, line, formats.text)
            row += 1
    sheet.set_column(0, 0, 110)
    _set_marking(sheet, mark)


def _with_language(xlsx: bytes, language: str) -> bytes:
    """The workbook with its language in the core properties (dc:language), which
    xlsxwriter does not write; every other part copied as it was, in the same order and with
    the same fixed timestamps, so the bytes stay the same on every run."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                tag = f"<dc:language>{language}</dc:language>".encode()
                data = data.replace(b"</cp:coreProperties>", tag + b"</cp:coreProperties>")
            target.writestr(info, data)
    return out.getvalue()


def write_workbook(
    results: Any, out_dir: Path, name: str = WORKBOOK, extra: Sequence[Table] = ()
) -> str:
    """Write tables.xlsx (or `name`) into `out_dir`, with the `extra` tables (an internal
    report's worklists) after the others; returns its file name."""
    tables, notes = build_tables(results)
    tables = [*tables, *extra]
    mark = marking(results.audience)
    config = results.config
    out_dir.mkdir(parents=True, exist_ok=True)
    import xlsxwriter  # here, not at the top: the paper's view imports this module early

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    created = datetime.combine(results.as_at, time())
    book.set_properties(
        {
            "title": f"{config.report_title}: tables, {results.quarter.short_label}",
            "author": config.council_name,
            "company": config.council_name,
            "comments": mark,
            "created": created,
        }
    )
    book.set_custom_property("Classification", mark)
    formats = _Formats(book)

    _write_cover(book.add_worksheet("Cover"), results, mark, formats)

    contents_sheet = book.add_worksheet("Contents")
    notes_sheet = book.add_worksheet("Notes")
    sheets = [(notes, notes_sheet)] + [(t, book.add_worksheet(t.sheet)) for t in tables]
    contents = Table(
        "Contents",
        "Contents",
        "Each sheet holds one table: title in cell A1, a note in A2, the header row in row 3.",
        ["Sheet name", "Table title"],
        [[t.sheet, t.title] for t, _ in sheets],
        ["text", "text"],
    )
    _write_table(contents_sheet, contents, mark, formats)
    # Link each sheet name to its sheet (written over the plain text, same string).
    for r, (table, _) in enumerate(sheets):
        contents_sheet.write_url(
            HEADER_ROW + 1 + r, 0, f"internal:'{table.sheet}'!A1", formats.link, table.sheet
        )
    for table, sheet in sheets:
        _write_table(sheet, table, mark, formats)
    book.close()
    (out_dir / name).write_bytes(_with_language(buffer.getvalue(), LANGUAGE))
    return name


__all__ = [
    "BREAKDOWN_SHEETS",
    "LANGUAGE",
    "NOT_APPLICABLE",
    "SPC_SHEETS",
    "WORKBOOK",
    "Table",
    "breakdown_first_header",
    "breakdown_sheet",
    "breakdown_table",
    "build_tables",
    "cover_sections",
    "headline_table",
    "notes_rows",
    "spc_sheet",
    "spc_tables",
    "table_name",
    "trends_table",
    "write_workbook",
]
