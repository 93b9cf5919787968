"""WeasyPrint set-up: the locked URL fetcher, failing on logged errors, and deferred charts
that give exactly the PDF WeasyPrint's own SVG loading gives."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.render.pdf_writer import (
    TEMPLATES,
    RenderError,
    chart_url,
    template_fetcher,
    weasyprint_errors_fail,
    write_pdf,
)

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120pt" height="40pt" viewBox="0 0 120 40">'
    '<rect x="0" y="0" width="60" height="20" fill="#12436d"/>'
    '<text x="2" y="35" font-family="Atkinson Hyperlegible" font-size="9">Chart words</text></svg>'
)


def _page(*chart_ids: str) -> str:
    images = "".join(f'<img src="{chart_url(c)}" alt="Chart {c}">' for c in chart_ids)
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><title>T</title></head><body>'
        f"<h1>Heading</h1><p>Before the chart.</p><figure>{images}</figure></body></html>"
    )


def test_url_fetcher_serves_only_template_files() -> None:
    from weasyprint.urls import FatalURLFetchingError

    fetcher = template_fetcher()
    css = TEMPLATES / "report.css"
    response = fetcher.fetch(css.as_uri())
    assert b"@font-face" in response.read()
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    for url in (
        "https://example.org/x.css",
        "http://localhost/",
        "file:///etc/passwd",
        css.as_uri().replace("report.css", "../pyproject.toml"),
    ):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)


def test_url_fetcher_serves_the_given_charts_from_memory_and_nothing_else() -> None:
    from weasyprint.urls import FatalURLFetchingError

    charts_dir = Path(__file__).resolve().parents[1] / "templates" / "charts"
    fetcher = template_fetcher({"fig-a": "<svg>a</svg>"})
    response = fetcher.fetch((charts_dir / "fig-a.svg").as_uri())
    assert response.read() == b"<svg>a</svg>"
    # A chart not handed over, or a chart name outside the charts folder, is refused.
    for url in (
        (charts_dir / "fig-b.svg").as_uri(),
        (charts_dir.parent / "fig-a.svg").as_uri(),
    ):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)
    with pytest.raises(FatalURLFetchingError):
        template_fetcher().fetch((charts_dir / "fig-a.svg").as_uri())


def test_weasyprint_errors_fail_the_build() -> None:
    from weasyprint import HTML

    page = (
        '<html lang="en-GB"><title>t</title><img src="data:image/svg+xml;base64,'
        'PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxIiBoZWlnaHQ9IjEiLz4=">'
    )
    with pytest.raises(RenderError, match="alt"), weasyprint_errors_fail():
        HTML(string=page).write_pdf(pdf_variant="pdf/ua-1")


def _fetched(html: str, charts: dict[str, str]) -> bytes:
    """The PDF WeasyPrint writes when it fetches each chart itself, with the same settings."""
    from weasyprint import HTML

    from pipeline.render.pdf import finish_pdf
    from pipeline.render.pdf_writer import _fonts, _stylesheet

    return HTML(
        string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=template_fetcher(charts)
    ).write_pdf(
        stylesheets=[_stylesheet()],
        finisher=finish_pdf,
        font_config=_fonts(),
        pdf_variant="pdf/ua-1",
    )


def test_a_deferred_chart_gives_the_same_bytes_as_weasyprint_fetching_it() -> None:
    deferred = write_pdf(_page("fig-a"), {"fig-a": lambda: SVG})
    # The chart was really drawn (its words are in the PDF's text), and byte for byte as
    # WeasyPrint draws a chart it fetches itself.
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=deferred, capture_output=True, check=True
    ).stdout
    assert b"Chart words" in text
    assert deferred == _fetched(_page("fig-a"), {"fig-a": SVG})


def test_a_chart_with_a_bitmap_inside_gives_the_same_bytes_too() -> None:
    # A 1x1 PNG inside the SVG goes through WeasyPrint's raster path, which reads the options.
    png = (
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSu"
        "QmCC"
    )
    svg = SVG.replace(
        "</svg>",
        f'<image x="70" y="0" width="20" height="20" href="data:image/png;base64,{png}"/></svg>',
    )
    assert write_pdf(_page("fig-a"), {"fig-a": lambda: svg}) == _fetched(
        _page("fig-a"), {"fig-a": svg}
    )


def test_the_whole_paper_is_the_same_with_deferred_charts_as_with_fetched_ones() -> None:
    from render_fixtures import random_results

    from pipeline.render.report import render_html
    from pipeline.render.view import build_view

    view = build_view(random_results("internal"))
    html = render_html(view, mode="pdf")
    svgs = {c.id: c.svg for c in view.charts}
    assert len(svgs) >= 5
    assert write_pdf(html, {k: (lambda v=v: v) for k, v in svgs.items()}) == _fetched(html, svgs)


def test_each_chart_is_drawn_once_and_only_when_the_paper_uses_it() -> None:
    calls: list[str] = []

    def source(name: str) -> Callable[[], str]:
        def draw() -> str:
            calls.append(name)
            return SVG

        return draw

    write_pdf(_page("fig-a", "fig-b"), {n: source(n) for n in ("fig-a", "fig-b", "fig-unused")})
    # fig-a and fig-b are each laid out and painted, but drawn once; fig-unused never.
    assert sorted(calls) == ["fig-a", "fig-b"]


def test_a_chart_the_paper_uses_but_nobody_drew_is_refused() -> None:
    from weasyprint.urls import FatalURLFetchingError

    with pytest.raises(FatalURLFetchingError, match="fig-missing"):
        write_pdf(_page("fig-missing"), {})


def test_a_chart_that_is_not_svg_fails_the_build() -> None:
    with pytest.raises(RenderError, match="fig-a"):
        write_pdf(_page("fig-a"), {"fig-a": lambda: "not svg at all"})


# Imports WeasyPrint in a fresh process (`how`), then prints the shared libraries it loaded,
# whether ctypes' own library search is in place again, and how many programs were run.
_LOADED = """
import ctypes.util, subprocess, sys
original = ctypes.util.find_library
runs = []
popen_init = subprocess.Popen.__init__
def counted(self, *args, **kwargs):
    runs.append(args[0] if args else kwargs.get("args"))
    popen_init(self, *args, **kwargs)
subprocess.Popen.__init__ = counted
{how}
from weasyprint.text import ffi
names = sorted({{line.split()[-1].rsplit("/", 1)[-1] for line in open("/proc/self/maps")
                if ".so" in line}})
print(ctypes.util.find_library is original, len(runs))
print(" ".join(names))
print(ffi.harfbuzz_subset is None, ffi.harfbuzz_vector is None)
"""


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="Linux only")
def test_weasyprint_imported_from_the_linker_list_loads_the_same_libraries() -> None:
    import sys

    def loaded(how: str) -> list[str]:
        out = subprocess.run(
            [sys.executable, "-c", _LOADED.format(how=how)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return out.splitlines()

    plain = loaded("import weasyprint")
    ours = loaded("from pipeline.render.pdf_writer import _import_weasyprint\n_import_weasyprint()")
    # The same libraries, the same optional HarfBuzz parts found or not.
    assert ours[1:] == plain[1:]
    assert any(name.startswith("libpango-1.0.so") for name in ours[1].split())
    # ctypes is given back its own search; one program (ldconfig) ran instead of dozens.
    restored, runs = ours[0].split()
    assert restored == "True" and runs == "1"
    assert int(plain[0].split()[1]) > 10
