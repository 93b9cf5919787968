"""Reading an extract file into a text table with canonical headers and canonical codes.

Loading never interprets a value beyond mapping it: types are read by `pipeline.parse` in the
validation stage, so every unreadable cell becomes a finding with its row and column.
Extract files are only ever read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.config import ExtractConfig, RhiFlags
from pipeline.digest import sha256_file
from pipeline.errors import UsageError
from pipeline.files import check_regular_file, check_text_encoding
from pipeline.findings import Finding
from pipeline.parse import canonical_code, clean_text, factorize, per_distinct, spread
from pipeline.schema import EXTRACTS, FIRST_DATA_ROW, ROW, Column

# Excel's day zero for serial dates (the 1900 leap-year bug makes it 30 December 1899).
_EXCEL_EPOCH = datetime(1899, 12, 30)
_ENCODINGS = ("utf-8-sig", "cp1252")
# Columns holding several `;`-separated codes, each mapped on its own.
MULTI_VALUED = frozenset({"risks"})


@dataclass
class RawExtract:
    """One extract as text: canonical headers, mapped codes, and each record's spreadsheet row.

    `frame` holds every canonical column that was found (as `str`, blank = NA) plus `row`.
    `missing_columns` lists required canonical columns the file lacks; `absent_headers` the
    headers the config maps (local -> canonical) that the file does not have; `headers` the
    file's own headers; `local_names` maps each canonical column back to the header the
    user's file calls it, for messages.
    """

    name: str
    path: Path
    frame: pd.DataFrame
    missing_columns: list[str] = field(default_factory=list)
    absent_headers: dict[str, str] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)
    local_names: dict[str, str] = field(default_factory=dict)
    sha256: str = ""
    encoding: str = ""
    # The layout (see the "Layout" block below): the sheet read, the header's spreadsheet
    # row, findings made while reading (footer lines, RHI flags), the RHI flags read from the
    # episode rows, and whether a file was given at all (an episode-only run has none).
    sheet: str | None = None
    header_row: int = 1
    findings: list[Finding] = field(default_factory=list)
    flags: pd.DataFrame | None = None
    provided: bool = True
    not_held: tuple[str, ...] = ()
    from_flags: bool = False
    # The local codes the config maps, per canonical column (for near-match hints).
    mapped_codes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Whether the header row names any column the config maps (or a canonical one).
    header_found: bool = True

    @property
    def file(self) -> str:
        """The file name as messages show it."""
        return self.path.name

    def header(self, column: str) -> str:
        """The user's own header for a canonical column."""
        return self.local_names.get(column, column)

    @cached_property
    def held(self) -> frozenset[str]:
        """The canonical columns this run holds from this extract: in the file (or built by
        the config) and, when the file has rows, not blank in every one of them. A column
        that is not held gives no figure at all: its measures are not recorded, never 0."""
        if not self.provided:
            return frozenset()
        frame = self.frame
        names = [c for c in frame.columns if c != ROW and c not in self.not_held]
        if not len(frame):
            return frozenset(names)
        return frozenset(c for c in names if frame[c].notna().any())


def _cell_text(value: object) -> object:
    """An XLSX cell as text; Excel dates become ISO text so they parse like CSV dates."""
    if value is None or value == "":
        return pd.NA
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):  # a date-formatted cell: midnight, as Excel means it
        return value.strftime("%Y-%m-%d 00:00:00")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# A cell of type "e" (an error value) in a worksheet's XML, however the attribute is spaced
# or quoted.
_ERROR_CELL = re.compile(rb"""\bt\s*=\s*["']e["']""")


# A cell in column AAA or beyond (the 703rd): no extract is that wide, but one stray cell
# there makes the sheet's used range, which python-calamine allocates in full, enormous.
_FAR_COLUMN = re.compile(rb"""\sr\s*=\s*["'][A-Z]{3}""")
_ROW_NUMBER = re.compile(rb"""<row\s[^>]*?\br\s*=\s*["'](\d+)["']""")


def _last_row_number(block: bytes, previous: int) -> int:
    """The number of the last whole `<row r="N"` in a block of sheet XML, else `previous`."""
    start = block.rfind(b"<row")
    while start >= 0:
        found = _ROW_NUMBER.match(block, start)
        if found is not None:
            return int(found.group(1))
        start = block.rfind(b"<row", 0, start)  # cut off at the block's end: the one before
    return previous


