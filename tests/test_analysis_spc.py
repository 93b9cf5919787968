"""XmR limits and the Making Data Count rules, on hand-made series with known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pipeline.analysis.spc import (
    PROPORTION,
    assurance_type,
    limits,
    moving_ranges,
    points_outside_limits,
    runs_on_one_side,
    trend_directions,
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
    # points 1 and 3 are beyond 2 sigma, within three points all above the mean (0.5)
    assert two_of_three_beyond_two_sigma([0.5, 2.5, 0.5, 2.5, 0.5], mean, lo, hi).tolist() == [
        F,
        T,
        F,
        T,
        F,
    ]
    # two beyond 2 sigma but four points apart: no signal
    assert not two_of_three_beyond_two_sigma([2.5, 1, 1, 2.5, 1], mean, lo, hi).any()
    # one each side of the mean: no signal
    assert not two_of_three_beyond_two_sigma([2.5, -2.5, 1, 1, 1], mean, lo, hi).any()
    # exactly on 2 sigma is not beyond it
    assert not two_of_three_beyond_two_sigma([2, 2, 1, 1, 1], mean, lo, hi).any()


def test_two_of_three_needs_all_three_on_the_same_side() -> None:
    # The example: 2.5 and 2.5 are beyond 2 sigma above, but the point between them
    # (-1) is below the mean, so no window of three is all on one side (MDC; NHSRplotthedots
    # issue 194). A point exactly on the mean (0) is on neither side and breaks it too.
    mean, lo, hi = [0] * 3, [-3] * 3, [3] * 3
    assert not two_of_three_beyond_two_sigma([2.5, -1, 2.5], mean, lo, hi).any()
    assert not two_of_three_beyond_two_sigma([2.5, 0, 2.5], mean, lo, hi).any()
    # two points beyond 2 sigma are not a window of three: no signal
    assert not two_of_three_beyond_two_sigma([2.5, 2.5], mean[:2], lo[:2], hi[:2]).any()


def test_two_of_three_on_an_empty_series() -> None:
    assert two_of_three_beyond_two_sigma([], [], [], []).tolist() == []


def test_point_beyond_the_limits_counts_inside_a_two_of_three_window() -> None:
    # 3.5 is beyond the upper limit (3) and so beyond 2 sigma: with 2.5 it makes 2 of 3
    # (MDC's rule since November 2023; NHSRplotthedots counts only 2.5, see docs/spc.md)
    mean, lo, hi = [0] * 3, [-3] * 3, [3] * 3
    assert two_of_three_beyond_two_sigma([2.5, 0.5, 3.5], mean, lo, hi).tolist() == [T, F, T]


# NHSRplotthedots' own cases, re-expressed. Its helpers work on indicator vectors: `v`
# marks points close to a limit (between 2 and 3 sigma), `rtm` each point's side of the
# mean. Here a close point is 2.5 and any other point 0.5 (times its side), around mean 0
# with limits +-3 (2 sigma +-2), and we compare the points flagged ("part of" 2 in 3).
def _close_series(v: list[int], rtm: list[int]) -> list[float]:
    return [(2.5 if close else 0.5) * side for close, side in zip(v, rtm, strict=True)]


@pytest.mark.parametrize(
    ("v", "rtm", "flagged"),
    [
        ([1, 0, 1], [1, 1, 1], [1, 0, 1]),
        ([0, 1, 1], [1, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [1, 1, 1], [1, 1, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 0, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 0, 1, 1, 0, 0, 0]),
        ([1, 0, 0, 1], [1] * 4, [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [1] * 5, [0, 0, 0, 1, 1]),
        # "...when points are on opposite sides of the mean"
        ([1, 0, 1], [1, -1, 1], [0, 0, 0]),
        ([0, 1, 1], [1, -1, 1], [0, 0, 0]),
        ([1, 1, 0], [1, -1, 1], [0, 0, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1], [0] * 7),
        ([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1], [0] * 7),
    ],
)
def test_nhsrplotthedots_part_of_two_in_three(
    v: list[int], rtm: list[int], flagged: list[int]
) -> None:
    # test-ptd_calculate_point_type.R: "ptd_part_of_two_in_three works as expected" and
    # "ptd_two_in_three works as expected when points are on opposite sides of the mean"
    n = len(v)
    got = two_of_three_beyond_two_sigma(_close_series(v, rtm), [0] * n, [-3] * n, [3] * n)
    assert got.tolist() == [bool(f) for f in flagged]


def test_nhsrplotthedots_two_in_three_opposite_sides_in_a_chart() -> None:
    # test-ptd_spc_standard.R: "it only reports special cause for 2of3 points close to
    # limits when they are on the same side of the mean". 1, -1 alternating for 16 points,
    # then point 15 = 5.5 and point 16 = -5.5. Mean 0. Moving ranges: 13 of 2, then 6.5 and
    # 11; mean 43.5 / 15 = 2.9; 11 >= 3.267 x 2.9 = 9.47 is screened out, leaving
    # 32.5 / 14 = 2.321; limits +-6.175, 2 sigma +-4.117: both 5.5s are close to a limit,
    # on opposite sides, so both are common cause.
    data = [1.0, -1.0] * 8
    data[14], data[15] = 5.5, -5.5
    result = xmr(data, improvement="up")
    assert result.upper[0] == pytest.approx(2.66 * 32.5 / 14)
    assert result.point_type[-2:] == ("common_cause", "common_cause")


@pytest.mark.parametrize(
    ("signs", "flagged"),
    [
        ([1] * 6, [F] * 6),
        ([1] * 6 + [-1], [F] * 7),
        ([1] * 8 + [-1], [T] * 8 + [F]),
        ([-1] * 8 + [1], [T] * 8 + [F]),
    ],
)
def test_nhsrplotthedots_seven_points_one_side(signs: list[int], flagged: list[bool]) -> None:
    # test-ptd_calculate_point_type.R: "ptd_seven_point_one_side_mean works as expected",
    # through ptd_part_of_seven_trend (every point of the run is flagged)
    assert runs_on_one_side(signs, [0] * len(signs)).tolist() == flagged


@pytest.mark.parametrize(
    ("values", "flagged"),
    [
        ([1, 2, 3, 4, 5, 6], [F] * 6),
        ([1, 2, 3, 3, 4, 5, 6], [F] * 7),
        ([1, 2, 3, 4, 5, 6, 7], [T] * 7),
        ([2, 1, 2, 3, 4, 5, 6, 7, 3], [F] + [T] * 7 + [F]),
        ([7, 6, 5, 4, 3, 2, 1], [T] * 7),
        ([2, 7, 6, 5, 4, 3, 2, 1, 3], [F] + [T] * 7 + [F]),
    ],
)
def test_nhsrplotthedots_seven_point_trend(values: list[float], flagged: list[bool]) -> None:
    # test-ptd_calculate_point_type.R: "ptd_seven_point_trend works as expected", through
    # ptd_part_of_seven_trend
    assert trends(values).tolist() == flagged


def test_nhsrplotthedots_decreasing_trend_is_flagged_like_an_increasing_one() -> None:
    # NHSRplotthedots issue 167: 0..7 and 0..-7 are both trends of 8 points
    assert trends(list(range(8))).all()
    assert trends([-i for i in range(8)]).all()


# set.seed(123); rnorm(20) in R, the series of NHSRplotthedots' test-ptd_spc_standard.R
RNORM = [
    -0.56047565,
    -0.23017749,
    1.55870831,
    0.07050839,
    0.12928774,
    1.71506499,
    0.46091621,
    -1.26506123,
    -0.68685285,
    -0.44566197,
    1.22408180,
    0.35981383,
    0.40077145,
    0.11068272,
    -0.55584113,
    1.78691314,
    0.49785048,
    -1.96661716,
    0.70135590,
    -0.47279141,
]


def test_nhsrplotthedots_spc_standard_snapshot() -> None:
    # tests/testthat/_snaps/ptd_spc_standard.md, "it returns expected values": the means
    # and limits NHSRplotthedots gives (to the 7 significant figures of the snapshot).
    # r1: the series as it is. Its sum is 2.832476, so the mean is 0.1416238.
    mean, lower, upper, _ = limits(RNORM)
    assert (mean, lower, upper) == pytest.approx((0.1416238, -3.01138, 3.294627), abs=1e-6)
    # r2: point 15 set to 10 (sum 2.832476 + 10 + 0.555841 = 13.388317, mean 0.6694159);
    # the two moving ranges touching it are screened out.
    spiked = [*RNORM[:14], 10.0, *RNORM[15:]]
    mean, lower, upper, _ = limits(spiked)
    assert (mean, lower, upper) == pytest.approx((0.6694159, -2.383666, 3.722497), abs=1e-6)
    # r3: the same without screening: wider limits
    _, lower, upper, _ = limits(spiked, screen_outliers=False)
    assert (lower, upper) == pytest.approx((-4.596625, 5.935457), abs=1e-6)
    # every point of r1 is common cause (the summary snapshot: 20 common cause of 20)
    assert not xmr(RNORM).special.any()


def test_nhsrplotthedots_rebase_groups_snapshot() -> None:
    # tests/testthat/_snaps/ptd_spc.md, summary by facet: the first and last ten points
    # have means 0.0746 and 0.209, limits -2.60 .. 2.75 and -3.28 .. 3.70. Rebasing at the
    # eleventh point gives the same two groups (test-ptd_spc_standard.R, "it sets the
    # rebase_group field": rebase at row 11 makes groups of 10 and 10).
    result = xmr(RNORM, rebase_at=[10])
    assert result.segments == (0, 10)
    assert result.mean[0] == pytest.approx(0.0746, abs=5e-5)
    assert (result.lower[0], result.upper[0]) == pytest.approx((-2.60, 2.75), abs=5e-3)
    assert result.mean[10] == pytest.approx(0.209, abs=5e-4)
    assert (result.lower[10], result.upper[10]) == pytest.approx((-3.28, 3.70), abs=5e-3)


def test_nhsrplotthedots_fix_after_n_points_changes_the_limits() -> None:
    # test-ptd_spc_standard.R: "setting fix_after_n_points changes the calculations"
    whole = xmr(RNORM)
    fixed = xmr(RNORM, fix_after_n_points=12)
    assert fixed.lower[0] != whole.lower[0] and fixed.upper[0] != whole.upper[0]
    # the mean is that of the first 12 points only: their sum is 2.33015208, / 12
    assert fixed.mean[-1] == pytest.approx(2.33015208 / 12)


def test_fix_after_n_points_by_hand() -> None:
    # Twelve points 2, 3, 2, 3 ...: mean 2.5, every moving range 1, limits -0.16 .. 5.16;
    # then 6, 6, above that fixed upper limit. Without a baseline all 14 points make the
    # limits: mean 42/14 = 3; moving ranges eleven 1s, 3 and 0, mean 14/13 (3 is below
    # 3.267 x 14/13 = 3.52, so nothing is screened); upper 3 + 2.66 x 14/13 = 5.865.
    series = [2, 3] * 6 + [6, 6]
    fixed = xmr(series, fix_after_n_points=12)
    assert fixed.mean.tolist() == [2.5] * 14
    assert fixed.upper[-1] == pytest.approx(2.5 + 2.66)
    assert fixed.lower[0] == pytest.approx(2.5 - 2.66)
    assert fixed.outside.tolist() == [F] * 12 + [T, T]
    assert not fixed.trial_limits  # the baseline has 12 points
    whole = xmr(series)
    assert whole.mean[0] == pytest.approx(3.0)
    assert whole.upper[0] == pytest.approx(3 + 2.66 * 14 / 13)
    # a baseline longer than the series uses every point
    assert xmr(series, fix_after_n_points=20).mean[0] == pytest.approx(3.0)


def test_fix_after_n_points_applies_per_rebased_segment() -> None:
    # two segments of 14: each takes its limits from its own first 12 points
    first = [2, 3] * 7
    second = [10, 11] * 7
    result = xmr(first + second, rebase_at=[14], fix_after_n_points=12)
    assert result.mean[0] == pytest.approx(2.5) and result.mean[14] == pytest.approx(10.5)
    assert not result.special.any()


def test_proportion_limits_stay_within_0_and_1() -> None:
    # 0.9, 0.1 alternating: mean 0.5, every moving range 0.8, so the limits would be
    # 0.5 -/+ 2.66 x 0.8 = -1.628 .. 2.628. A proportion's limits are clipped to 0 .. 1.
    series = [0.9, 0.1] * 7
    result = xmr(series, improvement="up", bounds=PROPORTION)
    assert result.lower.tolist() == [0.0] * 14
    assert result.upper.tolist() == [1.0] * 14
    unclipped = xmr(series, improvement="up")
    assert unclipped.upper[0] == pytest.approx(0.5 + 2.66 * 0.8)
    # the signals are the same either way
    assert result.special.tolist() == unclipped.special.tolist()


def test_clipping_keeps_the_two_sigma_band_of_the_unclipped_limits() -> None:
    # 0.6, 0.8 six times, then 0.93, 0.82, 0.93. Sum 8.4 + 2.68 = 11.08, mean 0.73867.
    # Moving ranges: eleven of 0.2, then 0.13, 0.11, 0.11: 2.55 / 14 = 0.182143 (none is
    # 3.267 x that = 0.595 or more). Upper limit 0.73867 + 2.66 x 0.182143 = 1.2232, shown
    # as 1.0. 2 sigma is 0.73867 + 1.7733 x 0.182143 = 1.0617, so 0.93 is not beyond it and
    # there is no 2-of-3 signal. (Two thirds of the way to the clipped limit would be
    # 0.9129, and would wrongly flag both 0.93s.)
    series = [0.6, 0.8] * 6 + [0.93, 0.82, 0.93]
    result = xmr(series, improvement="up", bounds=PROPORTION)
    assert result.upper[0] == 1.0
    assert result.mean[0] == pytest.approx(11.08 / 15)
    assert not result.two_of_three.any()
    assert not result.special.any()


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
    # no better direction: MDC's neutral icon, saying which way the point is unusual
    assert xmr(SHIFT).variation == "neutral_high"
    assert xmr([-v for v in SHIFT]).variation == "neutral_low"
    assert "unusually high" in xmr(SHIFT).text["variation"]
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


def test_improvement_wins_when_rules_disagree_at_a_point() -> None:
    # 1..7: mean 4, mR 1, limits 1.34 .. 6.66: 1 and 7 are outside, all seven are a trend.
    # With lower better, point 1 is below the lower limit (improvement) and part of a rising
    # trend (concern). MDC's tool shows improvement when both fire (NHSRplotthedots issue
    # 194). 2 sigma is 4 -/+ 1.773: 2.227 .. 5.773, so 2 is also low in a window (1, 2, 3)
    # all below the mean: two of three, improvement too. 3, 4 and 5 are only the rising
    # trend (concern); 6 and 7 are high as well (concern either way).
    result = xmr([1, 2, 3, 4, 5, 6, 7], improvement="down")
    assert result.trend.all()
    assert result.outside.tolist() == [T, F, F, F, F, F, T]
    assert result.two_of_three.tolist() == [T, T, F, F, F, T, T]
    assert result.point_type == ("improvement",) * 2 + ("concern",) * 5
    assert result.reason[:4] == ("outside", "two_of_three", "trend", "trend")
    # strongest first, in NHSRplotthedots' order
    assert result.rules_at(6) == ("outside", "trend", "two_of_three")


def test_rising_trend_below_the_mean_is_improvement_when_higher_is_better() -> None:
    # NHSRplotthedots issue 171 (fixed in 0.2.2): a trend is coloured by the way it moves.
    # Seven low points 0 then a rise 1..7 and seven high points 8: the rise is a trend
    # (8 points: 0, 1 .. 7); its points below the mean are improvement, not concern.
    series = [0] * 7 + [1, 2, 3, 4, 5, 6, 7] + [8] * 7
    result = xmr(series, improvement="up")
    # mean (0 + 28 + 56) / 21 = 4: 1, 2, 3 are below it
    assert result.mean[0] == pytest.approx(4.0)
    assert result.trend[6:14].all()
    assert result.point_type[7:10] == ("improvement",) * 3


def test_a_turning_point_takes_the_direction_of_the_trend_it_starts() -> None:
    # 7 6 5 4 3 2 1 falls for seven points; 1 2 3 4 5 6 7 rises for seven. The 1 in the
    # middle ends the fall and starts the rise: like NHSRplotthedots ("if a point is part of
    # a trend either side, use right side") it is rising.
    series = [7, 6, 5, 4, 3, 2, 1, 2, 3, 4, 5, 6, 7]
    assert trend_directions(series).tolist() == [-1] * 6 + [1] * 7
    result = xmr(series, improvement="down")
    # the 1 is below the lower limit (mean 55/13 = 4.23, mR 1: 1.57), so its colour comes
    # from that; the trend signals still split at it
    assert result.reason[6] == "outside"
    signal = result.signal_at(5)
    assert signal is not None and signal.rule == "trend" and not signal.high
    assert (signal.start, signal.end, signal.points) == (0, 6, 7)
    rising = result.signal_at(10)  # 5: only the rising trend flags it
    assert rising is not None and rising.rule == "trend" and rising.high
    assert (rising.start, rising.end, rising.points) == (6, 12, 7)
    falling = result.signal_at(3)
    assert falling is not None and not falling.high
    assert (falling.start, falling.end, falling.points) == (0, 6, 7)


def test_signal_spans_a_whole_run() -> None:
    # SHIFT: the last seven points are a run above the mean, from index 6 to 12
    result = xmr(SHIFT, improvement="up")
    signal = result.latest_signal()
    assert signal is not None
    assert (signal.rule, signal.start, signal.end, signal.points) == ("run", 6, 12, 7)
    assert signal.high and signal.kind == "improvement"
    assert result.latest_signal(within=range(0, 6)) is None


def test_assurance_type_nhsrplotthedots_cases() -> None:
    # test-ptd_calculate_assurance_type.R: limits 1..3, 5..7 and 1..5 with target 4
    up = [assurance_type(4, lo, hi, "up") for lo, hi in ((1, 3), (5, 7), (1, 5))]
    assert up == ["consistently_fails", "consistently_meets", "hit_and_miss"]
    down = [assurance_type(4, lo, hi, "down") for lo, hi in ((1, 3), (5, 7), (1, 5))]
    assert down == ["consistently_meets", "consistently_fails", "hit_and_miss"]
    # neutral, or no target: no assurance
    assert assurance_type(4, 1, 3, None) is None
    assert assurance_type(None, 1, 3, "up") is None


def test_empty_series_is_safe_for_every_rule() -> None:
    empty: list[float] = []
    assert points_outside_limits(empty, empty, empty).tolist() == []
    assert runs_on_one_side(empty, empty).tolist() == []
    assert trends(empty).tolist() == []
    assert trend_directions(empty).tolist() == []
    result = xmr(empty, improvement="up", target=0.9, bounds=PROPORTION)
    assert result.latest_signal() is None and result.assurance is None


def test_series_shorter_than_a_run_or_trend() -> None:
    # A council with one quarter of data: 3 months, fewer than the 7 a run or trend needs.
    # Mean (10 + 12 + 30) / 3 = 17.33; moving ranges 2 and 18, mean 10 (neither is 3.267 x 10
    # or more, so none is screened out); upper limit 17.33 + 2.66 x 10 = 43.93, lower -9.27.
    result = xmr([10, 12, 30])
    assert result.trial_limits
    assert not any(result.special)
    assert result.upper[-1] == pytest.approx(17.333333 + 26.6, abs=1e-4)
    assert result.lower[-1] == pytest.approx(17.333333 - 26.6, abs=1e-4)
