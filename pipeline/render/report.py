"""The board paper: board-report.html and its tagged PDF/UA-1 twin, from one template.

`render(results, out_dir)` builds the view once (every figure already words, every chart
ready to draw once), then fills `templates/report.html.j2` twice:

- HTML: one self-contained page: CSS and the two font files inline (base64), charts inline as
  `<svg role="img">` with `<title>`/`<desc>`, each followed by its data table. No external
  request of any kind.
- PDF: WeasyPrint with `pdf_variant="pdf/ua-1"`, charts as `<img alt>` inside `<figure>` so the
  PDF Figure gets its alt text (see `pdf_writer.py` for the locked-down fetcher, the shared
  stylesheet and fonts, and the failed build on WeasyPrint's logged errors, and `pdf.py` for
  the running headers and footers re-marked as artifacts and the structure tree tidied).
  With a PDF engine (`pdf_engine.py`) the PDF is laid out in another process while the
  charts are drawn here.

Jinja autoescaping is on for every template; the only markup marked safe is SVG drawn by
`charts.py` (with its text escaped here) and director's commentary made safe upstream.
"""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from pipeline.render.charts import Chart
from pipeline.render.pdf_writer import TEMPLATES, RenderError, chart_url, write_pdf
from pipeline.render.profiles import Profile
from pipeline.render.view import ReportView, build_view
from pipeline.results import Results

if TYPE_CHECKING:
    from pipeline.render.pdf_engine import PdfJob

HTML_NAME = "board-report.html"
PDF_NAME = "board-report.pdf"
# The fonts the HTML twin embeds: the two weights the stylesheet uses.
HTML_FONTS = ("AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf")


def css_string(text: str) -> Markup:
    """Quote text as a CSS string, escaping everything but letters, digits and spaces.

    Used for running headers, whose text comes from the config: CSS hex escapes mean no quote,
    backslash or `</style>` in a council's name can break out of the string.
    """
    out = []
    for ch in str(text):
        if (ch.isalnum() and ch.isascii()) or ch == " ":
            out.append(ch)
        else:
            # The trailing space ends the escape (CSS consumes it), so real spaces survive.
            out.append(f"\\{ord(ch):06x} ")
    return Markup('"' + "".join(out) + '"')


