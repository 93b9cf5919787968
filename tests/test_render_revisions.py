"""Revisions as the paper and the workbook show them."""

from __future__ import annotations

from types import SimpleNamespace

from pipeline.config import Config
from pipeline.periods import Quarter
from pipeline.render import revisions as view
from pipeline.render.blocks import Numberer
from pipeline.revisions import Revision, Revisions

SHOWN = Revision(
    "2025-26-Q4", "all", "rhi_face_to_face_rate", ("1", "1", "1.000000"), ("0", "1", "0.000000")
)
WITHHELD = Revision("2025-26-Q4", "not_looked_after", "episodes", ("", "", "[c]"), ("", "", "4"))


def results(audience: str, rows: list[Revision]) -> SimpleNamespace:
    revisions = Revisions(rows, ["interviews extract"], "2026-07-01") if rows else None
    return SimpleNamespace(
        config=Config(), audience=audience, quarter=Quarter(2026, 1), revisions=revisions
    )


def test_public_note_counts_published_figures_only():
    # the withheld row would never reach a public run (pipeline.revisions drops it); even
    # if it did, the count is of figures published in both runs: 1
    note = view.note(results("public", [SHOWN, WITHHELD]))
    assert note == (
        "Figures for earlier quarters were revised: 1 published figure (Q4 2025-26) differ "
        "from the previous run, with data as at 1 July 2026. The interviews extract changed. "
        "tables.xlsx lists them."
    )


def test_no_revisions_no_note_no_appendix_no_sheet():
    r = results("internal", [])
    assert view.note(r) is None
    assert view.appendix(r, Numberer()) is None
    assert view.workbook_table(r) is None


def test_internal_appendix_shows_old_and_new_as_the_paper_does():
    section = view.appendix(results("internal", [SHOWN, WITHHELD]), Numberer())
    assert section is not None and section.title.startswith("Appendix D")
    table = section.blocks[1].table
    assert table.rows[0][3:] == ["100%", "0%"]
    assert table.rows[1][3:] == ["[c]", "4"]
    assert "Published in both runs (the only ones a public paper counts): 1." in (
        section.blocks[0].text
    )


def test_workbook_rows_carry_numbers_and_what_changed():
    table = view.workbook_table(results("internal", [SHOWN]))
    assert table.rows[0][4:] == [1, 0, 1, 1, 1, 0, "interviews extract"]
