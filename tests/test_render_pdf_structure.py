"""Every PDF the sample run writes, its structure tree walked with pikepdf as a PDF/UA
(Matterhorn) checker would: list structure, table header scope and IDs, empty elements,
captions, link text and figure alternative text.

The fixes are in `pipeline/render/pdf.py` (`tidy_structure`); each test here failed on the
PDFs WeasyPrint 70 wrote before them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf

LIST_ITEM_PARTS = {"/Lbl", "/LBody"}


def _kids(node: pikepdf.Object) -> list[pikepdf.Object]:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _elements(pdf: pikepdf.Pdf) -> Iterator[tuple[pikepdf.Dictionary, pikepdf.Dictionary]]:
    """(element, parent) for every structure element, in document order."""
    stack = [(kid, pdf.Root.StructTreeRoot) for kid in reversed(_kids(pdf.Root.StructTreeRoot))]
    while stack:
        element, parent = stack.pop()
        if isinstance(element, pikepdf.Dictionary) and element.get("/Type") == "/StructElem":
            yield element, parent
            stack.extend((kid, element) for kid in reversed(_kids(element)))


def _tag(node: pikepdf.Object) -> str:
    return str(node.get("/S", ""))


def _problems(
    pdfs: list[Path], check: Callable[[pikepdf.Pdf], Iterator[str]]
) -> dict[str, list[str]]:
    found = {}
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            problems = list(check(pdf))
        if problems:
            found[str(path)] = problems[:10] + (
                [f"... {len(problems)} in all"] * (len(problems) > 10)
            )
    return found


def test_lists_are_l_li_lbl_lbody(sample_pdfs: list[Path]) -> None:
    # PDF/UA-1 (ISO 32000-1, 14.8.4.3.3): an L holds LI (or a Caption, or a nested L); an LI
    # holds Lbl and LBody. WeasyPrint tagged <dl><div><dt><dd> as L > Div > LI > LBody.
    def check(pdf: pikepdf.Pdf) -> Iterator[str]:
        for element, parent in _elements(pdf):
            tag, above = _tag(element), _tag(parent)
            if above == "/L" and tag not in {"/LI", "/L", "/Caption"}:
                yield f"{tag} in a list"
            if above == "/LI" and tag not in LIST_ITEM_PARTS:
                yield f"{tag} in a list item"
            if tag in LIST_ITEM_PARTS and above != "/LI":
                yield f"{tag} outside a list item (in {above})"

    assert not _problems(sample_pdfs, check)


def test_table_headers_have_scope_and_ids_resolve_in_the_id_tree(
    sample_pdfs: list[Path],
) -> None:
    # Matterhorn 15-003: a TH needs /Scope (or every cell /Headers); a cell's /Headers name
    # /IDs, which a reader finds through the structure tree root's /IDTree.
    def check(pdf: pikepdf.Pdf) -> Iterator[str]:
        root = pdf.Root.StructTreeRoot
        if "/IDTree" not in root:
            yield "no /IDTree in the StructTreeRoot"
            return
        names = root.IDTree.get("/Names", pikepdf.Array())
        tree = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
        for element, _parent in _elements(pdf):
            tag = _tag(element)
            attributes = element.get("/A")
            if tag == "/TH":
                scope = attributes.get("/Scope") if attributes is not None else None
                if str(scope) not in {"/Row", "/Column", "/Both"}:
                    yield f"TH without /Scope ({element.get('/ID')})"
                if "/ID" in element and tree.get(str(element.ID)) != element:
                    yield f"TH /ID {element.ID} not in the IDTree"
            if tag == "/TD" and attributes is not None:
                for header in attributes.get("/Headers", []):
                    if str(header) not in tree:
                        yield f"TD /Headers names {header}, which is not in the IDTree"

    assert not _problems(sample_pdfs, check)


def test_no_structure_element_is_empty(sample_pdfs: list[Path]) -> None:
    # An element with no content and no kids (an empty span, a line break) is noise to a
    # screen reader and fails PDF/UA checkers.
    def check(pdf: pikepdf.Pdf) -> Iterator[str]:
        for element, parent in _elements(pdf):
            if not _kids(element):
                yield f"empty {_tag(element)} in {_tag(parent)}"

    assert not _problems(sample_pdfs, check)


def test_captions_are_not_nested_and_belong_to_a_table_or_figure(
    sample_pdfs: list[Path],
) -> None:
    def check(pdf: pikepdf.Pdf) -> Iterator[str]:
        for element, parent in _elements(pdf):
            if _tag(element) != "/Caption":
                continue
            above = _tag(parent)
            if above == "/Caption":
                yield "Caption in a Caption"
            elif above == "/Div":
                if "/Figure" not in {
                    _tag(k) for k in _kids(parent) if isinstance(k, pikepdf.Dictionary)
                }:
                    yield "Caption in a Div with no Figure"
            elif above not in {"/Table", "/Figure", "/L"}:
                yield f"Caption in {above}"

    assert not _problems(sample_pdfs, check)


def test_link_annotations_say_where_they_go_in_words(sample_pdfs: list[Path]) -> None:
    # Matterhorn 28-007/PDF/UA 7.18.5: a link annotation's /Contents describes it; WeasyPrint
    # wrote the target id ("out_of_county").
    def check(pdf: pikepdf.Pdf) -> Iterator[str]:
        links = 0
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") != "/Link":
                    continue
                links += 1
                said = str(annotation.get("/Contents", "")).strip()
                target = str(annotation.get("/Dest", ""))
                if not said or said == target or not re.search(r"[A-Z]", said):
                    yield f"link to {target!r} says {said!r}"
        if not links:
            yield "no links found (the contents should link to each section)"

    assert not _problems(sample_pdfs, check)


def test_contents_links_name_the_section_and_the_page_they_go_to(sample_pdfs: list[Path]) -> None:
    for path in sample_pdfs:
        with pikepdf.open(path) as pdf:
            pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
            dests = pikepdf.NameTree(pdf.Root.Names.Dests)
            stated = {}
            for annotation in pdf.pages[0].obj.get("/Annots", []):
                said = str(annotation.Contents)
                match = re.fullmatch(r"(.+) \(page (\d+)\)", said)
                assert match, f"{path}: contents link says {said!r}"
                target = dests[str(annotation.Dest)]
                destination = target.D if isinstance(target, pikepdf.Dictionary) else target
                # The page the link says is the page it goes to.
                assert int(match[2]) == pages[destination[0].objgen], (path, said)
                stated[match[1]] = int(match[2])
        # The cover, its contents and notes fit the first page: the summary starts page 2.
        assert stated["Summary"] == 2, f"{path}: the cover runs over its page"


def test_every_figure_has_alternative_text(sample_pdfs: list[Path]) -> None:
    def check(pdf: pikepdf.Pdf) -> Iterator[str]:
        figures = 0
        for element, _parent in _elements(pdf):
            if _tag(element) == "/Figure":
                figures += 1
                if len(str(element.get("/Alt", "")).split()) < 3:
                    yield f"Figure with alt {str(element.get('/Alt', ''))!r}"
        if not figures:
            yield "no figures found"

    assert not _problems(sample_pdfs, check)
