"""Charts for the board paper, drawn with matplotlib as SVG with real, selectable text.

Every chart follows the UK Analysis Function guidance: the colour-blind-safe afcharts palette,
at most four coloured categories, direct labels instead of legends where possible, and a
title (shown as the figure caption) that states the message. Nothing is told apart by colour
alone: lines have distinct markers, stacked segments distinct fill patterns (shared by their
key) and their values written on them where they fit. Each chart carries alt text built
from its own data and the data itself as a table, so no figure relies on the picture alone.

The charts never format a figure themselves: the caller passes the text for every value (made
by `pipeline.metrics.present`), and a suppressed value is drawn as no bar and labelled `[c]`.

Bytes are stable: SVG text stays text (`svg.fonttype = none`), the hash salt is fixed per
chart, the date is left out, and every SVG id is prefixed with the chart's id so that two
charts inlined in one HTML page never share an id.
"""

from __future__ import annotations

import functools
import io
import math
import re
import sys
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

# UK Analysis Function (afcharts) palette, in the order that keeps adjacent colours at 3:1.
PALETTE: tuple[str, ...] = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
MAX_SERIES = 4
TEXT = "#0B0C0C"
MUTED = "#505A5F"  # 7:1 on white: still passes for small text
GRID = "#D9D9D9"
FONT_FAMILY = "Atkinson Hyperlegible"
FONT_DIR = Path(__file__).resolve().parents[2] / "templates" / "fonts"
WIDTH_IN = 6.4  # fits the A4 text block (170 mm) at 100%
# Distinct marker shapes, so line series differ by more than colour.
MARKERS = ("o", "s", "^", "D")
# Distinct fill patterns, so stacked segments differ by more than colour: each segment and its
# key share colour and pattern, and each segment is labelled with its value where it fits.
HATCHES = ("", "///", "---", "xx")


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio of two #RRGGBB colours (1 to 21)."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def label_colour(fill: str) -> str:
    """The text colour (white or ink) with the higher contrast on a fill colour."""
    return "#FFFFFF" if contrast("#FFFFFF", fill) >= contrast(TEXT, fill) else TEXT


_fonts_ready = False


@dataclass(frozen=True)
class Series:
    """One coloured category of a chart: a name, its numbers and the text shown for each.

    `values` are the numbers to draw (None or NaN = nothing to draw); `labels` the text for each
    value, already formatted for the reader (e.g. "60%", "[c]", "no cases"); `suppressed`
    marks values hidden by disclosure control, which are never drawn.
    """

    name: str
    values: Sequence[float | None]
    labels: Sequence[str]
    suppressed: Sequence[bool] = ()

    def hidden(self, i: int) -> bool:
        """True when value i must not be drawn (suppressed or missing)."""
        if self.suppressed and self.suppressed[i]:
            return True
        value = self.values[i]
        return value is None or (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class DataTable:
    """A chart's data as a simple table: caption, header row, and rows of text cells.

    The first cell of each row is that row's header.
    """

    caption: str
    headers: list[str]
    rows: list[list[str]]
    note: str = ""
    css: str = ""  # an extra class for the table, e.g. "worklist" (compact, many rows)
    # Columns of words (not numbers), set left like the row labels; the others are figures,
    # set right. Column 0, the row labels, is always left.
    text_columns: tuple[int, ...] = ()
    # Each column's share of the PDF's width in per cent (empty: the stylesheet's default).
    widths: tuple[int, ...] = ()


_FIGURE = re.compile(r"[-+]?[\d,]*\.?\d+%?")


def worded_table(
    caption: str, headers: list[str], rows: list[list[str]], note: str = "", css: str = ""
) -> DataTable:
    """A table whose cells are mostly words (a worklist, the data-quality findings): its
    columns of words set left, and each column's width in the PDF in proportion to its
    longest entry (within limits), so a long message gets room and a short code does not."""
    text = tuple(
        i
        for i in range(1, len(headers))
        if any(r[i] not in ("", "-") and not _FIGURE.fullmatch(r[i]) for r in rows)
    )
    # Characters in the longest entry (a bold header word counts a fifth more), plus three
    # for the cell's padding.
    longest = [
        3
        + min(
            max([round(1.2 * len(w)) for w in headers[i].split()] + [len(r[i]) for r in rows]),
            45,
        )
        for i in range(len(headers))
    ]
    shares = [round(100 * n / sum(longest)) for n in longest[:-1]]
    widths = (*shares, 100 - sum(shares))  # the last takes what is left: never over 100%
    return DataTable(caption, headers, rows, note, css, text_columns=text, widths=widths)


@dataclass(frozen=True)
class Chart:
    """A chart: its id, the message title, alt text, how to draw it and its data.

    Everything but the picture is known as soon as the chart is made; the SVG is drawn on
    first use of `svg` (once), so the paper's text can go to the PDF engine before matplotlib
    has drawn anything.
    """

    id: str
    title: str
    alt: str
    draw: Callable[[], str] = field(repr=False, compare=False)
    table: DataTable
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @functools.cached_property
    def svg(self) -> str:
        """The chart as tidied SVG markup with real text, drawn the first time it is asked for."""
        return self.draw()


# The pictures drawn in this process, by everything they are drawn from: a chart the board
# paper and the director's report both show with the same figures is drawn once per run.
_DRAWN: OrderedDict[str, str] = OrderedDict()
_DRAWN_KEPT = 64  # a run draws about 20 charts; a long test session stays small


def _plain(value: Any) -> Any:
    """`value` as plain, fully written-out Python (no array summarised with '...')."""
    if isinstance(value, Series):
        return (
            "Series",
            value.name,
            _plain(value.values),
            _plain(value.labels),
            _plain(value.suppressed),
        )
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, dict):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    return value


