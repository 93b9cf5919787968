"""manifest.json: provenance of inputs and outputs, with no timestamps or absolute paths."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from types import SimpleNamespace

from pipeline.periods import Quarter
from pipeline.render.manifest import relative_path, write_manifest
from pipeline.results import InputFile


def results(audience: str = "public") -> SimpleNamespace:
    return SimpleNamespace(
        as_at=date(2026, 7, 10),
        audience=audience,
        config_sha256="c" * 64,
        config=SimpleNamespace(suppress_below=5),
        quarter=Quarter.parse("2026-27-Q1"),
        quarters=[Quarter.parse("2025-26-Q4"), Quarter.parse("2026-27-Q1")],
        inputs=[
            InputFile("episodes", "inputs/episodes.csv", "a" * 64, 120),
            InputFile("interviews", "/srv/secret/interviews.xlsx", "b" * 64, 80),
        ],
    )


def test_manifest_contents(tmp_path):
    (tmp_path / "metrics.csv").write_bytes(b"abc")
    (tmp_path / "tables.xlsx").write_bytes(b"")
    assert write_manifest(results(), tmp_path, ["tables.xlsx", "metrics.csv"]) == "manifest.json"
    text = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    assert text.endswith("}\n")
    data = json.loads(text)
    # Keys sorted at every level, indent 2.
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert data["quarter"] == "2026-27-Q1"
    assert data["as_at"] == "2026-07-10"
    assert data["audience"] == "public"
    assert data["config_sha256"] == "c" * 64
    assert data["trend_quarters"] == ["2025-26-Q4", "2026-27-Q1"]
    assert data["inputs"] == [
        {"name": "episodes", "path": "inputs/episodes.csv", "rows": 120, "sha256": "a" * 64},
        # An absolute path is cut to the file name.
        {"name": "interviews", "path": "interviews.xlsx", "rows": 80, "sha256": "b" * 64},
    ]
    # SHA-256 of b"abc" and of the empty file are the standard test vectors.
    assert data["outputs"] == [
        {
            "name": "metrics.csv",
            "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        },
        {
            "name": "tables.xlsx",
            "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        },
    ]
    assert data["outputs"][0]["sha256"] == hashlib.sha256(b"abc").hexdigest()
    assert data["package"]["name"] == "rhi-report"
    assert data["package"]["version"] == "0.1.0"  # pyproject.toml
    assert set(data["dependencies"]) >= {
        "pandas",
        "numpy",
        "matplotlib",
        "weasyprint",
        "jinja2",
        "openpyxl",
        "xlsxwriter",
        "pydantic",
    }
    assert data["dependencies"]["pandas"] == "3.1.1"
    assert str(tmp_path) not in text and "/srv" not in text


def test_same_bytes_in_any_folder(tmp_path):
    for folder in ("one", "two/deeper"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "metrics.csv").write_bytes(b"x")
        write_manifest(results(), tmp_path / folder, ["metrics.csv"])
    assert (tmp_path / "one" / "manifest.json").read_bytes() == (
        tmp_path / "two" / "deeper" / "manifest.json"
    ).read_bytes()


def test_relative_path():
    assert relative_path("inputs\\episodes.csv") == "inputs/episodes.csv"
    assert relative_path("C:\\Users\\me\\episodes.csv") == "episodes.csv"
    assert relative_path("/home/me/episodes.csv") == "episodes.csv"
