"""What an input file is before it is read: a regular file, in a text encoding the run reads.

A run reads only regular files: a named pipe (FIFO) would wait for ever, a device could
never end and a folder cannot be read, so each is refused with one sentence before anything
opens it. Text that is not UTF-8 or Windows-1252 (UTF-16 from "Unicode Text" exports, a
workbook renamed .csv) is named, with how to save it again. Values quoted back in messages
are clipped, so a 200 MB cell never becomes a 200 MB sentence.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from pipeline.errors import UsageError

# The most characters of one value a message quotes.
QUOTE_LIMIT = 80
# How much of a file the encoding sniff reads.
_SNIFF_BYTES = 4096
_RESAVE = "Open it in Excel and save it again with Save As, choosing 'CSV UTF-8 (Comma delimited)'."


def kind_of(mode: int) -> str:
    """What a file system entry is, in words: "a folder", "a named pipe (FIFO)", "a device",
    "a socket", "a symbolic link" (for an lstat mode), or "a file"."""
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
    )
    return next((word for test, word in kinds if test(mode)), "a file")


def _kind(mode: int) -> str | None:
    """What a non-regular input is, in words, with why it cannot be read (None for a
    regular file)."""
    if stat.S_ISREG(mode):
        return None
    kind = kind_of(mode)
    if kind == "a named pipe (FIFO)":
        return f"{kind}, which would wait for ever for something to write to it"
    if kind == "a device":
        return "a device, not a file"
    return kind if kind in ("a folder", "a socket") else "not a regular file"


def check_regular_file(path: Path, what: str) -> None:
    """Refuse, with one sentence, a path that is not a regular file (following links).

    A missing path passes: each caller says in its own words where the file should be.
    `what` names the file's role, e.g. "episodes extract" or "config file".
    """
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as exc:
        raise UsageError(
            f"{path}: the {what} could not be read ({exc.strerror or exc}). "
            "Check the path and that you may read it."
        ) from None
    kind = _kind(mode)
    if kind is not None:
        raise UsageError(
            f"{path}: the {what} is {kind}, so it cannot be read. Give the path of the "
            f"{what} file itself."
        )


def foreign_encoding(head: bytes) -> str | None:
    """What a file's first bytes show it to be when that is not UTF-8 or Windows-1252 text:
    UTF-16 or UTF-32 (with or without a byte order mark), a zipped file, an old .xls
    workbook or binary data. None when it may well be text the run reads."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32 text"
    if head.startswith(b"\xff\xfe"):
        return "UTF-16 text (little-endian, as Excel's 'Unicode Text' saves it)"
    if head.startswith(b"\xfe\xff"):
        return "UTF-16 text (big-endian)"
    if head.startswith(b"PK\x03\x04"):
        return "a zipped file (perhaps an .xlsx workbook with another extension)"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Excel .xls workbook"
    if b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    # ASCII text in UTF-16 without a mark: every other byte is zero.
    if odd and odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "UTF-16 text (little-endian, without a byte order mark)"
    if even and even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "UTF-16 text (big-endian, without a byte order mark)"
    return "binary data, not text"


def check_text_encoding(path: Path, what: str) -> None:
    """Refuse, naming what it is, a text file in an encoding the run does not read."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    found = foreign_encoding(head)
    if found is not None:
        raise UsageError(
            f"{path.name}: the {what} is {found}, not UTF-8 or Windows-1252 text. {_RESAVE}"
        )


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """A value as a message quotes it: whole if short, else its start and its length."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"


__all__ = [
    "QUOTE_LIMIT",
    "check_regular_file",
    "check_text_encoding",
    "clip",
    "foreign_encoding",
]
