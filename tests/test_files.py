"""Input files before they are read: regular files only, encodings named, quotes clipped."""

from __future__ import annotations

import os

import pytest

from pipeline.errors import UsageError
from pipeline.files import QUOTE_LIMIT, check_regular_file, clip, foreign_encoding


def test_a_regular_file_and_a_missing_one_pass(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("{}\n")
    check_regular_file(path, "config file")
    check_regular_file(tmp_path / "absent.yaml", "config file")  # the caller says "not found"


def test_a_link_to_a_regular_file_passes(tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("x\n")
    (tmp_path / "link.csv").symlink_to(target)
    check_regular_file(tmp_path / "link.csv", "extract")


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: os.mkfifo(p), r"is a named pipe \(FIFO\)"),
    ],
)
def test_anything_else_is_one_sentence_naming_the_file_and_its_role(tmp_path, make, kind):
    path = tmp_path / "commentary.md"
    make(path)
    with pytest.raises(UsageError, match=rf"commentary\.md: the commentary file {kind}"):
        check_regular_file(path, "commentary file")


@pytest.mark.parametrize(
    ("head", "named"),
    [
        (b"\xff\xfeE\x00p\x00", "UTF-16 text (little-endian"),
        (b"\xfe\xff\x00E\x00p", "UTF-16 text (big-endian)"),
        (b"\xff\xfe\x00\x00E\x00\x00\x00", "UTF-32 text"),
        ("Episode ID,Start\r\n".encode("utf-16-le"), "little-endian, without a byte order mark"),
        ("Episode ID,Start\r\n".encode("utf-16-be"), "big-endian, without a byte order mark"),
        (b"PK\x03\x04\x14\x00", "a zipped file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1", "an old Excel .xls workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary data, not text"),
    ],
)
def test_foreign_encodings_are_named(head, named):
    assert named in (foreign_encoding(head) or "")


@pytest.mark.parametrize(
    "head",
    [b"Episode ID,Start\r\n", "\ufeffEpisode ID,Start".encode(), "O\u2019Neil".encode("cp1252")],
)
def test_text_the_run_reads_is_not_flagged(head):
    assert foreign_encoding(head) is None


def test_a_long_value_is_clipped_with_its_length():
    # 200 MB in the original case; the rule is the same for 1,000 characters.
    value = "x" * 1000
    shown = clip(value)
    assert shown == "x" * QUOTE_LIMIT + "... (1,000 characters)"
    assert clip("short") == "short"
