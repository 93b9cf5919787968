"""The methodology appendix comes from the registry, with the configuration filled in."""

from __future__ import annotations

from pipeline.metrics.methodology import cohorts, methodology, rules
from pipeline.metrics.registry import COHORTS, REGISTRY


def test_one_entry_per_metric_in_catalogue_order() -> None:
    entries = methodology()
    assert [e["id"] for e in entries] == list(REGISTRY)
    keys = {"id", "label", "definition", "numerator", "denominator", "unit", "direction"}
    assert all(set(e) == keys for e in entries)
    assert all(e["definition"] for e in entries)


def test_entries_read_in_words() -> None:
    by_id = {e["id"]: e for e in methodology()}
    decline = by_id["rhi_decline_rate"]
    # Metric IDs are replaced by their labels.
    assert decline["numerator"] == "Return home interviews declined"
    assert decline["denominator"] == "Return home interviews offered"
    assert decline["direction"] == "lower is better"
    assert "percentage" in decline["unit"]
    assert by_id["episodes"]["numerator"] == "" and by_id["episodes"]["direction"] == "neither"
    assert by_id["median_hours_return_to_completion"]["unit"].startswith("hours")


def test_configuration_reaches_the_appendix() -> None:
    by_id = {e["id"]: e for e in methodology(timeliness_hours=48, repeat_threshold=4)}
    assert "within 48 hours" in by_id["rhi_timely_rate"]["definition"]
    assert "48 hours" in by_id["rhi_timely_rate"]["label"]
    assert "4 or more" in by_id["children_repeat"]["definition"]
    assert any("exactly 48 hours" in r for r in rules(48))


def test_cohorts() -> None:
    entries = cohorts()
    assert [e["id"] for e in entries] == list(COHORTS)
    assert all(e["definition"] for e in entries)


def test_numerators_and_denominators_are_words_not_symbols() -> None:
    # The methodology prints these for councillors: no "T" or "n" shorthand.
    import re

    from pipeline.metrics.registry import REGISTRY

    for spec in REGISTRY.values():
        for text in (spec.numerator, spec.denominator):
            if text:
                assert not re.search(r"\((T|n)\)|\bin T\b", text), (spec.id, text)
