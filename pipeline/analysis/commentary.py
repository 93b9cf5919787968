"""The director's commentary: an optional Markdown file, rendered safely into the report.

The file is split at its top-level headings (`#` or `##`); each section is keyed by its
heading in lower case with spaces and punctuation as underscores (`## Summary` ->
"summary", `## Out of county` -> "out_of_county"), so the report can place it beside the
section it talks about (KNOWN_SECTIONS; the report's own section titles, such as
`## Missing episodes`, work too). Text before the first heading belongs to the summary, and
so does a section whose heading names no report section: it keeps its heading there.

Rendering is safe for a published paper: markdown-it-py (CommonMark, plus tables and
strikethrough) with raw HTML switched off, so any HTML in the file is shown as text, not
obeyed; images are replaced by their alt text, so nothing is fetched from anywhere; links
keep their address only when it is https (anything else is shown as plain text).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from pipeline.errors import UsageError

# The report's sections that can carry commentary (pipeline/render/sections.py section ids).
KNOWN_SECTIONS = (
    "summary",
    "missing",
    "interviews",
    "timeliness",
    "out_of_county",
    "risks",
    "workload",
    "trends",
)

# Other headings a director is likely to write, including the report's own section titles.
ALIASES = {
    "key_messages": "summary",
    "missing_episodes": "missing",
    "episodes": "missing",
    "return_home_interviews": "interviews",
    "rhis": "interviews",
    "children_placed_out_of_county": "out_of_county",
    "out_of_area": "out_of_county",
    "risks_identified": "risks",
    "workload_of_return_home_interview_practitioners": "workload",
}


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    md.add_render_rule("image", _render_image)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("link_close", _render_link_close)
    return md


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """An image becomes its alt text: no remote fetch, and no meaning lost."""
    alt = "".join(child.content for child in tokens[idx].children or [])
    return str(escape(alt))


def _safe_href(token: Token) -> str | None:
    href = str(token.attrGet("href") or "")
    return href if href.lower().startswith("https://") else None


def _render_link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Keep only https links, and only their address (no title or other attributes)."""
    href = _safe_href(tokens[idx])
    return "" if href is None else f'<a href="{escape(href)}">'


def _render_link_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    # Links do not nest, so the partner is the nearest link_open before this token.
    for j in range(idx - 1, -1, -1):
        if tokens[j].type == "link_open":
            return "" if _safe_href(tokens[j]) is None else "</a>"
    return ""


def section_key(heading: str) -> str:
    """`Out of county` -> "out_of_county": lower case, runs of other characters -> "_"."""
    return re.sub(r"[^a-z0-9]+", "_", heading.lower()).strip("_") or "summary"


def _split(tokens: list[Token]) -> list[tuple[str, list[Token]]]:
    """Top-level token runs, each with the key of the heading above it.

    A heading naming a report section is dropped (the report prints its own); any other
    heading keeps its text, as a third-level heading, and its section joins the summary, so
    nothing the director wrote is lost.
    """
    sections: list[tuple[str, list[Token]]] = [("summary", [])]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open" and token.level == 0 and token.tag in ("h1", "h2"):
            key = section_key(tokens[i + 1].content)
            key = ALIASES.get(key, key)
            if key in KNOWN_SECTIONS:
                sections.append((key, []))
            else:
                sections.append(("summary", []))
                token.tag = tokens[i + 2].tag = "h3"
                sections[-1][1].extend(tokens[i : i + 3])
            i += 3  # heading_open, inline, heading_close
            continue
        sections[-1][1].append(token)
        i += 1
    return sections


def render_markdown(text: str) -> dict[str, Markup]:
    """Render Markdown text into safe HTML sections keyed by heading (see module docstring)."""
    md = _parser()
    out: dict[str, str] = {}
    for key, tokens in _split(md.parse(text)):
        html = md.renderer.render(tokens, md.options, {})
        if html.strip():
            out[key] = out.get(key, "") + html
    # The HTML was built by markdown-it from escaped text and our own tags only.
    return {key: Markup(html) for key, html in out.items()}


def render_commentary(path: Path | None) -> dict[str, Markup]:
    """The commentary file's sections as safe HTML; {} when no file is configured.

    Raises UsageError when a configured file is missing or is not UTF-8 text.
    """
    if path is None:
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(
            f"{path}: the commentary file named in the config (key 'commentary') was not "
            "found. Create it, correct the path, or remove the key."
        ) from None
    except UnicodeDecodeError:
        raise UsageError(
            f"{path}: the commentary file is not UTF-8 text. Save it as UTF-8 and run again."
        ) from None
    except OSError as exc:
        raise UsageError(f"{path}: the commentary file could not be read ({exc}).") from None
    return render_markdown(text)


__all__ = ["ALIASES", "KNOWN_SECTIONS", "render_commentary", "render_markdown", "section_key"]
