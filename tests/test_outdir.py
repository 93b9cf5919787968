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
from pipeline.outdir import (
    COMMIT_NAME,
    REMOVALS_NAME,
    STAGING_PREFIX,
    OutFolder,
    check_targets,
    recover,
)

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


# --- The internal/ subfolder and outputs an earlier run wrote that this one does not --------


def _commit(out: Path, files: dict[str, str], earlier: list[str], protected=()) -> None:
    with OutFolder(out) as folder:
        assert folder.staging is not None
        for name, text in files.items():
            (folder.staging / name).parent.mkdir(exist_ok=True)
            (folder.staging / name).write_text(text)
        folder.commit(list(files), list(protected), earlier)


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()
    }


def test_internal_outputs_land_in_their_subfolder(tmp_path):
    out = tmp_path / "out"
    _commit(out, {"a.csv": "a", "internal/d.pdf": "d"}, [])
    assert _tree(out) == {"a.csv": "a", "internal/d.pdf": "d"}
    assert not (out / COMMIT_NAME).exists()


def test_outputs_the_earlier_manifest_listed_and_this_set_lacks_are_removed(tmp_path):
    out = tmp_path / "out"
    _commit(out, {"a.csv": "a", "b.csv": "b", "internal/d.pdf": "d"}, [])
    (out / "mine.txt").write_text("not an output")
    _commit(out, {"a.csv": "a2"}, ["a.csv", "b.csv", "internal/d.pdf"])
    # b.csv and internal/d.pdf were the earlier run's and are not this one's: removed, and
    # internal/ with them, left empty; a file no run wrote stays.
    assert _tree(out) == {"a.csv": "a2", "mine.txt": "not an output"}
    assert not (out / "internal").exists()


def test_an_internal_report_left_directly_in_the_folder_is_removed(tmp_path):
    # Written there by a run before internal/ existed (or by an internal-audience run).
    out = tmp_path / "out"
    _commit(out, {"a.csv": "a", "d.pdf": "case IDs"}, [])
    _commit(out, {"a.csv": "a", "internal/d.pdf": "d"}, [])
    assert _tree(out) == {"a.csv": "a", "internal/d.pdf": "d"}


def test_removal_never_leaves_the_out_folder_nor_touches_an_input(tmp_path):
    out = tmp_path / "out"
    _commit(out, {"a.csv": "a"}, [])
    outside = tmp_path / "precious.txt"
    outside.write_text("x")
    extract = out / "episodes.csv"
    extract.write_text("the input")
    (out / "sub").mkdir()
    (out / "sub" / "f.txt").write_text("y")
    earlier = ["../precious.txt", str(outside), "episodes.csv", "sub/f.txt", "sub", ".hidden"]
    _commit(out, {"a.csv": "a"}, earlier, protected=[extract])
    assert outside.read_text() == "x" and extract.read_text() == "the input"
    assert (out / "sub" / "f.txt").read_text() == "y"


def test_an_internal_name_that_is_a_link_or_file_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "published"
    elsewhere.mkdir()
    (out / "internal").symlink_to(elsewhere)
    with pytest.raises(UsageError, match="where the folder for the internal reports goes"):
        _commit(out, {"a.csv": "a", "internal/d.pdf": "d"}, [])
    assert not any(elsewhere.iterdir()) and not (out / "a.csv").exists()


def test_a_commit_cut_short_finishes_its_internal_files_and_removals(tmp_path):
    # Killed after the rename to the commit folder, before anything was moved.
    out = tmp_path / "out"
    _commit(out, {"a.csv": "old", "b.csv": "old"}, [])
    commit = out / COMMIT_NAME
    (commit / "internal").mkdir(parents=True)
    (commit / "a.csv").write_text("new")
    (commit / "internal" / "d.pdf").write_text("d")
    (commit / REMOVALS_NAME).write_text("b.csv\n")
    recover(out)
    assert _tree(out) == {"a.csv": "new", "internal/d.pdf": "d"}
