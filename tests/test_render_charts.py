"""Charts: real SVG text, the afcharts palette, alt text and tables from the data, [c] never
drawn, stable bytes and ids unique per chart."""

from __future__ import annotations

import re

import pytest

from pipeline.render.charts import (
    PALETTE,
    Series,
    bar_chart,
    line_chart,
    spc_chart,
    stacked_bar_chart,
    worded_table,
)


def _modes() -> list[Series]:
    # In county: face to face 40, telephone 3 (suppressed), video 0.
    # Out of county: face to face 2 (suppressed), telephone 20, video 1 (suppressed).
    return [
        Series("In county", [40, 3, 0], ["40", "[c]", "0"], [False, True, False]),
        Series("Out of county", [2, 20, 1], ["[c]", "20", "[c]"], [True, False, True]),
    ]


def test_bar_chart_alt_text_and_table_come_from_the_data() -> None:
    chart = bar_chart(
        "fig-mode",
        "Most out-of-county interviews were by telephone",
        ["Face to face", "Telephone", "Video"],
        _modes(),
    )
    assert chart.alt == (
        "Grouped bar chart. Most out-of-county interviews were by telephone. "
        "Face to face: In county 40, Out of county [c]; "
        "Telephone: In county [c], Out of county 20; "
        "Video: In county 0, Out of county [c]."
    )
    assert chart.table.headers == ["Category", "In county", "Out of county"]
    assert chart.table.rows[1] == ["Telephone", "[c]", "20"]


def test_suppressed_values_draw_no_bar_but_say_c() -> None:
    chart = bar_chart("fig-s", "t", ["Face to face", "Telephone", "Video"], _modes())
    # Drawn bars: in county 40 and 0, out of county 20 -> 2 bars in the first colour, 1 in the
    # second. A bar is a patch filled with the series colour.
    first = len(re.findall(rf'fill="{PALETTE[0].lower()}"', chart.svg))
    second = len(re.findall(rf'fill="{PALETTE[1].lower()}"', chart.svg))
    # Each colour also appears once in the legend key.
    assert (first, second) == (2 + 1, 1 + 1)
    # Three hidden values, each labelled [c] as real text (not outlines).
    assert chart.svg.count(">[c]<") == 3
    # Real text: the shown value is a <text> element, and no glyph outlines are defined.
    assert ">40</text>" in chart.svg
    assert not re.search(r'id="fig-s-(DejaVu|Atkinson)', chart.svg)


def test_svg_is_inlinable_with_prefixed_ids_and_no_date() -> None:
    a = bar_chart("fig-a", "t", ["x"], [Series("n", [1], ["1"])])
    b = bar_chart("fig-b", "t", ["x"], [Series("n", [1], ["1"])])
    ids_a = set(re.findall(r'id="([^"]+)"', a.svg))
    ids_b = set(re.findall(r'id="([^"]+)"', b.svg))
    assert ids_a and all(i.startswith("fig-a-") for i in ids_a)
    assert not ids_a & ids_b
    for ref in re.findall(r"url\(#([^)]+)\)", a.svg):
        assert ref in ids_a
    assert a.svg.startswith("<svg") and "<metadata" not in a.svg and "<dc:date" not in a.svg
    assert "Atkinson Hyperlegible" in a.svg


def test_same_input_same_bytes() -> None:
    def draw() -> str:
        return line_chart(
            "fig-t",
            "Offers rose",
            ["Q4", "Q1"],
            [Series("Offered", [0.5, 0.7], ["50%", "70%"])],
            percent=True,
        ).svg

    assert draw() == draw()


def test_at_most_four_colours() -> None:
    five = [Series(str(i), [1], ["1"]) for i in range(5)]
    with pytest.raises(ValueError, match="1 to 4"):
        bar_chart("fig-x", "t", ["a"], five)


def test_line_chart_alt_lists_every_point() -> None:
    chart = line_chart(
        "fig-l",
        "Offers rose",
        ["Q4 2025-26", "Q1 2026-27"],
        [Series("Offered", [0.5, None], ["50%", "no cases"])],
        percent=True,
    )
    assert chart.alt == "Line chart. Offers rose. Offered: Q4 2025-26 50%, Q1 2026-27 no cases."