def _drawn_once(make: Callable[..., Chart]) -> Callable[..., Chart]:
    """`make`, whose charts draw their picture once for any one set of inputs in this process
    (the same inputs draw the same picture, byte for byte)."""

    @functools.wraps(make)
    def making(*args: Any, **kwargs: Any) -> Chart:
        chart = make(*args, **kwargs)
        key = repr((make.__name__, _plain(args), _plain(kwargs)))
        draw = chart.draw

        def drawn() -> str:
            if key in _DRAWN:
                _DRAWN.move_to_end(key)
            else:
                _DRAWN[key] = draw()
                while len(_DRAWN) > _DRAWN_KEPT:
                    _DRAWN.popitem(last=False)
            return _DRAWN[key]

        return replace(chart, draw=drawn)

    return making


def _import_matplotlib() -> None:
    """Import matplotlib without writing the `set()` docstring of every Artist class.

    matplotlib (3.11, pinned) builds, for each Artist subclass it defines, a `set()` method
    whose signature and docstring list every property with its accepted values
    (`Artist._update_set_signature_and_docstring`, through `kwdoc`): about 100 classes, a
    third of the import's processor time (about 0.1 s), for help text a run never shows.
    Replaced before the subclasses are defined, the hook only marks each `set` as generated,
    as the original does; `set()` itself (`Artist.set`) works on keywords and aliases without
    the signature. If matplotlib is already imported, or the hook has gone in another
    version, nothing is changed.
    """
    if "matplotlib.artist" in sys.modules:
        return
    from matplotlib import artist

    hook = getattr(artist.Artist, "_update_set_signature_and_docstring", None)
    if hook is None:
        return

    def mark_generated(cls: type) -> None:
        cls.set._autogenerated_signature = True  # type: ignore[attr-defined]

    artist.Artist._update_set_signature_and_docstring = classmethod(mark_generated)  # type: ignore[method-assign,assignment]


def setup_fonts() -> str:
    """Make the shipped Atkinson Hyperlegible font known to matplotlib; return its family name."""
    global _fonts_ready
    if not _fonts_ready:
        _import_matplotlib()
        from matplotlib import font_manager

        for path in sorted(FONT_DIR.glob("AtkinsonHyperlegible-*.ttf")):
            font_manager.fontManager.addfont(str(path))
        _fonts_ready = True
    return FONT_FAMILY


def _rc(chart_id: str) -> dict[str, object]:
    """matplotlib settings for one chart: real text, fixed ids, the shipped font."""
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": chart_id,
        "font.family": FONT_FAMILY,
        "font.size": 9.5,
        "text.color": TEXT,
        "axes.labelcolor": TEXT,
        "axes.edgecolor": MUTED,
        "xtick.color": TEXT,
        "ytick.color": TEXT,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.image_inline": True,
        # No tick marks (the gridlines do their job): fewer elements to draw.
        "xtick.bottom": False,
        "ytick.left": False,
        "figure.facecolor": "none",
        "axes.facecolor": "none",
    }


_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_REF = re.compile(r"url\(#([^)]+)\)")
_HREF = f"{{{_XLINK_NS}}}href"
# matplotlib writes `rotate(-0 x y)` on every label: a transform that does nothing.
_NO_ROTATE = re.compile(r"rotate\(-?0 [^)]*\)")


