"""PDF accessibility fixes applied while WeasyPrint writes the board paper.

WeasyPrint 70 tags a PDF/UA-1 document well, with one gap (WeasyPrint issue 1836): text in
page margin boxes (our running header and footer) is written as tagged content (`/Span
<</MCID n>> BDC`) whose structure elements are built but never attached to the structure
tree. A screen reader then meets orphaned content, and PDF/UA checkers report content that is
neither in the tree nor an artifact. PDF/UA-1 (PDF 1.7) wants page furniture marked as
`/Artifact`, so `artifact_page_furniture` is a WeasyPrint *finisher*: it runs on the in-memory
PDF (pydyf objects) just before it is serialised, finds the orphaned structure elements,
re-marks their content as `/Artifact <</Type /Pagination>>`, drops them from the parent tree
and empties the orphaned objects. No second PDF library is needed at run time.

`finish_pdf`, the finisher the paper is written with, also puts right what WeasyPrint 70 tags
in a way PDF/UA checkers and screen readers do not accept (`tidy_structure`):

- a definition list (`<dl>` of `<div><dt><dd></div>`) comes out as L > Div > LI > LBody: each
  Div becomes the list item, its term the label and its definition the body (L > LI > Lbl,
  LBody);
- table header cells get `/Scope` (Column in the head, Row in the body) and the structure
  tree root an `/IDTree`, without which the cells' `/ID` and `/Headers` lead nowhere;
- structure elements with no content (empty spans, a line break) are removed;
- a caption inside a caption (the anonymous block WeasyPrint makes round a block inside a
  `<figcaption>`) is merged into the outer one, and the `<figure>` holding a caption and its
  image is a Div, not NonStruct;
- each link annotation's `/Contents` is the link's own words (WeasyPrint writes the target
  id, e.g. "out_of_county"), with the page number for a contents entry.
"""

from __future__ import annotations

import re
from typing import Any

_REF = re.compile(rb"^(\d+) 0 R$")


def _deref(pdf: Any, value: Any) -> Any:
    """The object an indirect reference (b'12 0 R') points to, or the value itself."""
    if isinstance(value, bytes):
        match = _REF.match(value)
        if match:
            return pdf.objects[int(match[1])]
    return value


def _refs(value: Any) -> list[bytes]:
    """The indirect references held in a structure element's /K (one or a list)."""
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, bytes) and _REF.match(item)]


def _reachable(pdf: Any, root: Any) -> set[int]:
    """Object numbers of every structure element reachable from the structure tree root."""
    seen: set[int] = set()
    stack = list(_refs(root.get("K", [])))
    while stack:
        ref = stack.pop()
        number = int(_REF.match(ref)[1])  # type: ignore[index]
        if number in seen:
            continue
        seen.add(number)
        obj = pdf.objects[number]
        if hasattr(obj, "get") and obj.get("Type") == "/StructElem":
            stack.extend(_refs(obj.get("K", [])))
    return seen


