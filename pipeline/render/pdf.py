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


__all__ = ["artifact_page_furniture"]
