"""WeasyPrint set up for the board paper: a locked-down URL fetcher, the stylesheet and fonts
loaded once per process, charts that may be drawn while the paper is laid out, and the
tagged PDF/UA-1 writer that fails on WeasyPrint's logged errors.

Only the standard library is imported here at module level: the PDF engine process
(`pdf_engine.py`) imports this module and WeasyPrint without pandas or matplotlib.
"""

from __future__ import annotations

import atexit
import functools
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# The PDF's charts are fetched from this (virtual) folder beside the templates.
CHARTS_DIR = "charts"
# What the fetcher may serve from templates/, by extension (the stylesheet and the fonts).
_MIME = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2"}

_font_config: Any = None
_stylesheet_cache: Any = None


class RenderError(RuntimeError):
    """The paper could not be rendered to the required standard (WeasyPrint logged an error)."""


def chart_url(chart_id: str) -> str:
    """Where the PDF's `<img src>` finds a chart, relative to the templates folder."""
    return f"{CHARTS_DIR}/{chart_id}.svg"


def _absolute_chart_url(chart_id: str) -> str:
    """A chart's URL as WeasyPrint resolves the `<img src>` against the templates folder."""
    return (TEMPLATES / CHARTS_DIR / f"{chart_id}.svg").as_uri()


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


class _ChartContext:
    """What WeasyPrint's SVG code asks of the layout context while it reads and draws a chart:
    the shared font configuration, hyphenation dictionaries (chart text is never hyphenated)
    and a loader for images inside the SVG (served by the locked-down fetcher only)."""

    def __init__(self, fetcher: Any, options: Mapping[str, Any]) -> None:
        from weasyprint.images import get_image_from_uri

        self.font_config = _fonts()
        self.dictionaries: dict[Any, Any] = {}
        self.get_image_from_uri = functools.partial(
            get_image_from_uri, cache={}, url_fetcher=fetcher, options=options, context=self
        )


class DeferredChart:
    """A chart image WeasyPrint can hold before the chart is drawn.

    WeasyPrint asks an image for two things: its intrinsic size (when the page holding it is
    laid out) and to draw itself (when that page is painted). Both wait here for `source`, the
    chart's SVG, and then load it with WeasyPrint's own image loader and the render's
    `options`, so the PDF is the same byte for byte as when WeasyPrint fetches the SVG itself
    (tested on the whole paper). It reaches WeasyPrint through the render's image cache (its
    `cache` option), which WeasyPrint consults by URL before fetching anything; this lets the
    engine lay out the text while the charts are still being drawn elsewhere. This relies on
    WeasyPrint 70's image interface (`get_intrinsic_size` and `draw`), which the tests pin.
    """

    def __init__(
        self, chart_id: str, source: Callable[[], str], options: Mapping[str, Any]
    ) -> None:
        self.chart_id = chart_id
        self._source = source
        self._options = options
        self._image: Any = None

    def _loaded(self) -> Any:
        if self._image is None:
            fetcher = template_fetcher({self.chart_id: self._source()})
            context = _ChartContext(fetcher, self._options)
            image = context.get_image_from_uri(url=_absolute_chart_url(self.chart_id))
            if image is None:  # WeasyPrint has logged why; say which chart it was
                raise RenderError(f"The chart {self.chart_id} could not be read as SVG.")
            self._image = image
        return self._image

    def get_intrinsic_size(self, image_resolution: Any, font_size: Any) -> Any:
        """The chart's width, height and ratio, as WeasyPrint's own SVG image gives them."""
        return self._loaded().get_intrinsic_size(image_resolution, font_size)

    def draw(self, stream: Any, concrete_width: Any, concrete_height: Any, style: Any) -> Any:
        """Paint the chart, as WeasyPrint's own SVG image does."""
        return self._loaded().draw(stream, concrete_width, concrete_height, style)


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


