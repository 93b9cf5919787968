"""The director's commentary: an optional Markdown file, rendered safely into the report.

The file is split at its top-level headings (`#` or `##`); each section is keyed by its
heading in lower case with spaces and punctuation as underscores (`## Summary` ->
"summary", `## Out of county` -> "out_of_county"), so the report can place it beside the
section it talks about (KNOWN_SECTIONS; the report's own section titles, such as
`## Missing episodes`, work too). Text before the first heading belongs to the summary, and
so does a section whose heading names no report section: it keeps its heading there.

The file says which quarter it was written for in front matter at its top:

    ---
    quarter: 2026-27-Q1
    ---

`commentary_for` checks it against the run's quarter: commentary for another quarter (or
one that does not say) is left out with a notice, unless the config's
`commentary_other_quarter: keep` says to print it anyway. The text may quote this run's
figures through the narrative templates' names (`{{ target_met_rate }}`, or a metric ID
such as `{{ rhi_target_met_rate }}`); `pipeline.analysis.narrative.fill_commentary` puts
them in, and a figure withheld by disclosure control is printed as [c].

Rendering is safe for a published paper: markdown-it-py (CommonMark, plus tables and
strikethrough) with raw HTML switched off, so any HTML in the file is shown as text, not
obeyed; images are replaced by their alt text, so nothing is fetched from anywhere; links
keep their address only when it is https (anything else is shown as plain text).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from pipeline.config import read_yaml
from pipeline.errors import UsageError
from pipeline.periods import Quarter

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


@dataclass(frozen=True)
class Commentary:
    """The commentary file's Markdown (front matter removed) and the quarter it states."""

    path: Path
    text: str
    quarter: str | None  # e.g. "2026-27-Q1"; None when the file does not say


def read_commentary(path: Path) -> Commentary:
    """The commentary file, with the quarter from its front matter.

    Raises UsageError (one plain sentence) when the file cannot be read, its front matter
    is not YAML, or its quarter is not a quarter like 2026-27-Q1.
    """
    text = _read_text(path)
    match = _FRONT.match(text)
    if match is None:
        return Commentary(path, text, None)
    try:
        front = read_yaml(match.group(1))
    except yaml.YAMLError:
        raise UsageError(
            f"{path}: the lines between the '---' markers at the top are not valid YAML; "
            "write them as 'quarter: 2026-27-Q1'."
        ) from None
    quarter = front.get("quarter") if isinstance(front, dict) else None
    if quarter is not None:
        try:
            quarter = Quarter.parse(str(quarter)).id
        except ValueError:
            raise UsageError(
                f"{path}: the front matter gives the quarter as '{quarter}', which is not a "
                "quarter; write it like 2026-27-Q1."
            ) from None
    return Commentary(path, text[match.end() :], quarter)


def commentary_for(
    commentary: Commentary, quarter: Quarter, *, keep: bool = False
) -> tuple[str | None, str | None]:
    """The commentary's Markdown if it is for `quarter` (or `keep` is set), and a notice.

    The notice is one sentence for the person running the report, or None when the file
    states this quarter.
    """
    if commentary.quarter == quarter.id:
        return commentary.text, None
    stated = (
        f"was written for {Quarter.parse(commentary.quarter).label}"
        if commentary.quarter
        else "does not say which quarter it was written for"
    )
    if keep:
        return commentary.text, (
            f"{commentary.path}: the commentary {stated}, not {quarter.label}; it is printed "
            "because the config says commentary_other_quarter: keep."
        )
    return None, (
        f"{commentary.path}: the commentary {stated}, not {quarter.label}, so it is left out "
        f"of the report. Update it and put 'quarter: {quarter.id}' between '---' lines at "
        "its top, or set commentary_other_quarter: keep in the config to print it anyway."
    )


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
    """The commentary file's sections as safe HTML (front matter removed); {} when no file
    is configured. No quarter check and no figures: see `commentary_for`.

    Raises UsageError when a configured file is missing or is not UTF-8 text.
    """
    if path is None:
        return {}
    return render_markdown(read_commentary(path).text)


def _read_text(path: Path) -> str:
    """The file's text; UsageError with a plain sentence when it cannot be read."""
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
    return text


__all__ = [
    "ALIASES",
    "KNOWN_SECTIONS",
    "Commentary",
    "commentary_for",
    "read_commentary",
    "render_commentary",
    "render_markdown",
    "section_key",
]
