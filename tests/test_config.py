"""Config loading: defaults, typo'd keys, malformed YAML — each a plain sentence."""

from pathlib import Path

import pytest

from pipeline.config import Config, load_config
from pipeline.errors import UsageError


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_empty_config_uses_every_default(tmp_path):
    for text in ("", "{}\n"):
        config = load_config(_write(tmp_path, text))
        assert config.timeliness_hours == 72
        assert config.repeat_threshold == 3
        assert config.suppress_below == 5
        assert config.independent_roles == [
            "independent_practitioner",
            "host_authority_practitioner",
        ]
        assert config.audience == "public"
        assert config.episodes.columns == {}


def test_typo_is_rejected_with_the_closest_key(tmp_path):
    with pytest.raises(UsageError) as err:
        load_config(_write(tmp_path, "timeliness_hour: 48\n"))
    (message,) = err.value.messages
    assert "unknown key 'timeliness_hour'" in message
    assert "Did you mean 'timeliness_hours'?" in message
    assert err.value.exit_status == 2


def test_nested_typo_suggests_within_its_section(tmp_path):
    with pytest.raises(UsageError) as err:
        load_config(_write(tmp_path, "episodes:\n  colums: {}\n"))
    assert "unknown key 'episodes.colums'" in err.value.messages[0]
    assert "Did you mean 'columns'?" in err.value.messages[0]


def test_malformed_yaml_names_the_line(tmp_path):
    path = _write(tmp_path, "council_name: Example\nboard_name: [unclosed\nx: 1\n")
    with pytest.raises(UsageError) as err:
        load_config(path)
    message = err.value.messages[0]
    assert str(path) in message and "line" in message


def test_wrong_type_is_named(tmp_path):
    with pytest.raises(UsageError) as err:
        load_config(_write(tmp_path, "repeat_threshold: lots\n"))
    assert "repeat_threshold" in err.value.messages[0]
    assert "'lots'" in err.value.messages[0]


def test_missing_file_says_how_to_fix(tmp_path):
    with pytest.raises(UsageError) as err:
        load_config(tmp_path / "nope.yaml")
    assert "not found" in err.value.messages[0]


def test_target_shorthand_and_relative_paths(tmp_path):
    config = load_config(
        _write(tmp_path, "targets:\n  rhi_timely_rate: 0.9\nepisodes:\n  path: data/e.csv\n")
    )
    assert config.targets["rhi_timely_rate"].target == 0.9
    assert config.targets["rhi_timely_rate"].amber_within == 0.1
    assert config.resolve(config.episodes.path) == tmp_path / "data" / "e.csv"


def test_bundled_config_is_valid():
    config = load_config(Path(__file__).parent.parent / "config.yaml")
    assert isinstance(config, Config)
    assert config.episodes.columns["Missing Start Date"] == "start"


def test_misspelt_names_inside_the_config_are_rejected(tmp_path):
    text = (
        "targets:\n  rhi_timley_rate: 0.9\n"
        "independent_roles: [independent_practioner]\n"
        "episodes:\n  columns:\n    Person ID: chlid_id\n"
        "interviews:\n  values:\n    outcom: {A: completed}\n"
        "spc:\n  rebase_months: ['Jan 2026']\n"
    )
    with pytest.raises(UsageError) as err:
        load_config(_write(tmp_path, text))
    messages = err.value.messages
    assert len(messages) == 5
    joined = "\n".join(messages)
    assert "the column 'chlid_id', which does not exist. Did you mean 'child_id'?" in joined
    assert "the column 'outcom', which does not exist. Did you mean 'outcome'?" in joined
    assert "the metric 'rhi_timley_rate'" in joined and "'rhi_timely_rate'?" in joined
    assert "'independent_practioner'" in joined and "'independent_practitioner'?" in joined
    assert "'Jan 2026', which is not a month" in joined


def test_a_percentage_target_is_rejected_with_the_decimal(tmp_path):
    with pytest.raises(UsageError) as err:
        load_config(_write(tmp_path, "targets:\n  rhi_timely_rate: {target: 90}\n"))
    assert "write 90% as 0.9" in err.value.messages[0]


