"""The director's commentary: sections by heading, rendered without raw HTML or images."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from markupsafe import Markup

from pipeline.analysis import analyse, write_narrative
from pipeline.analysis.commentary import (
    commentary_for,
    read_commentary,
    render_commentary,
    render_markdown,
    section_key,
)
from pipeline.analysis.narrative import commentary_context, fill_commentary
from pipeline.config import Config
from pipeline.errors import UsageError
from pipeline.periods import Quarter


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


# --- the quarter the commentary was written for, and figures quoted in it -----------------

Q1 = Quarter.parse("2026-27-Q1")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "commentary.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_front_matter_states_the_quarter(tmp_path: Path) -> None:
    path = _write(tmp_path, "---\nquarter: 2026-27-Q1\n---\n## Timeliness\nBetter.\n")
    commentary = read_commentary(path)
    assert commentary.quarter == "2026-27-Q1"
    assert commentary.text == "## Timeliness\nBetter.\n"
    # the front matter is not printed
    assert render_commentary(path) == {"timeliness": Markup("<p>Better.</p>\n")}
    assert commentary_for(commentary, Q1) == ("## Timeliness\nBetter.\n", None)


def test_commentary_for_another_quarter_is_left_out_with_a_notice(tmp_path: Path) -> None:
    path = _write(tmp_path, "---\nquarter: 2025-26-Q4\n---\nLast quarter's words.\n")
    text, notice = commentary_for(read_commentary(path), Q1)
    assert text is None
    assert notice is not None
    assert "written for Quarter 4 2025-26 (January to March 2026), not Quarter 1" in notice
    assert "so it is left out of the report" in notice
    assert "quarter: 2026-27-Q1" in notice
    # told to keep it, it is printed, and the notice still says so
    text, notice = commentary_for(read_commentary(path), Q1, keep=True)
    assert text == "Last quarter's words.\n"
    assert notice is not None and "printed because the config says" in notice


def test_commentary_that_does_not_say_its_quarter_is_not_printed_silently(
    tmp_path: Path,
) -> None:
    text, notice = commentary_for(read_commentary(_write(tmp_path, "Words.\n")), Q1)
    assert text is None
    assert notice is not None and "does not say which quarter" in notice


def test_a_quarter_that_is_not_a_quarter_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="'Q1 2026', which is not a quarter"):
        read_commentary(_write(tmp_path, "---\nquarter: Q1 2026\n---\nWords.\n"))


def _metrics(suppressed: bool) -> pd.DataFrame:
    # 10 of 28 interviews face to face within 72 hours: 35.7% -> 36%
    return pd.DataFrame(
        [
            {
                "quarter": Q1.id,
                "cohort": "all",
                "metric": "rhi_target_met_rate",
                "numerator": 10.0,
                "denominator": 28.0,
                "value": 10 / 28,
                "suppressed": suppressed,
            }
        ]
    )


def test_a_placeholder_quotes_this_runs_figure_and_is_withheld_when_it_is() -> None:
    text = (
        "{{ rhi_target_met_rate }} of interviews were face to face in time ({{ target_met_rate }})."
    )
    path = Path("commentary.md")
    shown = commentary_context(_metrics(False), Q1, history=None, rag={}, config=Config())
    assert fill_commentary(text, shown, path) == (
        "36% of interviews were face to face in time (36%)."
    )
    hidden = commentary_context(_metrics(True), Q1, history=None, rag={}, config=Config())
    assert (
        fill_commentary(text, hidden, path) == "[c] of interviews were face to face in time ([c])."
    )


def test_an_unknown_placeholder_is_a_usage_error() -> None:
    ctx = commentary_context(_metrics(False), Q1, history=None, rag={}, config=Config())
    with pytest.raises(UsageError, match="uses a name that is not a figure"):
        fill_commentary("{{ rhi_target_mte_rate }}", ctx, Path("commentary.md"))


def test_the_run_leaves_out_commentary_for_another_quarter(tmp_path: Path) -> None:
    # analyse + write_narrative: the notice is kept for the run to print, no section shown
    _write(tmp_path, "---\nquarter: 2025-26-Q4\n---\n## Timeliness\nOld.\n")
    config = Config(commentary=Path("commentary.md"), base_dir=tmp_path)
    monthly = pd.DataFrame({"month": ["2026-04"], "episodes": [3]})
    analysis = analyse(_metrics(False), monthly, quarter=Q1, quarters=[Q1], config=config)
    write_narrative(analysis, _metrics(False), config)
    assert analysis.commentary == {}
    assert len(analysis.notices) == 1 and "left out" in analysis.notices[0]
    kept = config.model_copy(update={"commentary_other_quarter": "keep"})
    analysis = analyse(_metrics(False), monthly, quarter=Q1, quarters=[Q1], config=kept)
    write_narrative(analysis, _metrics(False), kept)
    assert list(analysis.commentary) == ["timeliness"]
