"""Section figures and tables built from the disclosed figures (pipeline/render/sections.py)."""

from __future__ import annotations

from dataclasses import replace

from render_fixtures import NAN, Q1, Q4, metrics_rows, small_results

from pipeline.metrics.registry import REGISTRY
from pipeline.render.blocks import Numberer
from pipeline.render.figures import Figures
from pipeline.render.sections import trend_table


def test_the_trend_table_gives_each_rate_beside_the_count_it_is_worked_out_from() -> None:
    # Q4: 100 returns due, 50 offered (50%), 20 completed (20%), face to face within 72
    # hours 8 of 16 (50%). Q1: 120 due, 66 offered (55%), 24 completed (20%), face to face
    # 9 of 18 (50%) but withheld, so its cell is [c] and no numerator is given for it.
    q1, q4 = Q1.id, Q4.id
    rows = []
    for q, due, offered, completed, (num, den), hidden in (
        (q4, 100, 50, 20, (8, 16), False),
        (q1, 120, 66, 24, (9, 18), True),
    ):
        rows += [
            (q, "all", "episodes", NAN, NAN, due, False),
            (q, "all", "children", NAN, NAN, due // 2, False),
            (q, "all", "rhi_due", NAN, NAN, due, False),
            (q, "all", "rhi_offered", NAN, NAN, offered, False),
            (q, "all", "rhi_offered_rate", offered, due, offered / due, False),
            (q, "all", "rhi_completed", NAN, NAN, completed, False),
            (q, "all", "rhi_completed_rate", completed, due, completed / due, False),
            (q, "all", "rhi_target_met_rate", num, den, num / den, hidden),
        ]
    results = replace(small_results(), metrics=metrics_rows(rows), disclosure=None)
    [block] = trend_table(results, Figures(results.metrics, REGISTRY), Numberer())
    table = block.table
    assert table.headers[-3:] == [
        "Offered (share of returns due)",
        "Completed (share of returns due)",
        "Face to face within 72 hours (share of interviews that count)",
    ]
    assert table.rows[0][1:] == ["100", "50", "100", "50 (50%)", "20 (20%)", "8 (50%)"]
    assert table.rows[1][1:] == ["120", "60", "120", "66 (55%)", "24 (20%)", "[c]"]