@functools.cache
def environment(council_dir: str = "") -> Any:
    """The Jinja environment: the council's templates (`council_dir`, searched first) then
    the package's `templates/`; sandboxed, so a template can call the components it is given
    but reach nothing else of Python, and autoescaping on for everything.

    One per process and folder, so each template is compiled once however often it is used."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from pipeline.templating import bytecode_cache

    folders = [council_dir, str(TEMPLATES)] if council_dir else [str(TEMPLATES)]
    env = SandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(f) for f in folders]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
        # Compiled templates are kept between runs (pipeline.templating).
        bytecode_cache=bytecode_cache("report"),
    )
    env.filters["css_string"] = css_string
    return env


# --------------------------------------------------------------------------------------------
# Charts as the two outputs need them


def inline_svg(chart: Chart) -> Markup:
    """The chart as inline SVG for the HTML page: role img, labelled by its title and desc."""
    svg = chart.svg
    start = svg.index("<svg")
    end = svg.index(">", start)
    opening = svg[start:end]
    opening = re.sub(r'\s(width|height)="[^"]*"', "", opening)
    labels = f"{chart.id}-title {chart.id}-desc"
    head = (
        f'{opening} role="img" aria-labelledby="{labels}" focusable="false">'
        f'\n <title id="{chart.id}-title">{escape(chart.title)}</title>'
        f'\n <desc id="{chart.id}-desc">{escape(chart.alt)}</desc>'
    )
    return Markup(svg[:start] + head + svg[end + 1 :])


def inline_css() -> str:
    """The stylesheet with its font files embedded as base64, for the self-contained HTML."""
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    for name in HTML_FONTS:
        data = base64.b64encode((TEMPLATES / "fonts" / name).read_bytes()).decode()
        css = css.replace(
            f'url("fonts/{name}")', f'url("data:font/ttf;base64,{data}") format("truetype")'
        )
    if 'url("fonts/' in css:
        # A font the HTML does not embed would be an external request: drop those rules.
        css = re.sub(r"@font-face\s*{[^}]*url\(\"fonts/[^}]*}\s*", "", css)
    return css


def render_html(view: ReportView, *, mode: str = "html") -> str:
    """The filled template: `mode` "html" (self-contained page) or "pdf" (WeasyPrint input)."""
    env = environment(view.meta.get("council_dir", ""))
    template = env.get_template("report.html.j2")
    if mode == "html":
        images = {c.id: inline_svg(c) for c in view.charts}
        css = Markup(inline_css())  # our own file; it contains no markup to escape
    elif mode == "pdf":
        images = {c.id: chart_url(c.id) for c in view.charts}
        css = Markup("")
    else:
        raise ValueError(f"unknown mode {mode!r}")
    return template.render(v=view, mode=mode, images=images, css=css)


# --------------------------------------------------------------------------------------------
# PDF


def render_pdf(view: ReportView) -> bytes:
    """The tagged PDF/UA-1 paper as bytes, rendered in this process (charts drawn as needed)."""
    charts = {c.id: (lambda c=c: c.svg) for c in view.charts}
    return write_pdf(render_html(view, mode="pdf"), charts)


def file_names(profile: Profile) -> tuple[str, str]:
    """The HTML and PDF file names of a report."""
    return f"{profile.file}.html", f"{profile.file}.pdf"


class PendingReport:
    """A report on its way to its files: its view built and, with a PDF engine, its PDF
    submitted. `send_charts()` draws the charts and hands them to the engine; `finish()`
    writes the HTML (and, without an engine, the PDF) and gives the file names."""

    def __init__(
        self,
        results: Results,
        out_dir: Path,
        engine: PdfJob | None = None,
        profile: Profile | None = None,
        workbook: str = "tables.xlsx",
    ) -> None:
        self.view = build_view(results, profile, workbook)
        profile = self.view.profile
        self.html_name, self.pdf_name = file_names(profile) if profile else (HTML_NAME, PDF_NAME)
        self.out_dir = out_dir
        self.engine = engine
        out_dir.mkdir(parents=True, exist_ok=True)
        if engine is not None:
            # The engine lays out the text while the charts are drawn and handed over.
            engine.submit(
                render_html(self.view, mode="pdf"),
                [c.id for c in self.view.charts],
                out_dir / self.pdf_name,
            )

    def send_charts(self) -> None:
        """Draw the charts (each once) and hand them to the engine, in the order of the
        report, so each arrives before its page is laid out."""
        if self.engine is not None:
            for chart in self.view.charts:
                self.engine.send_chart(chart.id, chart.svg)

    def finish(self) -> list[str]:
        """Write the HTML, and without an engine the PDF; the two file names."""
        html = render_html(self.view, mode="html")
        (self.out_dir / self.html_name).write_text(html, encoding="utf-8", newline="\n")
        if self.engine is None:
            (self.out_dir / self.pdf_name).write_bytes(render_pdf(self.view))
        return [self.html_name, self.pdf_name]


def render(
    results: Results,
    out_dir: Path,
    engine: PdfJob | None = None,
    profile: Profile | None = None,
    workbook: str = "tables.xlsx",
) -> list[str]:
    """Write a report's HTML and PDF into `out_dir` (the board paper's, board-report.html
    and board-report.pdf, when `profile` is None); return their file names.

    With an `engine` (a PDF engine or one of its jobs), the PDF is handed to it and this
    returns as soon as the HTML is written: call `engine.wait()` before using the PDF.
    """
    report = PendingReport(results, out_dir, engine, profile, workbook)
    report.send_charts()
    return report.finish()


__all__ = [
    "HTML_NAME",
    "PDF_NAME",
    "PendingReport",
    "RenderError",
    "css_string",
    "environment",
    "file_names",
    "inline_css",
    "inline_svg",
    "render",
    "render_html",
    "render_pdf",
]