def _inflated_rows(rows: int, last_row: int) -> bool:
    """Whether a sheet's last row lies far beyond its rows with cells (a stray cell far
    down): read such a sheet row by row, not as one block down to that row."""
    return last_row > 2 * rows + 10_000


def _has_error_cells(path: Path) -> bool:
    """Whether the workbook may hold an error value (#N/A, #DIV/0!, ...) in any sheet, or a
    cell so far out (column AAA or beyond, or rows far below the data) that its used range
    must not be read as one block; either way openpyxl reads it, row by row, bounded.

    Read as a zip of XML, a few megabytes at a time, looking for cells of type "e" in every
    XML part but the shared strings (sheets need not live where Excel puts them). A false
    alarm only costs speed. False when the file cannot be read this way: the reader then
    says what is wrong with it."""
    try:
        with zipfile.ZipFile(path) as book:
            for name in book.namelist():
                lower = name.lower()
                if not lower.endswith(".xml") or lower.endswith("sharedstrings.xml"):
                    continue
                with book.open(name) as part:
                    tail = b""
                    rows, last_row = 0, 0
                    while chunk := part.read(1 << 22):
                        block = tail + chunk
                        if _ERROR_CELL.search(block) or _FAR_COLUMN.search(block):
                            return True
                        rows += chunk.count(b"<row")
                        last_row = _last_row_number(block, last_row)
                        tail = block[-64:]
                    if _inflated_rows(rows, last_row):
                        return True
    except Exception:  # a damaged zip or XML part: the reader reports the file
        return False
    return False


def _unreadable_workbook(path: Path, exc: Exception) -> UsageError:
    return UsageError(
        f"{path.name}: could not be opened as an Excel workbook ({type(exc).__name__}). "
        "Save it again as .xlsx, or export it as CSV."
    )


def _unknown_sheet(path: Path, sheet: str, names: list[str]) -> UsageError:
    return UsageError(
        f"{path.name}: has no sheet called '{sheet}' (it has: {', '.join(names)}). "
        "Correct the sheet name in the config."
    )


def _rows_calamine(path: Path, sheet: str | None) -> list[list[object]]:
    """The sheet's cells with python-calamine (fast): blank cells read as ''."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        with CalamineWorkbook.from_path(str(path)) as book:
            names = book.sheet_names
            if sheet is None:
                # The first worksheet: a chart sheet may come first in the tabs.
                kinds = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
                ws = book.get_sheet_by_name(kinds[0]) if kinds else book.get_sheet_by_index(0)
            elif sheet in names:
                ws = book.get_sheet_by_name(sheet)
            else:
                raise _unknown_sheet(path, sheet, names)
            # Keep empty rows and columns before the data, so row numbers match the sheet's.
            return ws.to_python(skip_empty_area=False)
    except UsageError:
        raise
    except Exception as exc:  # calamine raises its own error types for a damaged file
        raise _unreadable_workbook(path, exc) from None


def _rows_openpyxl(path: Path, sheet: str | None) -> list[list[object]]:
    """The sheet's cells with openpyxl, which keeps an error cell's text (such as '#N/A')."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad file
        raise _unreadable_workbook(path, exc) from None
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise _unknown_sheet(path, sheet, book.sheetnames)
        return _bounded_rows(ws)
    except UsageError:
        raise
    except Exception as exc:  # a damaged sheet part
        raise _unreadable_workbook(path, exc) from None
    finally:
        book.close()


# Rows that set how wide a sheet is read: the header and the first records.
_WIDTH_ROWS = 100


def _blank_cell(value: object) -> bool:
    return value is None or value == ""


def _bounded_rows(ws) -> list[list[object]]:
    """An openpyxl read-only sheet's cells, bounded whatever its used range claims: no wider
    than the last cell with a value in its first rows, no longer than its last row with a
    value in those columns (a stray cell at XFD1048576 is not read)."""
    head = list(ws.iter_rows(max_row=_WIDTH_ROWS, values_only=True))
    width = max((i + 1 for row in head for i, v in enumerate(row) if not _blank_cell(v)), default=0)
    if width == 0:
        return []
    rows: list[tuple[object, ...]] = []
    kept = 0  # rows up to and including the last with a value
    for values in ws.iter_rows(max_col=width, values_only=True):
        rows.append(values)  # a gap's rows share one empty tuple: kept as it is
        if not all(_blank_cell(v) for v in values):
            kept = len(rows)
    return [list(r) for r in rows[:kept]]