def test_stacked_chart_hides_a_bar_with_a_suppressed_segment() -> None:
    chart = stacked_bar_chart(
        "fig-h",
        "Assignment took longest",
        ["All", "Out of county"],
        [
            Series("Return to notification", [10, 20], ["10 hours", "[c]"], [False, True]),
            Series("Assignment to interview", [50, 60], ["50 hours", "60 hours"]),
        ],
        reference=72,
        reference_label="72 hours",
    )
    # Only the "All" bar is drawn. The plain first segment: its patch, its legend key and the
    # box behind its "10 hours", 3 fills. The patterned second segment: its patch and key
    # share one pattern (filled once in its colour), plus the box behind "50 hours", 2 fills.
    assert len(re.findall(rf'fill="{PALETTE[0].lower()}"', chart.svg)) == 3
    assert len(re.findall(rf'fill="{PALETTE[1].lower()}"', chart.svg)) == 2
    assert ">60 hours<" not in chart.svg
    assert ">72 hours<" in chart.svg.replace("> 72 hours<", ">72 hours<")
    assert chart.table.rows == [
        ["All", "10 hours", "50 hours"],
        ["Out of county", "[c]", "60 hours"],
    ]


def test_stacked_chart_draws_the_published_segments_before_a_withheld_one() -> None:
    # Out of county: its first step (20 hours) is published, its second withheld: the bar
    # stops after 20 hours with "[c]" beside it, and the withheld 60 hours is never drawn.
    chart = stacked_bar_chart(
        "fig-h2",
        "Assignment took longest",
        ["All", "Out of county"],
        [
            Series("Return to notification", [10, 20], ["10 hours", "20 hours"]),
            Series("Assignment to interview", [50, 60], ["50 hours", "[c]"], [False, True]),
        ],
    )
    assert ">20 hours<" in chart.svg and ">[c]<" in chart.svg
    assert ">60 hours<" not in chart.svg


def test_spc_chart_marks_special_cause_by_shape_and_in_words() -> None:
    xs = ["Apr", "May", "Jun", "Jul"]
    chart = spc_chart(
        "fig-spc",
        "Episodes spiked in July",
        xs,
        [10, 11, 10, 30],
        [15] * 4,
        [5] * 4,
        [25] * 4,
        [False, False, False, True],
        ["10", "11", "10", "30"],
        summary="Special cause of concern.",
    )
    assert "Special-cause points: Jul." in chart.alt
    assert chart.table.rows[-1] == ["Jul", "30", "Yes"]
    assert chart.alt.endswith("Special cause of concern.")


def test_tidy_svg_turns_styles_into_attributes_and_keeps_only_referenced_ids() -> None:
    from pipeline.render.charts import tidy_svg

    raw = (
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
        "<metadata>x</metadata><defs><style>*{stroke-linejoin: round}</style></defs>"
        '<g id="figure_1"><g id="patch_1"><path d="M 0 0\nL 1 1" style="fill: #ffffff; '
        'stroke: none" clip-path="url(#p1.a)"/></g>'
        '<text transform="rotate(-0 1 2)" style="font-size: 9px">A</text>'
        '<path d="M 0 0 L 5 5 z" style="fill: none"/></g>'
        '<defs><clipPath id="p1.a"><rect x="0" y="0" width="5" height="5"/></clipPath></defs>'
        "</svg>"
    )
    out = tidy_svg(raw, "fig-z")
    # Two declarations become two attributes; path data on one line.
    assert '<path d="M 0 0 L 1 1" clip-path="url(#fig-z-p1-a)" fill="#ffffff" stroke="none"' in out
    assert 'font-size="9px"' in out and "style=" not in out and "rotate(" not in out
    # The clip path is referred to, so it keeps its (prefixed) id; the groups had only ids
    # nobody refers to, so they are gone, as are the metadata and the stylesheet.
    assert re.findall(r'id="([^"]+)"', out) == ["fig-z-p1-a"]
    assert "<g" not in out and "<metadata" not in out and "<style" not in out
    # The path with no fill and no stroke draws nothing, so it is dropped; the other stays.
    assert out.count("<path") == 1
    assert out.startswith("<svg") and 'stroke-linejoin="round"' in out.split(">")[0]


