"""The out folder: refused targets, the lock, recovery after a kill, the commit as a set.

These drive `pipeline.outdir.OutFolder` with small files; tests/test_faults.py runs the whole
command and kills it, fills its disk and mounts its out folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.errors import UsageError
from pipeline.outdir import COMMIT_NAME, STAGING_PREFIX, OutFolder, check_targets, recover

NAMES = ["a.csv", "b.csv"]


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _write_set(out: Path, text: str, protected: list[Path] | None = None) -> None:
    with OutFolder(out) as folder:
        assert folder.staging is not None
        for name in NAMES:
            (folder.staging / name).write_text(f"{text} {name}")
        folder.commit(NAMES, protected or [])


def test_a_set_replaces_the_earlier_one_and_leaves_no_staging(tmp_path):
    out = tmp_path / "out"
    _write_set(out, "old")
    _write_set(out, "new")
    assert _contents(out) == {"a.csv": b"new a.csv", "b.csv": b"new b.csv"}


def test_a_failure_before_the_commit_leaves_the_earlier_set_and_no_staging(tmp_path):
    out = tmp_path / "out"
    _write_set(out, "old")
    before = _contents(out)
    with pytest.raises(RuntimeError), OutFolder(out) as folder:
        assert folder.staging is not None
        (folder.staging / "a.csv").write_text("half")
        raise RuntimeError("a renderer failed")
    assert _contents(out) == before


def test_a_failed_first_run_leaves_no_out_folder(tmp_path):
    out = tmp_path / "reports" / "2026-27-Q1"
    with pytest.raises(RuntimeError), OutFolder(out):
        raise RuntimeError("a renderer failed")
    assert not out.exists()


def test_an_output_that_is_an_input_by_path_is_refused(tmp_path):
    # An analyst exported the episodes extract into the out folder as metrics.csv.
    out = tmp_path / "out"
    out.mkdir()
    extract = out / "a.csv"
    extract.write_text("episode_id\n1\n")
    with pytest.raises(UsageError, match="is the input file") as caught:
        _write_set(out, "new", protected=[tmp_path / "out" / ".." / "out" / "a.csv"])
    assert "a.csv" in str(caught.value)
    assert extract.read_text() == "episode_id\n1\n"
    assert _contents(out) == {"a.csv": b"episode_id\n1\n"}  # and no staging left


def test_an_output_that_is_an_input_by_identity_is_refused(tmp_path):
    # A hard link: another path, the same file.
    out = tmp_path / "out"
    out.mkdir()
    extract = tmp_path / "episodes.csv"
    extract.write_text("episode_id\n1\n")
    os.link(extract, out / "b.csv")
    with pytest.raises(UsageError, match="is the input file"):
        _write_set(out, "new", protected=[extract])
    assert extract.read_text() == "episode_id\n1\n"


def test_an_output_through_a_link_to_an_input_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    config = tmp_path / "config.yaml"
    config.write_text("{}\n")
    (out / "a.csv").symlink_to(config)
    with pytest.raises(UsageError, match="is the input file"):
        check_targets(out, NAMES, [config])


def test_a_folder_named_like_an_output_is_refused_before_anything_is_replaced(tmp_path):
    out = tmp_path / "out"
    _write_set(out, "old")
    (out / "b.csv").unlink()
    (out / "b.csv").mkdir()
    before = (out / "a.csv").read_bytes()
    with pytest.raises(UsageError, match=r"b\.csv: is a folder, where the output b\.csv goes"):
        _write_set(out, "new")
    assert (out / "a.csv").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "b.csv"]


def test_an_out_folder_that_is_a_file_is_one_sentence(tmp_path):
    out = tmp_path / "out"
    out.write_text("not a folder")
    with pytest.raises(UsageError, match="is a file, not a folder"):
        _write_set(out, "new")
    assert out.read_text() == "not a folder"


def test_an_out_folder_under_a_file_is_one_sentence(tmp_path):
    parent = tmp_path / "reports"
    parent.write_text("not a folder")
    with pytest.raises(UsageError, match=r"cannot be created, because .*reports is a file"):
        _write_set(parent / "2026-27-Q1", "new")


def test_a_second_run_on_a_locked_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    with OutFolder(out):
        with pytest.raises(UsageError, match="another rhi-report run is writing"):
            OutFolder(out).__enter__()
        # ...also from another process (flock is per open file, so this is the real case).
        other = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; from pipeline.outdir import OutFolder\n"
                "try:\n    OutFolder(Path(sys.argv[1])).__enter__()\n"
                "except Exception as e:\n    print(e); sys.exit(2)\n",
                str(out),
            ],
            capture_output=True,
            text=True,
        )
        assert other.returncode == 2
        assert "another rhi-report run is writing its outputs there now" in other.stdout
    _write_set(out, "after")  # the lock is released with the folder
    assert _contents(out)["a.csv"] == b"after a.csv"


def test_stale_staging_is_removed_when_the_next_run_starts(tmp_path):
    out = tmp_path / "out"
    _write_set(out, "old")
    stale = out / f"{STAGING_PREFIX}killed"
    stale.mkdir()
    (stale / "a.csv").write_text("half")
    with OutFolder(out) as folder:
        assert folder.staging is not None
        assert sorted(p.name for p in out.iterdir()) == sorted(
            ["a.csv", "b.csv", folder.staging.name]
        )


def test_a_commit_cut_short_is_finished_by_the_next_run(tmp_path):
    # Killed after the staging folder became the commit folder and one file was moved.
    out = tmp_path / "out"
    _write_set(out, "old")
    commit = out / COMMIT_NAME
    commit.mkdir()
    (out / "a.csv").write_text("new a.csv")
    (commit / "b.csv").write_text("new b.csv")
    recover(out)
    assert _contents(out) == {"a.csv": b"new a.csv", "b.csv": b"new b.csv"}


def test_a_symlinked_staging_name_is_not_followed(tmp_path):
    # Recovery removes only real folders of its own naming, never what a link points to.
    out = tmp_path / "out"
    out.mkdir()
    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "precious.txt").write_text("x")
    (out / f"{STAGING_PREFIX}link").symlink_to(keep)
    recover(out)
    assert (keep / "precious.txt").read_text() == "x"
