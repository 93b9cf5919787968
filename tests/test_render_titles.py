"""Chart titles state their message; control charts are read in plain English."""

from __future__ import annotations


def test_practitioner_chart_title_names_the_count_not_a_practitioner() -> None:
    from types import SimpleNamespace

    from pipeline.render.charts import Series
    from pipeline.render.titles import breakdown_title

    b = SimpleNamespace(
        id="interviews_per_practitioner",
        title="Completed interviews per practitioner",
        dimension="interviewer",
    )
    s = Series("All children", [19, 9, 10], ["19", "9", "10"], [False] * 3)
    title = breakdown_title(b, ["Practitioner 1", "Practitioner 2", "Other practitioners"], [s])
    assert title == "Completed interviews per practitioner: the most by one practitioner was 19"


def test_spc_reading_is_plain_english() -> None:
    from types import SimpleNamespace

    from pipeline.render.titles import _spc_reading

    up = SimpleNamespace(variation="improvement", improvement="up", assurance="consistently_fails")
    assert _spc_reading(up, "90%") == (
        "An unusual improvement in the latest month (higher is better). On these limits the "
        "target of 90% will keep being missed unless the process changes."
    )
    calm = SimpleNamespace(variation="common_cause", improvement=None, assurance=None)
    assert "Special cause" not in _spc_reading(calm, "")
