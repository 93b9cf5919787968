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
import pickle
import re
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


def _view_in_child(results: Results, conn: Any) -> None:
    """Forked worker: build the view and send it back pickled (None if anything failed, so
    the parent builds it again itself and raises the real error)."""
    try:
        payload = pickle.dumps(build_view(results), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # the parent rebuilds and reports it
        payload = pickle.dumps(None)
    conn.send_bytes(payload)
    conn.close()


def build_view_while_preparing(results: Results) -> ReportView:
    """The view, built in a forked process while this one prepares WeasyPrint.

    Drawing the charts (matplotlib) and starting WeasyPrint each take about half a second of
    one core; side by side they overlap. The child runs exactly the same code on a copy of
    the same results, so the bytes are the same as building in-process. Where fork is not
    available (Windows, macOS default) the view is simply built here.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        view = build_view(results)
        _prepare_pdf_engine()
        return view
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_view_in_child, args=(results, send), daemon=True)
    child.start()
    send.close()
    try:
        _prepare_pdf_engine()
        # The charts take longer than the set-up: use the wait to run WeasyPrint once.
        _warm_up()
        try:
            data = receive.recv_bytes()
        except EOFError:  # the child died without answering
            data = pickle.dumps(None)
    finally:
        receive.close()
        child.join()
    view = pickle.loads(data)  # our own child process, running the same code
    if view is None:
        view = build_view(results)
    return view


def render(results: Results, out_dir: Path) -> list[str]:
    """Write board-report.html and board-report.pdf into `out_dir`; return their file names."""
    view = build_view_while_preparing(results)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / HTML_NAME).write_text(render_html(view, mode="html"), encoding="utf-8", newline="\n")
    (out_dir / PDF_NAME).write_bytes(render_pdf(view))
    return [HTML_NAME, PDF_NAME]


__all__ = [
    "HTML_NAME",
    "PDF_NAME",
    "RenderError",
    "build_view_while_preparing",
    "chart_url",
    "css_string",
    "environment",
    "inline_css",
    "inline_svg",
    "render",
    "render_html",
    "render_pdf",
    "template_fetcher",
    "weasyprint_errors_fail",
]
