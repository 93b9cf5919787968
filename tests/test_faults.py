"""Fault injection: the whole command killed at each step of writing, its disk filled, its out
folder a mount point, read-only, or under a read-only parent, two runs on one folder.

After every failure the out folder must hold exactly the earlier complete set, byte for byte,
(or, for a run killed once its new set was complete, exactly that new set once the next run
has started), and no staging folder once the next run has started.

The earlier set is the internal paper and the failing run writes the public one, so the two
sets differ and a mix of them would show. A run is stopped at a named point by
RHI_REPORT_TEST_PAUSE_AT (pipeline.outdir.pause_point) and killed there by its own PID.
Size-limited and read-only file systems are tmpfs mounts, which need root (or CAP_SYS_ADMIN);
where mounting is not allowed those tests are skipped with the reason, and the rest run.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from pipeline.cli import main
from pipeline.outdir import PAUSE_VARIABLE, OutFolder

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config.yaml"


def _contents(folder: Path) -> dict[str, bytes]:
    """Every entry of a folder: files by their bytes, anything else as a marker."""
    return {
        p.name: p.read_bytes() if p.is_file() else b"<not a file>" for p in sorted(folder.iterdir())
    }


def _run(out: Path, *args: str) -> int:
    return main(["run", "--config", str(CONFIG), "--out", str(out), *args])


@pytest.fixture(scope="module")
def earlier(tmp_path_factory) -> dict[str, bytes]:
    """The earlier complete set: the internal paper."""
    out = tmp_path_factory.mktemp("internal")
    assert _run(out, "--audience", "internal") == 0
    return _contents(out)


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> dict[str, bytes]:
    """The set the failing runs would write: the public paper."""
    out = tmp_path_factory.mktemp("public")
    assert _run(out) == 0
    return _contents(out)


def _place(out: Path, files: dict[str, bytes]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)


class Paused:
    """`rhi-report run` in a subprocess, stopped at a named point until killed."""

    def __init__(self, out: Path, point: str, cwd: Path) -> None:
        env = {**os.environ, PAUSE_VARIABLE: point}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "run", "--config", str(CONFIG), "--out", str(out)],
            cwd=cwd,
            env=env,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
        )
        self.stderr = b""
        assert self.process.stderr is not None
        while f"paused at {point}".encode() not in self.stderr:
            ready, _, _ = select.select([self.process.stderr], [], [], 600)
            chunk = os.read(self.process.stderr.fileno(), 4096) if ready else b""
            if not chunk:
                self.process.kill()
                raise AssertionError(f"the run never reached {point}: {self.stderr.decode()}")
            self.stderr += chunk

    def kill(self, sig: int = signal.SIGKILL) -> tuple[int, str]:
        """Send `sig` to the run by its PID; its exit status and the rest of its stderr."""
        os.kill(self.process.pid, sig)
        rest = self.process.stderr.read() if self.process.stderr else b""
        status = self.process.wait()
        return status, (self.stderr + rest).decode()


def _after_the_next_run_starts(out: Path) -> dict[str, bytes]:
    """The out folder's contents as the next run sees them once it holds the folder, less
    that run's own (empty) staging folder."""
    with OutFolder(out) as folder:
        assert folder.staging is not None
        return {k: v for k, v in _contents(out).items() if k != folder.staging.name}


POINTS = ["validated", "recovered", "rendered", "staged"]


@pytest.mark.parametrize("point", POINTS)
def test_a_run_killed_before_its_set_is_complete_leaves_the_earlier_set(point, earlier, tmp_path):
    out = tmp_path / "out"
    _place(out, earlier)
    status, _ = Paused(out, point, tmp_path).kill()
    assert status == -signal.SIGKILL
    left = _contents(out)
    assert {k: v for k, v in left.items() if k in earlier} == earlier
    # The next run cleans up as soon as it has the folder (what `run` does before it
    # stages anything): only the earlier set remains.
    assert _after_the_next_run_starts(out) == earlier


def test_a_run_killed_while_moving_its_complete_set_in_is_finished_by_the_next(
    earlier, public, tmp_path
):
    out = tmp_path / "out"
    _place(out, earlier)
    Paused(out, "committing", tmp_path).kill()
    # One file moved in, the others complete in the commit folder: the next run on the folder
    # completes the set before anything else.
    assert _after_the_next_run_starts(out) == public


def test_a_terminated_run_removes_its_staging_at_once(earlier, tmp_path):
    out = tmp_path / "out"
    _place(out, earlier)
    status, err = Paused(out, "staged", tmp_path).kill(signal.SIGTERM)
    assert status == 143
    assert "rhi-report: terminated; no outputs were changed." in err
    assert "Traceback" not in err
    assert _contents(out) == earlier


