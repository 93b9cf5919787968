"""XmR limits and the Making Data Count rules, on hand-made series with known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pipeline.analysis.spc import (
    limits,
    moving_ranges,
    points_outside_limits,
    runs_on_one_side,
    trends,
    two_of_three_beyond_two_sigma,
    xmr,
)

T, F = True, False

# A series used several times: six points below the mean, then seven above it.
# mean = (2+3+2+3+2+3 + 4+5+4+5+4+5+4) / 13 = (15 + 31) / 13 = 46/13 = 3.538
# moving ranges: every step is 1 (3-2, 4-3, 5-4 ...), so mean mR = 1
# limits = 46/13 +/- 2.66 -> 0.878 .. 6.198; 2 sigma = 46/13 +/- 1.773 -> 1.765 .. 5.312
SHIFT = [2, 3, 2, 3, 2, 3, 4, 5, 4, 5, 4, 5, 4]


def test_moving_ranges_and_limits_by_hand() -> None:
    # [1, 3, 2, 4]: mR = 2, 1, 2 -> mean 5/3; mean = 10/4 = 2.5
    # limits = 2.5 -/+ 2.66 * 5/3 = 2.5 -/+ 4.4333
    assert moving_ranges([1, 3, 2, 4]).tolist() == [2, 1, 2]
    mean, lower, upper, mr = limits([1, 3, 2, 4])
    assert mean == 2.5
    assert mr == pytest.approx(5 / 3)
    assert lower == pytest.approx(2.5 - 4.433333, abs=1e-6)
    assert upper == pytest.approx(2.5 + 4.433333, abs=1e-6)


def test_large_moving_ranges_are_screened_out() -> None:
    # The NHSRplotthedots vignette series: 9 ones, 8 twos and a 10.
    # mean = (9 + 16 + 10) / 18 = 35/18 = 1.9444
    # mR: fifteen 1s, 8 (2 -> 10) and 9 (10 -> 1): mean 32/17 = 1.882; the upper range
    # limit 3.267 x 1.882 = 6.15 screens out 8 and 9, leaving mean mR 15/15 = 1.
    # limits = 1.9444 -/+ 2.66 = -0.7156 .. 4.6044 (the vignette's lower limit is -0.72)
    data = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    mean, lower, upper, mr = limits(data)
    assert mean == pytest.approx(35 / 18)
    assert mr == 1
    assert lower == pytest.approx(35 / 18 - 2.66)
    assert upper == pytest.approx(35 / 18 + 2.66)
    # unscreened, the limits are 1.9444 +/- 2.66 x 32/17 = 1.9444 +/- 5.007
    assert limits(data, screen_outliers=False)[2] == pytest.approx(35 / 18 + 2.66 * 32 / 17)
    result = xmr(data)
    assert result.outside.tolist() == [F] * 4 + [T] + [F] * 13


def test_limits_of_one_point_are_blank() -> None:
    mean, lower, upper, _ = limits([4.0])
    assert mean == 4.0 and math.isnan(lower) and math.isnan(upper)


def test_outside_limits_strictly() -> None:
    # limits 2 .. 5: 1 is below, 5 is on the limit (inside), 9 above
    mask = points_outside_limits([1, 5, 9, 3], [2] * 4, [5] * 4)
    assert mask.tolist() == [T, F, T, F]


def test_run_of_seven_above_the_mean() -> None:
    # mean 0; points 1..7 are above it: a run of 7, bracketed by points below
    values = [-1, 1, 1, 1, 1, 1, 1, 1, -1]
    assert runs_on_one_side(values, [0] * 9).tolist() == [F, T, T, T, T, T, T, T, F]


def test_point_exactly_on_the_mean_breaks_a_run() -> None:
    # 3 above, one on the mean, 4 above: no run of 7
    values = [1, 1, 1, 0, 1, 1, 1, 1]
    assert not runs_on_one_side(values, [0] * 8).any()


def test_run_length_is_configurable() -> None:
    # six below the mean: a run when the length is 6, not when it is 7
    values = [-2, -1, -3, -1, -2, -1]
    assert runs_on_one_side(values, [0] * 6, length=6).all()
    assert not runs_on_one_side(values, [0] * 6, length=7).any()


def test_run_longer_than_seven_flags_every_point() -> None:
    values = [-1] * 9
    assert runs_on_one_side(values, [0] * 9).all()


def test_trend_of_seven_rising_and_falling() -> None:
    assert trends([1, 2, 3, 4, 5, 6, 7]).all()
    # seven falling then a rise: the rise is not part of the trend
    assert trends([7, 6, 5, 4, 3, 2, 1, 5]).tolist() == [T] * 7 + [F]
    # only six rising: not a trend of 7, but a trend of 6
    assert not trends([1, 2, 3, 4, 5, 6]).any()
    assert trends([1, 2, 3, 4, 5, 6], length=6).all()


def test_a_tie_breaks_a_trend() -> None:
    # 1 2 3 3 4 5 6 7: the tie 3,3 splits it into 3 rising and 5 rising points
    assert not trends([1, 2, 3, 3, 4, 5, 6, 7]).any()


def test_two_of_three_beyond_two_sigma() -> None:
    # mean 0, limits -3 .. 3, so 2 sigma is -2 .. 2
    mean, lo, hi = [0] * 5, [-3] * 5, [3] * 5
    # points 1 and 3 are beyond 2 sigma and within three consecutive points
    assert two_of_three_beyond_two_sigma([0, 2.5, 0, 2.5, 0], mean, lo, hi).tolist() == [
        F,
        T,
        F,
        T,
        F,
    ]
    # two beyond 2 sigma but four points apart: no signal
    assert not two_of_three_beyond_two_sigma([2.5, 0, 0, 2.5, 0], mean, lo, hi).any()
    # one each side of the mean: no signal
    assert not two_of_three_beyond_two_sigma([2.5, -2.5, 0, 0, 0], mean, lo, hi).any()
    # exactly on 2 sigma is not beyond it
    assert not two_of_three_beyond_two_sigma([2, 2, 0, 0, 0], mean, lo, hi).any()


def test_point_beyond_the_limits_counts_inside_a_two_of_three_window() -> None:
    # 3.5 is beyond the upper limit (3) and so beyond 2 sigma: with 2.5 it makes 2 of 3
    mean, lo, hi = [0] * 3, [-3] * 3, [3] * 3
    assert two_of_three_beyond_two_sigma([2.5, 0, 3.5], mean, lo, hi).tolist() == [T, F, T]


def test_xmr_finds_the_shift() -> None:
    result = xmr(SHIFT, improvement="up")
    assert result.mean[0] == pytest.approx(46 / 13)
    assert result.upper[0] == pytest.approx(46 / 13 + 2.66)
    assert result.lower[-1] == pytest.approx(46 / 13 - 2.66)
    # the last seven points (4, 5, 4, 5, 4, 5, 4) are all above 3.538: a run
    assert result.run.tolist() == [F] * 6 + [T] * 7
    # nothing is outside 0.878 .. 6.198 and nothing beyond 1.765 .. 5.312; no trend
    assert not result.outside.any() and not result.two_of_three.any() and not result.trend.any()
    assert result.variation == "improvement"
    assert result.point_type[-1] == "improvement" and result.point_type[0] == "common_cause"
    assert not result.trial_limits  # 13 points
    assert result.rules_at(12) == ("run",)


def test_xmr_run_length_six_also_flags_the_six_below() -> None:
    # the first six points (2, 3, 2, 3, 2, 3) are all below 3.538
    result = xmr(SHIFT, run_length=6, improvement="up")
    assert result.run.all()
    assert result.point_type[0] == "concern"


def test_variation_follows_the_improvement_direction() -> None:
    assert xmr(SHIFT, improvement="down").variation == "concern"
    assert xmr(SHIFT).variation == "neither"
    assert "concern" in xmr(SHIFT, improvement="down").text["variation"]


def test_common_cause_when_no_rule_fires() -> None:
    result = xmr([2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3], improvement="up")
    assert not result.special.any()
    assert result.variation == "common_cause"
    assert "no significant change" in result.text["variation"]


def test_assurance_from_the_latest_limits() -> None:
    # limits 0.878 .. 6.198
    assert xmr(SHIFT, improvement="up", target=3).assurance == "hit_and_miss"
    assert xmr(SHIFT, improvement="up", target=0.5).assurance == "consistently_meets"
    assert xmr(SHIFT, improvement="up", target=7).assurance == "consistently_fails"
    assert xmr(SHIFT, improvement="down", target=7).assurance == "consistently_meets"
    assert xmr(SHIFT, improvement="down", target=0.5).assurance == "consistently_fails"
    assert xmr(SHIFT, improvement=None, target=3).assurance is None
    assert xmr(SHIFT, improvement="up").assurance is None
    assert "missed consistently" in xmr(SHIFT, improvement="up", target=7).text["assurance"]


def test_fewer_than_twelve_points_are_trial_limits() -> None:
    eleven = xmr(SHIFT[:11])
    assert eleven.trial_limits
    assert "trial limits" in eleven.text["limits"]
    assert not xmr(SHIFT[:12]).trial_limits
    assert xmr(SHIFT[:12]).text["limits"] == ""


def test_rebasing_recalculates_limits_per_segment() -> None:
    # segment 1: 2,3,2,3,2,3 -> mean 2.5, mR 1; segment 2: 4,5,4,5,4,5,4 -> mean 31/7, mR 1
    result = xmr(SHIFT, rebase_at=[6], improvement="up")
    assert result.mean[:6].tolist() == [2.5] * 6
    assert result.mean[6:] == pytest.approx([31 / 7] * 7)
    assert result.upper[0] == pytest.approx(2.5 + 2.66)
    assert result.upper[6] == pytest.approx(31 / 7 + 2.66)
    # within each segment the points alternate about the mean: no signal
    assert not result.special.any()
    assert result.variation == "common_cause"
    assert result.segments == (0, 6)
    # both segments have fewer than 12 points
    assert result.trial_limits


def test_blank_points_are_skipped() -> None:
    # the same shift with a blank month in the middle gives the same answers, shifted
    values = [*SHIFT[:6], np.nan, *SHIFT[6:]]
    result = xmr(values, improvement="up")
    assert result.mean[0] == pytest.approx(46 / 13)
    assert not math.isnan(result.mean[6])  # the limits carry across the blank month
    assert result.run.tolist() == [F] * 7 + [T] * 7
    assert result.point_type[6] == "common_cause"
    assert result.latest == 13


def test_blank_latest_point_uses_the_latest_with_a_value() -> None:
    result = xmr([*SHIFT, np.nan], improvement="up")
    assert result.latest == 12
    assert result.variation == "improvement"


def test_empty_series() -> None:
    result = xmr([])
    assert result.variation is None and result.latest is None
    assert "No data" in result.text["variation"]


def test_rising_trend_with_down_better_is_concern_even_below_the_mean() -> None:
    # 1..7: mean 4, mR 1, limits 1.34 .. 6.66: 1 and 7 are outside, all seven are a trend.
    # Point 1 is low (good when lower is better) but part of a rising trend (bad): concern.
    result = xmr([1, 2, 3, 4, 5, 6, 7], improvement="down")
    assert result.trend.all()
    assert result.outside.tolist() == [T, F, F, F, F, F, T]
    assert set(result.point_type) == {"concern"}
    assert result.rules_at(6) == ("outside", "two_of_three", "trend")


def test_series_shorter_than_a_run_or_trend() -> None:
    # A council with one quarter of data: 3 months, fewer than the 7 a run or trend needs.
    # Mean (10 + 12 + 30) / 3 = 17.33; moving ranges 2 and 18, mean 10 (neither is 3.267 x 10
    # or more, so none is screened out); upper limit 17.33 + 2.66 x 10 = 43.93, lower -9.27.
    result = xmr([10, 12, 30])
    assert result.trial_limits
    assert not any(result.special)
    assert result.upper[-1] == pytest.approx(17.333333 + 26.6, abs=1e-4)
    assert result.lower[-1] == pytest.approx(17.333333 - 26.6, abs=1e-4)
