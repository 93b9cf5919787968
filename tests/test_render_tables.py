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
    # Whole hours throughout, however long, as the chart of the steps reads them: 53 hours
    # stays "53 hours" (not "2.2 days") beside 37 and 6.
    assert _hours_row(fig, Q1, cohorts, "median_hours_assignment_to_completion") == [
        "53 hours",
        "37 hours",
        "6 hours",
    ]