def test_a_second_run_on_the_same_folder_is_refused_while_the_first_writes(
    earlier, tmp_path, capsys
):
    out = tmp_path / "out"
    _place(out, earlier)
    first = Paused(out, "staged", tmp_path)
    try:
        assert _run(out) == 2
        err = capsys.readouterr().err
        assert "another rhi-report run is writing its outputs there now" in err
    finally:
        first.kill()
    assert {k: v for k, v in _contents(out).items() if k in earlier} == earlier


def test_an_extract_in_the_out_folder_under_an_outputs_name_is_never_overwritten(tmp_path, capsys):
    # The analyst exported the episodes extract into reports/ as metrics.csv.
    out = tmp_path / "out"
    out.mkdir()
    exported = out / "metrics.csv"
    shutil.copyfile(ROOT / "inputs" / "episodes.csv", exported)
    before = exported.read_bytes()
    assert _run(out, "--episodes", str(exported)) == 2
    err = capsys.readouterr().err
    assert "is the input file" in err and "metrics.csv" in err
    assert _contents(out) == {"metrics.csv": before}


def test_a_config_in_the_out_folder_under_an_outputs_name_is_never_overwritten(tmp_path, capsys):
    # YAML reads JSON, so a config can be called manifest.json; its relative paths are then
    # relative to the out folder.
    out = tmp_path / "out"
    out.mkdir()
    config = out / "manifest.json"
    settings = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    for extract in ("episodes", "interviews"):
        settings[extract]["path"] = str(ROOT / settings[extract]["path"])
    settings["commentary"] = str(ROOT / settings["commentary"])
    text = json.dumps(settings, default=str) + "\n"
    config.write_text(text)
    assert main(["run", "--config", str(config), "--out", str(out)]) == 2
    assert "is the input file" in capsys.readouterr().err
    assert _contents(out) == {"manifest.json": text.encode()}


def test_a_folder_named_like_an_output_leaves_every_earlier_output_as_it_was(
    earlier, tmp_path, capsys
):
    out = tmp_path / "out"
    _place(out, {k: v for k, v in earlier.items() if k != "metrics.csv"})
    (out / "metrics.csv").mkdir()
    before = _contents(out)
    assert _run(out) == 2
    assert "metrics.csv: is a folder, where the output metrics.csv goes" in (
        capsys.readouterr().err
    )
    assert _contents(out) == before


# ---------------------------------------------------------------------------------------------
# File systems of their own (tmpfs mounts)


@pytest.fixture
def mount(tmp_path) -> Iterator:
    """mount(path, options): a tmpfs at `path`, unmounted after the test; skips the test
    where this process may not mount."""
    mounted: list[Path] = []

    def do(path: Path, options: str = "size=16m") -> None:
        path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
        mounted.append(path)

    yield do
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _remount_read_only(path: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True)


def test_an_out_folder_that_is_a_mount_point_is_written(mount, public, tmp_path, capsys):
    # A Docker volume or network share at --out: the final moves must not cross file systems.
    out = tmp_path / "volume"
    mount(out)
    assert _run(out) == 0, capsys.readouterr().err
    assert _contents(out) == public


def test_a_full_disk_is_one_sentence_and_leaves_the_earlier_set(
    mount, earlier, public, tmp_path, capsys
):
    out = tmp_path / "small"
    # Room for the earlier set and half as much again: the new set cannot be staged.
    size = sum(len(v) for v in earlier.values())
    mount(out, f"size={size * 3 // 2 // 4096 * 4096 + 8192}")
    _place(out, earlier)
    assert _run(out) == 2
    err = capsys.readouterr().err
    assert "the disk is full (no space left on device)" in err
    assert f"{out}: the outputs could not be written there" in err
    assert "Traceback" not in err
    assert _contents(out) == earlier


def test_a_read_only_out_folder_is_one_sentence_and_leaves_the_earlier_set(
    mount, earlier, tmp_path, capsys
):
    out = tmp_path / "readonly"
    mount(out)
    _place(out, earlier)
    _remount_read_only(out)
    assert _run(out) == 2
    err = capsys.readouterr().err
    assert "it is on a read-only file system" in err
    assert _contents(out) == earlier


def test_a_writable_out_folder_under_a_read_only_parent_is_written(mount, public, tmp_path, capsys):
    parent = tmp_path / "share"
    mount(parent)
    out = parent / "out"
    out.mkdir()
    mount(out)
    _remount_read_only(parent)
    assert _run(out) == 0, capsys.readouterr().err
    assert _contents(out) == public


def test_an_out_folder_that_is_a_file_or_under_a_file_is_one_sentence(tmp_path, capsys):
    blocker = tmp_path / "reports"
    blocker.write_text("x")
    assert _run(blocker) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert _run(blocker / "2026-27-Q1") == 2
    assert "because" in capsys.readouterr().err
    assert blocker.read_text() == "x"