def _xlsx_rows(path: Path, sheet: str | None) -> list[list[object]]:
    """Every row of the sheet as text cells (blank = NA)."""
    # python-calamine reads a workbook tens of times faster than openpyxl, but reads an error
    # cell as blank, which could silently change a figure; a workbook with error cells is
    # read by openpyxl, so the error text reaches the checks and is reported.
    reader = _rows_openpyxl if _has_error_cells(path) else _rows_calamine
    return [[_cell_text(v) for v in r] for r in reader(path, sheet)]


def _read_xlsx(
    path: Path, sheet: str | None, rows: list[list[object]] | None = None, skip: int = 0
) -> pd.DataFrame:
    """The sheet as a text table whose header is the row after `skip` rows."""
    rows = _xlsx_rows(path, sheet) if rows is None else rows
    rows = rows[skip:]
    if not rows:
        return pd.DataFrame()
    header = [str(h).strip() if h is not pd.NA else "" for h in rows[0]]
    width = len(header)
    body = [(r + [pd.NA] * width)[:width] for r in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype="str")
    frame.index = range(FIRST_DATA_ROW + skip, FIRST_DATA_ROW + skip + len(frame))
    return frame


def _read_csv(path: Path, skip: int = 0) -> tuple[pd.DataFrame, str]:
    """A CSV file as text; `skip` lines above the header (title rows) are not read."""
    check_text_encoding(path, "extract")
    frame = None
    for encoding in _ENCODINGS:
        try:
            frame = pd.read_csv(
                path,
                encoding=encoding,
                dtype="str",
                keep_default_na=False,
                na_values=[""],
                skip_blank_lines=False,
                skiprows=skip,
            )
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            return pd.DataFrame(), encoding
        except pd.errors.ParserError as exc:
            raise UsageError(f"{path.name}: is not a well-formed CSV file ({exc}).") from None
        break
    if frame is None:  # cp1252 leaves a few bytes undefined
        raise UsageError(
            f"{path.name}: is neither UTF-8 nor Windows-1252 text. Export it again as CSV UTF-8."
        )
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.index = range(FIRST_DATA_ROW + skip, FIRST_DATA_ROW + skip + len(frame))
    return frame, encoding


def _check_file(path: Path) -> str:
    """The file's kind ("xlsx" or "csv"), or a UsageError saying why it cannot be read."""
    if not path.exists():
        raise UsageError(
            f"{path}: file not found. Check the path in the config or give it with a flag."
        )
    check_regular_file(path, "extract")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return "xlsx"
    if suffix in {".csv", ".txt"}:
        return "csv"
    raise UsageError(
        f"{path.name}: has the extension '{path.suffix}'; rhi-report reads .csv and .xlsx files."
    )


def read_table(path: Path, sheet: str | None = None) -> tuple[pd.DataFrame, str]:
    """Read a CSV or XLSX file as text, indexed by spreadsheet row; returns (table, encoding)."""
    if _check_file(path) == "xlsx":
        return _read_xlsx(path, sheet), "xlsx"
    return _read_csv(path)


def read_table_below_title(
    path: Path, sheet: str | None, known: frozenset[str], header_row: int | None
) -> tuple[pd.DataFrame, str, int]:
    """Read a file whose header may sit below title or merged rows: (table, encoding, the
    header's spreadsheet row). The header is `header_row` when configured, else found among
    the first rows (see `find_header_row`)."""
    kind = _check_file(path)
    if kind == "xlsx":
        rows = _xlsx_rows(path, sheet)
        skip = header_row - 1 if header_row else find_header_row(rows[:HEADER_SEARCH], known)
        return _read_xlsx(path, sheet, rows, skip), "xlsx", skip + 1
    skip = header_row - 1 if header_row else find_header_row(_csv_head(path), known)
    table, encoding = _read_csv(path, skip)
    return table, encoding, skip + 1


