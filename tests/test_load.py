"""Loading extracts: encodings, XLSX cells, header and value mapping, spreadsheet rows."""

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline.config import ExtractConfig
from pipeline.errors import UsageError
from pipeline.load import load_extract

LOCAL = ExtractConfig(
    columns={
        "Episode ID": "episode_id",
        "Person ID": "child_id",
        "Start": "start",
        "Legal Status": "looked_after",
    },
    values={"looked_after": {"Looked After": "yes", "Child in Need": "no"}},
)


def _csv(tmp_path: Path, text: str, encoding: str) -> Path:
    path = tmp_path / "episodes.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_each_encoding_reads_the_same(tmp_path, encoding):
    # "’" (curly apostrophe) is byte 0x92 in Windows-1252 and 3 bytes in UTF-8.
    text = "Episode ID,Person ID,Start,Legal Status,Sex\r\nE1,C1,03/04/2026,Looked After,O’Neil\r\n"
    raw = load_extract("episodes", _csv(tmp_path, text, encoding), LOCAL)
    frame = raw.frame
    assert frame["episode_id"].tolist() == ["E1"]
    assert frame["looked_after"].tolist() == ["yes"]
    # Sex is not mapped, and not canonical under its local name, so it is dropped.
    assert "Sex" not in frame.columns


def test_header_and_value_mapping_and_rows(tmp_path):
    text = (
        "Episode ID,Person ID,Start,Legal Status,Notes\n"
        "E1,C1,03/04/2026,Looked After,free text here\n"
        ",,,,\n"
        "E2,C2,04/04/2026,Child in Need,\n"
    )
    raw = load_extract("episodes", _csv(tmp_path, text, "utf-8"), LOCAL)
    # Header is row 1; E1 is row 2; the blank row 3 is skipped; E2 is row 4.
    assert raw.frame["row"].tolist() == [2, 4]
    assert raw.frame["looked_after"].tolist() == ["yes", "no"]
    assert "Notes" not in raw.frame.columns
    assert raw.header("start") == "Start"


def test_missing_required_columns_are_listed(tmp_path):
    raw = load_extract(
        "episodes",
        _csv(tmp_path, "Episode ID,Start\nE1,2026-04-03\n", "utf-8"),
        ExtractConfig(columns={"Episode ID": "episode_id", "Start": "start"}),
    )
    assert raw.missing_columns == ["child_id", "looked_after"]


def test_canonical_file_needs_no_mapping(tmp_path):
    text = "episode_id,child_id,start,looked_after,placement_area\nE1,C1,2026-04-03,yes,In Area\n"
    raw = load_extract("episodes", _csv(tmp_path, text, "utf-8"), ExtractConfig())
    # "In Area" is spelt canonically once normalised.
    assert raw.frame["placement_area"].tolist() == ["in_area"]


def test_outcome_code_can_set_two_columns(tmp_path):
    path = tmp_path / "rhi.csv"
    path.write_text(
        "Episode ID,RHI Outcome\nE1,Offered and Declined (by YP)\nE2,Offered and Accepted\n"
    )
    spec = ExtractConfig(
        columns={"Episode ID": "episode_id", "RHI Outcome": "outcome"},
        values={
            "outcome": {
                "Offered and Declined (by YP)": {"outcome": "declined", "declined_by": "child"},
                "Offered and Accepted": "completed",
            }
        },
    )
    frame = load_extract("interviews", path, spec).frame
    assert frame["outcome"].tolist() == ["declined", "completed"]
    assert frame["declined_by"].iloc[0] == "child"
    assert frame["declined_by"].isna().iloc[1]


def test_each_risk_in_a_list_is_mapped(tmp_path):
    path = tmp_path / "rhi.csv"
    path.write_text("Episode ID,Risks\nE1,CSE; County Lines\nE2,\nE3,Modern Slavery\n")
    spec = ExtractConfig(
        columns={"Episode ID": "episode_id", "Risks": "risks"},
        values={"risks": {"County Lines": "county_lines", "CSE": "cse"}},
    )
    frame = load_extract("interviews", path, spec).frame
    # Unmapped "Modern Slavery" still reaches canonical spelling by normalisation.
    assert frame["risks"].iloc[0] == "cse;county_lines"
    assert frame["risks"].isna().iloc[1]
    assert frame["risks"].iloc[2] == "modern_slavery"