def test_spc_chart_withholds_points_states_limits_below_zero_and_draws_the_target() -> None:
    # Values 12, [c], 15 (the middle one withheld); mean 10, limits -18 and 38 as text.
    chart = spc_chart(
        "fig-q",
        "Episodes",
        ["Apr", "May", "Jun"],
        [12, 3, 15],
        [10] * 3,
        [-17.93] * 3,
        [37.93] * 3,
        [False, True, False],
        ["12", "[c]", "15"],
        suppressed=[False, True, False],
        limit_texts=[["10", "-18", "38"]] * 3,
        limit_labels=["Upper 38", "Mean 10", "Lower -18 (below 0)"],
        target=20,
        target_label="Target 20",
    )
    assert chart.table.headers == [
        "Month",
        "Value",
        "Mean",
        "Lower limit",
        "Upper limit",
        "Special cause",
    ]
    # The withheld month's special-cause flag is withheld too, and is not in the alt text.
    assert chart.table.rows[1] == ["May", "[c]", "10", "-18", "38", "[c]"]
    assert "No special-cause points." in chart.alt and "Target 20." in chart.alt
    # The clipped lower limit keeps its real value in its label; the target is labelled.
    assert ">Lower -18 (below 0)<" in chart.svg and ">Target 20<" in chart.svg
    # Only two points are plotted: no special-cause square (orange) is drawn.
    assert PALETTE[3].lower() not in chart.svg


def test_fit_width_shrinks_the_axes_so_a_label_past_its_anchor_still_fits() -> None:
    from pipeline.render.charts import _fit_width

    # 5 in available; a label anchored at 90% of the axes runs 1 in further: 0.9 * 5 + 1 = 5.5
    # does not fit, so the axes shrink to (5 - 1) / 0.9 = 4.444 in. One at 50% running 1 in
    # (0.5 * 5 + 1 = 3.5) already fits and changes nothing.
    assert _fit_width(5.0, [(0.5, 1.0)]) == 5.0
    assert _fit_width(5.0, [(0.5, 1.0), (0.9, 1.0)]) == pytest.approx(4.0 / 0.9)


def test_legend_keys_are_ordered_to_read_across_rows() -> None:
    from pipeline.render.charts import _legend_order

    # matplotlib fills columns top to bottom. Four keys in three columns read across as
    # row 1: 0 1 2, row 2: 3; so column 1 must hold 0 and 3, column 2 holds 1, column 3 holds 2.
    assert _legend_order(4, 3) == [0, 3, 1, 2]
    # Three keys in two columns: rows 0 1 / 2 -> columns (0, 2), (1).
    assert _legend_order(3, 2) == [0, 2, 1]
    assert _legend_order(3, 3) == [0, 1, 2]


def test_text_width_scales_with_font_size() -> None:
    from pipeline.render.charts import text_width_pt

    assert text_width_pt("") == 0.0
    # Glyph advances scale linearly with the font size: twice the size, twice the width.
    assert text_width_pt("Out of county", 19.0) == pytest.approx(
        2 * text_width_pt("Out of county", 9.5)
    )
    assert text_width_pt("Out of county, placed far away") > text_width_pt("Out of county")


def _texts(svg: str) -> list[tuple[float, str, str]]:
    """(x, anchor, text) of every <text> element in a chart's SVG."""
    found = re.findall(r'<text x="([-\d.]+)"[^>]*text-anchor="(\w+)"[^>]*>([^<]*)</text>', svg)
    return [(float(x), anchor, text) for x, anchor, text in found]