def _linker_cache_lookup() -> Callable[[str], str | None] | None:
    """`ctypes.util.find_library` as its first step does it on Linux (the soname of
    lib<name> in `ldconfig -p`'s list, for this machine's ABI), with the list read once;
    None where there is no such list to read."""
    import ctypes.util
    import os
    import re
    import struct
    import subprocess
    import sys

    if not sys.platform.startswith("linux") or not hasattr(ctypes.util, "_findSoname_ldconfig"):
        return None
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = {
        "x86_64-64": "libc6,x86-64",
        "ppc64-64": "libc6,64bit",
        "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit",
        "ia64-64": "libc6,IA-64",
    }.get(machine, "libc6")
    try:
        listing = subprocess.run(
            ["/sbin/ldconfig", "-p"],
            stdin=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            env={"LC_ALL": "C", "LANG": "C"},
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None

    def lookup(name: str) -> str | None:
        pattern = os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}")
        found = re.search(pattern, listing)
        return os.fsdecode(found.group(1)) if found else None

    return lookup


def _import_weasyprint() -> None:
    """Import WeasyPrint with the system's libraries looked up in the linker's list only.

    WeasyPrint 70 (pinned) loads GObject, Pango, HarfBuzz (three of them) and fontconfig by
    trying up to six names for each (Windows', macOS' and Linux's), and cffi hands every
    name it cannot load directly to `ctypes.util.find_library`, which on Linux runs
    `ldconfig -p`, then gcc, then ld for each: about 200 short programs (22 ldconfig, 16 gcc
    with their linkers) before the engine is ready, a quarter of a second. While WeasyPrint
    is imported, `find_library` answers from one reading of ldconfig's list, its own first
    step. Nothing is lost by skipping gcc and ld: WeasyPrint also tries each library's Linux
    file name (`libpango-1.0.so.0`), which the dynamic loader finds wherever it would load it
    from (LD_LIBRARY_PATH included). Elsewhere, or if ldconfig cannot be run, nothing changes.
    """
    import sys

    if "weasyprint" in sys.modules:
        return
    lookup = _linker_cache_lookup()
    if lookup is None:
        import weasyprint

        return
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = lookup
    try:
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = original


def _fonts() -> Any:
    """One WeasyPrint FontConfiguration for the process (building one is costly)."""
    global _font_config
    if _font_config is None:
        _import_weasyprint()
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


def write_pdf(html: str, charts: Mapping[str, Callable[[], str]]) -> bytes:
    """A filled PDF template as a tagged PDF/UA-1, with the shared stylesheet and fonts.

    `charts` maps each chart id to a function returning its SVG; each is called when
    WeasyPrint first needs that chart (to lay out its page), not before.
    """
    from weasyprint import DEFAULT_OPTIONS, HTML

    from pipeline.render.pdf import finish_pdf

    options = {"stylesheets": [_stylesheet()], "pdf_variant": "pdf/ua-1"}
    # The options WeasyPrint's own image loader would be given for this render.
    image_options = {**DEFAULT_OPTIONS, **options}
    images = {
        _absolute_chart_url(name): DeferredChart(name, draw, image_options)
        for name, draw in charts.items()
    }
    document = HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=template_fetcher())
    with weasyprint_errors_fail():
        return document.write_pdf(
            finisher=finish_pdf, font_config=_fonts(), cache=images, **options
        )


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
    f'<img src="{chart_url("w")}" alt="w"></figure><div class="tbl"><table>'
    '<caption>w</caption><thead><tr><th scope="col">W</th><th scope="col" class="n">N</th></tr>'
    '</thead><tbody><tr><th scope="row">w</th><td class="n">1</td></tr></tbody></table></div>'
    "</section></body></html>"
)


def prepare() -> None:
    """Import WeasyPrint, build its font configuration and parse the stylesheet: the set-up
    every PDF of this process shares."""
    _fonts()
    _stylesheet()


def warm_up() -> None:
    """Render a one-page document and throw it away: a process's first document pays for
    loading fonts, shaping and drawing code (about 0.02 s of the paper), so the real paper,
    rendered next, does not. Worth it only while there is nothing else to do."""
    write_pdf(_WARM_UP, {"w": lambda: _WARM_UP_SVG})


__all__ = [
    "CHARTS_DIR",
    "TEMPLATES",
    "DeferredChart",
    "RenderError",
    "chart_url",
    "prepare",
    "template_fetcher",
    "warm_up",
    "weasyprint_errors_fail",
    "write_pdf",
]
