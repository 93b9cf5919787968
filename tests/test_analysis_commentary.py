"""The director's commentary: sections by heading, rendered without raw HTML or images."""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import Markup

from pipeline.analysis.commentary import render_commentary, render_markdown, section_key
from pipeline.errors import UsageError


def test_no_file_configured_gives_no_sections() -> None:
    assert render_commentary(None) == {}


def test_sections_keyed_by_heading(tmp_path: Path) -> None:
    path = tmp_path / "commentary.md"
    path.write_text(
        "Opening words.\n\n## Summary\nMore summary.\n\n## Timeliness\n"
        "We are *behind*.\n\n## Out of county\n- one\n- two\n",
        encoding="utf-8",
    )
    sections = render_commentary(path)
    assert list(sections) == ["summary", "timeliness", "out_of_county"]
    # text before the first heading joins the summary; headings themselves are not repeated
    assert sections["summary"] == "<p>Opening words.</p>\n<p>More summary.</p>\n"
    assert sections["timeliness"] == "<p>We are <em>behind</em>.</p>\n"
    assert "<li>one</li>" in sections["out_of_county"]
    assert all(isinstance(v, Markup) for v in sections.values())


def test_report_titles_map_to_sections_and_unknown_headings_join_the_summary() -> None:
    html = render_markdown(
        "# Missing episodes\nMore than last year.\n\n"
        "## Exploitation\nAn audit is under way.\n\n"
        "## Return home interviews\nToo many declined.\n"
    )
    assert list(html) == ["missing", "summary", "interviews"]
    # the unknown heading is kept, one level down, with its text, in the summary
    assert html["summary"] == "<h3>Exploitation</h3>\n<p>An audit is under way.</p>\n"


def test_raw_html_is_escaped() -> None:
    html = render_markdown("<script>alert(1)</script>\n\nHi <b onclick='x'>there</b>")
    assert "<script>" not in html["summary"] and "<b" not in html["summary"]
    assert "&lt;script&gt;" in html["summary"]


def test_images_become_their_alt_text() -> None:
    html = render_markdown('See ![chart of returns](https://example.com/a.png "t").')
    assert html["summary"] == "<p>See chart of returns.</p>\n"
    assert "img" not in html["summary"] and "example.com" not in html["summary"]


def test_only_https_links_keep_their_address() -> None:
    html = render_markdown(
        '[guide](https://www.gov.uk/x?a=1&b=2 "title") '
        "[old](http://example.com) [bad](javascript:alert(1))"
    )["summary"]
    assert '<a href="https://www.gov.uk/x?a=1&amp;b=2">guide</a>' in html
    assert "title" not in html
    # http keeps its text only; markdown-it refuses javascript: links, leaving the source text
    assert html.endswith("</a> old [bad](javascript:alert(1))</p>\n")
    assert html.count("<a ") == 1


def test_section_key() -> None:
    assert section_key("Out-of-county children") == "out_of_county_children"
    assert section_key("  RHI  Timeliness ") == "rhi_timeliness"


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="commentary file"):
        render_commentary(tmp_path / "nope.md")


def test_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "c.md"
    path.write_bytes("\ufeff## Summary\nFine.\n".encode())
    assert render_commentary(path) == {"summary": "<p>Fine.</p>\n"}
