"""The out folder: checked, locked, written in a staging folder inside it, replaced as a set.

A run's outputs replace the previous set as a whole or not at all (docs/reliability.md):

1. `OutFolder.open` checks the out folder is a folder that can be written (creating it if
   missing), takes an exclusive lock on it, finishes a commit a killed run left half done and
   removes staging folders killed runs left behind.
2. Every output is written into `.rhi-report-staging-*` inside the out folder, so the final
   moves never cross file systems, even when the out folder is a mount point of its own.
3. `commit` refuses to replace an input, the config, the commentary or a folder, flushes the
   staged files to disk, renames the staging folder to `.rhi-report-commit` (one atomic step
   that marks the new set complete), then moves each file into place, removes the files an
   earlier run wrote that this set does not hold (its manifest's outputs) and removes the
   folder. A run killed between those steps is completed by the next run on the folder (step 1).

Outputs are named by their path in the out folder: a file directly in it, or one in its
`internal/` subfolder (INTERNAL_DIR), where a public run puts its internal-only reports so that
publishing the folder's own files never publishes a case ID.

Any failure before step 3's rename leaves the earlier outputs exactly as they were; the
staging folder is removed, and so is an out folder this run created and left empty.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.files import kind_of

STAGING_PREFIX = ".rhi-report-staging-"
COMMIT_NAME = ".rhi-report-commit"
# The subfolder of the out folder for a public run's internal-only reports.
INTERNAL_DIR = "internal"
# In a staging or commit folder: the earlier outputs to remove once the new set is in place.
REMOVALS_NAME = ".rhi-report-remove"
# Tests only (tests/test_faults.py): the run stops at the named point, says so on stderr and
# waits there to be killed, so a kill can be aimed at each step of writing.
PAUSE_VARIABLE = "RHI_REPORT_TEST_PAUSE_AT"

# The errors of a folder or disk that cannot take the outputs, and what to do about each.
_STORAGE_ERRORS = {
    errno.ENOSPC: "the disk is full (no space left on device); free some space and run again",
    errno.EDQUOT: "the disk quota is used up; free some space and run again",
    errno.EFBIG: "a file would be larger than the file system allows",
    errno.EROFS: "it is on a read-only file system; choose another folder with --out",
    errno.EACCES: "permission was denied; choose a folder you can write to with --out",
    errno.EPERM: "the operation was not permitted; choose a folder you can write to with --out",
    errno.EIO: "the disk reported an input/output error; check the disk and run again",
}


def pause_point(name: str) -> None:
    """For the fault-injection tests only: stop here when PAUSE_VARIABLE names this point."""
    if os.environ.get(PAUSE_VARIABLE) != name:
        return
    print(f"rhi-report: paused at {name}", file=sys.stderr, flush=True)
    while True:  # until the test kills this process
        signal.pause()


def storage_problem(out_dir: Path, exc: OSError) -> UsageError | None:
    """One sentence for an error of the out folder's disk or permissions, else None."""
    why = _STORAGE_ERRORS.get(exc.errno or 0)
    if why is None:
        return None
    return UsageError(
        f"{out_dir}: the outputs could not be written there, because {why}. "
        "The earlier outputs in it were left as they were."
    )


def _nearest_existing(path: Path) -> Path:
    """The path itself or its closest ancestor that exists (as a name, even if a dangling link)."""
    for candidate in (path, *path.parents):
        if os.path.lexists(candidate):
            return candidate
    return Path(".")


def _make_folder(out_dir: Path) -> bool:
    """Create the out folder (and parents) unless it exists; True if this call created it."""
    if out_dir.is_dir():
        return False
    if os.path.lexists(out_dir):
        kind = kind_of(os.lstat(out_dir).st_mode)
        raise UsageError(
            f"{out_dir}: is {kind}, not a folder, so the outputs cannot be written there. "
            "Give --out a folder (it is created if missing), or move that file away."
        )
    blocker = _nearest_existing(out_dir.parent)
    if not blocker.is_dir():
        raise UsageError(
            f"{out_dir}: cannot be created, because {blocker} is "
            f"{kind_of(os.lstat(blocker).st_mode)}, not a folder. Give --out a folder that can "
            "be created."
        )
    try:
        out_dir.mkdir(parents=True)
    except FileExistsError:  # another process made it meanwhile
        return False
    except OSError as exc:
        problem = storage_problem(out_dir, exc)
        if problem is None:
            raise
        raise problem from None
    return True


