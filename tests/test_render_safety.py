"""Shared output helpers: formula neutralising, file names, CSV bytes, hashes."""

from __future__ import annotations

import pytest

from pipeline.digest import sha256_file
from pipeline.render.safety import (
    csv_bytes,
    file_name_only,
    marking,
    neutralise_formula,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("-1.5", "-1.5"),  # a plain number is data
        ("12", "12"),
        ("Face to face", "Face to face"),
        ("", ""),
    ],
)
def test_neutralise_formula(text, expected):
    assert neutralise_formula(text) == expected


def test_file_name_only():
    assert file_name_only("/home/a/episodes.csv") == "episodes.csv"
    assert file_name_only("C:\\Data\\x\\interviews.xlsx") == "interviews.xlsx"
    assert file_name_only("episodes.csv") == "episodes.csv"
    assert file_name_only(None) == ""


def test_csv_bytes_quotes_and_neutralises():
    data = csv_bytes(["a", "b"], [["x,y", "=2"], ['say "hi"', "-3"]])
    assert data == b'a,b\n"x,y",\'=2\n"say ""hi""",-3\n'


def test_marking():
    assert marking("public") == "OFFICIAL"
    assert marking("internal") == "OFFICIAL-SENSITIVE: not for publication"
    with pytest.raises(ValueError):
        marking("press")


def test_sha256_file(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"abc")
    # The standard SHA-256 test vector for "abc".
    assert sha256_file(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