def test_long_labels_and_legends_stay_inside_the_figure() -> None:
    from pipeline.render.charts import PAD_IN, WIDTH_IN, text_width_pt

    long = "Looked-after children placed out of county by another local authority"
    chart = bar_chart(
        "fig-long",
        "t",
        [long, "Short"],
        [
            Series("All children", [0.999, 0.5], ["100%", "50%"]),
            Series(
                "A rather long series name for children out of county", [0.3, 0.7], ["30%", "70%"]
            ),
        ],
        percent=True,
    )
    stacked = stacked_bar_chart(
        "fig-long2",
        "t",
        [long, "B"],
        [
            Series("Return to police notification and more", [10, 20], ["a", "b"]),
            Series("Notification to assignment of a worker", [50, 190], ["a", "b"]),
            Series("Assignment to interview", [30, 5], ["a", "b"]),
            Series("Something else entirely", [3, 3], ["a", "b"]),
        ],
        reference=240,
        reference_label="72 hours standard",
    )
    # The figure is 6.4 in = 460.8 pt wide. Every text, measured with the chart font, must
    # lie within it (a legend key's text starts after its coloured handle, so it is inside if
    # its start and end are).
    width = WIDTH_IN * 72
    for svg in (chart.svg, stacked.svg):
        for x, anchor, text in _texts(svg):
            w = text_width_pt(text.replace("&amp;", "&"))
            start = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
            assert start >= 0 and start + w <= width + 0.01, text
    # The long category label ends just left of the axes and starts no nearer the edge than
    # the figure padding (0.1425 in = 10.26 pt), give or take rounding.
    x, _, _ = next(t for t in _texts(chart.svg) if t[2] == long)
    assert x - text_width_pt(long) == pytest.approx(PAD_IN * 72, abs=0.01)


def test_count_axis_has_whole_number_ticks() -> None:
    # Bars of 19, 9 and 10: the axis runs to 19 x 1.15 = 21.85. Matplotlib's default would
    # tick at 0.0, 2.5, 5.0 ...; counts are whole numbers, so every tick label must be too.
    chart = bar_chart(
        "fig-count", "t", ["A", "B", "C"], [Series("All", [19, 9, 10], ["19", "9", "10"], [])]
    )
    numbers = re.findall(r">(\d+(?:\.\d+)?)</text>", chart.svg)
    # ticks from 0 plus the three bar labels (whole numbers too): none has a decimal point
    assert "0" in numbers and len(numbers) > 4
    assert not any("." in t for t in numbers)


def test_spc_chart_marks_withheld_months_on_the_axis() -> None:
    # five months, the 2nd and 4th withheld: two [c] marks, one under each gap
    chart = spc_chart(
        "fig-spc-x",
        "t",
        ["A", "B", "C", "D", "E"],
        [10, 3, 12, 2, 11],
        [8] * 5,
        [0] * 5,
        [20] * 5,
        [False] * 5,
        ["10", "[c]", "12", "[c]", "11"],
        suppressed=[False, True, False, True, False],
    )
    assert chart.svg.count(">[c]<") == 2


def test_stacked_segments_differ_by_pattern_and_carry_their_values() -> None:
    chart = stacked_bar_chart(
        "fig-s",
        "Assignment took longest",
        ["All"],
        [
            Series("Return to notification", [1], ["1 hour"]),
            Series("Notification to assignment", [30], ["30 hours"]),
            Series("Assignment to interview", [60], ["60 hours"]),
        ],
    )
    svg = chart.svg
    # Three segments, three patterns: the first plain, the other two each its own pattern,
    # used once on its segment and once on its key.
    patterns = re.findall(r'fill="url\(#(fig-s-[^)]+)\)"', svg)
    assert len(set(patterns)) == 2 and all(patterns.count(p) == 2 for p in set(patterns))
    # The two wide segments say their values on the bar; the 1-hour sliver has no room.
    assert ">30 hours<" in svg and ">60 hours<" in svg and ">1 hour<" not in svg


def test_segment_labels_are_written_in_the_colour_that_reads_best() -> None:
    from pipeline.render.charts import contrast, label_colour

    # White on the dark blue (10.4:1 by the stylesheet's own count), ink on the orange.
    assert label_colour(PALETTE[0]) == "#FFFFFF" and label_colour(PALETTE[3]) != "#FFFFFF"
    assert contrast("#FFFFFF", "#FFFFFF") == 1 and round(contrast("#FFFFFF", "#000000")) == 21
    for colour in PALETTE[:4]:
        assert contrast(label_colour(colour), colour) >= 4.5, colour


