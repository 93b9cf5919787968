"""Compiled Jinja templates kept between runs: reused while the text is unchanged, never a
reason for a run to fail."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment

from pipeline.templating import bytecode_cache, cache_folder, from_string


def _env(kind: str) -> Environment:
    return Environment(bytecode_cache=bytecode_cache(kind))


def test_a_template_compiled_once_is_read_back_by_a_new_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert from_string(_env("t"), "Hello {{ name }}").render(name="A") == "Hello A"
    assert any((tmp_path / "rhi-report").rglob("*.cache"))
    again = _env("t")

    def refuse(source: str) -> None:
        raise AssertionError(f"compiled again: {source}")

    monkeypatch.setattr(again, "compile", refuse)
    # Read from the cache: the new environment never compiles it.
    assert from_string(again, "Hello {{ name }}").render(name="B") == "Hello B"
    with pytest.raises(AssertionError, match="compiled again"):
        from_string(again, "Goodbye {{ name }}")  # another text is compiled


def test_each_kind_of_environment_has_its_own_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    one, other = cache_folder("report"), cache_folder("narrative")
    assert one is not None and other is not None
    assert one != other
    assert one.parent == other.parent == tmp_path / "rhi-report"


def test_without_a_usable_cache_folder_templates_still_render(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert cache_folder("t") is None
    assert from_string(_env("t"), "{{ 1 + 1 }}").render() == "2"


def test_a_damaged_cache_file_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert from_string(_env("t"), "x{{ 2 }}").render() == "x2"
    for path in Path(tmp_path).rglob("*.cache"):
        path.write_bytes(b"garbage")
    assert from_string(_env("t"), "x{{ 2 }}").render() == "x2"
