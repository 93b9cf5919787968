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
    # Only the "All" bar is drawn: one patch in each colour, plus each legend key.
    assert len(re.findall(rf'fill="{PALETTE[0].lower()}"', chart.svg)) == 2
    assert len(re.findall(rf'fill="{PALETTE[1].lower()}"', chart.svg)) == 2
    assert ">72 hours<" in chart.svg.replace("> 72 hours<", ">72 hours<")
    assert chart.table.rows == [
        ["All", "10 hours", "50 hours"],
        ["Out of county", "[c]", "60 hours"],
    ]


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
