"""Helpers every analyst-output writer shares: formula-injection protection, safe file names,
deterministic CSV writing and file hashes.

A spreadsheet program opening a CSV treats a cell that starts with `=`, `+`, `-` or `@` (and,
in some programs, a tab or carriage return) as a formula, so text copied from an extract such
as `=HYPERLINK(...)` could run when the analyst opens data-quality.csv. Every text cell we
write therefore goes through `neutralise_formula`, which prefixes such text with an apostrophe
(the OWASP "CSV injection" mitigation); numbers we format ourselves are never touched.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath

# Characters that make a spreadsheet read a cell as a formula (or as the start of one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# A plain decimal number such as -1.5 is data, not a formula, and is left as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")

# The symbol for a figure withheld by disclosure control (as in DfE statistics).
SUPPRESSED = "[c]"

# Marking shown on every page and sheet, by audience.
MARKINGS = {
    "public": "OFFICIAL",
    "internal": "OFFICIAL-SENSITIVE: not for publication",
}


def neutralise_formula(text: str) -> str:
    """Return `text` so that no spreadsheet reads it as a formula.

    Text starting with = + - @ (or a tab or carriage return) gets a leading apostrophe, unless
    it is a plain number like `-1.5`; any other text is returned unchanged.
    """
    if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def marking(audience: str) -> str:
    """The security marking for an audience ("OFFICIAL" or the not-for-publication marking)."""
    try:
        return MARKINGS[audience]
    except KeyError:
        raise ValueError(f"unknown audience {audience!r}; expected public or internal") from None


def file_name_only(path: str | None) -> str:
    """The last part of a path (POSIX or Windows), so no folder structure reaches an output."""
    if not path:
        return ""
    # Take whichever reading gives the shorter name: a Windows path read as POSIX keeps its
    # backslashes, a POSIX path read as Windows is unchanged.
    return min(PurePosixPath(path).name, PureWindowsPath(path).name, key=len)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A CSV document as UTF-8 bytes: `\\n` line endings, minimal quoting, no BOM.

    Every cell must already be text; each is passed through `neutralise_formula` so a value
    from an extract can never become a formula.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise_formula(h) for h in header])
    writer.writerows([neutralise_formula(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def write_bytes(path: Path, data: bytes) -> Path:
    """Write `data` to `path` (creating the folder) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
