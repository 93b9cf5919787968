"""Fixtures shared by test modules: the bundled sample's outputs, written once per session.

The accessibility tests (browser and PDF structure) check every HTML and PDF file a run
writes, for both audiences, by globbing the output folders: a report added to the run is
checked without touching the tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
AUDIENCES = ("public", "internal")


@pytest.fixture(scope="session")
def sample_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample run's output folder for each audience (the command line, as a user runs it)."""
    folders = {}
    for audience in AUDIENCES:
        out = tmp_path_factory.mktemp(f"sample-{audience}")
        config = str(ROOT / "config.yaml")
        assert main(["run", "--config", config, "--out", str(out), "--audience", audience]) == 0
        folders[audience] = out
    return folders


def _written(folders: dict[str, Path], suffix: str) -> list[Path]:
    """Every file with this suffix the runs wrote, in any sub-folder (at least one)."""
    files = sorted(p for out in folders.values() for p in out.rglob(f"*{suffix}"))
    assert files, f"the sample run wrote no {suffix} file"
    return files


@pytest.fixture(scope="session")
def sample_html(sample_outputs: dict[str, Path]) -> list[Path]:
    """Every HTML report the sample runs wrote."""
    return _written(sample_outputs, ".html")


@pytest.fixture(scope="session")
def sample_pdfs(sample_outputs: dict[str, Path]) -> list[Path]:
    """Every PDF the sample runs wrote."""
    return _written(sample_outputs, ".pdf")