def artifact_page_furniture(document: Any, pdf: Any) -> None:
    """WeasyPrint finisher: turn orphaned (margin-box) tagged content into artifacts.

    Safe to call on an untagged PDF (does nothing). Raises RuntimeError if an orphaned MCID
    cannot be found in its page's content stream, because then the fix did not take.
    """
    import pydyf

    root_ref = pdf.catalog.get("StructTreeRoot")
    if root_ref is None:
        return
    root = _deref(pdf, root_ref)
    reachable = _reachable(pdf, root)

    # Orphans: structure elements not reachable from the root. Collect their MCIDs per page.
    orphan_mcids: dict[bytes, set[int]] = {}
    orphans = []
    for obj in pdf.objects[1:]:
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Type") != "/StructElem":
            continue
        if obj.number in reachable:
            continue
        orphans.append(obj)
        kids = obj.get("K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int):
                orphan_mcids.setdefault(obj["Pg"], set()).add(kid)
    if not orphans:
        return

    pages = [_deref(pdf, ref) for ref in pdf.page_references]
    parent_tree = _deref(pdf, root["ParentTree"])
    nums = parent_tree["Nums"]
    for page_index, page in enumerate(pages):
        page_ref = pdf.page_references[page_index]
        mcids = orphan_mcids.get(page_ref, set())
        if not mcids:
            continue
        stream = _deref(pdf, page["Contents"])
        items = stream.stream
        found: set[int] = set()
        for i, item in enumerate(items):
            if isinstance(item, pydyf.Dictionary) and item.get("MCID") in mcids:
                # The tag name sits just before the property list (pydyf writes "/Tag <<...>> BDC").
                items[i - 1] = "/Artifact"
                items[i] = pydyf.Dictionary({"Type": "/Pagination"})
                found.add(item["MCID"])
        if found != mcids:
            missing = sorted(mcids - found)
            raise RuntimeError(f"page {page_index + 1}: tagged page furniture {missing} not found")
        # The parent tree maps page i's MCIDs in order: null the artifact ones.
        position = nums.index(page["StructParents"]) + 1
        mapping = nums[position]
        for mcid in mcids:
            mapping[mcid] = b"null"
    for obj in orphans:
        # Unreferenced now; emptied so no stray structure element is left in the file.
        obj.clear()


def _number(ref: Any) -> int | None:
    """The object number of an indirect reference (b'12 0 R'), or None for anything else
    (an MCID, a dictionary). Faster than the regular expression, on thousands of kids."""
    if isinstance(ref, bytes) and ref.endswith(b" 0 R"):
        return int(ref[:-4])
    return None


def _elem(obj: Any) -> bool:
    """True for a structure element (a pydyf dictionary of type /StructElem)."""
    return isinstance(obj, dict) and obj.get("Type") == "/StructElem"


def _kid_list(element: Any) -> list[Any]:
    """An element's /K as a list (it may hold a single kid)."""
    kids = element.get("K", [])
    return list(kids) if isinstance(kids, list) else [kids]


def _kids(pdf: Any, element: Any) -> list[Any]:
    """The structure elements among an element's /K (MCIDs and object references left out)."""
    found = []
    for ref in _kid_list(element):
        number = _number(ref)
        if number is not None and _elem(pdf.objects[number]):
            found.append(pdf.objects[number])
    return found


def _elements(pdf: Any, root: Any) -> list[tuple[Any, Any]]:
    """(element, parent) for every structure element under `root`, parents before children
    (document order)."""
    objects = pdf.objects
    out = []
    stack = [(ref, root) for ref in reversed(_kid_list(root))]
    while stack:
        ref, parent = stack.pop()
        number = _number(ref)
        if number is None:
            continue
        element = objects[number]
        if not _elem(element):
            continue
        out.append((element, parent))
        stack.extend((kid, element) for kid in reversed(_kid_list(element)))
    return out


def _replace_kid(parent: Any, old: Any, new: list[Any]) -> None:
    """Put `new` elements (adopted by `parent`) where `old` was in the parent's /K."""
    import pydyf

    kids = _kid_list(parent)
    at = kids.index(old.reference)
    for element in new:
        element["P"] = parent.reference
    parent["K"] = pydyf.Array(kids[:at] + [e.reference for e in new] + kids[at + 1 :])


def _list_items_from_definitions(pdf: Any, pairs: list[tuple[Any, Any]]) -> dict[int, Any]:
    """L > Div > (LI > LBody term, LI > LBody definition) becomes L > LI > (Lbl, LBody).
    Returns the new parent of each moved element, by id()."""
    import pydyf

    moved: dict[int, Any] = {}

    for element, parent in pairs:
        if element.get("S") != "/Div" or parent.get("S") != "/L":
            continue
        items = _kids(pdf, element)
        bodies = [_kids(pdf, item) for item in items]
        if not (
            len(items) == 2
            and len(_kid_list(element)) == 2
            and all(i.get("S") == "/LI" and len(_kid_list(i)) == 1 for i in items)
            and all(len(b) == 1 and b[0].get("S") == "/LBody" for b in bodies)
        ):
            continue
        term, definition = bodies[0][0], bodies[1][0]
        term["S"] = "/Lbl"
        for body in (term, definition):
            body["P"] = element.reference
            moved[id(body)] = element
        element["S"] = "/LI"
        element["K"] = pydyf.Array([term.reference, definition.reference])
        for item in items:
            item.clear()  # unreferenced now
    return moved


def _table_header_scopes(pdf: Any, root: Any, pairs: list[tuple[Any, Any]]) -> None:
    """Give every TH a /Scope and the tree root an /IDTree of the header cells' /ID."""
    import pydyf

    ids: dict[str, bytes] = {}
    for element, parent in pairs:
        if element.get("S") != "/TH":
            continue
        row_group = _deref(pdf, parent.get("P")) if parent.get("S") == "/TR" else None
        in_head = row_group is not None and row_group.get("S") == "/THead"
        attributes = element.get("A")
        if not hasattr(attributes, "get"):
            attributes = pydyf.Dictionary({"O": "/Table"})
            element["A"] = attributes
        attributes["Scope"] = "/Column" if in_head else "/Row"
        if "ID" in element:
            ids[str(getattr(element["ID"], "string", element["ID"]))] = element.reference
    if ids:
        names = pydyf.Array()
        for key in sorted(ids, key=lambda k: k.encode("utf-8")):  # name trees sort by bytes
            names.extend([pydyf.String(key), ids[key]])
        root["IDTree"] = pydyf.Dictionary({"Names": names})


def _without_empty_elements(pairs: list[tuple[Any, Any]]) -> None:
    """Remove structure elements that hold nothing (no content, no annotation, no element),
    and then any parent left empty by that: children are seen before their parents."""
    import pydyf

    for element, parent in reversed(pairs):
        if not element or _kid_list(element):
            continue  # already removed, or holds something
        parent["K"] = pydyf.Array([k for k in _kid_list(parent) if k != element.reference])
        element.clear()


def _holds_figure(pdf: Any, element: Any) -> bool:
    """True if a Figure is among the element's kids, or inside an anonymous (NonStruct) kid,
    as an inline image in a <figure> is."""
    for kid in _kids(pdf, element):
        if kid.get("S") == "/Figure":
            return True
        if kid.get("S") == "/NonStruct" and any(
            grandchild.get("S") == "/Figure" for grandchild in _kids(pdf, kid)
        ):
            return True
    return False


def _merged_captions(pdf: Any, pairs: list[tuple[Any, Any]]) -> None:
    """A Caption inside a Caption gives its kids to the outer one; a NonStruct holding a
    Caption and a Figure (an HTML <figure>) becomes a Div."""
    for element, parent in reversed(pairs):
        if not element or not parent or element.get("S") != "/Caption":
            continue
        if parent.get("S") == "/Caption":
            inner = _kids(pdf, element)
            if len(inner) == len(_kid_list(element)):  # only elements, no content of its own
                _replace_kid(parent, element, inner)
                element.clear()
    for element, parent in pairs:
        if (
            element
            and parent
            and element.get("S") == "/Caption"
            and parent.get("S") == "/NonStruct"
            and _holds_figure(pdf, parent)
        ):
            parent["S"] = "/Div"


def _box_text(box: Any, generated: bool = False) -> list[str]:
    """The words of a layout box; those of generated (::before/::after) boxes inside it only
    if `generated` (the box is itself one)."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        return [box.text]
    out = []
    for child in getattr(box, "children", []):
        if generated or "::" not in (child.element_tag or ""):
            out.extend(_box_text(child, generated))
    return out


def _link_words(document: Any) -> dict[int, str]:
    """What each link annotation (by object number) says: the link's words, and the page
    number a contents entry adds after them (its ::after text)."""
    words: dict[Any, list[str]] = {}
    after: dict[Any, list[str]] = {}
    annotations: dict[Any, list[Any]] = {}
    for page in document.pages:
        # WeasyPrint's links of the page: (type, target, rectangle, box), each box given its
        # annotation as the PDF was written.
        for _kind, _target, _rectangle, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            if annotation is None or box.element is None:
                continue
            annotations.setdefault(box.element, []).append(annotation)
            pseudo = (box.element_tag or "").endswith("::after")
            (after if pseudo else words).setdefault(box.element, []).extend(_box_text(box, pseudo))
    named: dict[int, str] = {}
    for element, found in annotations.items():
        said = " ".join(" ".join(words.get(element, [])).split())
        page = " ".join(" ".join(after.get(element, [])).split())
        if page.isdigit():
            said = f"{said} (page {page})" if said else f"Page {page}"
        elif page:
            said = f"{said} {page}".strip()
        for annotation in found:
            named[annotation.number] = said
    return named


def _readable_links(document: Any, pdf: Any) -> None:
    """Set each link annotation's /Contents to what the link says."""
    import pydyf

    for number, said in _link_words(document).items():
        if said:
            pdf.objects[number]["Contents"] = pydyf.String(said)


def tidy_structure(document: Any, pdf: Any) -> None:
    """WeasyPrint finisher: lists, table headers, empty elements, captions and link text put
    right in the structure tree (see the module docstring). Does nothing to an untagged PDF."""
    root_ref = pdf.catalog.get("StructTreeRoot")
    if root_ref is None:
        return
    root = _deref(pdf, root_ref)
    pairs = _elements(pdf, root)
    moved = _list_items_from_definitions(pdf, pairs)
    # The walk as the lists left it (their old items gone, terms and definitions moved); each
    # fix below keeps it true for the next.
    pairs = [(e, moved.get(id(e), p)) for e, p in pairs if e]
    _table_header_scopes(pdf, root, pairs)
    _without_empty_elements(pairs)
    _merged_captions(pdf, pairs)
    _readable_links(document, pdf)


def finish_pdf(document: Any, pdf: Any) -> None:
    """The board paper's finisher: page furniture as artifacts, then the structure tidied."""
    artifact_page_furniture(document, pdf)
    tidy_structure(document, pdf)


__all__ = ["artifact_page_furniture", "finish_pdf", "tidy_structure"]