def test_worded_table_sets_words_left_and_gives_a_long_message_room():
    message = "x" * 60
    table = worded_table(
        "Findings", ["Child", "Hours", "Problem"], [["P1", "12.5", message], ["P2", "-", "ok"]]
    )
    # Hours holds a figure and a dash: set right. Problem holds words: set left.
    assert table.text_columns == (2,)
    # Characters, plus 3 for padding; a bold header word counts 1.2 times its length:
    # Child: header round(1.2 * 5) = 6, cells 2 -> 6 + 3 = 9.
    # Hours: header 6, cells 4 and 1 -> 6 + 3 = 9.
    # Problem: header round(8.4) = 8, cells 60 capped at 45 -> 45 + 3 = 48.
    # Shares of 66: 9/66 = 13.6 -> 14, 14 again, and the last takes the rest: 100 - 28 = 72.
    assert table.widths == (14, 14, 72)


def test_a_chart_with_the_same_inputs_is_drawn_once(monkeypatch):
    # The board paper and the director's report show some charts with the same figures:
    # the second is the first's picture, not drawn again; other figures draw anew.
    from collections import OrderedDict

    import pipeline.render.charts as charts

    monkeypatch.setattr(charts, "_DRAWN", OrderedDict())
    drawn: list[str] = []
    real = charts._finish_svg
    monkeypatch.setattr(
        charts, "_finish_svg", lambda fig, chart_id: drawn.append(chart_id) or real(fig, chart_id)
    )

    def chart(values: list[int]):
        labels = [str(v) for v in values]
        return bar_chart("fig-once", "Title", ["A", "B"], [Series("All", values, labels)])

    first, again, other = chart([4, 7]), chart([4, 7]), chart([4, 8])
    assert first.svg == again.svg and other.svg != first.svg
    assert drawn == ["fig-once", "fig-once"]  # first and other; again reused first's


# A chart of each kind drawn in a fresh process; `first` runs before the charts module draws.
_DRAW_EVERY_KIND = """
import sys
{first}
from pipeline.render.charts import Series, bar_chart, line_chart, stacked_bar_chart
from pipeline.render.charts import setup_fonts
setup_fonts()
from matplotlib.lines import Line2D
line = Line2D([0], [0])
line.set(lw=3, color="r")  # set() by alias and by name, as the charts use it
assert (line.get_linewidth(), line.get_color()) == (3.0, "r")
print(Line2D.set.__doc__ is None)
s = [Series("In", [4, 1], ["4", "1"]), Series("Out", [2, 3], ["2", "3"])]
for chart in (
    bar_chart("fig-b", "t", ["a", "b"], s),
    line_chart("fig-l", "t", ["Q4", "Q1"], s),
    stacked_bar_chart("fig-s", "t", ["a", "b"], s),
):
    sys.stdout.write(chart.svg)
"""


def test_matplotlib_without_set_docstrings_draws_the_same_charts() -> None:
    import subprocess
    import sys

    def draw(first: str) -> tuple[str, str]:
        code = _DRAW_EVERY_KIND.format(first=first)
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        flag, svgs = out.split("\n", 1)
        return flag, svgs

    # matplotlib imported first: every Artist's set() gets its docstring, as matplotlib
    # writes it; imported by the charts module, none does (the hook is skipped).
    documented, full = draw("import matplotlib.artist")
    skipped, svgs = draw("")
    assert (documented, skipped) == ("False", "True")
    assert svgs == full
    assert svgs.count("<svg") == 3


def test_special_cause_colours_follow_making_data_count() -> None:
    # Improvement blue, concern orange, a change with no better direction purple; a flag
    # whose kind is not known stays orange, as before kinds were passed.
    from pipeline.render.charts import NEUTRAL, SIGNAL_COLOURS, _signal_colour

    kinds = ["improvement", "concern", "neutral_high", "neutral_low", "common_cause"]
    assert [_signal_colour(kinds, i) for i in range(5)] == [
        SIGNAL_COLOURS["improvement"],
        SIGNAL_COLOURS["concern"],
        NEUTRAL,
        NEUTRAL,
        SIGNAL_COLOURS["concern"],
    ]
    assert _signal_colour([], 3) == SIGNAL_COLOURS["concern"]
    assert len({SIGNAL_COLOURS["improvement"], SIGNAL_COLOURS["concern"], NEUTRAL}) == 3
