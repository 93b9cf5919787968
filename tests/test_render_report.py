"""The board paper end to end: tagged PDF/UA-1 checked with pikepdf and pdftotext, the
self-contained HTML twin, byte-identical output, autoescaping and the locked URL fetcher."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pandas as pd
import pikepdf
import pytest
from render_fixtures import Q1, random_results

from pipeline.render.report import css_string, render, render_html
from pipeline.render.view import build_view


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The public paper rendered twice, into two different folders."""
    first = tmp_path_factory.mktemp("a") / "deep" / "out"
    second = tmp_path_factory.mktemp("b")
    assert render(random_results("public"), first) == ["board-report.html", "board-report.pdf"]
    render(random_results("public"), second)
    return first, second


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _walk(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    """Structure elements in document order (depth first)."""
    out = []
    kids = node.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
    for kid in items:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            out.append(kid)
            out.extend(_walk(kid))
    return out


def test_same_inputs_give_the_same_bytes_in_any_folder(rendered: tuple[Path, Path]) -> None:
    first, second = rendered
    for name in ("board-report.html", "board-report.pdf"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    # No absolute path of the machine inside either file.
    for name in ("board-report.html", "board-report.pdf"):
        data = (first / name).read_bytes()
        assert str(first).encode() not in data
        assert b"/work/" not in data and b"file://" not in data


def test_pdf_is_tagged_pdf_ua(rendered: tuple[Path, Path]) -> None:
    with pikepdf.open(rendered[0] / "board-report.pdf") as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == "en-GB"
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        title = str(pdf.docinfo.Title)
        assert title.startswith("Children missing from home and care")
        assert "Quarter 1 2026-27" in title
        with pdf.open_metadata() as meta:
            assert meta.get("pdfuaid:part") == "1"
            assert "Quarter 1 2026-27" in meta.get("dc:title")


def test_pdf_structure_figures_headings_tables(rendered: tuple[Path, Path]) -> None:
    with pikepdf.open(rendered[0] / "board-report.pdf") as pdf:
        elements = _walk(pdf.Root.StructTreeRoot)
        tags = [str(e.S) for e in elements]
        figures = [e for e in elements if str(e.S) == "/Figure"]
        view = build_view(random_results("public"))
        assert len(figures) == len(view.charts)
        for fig, chart in zip(figures, view.charts, strict=True):
            assert str(fig.Alt) == chart.alt
        levels = [int(t[2]) for t in tags if re.fullmatch(r"/H[1-6]", t)]
        assert levels[0] == 1 and levels.count(1) == 1
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (before, after)
        assert tags.count("/Table") >= 10
        assert "/TH" in tags and "/Caption" in tags


def test_every_font_is_embedded(rendered: tuple[Path, Path]) -> None:
    with pikepdf.open(rendered[0] / "board-report.pdf") as pdf:
        seen = 0
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                descendants = font.get("/DescendantFonts")
                target = descendants[0] if descendants is not None else font
                descriptor = target.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                assert "AtkinsonHyperlegible" in str(target.BaseFont).replace("-", "")
                seen += 1
        assert seen


def test_pdf_text_has_the_headline_figures(rendered: tuple[Path, Path]) -> None:
    results = random_results("public")
    episodes = results.episodes
    start = episodes["start"]
    in_q1 = episodes[(start >= pd.Timestamp(Q1.start)) & (start < pd.Timestamp(Q1.end))]
    # Counted directly from the episode table, not from the metrics code.
    n_episodes = len(in_q1)
    n_children = in_q1["child_id"].nunique()
    due = in_q1[in_q1["end"].notna()]
    offered = due["outcome"].isin(["completed", "declined", "pending"]).sum()
    declined = (due["outcome"] == "declined").sum()
    text = _pdf_text(rendered[0] / "board-report.pdf")
    flat = " ".join(text.split())
    assert (
        f"there were {n_episodes} missing and away episodes involving {n_children} children" in flat
    )
    assert f"{offered} were offered an interview" in flat
    assert f"{declined} offers were declined" in flat
    assert "OFFICIAL" in text and "Page 2 of" in text
    assert "C-SECRET-1" not in text  # a data-quality message naming a child stays out


def test_html_is_self_contained_and_accessible(rendered: tuple[Path, Path]) -> None:
    html = (rendered[0] / "board-report.html").read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert "<title>Children missing from home and care" in html
    # No external requests: no links to stylesheets, no remote or file URLs anywhere.
    assert "<link" not in html and "<script" not in html
    assert not re.search(r"""(src|href)=["'](https?:|//|file:)""", html)
    assert not re.search(r"url\((?!\"?data:|#)", html)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "duplicate ids in the HTML page"
    svgs = re.findall(r"<svg[^>]*>", html)
    assert svgs and all('role="img"' in s and "aria-labelledby" in s for s in svgs)
    for label in re.findall(r'aria-labelledby="([^"]+)"', html):
        for ref in label.split():
            assert f'id="{ref}"' in html
    assert html.count('<th scope="col"') > 10 and "<caption" in html
    assert "Data for figure 1" in html


def test_internal_paper_is_marked_not_for_publication(tmp_path: Path) -> None:
    render(random_results("internal"), tmp_path)
    text = _pdf_text(tmp_path / "board-report.pdf")
    pages = text.split("\f")[:-1]
    for page in pages:
        assert "OFFICIAL-SENSITIVE: not for publication" in page
    html = (tmp_path / "board-report.html").read_text(encoding="utf-8")
    assert "Not for publication" in html


def test_config_text_is_escaped_everywhere() -> None:
    results = random_results("public")
    results.config = results.config.model_copy(
        update={"council_name": 'Evil <script>alert(1)</script> "Council"'}
    )
    view = build_view(results)
    for mode in ("html", "pdf"):
        html = render_html(view, mode=mode)
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert css_string('a"b\\c</style>') == '"a\\000022 b\\00005c c\\00003c \\00002f style\\00003e "'
