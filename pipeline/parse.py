"""Turning extract text into typed values, vectorised, without ever guessing a date's order.

Each parser returns the typed values and a boolean mask of the cells it could not read, so the
data-quality rules can name every bad cell instead of the run failing or silently dropping it.
"""

from __future__ import annotations

from datetime import datetime

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
    text = clean_text(values)
    result = pd.Series(pd.NaT, index=values.index, dtype=DATETIME_UNIT)
    todo = text.notna()
    for fmt in _formats_by_likelihood(text):
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        hit = parsed.notna()
        if hit.any():
            idx = hit[hit].index
            result.loc[idx] = parsed[hit].astype(DATETIME_UNIT)
            todo.loc[idx] = False
    return result, todo


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
    text = clean_text(values).str.lower()
    result = pd.Series(pd.NA, index=values.index, dtype="boolean")
    result = result.mask(text.isin(_TRUE), True).mask(text.isin(_FALSE), False)
    unreadable = text.notna() & ~text.isin(_TRUE | _FALSE)
    return result.astype("boolean"), unreadable.astype(bool)


def canonical_code(values: pd.Series) -> pd.Series:
    """Normalise a category cell to canonical spelling: `Face to Face` -> `face_to_face`."""
    text = clean_text(values).str.lower()
    return text.str.replace(r"[\s\-/]+", "_", regex=True)
