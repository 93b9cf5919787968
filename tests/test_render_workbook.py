"""tables.xlsx: the good-practice layout, [c], markings, formula safety and stable bytes."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from types import SimpleNamespace

import numpy as np
import openpyxl
import pandas as pd
import pytest

from pipeline.config import Config
from pipeline.disclosure import disclose
from pipeline.findings import Finding
from pipeline.metrics.breakdowns import Breakdown
from pipeline.periods import Quarter
from pipeline.render.workbook import write_workbook

Q0, Q1 = Quarter.parse("2025-26-Q4"), Quarter.parse("2026-27-Q1")


def metrics() -> pd.DataFrame:
    rows = []
    for quarter, episodes_nla in ((Q0.id, 9), (Q1.id, 3)):
        for cohort, value in (
            ("all", 40),
            ("looked_after", 40 - episodes_nla),
            ("not_looked_after", episodes_nla),
        ):
            rows.append((quarter, cohort, "episodes", np.nan, np.nan, float(value)))
        rows.append((quarter, "all", "rhi_offered_rate", 27.0, 30.0, 0.9))
        rows.append((quarter, "all", "rhi_timely_rate", 0.0, 0.0, np.nan))
        rows.append((quarter, "all", "median_hours_return_to_completion", np.nan, 12.0, 30.5))
    return pd.DataFrame(
        rows, columns=["quarter", "cohort", "metric", "numerator", "denominator", "value"]
    )


def results(audience: str) -> SimpleNamespace:
    config = Config(council_name="Anyshire Council", report_owner="Jo Bloggs, Head of Service")
    mode = pd.DataFrame(
        {
            "category": ["face_to_face", "telephone", "video"],
            "label": ["Face to face", "Telephone", "=Video"],
            "all": [30, 6, 2],
        }
    )
    spc = SimpleNamespace(
        values=np.array([12.0, 3.0, 9.0]),
        mean=np.array([8.0, 8.0, 8.0]),
        lower=np.array([-2.0, -2.0, -2.0]),
        upper=np.array([18.0, 18.0, 18.0]),
        special=np.array([False, False, True]),
    )
    monthly = pd.DataFrame({"month": ["2026-04", "2026-05", "2026-06"], "episodes": [12, 3, 9]})
    breakdowns = [Breakdown("rhi_mode", "Completed RHIs by mode", "mode", True, mode)]
    decisions = disclose(
        metrics(), breakdowns, monthly, quarter=Q1.id, audience=audience, threshold=5
    )
    return SimpleNamespace(
        config=config,
        quarter=Q1,
        quarters=[Q0, Q1],
        as_at=date(2026, 7, 10),
        audience=audience,
        findings=[Finding("warning", "episodes.csv", 3, "child_id", "r", "CHILD-ZZ991")],
        metrics=metrics(),  # no `suppressed` column: the writer reads the decisions
        breakdowns=breakdowns,
        analysis=SimpleNamespace(spc={"episodes": spc}),
        monthly=monthly,
        disclosure=decisions,
    )


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    out = {}
    for audience in ("public", "internal"):
        folder = tmp_path_factory.mktemp(audience)
        assert write_workbook(results(audience), folder) == "tables.xlsx"
        out[audience] = folder / "tables.xlsx"
    return out


def sheet_rows(ws) -> list[list]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_good_practice_layout(books):
    for path in books.values():
        book = openpyxl.load_workbook(path)
        assert book.sheetnames[:3] == ["Cover", "Contents", "Notes"]
        assert "Headline" in book.sheetnames and "Trends" in book.sheetnames
        for ws in book.worksheets:
            assert not ws.merged_cells.ranges, ws.title
            if ws.title == "Cover":
                continue
            rows = sheet_rows(ws)
            # A1 title, A2 note starting with the marking, nothing else in rows 1-2.
            assert isinstance(rows[0][0], str) and rows[0][0]
            assert rows[1][0].startswith("OFFICIAL")
            assert all(v is None for v in rows[0][1:] + rows[1][1:])
            header = rows[2]
            assert all(isinstance(h, str) and h for h in header)  # one header row, no gaps
            assert len(set(header)) == len(header)
            body = rows[3:]
            assert body, ws.title
            for row in body:  # no blank rows and no blank cells in the table
                assert all(v is not None and v != "" for v in row), (ws.title, row)
            assert len(ws.tables) == 1  # marked as one Excel table over rows 3..end
            (table,) = ws.tables.values()
            assert table.ref.startswith("A3:")
            assert table.ref.endswith(str(len(rows)))


def test_contents_lists_and_links_every_sheet(books):
    book = openpyxl.load_workbook(books["public"])
    ws = book["Contents"]
    names = [row[0] for row in sheet_rows(ws)[3:]]
    assert names == book.sheetnames[2:]
    for r in range(4, 4 + len(names)):
        assert ws.cell(r, 1).hyperlink.location == f"'{ws.cell(r, 1).value}'!A1"


def test_public_figures_and_symbols(books):
    book = openpyxl.load_workbook(books["public"])
    headline = sheet_rows(book["Headline"])
    assert headline[2] == [
        "Measure",
        "Type of figure",
        "All children",
        "Looked after",
        "Not looked after",
    ]
    episodes = next(r for r in headline if r[0] == "Missing and away episodes")
    # Q1: all 40 = la 37 + nla 3 -> nla primary, la secondary (its only partner); all shown.
    assert episodes[2:] == [40, "[c]", "[c]"]
    timely = next(r for r in headline if r[0].startswith("Return home interviews completed within"))
    assert timely[2] == "[z]"  # no cases
    offered = next(r for r in headline if r[0].startswith("Return home interviews offered"))
    assert offered[2] == pytest.approx(0.9)
    # Stored as the decimal, shown as a percentage (openpyxl rows and columns count from 1).
    assert book["Headline"].cell(headline.index(offered) + 1, 3).number_format == "0.0%"
    # Breakdown: video 2 primary, telephone 6 secondary (38 - 30), total 38 shown.
    mode = sheet_rows(book["How interviews were held"])
    assert mode[3:] == [
        ["Face to face", 30],
        ["Telephone", "[c]"],
        ["=Video", "[c]"],
        ["Total", 38],
    ]
    # Symbols are right-aligned text; "=Video" is a string, never a formula.
    cell = book["How interviews were held"]["B5"]
    assert cell.data_type == "s" and cell.alignment.horizontal == "right"
    assert book["How interviews were held"]["A6"].data_type == "s"
    # SPC: May 3 primary. This fixture's months (24) add up to no published figure (its
    # quarter has 40), so no relation links them and June stays shown; the chart's mean
    # (8 = 24 / 3) would give May back, so mean, limits and signals are withheld.
    spc = sheet_rows(book["Episodes control chart"])
    assert [r[1] for r in spc[3:]] == [12, "[c]", 9]
    assert [r[2:] for r in spc[3:]] == [["[c]"] * 4] * 3
    # Trends: Q0 not_looked_after 9 shown; Q1's 3 withheld in numerator, denominator, value.
    trends = sheet_rows(book["Trends"])
    nla = [r for r in trends[3:] if r[1] == "Not looked after"]
    assert [r[4:] for r in nla] == [["[z]", "[z]", 9], ["[c]", "[c]", "[c]"]]


def test_internal_shows_everything_and_is_marked(books):
    book = openpyxl.load_workbook(books["internal"])
    for ws in book.worksheets:
        rows = sheet_rows(ws)
        assert any(
            "OFFICIAL-SENSITIVE: not for publication" in str(v) for row in rows[:3] for v in row
        ), ws.title
        assert "OFFICIAL-SENSITIVE: not for publication" in ws.oddHeader.center.text
        assert all(v != "[c]" for row in rows[3:] for v in row), ws.title
    mode = sheet_rows(book["How interviews were held"])
    assert mode[3:] == [["Face to face", 30], ["Telephone", 6], ["=Video", 2], ["Total", 38]]
    assert "Jo Bloggs, Head of Service" in str(sheet_rows(book["Cover"]))


def test_no_extract_values_in_the_workbook(books):
    for path in books.values():
        with zipfile.ZipFile(path) as archive:
            xml = b"".join(archive.read(n) for n in archive.namelist())
        assert b"CHILD-ZZ991" not in xml
        assert b"<f>" not in xml  # no formulas at all


def test_same_bytes_every_run_and_folder(books, tmp_path):
    other = tmp_path / "somewhere" / "else"
    write_workbook(results("public"), other)
    assert (other / "tables.xlsx").read_bytes() == books["public"].read_bytes()


def _published(audience: str, **config: object) -> SimpleNamespace:
    """The fixture's results with publication details added to the config."""
    base = results(audience)
    base.config = base.config.model_copy(update=config)
    return base


