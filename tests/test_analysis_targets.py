"""RAG ratings against configured targets."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd

from pipeline.analysis.targets import rag, rag_table
from pipeline.config import Config, Target

T90 = Target(target=0.9, amber_within=0.1)


def test_up_direction_bands() -> None:
    # 0.95 >= 0.9 met; 0.85 is 0.05 short (<= 0.1) close; 0.79 is 0.11 short: missed
    assert rag(0.95, T90, "up").status == "green"
    assert rag(0.85, T90, "up").status == "amber"
    assert rag(0.79, T90, "up").status == "red"


def test_boundaries_count_in_the_better_band() -> None:
    # exactly on target is met (27/30 is 0.9 in decimal, a hair under in binary);
    # exactly amber_within short (0.8) is still close
    assert rag(27 / 30, T90, "up").status == "green"
    assert rag(0.8, T90, "up").status == "amber"


def test_down_direction_is_the_mirror() -> None:
    t = Target(target=0.2, amber_within=0.05)
    # 0.15 <= 0.2 met; 0.24 is 0.04 over: close; 0.3 is 0.1 over: missed
    assert rag(0.15, t, "down").status == "green"
    assert rag(0.24, t, "down").status == "amber"
    assert rag(0.3, t, "down").status == "red"


def test_no_direction_reads_the_target_as_at_least() -> None:
    assert rag(5.0, Target(target=4), None).status == "green"


def test_words_and_symbols_always_accompany_the_colour() -> None:
    # target 1.0 (offer every RHI), amber within 0.1: 0.6 is 0.4 short
    r = rag(0.6, Target(target=1.0), "up")
    assert (r.status, r.word, r.symbol) == ("red", "Target missed", "×")
    assert not r.met
    g = rag(1.0, Target(target=1.0), "up")
    assert (g.word, g.symbol, g.met) == ("Target met", "√", True)
    assert rag(0.95, Target(target=1.0), "up").word == "Close to target"


def test_blank_and_suppressed_are_no_data() -> None:
    assert rag(math.nan, T90, "up").status == "no data"
    assert rag(None, T90, "up").word == "No data"
    # a suppressed figure is not rated: the rating would hint at the hidden value
    assert rag(0.95, T90, "up", suppressed=True).status == "no data"


def test_rag_table_from_config() -> None:
    config = Config(targets={"rhi_timely_rate": 0.9, "rhi_offered_rate": 1.0, "unknown": 1})
    metrics = pd.DataFrame(
        {
            "quarter": ["2026-27-Q1"] * 3,
            "cohort": ["all", "all", "looked_after"],
            "metric": ["rhi_timely_rate", "rhi_offered_rate", "rhi_timely_rate"],
            "numerator": [45, 108, 1],
            "denominator": [60, 180, 1],
            "value": [0.75, 0.6, 1.0],
            "suppressed": [False, True, False],
        }
    )
    registry = {
        "rhi_timely_rate": SimpleNamespace(direction="up"),
        "rhi_offered_rate": SimpleNamespace(direction="up"),
    }
    table = rag_table(metrics, "2026-27-Q1", config.targets, registry=registry)
    assert set(table) == {"rhi_timely_rate", "rhi_offered_rate"}
    # 0.75 is 0.15 short of 0.9: missed (the looked_after 100% is a different cohort)
    assert table["rhi_timely_rate"].status == "red"
    assert table["rhi_timely_rate"].value == 0.75
    assert table["rhi_offered_rate"].status == "no data"
