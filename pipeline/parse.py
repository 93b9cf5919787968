"""Turning extract text into typed values, vectorised, without ever guessing a date's order.

Each parser returns the typed values and a boolean mask of the cells it could not read, so the
data-quality rules can name every bad cell instead of the run failing or silently dropping it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from datetime import datetime

import numpy as np
import pandas as pd

# Tried in order. UK order only: `03/04/2026` is 3 April, never read month-first.
DATETIME_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
)

DATETIME_UNIT = "datetime64[us]"

_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}


def blank(values: pd.Series) -> pd.Series:
    """True where a text cell is missing or only white space."""
    return values.isna() | (values.astype("str").str.strip() == "")


def clean_text(values: pd.Series) -> pd.Series:
    """Strip white space; blank cells become NA. Returns `str` dtype."""
    text = values.astype("str").str.strip()
    return text.mask(text == "", pd.NA)


def parse_datetimes(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read dates and date-times in ISO or UK day-first form.

    Returns (datetimes, unreadable): blank cells are NaT and readable; a non-blank cell that
    matches no accepted format, or names an impossible date such as 31/02/2026, is NaT and
    flagged unreadable. A date without a time is midnight of that day.
    """
    result = pd.Series(pd.NaT, index=values.index, dtype=DATETIME_UNIT)
    present = values.notna().to_numpy()
    if not present.any():
        return result, pd.Series(False, index=values.index)
    # Zero-padded cells (what systems export) are read by fixed position, in bulk.
    cells = values.to_numpy(dtype=object, na_value="")
    # In blocks that fit the processor's cache: the byte matrices of a million cells do not,
    # and the time would grow faster than the number of rows.
    parts = [_fixed_width_datetimes(cells[i : i + _BLOCK]) for i in range(0, len(cells), _BLOCK)]
    fast = np.concatenate([p[0] for p in parts])
    fast_ok = np.concatenate([p[1] for p in parts])
    stamps = np.where(fast_ok, fast, np.datetime64("NaT", "us"))
    unreadable = np.zeros(len(values), dtype=bool)
    slow = np.flatnonzero(present & ~fast_ok)
    if len(slow):
        # The rest (unpadded, odd separators, stray spaces) go through strptime one format
        # at a time; usually a handful of cells. Positions index everything here.
        left = clean_text(pd.Series(values.to_numpy(dtype=object)[slow], index=slow, dtype="str"))
        left = left.dropna()
        for fmt in _formats_by_likelihood(left):
            if left.empty:
                break
            parsed = pd.to_datetime(left, format=fmt, errors="coerce")
            hit = parsed.notna().to_numpy()
            stamps[left.index[hit]] = parsed[hit].to_numpy(dtype="datetime64[us]")
            left = left[~hit]
        unreadable[left.index] = True
    result = pd.Series(stamps, index=values.index, dtype=DATETIME_UNIT)
    return result, pd.Series(unreadable, index=values.index)


# The zero-padded layouts read by position: `D` a digit, `_` a space or `T`, else that character.
_LAYOUTS: tuple[str, ...] = (
    "DD/DD/DDDD",
    "DD/DD/DDDD DD:DD",
    "DD/DD/DDDD DD:DD:DD",
    "DDDD-DD-DD",
    "DDDD-DD-DD_DD:DD",
    "DDDD-DD-DD_DD:DD:DD",
)
_WIDTH = 19
_BLOCK = 1 << 16