def test_every_table_has_a_meaningful_name(books):
    for path in books.values():
        book = openpyxl.load_workbook(path)
        names = {ws.title: next(iter(ws.tables)) for ws in book.worksheets if ws.tables}
        assert all(re.fullmatch(r"tbl_[a-z0-9_]+", n) for n in names.values()), names
        assert len(set(names.values())) == len(names)
        # The breakdown's table is named for the breakdown; the others for their sheet.
        assert names["How interviews were held"] == "tbl_rhi_mode"
        assert names["Episodes control chart"] == "tbl_spc_episodes"
        assert names["Headline"] == "tbl_headline" and names["Contents"] == "tbl_contents"


def test_sheet_names_are_plain_english_and_first_columns_say_what_rows_are(books):
    book = openpyxl.load_workbook(books["public"])
    assert book.sheetnames == [
        "Cover",
        "Contents",
        "Notes",
        "Headline",
        "Trends",
        "How interviews were held",
        "Episodes control chart",
    ]
    firsts = {ws.title: ws["A3"].value for ws in book.worksheets[1:]}
    assert firsts["How interviews were held"] == "How the interview was held"
    assert firsts["Episodes control chart"] == "Month"
    assert "Category" not in firsts.values()


def test_cover_gives_the_dates_and_contact_from_the_config(tmp_path):
    details = _published(
        "public",
        contact_email="missing.team@anyshire.example",
        contact_phone="01234 567890",
        publication_date=date(2026, 7, 23),
        next_update=date(2026, 10, 22),
    )
    write_workbook(details, tmp_path)
    cover = openpyxl.load_workbook(tmp_path / "tables.xlsx")["Cover"]
    lines = [row[0] for row in sheet_rows(cover)]
    for heading in ("About these tables", "Period covered", "Dates", "Contact"):
        assert heading in lines and cover.cell(lines.index(heading) + 1, 1).font.b
    assert "Data as at: 10 July 2026" in lines  # the fixture's as-at date
    assert "Published: 23 July 2026" in lines and "Next update: 22 October 2026" in lines
    assert "Jo Bloggs, Head of Service, Anyshire Council" in lines
    assert "Telephone: 01234 567890" in lines
    email = lines.index("Email: missing.team@anyshire.example") + 1
    assert cover.cell(email, 1).hyperlink.target == "mailto:missing.team@anyshire.example"


