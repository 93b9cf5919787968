"""The board paper: board-report.html and its tagged PDF/UA-1 twin, from one template.

`render(results, out_dir)` builds the view once (every figure already words, every chart
drawn once), then fills `templates/report.html.j2` twice:

- HTML: one self-contained page: CSS and the two font files inline (base64), charts inline as
  `<svg role="img">` with `<title>`/`<desc>`, each followed by its data table. No external
  request of any kind.
- PDF: WeasyPrint with `pdf_variant="pdf/ua-1"`, charts as `<img alt>` inside `<figure>` so the
  PDF Figure gets its alt text, the stylesheet (parsed once) and fonts fetched only from
  `templates/` and the charts from memory by a locked-down URL fetcher, and WeasyPrint's
  logged errors (a missing alt or lang) turned into a failed build. Running headers and
  footers are re-marked as artifacts (see `pdf.py`).

Jinja autoescaping is on for every template; the only markup marked safe is SVG drawn by
`charts.py` (with its text escaped here) and director's commentary made safe upstream.
"""

from __future__ import annotations

import atexit
import base64
import functools
import logging
import multiprocessing
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markupsafe import Markup, escape

from pipeline.render.charts import Chart
from pipeline.render.view import ReportView, build_view
from pipeline.results import Results

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HTML_NAME = "board-report.html"
PDF_NAME = "board-report.pdf"
# The fonts the HTML twin embeds: the two weights the stylesheet uses.
# The PDF's charts are fetched from this (virtual) folder beside the templates.
CHARTS_DIR = "charts"
HTML_FONTS = ("AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf")

_font_config: Any = None
_stylesheet_cache: Any = None
# What the fetcher may serve, by extension (the stylesheet and the fonts).
_MIME = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2"}


class RenderError(RuntimeError):
    """The paper could not be rendered to the required standard (WeasyPrint logged an error)."""


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
def environment() -> Any:
    """The Jinja environment: templates from `templates/`, autoescaping on for everything.

    One per process, so each template is compiled once however often the paper is filled."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
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


def chart_url(chart: Chart) -> str:
    """Where the PDF's `<img src>` finds a chart: a name under `charts/`, served from memory
    by `template_fetcher` (no base64 to encode, tokenise and decode again)."""
    return f"{CHARTS_DIR}/{chart.id}.svg"


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
    env = environment()
    template = env.get_template("report.html.j2")
    if mode == "html":
        images = {c.id: inline_svg(c) for c in view.charts}
        css = Markup(inline_css())  # our own file; it contains no markup to escape
    elif mode == "pdf":
        images = {c.id: chart_url(c) for c in view.charts}
        css = Markup("")
    else:
        raise ValueError(f"unknown mode {mode!r}")
    return template.render(v=view, mode=mode, images=images, css=css)


# --------------------------------------------------------------------------------------------
# PDF


def template_fetcher(charts: Mapping[str, str] | None = None) -> Any:
    """A WeasyPrint URL fetcher that serves only files under `templates/`, data: URIs and the
    given charts (chart id to SVG text) as `templates/charts/<id>.svg`.

    Anything else (http, https, ftp, a file outside templates/) raises a fatal error, so a
    stray URL in the content can never reach the network or read arbitrary local files.
    """
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    root = TEMPLATES.resolve()
    drawn = {f"{name}.svg": svg.encode("utf-8") for name, svg in (charts or {}).items()}

    class TemplateFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise FatalURLFetchingError(f"refused to fetch {url!r}: only template files")
            path = Path(unquote(parts.path)).resolve()
            if path.parent == root / CHARTS_DIR and path.name in drawn:
                kind = "image/svg+xml"
                return URLFetcherResponse(url, drawn[path.name], headers={"Content-Type": kind})
            if not path.is_relative_to(root) or not path.is_file():
                raise FatalURLFetchingError(f"refused to fetch {url!r}: outside templates/")
            kind = _MIME.get(path.suffix.lower(), "application/octet-stream")
            return URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": kind})

    return TemplateFetcher()


class _ErrorCollector(logging.Handler):
    """Collects WeasyPrint's ERROR records (missing alt, missing lang, failed fetches)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def weasyprint_errors_fail() -> Iterator[None]:
    """Raise RenderError if WeasyPrint logs an error while the block runs."""
    logger = logging.getLogger("weasyprint")
    handler = _ErrorCollector()
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.messages:
        raise RenderError(
            "The PDF did not meet the accessibility standard: " + "; ".join(handler.messages)
        )


def _fonts() -> Any:
    """One WeasyPrint FontConfiguration for the process (building one is costly)."""
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
        atexit.register(_drop_engine)
    return _font_config


def _drop_engine() -> None:
    """Free the font configuration and stylesheet at exit, while WeasyPrint can still clean
    up after them (at interpreter teardown its own cleanup would find its modules gone)."""
    global _font_config, _stylesheet_cache
    _stylesheet_cache = None
    _font_config = None


def _stylesheet() -> Any:
    """report.css parsed once per process by WeasyPrint, its @font-face fonts loaded."""
    global _stylesheet_cache
    if _stylesheet_cache is None:
        from weasyprint import CSS

        _stylesheet_cache = CSS(
            filename=str(TEMPLATES / "report.css"),
            url_fetcher=template_fetcher(),
            font_config=_fonts(),
        )
    return _stylesheet_cache


def _write_pdf(html: str, charts: Mapping[str, str] | None = None) -> bytes:
    """A filled template as a tagged PDF/UA-1, with the shared stylesheet and fonts; `charts`
    (id to SVG) are what its `charts/<id>.svg` images show."""
    from weasyprint import HTML

    from pipeline.render.pdf import artifact_page_furniture

    fetcher = template_fetcher(charts)
    document = HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher)
    with weasyprint_errors_fail():
        return document.write_pdf(
            stylesheets=[_stylesheet()],
            finisher=artifact_page_furniture,
            font_config=_fonts(),
            pdf_variant="pdf/ua-1",
        )