def test_xlsx_dates_serials_blank_rows_and_sheet(tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "RHI"
    ws.append(["Episode ID", "RHI Completed Date", "Date Offered"])
    ws.append(["E1", datetime(2026, 4, 3, 14, 30), 46115])  # 46115 = 2026-04-03 as a serial
    ws.append([None, None, None])
    ws.append(["E2", "05/04/2026 09:00", None])
    path = tmp_path / "rhi.xlsx"
    book.save(path)
    spec = ExtractConfig(
        sheet="RHI",
        columns={
            "Episode ID": "episode_id",
            "RHI Completed Date": "completed_at",
            "Date Offered": "offered_at",
        },
    )
    frame = load_extract("interviews", path, spec).frame
    assert frame["row"].tolist() == [2, 4]
    assert frame["completed_at"].tolist() == ["2026-04-03 14:30:00", "05/04/2026 09:00"]
    # Serial 46115 days after 30/12/1899: 2026-04-03 (46023 = 2026-01-01, + 92 days).
    assert frame["offered_at"].iloc[0] == "2026-04-03 00:00:00"


def test_xlsx_date_only_cells_and_data_away_from_the_corner(tmp_path):
    # Column A is empty and the header starts at B1: columns and row numbers still match
    # the sheet. A date-formatted cell (no time) reads as midnight, as Excel means it.
    book = Workbook()
    ws = book.active
    ws["B1"], ws["C1"] = "Episode ID", "Date Offered"
    ws["B2"], ws["C2"] = "E1", date(2026, 4, 3)
    ws["C2"].number_format = "dd/mm/yyyy"
    ws["B3"] = "E2"
    path = tmp_path / "rhi.xlsx"
    book.save(path)
    spec = ExtractConfig(columns={"Episode ID": "episode_id", "Date Offered": "offered_at"})
    frame = load_extract("interviews", path, spec).frame
    assert frame["row"].tolist() == [2, 3]
    assert frame["episode_id"].tolist() == ["E1", "E2"]
    assert frame["offered_at"].iloc[0] == "2026-04-03 00:00:00"
    assert frame["offered_at"].isna().iloc[1]


def _error_workbook(path: Path, formula: str, error: str, *rows: list[str]) -> ExtractConfig:
    """An .xlsx whose E1 row has `formula` in Date Offered, cached as the error value `error`
    (as Excel saves it), then `rows`; returns the config that maps its two headers."""
    import xlsxwriter

    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet()
    ws.write_row(0, 0, ["Episode ID", "Date Offered"])
    ws.write(1, 0, "E1")
    ws.write_formula(1, 1, formula, None, error)
    for i, row in enumerate(rows, start=2):
        ws.write_row(i, 0, row)
    book.close()
    return ExtractConfig(columns={"Episode ID": "episode_id", "Date Offered": "offered_at"})


def test_xlsx_error_cells_keep_their_text_so_they_are_reported(tmp_path):
    # An error value (#N/A from a broken lookup) must not read as a blank cell, which could
    # silently change a figure; it reaches the checks as its text.
    path = tmp_path / "rhi.xlsx"
    spec = _error_workbook(path, "=NA()", "#N/A", ["E2", "05/04/2026 09:00"])
    frame = load_extract("interviews", path, spec).frame
    assert frame["offered_at"].tolist() == ["#N/A", "05/04/2026 09:00"]


def _rewrite_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite one XML part of an .xlsx (a zip) through `change(bytes) -> bytes`."""
    import zipfile

    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    parts[part] = change(parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)


def test_xlsx_error_cells_are_found_however_the_xml_spaces_them(tmp_path):
    # Other writers than Excel may space the attribute (t = "e"): still not read as blank.
    path = tmp_path / "rhi.xlsx"
    spec = _error_workbook(path, "=1/0", "#DIV/0!")
    _rewrite_part(path, "xl/worksheets/sheet1.xml", lambda x: x.replace(b't="e"', b"t = 'e'"))
    assert load_extract("interviews", path, spec).frame["offered_at"].tolist() == ["#DIV/0!"]


def test_xlsx_default_sheet_is_the_first_worksheet_even_after_a_chart_sheet(tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "Data"
    ws.append(["Episode ID"])
    ws.append(["E1"])
    book.create_chartsheet("Chart", 0)  # the first tab is a chart, not a table
    path = tmp_path / "rhi.xlsx"
    book.save(path)
    spec = ExtractConfig(columns={"Episode ID": "episode_id"})
    frame = load_extract("interviews", path, spec).frame
    assert frame["episode_id"].tolist() == ["E1"]


def test_a_damaged_workbook_is_a_usage_error_not_a_traceback(tmp_path):
    book = Workbook()
    book.active.append(["Episode ID"])
    book.active.append(["E1"])
    path = tmp_path / "rhi.xlsx"
    book.save(path)
    _rewrite_part(path, "xl/worksheets/sheet1.xml", lambda x: x[: len(x) // 2])  # cut short
    with pytest.raises(UsageError, match="could not be opened as an Excel workbook"):
        load_extract("interviews", path, ExtractConfig())


def test_an_ordinary_workbook_is_read_without_openpyxl():
    # The fast reader (python-calamine) serves workbooks without error cells, like the sample.
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from pipeline.load import read_table; "
        "frame, _ = read_table(Path('inputs/interviews.xlsx')); "
        "print(len(frame), 'openpyxl' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    rows, slow = done.stdout.split()
    assert int(rows) > 0 and slow == "False"


def test_a_file_that_is_not_a_workbook_is_a_usage_error(tmp_path):
    path = tmp_path / "rhi.xlsx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(UsageError, match="could not be opened as an Excel workbook"):
        load_extract("interviews", path, ExtractConfig())


def test_unknown_sheet_and_extension_are_usage_errors(tmp_path):
    book = Workbook()
    path = tmp_path / "x.xlsx"
    book.save(path)
    with pytest.raises(UsageError, match="no sheet called 'Nope'"):
        load_extract("interviews", path, ExtractConfig(sheet="Nope"))
    other = tmp_path / "x.json"
    other.write_text("{}")
    with pytest.raises(UsageError, match=r"reads \.csv and \.xlsx"):
        load_extract("interviews", other, ExtractConfig())
    with pytest.raises(UsageError, match="file not found"):
        load_extract("interviews", tmp_path / "missing.csv", ExtractConfig())


# ---------------------------------------------------------------------------------------------
# Hostile files: not regular files, other encodings, inflated used ranges (docs/reliability.md)


def test_a_folder_or_a_fifo_given_as_an_extract_is_one_sentence(tmp_path):
    import os

    folder = tmp_path / "episodes.csv"
    folder.mkdir()
    with pytest.raises(UsageError, match=r"episodes\.csv: the extract is a folder"):
        load_extract("episodes", folder, ExtractConfig())
    fifo = tmp_path / "interviews.csv"
    os.mkfifo(fifo)
    # Opening a FIFO for reading would wait for a writer for ever: refused before opening.
    with pytest.raises(UsageError, match=r"the extract is a named pipe \(FIFO\)"):
        load_extract("interviews", fifo, ExtractConfig())


def test_a_device_given_as_an_extract_is_one_sentence():
    with pytest.raises(UsageError, match="the extract is a device"):
        load_extract("episodes", Path("/dev/zero"), ExtractConfig())


@pytest.mark.parametrize(
    ("encoding", "named"),
    [
        ("utf-16", "UTF-16 text (little-endian"),  # Python writes a little-endian mark
        ("utf-16-be", "UTF-16 text (big-endian, without a byte order mark)"),
        ("utf-16-le", "UTF-16 text (little-endian, without a byte order mark)"),
        ("utf-32", "UTF-32 text"),
    ],
)
def test_a_utf16_csv_is_named_with_how_to_save_it_again(tmp_path, encoding, named):
    text = "Episode ID,Person ID,Start,Legal Status\r\nE1,C1,03/04/2026,Looked After\r\n"
    with pytest.raises(UsageError) as caught:
        load_extract("episodes", _csv(tmp_path, text, encoding), LOCAL)
    message = str(caught.value)
    assert named in message
    assert "not UTF-8 or Windows-1252 text" in message
    assert "'CSV UTF-8 (Comma delimited)'" in message


def test_a_workbook_saved_with_a_csv_name_is_named(tmp_path):
    path = tmp_path / "episodes.csv"
    Workbook().save(path)
    with pytest.raises(UsageError, match="is a zipped file"):
        load_extract("episodes", path, ExtractConfig())


def _read_in_bounded_memory(path: Path) -> tuple[int, str]:
    """Read a workbook in a subprocess allowed 2 GB of address space: a reader that allocates
    the whole used range dies (the old failure was a 512 GB allocation and an abort)."""
    import resource
    import subprocess
    import sys

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    code = (
        "import sys; from pathlib import Path; from pipeline.load import read_table; "
        "frame, _ = read_table(Path(sys.argv[1])); "
        "print(list(frame.columns), frame.index.tolist(), frame.iloc[:, 0].tolist())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        preexec_fn=limit,
        cwd=Path(__file__).resolve().parents[1],
    )
    return done.returncode, done.stdout.strip()


def test_a_stray_cell_at_xfd1048576_is_not_read_as_a_used_range(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["episode_id", "outcome"])
    sheet.append(["E1", "completed"])
    sheet.append(["E2", "declined"])
    sheet["XFD1048576"] = "stray"
    path = tmp_path / "rhi.xlsx"
    book.save(path)
    status, out = _read_in_bounded_memory(path)
    # Rows 2 and 3 (the sheet's own numbers), columns to the header's last.
    assert status == 0, out
    assert out == "['episode_id', 'outcome'] [2, 3] ['E1', 'E2']"


def test_a_stray_cell_far_down_a_column_is_read_row_by_row(tmp_path):
    # A value in column Z a million rows down: beyond the header's columns, so not data.
    book = Workbook()
    sheet = book.active
    sheet.append(["episode_id", "outcome"])
    sheet.append(["E1", "completed"])
    sheet["Z1048576"] = "stray"
    path = tmp_path / "rhi.xlsx"
    book.save(path)
    status, out = _read_in_bounded_memory(path)
    assert status == 0, out
    assert out == "['episode_id', 'outcome'] [2] ['E1']"
