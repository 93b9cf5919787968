"""How every figure is shown, wherever it is shown (report, workbook, tables, narrative).

Rules (metrics.md, Presentation rules):
- Percentages are whole numbers, rounded half away from zero: 60.5% -> 61%, 65 of 108 -> 60%.
  Rounding uses decimal arithmetic, never binary floats, so 0.145 shows as 15%, not 14%.
- A rate with denominator 0 shows "no cases", never 0% or NaN.
- A suppressed figure (public audience, small numbers) shows "[c]".
- A figure whose data is not held in this run (pipeline.metrics.held) shows "[x]", the GSS
  symbol for "not available": it is not recorded, never 0 and never "no cases".
- Counts have thousands separators: 1,234.
- Times: under 48 hours (after rounding to the whole hour) are shown in whole hours
  ("36 hours", "1 hour", "less than 1 hour" below half an hour); longer times are shown in
  days to one decimal place ("3.5 days"), because "100 hours" is harder to picture. Tables
  and charts of times read against an hours axis or the 72-hour timescale use whole hours
  throughout (`whole_hours`), so "2.2 days" never sits beside "37 hours".
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

SUPPRESSED = "[c]"
NOT_RECORDED = "[x]"
NO_CASES = "no cases"
HOURS_SHOWN_UP_TO = 48

# Binary floats carry tiny errors (0.145 * 100 = 14.499999999999998). Snapping to nine
# decimal places before rounding removes them; rates built from counts below a billion never
# come that close to a half without being exactly a half.
_SNAP = Decimal("1e-9")


def _decimal(x: float | int | Decimal) -> Decimal:
    """A number as a Decimal, read from its shortest decimal form and snapped (see _SNAP)."""
    if isinstance(x, Decimal):
        value = x
    elif isinstance(x, int):
        value = Decimal(x)
    else:
        value = Decimal(repr(float(x)))
    return value.quantize(_SNAP, rounding=ROUND_HALF_EVEN)


def _missing(x: object) -> bool:
    """True for None, NaN and pandas' missing markers."""
    if x is None:
        return True
    try:
        return bool(math.isnan(float(x)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def round_half_away(x: float | int | Decimal, places: int = 0) -> int | Decimal:
    """Round half away from zero (60.5 -> 61, -0.5 -> -1), immune to binary float artefacts.

    With `places` = 0 (the default) the result is an int; otherwise a Decimal with that many
    decimal places.
    """
    step = Decimal(1).scaleb(-places)
    # Decimal's ROUND_HALF_UP rounds ties away from zero, which is what we want.
    rounded = _decimal(x).quantize(step, rounding=ROUND_HALF_UP)
    return int(rounded) if places == 0 else rounded


def _whole_percent(value: Decimal) -> str:
    return f"{round_half_away(value * 100):,}%"


def percent(
    numerator: float | int | None,
    denominator: float | int | None,
    suppressed: bool = False,
    *,
    not_recorded: bool = False,
) -> str:
    """A rate as a whole-number percentage: percent(65, 108) -> "60%".

    "no cases" when the denominator is 0 or blank; "[c]" when suppressed.
    """
    if not_recorded:
        return NOT_RECORDED
    if suppressed:
        return SUPPRESSED
    if _missing(denominator) or _missing(numerator) or float(denominator) == 0:  # type: ignore[arg-type]
        return NO_CASES
    exact = _decimal(numerator) / _decimal(denominator)  # type: ignore[arg-type]
    return _whole_percent(exact)


def rate_percent(
    value: float | None, suppressed: bool = False, *, not_recorded: bool = False
) -> str:
    """A decimal rate (0.601852) as a whole-number percentage ("60%"); blank -> "no cases"."""
    if not_recorded:
        return NOT_RECORDED
    if suppressed:
        return SUPPRESSED
    if _missing(value):
        return NO_CASES
    return _whole_percent(_decimal(value))  # type: ignore[arg-type]


def count(
    value: float | int | None, suppressed: bool = False, *, not_recorded: bool = False
) -> str:
    """A count with thousands separators ("1,234"); "[c]" when suppressed; "" when blank."""
    if not_recorded:
        return NOT_RECORDED
    if suppressed:
        return SUPPRESSED
    if _missing(value):
        return ""
    return f"{round_half_away(value):,}"  # type: ignore[arg-type]


def number(
    value: float | None, places: int = 1, suppressed: bool = False, *, not_recorded: bool = False
) -> str:
    """A decimal figure such as episodes per child ("1.8"); blank -> "no cases"."""
    if not_recorded:
        return NOT_RECORDED
    if suppressed:
        return SUPPRESSED
    if _missing(value):
        return NO_CASES
    return f"{round_half_away(value, places):,}"  # type: ignore[arg-type]


def whole_hours(
    value: float | None, suppressed: bool = False, *, not_recorded: bool = False
) -> str:
    """A duration in whole hours however long ("86 hours"), for tables and charts read against
    an hours axis or the 72-hour timescale. Blank -> "no cases"."""
    if not_recorded:
        return NOT_RECORDED
    if suppressed:
        return SUPPRESSED
    if _missing(value):
        return NO_CASES
    whole = round_half_away(value)  # type: ignore[arg-type]
    if whole == 0:
        return "less than 1 hour"
    return "1 hour" if whole == 1 else f"{whole:,} hours"


def hours(value: float | None, suppressed: bool = False, *, not_recorded: bool = False) -> str:
    """A duration given in hours: "36 hours" up to 48 hours, then "3.5 days".

    Times are rounded to the whole hour first; if that is 48 or less the hours are shown
    ("1 hour", "less than 1 hour" under half an hour), otherwise days to one decimal place.
    Blank -> "no cases".
    """
    if not_recorded:
        return NOT_RECORDED
    if suppressed:
        return SUPPRESSED
    if _missing(value):
        return NO_CASES
    whole = round_half_away(value)  # type: ignore[arg-type]
    if whole <= HOURS_SHOWN_UP_TO:
        if whole == 0:
            return "less than 1 hour"
        return "1 hour" if whole == 1 else f"{whole:,} hours"
    days = round_half_away(_decimal(value) / 24, 1)  # type: ignore[arg-type]
    return f"{days:,} days"


def value(
    spec_shown_as: str,
    figure: float | None,
    suppressed: bool = False,
    *,
    not_recorded: bool = False,
) -> str:
    """Format a metrics-table value according to its registry `shown_as`."""
    if not_recorded:
        return NOT_RECORDED
    if spec_shown_as == "percent":
        return rate_percent(figure, suppressed)
    if spec_shown_as == "hours":
        return hours(figure, suppressed)
    if spec_shown_as == "number":
        return number(figure, 1, suppressed)
    return count(figure, suppressed)


__all__ = [
    "NOT_RECORDED",
    "NO_CASES",
    "SUPPRESSED",
    "count",
    "hours",
    "number",
    "percent",
    "rate_percent",
    "round_half_away",
    "value",
]