def render_pdf(view: ReportView) -> bytes:
    """The tagged PDF/UA-1 paper as bytes, from a fresh WeasyPrint document."""
    return _write_pdf(render_html(view, mode="pdf"), {c.id: c.svg for c in view.charts})


# A page using each kind of thing the paper draws (both font weights, headings, a table, an
# SVG figure with text, running headers), so that fonts, shaping and image code are loaded.
_WARM_UP_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">'
    '<path d="M 0 0 L 10 10" stroke="#12436d"/>'
    '<text x="2" y="15" font-family="Atkinson Hyperlegible" font-size="9">0%</text></svg>'
)
_WARM_UP = (
    '<!DOCTYPE html><html lang="en"><head><title>w</title><style>@page { @top-left '
    '{ content: "w" } }</style></head><body class="pdf"><section class="part"><h2>W</h2>'
    '<h3>w</h3><p>Wa 0% [c]</p><figure><figcaption><span class="num">F</span> w</figcaption>'
    '<img src="charts/w.svg" alt="w"></figure><div class="tbl"><table>'
    '<caption>w</caption><thead><tr><th scope="col">W</th><th scope="col" class="n">N</th></tr>'
    '</thead><tbody><tr><th scope="row">w</th><td class="n">1</td></tr></tbody></table></div>'
    "</section></body></html>"
)


def _warm_up() -> None:
    """Render a one-page document and throw it away: WeasyPrint's first document pays for
    loading fonts, shaping and drawing code, so the real paper, rendered next, does not."""
    _write_pdf(_WARM_UP, {"w": _WARM_UP_SVG})


def _prepare_pdf_engine() -> None:
    """Import WeasyPrint, build its font configuration, parse the stylesheet and compile the
    template: the costly set-up the PDF needs, done while the view is built elsewhere."""
    import weasyprint  # noqa: F401  (the import itself is the work)

    _fonts()
    _stylesheet()
    environment().get_template("report.html.j2")


class PdfEngine:
    """A forked process that starts WeasyPrint early, then renders the paper's PDF.

    Importing WeasyPrint, loading the fonts, parsing the stylesheet and rendering a first
    document take about half a second; started when a run starts, that overlaps reading and
    checking the extracts. When the view is ready the main process hands over the filled PDF
    template and the charts, and goes on to write the HTML and the tables while the engine
    lays out and paints the paper. The engine runs exactly the code `render_pdf` runs, so the
    bytes are the same as rendering in-process. Use `start_pdf_engine()`; always `close()`.
    """

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child_conn = context.Pipe()
        self._process = context.Process(target=_engine_main, args=(child_conn,), daemon=True)
        self._process.start()
        child_conn.close()
        self._busy = False

    def submit(self, html: str, charts: Mapping[str, str], path: Path) -> None:
        """Start rendering `html` (with `charts`, id to SVG) to the PDF file `path`."""
        self._conn.send((html, dict(charts), str(path)))
        self._busy = True

    def wait(self) -> None:
        """Wait for the submitted PDF; raise RenderError or RuntimeError if it failed."""
        if not self._busy:
            return
        self._busy = False
        try:
            status, message = self._conn.recv()
        except EOFError:
            status, message = "error", "the PDF process stopped unexpectedly"
        if status == "render":
            raise RenderError(message)
        if status != "ok":
            raise RuntimeError(f"Rendering the PDF failed: {message}")

    def close(self) -> None:
        """Stop the engine: it has either finished (after `wait`) or is no longer needed."""
        self._conn.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _engine_main(conn: Any) -> None:
    """The engine process: prepare WeasyPrint, then render one PDF when asked."""
    try:
        _prepare_pdf_engine()
        _warm_up()
    except BaseException:  # any failure shows again, with its message, on the real render
        pass
    try:
        job = conn.recv()
    except EOFError:
        return
    if job is None:
        return
    html, charts, path = job
    try:
        Path(path).write_bytes(_write_pdf(html, charts))
        conn.send(("ok", ""))
    except RenderError as exc:
        conn.send(("render", str(exc)))
    except BaseException as exc:  # reported to the main process, which raises it there
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def start_pdf_engine() -> PdfEngine | None:
    """A pre-started PDF engine where processes can be forked (Linux), else None."""
    if sys.platform != "linux":
        return None
    return PdfEngine()


def render(results: Results, out_dir: Path, engine: PdfEngine | None = None) -> list[str]:
    """Write board-report.html and board-report.pdf into `out_dir`; return their file names.

    With an `engine`, the PDF is handed to it and this returns as soon as the HTML is
    written: call `engine.wait()` before using the PDF.
    """
    view = build_view(results)
    out_dir.mkdir(parents=True, exist_ok=True)
    if engine is not None:
        charts = {c.id: c.svg for c in view.charts}
        engine.submit(render_html(view, mode="pdf"), charts, out_dir / PDF_NAME)
    (out_dir / HTML_NAME).write_text(render_html(view, mode="html"), encoding="utf-8", newline="\n")
    if engine is None:
        (out_dir / PDF_NAME).write_bytes(render_pdf(view))
    return [HTML_NAME, PDF_NAME]


__all__ = [
    "HTML_NAME",
    "PDF_NAME",
    "PdfEngine",
    "RenderError",
    "chart_url",
    "css_string",
    "environment",
    "inline_css",
    "inline_svg",
    "render",
    "render_html",
    "render_pdf",
    "start_pdf_engine",
    "template_fetcher",
    "weasyprint_errors_fail",
]