def tidy_svg(svg: str, chart_id: str) -> str:
    """Make matplotlib's SVG small, fast to draw and safe to inline.

    - No prolog, metadata or stylesheet; every `style="a: b"` becomes a presentation attribute
      `a="b"`, so a renderer (WeasyPrint) need not run a CSS parser for each element.
    - Ids only where something refers to them (clip paths, markers), prefixed with the
      chart's id so two charts in one HTML page never share one; groups left with no
      attributes are unwrapped; path data on one line; no-op rotations and paths that
      neither fill nor stroke dropped.
    """
    import xml.etree.ElementTree as ET

    ET.register_namespace("", _SVG_NS)
    ET.register_namespace("xlink", _XLINK_NS)
    root = ET.fromstring(svg[svg.index("<svg") :])
    referred = set(_REF.findall(svg)) | set(re.findall(r'href="#([^"]+)"', svg))
    prefix = f"{chart_id}-"

    def new_id(old: str) -> str:
        return prefix + old.replace(".", "-")

    def fix(el: ET.Element) -> None:
        style = el.attrib.pop("style", None)
        if style:
            for part in style.split(";"):
                key, _, value = part.partition(":")
                if key.strip():
                    el.set(key.strip(), value.strip())
        old = el.attrib.pop("id", None)
        if old is not None and old in referred:
            el.set("id", new_id(old))
        for key, value in list(el.attrib.items()):
            if "url(#" in value:
                el.set(key, _REF.sub(lambda m: f"url(#{new_id(m[1])})", value))
        if el.get(_HREF, "").startswith("#"):
            el.set(_HREF, "#" + new_id(el.get(_HREF, "")[1:]))
        if "d" in el.attrib:
            el.set("d", " ".join(el.get("d", "").split()))
        if _NO_ROTATE.fullmatch(el.get("transform", "")):
            del el.attrib["transform"]

    def walk(parent: ET.Element) -> None:
        i = 0
        while i < len(parent):
            child = parent[i]
            tag = child.tag.rpartition("}")[2]
            if tag in ("metadata", "style"):
                if tag == "style":
                    # The only rule is `*{stroke-linejoin: round; stroke-linecap: butt}`:
                    # the same as inherited attributes on the root.
                    root.set("stroke-linejoin", "round")
                    root.set("stroke-linecap", "butt")
                del parent[i]
                continue
            fix(child)
            if tag == "path" and child.get("fill") == "none" and "stroke" not in child.attrib:
                # matplotlib's transparent figure and axes backgrounds: they draw nothing.
                del parent[i]
                continue
            walk(child)
            if tag == "g" and not child.attrib:
                # A bare group draws nothing of its own: put its children in its place.
                kids = list(child)
                parent[i : i + 1] = kids
                i += len(kids)
                continue
            if tag == "defs" and not len(child):
                del parent[i]
                continue
            i += 1

    fix(root)
    walk(root)
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="unicode") + "\n"


def _finish_svg(fig: Any, chart_id: str) -> str:
    """Save a figure as SVG in one pass (no date, no second layout draw) and tidy it."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return tidy_svg(buf.getvalue(), chart_id)


# --------------------------------------------------------------------------------------------
# Layout: every chart is laid out once, from font metrics, instead of by tight_layout (which
# draws the whole figure to measure it, then again to save it).

FONT_SIZE = 9.5
SMALL_SIZE = 8.5
# tight_layout's default padding round the figure (1.08 font sizes): the charts keep its look.
PAD_IN = 1.08 * FONT_SIZE / 72
# matplotlib's height of one line of text: the font's ascender plus descender (OS/2 table of
# Atkinson Hyperlegible: 950 + 290 units per 1000), per point of font size.
LINE = 1.24
TICK_PAD_PT = 3.5  # gap between an axis and its tick labels (rc xtick.major.pad)
TICK_LEN_PT = 3.5  # tick length: it still offsets the labels when the marks are not drawn
LABEL_PAD_PT = 4.0  # gap between tick labels and an axis label (rc axes.labelpad)
# Legend geometry in font sizes (matplotlib's defaults, which the legends use).
LEGEND_BORDER = 0.4
LEGEND_AXES_PAD = 0.5
LEGEND_HANDLE = 2.0 + 0.8  # handle length plus the gap before its text
# Stacked bars' key: a little tighter than matplotlib's 2.0, so three long keys fit across.
LEGEND_COLUMN_GAP = 1.5
LEGEND_ROW_GAP = 0.5

_measurer: Any = None
_props: dict[float, Any] = {}


def text_width_pt(text: str, size: float = FONT_SIZE) -> float:
    """Width in points of one line of `text` in the chart font at `size` points, measured from
    the font's glyph advances (the same measure matplotlib lays text out with), drawing nothing."""
    global _measurer
    if not text:
        return 0.0
    setup_fonts()
    if _measurer is None:
        from matplotlib.textpath import TextToPath

        _measurer = TextToPath()
    if size not in _props:
        from matplotlib.font_manager import FontProperties

        _props[size] = FontProperties(family=FONT_FAMILY, size=size)
    width, _height, _descent = _measurer.get_text_width_height_descent(
        text, _props[size], ismath=False
    )
    return float(width)


def _line_in(size: float = FONT_SIZE) -> float:
    """Height in inches of one line of text at `size` points."""
    return LINE * size / 72


def _x_ticks_in(axis_label: str) -> float:
    """Height in inches taken below the axes by the x tick labels and the axis label, if any."""
    height = (TICK_LEN_PT + TICK_PAD_PT) / 72 + _line_in()
    if axis_label:
        height += LABEL_PAD_PT / 72 + _line_in()
    return height


def _fit_width(available: float, overhangs: Sequence[tuple[float, float]]) -> float:
    """The widest axes (inches, at most `available`) inside which every label still ends.

    Each overhang is (where its anchor sits as a fraction of the axes width, how far in inches
    the label runs past the anchor): the label ends at fraction * width + extent, which must
    not pass `available`.
    """
    width = available
    for fraction, extent in overhangs:
        if fraction > 0 and fraction * width + extent > available:
            width = (available - extent) / fraction
    return max(width, available * 0.3)


