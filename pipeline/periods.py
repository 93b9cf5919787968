"""UK financial-year quarters: Q1 April-June ... Q4 January-March, IDs like `2026-27-Q1`.

pandas' fiscal quarters are labelled by the year they end, so we write our own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

_ID = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True, order=True)
class Quarter:
    """One financial quarter; `year` is the calendar year the financial year starts in."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read an ID such as `2026-27-Q1`; raise ValueError if it is not one."""
        match = _ID.match(text.strip())
        if not match or int(match[2]) != (int(match[1]) + 1) % 100:
            raise ValueError(f"{text!r} is not a quarter ID like 2026-27-Q1")
        return cls(int(match[1]), int(match[3]))

    @classmethod
    def containing(cls, day: date | pd.Timestamp) -> Quarter:
        """The quarter a date falls in."""
        year = day.year if day.month >= 4 else day.year - 1
        return cls(year, (day.month - 4) % 12 // 3 + 1)

    @property
    def id(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}-Q{self.number}"

    @property
    def start(self) -> date:
        """First day of the quarter."""
        month = 4 + 3 * (self.number - 1)
        return date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> date:
        """Day after the quarter's last day (exclusive bound)."""
        return self.next().start

    @property
    def last_day(self) -> date:
        return date.fromordinal(self.end.toordinal() - 1)

    @property
    def financial_year(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}"

    @property
    def months(self) -> list[str]:
        """The quarter's months as `YYYY-MM`."""
        start = self.start
        out = []
        for i in range(3):
            m = start.month + i
            out.append(f"{start.year + (m - 1) // 12}-{(m - 1) % 12 + 1:02d}")
        return out

    @property
    def short_label(self) -> str:
        """e.g. `Q1 2026-27`."""
        return f"Q{self.number} {self.financial_year}"

    @property
    def label(self) -> str:
        """e.g. `Quarter 1 2026-27 (April to June 2026)`."""
        first, last = self.start, self.last_day
        span = f"{_MONTHS[first.month - 1]} to {_MONTHS[last.month - 1]} {last.year}"
        if first.year != last.year:
            span = (
                f"{_MONTHS[first.month - 1]} {first.year} to {_MONTHS[last.month - 1]} {last.year}"
            )
        return f"Quarter {self.number} {self.financial_year} ({span})"

    @property
    def months_label(self) -> str:
        """e.g. `April to June 2026`."""
        return self.label.split("(", 1)[1].rstrip(")")

    def next(self) -> Quarter:
        return Quarter(self.year + (self.number == 4), self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    def minus(self, quarters: int) -> Quarter:
        q = self
        for _ in range(quarters):
            q = q.previous()
        return q

    def __str__(self) -> str:
        return self.id


def quarter_ids(starts: pd.Series) -> pd.Series:
    """Vectorised: the quarter ID of each timestamp (NaT gives <NA>)."""
    year = starts.dt.year
    month = starts.dt.month
    fy = year.where(month >= 4, year - 1)
    number = (month - 4) % 12 // 3 + 1
    valid = starts.notna()
    fy_i = fy[valid].astype("int64")
    n_i = number[valid].astype("int64")
    labels = (
        fy_i.astype(str)
        + "-"
        + ((fy_i + 1) % 100).astype(str).str.zfill(2)
        + "-Q"
        + n_i.astype(str)
    )
    out = pd.Series(pd.NA, index=starts.index, dtype="str")
    out[valid] = labels.to_numpy(dtype=object)
    return out


def month_label(month_id: str, short: bool = False) -> str:
    """`2026-04` -> `April 2026` (or `Apr 2026`)."""
    year, month = month_id.split("-")
    name = _MONTHS[int(month) - 1]
    return f"{name[:3] if short else name} {year}"


def quarters_back(last: Quarter, count: int) -> list[Quarter]:
    """The `count` quarters ending with `last`, oldest first."""
    return [last.minus(i) for i in reversed(range(count))]


__all__ = [
    "Quarter",
    "month_label",
    "quarter_ids",
    "quarters_back",
]