def test_cover_without_dates_in_the_config_names_the_next_quarter(books):
    lines = [row[0] for row in sheet_rows(openpyxl.load_workbook(books["public"])["Cover"])]
    # No publication_date or report_date: no publication line; the next paper is Q2's.
    assert not any(str(line).startswith("Published") for line in lines)
    assert "Next update: with the paper for Quarter 2 2026-27 (July to September 2026)" in lines


def test_an_email_that_is_not_an_address_is_refused():
    with pytest.raises(ValueError, match="contact_email"):
        Config(contact_email="the missing team")


def test_workbook_language_is_set(books):
    for path in books.values():
        assert openpyxl.load_workbook(path).properties.language == "en-GB"


def test_the_sample_workbooks_have_named_tables_plain_sheets_and_a_language(sample_outputs):
    for folder in sample_outputs.values():
        for path in sorted(folder.rglob("*.xlsx")):
            book = openpyxl.load_workbook(path)
            assert book.properties.language == "en-GB"
            tables = [t for ws in book.worksheets for t in ws.tables]
            assert "tbl_episodes_by_month" in tables and not any(
                re.fullmatch(r"Table\d+", t) for t in tables
            )
            for ws in book.worksheets:
                assert not re.search(r"_|^\d|^SPC ", ws.title), ws.title
                assert ws.title == "Cover" or ws["A3"].value != "Category", ws.title