def _tick_labels(axis: Any) -> list[str]:
    """The tick labels an axis will draw for its current limits, without drawing it."""
    low, high = sorted(axis.get_view_interval())
    slack = (high - low) * 1e-9
    locs = [x for x in axis.get_major_locator()() if low - slack <= x <= high + slack]
    return [str(t) for t in axis.get_major_formatter().format_ticks(locs)]


def _legend_order(count: int, ncol: int) -> list[int]:
    """Key order so a legend of `ncol` columns reads across, row by row.

    matplotlib fills legend columns top to bottom (the first column takes the extra keys);
    listing the keys column by column of the intended rows gives that layout.
    """
    rows = math.ceil(count / ncol)
    return [r * ncol + c for c in range(ncol) for r in range(rows) if r * ncol + c < count]


def _legend_width_in(names: Sequence[str], ncol: int, column_gap: float) -> float:
    """Width in inches of a frameless legend of `names` laid out across `ncol` columns."""
    width = 0.0
    for c in range(ncol):
        column = names[c::ncol]
        if column:
            width += max(text_width_pt(t) for t in column) + LEGEND_HANDLE * FONT_SIZE
    width += ((ncol - 1) * column_gap + 2 * LEGEND_BORDER) * FONT_SIZE
    return width / 72


def _legend_columns(names: Sequence[str], most: int, available: float, column_gap: float) -> int:
    """How many legend columns fit in `available` inches (at most `most`, at least one)."""
    for ncol in range(min(most, len(names)), 1, -1):
        if _legend_width_in(names, ncol, column_gap) <= available:
            return ncol
    return 1


def _legend_border_in() -> float:
    """The blank border inside both sides of a frameless legend, in inches."""
    return 2 * LEGEND_BORDER * FONT_SIZE / 72


def _legend_in(rows: int) -> float:
    """Height in inches of a frameless legend of `rows` rows, its inner border included."""
    gaps = (rows - 1) * LEGEND_ROW_GAP + 2 * LEGEND_BORDER
    return rows * _line_in() + gaps * FONT_SIZE / 72