def test_a_value_mapped_to_a_code_that_does_not_exist_is_a_config_error(tmp_path):
    text = (
        "interviews:\n  values:\n    mode:\n      Telephone: phone\n"
        "    outcome:\n      Declined (YP): {outcome: declined, declined_by: young_person}\n"
        "episodes:\n  values:\n    looked_after:\n      CLA: looked after\n"
        "    placement_area:\n      Out of County: Out of Area\n"
    )
    with pytest.raises(UsageError) as err:
        load_config(_write(tmp_path, text))
    joined = "\n".join(err.value.messages)
    assert len(err.value.messages) == 3
    assert "'interviews.values.mode.Telephone' names the mode code 'phone'" in joined
    assert "Did you mean 'telephone'?" in joined
    assert "declined_by code 'young_person'" in joined
    assert "'episodes.values.looked_after.CLA' maps to 'looked after', which is not yes or no" in (
        joined
    )
    # "Out of Area" is spelt canonically once normalised (out_of_area), so it is accepted.


# --- capacity: ------------------------------------------------------------------------------


def test_capacity_defaults_are_the_source_reports_workforce(tmp_path):
    capacity = load_config(_write(tmp_path, "{}\n")).capacity
    current = next(o for o in capacity.options if o.id == capacity.current)
    # two dedicated workers who do not travel out of county
    assert (current.workers, current.out_of_county_visits, current.host_share) == (2, False, 0)
    assert capacity.working_days == ["mon", "tue", "wed", "thu", "fri"]


def test_capacity_mistakes_are_named(tmp_path):
    text = (
        "capacity:\n"
        "  day_start: 17\n"
        "  day_end: 9\n"
        "  travel_hours: {in_aera: 1}\n"
        "  current: now\n"
        "  options:\n"
        "    - {id: a, label: A, workers: 2}\n"
        "    - {id: a, label: B, workers: 3}\n"
    )
    with pytest.raises(UsageError) as err:
        load_config(_write(tmp_path, text))
    text = " ".join(err.value.messages)
    assert "'capacity.travel_hours' names the placement area 'in_aera'" in text
    assert "Did you mean 'in_area'?" in text
    assert "'capacity.day_end' (9) is not after 'capacity.day_start' (17)" in text
    assert "has the id 'a' more than once" in text
    assert "'capacity.current' names the option 'now'" in text


def test_capacity_option_needs_at_least_one_worker(tmp_path):
    text = "capacity:\n  options:\n    - {id: none, label: None, workers: 0}\n"
    with pytest.raises(UsageError) as err:
        load_config(_write(tmp_path, text))
    assert "capacity.options.0.workers" in err.value.messages[0]


# ---------------------------------------------------------------------------------------------
# Hostile configs (docs/reliability.md): each one sentence naming the file, exit status 2


def _refused(tmp_path: Path, text: str) -> str:
    path = _write(tmp_path, text)
    with pytest.raises(UsageError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    return message


def test_a_key_given_twice_names_both_lines(tmp_path):
    # Once accepted, the later value winning: the audience silently became internal.
    text = "audience: public\ncouncil_name: Example\naudience: internal\n"
    message = _refused(tmp_path, text)
    assert "the key 'audience' is given twice, at line 1 and at line 3; keep one" in message


def test_a_key_given_twice_inside_a_section_is_found_too(tmp_path):
    text = "targets:\n  rhi_offered_rate: 1.0\n  rhi_offered_rate: 0.5\n"
    assert "at line 2 and at line 3" in _refused(tmp_path, text)


@pytest.mark.parametrize(
    ("value", "key"), [(".inf", "timeliness_hours"), (".nan", "timeliness_hours")]
)
def test_a_non_finite_number_names_its_key(tmp_path, value, key):
    message = _refused(tmp_path, f"{key}: {value}\n")
    assert f"key '{key}' is not a finite number" in message


def test_a_non_finite_target_names_its_nested_key(tmp_path):
    message = _refused(tmp_path, "targets:\n  rhi_timely_rate: {target: -.inf}\n")
    assert "key 'targets.rhi_timely_rate.target' is not a finite number" in message


def test_nested_aliases_are_refused_before_they_expand(tmp_path):
    # "Billion laughs": nine levels of ten aliases each would be 10^9 strings; it hung the run.
    lines = ['a: &a ["lol"]']
    for level in range(1, 10):
        previous, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    message = _refused(tmp_path, "\n".join(lines) + "\n")
    assert "one of more than 10 in the file" in message
    assert "write the values out instead of using anchors and aliases" in message


def test_a_few_aliases_are_still_read(tmp_path):
    text = "labels: &l {x: Ex}\nspc: {rebase_months: &m []}\n"
    assert load_config(_write(tmp_path, text)).labels == {"x": "Ex"}


@pytest.mark.parametrize(
    "text",
    [
        "council_name: !!python/object/apply:os.system ['true']\n",
        "council_name: !!str Example\n",
        "labels: !custom {x: y}\n",
    ],
)
def test_any_tag_is_refused(tmp_path, text):
    assert "tags are not allowed in this file" in _refused(tmp_path, text)


def test_a_fifo_or_a_folder_as_the_config_is_one_sentence(tmp_path):
    import os

    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match=r"the config file is a named pipe \(FIFO\)"):
        load_config(fifo)
    with pytest.raises(UsageError, match="the config file is a folder"):
        load_config(tmp_path)