def _lock(out_dir: Path) -> int | None:
    """An open descriptor of the out folder holding an exclusive lock on it (None where the
    platform has no flock). Refuses, with a sentence, while another run holds it."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, the rest still holds
        return None
    fd = os.open(out_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in {errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES}:
            raise UsageError(
                f"{out_dir}: another rhi-report run is writing its outputs there now. Wait "
                "for it to finish and run again, or give this run another folder with --out."
            ) from None
        raise
    return fd


def _files_in(folder: Path) -> list[str]:
    """The regular files directly in a folder and in its `internal/` subfolder, as output
    names ("metrics.csv", "internal/director-quarterly.pdf"), sorted; not the removals list."""
    names = [p.name for p in folder.iterdir() if p.is_file() and not p.is_symlink()]
    sub = folder / INTERNAL_DIR
    if sub.is_dir() and not sub.is_symlink():
        names += [
            f"{INTERNAL_DIR}/{p.name}" for p in sub.iterdir() if p.is_file() and not p.is_symlink()
        ]
    return sorted(n for n in names if n != REMOVALS_NAME)


def is_output_name(name: str) -> bool:
    """True for a name an output can have: a plain file name, directly in the out folder or
    in its `internal/` subfolder. Anything else (an absolute path, "..", a hidden name, a
    deeper folder) is never written or removed, whatever an earlier manifest says."""
    parts = name.split("/")
    if len(parts) == 2 and parts[0] == INTERNAL_DIR:
        parts = parts[1:]
    return (
        len(parts) == 1
        and bool(parts[0])
        and not parts[0].startswith(".")
        and "\\" not in parts[0]
        and parts[0] != INTERNAL_DIR
    )


def _place(source: Path, out_dir: Path, name: str) -> None:
    """Move one committed file into place, creating the `internal/` subfolder if needed."""
    target = out_dir / name
    if "/" in name:
        target.parent.mkdir(exist_ok=True)
    os.replace(source, target)


def _remove_listed(commit: Path, out_dir: Path) -> None:
    """Remove the earlier outputs the commit folder's removals list names (each a regular
    file or link, never a folder), then an `internal/` subfolder left empty."""
    listed = commit / REMOVALS_NAME
    if not listed.is_file():
        return
    for name in listed.read_text(encoding="utf-8").splitlines():
        if not is_output_name(name):
            continue
        target = out_dir / name
        with contextlib.suppress(FileNotFoundError):
            if os.path.islink(target) or target.is_file():
                os.unlink(target)
    with contextlib.suppress(OSError):  # only if empty (and a real folder)
        sub = out_dir / INTERNAL_DIR
        if sub.is_dir() and not sub.is_symlink():
            sub.rmdir()
    listed.unlink()


def recover(out_dir: Path) -> None:
    """Finish a commit a killed run left half done, and remove staging killed runs left.

    Only call with the out folder locked. A commit folder holds a complete set (it was renamed
    from staging only once every file was written and flushed), so its files are moved in;
    a staging folder may be incomplete, so it is removed.
    """
    commit = out_dir / COMMIT_NAME
    if commit.is_dir() and not commit.is_symlink():
        for name in _files_in(commit):
            if not (out_dir / name).is_dir() and _subfolder_ok(out_dir, name):
                _place(commit / name, out_dir, name)
        _remove_listed(commit, out_dir)
        shutil.rmtree(commit, ignore_errors=True)
    for entry in out_dir.iterdir():
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def _identity(path: Path) -> tuple[Path, tuple[int, int] | None]:
    """A path as the overwrite check compares it: resolved, and its device and inode."""
    try:
        st = os.stat(path)
        ident: tuple[int, int] | None = (st.st_dev, st.st_ino)
    except OSError:
        ident = None
    return path.resolve(), ident


def _subfolder_ok(out_dir: Path, name: str) -> bool:
    """False when `name` goes into a subfolder whose name is taken by something other than
    a real folder (a file, or a link that could lead the file out of the out folder)."""
    if "/" not in name:
        return True
    sub = out_dir / name.split("/")[0]
    return not os.path.lexists(sub) or (sub.is_dir() and not sub.is_symlink())


def _guarded(protected: Iterable[Path]) -> dict:
    """The protected files, keyed by resolved path and by (device, inode)."""
    guarded: dict = {}
    for path in protected:
        resolved, ident = _identity(path)
        guarded[resolved] = path
        if ident is not None:
            guarded[ident] = path
    return guarded


def check_targets(out_dir: Path, names: Iterable[str], protected: Iterable[Path]) -> None:
    """Refuse, before anything is replaced, an output that would overwrite an input (by
    resolved path or by being the same file) or land on something that is not a file, or
    in an `internal/` that is not a real folder."""
    guarded = _guarded(protected)
    for name in names:
        if not _subfolder_ok(out_dir, name):
            sub = out_dir / name.split("/")[0]
            mode = os.lstat(sub).st_mode
            raise UsageError(
                f"{sub}: is {kind_of(mode)}, where the folder for the internal reports goes. "
                "Move it away, or give another folder with --out; the earlier outputs were "
                "left as they were."
            )
        target = out_dir / name
        if not os.path.lexists(target):
            continue
        resolved, ident = _identity(target)
        source = guarded.get(resolved) or (guarded.get(ident) if ident else None)
        if source is not None:
            raise UsageError(
                f"{target}: is the input file {source}, and writing the output {name} would "
                "overwrite it. Move the input out of the out folder, or give another folder "
                "with --out; nothing was changed."
            )
        mode = os.stat(target).st_mode if os.path.exists(target) else os.lstat(target).st_mode
        if not stat.S_ISREG(mode):
            raise UsageError(
                f"{target}: is {kind_of(mode)}, where the output {name} goes. Move it away, or "
                "give another folder with --out; the earlier outputs were left as they were."
            )


def _flush(paths: Iterable[Path]) -> None:
    """Make files (or folders) durable on disk; a full disk may only say so here."""
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class OutFolder:
    """One run's hold on its out folder: locked, with a staging folder inside it.

    Use as a context manager: leaving it without `commit` (any exception, Ctrl-C, SIGTERM)
    removes the staging folder and an out folder this run created, and releases the lock.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.staging: Path | None = None
        self._created = False
        self._fd: int | None = None

    def __enter__(self) -> OutFolder:
        out_dir = self.out_dir
        self._created = _make_folder(out_dir)
        try:
            self._fd = _lock(out_dir)
            recover(out_dir)
            pause_point("recovered")
            self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
        except OSError as exc:
            self._release()
            problem = storage_problem(out_dir, exc)
            if problem is None:
                raise
            raise problem from None
        except BaseException:
            self._release()
            raise
        return self

    def commit(
        self, names: list[str], protected: Iterable[Path], earlier: Iterable[str] = ()
    ) -> None:
        """Replace the out folder's set of outputs with the staged `names`, as described
        above. `earlier` are the outputs the earlier run wrote (its manifest's): those this
        set does not hold are removed, so a report no longer asked for leaves no stale file
        (an input among them is kept)."""
        assert self.staging is not None
        out_dir = self.out_dir
        protected = list(protected)
        check_targets(out_dir, names, protected)
        guarded = _guarded(protected)
        # An internal report directly in the out folder (where runs before internal/ put
        # it, or an internal-audience run) is stale once this set puts it in internal/.
        moved = {n.split("/", 1)[1] for n in names if n.startswith(f"{INTERNAL_DIR}/")}
        stale = sorted(
            name
            for name in (set(earlier) | {n for n in moved if os.path.lexists(out_dir / n)})
            - set(names)
            if is_output_name(name) and not any(key in guarded for key in _identity(out_dir / name))
        )
        flushed = [self.staging / name for name in names]
        if stale:
            removals = self.staging / REMOVALS_NAME
            removals.write_text("".join(f"{n}\n" for n in stale), encoding="utf-8")
            flushed.append(removals)
        if any("/" in name for name in names):
            flushed.append(self.staging / INTERNAL_DIR)
        _flush(flushed)
        pause_point("staged")
        commit = out_dir / COMMIT_NAME
        os.rename(self.staging, commit)
        self.staging = None
        try:
            for number, name in enumerate(names):
                _place(commit / name, out_dir, name)
                if number == 0:
                    pause_point("committing")
            _remove_listed(commit, out_dir)
            with contextlib.suppress(FileNotFoundError):
                os.rmdir(commit / INTERNAL_DIR)
            os.rmdir(commit)
        except BaseException:
            # The set is complete in the commit folder: finish it now if possible, else the
            # next run on this folder does.
            with contextlib.suppress(OSError):
                recover(out_dir)
            raise
        with contextlib.suppress(OSError):  # not every file system can flush a folder
            _flush([out_dir])
        self._created = False

    def _release(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        if self._created:
            with contextlib.suppress(OSError):  # only if still empty
                self.out_dir.rmdir()
            self._created = False
        if self._fd is not None:
            os.close(self._fd)  # closing releases the lock
            self._fd = None

    def __exit__(self, *exc: object) -> None:
        self._release()


__all__ = [
    "COMMIT_NAME",
    "INTERNAL_DIR",
    "PAUSE_VARIABLE",
    "REMOVALS_NAME",
    "STAGING_PREFIX",
    "OutFolder",
    "check_targets",
    "is_output_name",
    "pause_point",
    "recover",
    "storage_problem",
]