def _map_headers(
    frame: pd.DataFrame, columns: tuple[Column, ...], mapping: dict[str, str], file: str
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rename local headers to canonical ones; drop every column we don't know."""
    known = {c.name for c in columns}
    by_key = {k.strip().casefold(): v for k, v in mapping.items()}
    renamed: dict[str, str] = {}
    for header in frame.columns:
        key = header.casefold()
        target = by_key.get(key) or (header if header in known else None)
        if target is None and key in known:
            target = key
        if target is None or target not in known:
            continue
        if target in renamed.values():
            first = next(k for k, v in renamed.items() if v == target)
            raise UsageError(
                f"{file}: two columns map to '{target}': '{first}' and '{header}'. "
                "Remove one from the file, or correct the column mapping in the config."
            )
        renamed[header] = target
    kept = frame[list(renamed)].rename(columns=renamed)
    return kept, {v: k for k, v in renamed.items()}


def _map_values(frame: pd.DataFrame, values: dict[str, dict[str, object]]) -> pd.DataFrame:
    """Apply the config's value mapping, working on the distinct values of each column."""
    for column, mapping in values.items():
        if column not in frame.columns or not mapping:
            continue
        lookup = {str(k).strip().casefold(): v for k, v in mapping.items()}
        source = frame[column]
        if column in MULTI_VALUED:
            frame[column] = _map_multi(source, lookup)
            continue
        codes, uniques = factorize(source)
        local = [str(u) for u in uniques]
        targets = [lookup.get(u.casefold()) for u in local]
        # The column itself: its mapped value, or the local value when unmapped.
        own = [
            t if isinstance(t, str) else t.get(column, u) if isinstance(t, dict) else u
            for u, t in zip(local, targets, strict=True)
        ]
        frame[column] = spread(own, codes, frame.index)
        # Other columns a code sets (e.g. declined_by from an outcome code).
        others = sorted({k for t in targets if isinstance(t, dict) for k in t} - {column})
        for target_column in others:
            given = [t.get(target_column) if isinstance(t, dict) else None for t in targets]
            new = spread(given, codes, frame.index)
            if target_column in frame.columns:
                new = new.where(new.notna(), frame[target_column])
            frame[target_column] = new
    return frame


def _map_multi(source: pd.Series, lookup: dict[str, object]) -> pd.Series:
    """Map each `;`-separated item of a multi-valued cell."""

    def one(cell: str) -> str:
        items = [i.strip() for i in cell.split(";") if i.strip()]
        out = []
        for item in items:
            target = lookup.get(item.casefold(), item)
            out.append(target if isinstance(target, str) else item)
        return ";".join(out)

    return per_distinct(source, lambda distinct: distinct.map(one, na_action="ignore"))


def _excel_serials(frame: pd.DataFrame, columns: tuple[Column, ...]) -> pd.DataFrame:
    """Date cells an XLSX file holds as bare serial numbers (no date format) become ISO text."""
    for col in columns:
        if col.kind not in {"datetime", "date"} or col.name not in frame.columns:
            continue
        numbers = pd.to_numeric(frame[col.name], errors="coerce")
        serial = numbers.notna() & numbers.between(1, 2958465)  # Excel's last day is 9999-12-31
        if serial.any():
            stamps = pd.Timestamp(_EXCEL_EPOCH) + pd.to_timedelta(numbers[serial], unit="D")
            frame.loc[serial, col.name] = stamps.dt.round("s").dt.strftime("%Y-%m-%d %H:%M:%S")
    return frame


# Text columns that identify someone: nearly every value differs, so they are trimmed
# directly rather than through their distinct values.
_HIGH_CARDINALITY = frozenset({"episode_id", "child_id", "interviewer_id"})


def _trim(frame: pd.DataFrame, columns: tuple[Column, ...]) -> pd.DataFrame:
    """Trim white space and make blank cells NA, once per column.

    Date columns are left as they are: the date parser reads padded cells in bulk and trims
    only the few it cannot read at once.
    """
    for col in columns:
        if col.name not in frame.columns or col.kind in {"datetime", "date"}:
            continue
        if col.name in _HIGH_CARDINALITY:
            frame[col.name] = clean_text(frame[col.name])
        else:
            frame[col.name] = per_distinct(frame[col.name], clean_text)
    return frame


def _blank_rows(frame: pd.DataFrame, columns: tuple[Column, ...]) -> pd.Series:
    """Rows with nothing in any canonical column (white space counts as nothing)."""
    blank = pd.Series(True, index=frame.index)
    dates = []
    for col in columns:
        if col.name in frame.columns:
            if col.kind in {"datetime", "date"}:
                dates.append(col.name)
            else:
                blank &= frame[col.name].isna()
    for name in dates:
        candidates = blank & frame[name].notna()
        if candidates.any():
            blank.loc[candidates] = frame.loc[candidates, name].str.strip() == ""
    return blank


def keep_rows(frame: pd.DataFrame, kept: pd.Series) -> pd.DataFrame:
    """The rows where `kept` is True. When that is every row the frame itself, not a copy:
    its code columns then keep the codes they were trimmed with (`parse.factorize`)."""
    return frame if kept.all() else frame.loc[kept]


def _canonical_spelling(frame: pd.DataFrame, columns: tuple[Column, ...]) -> pd.DataFrame:
    """Category cells to canonical spelling where that is one (`Face to Face` -> face_to_face)."""

    def spell(allowed: tuple[str, ...]) -> Callable[[pd.Series], pd.Series]:
        def transform(text: pd.Series) -> pd.Series:
            coded = canonical_code(text)
            return coded.where(coded.isin(allowed), text)

        return transform

    def spell_list(text: pd.Series) -> pd.Series:
        text = text.str.lower().str.replace(r"\s*;\s*", ";", regex=True)
        return text.str.replace(r"[\s\-]+", "_", regex=True)

    for col in columns:
        if col.name not in frame.columns:
            continue
        if col.kind == "category":
            frame[col.name] = per_distinct(frame[col.name], spell(col.allowed))
        elif col.name in MULTI_VALUED:
            frame[col.name] = per_distinct(frame[col.name], spell_list)
    return frame


# ---------------------------------------------------------------------------------------------
# Layout: where the header is, what is not data, blank markers, two-digit years, columns the
# config builds, and the RHI record held on the episode row (docs/inputs.md, "Your extract").

# How many rows at the top of a file are searched for the header.
HEADER_SEARCH = 30


def known_headers(columns: tuple[Column, ...], spec: ExtractConfig) -> frozenset[str]:
    """Headers (case-folded) that mark a header row: canonical names and the config's own."""
    names = {c.name for c in columns} | {k.strip().casefold() for k in spec.columns}
    if spec.rhi_flags is not None:
        names |= {
            h.strip().casefold() for h in (spec.rhi_flags.offered, spec.rhi_flags.accepted) if h
        }
    return frozenset(names)


def find_header_row(rows: list[list[object]], known: frozenset[str]) -> int:
    """How many rows sit above the header: 0 unless a later row of the first few names more
    known headers than the first row does (a title or merged rows above the header)."""

    def hits(row: list[object]) -> int:
        return sum(1 for cell in row if isinstance(cell, str) and cell.strip().casefold() in known)

    scores = [hits(r) for r in rows[:HEADER_SEARCH]]
    if not scores:
        return 0
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    return best if scores[best] > scores[0] else 0


def _csv_head(path: Path) -> list[list[object]]:
    """The first rows of a CSV file as cells (for finding the header), in either encoding."""
    import csv
    import io

    # Only the start is read: the whole file would be read (and thrown away) for 64 KB.
    with path.open("rb") as handle:
        raw = handle.read(1 << 16)
    for encoding in _ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return []
    lines = text.splitlines()[:HEADER_SEARCH]
    return [list(r) for r in csv.reader(io.StringIO("\n".join(lines)))]


# The first cell of a line below the data that is a total, a count or a note, not a record:
# "Total", "Grand total: 12", "Count of episodes", "(12 rows affected)", "End of report".
_FOOTER = re.compile(
    r"^\s*(?:(?:grand\s+|sub-?)?totals?(?=$|[\s:])|count(?=$|[\s:])|end of\b|"
    r"report (?:run|produced|generated)\b|"
    r"\(?\d[\d,]*\s+rows?\s+(?:affected|returned|selected)\)?|rows? returned\b|"
    r"no\.? of (?:rows|records)\b)",
    re.IGNORECASE,
)


# How many lines at the foot of a file are looked at for totals and notes.
FOOTER_SEARCH = 50


def footer_rows(table: pd.DataFrame) -> list[tuple[int, str]]:
    """Lines at the foot of the table that are totals or notes: (spreadsheet row, first
    cell), from the top. Only the trailing lines are looked at; blank lines between them
    are passed over."""
    found: list[tuple[int, str]] = []
    # Only the foot is looked at: converting a million-row table would cost more than a run.
    tail = table.iloc[-FOOTER_SEARCH:]
    values = tail.to_numpy(dtype=object, na_value=None)
    for position in range(len(values) - 1, -1, -1):
        cells = [str(v).strip() for v in values[position] if v is not None and str(v).strip()]
        if not cells:
            continue
        if not _FOOTER.match(cells[0]):
            break
        found.append((int(tail.index[position]), cells[0]))
    return found[::-1]


def _footer_finding(file: str, footer: list[tuple[int, str]]) -> Finding:
    rows = [r for r, _ in footer]
    where = f"row {rows[0]}" if len(rows) == 1 else f"rows {rows[0]} to {rows[-1]}"
    return Finding(
        "warning",
        file,
        None,
        None,
        "footer_rows",
        f"{file}: {where} at the foot of the file {'looks' if len(rows) == 1 else 'look'} "
        f"like totals or notes, not records ('{footer[0][1]}'); "
        f"{'it is' if len(rows) == 1 else 'they are'} left out of every figure.",
    )


def _blank_markers(frame: pd.DataFrame, markers: list[str]) -> pd.DataFrame:
    """Cells that say they are blank (`NULL` from SQL Server Management Studio, `N/A`, `-`)
    become blank, in every column read."""
    if not markers:
        return frame
    folded = {m.strip().casefold() for m in markers}
    for name in frame.columns:
        values = frame[name]
        marked = per_distinct(values, lambda t: t.str.strip().str.casefold()).isin(folded)
        if marked.any():
            frame[name] = values.mask(marked.fillna(False).astype(bool), pd.NA)
    return frame


def _built_columns(
    frame: pd.DataFrame, spec: ExtractConfig, local_names: dict[str, str]
) -> pd.DataFrame:
    """Columns the config builds: `derived` (joined from other columns, blank if any part is
    blank), `constants` (one value for every row) and `defaults` (a value for blank cells)."""
    for name, parts in spec.derived.items():
        pieces = [
            frame[p] if p in frame.columns else pd.Series(pd.NA, index=frame.index, dtype="str")
            for p in parts
        ]
        joined = pieces[0].astype("str")
        for piece in pieces[1:]:
            joined = joined + " " + piece.astype("str")
        frame[name] = joined
        local_names[name] = " + ".join(local_names.get(p, p) for p in parts)
    for name, value in spec.constants.items():
        frame[name] = pd.Series(str(value), index=frame.index, dtype="str")
        local_names.setdefault(name, name)
    for name, value in spec.defaults.items():
        if name in frame.columns:
            frame[name] = frame[name].fillna(str(value))
        else:
            frame[name] = pd.Series(str(value), index=frame.index, dtype="str")
    return frame


_SHORT_YEAR = re.compile(r"^(\d{1,2})([/\-.])(\d{1,2})\2(\d{2})(?=$|[\sT])")


def _two_digit_years(
    frame: pd.DataFrame, columns: tuple[Column, ...], pivot: int | None
) -> pd.DataFrame:
    """Day-first dates with a two-digit year (`24/04/17`) given their century by the config's
    rule: below `pivot` is 20yy, otherwise 19yy. Without a rule they are left as they are, so
    they are reported as unreadable: a century is never guessed."""
    if pivot is None:
        return frame

    def widen(text: pd.Series) -> pd.Series:
        def one(cell: str) -> str:
            match = _SHORT_YEAR.match(cell.strip())
            if not match:
                return cell
            day, sep, month, year = match.groups()
            century = 2000 if int(year) < pivot else 1900
            return f"{day}{sep}{month}{sep}{century + int(year)}" + cell.strip()[match.end() :]

        return text.map(one, na_action="ignore").astype("str")

    for col in columns:
        if col.kind in {"datetime", "date"} and col.name in frame.columns:
            frame[col.name] = per_distinct(frame[col.name], widen)
    return frame


YES, NO, UNKNOWN = "yes", "no", "unknown"
_FLAG_WORDS = {
    **{w: YES for w in ("yes", "y", "true", "1")},
    **{w: NO for w in ("no", "n", "false", "0")},
    **{w: UNKNOWN for w in ("na", "n/a", "null", "not applicable", "not known", "unknown")},
}

# The outcome of an episode's RHI from its offered and accepted flags (docs/inputs.md).
# None: no RHI record, so the episode counts as not offered, like one with no interviews row.
FLAG_OUTCOMES: dict[tuple[str, str], str | None] = {
    (YES, YES): "completed",
    (YES, NO): "declined",
    (YES, UNKNOWN): "pending",
    (NO, YES): "not_offered",
    (NO, NO): "not_offered",
    (NO, UNKNOWN): "not_offered",
    (UNKNOWN, YES): "completed",
    (UNKNOWN, NO): None,
    (UNKNOWN, UNKNOWN): None,
}


def _read_flags(table: pd.DataFrame, spec: ExtractConfig, file: str) -> pd.DataFrame | None:
    """The RHI offered and accepted flags of each row as text (None when not configured)."""
    flags = spec.rhi_flags
    if flags is None:
        return None
    by_key = {str(h).strip().casefold(): h for h in table.columns}
    out = {}
    for role, header in (("offered", flags.offered), ("accepted", flags.accepted)):
        if header is None:
            out[role] = pd.Series(pd.NA, index=table.index, dtype="str")
            continue
        found = by_key.get(header.strip().casefold())
        if found is None:
            raise UsageError(
                f"{file}: has no column '{header}', which the config names under "
                f"episodes: rhi_flags: {role}:; correct the header (its headers are: "
                f"{', '.join(str(h) for h in table.columns)})."
            )
        out[role] = clean_text(table[found])
    return pd.DataFrame(out, index=table.index)


def _flag_words(text: pd.Series, flags: RhiFlags, markers: list[str]) -> pd.Series:
    """Each flag cell as yes, no or unknown (a blank cell is unknown); NA where the cell
    cannot be read."""
    words = {**_FLAG_WORDS, **{m.strip().casefold(): UNKNOWN for m in markers}}
    words |= {str(k).strip().casefold(): str(v).strip().casefold() for k, v in flags.values.items()}

    def read(values: pd.Series) -> pd.Series:
        folded = values.str.strip().str.casefold().tolist()
        return pd.Series(pd.array([words.get(w) for w in folded], dtype="str"))

    return per_distinct(text, read).mask(text.isna(), UNKNOWN)


def interviews_from_flags(episodes: RawExtract, spec: ExtractConfig) -> RawExtract:
    """The interviews extract built from the RHI flags on the episode rows: one row per
    episode with a record, its outcome from `FLAG_OUTCOMES`. A flag that cannot be read is a
    fatal finding naming the cell."""
    flags = spec.rhi_flags
    assert flags is not None and episodes.flags is not None
    offered = _flag_words(episodes.flags["offered"], flags, spec.blank_values)
    accepted = _flag_words(episodes.flags["accepted"], flags, spec.blank_values)
    findings: list[Finding] = []
    rows = episodes.frame[ROW]
    for role, header, words in (
        ("offered", flags.offered, offered),
        ("accepted", flags.accepted, accepted),
    ):
        bad = words.isna()
        for position in np.flatnonzero(bad.to_numpy()):
            value = episodes.flags[role].iloc[position]
            findings.append(
                Finding(
                    "fatal",
                    episodes.file,
                    int(rows.iloc[position]),
                    "outcome",
                    "unknown_code",
                    f"{episodes.file} row {int(rows.iloc[position])}, column '{header}': "
                    f"'{value}' is not a yes/no flag; map it in the config under episodes: "
                    f"rhi_flags: values: to yes, no or unknown, or correct the cell.",
                )
            )
    pairs = list(zip(offered.fillna(UNKNOWN), accepted.fillna(UNKNOWN), strict=True))
    outcome = pd.Series([FLAG_OUTCOMES[p] for p in pairs], index=episodes.frame.index, dtype="str")
    keep = outcome.notna() & offered.notna().to_numpy() & accepted.notna().to_numpy()
    frame = pd.DataFrame(
        {
            "episode_id": episodes.frame.loc[keep, "episode_id"]
            if "episode_id" in episodes.frame.columns
            else pd.Series(pd.NA, index=outcome.index[keep], dtype="str"),
            "outcome": outcome[keep],
            ROW: rows[keep],
        }
    ).reset_index(drop=True)
    names = {"episode_id": episodes.header("episode_id"), "outcome": flags.offered}
    return RawExtract(
        name="interviews",
        path=episodes.path,
        frame=frame,
        headers=episodes.headers,
        local_names=names,
        sha256=episodes.sha256,
        encoding=episodes.encoding,
        sheet=episodes.sheet,
        header_row=episodes.header_row,
        findings=findings,
        from_flags=True,
    )


def no_interviews(episodes: RawExtract) -> RawExtract:
    """The interviews extract of an episode-only run: none. Every RHI measure is then not
    recorded (never 0), and the paper says why."""
    columns = [c.name for c in EXTRACTS["interviews"]]
    frame = pd.DataFrame({c: pd.Series([], dtype="str") for c in columns})
    frame[ROW] = pd.Series([], dtype="int64")
    # Named for what it is in messages and data-quality.csv: there is no file.
    return RawExtract(
        name="interviews", path=Path("no interviews extract"), frame=frame, provided=False
    )


# Headers of an Ofsted Annex A List 8 (children in care): a count of missing episodes per
# child, and questions about the child's last missing episode.
_LIST_8 = re.compile(r"number of (?:times )?missing|(?:last|most recent) missing episode", re.I)


def list_8(path: Path, headers: list[str], frame: pd.DataFrame) -> UsageError | None:
    """The one sentence for an Annex A List 8 file given as the episodes extract (one row per
    child, the last episode only, no episode dates), which cannot make this paper."""
    if "start" in frame.columns or not any(_LIST_8.search(str(h)) for h in headers):
        return None
    return UsageError(
        f"{path.name}: looks like an Ofsted Annex A List 8 (one row per child, with the "
        "number of missing episodes and the last episode only, and no episode dates), which "
        "cannot make this paper, as no episode can be placed in a quarter; export your "
        "system's episode-level missing table instead (docs/inputs.md, 'Ofsted Annex A List 8')."
    )


def load_extract(name: str, path: Path, spec: ExtractConfig) -> RawExtract:
    """Read one extract and map it to canonical headers and codes (see inputs.md)."""
    columns = EXTRACTS[name]
    known = known_headers(columns, spec)
    table, encoding, header_row = read_table_below_title(path, spec.sheet, known, spec.header_row)
    footer = footer_rows(table)
    if footer:
        table = table.drop(index=[r for r, _ in footer])
    frame, local_names = _map_headers(table, columns, spec.columns, path.name)
    if name == "episodes" and (wrong := list_8(path, [str(h) for h in table.columns], frame)):
        raise wrong
    frame = _blank_markers(frame, spec.blank_values)
    frame = _trim(frame, columns)
    kept = ~_blank_rows(frame, columns)
    frame = keep_rows(frame, kept)
    flags = (
        _read_flags(table.loc[kept[kept].index], spec, path.name)
        if spec.rhi_flags is not None
        else None
    )
    frame = _built_columns(frame, spec, local_names)
    frame = _map_values(frame, spec.values)
    if encoding == "xlsx":
        frame = _excel_serials(frame, columns)
    frame = _two_digit_years(frame, columns, spec.two_digit_year_pivot)
    frame = _canonical_spelling(frame, columns)
    frame[ROW] = frame.index.astype("int64")
    # Renumbered in place: a reset_index copy would drop the codes behind each code column,
    # which validation reads again (`parse.factorize`).
    frame.index = pd.RangeIndex(len(frame))
    if flags is not None:
        flags = flags.reset_index(drop=True)
    missing = [
        c.name
        for c in columns
        if c.required and c.name not in frame.columns and c.name not in spec.not_held
    ]
    # Headers the config maps that the file does not have: a renamed export column would
    # otherwise drop out of the figures without a word.
    present = {str(h).strip().casefold() for h in table.columns}
    absent = {k: v for k, v in spec.columns.items() if k.strip().casefold() not in present}
    return RawExtract(
        name=name,
        path=path,
        frame=frame,
        missing_columns=missing,
        absent_headers=absent,
        headers=[str(h) for h in table.columns],
        local_names=local_names,
        sha256=sha256_file(path),
        encoding=encoding,
        sheet=spec.sheet,
        header_row=header_row,
        findings=[_footer_finding(path.name, footer)] if footer else [],
        flags=flags,
        not_held=tuple(spec.not_held),
        mapped_codes={c: tuple(str(k) for k in m) for c, m in spec.values.items()},
        header_found=any(str(h).strip().casefold() in known for h in table.columns),
    )
