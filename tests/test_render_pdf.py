"""The page-furniture fix: running headers and footers become artifacts, not orphaned tags."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from pipeline.render.pdf import artifact_page_furniture, finish_pdf

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


SMALL = """<!doctype html><html lang="en-GB"><head><title>T</title></head><body>
<p><a href="#defs">Definitions</a><span class="empty"></span></p>
<dl id="defs"><div><dt>Term</dt><dd>What it means</dd></div></dl>
<table><caption>Counts</caption><thead><tr><th scope="col">Group</th><th scope="col">N</th></tr>
</thead><tbody><tr><th scope="row">All</th><td>3</td></tr></tbody></table>
<figure><figcaption>Figure 1<span style="display: block">A note</span></figcaption>
<img alt="A picture of three" src="data:image/gif;base64,{GIF}"></figure>
</body></html>""".replace("{GIF}", "R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=")


def _tree(pdf: pikepdf.Pdf) -> list[tuple[str, str, pikepdf.Dictionary]]:
    """(tag, parent's tag, element) for every structure element."""
    out = []
    stack = [(k, pdf.Root.StructTreeRoot) for k in pdf.Root.StructTreeRoot.K]
    while stack:
        node, parent = stack.pop()
        if isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/StructElem":
            out.append((str(node.S), str(parent.get("/S", "")), node))
            kids = node.get("/K")
            items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            stack.extend((k, node) for k in items if k is not None)
    return out


def test_finish_pdf_puts_lists_headers_empties_captions_and_links_right(tmp_path: Path) -> None:
    from weasyprint import HTML as Doc

    # What WeasyPrint 70 writes for this page, then what the finisher makes of it.
    Doc(string=SMALL).write_pdf(tmp_path / "raw.pdf", pdf_variant="pdf/ua-1")
    Doc(string=SMALL).write_pdf(tmp_path / "fixed.pdf", pdf_variant="pdf/ua-1", finisher=finish_pdf)
    with pikepdf.open(tmp_path / "raw.pdf") as raw:
        tree = _tree(raw)
        assert ("/Div", "/L") in {(t, p) for t, p, _ in tree}
        assert ("/Caption", "/Caption") in {(t, p) for t, p, _ in tree}
        assert "/IDTree" not in raw.Root.StructTreeRoot
        assert str(raw.pages[0].Annots[0].Contents) == "defs"
    with pikepdf.open(tmp_path / "fixed.pdf") as pdf:
        tree = _tree(pdf)
        pairs = {(t, p) for t, p, _ in tree}
        # The term and its definition are one list item: label and body.
        assert {("/LI", "/L"), ("/Lbl", "/LI"), ("/LBody", "/LI")} <= pairs
        assert ("/Div", "/L") not in pairs and ("/Caption", "/Caption") not in pairs
        # The figure is a Div holding its caption and (in an anonymous block) its image.
        assert ("/Caption", "/Div") in pairs and ("/Caption", "/NonStruct") not in pairs
        # Two header cells in the head (Column), one in the body (Row), each in the IDTree.
        scopes = sorted(str(e.A.Scope) for t, _, e in tree if t == "/TH")
        assert scopes == ["/Column", "/Column", "/Row"]
        names = pdf.Root.StructTreeRoot.IDTree.Names
        assert len(names) == 6 and [str(names[i]) for i in range(0, 6, 2)] == sorted(
            str(names[i]) for i in range(0, 6, 2)
        )
        # No element is empty (the empty span is gone); the link says its words.
        assert all(e.get("/K") not in (None, []) for _, _, e in tree)
        assert str(pdf.pages[0].Annots[0].Contents) == "Definitions"


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])