def _figure(height: float) -> tuple[Any, Any]:
    """A figure of the standard width on the SVG canvas (no pyplot) and its one axes."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, height))
    FigureCanvasSVG(fig)
    return fig, fig.add_axes((0.1, 0.1, 0.8, 0.8))


def _place(fig: Any, ax: Any, left: float, width: float, bottom: float, top: float) -> None:
    """Put the axes at margins given in inches."""
    fig_w, fig_h = fig.get_size_inches()
    ax.set_position((left / fig_w, bottom / fig_h, width / fig_w, (fig_h - bottom - top) / fig_h))


def _place_with_y_ticks(
    fig: Any, ax: Any, axis_label: str, overhangs: Sequence[tuple[float, float]]
) -> None:
    """Place axes whose left margin holds numeric y tick labels (and maybe an axis label).

    The labels depend on the axes height (matplotlib picks fewer ticks on a shorter axis),
    which the top and bottom margins fix first; only then is the left margin measured.
    """
    bottom = PAD_IN + _x_ticks_in("")
    _place(fig, ax, PAD_IN, WIDTH_IN - 2 * PAD_IN, bottom, PAD_IN)
    widest = max((text_width_pt(t) for t in _tick_labels(ax.yaxis)), default=0.0)
    left = PAD_IN + (widest + TICK_LEN_PT + TICK_PAD_PT) / 72
    if axis_label:
        left += _line_in() + LABEL_PAD_PT / 72
    width = _fit_width(WIDTH_IN - left - PAD_IN, overhangs)
    _place(fig, ax, left, width, bottom, PAD_IN)


def _alt_values(categories: Sequence[str], series: Sequence[Series]) -> str:
    """Plain-English listing of every value, e.g. 'Face to face: in county 40, out of county 3'."""
    parts = []
    for i, category in enumerate(categories):
        if len(series) == 1:
            parts.append(f"{category}: {series[0].labels[i]}")
        else:
            inner = ", ".join(f"{s.name} {s.labels[i]}" for s in series)
            parts.append(f"{category}: {inner}")
    return "; ".join(parts) + "."


def _table(
    caption: str, first: str, categories: Sequence[str], series: Sequence[Series]
) -> DataTable:
    headers = [first, *[s.name for s in series]]
    rows = [[c, *[s.labels[i] for s in series]] for i, c in enumerate(categories)]
    return DataTable(caption=caption, headers=headers, rows=rows)


def _check(categories: Sequence[str], series: Sequence[Series]) -> None:
    if not 1 <= len(series) <= MAX_SERIES:
        raise ValueError(f"a chart shows 1 to {MAX_SERIES} categories of colour, not {len(series)}")
    for s in series:
        if len(s.values) != len(categories) or len(s.labels) != len(categories):
            raise ValueError(f"series {s.name!r} does not have one value per category")


@_drawn_once
def bar_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    axis_label: str = "",
    percent: bool = False,
    first_header: str = "Category",
) -> Chart:
    """Horizontal bars, grouped when there are several series, each bar labelled with its text.

    Categories read top to bottom in the order given. A hidden value draws no bar and shows its
    label (e.g. `[c]`) at the axis so the gap is explained.
    """
    _check(categories, series)

    n, k = len(categories), len(series)
    height = 0.75 + n * (0.2 + 0.17 * k) + (0.3 if k > 1 else 0)

    def draw() -> str:
        setup_fonts()
        import matplotlib
        from matplotlib.patches import Rectangle

        with matplotlib.rc_context(_rc(chart_id)):
            fig, ax = _figure(height)
            bar_h = 0.8 / k
            drawn = [float(v) for s in series for i, v in enumerate(s.values) if not s.hidden(i)]
            # A percent axis always runs to 100%; a count axis to at least 1.
            top = max([*drawn, 1.0])
            xmax = top * 1.15
            overhangs: list[tuple[float, float]] = []
            for j, s in enumerate(series):
                for i in range(n):
                    y = (n - 1 - i) + (k - 1) / 2 * bar_h - j * bar_h
                    if s.hidden(i):
                        x = top * 0.005
                    else:
                        value = float(s.values[i])  # type: ignore[arg-type]
                        ax.barh(y, value, height=bar_h * 0.9, color=PALETTE[j], linewidth=0)
                        x = value + top * 0.01
                    ax.text(x, y, s.labels[i], va="center", ha="left", color=TEXT)
                    overhangs.append((x / xmax, text_width_pt(s.labels[i]) / 72))
            ax.set_yticks(range(n), list(reversed(list(categories))))
            ax.set_xlim(0, xmax)
            # Every category gets a full band, drawn or not: a withheld last category's label
            # would otherwise sit on the axis line, the band being sized by drawn bars only.
            ax.set_ylim(-0.5, n - 0.5)
            ax.tick_params(axis="y", length=0)
            ax.xaxis.grid(True, color=GRID, linewidth=0.6)
            ax.set_axisbelow(True)
            if percent:
                from matplotlib.ticker import PercentFormatter

                ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            else:
                from matplotlib.ticker import MaxNLocator

                # Counts are whole numbers: no 2.5 on the axis.
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            if axis_label:
                ax.set_xlabel(axis_label)
            names = [s.name for s in series]
            left = PAD_IN + (max(text_width_pt(c) for c in categories) + TICK_PAD_PT) / 72
            width = _fit_width(WIDTH_IN - left - PAD_IN, overhangs)
            legend = 0.0
            if k > 1:
                # The key goes above the bars, centred on them when it fits there, else on the
                # figure; in one row when it fits across, else in as many columns as fit.
                gap = 2.0  # matplotlib's column spacing, in font sizes
                ncol = _legend_columns(names, k, WIDTH_IN - 2 * PAD_IN + _legend_border_in(), gap)
                half = _legend_width_in(names, ncol, gap) / 2
                centre = left + width / 2
                if centre - half < PAD_IN or centre + half > WIDTH_IN - PAD_IN:
                    centre = WIDTH_IN / 2
                order = _legend_order(k, ncol)
                fig.legend(
                    [Rectangle((0, 0), 1, 1, color=PALETTE[j]) for j in order],
                    [names[j] for j in order],
                    loc="upper center",
                    bbox_to_anchor=(centre / WIDTH_IN, 1 - PAD_IN / height),
                    ncol=ncol,
                    frameon=False,
                    borderaxespad=0,
                    columnspacing=gap,
                )
                legend = _legend_in(math.ceil(k / ncol)) + LEGEND_AXES_PAD * FONT_SIZE / 72
            _place(fig, ax, left, width, PAD_IN + _x_ticks_in(axis_label), PAD_IN + legend)
            return _finish_svg(fig, chart_id)

    kind = "Grouped bar chart" if k > 1 else "Bar chart"
    alt = f"{kind}. {title}. {_alt_values(categories, series)}"
    return Chart(chart_id, title, alt, draw, _table(title, first_header, categories, series))


@_drawn_once
def line_chart(
    chart_id: str,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    percent: bool = False,
    axis_label: str = "",
    first_header: str = "Quarter",
) -> Chart:
    """Lines over time, one per series, with a distinct marker each and a label at the line's end.

    Hidden points (suppressed or missing) break the line rather than being drawn.
    """
    _check(x_labels, series)

    n = len(x_labels)
    span = (-0.3, n - 1 + 2.2)

    def draw() -> str:
        setup_fonts()
        import matplotlib

        with matplotlib.rc_context(_rc(chart_id)):
            fig, ax = _figure(3.0)
            top = 0.0
            overhangs: list[tuple[float, float]] = []
            for j, s in enumerate(series):
                ys = [math.nan if s.hidden(i) else float(s.values[i]) for i in range(n)]  # type: ignore[arg-type]
                top = max([top, *[y for y in ys if not math.isnan(y)]])
                ax.plot(
                    range(n), ys, color=PALETTE[j], marker=MARKERS[j], linewidth=2, markersize=5
                )
                last = max((i for i in range(n) if not math.isnan(ys[i])), default=None)
                if last is not None:
                    # Say which period a label belongs to when the line stops before the end.
                    when = "" if last == n - 1 else f" ({x_labels[last]})"
                    text = f"{s.name} {s.labels[last]}{when}"
                    ax.annotate(
                        text,
                        (last, ys[last]),
                        xytext=(6, 0),
                        textcoords="offset points",
                        va="center",
                        color=TEXT,
                    )
                    fraction = (last - span[0]) / (span[1] - span[0])
                    overhangs.append((fraction, (6 + text_width_pt(text)) / 72))
            ax.set_xticks(range(n), list(x_labels))
            ax.set_xlim(*span)
            if percent:
                from matplotlib.ticker import PercentFormatter

                ax.set_ylim(0, 1.05)
                ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            else:
                ax.set_ylim(0, max(top * 1.15, 1))
            ax.yaxis.grid(True, color=GRID, linewidth=0.6)
            ax.set_axisbelow(True)
            if axis_label:
                ax.set_ylabel(axis_label)
            _place_with_y_ticks(fig, ax, axis_label, overhangs)
            return _finish_svg(fig, chart_id)

    parts = []
    for s in series:
        points = ", ".join(f"{x} {s.labels[i]}" for i, x in enumerate(x_labels))
        parts.append(f"{s.name}: {points}")
    alt = f"Line chart. {title}. " + "; ".join(parts) + "."
    headers = [first_header, *[s.name for s in series]]
    rows = [[x, *[s.labels[i] for s in series]] for i, x in enumerate(x_labels)]
    return Chart(chart_id, title, alt, draw, DataTable(title, headers, rows))


@_drawn_once
def stacked_bar_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    segments: Sequence[Series],
    *,
    reference: float | None = None,
    reference_label: str = "",
    axis_label: str = "",
    first_header: str = "Group",
) -> Chart:
    """Horizontal stacked bars: each category's bar is the sum of its segments, left to right.

    A hidden segment ends the bar for that category there (a stack with a gap would misplace
    the segments after it): the segments before it are drawn and its label says why. An
    optional dashed reference line (e.g. the 72-hour standard) is drawn and labelled.
    """
    _check(categories, segments)

    n, k = len(categories), len(segments)
    names = [s.name for s in segments]

    def draw() -> str:
        setup_fonts()
        import matplotlib
        from matplotlib.patches import Rectangle

        with matplotlib.rc_context(_rc(chart_id)):
            fig, ax = _figure(1.3 + 0.55 * n)
            top = reference or 0.0
            drawn: list[tuple[float, float, float, int, str]] = []  # x, width, y, segment, text
            for i in range(n):
                y = n - 1 - i
                # The segments before the first withheld one are drawn (each was published on
                # its own); the withheld one and those after it are not, and the label says why.
                stop = next((j for j, s in enumerate(segments) if s.hidden(i)), k)
                left = 0.0
                for j, s in enumerate(segments[:stop]):
                    width = float(s.values[i])  # type: ignore[arg-type]
                    ax.barh(
                        y,
                        width,
                        left=left,
                        height=0.6,
                        color=PALETTE[j],
                        linewidth=0.8,
                        edgecolor="white",
                        hatch=HATCHES[j],
                    )
                    drawn.append((left, width, y, j, s.labels[i]))
                    left += width
                if stop < k:
                    ax.annotate(
                        segments[stop].labels[i],
                        (left, y),
                        xytext=(4, 0),
                        textcoords="offset points",
                        va="center",
                        ha="left",
                        color=TEXT,
                    )
                top = max(top, left)
            xmax = top * 1.12 if top else 1
            overhangs: list[tuple[float, float]] = []
            if reference is not None:
                ax.axvline(reference, color=TEXT, linestyle="--", linewidth=1.2)
                # Offset in points, not a leading space: SVG collapses leading white space, which
                # would put the label on the line.
                ax.annotate(
                    reference_label,
                    (reference, n - 0.45),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="bottom",
                    ha="left",
                    color=TEXT,
                )
                overhangs.append((reference / xmax, (text_width_pt(reference_label) + 3) / 72))
            ax.set_yticks(range(n), list(reversed(list(categories))))
            ax.set_xlim(0, xmax)
            ax.set_ylim(-0.6, n - 0.1 + 0.4)
            ax.tick_params(axis="y", length=0)
            ax.xaxis.grid(True, color=GRID, linewidth=0.6)
            ax.set_axisbelow(True)
            if axis_label:
                ax.set_xlabel(axis_label)
            # The key sits under the whole figure, centred on the page, in as many columns (up to
            # three) as fit across it.
            # The legend's inner border is blank, so it may reach into the figure's padding.
            gap = LEGEND_COLUMN_GAP
            ncol = _legend_columns(names, 3, WIDTH_IN - 2 * PAD_IN + _legend_border_in(), gap)
            legend = _legend_in(math.ceil(k / ncol))
            order = _legend_order(k, ncol)
            fig.legend(
                [
                    Rectangle(
                        (0, 0), 1, 1, facecolor=PALETTE[j], edgecolor="white", hatch=HATCHES[j]
                    )
                    for j in order
                ],
                [names[j] for j in order],
                loc="lower center",
                bbox_to_anchor=(0.5, PAD_IN / fig.get_size_inches()[1]),
                ncol=ncol,
                frameon=False,
                borderaxespad=0,
                columnspacing=gap,
            )
            left = PAD_IN + (max(text_width_pt(c) for c in categories) + TICK_PAD_PT) / 72
            width = _fit_width(WIDTH_IN - left - PAD_IN, overhangs)
            bottom = PAD_IN + legend + LEGEND_AXES_PAD * FONT_SIZE / 72 + _x_ticks_in(axis_label)
            _place(fig, ax, left, width, bottom, PAD_IN)
            # Each segment's value, written on it where it fits (on a plain box, so the pattern
            # never runs through the words), in white or ink, whichever reads better on it.
            for x, span, y, j, text in drawn:
                room = span / xmax * width * 72  # the segment's width in points
                if text and text_width_pt(text, SMALL_SIZE) + 8 <= room:
                    ax.text(
                        x + span / 2,
                        y,
                        text,
                        ha="center",
                        va="center",
                        fontsize=SMALL_SIZE,
                        color=label_colour(PALETTE[j]),
                        bbox={
                            "boxstyle": "square,pad=0.15",
                            "facecolor": PALETTE[j],
                            "edgecolor": "none",
                        },
                    )
            return _finish_svg(fig, chart_id)

    alt = f"Stacked bar chart. {title}. {_alt_values(categories, segments)}"
    return Chart(chart_id, title, alt, draw, _table(title, first_header, categories, segments))


# Special-cause colours of NHS England's Making Data Count icons: orange for concern, blue for
# improvement, purple for a change where neither direction is better.
SIGNAL_COLOURS = {"concern": PALETTE[3], "improvement": "#2B8CC4"}
NEUTRAL = PALETTE[5]


def _signal_colour(kinds: Sequence[str], i: int) -> str:
    """The marker colour of flagged point i (orange when its kind is not known)."""
    kind = kinds[i] if i < len(kinds) else ""
    if kind in SIGNAL_COLOURS:
        return SIGNAL_COLOURS[kind]
    return NEUTRAL if kind.startswith("neutral") else SIGNAL_COLOURS["concern"]


@_drawn_once
def spc_chart(
    chart_id: str,
    title: str,
    x_labels: Sequence[str],
    values: Sequence[float],
    mean: Sequence[float],
    lower: Sequence[float],
    upper: Sequence[float],
    special: Sequence[bool],
    labels: Sequence[str],
    *,
    percent: bool = False,
    summary: str = "",
    limit_labels: Sequence[str] = (),
    suppressed: Sequence[bool] = (),
    limit_texts: Sequence[Sequence[str]] = (),
    target: float | None = None,
    target_label: str = "",
    kinds: Sequence[str] = (),
) -> Chart:
    """An XmR control chart: the monthly values, their mean and process limits.

    Points flagged as special cause are drawn larger, as squares, so the signal does not
    depend on colour; their colour follows Making Data Count by each point's `kinds` entry
    (its SPC point type): blue for an improvement, orange for a concern, purple where neither
    direction is better (orange for every flag when no kinds are given). `summary` (the SPC
    result's plain-English text) is added to the alt text. A `suppressed` point (disclosure
    control) is not drawn, its label says why (e.g. `[c]`) and its special-cause flag is not
    shown either. A percent axis runs from
    0%: a lower limit below it is clipped at the axis, and its real value stays in
    `limit_labels` and `limit_texts` (one (mean, lower, upper) text triple per point, shown
    in the data table). `target` draws a dotted line labelled `target_label`.
    """
    n = len(x_labels)
    if not (len(values) == len(mean) == len(lower) == len(upper) == len(special) == n):
        raise ValueError("an SPC chart needs one value, mean, limit and flag per point")
    hidden = [bool(x) for x in suppressed] if suppressed else [False] * n
    if len(hidden) != n or (limit_texts and len(limit_texts) != n):
        raise ValueError("an SPC chart needs one suppression flag and limit text per point")

    def clean(xs: Sequence[float]) -> list[float]:
        return [math.nan if x is None else float(x) for x in xs]

    ys, ms, lo, hi = clean(values), clean(mean), clean(lower), clean(upper)
    ys = [math.nan if hidden[i] else y for i, y in enumerate(ys)]
    flags = [bool(special[i]) and not hidden[i] for i in range(n)]
    sx = [x for x in range(n) if flags[x] and not math.isnan(ys[x])]

    def draw() -> str:
        setup_fonts()
        import matplotlib

        with matplotlib.rc_context(_rc(chart_id)):
            fig, ax = _figure(3.0)
            xs = list(range(n))
            ax.plot(xs, hi, color=MUTED, linestyle="--", linewidth=1, drawstyle="steps-mid")
            ax.plot(xs, lo, color=MUTED, linestyle="--", linewidth=1, drawstyle="steps-mid")
            ax.plot(xs, ms, color=MUTED, linestyle="-", linewidth=1, drawstyle="steps-mid")
            if target is not None:
                ax.axhline(target, color=PALETTE[2], linestyle=":", linewidth=1.6)
            ax.plot(xs, ys, color=PALETTE[0], marker="o", markersize=4, linewidth=1.8)
            # One marker set per colour, in a fixed order, so the SVG is the same every run.
            for colour in (SIGNAL_COLOURS["concern"], SIGNAL_COLOURS["improvement"], NEUTRAL):
                points = [x for x in sx if _signal_colour(kinds, x) == colour]
                if not points:
                    continue
                ax.plot(
                    points,
                    [ys[x] for x in points],
                    linestyle="none",
                    marker="s",
                    markersize=8,
                    color=colour,
                    markeredgecolor=TEXT,
                    markeredgewidth=0.8,
                )
            # At most about eight month labels, always including the last month.
            step = max(1, math.ceil(n / 8))
            shown = [x for x in xs if x % step == (n - 1) % step]
            ax.set_xticks(shown, [x_labels[x] for x in shown])
            finite = [v for v in [*ys, *hi, *lo] if not math.isnan(v)]
            if target is not None:
                finite.append(float(target))
            top = max([1.0, *finite])
            # Counts and rates cannot be negative: the axis starts at 0 and a lower limit below
            # it is clipped (its value is stated in the labels and the table).
            bottom = 0.0
            if percent:
                from matplotlib.ticker import PercentFormatter

                ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
                ceiling = min(max(top * 1.08, 0.1), 1.15)
            else:
                ceiling = top * 1.12
            ax.set_ylim(bottom, ceiling)
            span = (-0.5, n - 0.5 + 1.6)
            ax.set_xlim(*span)
            # A withheld month is marked on the axis, so its gap in the line is explained.
            for x in xs:
                if hidden[x]:
                    ax.annotate(
                        labels[x] if x < len(labels) else "[c]",
                        (x, 0.02),
                        xycoords=("data", "axes fraction"),
                        ha="center",
                        va="bottom",
                        color=MUTED,
                        fontsize=SMALL_SIZE,
                    )
            last = n - 1
            overhangs: list[tuple[float, float]] = []
            if limit_labels and not math.isnan(hi[last]):
                for y, text in (
                    (hi[last], limit_labels[0]),
                    (ms[last], limit_labels[1]),
                    (lo[last], limit_labels[2]),
                ):
                    if not math.isnan(y):
                        ax.annotate(
                            text,
                            (last, min(max(y, bottom), ceiling)),
                            xytext=(8, 0),
                            textcoords="offset points",
                            va="center",
                            color=MUTED,
                            fontsize=SMALL_SIZE,
                            # A grid line at the same height would strike the label through.
                            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
                        )
                        fraction = (last - span[0]) / (span[1] - span[0])
                        overhangs.append((fraction, (8 + text_width_pt(text, SMALL_SIZE)) / 72))
            if target is not None and target_label:
                ax.annotate(
                    target_label,
                    (-0.4, float(target)),
                    xytext=(0, 2),
                    textcoords="offset points",
                    va="bottom",
                    ha="left",
                    color=PALETTE[2],
                    fontsize=SMALL_SIZE,
                )
            ax.yaxis.grid(True, color=GRID, linewidth=0.6)
            ax.set_axisbelow(True)
            _place_with_y_ticks(fig, ax, "", overhangs)
            return _finish_svg(fig, chart_id)

    flagged = [x_labels[x] for x in sx]
    signal = (
        f" Special-cause points: {', '.join(flagged)}." if flagged else " No special-cause points."
    )
    points = ", ".join(f"{x} {labels[i]}" for i, x in enumerate(x_labels))
    goal = f" {target_label}." if target is not None and target_label else ""
    alt = f"Control chart. {title}. {points}.{signal}{goal} {summary}".strip()
    withheld = next((labels[i] for i in range(n) if hidden[i]), "")

    def flag_text(i: int) -> str:
        return withheld if hidden[i] else ("Yes" if special[i] else "No")

    if limit_texts:
        headers = ["Month", "Value", "Mean", "Lower limit", "Upper limit", "Special cause"]
        rows = [[x, labels[i], *list(limit_texts[i]), flag_text(i)] for i, x in enumerate(x_labels)]
    else:
        headers = ["Month", "Value", "Special cause"]
        rows = [[x, labels[i], flag_text(i)] for i, x in enumerate(x_labels)]
    table = DataTable(title, headers, rows)
    return Chart(chart_id, title, alt, draw, table)


Kind = Literal["bar", "line", "stacked", "spc"]

__all__ = [
    "HATCHES",
    "MAX_SERIES",
    "PALETTE",
    "Chart",
    "DataTable",
    "Series",
    "bar_chart",
    "contrast",
    "label_colour",
    "line_chart",
    "setup_fonts",
    "spc_chart",
    "stacked_bar_chart",
]
