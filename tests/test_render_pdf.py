"""The page-furniture fix: running headers and footers become artifacts, not orphaned tags."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from pipeline.render.pdf import artifact_page_furniture

HTML = """<!doctype html><html lang="en-GB"><head><title>T</title><style>
@page { size: A4; @top-left { content: "Header text" }
        @bottom-right { content: "Page " counter(page) " of " counter(pages) } }
p.break { break-before: page; }
</style></head><body><h1>Heading</h1><p>Body one</p><p class="break">Body two</p></body></html>"""


def _write(path: Path, finisher: object = None) -> pikepdf.Pdf:
    from weasyprint import HTML as Doc

    Doc(string=HTML).write_pdf(path, pdf_variant="pdf/ua-1", finisher=finisher)
    return pikepdf.open(path)


def _marked(pdf: pikepdf.Pdf, page: int) -> list[tuple[str, int | None]]:
    """(tag, MCID or None) of every marked-content sequence on a page, in stream order."""
    out = []
    for operands, operator in pikepdf.parse_content_stream(pdf.pages[page]):
        if str(operator) == "BDC":
            props = operands[1]
            mcid = int(props.MCID) if "/MCID" in props else None
            out.append((str(operands[0]), mcid))
    return out


def _reachable_mcids(pdf: pikepdf.Pdf, page_index: int) -> set[int]:
    """MCIDs of a page reachable from the structure tree root."""
    page = pdf.pages[page_index].obj
    found: set[int] = set()
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        for kid in items:
            if isinstance(kid, int):
                if node.get("/Pg") is not None and node.Pg.objgen == page.objgen:
                    found.add(int(kid))
            elif isinstance(kid, pikepdf.Dictionary):
                stack.append(kid)
    return found


def test_without_the_fix_weasyprint_leaves_margin_text_orphaned(tmp_path: Path) -> None:
    # Documents the upstream behaviour (WeasyPrint issue 1836) the fix exists for: header and
    # footer text is tagged content whose structure elements are not in the tree.
    pdf = _write(tmp_path / "raw.pdf")
    tagged = {m for tag, m in _marked(pdf, 0) if m is not None}
    assert tagged - _reachable_mcids(pdf, 0), "WeasyPrint now tags margin boxes: revisit pdf.py"


def test_margin_text_becomes_pagination_artifacts(tmp_path: Path) -> None:
    pdf = _write(tmp_path / "fixed.pdf", artifact_page_furniture)
    for page in range(len(pdf.pages)):
        marked = _marked(pdf, page)
        reachable = _reachable_mcids(pdf, page)
        # Every tagged sequence left is in the structure tree ...
        assert {m for _, m in marked if m is not None} == reachable
        # ... and the header and the footer (two margin boxes) are artifacts on each page.
        assert [tag for tag, _ in marked].count("/Artifact") >= 2
    # The parent tree no longer points at the removed elements.
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    for i in range(1, len(nums), 2):
        for entry in nums[i]:
            assert entry is None or isinstance(entry, pikepdf.Dictionary)


def test_header_and_body_text_still_extract(tmp_path: Path) -> None:
    import subprocess

    _write(tmp_path / "fixed.pdf", artifact_page_furniture)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "fixed.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Header text" in text and "Body two" in text and "Page 2 of 2" in text


def test_untagged_documents_are_left_alone(tmp_path: Path) -> None:
    from weasyprint import HTML as Doc

    calls = []

    def finisher(document: object, pdf: object) -> None:
        artifact_page_furniture(document, pdf)
        calls.append(pdf)

    Doc(string=HTML).write_pdf(tmp_path / "plain.pdf", finisher=finisher)
    assert calls
    with pikepdf.open(tmp_path / "plain.pdf") as pdf:
        assert "/StructTreeRoot" not in pdf.Root


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])
