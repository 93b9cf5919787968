"""Key messages written from hand-built metric tables: the sentences, word for word."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from pipeline.analysis.narrative import (
    DEFAULT_TEMPLATES,
    board_asks,
    key_messages,
    load_templates,
)
from pipeline.analysis.spc import xmr
from pipeline.analysis.targets import rag
from pipeline.analysis.trends import kpi_history
from pipeline.config import Config
from pipeline.errors import UsageError
from pipeline.periods import Quarter

Q = Quarter.parse("2026-27-Q1")
PREV = Q.previous()
YEAR = Q.minus(4)
N = math.nan
OOC = "looked_after_out_of_area"

# The Dorset quarter of the source article: 189 episodes, 105 children; 108 offers, 65
# declined (65/108 = 60.2% -> 60%). The rest is made up but consistent:
# 180 returned (due), 30 completed (30/180 = 16.7% -> 17%), 12 of 28 timely (42.9% -> 43%),
# 10 of those 28 face to face within the timescale (35.7% -> 36%): the council's target.
BASE: dict[tuple[str, str], tuple[float, float, float]] = {
    ("episodes", "all"): (N, N, 189),
    ("children", "all"): (N, N, 105),
    ("children_repeat", "all"): (N, N, 12),
    ("rhi_due", "all"): (N, N, 180),
    ("rhi_offered", "all"): (N, N, 108),
    ("rhi_declined", "all"): (N, N, 65),
    ("rhi_completed", "all"): (N, N, 30),
    ("rhi_offered_rate", "all"): (108, 180, 0.6),
    ("rhi_decline_rate", "all"): (65, 108, 65 / 108),
    ("rhi_completed_rate", "all"): (30, 180, 30 / 180),
    ("rhi_timely_rate", "all"): (12, 28, 12 / 28),
    ("rhi_target_met_rate", "all"): (10, 28, 10 / 28),
    ("rhi_due", OOC): (N, N, 20),
    ("rhi_offered", OOC): (N, N, 9),
    ("rhi_completed", OOC): (N, N, 6),
    ("rhi_offered_rate", OOC): (9, 20, 0.45),
    ("rhi_independent_rate", OOC): (1, 6, 1 / 6),
}


def table(
    changes: dict[tuple[str, str], tuple[float, float, float]] | None = None,
    previous: dict[tuple[str, str], tuple[float, float, float]] | None = None,
    suppressed: set[tuple[str, str]] = frozenset(),  # type: ignore[assignment]
    year: dict[tuple[str, str], tuple[float, float, float]] | None = None,
) -> pd.DataFrame:
    rows = []
    for quarter, figures in (
        (Q, {**BASE, **(changes or {})}),
        (PREV, previous or {}),
        (YEAR, year or {}),
    ):
        for (metric, cohort), (num, den, value) in figures.items():
            rows.append(
                {
                    "quarter": quarter.id,
                    "cohort": cohort,
                    "metric": metric,
                    "numerator": num,
                    "denominator": den,
                    "value": value,
                    "suppressed": quarter == Q and (metric, cohort) in suppressed,
                }
            )
    return pd.DataFrame(rows)


def ratings_for(metrics: pd.DataFrame, config: Config) -> dict:
    return {
        metric: rag(
            metrics.query("quarter == @Q.id and cohort == 'all' and metric == @metric")[
                "value"
            ].iloc[0],
            target,
            "up",
        )
        for metric, target in config.targets.items()
    }


def messages(metrics: pd.DataFrame, *, config: Config | None = None, spc=None) -> list[str]:
    config = config or Config()
    history = kpi_history(
        metrics.drop(columns="suppressed"), [YEAR, YEAR.next(), YEAR.next().next(), PREV, Q]
    )
    return key_messages(
        metrics,
        Q,
        history=history,
        rag=ratings_for(metrics, config),
        spc=spc or {},
        config=config,
    )


def _volume(got: list[str]) -> str:
    """The sentence about the number of episodes (it follows the targets' sentences)."""
    return next(text for text in got if text.startswith("Between"))


def test_the_article_quarter_reads_as_a_director_would_write_it() -> None:
    # The default headline target is the interview face to face within 72 hours (10/28 =
    # 36%); the rate in any mode (12/28 = 43%) follows it as context. Most important first.
    config = Config(targets={"rhi_target_met_rate": 0.9, "rhi_offered_rate": 1.0})
    got = messages(table(), config=config)
    assert got == [
        "10 of the 28 interviews that count towards the timescale (36%) were held face to "
        "face within 72 hours of the child's return, well short of the council's target of "
        "90%. Counting interviews in any mode, including by telephone, 43% were held within "
        "72 hours.",
        # 108/180 = 60%; 0.4 short of a 100% target (amber within 0.1): well short
        "A return home interview was offered after 108 of the 180 episodes in which the "
        "child came back (60%), well short of the target of 100%.",
        "Between April and June 2026 the council recorded 189 missing and away episodes "
        "involving 105 children.",
        "Interviews were completed after 17% of returns (30 of 180).",
        "65 of the 108 return home interviews offered (60%) were declined by the child or "
        "their family.",
        "For children placed out of county, an interview was offered after 9 of 20 returns (45%).",
        "1 of the 6 completed interviews with children placed out of county (17%) was "
        "carried out by an independent worker.",
    ]


def test_headline_target_metric_is_configurable() -> None:
    # With the rate in any mode as the headline, its sentence leads and no "any mode"
    # context follows; with an offer rate as the headline, a sentence names it first.
    timely = messages(
        table(),
        config=Config(headline_target_metric="rhi_timely_rate", targets={"rhi_timely_rate": 0.9}),
    )
    assert timely[0] == (
        "12 of the 28 interviews that count towards the timescale (43%) were held within 72 "
        "hours of the child's return, well short of the council's target of 90%."
    )
    offered = messages(
        table(),
        config=Config(headline_target_metric="rhi_offered_rate", targets={"rhi_offered_rate": 1.0}),
    )
    assert offered[0] == (
        "The council's headline measure, offering a return home interview after every "
        "return, was 60% against a target of 100%."
    )


def test_singular_forms() -> None:
    one = {
        ("episodes", "all"): (N, N, 1),
        ("children", "all"): (N, N, 1),
        ("children_repeat", "all"): (N, N, 1),
        ("rhi_due", "all"): (N, N, 1),
        ("rhi_offered", "all"): (N, N, 1),
        ("rhi_declined", "all"): (N, N, 1),
        ("rhi_offered_rate", "all"): (1, 1, 1.0),
        ("rhi_decline_rate", "all"): (1, 1, 1.0),
        ("rhi_timely_rate", "all"): (1, 1, 1.0),
    }
    got = messages(table(one), config=Config(headline_target_metric="rhi_timely_rate"))
    assert _volume(got) == (
        "Between April and June 2026 the council recorded 1 missing and away episode "
        "involving 1 child."
    )
    # Children missing 3 or more times are a summary tile, not a key message.
    assert not any("or more times" in text for text in got)
    assert (
        "A return home interview was offered after 1 of the 1 episode in which the child "
        "came back (100%)." in got
    )
    assert (
        "1 of the 1 return home interview offered (100%) was declined by the child or their "
        "family." in got
    )
    assert (
        "1 of the 1 interview that counts towards the timescale (100%) was held within 72 "
        "hours of the child's return." in got
    )


def test_zero_cases() -> None:
    zero = {
        ("episodes", "all"): (N, N, 0),
        ("children", "all"): (N, N, 0),
        ("children_repeat", "all"): (N, N, 0),
        ("rhi_due", "all"): (N, N, 0),
        ("rhi_offered", "all"): (N, N, 0),
        ("rhi_declined", "all"): (N, N, 0),
        ("rhi_completed", "all"): (N, N, 0),
        ("rhi_offered_rate", "all"): (0, 0, N),
        ("rhi_decline_rate", "all"): (0, 0, N),
        ("rhi_completed_rate", "all"): (0, 0, N),
        ("rhi_timely_rate", "all"): (0, 0, N),
        ("rhi_target_met_rate", "all"): (0, 0, N),
        ("rhi_due", OOC): (N, N, 0),
        ("rhi_offered", OOC): (N, N, 0),
        ("rhi_completed", OOC): (N, N, 0),
        ("rhi_offered_rate", OOC): (0, 0, N),
        ("rhi_independent_rate", OOC): (0, 0, N),
    }
    assert messages(table(zero)) == [
        "No child came back from an episode in the quarter, so no return home interview was due.",
        "Between April and June 2026 the council recorded no missing or away episodes.",
    ]


def test_none_declined_and_none_independent() -> None:
    got = messages(
        table(
            {
                ("rhi_declined", "all"): (N, N, 0),
                ("rhi_decline_rate", "all"): (0, 108, 0.0),
                ("rhi_independent_rate", OOC): (0, 6, 0.0),
            }
        )
    )
    assert "None of the return home interviews offered was declined." in got
    assert (
        "None of the completed interviews with children placed out of county was carried out "
        "by an independent worker." in got
    )


def test_suppressed_figures_are_never_written() -> None:
    # children hidden: the volume sentence drops its second half; the decline count and rate
    # hidden: the decline sentence goes; out-of-county returns hidden: a sentence says so
    # and the independence rate (also hidden) is left out.
    hidden = {
        ("children", "all"),
        ("rhi_declined", "all"),
        ("rhi_decline_rate", "all"),
        ("rhi_due", OOC),
        ("rhi_offered", OOC),
        ("rhi_offered_rate", OOC),
        ("rhi_independent_rate", OOC),
    }
    got = messages(table(suppressed=hidden))
    assert _volume(got) == (
        "Between April and June 2026 the council recorded 189 missing and away episodes."
    )
    assert not any("declined" in s for s in got)
    assert "The figures for children placed out of county are too small to publish." in got
    assert not any("independent" in s for s in got)
    text = " ".join(got)
    assert "[c]" not in text and "105" not in text and "65" not in text


def test_rising_and_falling_volume_and_timeliness() -> None:
    # previous quarter 177 episodes, 10 of 25 timely (40%): now 189 (+12) and 43% (up)
    rising = table(
        previous={
            ("episodes", "all"): (N, N, 177),
            ("rhi_timely_rate", "all"): (10, 25, 0.4),
        }
    )
    timely = Config(headline_target_metric="rhi_timely_rate")
    got = messages(rising, config=timely)
    assert _volume(got).endswith(
        "105 children, 12 more episodes than in the previous quarter (177)."
    )
    # the change is part of the timeliness sentence, not a fragment of its own
    assert got[0].endswith("child's return, up from 40% in the previous quarter.")
    # previous quarter 200 episodes, 25 of 50 timely (50%): now 11 fewer, and down
    falling = table(
        previous={
            ("episodes", "all"): (N, N, 200),
            ("rhi_timely_rate", "all"): (25, 50, 0.5),
        }
    )
    got = messages(falling, config=timely)
    assert _volume(got).endswith(
        "105 children, 11 fewer episodes than in the previous quarter (200)."
    )
    assert got[0].endswith("child's return, down from 50% in the previous quarter.")
    # 12/28 and 43/100 both show as 43%: the same
    same = table(
        previous={
            ("episodes", "all"): (N, N, 189),
            ("rhi_timely_rate", "all"): (43, 100, 0.43),
        }
    )
    got = messages(same, config=timely)
    assert _volume(got).endswith("105 children, the same number as in the previous quarter.")
    assert got[0].endswith("child's return, the same as in the previous quarter.")


def test_funnel_falls_back_when_secondary_suppression_hides_the_denominator() -> None:
    # rhi_due hidden (e.g. so a small ongoing count cannot be recovered by subtraction):
    # the offer count can still be given, without a rate; the out-of-county independence
    # rate hidden while its returns are shown, and its completed count hidden too: a
    # sentence says too few were completed
    got = messages(
        table(
            suppressed={
                ("rhi_due", "all"),
                ("rhi_offered_rate", "all"),
                ("rhi_completed_rate", "all"),
                ("rhi_independent_rate", OOC),
                ("rhi_completed", OOC),
            }
        )
    )
    assert "108 return home interviews were offered." in got
    assert not any("completed after" in s for s in got)
    assert (
        "Too few interviews with children placed out of county were completed to publish "
        "how many were carried out by an independent worker." in got
    )
    assert "180" not in " ".join(got)


def test_assurance_sentences_follow_the_charts() -> None:
    # offers: 0.5/0.6 alternating then 0.55: mean 8.25/15 = 0.55, mR (13 x 0.1 + 0.05)/14
    # = 0.0964, limits 0.55 +/- 0.2565 = 0.294 .. 0.806, below a 100% target: consistently
    # fails. Timeliness 0.8/0.9 then 0.85: mean 0.85, same mR, limits 0.594 .. 1.106
    # straddle 90%: hit and miss.
    offers = xmr([0.5, 0.6] * 7 + [0.55], labels=MONTHS, improvement="up", target=1.0)
    timely = xmr([0.8, 0.9] * 7 + [0.85], labels=MONTHS, improvement="up", target=0.9)
    assert (offers.assurance, timely.assurance) == ("consistently_fails", "hit_and_miss")
    config = Config(
        targets={"rhi_offered_rate": 1.0, "rhi_timely_rate": 0.9},
        headline_target_metric="rhi_timely_rate",
    )
    got = messages(
        table(), config=config, spc={"rhi_offered_rate": offers, "rhi_timely_rate": timely}
    )
    # Each assurance sentence names its own target, so the two cannot be read as one.
    i = got.index(
        "On the monthly figures, the target for offering interviews (100%) will "
        "keep being missed unless practice changes."
    )
    assert got[i - 1].startswith("A return home interview was offered after")
    assert (
        "On the monthly figures, the 72-hour target (90%) will be met in some months and "
        "missed in others, by chance alone." in got
    )
    assert sum("On the monthly figures" in s for s in got) == 2


def test_change_is_left_out_when_the_previous_figure_is_suppressed() -> None:
    metrics = table(previous={("episodes", "all"): (N, N, 177)})
    metrics.loc[metrics["quarter"] == PREV.id, "suppressed"] = True
    assert not any("previous quarter" in s for s in messages(metrics))


def test_target_met_and_close() -> None:
    # 12/28 = 0.43: a 0.4 target is met; a 0.5 target is 0.07 short, within 0.1: close
    # (now for the default headline, 10/28 = 0.36: a 0.3 target is met, 0.4 is close)
    met = messages(table(), config=Config(targets={"rhi_target_met_rate": 0.3}))
    assert any("meeting the council's target of 30%." in s for s in met)
    close = messages(table(), config=Config(targets={"rhi_target_met_rate": 0.4}))
    assert any("just short of the council's target of 40%." in s for s in close)


MONTHS = [f"2025-{m:02d}" for m in range(4, 13)] + [f"2026-{m:02d}" for m in range(1, 7)]


def test_special_cause_signal_sentence() -> None:
    # episodes: steady around 50 (mR about 2.4) then 90 in June 2026, far above the limit
    episodes = xmr([50, 52, 48, 51, 49, 50, 52, 48, 51, 49, 50, 51, 50, 52, 90], labels=MONTHS)
    assert episodes.outside[-1]
    got = messages(table(), spc={"episodes": episodes})
    assert got[-1] == (
        "The number of missing episodes each month shows an unusual change in June 2026: "
        "the figure was above the range expected from the months charted."
    )


def test_run_signal_with_a_better_direction() -> None:
    # timeliness: eight months alternating 0.40/0.44, then seven alternating 0.56/0.60.
    # mean = (4 x 0.84 + 4 x 0.56 + 3 x 0.60) / 15 = 7.4 / 15 = 0.4933
    # mR: 7 x 0.04, one 0.12, 6 x 0.04 -> 0.64 / 14 = 0.0457; limits 0.372 .. 0.615 (none
    # outside); 2 sigma 0.412 .. 0.574. June 2026 (0.56) is the 7th point above the mean in
    # a row and not beyond 2 sigma: it is flagged by the run alone. The 8 below are a run
    # too, but on the other side, so the sentence counts 7, not 15.
    values = [0.40, 0.44] * 4 + [0.56, 0.60, 0.56, 0.60, 0.56, 0.60, 0.56]
    timely = xmr(values, labels=MONTHS, improvement="up")
    assert timely.rules_at(14) == ("run",)
    got = messages(table(), spc={"rhi_timely_rate": timely})
    assert got[-1] == (
        # the run is the seven months December 2025 (index 8) to June 2026, named as a span
        "The monthly rate of interviews held within the timescale shows an improvement: "
        "the 7 months from December 2025 to June 2026 were all above the average."
    )


def test_a_signalled_chart_says_what_it_means_for_the_target_in_one_sentence() -> None:
    # offers: eight months alternating 0.40/0.44, then seven alternating 0.56/0.60 (the
    # series of test_run_signal_with_a_better_direction): mean 0.4933, limits 0.372 ..
    # 0.615, all below a 100% target, so consistently fails; June 2026 ends a run of 7
    # above the mean. One sentence gives the signal and the target's outlook; the separate
    # "On the monthly figures, the target for offering interviews ..." is not written.
    values = [0.40, 0.44] * 4 + [0.56, 0.60, 0.56, 0.60, 0.56, 0.60, 0.56]
    offers = xmr(values, labels=MONTHS, improvement="up", target=1.0)
    assert offers.assurance == "consistently_fails"
    config = Config(targets={"rhi_offered_rate": 1.0})
    got = messages(table(), config=config, spc={"rhi_offered_rate": offers})
    assert got[-1] == (
        "The monthly rate of return home interviews offered shows an improvement: the 7 "
        "months from December 2025 to June 2026 were all above the average; even so, at this "
        "level the target of 100% will keep being missed unless practice changes."
    )
    assert not any("the target for offering interviews" in s for s in got)


def test_trend_signal_counts_the_trend() -> None:
    # episodes: alternating 40/60 for 8 months, then 50, 51, ... 56 rising for 7 months.
    # mean = (4 x 100 + 371) / 15 = 51.4; mR = (7 x 20 + 10 + 6 x 1) / 14 = 11.14;
    # limits 51.4 +/- 29.6 and 2 sigma 31.6 .. 71.2: nothing outside or near a limit;
    # only five points in a row (52 .. 56) above the mean: no run. 60 -> 50 is a fall, so
    # the trend is exactly the last 7 points.
    values = [40, 60] * 4 + [50, 51, 52, 53, 54, 55, 56]
    episodes = xmr(values, labels=MONTHS)
    assert episodes.rules_at(14) == ("trend",)
    got = messages(table(), spc={"episodes": episodes})
    assert got[-1] == (
        "The number of missing episodes each month shows an unusual change: "
        "the figure rose month on month for 7 months, from December 2025 to June 2026."
    )


def test_no_signal_sentence() -> None:
    steady = xmr([50, 52] * 7 + [50], labels=MONTHS)
    every = {"episodes": steady, "rhi_offered_rate": steady, "rhi_timely_rate": steady}
    got = messages(table(), spc=every)
    assert got[-1].startswith("The monthly figures for episodes, offers and timeliness vary")


def test_no_signal_sentence_not_written_when_a_series_is_not_charted() -> None:
    # An episode-only run charts episodes alone (offers and timeliness are not recorded):
    # "no sign of real change" in offers and timeliness would be false.
    steady = xmr([50, 52] * 7 + [50], labels=MONTHS)
    got = messages(table(), spc={"episodes": steady})
    assert not any("no sign of real change" in m for m in got)


def test_shipped_templates_type_no_figures() -> None:
    # Digits outside {{ }} and {% %} would be a number typed by hand.
    templates = load_templates(DEFAULT_TEMPLATES)
    for key, source in [*templates.items(), *templates["board_asked"].items()]:
        if not isinstance(source, str):
            continue
        literal = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", source, flags=re.S)
        assert not re.search(r"\d", literal), key


def test_unknown_name_in_a_template_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "narrative.yaml"
    path.write_text("volume: 'We saw {{ episods }} episodes.'\n", encoding="utf-8")
    with pytest.raises(UsageError, match="episods"):
        key_messages(table(), Q, history=None, rag={}, spc={}, config=Config(), templates_path=path)


def test_council_can_reword_and_reorder(tmp_path: Path) -> None:
    path = tmp_path / "narrative.yaml"
    path.write_text(
        "first: '{{ declined }} said no.'\n"
        'second: \'{{ plural(children_n, "One child", "Several children") }} went missing.\'\n',
        encoding="utf-8",
    )
    got = key_messages(
        table(), Q, history=None, rag={}, spc={}, config=Config(), templates_path=path
    )
    assert got == ["65 said no.", "Several children went missing."]


def test_blank_rate_with_no_history_gives_no_change_sentences() -> None:
    got = key_messages(table(), Q, history=None, rag={}, spc={}, config=Config())
    assert not any("previous quarter" in s for s in got)
    assert _volume(got).startswith("Between April and June 2026")


def test_independent_count_too_small_while_completed_is_shown() -> None:
    # 6 out-of-county interviews completed and shown, but the independence rate hidden:
    # the reason is the small independent count, not too few completed
    got = messages(table(suppressed={("rhi_independent_rate", OOC)}))
    assert (
        "6 interviews with children placed out of county were completed; the number held "
        "by an independent worker is too small to publish." in got
    )


def test_volume_changes_join_into_one_sentence() -> None:
    # previous quarter 161 (189 - 161 = 28 more); a year earlier 173 (189 - 173 = 16 more)
    got = messages(
        table(
            previous={("episodes", "all"): (N, N, 161)},
            year={("episodes", "all"): (N, N, 173)},
        )
    )
    assert _volume(got) == (
        "Between April and June 2026 the council recorded 189 missing and away episodes "
        "involving 105 children, 28 more episodes than in the previous quarter (161) and 16 more "
        "than a year earlier (173)."
    )
    assert not any(s.startswith(("That is", "It is")) for s in got)
    # only a year earlier known: 200 then, 11 fewer now
    got = messages(table(year={("episodes", "all"): (N, N, 200)}))
    assert _volume(got).endswith("105 children, 11 fewer than a year earlier (200).")


def test_board_is_asked_to_note_targets_missed_and_met() -> None:
    # offered 108/180 = 60% against 100%: missed; timely 12/28 = 43% against 40%: met
    config = Config(targets={"rhi_offered_rate": 1.0, "rhi_timely_rate": 0.4})
    metrics = table()
    got = board_asks(metrics, Q, history=None, rag=ratings_for(metrics, config), config=config)
    assert got == [
        "note the performance on return home interviews for April to June 2026 set out in "
        "this report.",
        "note that one target for all children was not met: offering a return home interview "
        "after every return (60% for all children, against 100%).",
        "note that one target for all children was met: holding interviews within the "
        "timescale (43% for all children, against 40%).",
    ]


def test_board_asks_leave_out_suppressed_targets() -> None:
    # the timely rate is hidden: its rating is "no data", so it is in neither list
    config = Config(targets={"rhi_timely_rate": 0.4})
    metrics = table(suppressed={("rhi_timely_rate", "all")})
    ratings = {
        "rhi_timely_rate": rag(12 / 28, config.targets["rhi_timely_rate"], "up", suppressed=True)
    }
    got = board_asks(metrics, Q, history=None, rag=ratings, config=config)
    assert len(got) == 1 and got[0].startswith("note the performance")


def test_assurance_names_the_headline_target_face_to_face() -> None:
    # The headline chart (face to face within 72 hours): 0.3/0.4 alternating then 0.35;
    # mean 5.25/15 = 0.35, mR (13 x 0.1 + 0.05)/14 = 0.0964, upper limit 0.35 + 0.2565 =
    # 0.6065, below a 90% target: consistently fails.
    chart = xmr([0.3, 0.4] * 7 + [0.35], labels=MONTHS, improvement="up", target=0.9)
    assert chart.assurance == "consistently_fails"
    config = Config(targets={"rhi_target_met_rate": 0.9})
    got = messages(table(), config=config, spc={"rhi_target_met_rate": chart})
    assert got[1] == (
        "The monthly figures say the face-to-face 72-hour target (90%) will not be reached "
        "without a change in how interviews are arranged."
    )


def test_the_headline_change_comes_before_the_target_so_it_reads_as_the_figures() -> None:
    # 10 of 28 face to face in time (36%), 8 of 25 (32%) last quarter: up; 36% against a
    # 90% target is 0.54 short (amber only within 0.1): well short. The change is said
    # first, so "up from 32%" cannot be read as the target's.
    config = Config(targets={"rhi_target_met_rate": 0.9})
    got = messages(table(previous={("rhi_target_met_rate", "all"): (8, 25, 0.32)}), config=config)
    assert got[0].startswith(
        "10 of the 28 interviews that count towards the timescale (36%) were held face to "
        "face within 72 hours of the child's return, up from 32% in the previous quarter and "
        "well short of the council's target of 90%."
    )


def test_independence_for_all_children_is_a_key_message_with_its_target() -> None:
    # 23 of the 30 completed interviews independent: 23/30 = 76.7% -> 77%, against a 90%
    # target: short of it. The out-of-county sentence still follows.
    config = Config(targets={"rhi_independent_rate": 0.9})
    independent = {("rhi_independent_rate", "all"): (23, 30, 23 / 30)}
    got = messages(table(independent), config=config)
    assert (
        "23 of the 30 completed interviews (77%) were carried out by an independent worker, "
        "short of the target of 90%." in got
    )
    assert got.index(
        "23 of the 30 completed interviews (77%) were carried out by an "
        "independent worker, short of the target of 90%."
    ) < next(i for i, s in enumerate(got) if "placed out of county" in s)
    # 27 of 30 = 90%: meets it; with no target set, no rating is said
    met = messages(table({("rhi_independent_rate", "all"): (27, 30, 0.9)}), config=config)
    assert (
        "27 of the 30 completed interviews (90%) were carried out by an independent worker, "
        "meeting the target of 90%." in met
    )
    plain = messages(table(independent))
    assert (
        "23 of the 30 completed interviews (77%) were carried out by an independent worker."
        in plain
    )
    # withheld by disclosure control: no sentence, and no number of it
    hidden = messages(table(independent, suppressed={("rhi_independent_rate", "all")}))
    assert not any("30 completed interviews" in s for s in hidden)


def test_out_of_county_timeliness_is_a_key_message_when_it_can_be_written() -> None:
    # Out of county: none of 5 counted interviews face to face within 72 hours, median
    # return to interview 194.4 hours = 8.1 days (shown in days past 48 hours).
    ooc = {
        ("rhi_target_met_rate", OOC): (0, 5, 0.0),
        ("median_hours_return_to_completion", OOC): (N, N, 194.4),
    }
    got = messages(table(ooc))
    assert (
        "None of the 5 interviews with children placed out of county that count towards the "
        "timescale was held face to face within 72 hours; the median time from return to "
        "interview was 8.1 days." in got
    )
    # 2 of 6 (the rate in any mode as the headline): "were"; no median, no clause
    timely = Config(headline_target_metric="rhi_timely_rate")
    got = messages(table({("rhi_timely_rate", OOC): (2, 6, 2 / 6)}), config=timely)
    assert (
        "2 of the 6 interviews with children placed out of county that count towards the "
        "timescale were held within 72 hours." in got
    )
    # withheld in a public paper: no sentence
    hidden = messages(table(ooc, suppressed={("rhi_target_met_rate", OOC)}))
    assert not any("count towards the timescale was" in s for s in hidden)
