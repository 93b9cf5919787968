"""Looking figures up: a rate on few cases shows its base and is never the headline."""

from __future__ import annotations

from render_fixtures import small_results


def test_small_base_rate_shows_its_base_and_is_never_the_headline() -> None:
    from render_fixtures import Q1, metrics_rows

    from pipeline.render.charts import Series
    from pipeline.render.figures import Figures, _registry
    from pipeline.render.titles import _lowest

    results = small_results("internal")
    fig = Figures(
        metrics_rows(
            [
                (Q1.id, "looked_after_out_of_area", "rhi_timely_rate", 0, 3, 0.0, False),
                (Q1.id, "all", "rhi_timely_rate", 21, 40, 21 / 40, False),
            ]
        ),
        _registry(results),
    )
    # 0 of 3 is below 5 cases: shown with its base; 21 of 40 (53%) is not
    assert fig.rate_text(Q1, "looked_after_out_of_area", "rhi_timely_rate", 5) == "0% (of 3)"
    assert fig.rate_text(Q1, "all", "rhi_timely_rate", 5) == "53%"
    # the lowest of 53% and 0% is 0%, but 0% rests on 3 interviews: the headline is 53%
    rate = Series("x", [0.525, 0.0], ["53%", "0% (of 3)"], [False, False])
    assert _lowest(rate) == 1
    assert _lowest(rate, [False, True]) == 0
