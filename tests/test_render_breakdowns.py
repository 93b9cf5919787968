"""Breakdowns as the paper shows them: row order, and a chart only when worth one."""

from __future__ import annotations

from dataclasses import replace

from render_fixtures import small_results


def test_chart_of_mostly_withheld_bars_becomes_a_table_and_a_sentence() -> None:
    import pandas as pd

    from pipeline.metrics.breakdowns import Breakdown
    from pipeline.render.blocks import Numberer
    from pipeline.render.breakdowns import breakdown_blocks

    # Out of county: face to face 2, telephone 20, video 1 -> two of three below 5, so most
    # of that group's bars would be [c]: no chart, the table and a sentence instead.
    frame = pd.DataFrame(
        {
            "category": ["face_to_face", "telephone", "video"],
            "label": ["Face to face", "Telephone", "Video"],
            "looked_after_in_area": [40, 12, 0],
            "looked_after_out_of_area": [2, 20, 1],
        }
    )
    b = Breakdown("rhi_mode", "Completed interviews by mode", "mode", True, frame)
    num = Numberer()
    # The disclosure stage decides for the breakdown the results carry.
    public = breakdown_blocks(
        replace(small_results("public"), breakdowns=[b], disclosure=None), b, num
    )
    assert [x.kind for x in public] == ["h3", "text", "table"]
    assert "no chart is drawn" in public[1].text
    internal = breakdown_blocks(
        replace(small_results("internal"), breakdowns=[b], disclosure=None), b, Numberer()
    )
    assert [x.kind for x in internal] == ["h3", "chart", "table"]


def test_a_table_of_nothing_but_withheld_figures_and_zeros_is_a_sentence() -> None:
    import pandas as pd

    from pipeline.metrics.breakdowns import Breakdown
    from pipeline.render.blocks import ALL_WITHHELD, Numberer
    from pipeline.render.breakdowns import breakdown_blocks

    # Out of county: independent 1, social worker 1, other 0. Every figure above zero is
    # under 5, so withheld: the table would show its total and nothing else. The internal
    # paper shows the table.
    frame = pd.DataFrame(
        {
            "category": ["independent", "social_worker", "other"],
            "label": ["Independent practitioner", "Social worker", "Other"],
            "looked_after_out_of_area": [1, 1, 0],
        }
    )
    b = Breakdown("interviewer_role", "Completed interviews by role", "role", True, frame)
    public = breakdown_blocks(
        replace(small_results("public"), breakdowns=[b], disclosure=None), b, Numberer()
    )
    assert [x.kind for x in public][-1] == "text"
    assert public[-1].text == ALL_WITHHELD
    assert not any(x.kind in ("table", "chart") for x in public)
    internal = breakdown_blocks(
        replace(small_results("internal"), breakdowns=[b], disclosure=None), b, Numberer()
    )
    assert internal[-1].kind == "table"


def test_categorical_tables_sort_by_count_with_catch_alls_last() -> None:
    import pandas as pd

    from pipeline.render.breakdowns import _by_count

    frame = pd.DataFrame(
        {
            "label": [
                "Does not want to talk",
                "Did not see the need",
                "Other",
                "Refused",
                "Police",
                "Radicalisation",
            ],
            "all": [26, 14, 30, 3, 10, 0],
        }
    )
    mask = pd.DataFrame({"all": [False, False, False, True, False, False]})
    # shown: 26, 14, 10 in descending order; then the withheld 3 ([c]) in its place; then
    # the shown zero; then 'Other' last although its 30 is the largest
    assert _by_count(frame, mask, "all") == [0, 1, 4, 3, 5, 2]