def test_a_utf16_config_is_named(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("council_name: Example\n", encoding="utf-16")
    with pytest.raises(UsageError, match="the config file is UTF-16 text"):
        load_config(path)


def test_a_huge_wrong_value_is_clipped_in_the_message(tmp_path):
    message = _refused(tmp_path, f"suppress_below: {'9x' * 100_000}\n")
    assert "(200,002 characters)" in message
    assert len(message) < 500


def test_layout_keys_name_canonical_columns(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(
        "episodes:\n  constants: {lookd_after: 'yes'}\n  derived: {episode_id: [child, start]}\n"
    )
    with pytest.raises(UsageError) as caught:
        load_config(path)
    assert caught.value.messages == [
        f"{path}: 'episodes.constants' names the column 'lookd_after', which does not exist. "
        "Did you mean 'looked_after'?",
        f"{path}: 'episodes.derived.episode_id' names the column 'child', which does not "
        "exist. Did you mean 'child_id'?",
    ]


def test_unquoted_yes_no_null_codes_are_explained(tmp_path):
    # YAML reads a plain Yes as true, No as false and NULL as empty: the codes would be lost.
    path = tmp_path / "config.yaml"
    path.write_text(
        "episodes:\n"
        "  blank_values: [NULL]\n"
        "  values:\n"
        "    looked_after:\n"
        "      Yes: 'yes'\n"
        "      'No': 'no'\n"
        "      NULL: 'no'\n"
        "  rhi_flags: {offered: RHI Offered, values: {'Y': no}}\n"
    )
    with pytest.raises(UsageError) as caught:
        load_config(path)
    assert caught.value.messages == [
        f"{path}: line 2: NULL is read by YAML as empty (null), not as the code 'NULL'; put "
        "the code in quotes ('NULL').",
        f"{path}: line 5: Yes is read by YAML as true, not as the code 'Yes'; put the code in "
        "quotes ('Yes').",
        f"{path}: line 7: NULL is read by YAML as empty (null), not as the code 'NULL'; put "
        "the code in quotes ('NULL').",
        f"{path}: line 8: no is read by YAML as false, not as the code 'no'; put the code in "
        "quotes ('no').",
    ]


def test_booleans_outside_the_code_sections_are_left_alone(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("episodes:\n  values: {looked_after: {'Looked After': 'yes'}}\n")
    assert load_config(path).episodes.values == {"looked_after": {"Looked After": "yes"}}


def test_headline_target_metric_must_be_a_known_rate(tmp_path):
    assert Config().headline_target_metric == "rhi_target_met_rate"
    with pytest.raises(UsageError) as err:
        load_config(_write(tmp_path, "headline_target_metric: rhi_target_mte_rate\n"))
    assert "Did you mean 'rhi_target_met_rate'?" in err.value.messages[0]
    with pytest.raises(UsageError) as err:
        load_config(_write(tmp_path, "headline_target_metric: episodes\n"))
    assert "'episodes', which is not a rate" in err.value.messages[0]


def test_fix_after_n_points_needs_a_baseline_of_twelve(tmp_path):
    assert (
        load_config(_write(tmp_path, "spc:\n  fix_after_n_points: 12\n")).spc.fix_after_n_points
        == 12
    )
    with pytest.raises(UsageError):
        load_config(_write(tmp_path, "spc:\n  fix_after_n_points: 6\n"))
