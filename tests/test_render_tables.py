"""Metric tables: durations in one row share one unit."""

from __future__ import annotations

from render_fixtures import NAN, small_results


def test_durations_in_one_row_share_one_unit() -> None:
    from render_fixtures import Q1, metrics_rows

    from pipeline.render.figures import Figures, _registry
    from pipeline.render.tables import _hours_row

    fig = Figures(
        metrics_rows(
            [
                (Q1.id, "all", "median_hours_assignment_to_completion", NAN, NAN, 53, False),
                (
                    Q1.id,
                    "looked_after_in_area",
                    "median_hours_assignment_to_completion",
                    NAN,
                    NAN,
                    37,
                    False,
                ),
                (
                    Q1.id,
                    "looked_after_out_of_area",
                    "median_hours_assignment_to_completion",
                    NAN,
                    NAN,
                    6,
                    False,
                ),
            ]
        ),
        _registry(small_results()),
    )
    cohorts = ["all", "looked_after_in_area", "looked_after_out_of_area"]
    # 53 hours is over 48, so the row is in days: 53/24 = 2.21 -> 2.2; 37/24 = 1.54 -> 1.5;
    # 6/24 = 0.25 -> 0.3 (half away from zero)
    assert _hours_row(fig, Q1, cohorts, "median_hours_assignment_to_completion") == [
        "2.2 days",
        "1.5 days",
        "0.3 days",
    ]
    # without the 53, every figure is 48 hours or less: hours throughout
    assert _hours_row(fig, Q1, cohorts[1:], "median_hours_assignment_to_completion") == [
        "37 hours",
        "6 hours",
    ]