def _pattern_bounds(layout: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-position lowest and highest byte a layout allows."""
    lo = np.zeros(len(layout), dtype=np.uint8)
    hi = np.zeros(len(layout), dtype=np.uint8)
    for i, char in enumerate(layout):
        if char == "D":
            lo[i], hi[i] = ord("0"), ord("9")
        elif char == "_":
            lo[i], hi[i] = ord(" "), ord("T")  # narrowed to exactly " " or "T" below
        else:
            lo[i] = hi[i] = ord(char)
    return lo, hi


def _number(digits: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """The decimal number written in columns lo..hi-1 of a digit matrix."""
    weights = 10 ** np.arange(hi - lo - 1, -1, -1, dtype=np.int64)
    return digits[:, lo:hi].astype(np.int64) @ weights


def _fixed_width_datetimes(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Parse zero-padded cells of the accepted layouts by position, fully vectorised.

    Returns (datetime64[us] values, ok mask); cells of any other shape, or naming an
    impossible date or time, are not ok and are left to the slower general path.
    """
    stamps = np.full(len(cells), np.datetime64("NaT", "us"))
    ok = np.zeros(len(cells), dtype=bool)
    try:
        # One byte a character: a date is ASCII. One byte wider than the widest layout, so a
        # longer cell (SQL Server's milliseconds, a stray suffix) is never cut to fit one.
        text = cells.astype(f"S{_WIDTH + 1}")
    except UnicodeEncodeError:
        return stamps, ok
    length = np.char.str_len(text)
    codes = text.view(np.uint8).reshape(len(text), _WIDTH + 1)
    for layout in _LAYOUTS:
        width = len(layout)
        rows = np.flatnonzero(length == width)
        if not len(rows):
            continue
        block = codes[rows, :width]
        lo, hi = _pattern_bounds(layout)
        shaped = ((block >= lo) & (block <= hi)).all(axis=1)
        if "_" in layout:
            shaped &= np.isin(block[:, layout.index("_")], (ord(" "), ord("T")))
        rows, block = rows[shaped], block[shaped]
        if not len(rows):
            continue
        digits = block.astype(np.int16) - ord("0")
        day_at, month_at, year_at = (
            ((0, 2), (3, 5), (6, 10)) if layout[2] == "/" else ((8, 10), (5, 7), (0, 4))
        )
        day, month, year = (_number(digits, *at) for at in (day_at, month_at, year_at))
        zero = np.zeros(len(rows), dtype=np.int64)
        hour = _number(digits, 11, 13) if width >= 16 else zero
        minute = _number(digits, 14, 16) if width >= 16 else zero
        second = _number(digits, 17, 19) if width == 19 else zero
        month_ok = (month >= 1) & (month <= 12) & (year >= 1)
        month = np.where(month_ok, month, 1)
        good = (
            month_ok
            & (day >= 1)
            & (day <= _days_in_month(year, month))
            & (hour < 24)
            & (minute < 60)
            & (second < 60)
        )
        seconds = hour * 3_600 + minute * 60 + second
        micros = _days_since_epoch(year, month, day) * _US_PER_DAY + seconds * 1_000_000
        stamps.view(np.int64)[rows[good]] = micros[good]
        ok[rows[good]] = True
    return stamps, ok


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
_US_PER_DAY = 86_400_000_000


def _days_in_month(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    """Days in each (year, month) of the Gregorian calendar (month 1-12)."""
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    return _MONTH_DAYS[month] + (leap & (month == 2))


def _days_since_epoch(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days from 1 January 1970 to each Gregorian date, by integer arithmetic (H. Hinnant's
    days_from_civil): numpy's calendar conversions between datetime64 units are several
    times slower than this on a million dates."""
    shifted = year - (month <= 2)  # the year counted from March, so February ends it
    era = shifted // 400
    year_of_era = shifted - era * 400
    day_of_year = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - 719_468


def _formats_by_likelihood(text: pd.Series) -> list[str]:
    """Accepted formats, those matching the first non-blank cell first.

    Extracts are nearly always uniform, so one vectorised pass usually reads every cell;
    the rest are only tried on what is left.
    """
    present = text.dropna()
    if present.empty:
        return []
    first = present.iloc[0]
    matching = []
    for fmt in DATETIME_FORMATS:
        try:
            datetime.strptime(first, fmt)
        except ValueError:
            continue
        matching.append(fmt)
    return matching + [fmt for fmt in DATETIME_FORMATS if fmt not in matching]


def parse_bools(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read yes/no, y/n, true/false, 1/0 in any case.

    Returns (booleans as nullable `boolean`, unreadable mask); blank is NA and readable.
    """
    codes, uniques = factorize(values)
    words = [str(u).strip().lower() for u in uniques]
    truth = np.array([w in _TRUE for w in words] + [False])
    falsity = np.array([w in _FALSE for w in words] + [False])
    bad = np.array([bool(w) and w not in _TRUE | _FALSE for w in words] + [False])
    # Code -1 (blank) picks the trailing False of each table.
    result = pd.array(np.where(truth[codes], True, False), dtype="boolean")
    result[~(truth[codes] | falsity[codes])] = pd.NA
    return pd.Series(result, index=values.index), pd.Series(bad[codes], index=values.index)


def per_distinct(values: pd.Series, transform: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a text transform to each distinct value once, then spread it back.

    Extract columns hold a handful of codes repeated over many rows, so this turns a
    per-row string operation into a per-code one. Returns `str` dtype (blank = NA).
    """
    codes, uniques = factorize(values)
    if not len(uniques):
        return pd.Series(pd.NA, index=values.index, dtype="str")
    mapped = transform(pd.Series(uniques, dtype="str")).to_numpy(dtype=object, na_value=None)
    return spread(list(mapped), codes, values.index)


def spread(per_code: list[object], codes: np.ndarray, index: pd.Index) -> pd.Series:
    """A `str` column from one value per distinct code (None = blank) and each row's code."""
    distinct = pd.array(per_code, dtype="str")
    column = pd.Series(distinct.take(codes, allow_fill=True), index=index)
    _remember_codes(column.array, codes, distinct.to_numpy(dtype=object, na_value=None).tolist())
    return column


# The codes behind each column `spread` built, by the identity of its array (which lives as
# long as the column is unchanged): a code column is trimmed, mapped and spelt in turn, each
# through its distinct values, and hashing a million cells again at every step would cost
# more than the steps themselves. An entry goes when its array does.
_CODES: dict[int, tuple[weakref.ref, np.ndarray, list[object]]] = {}


def _remember_codes(array: object, codes: np.ndarray, per_code: list[object]) -> None:
    key = id(array)
    _CODES[key] = (weakref.ref(array, lambda _, key=key: _CODES.pop(key, None)), codes, per_code)


def factorize(values: pd.Series) -> tuple[np.ndarray, Sequence[object]]:
    """Each row's code (-1 = blank) and the distinct non-blank values, as `pd.factorize`
    gives them. A column built by `spread` is not hashed again: its codes are reused, merged
    where two of them now hold the same value (same order of first appearance, as each of
    its codes came from a distinct value present in the column)."""
    known = _CODES.get(id(values.array))
    if known is None or known[0]() is not values.array:
        return pd.factorize(values)
    _, codes, per_code = known
    position: dict[object, int] = {}
    remap = np.empty(len(per_code) + 1, dtype=np.int64)
    remap[-1] = -1  # a blank row stays blank
    for old, value in enumerate(per_code):
        remap[old] = -1 if value is None else position.setdefault(value, len(position))
    return remap[codes], list(position)


def canonical_code(values: pd.Series) -> pd.Series:
    """Normalise a category cell to canonical spelling: `Face to Face` -> `face_to_face`."""
    text = clean_text(values).str.lower()
    return text.str.replace(r"[\s\-/]+", "_", regex=True)
