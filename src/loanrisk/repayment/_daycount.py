"""Payment frequencies, due-date rolling and day-count conventions (vectorised).

Dates are numpy ``datetime64[D]`` arrays throughout; ``NaT`` marks an undated loan.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from loanrisk.errors import InputError

__all__ = ["year_fraction"]

#: frequency -> (periods per year, months per period, days per period)
FREQUENCIES: dict[str, tuple[int, int, int]] = {
    "monthly": (12, 1, 0),
    "quarterly": (4, 3, 0),
    "fortnightly": (26, 0, 14),
    "weekly": (52, 0, 7),
}

DAY_COUNTS: tuple[str, ...] = ("30/360", "ACT/365", "ACT/360", "ACT/ACT")

NAT = np.datetime64("NaT", "D")


def to_day(value: Any, name: str) -> np.datetime64:
    """Convert a date-like scalar (or None) to ``datetime64[D]`` (NaT for None)."""
    if value is None:
        return NAT
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"The {name!r} argument must be a date (e.g. '2024-01-31' or "
            f"datetime.date(2024, 1, 31)) or None. Got {value!r} ({exc})."
        ) from None
    if pd.isna(stamp):
        return NAT
    if stamp != stamp.normalize():
        raise InputError(
            f"The {name!r} argument must be a calendar date without a time of day. "
            f"Got {value!r}: pass {stamp.date().isoformat()!r}."
        )
    return np.datetime64(stamp.date().isoformat(), "D")


def _ymd(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    months = d.astype("datetime64[M]")
    years = months.astype("datetime64[Y]")
    y = years.astype(np.int64) + 1970
    m = (months - years).astype(np.int64) + 1
    day = (d - months.astype("datetime64[D]")).astype(np.int64) + 1
    return y, m, day


def add_periods(
    anchor: np.ndarray, count: np.ndarray, months: np.ndarray, days: np.ndarray
) -> np.ndarray:
    """Roll ``anchor`` dates forward by ``count`` periods of ``months`` or ``days``.

    Monthly steps keep the anchor's day of month, clipped to the month's last day
    (31 Jan -> 28/29 Feb -> 31 Mar), always counted from the anchor.
    """
    out: np.ndarray = anchor + count * days
    by_month = months > 0
    if by_month.any():
        a = anchor[by_month]
        month0 = a.astype("datetime64[M]")
        day = (a - month0.astype("datetime64[D]")).astype(np.int64)
        target = month0 + (count * months)[by_month]
        length = (target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")
        offset = np.minimum(day, length.astype(np.int64) - 1)
        out[by_month] = target.astype("datetime64[D]") + offset
    return out


def year_fraction_codes(d1: np.ndarray, d2: np.ndarray, code: np.ndarray) -> np.ndarray:
    """Year fraction between date arrays under day-count codes (index in DAY_COUNTS)."""
    days = (d2 - d1).astype(np.int64).astype(float)
    out = np.empty(len(days), dtype=float)
    m0 = code == 0
    if m0.any():
        y1, mo1, day1 = _ymd(d1[m0])
        y2, mo2, day2 = _ymd(d2[m0])
        day1 = np.minimum(day1, 30)
        day2 = np.where(day1 == 30, np.minimum(day2, 30), day2)
        out[m0] = (360 * (y2 - y1) + 30 * (mo2 - mo1) + (day2 - day1)) / 360.0
    m1 = code == 1
    out[m1] = days[m1] / 365.0
    m2 = code == 2
    out[m2] = days[m2] / 360.0
    m3 = code == 3
    if m3.any():
        out[m3] = _act_act(d1[m3], d2[m3])
    return out


def _act_act(d1: np.ndarray, d2: np.ndarray) -> np.ndarray:
    def parts(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        year = d.astype("datetime64[Y]")
        jan1 = year.astype("datetime64[D]")
        diy = ((year + 1).astype("datetime64[D]") - jan1).astype(np.int64)
        return (
            year.astype(np.int64) + 1970,
            (d - jan1).astype(np.int64).astype(float),
            diy.astype(float),
        )

    y1, doy1, diy1 = parts(d1)
    y2, doy2, diy2 = parts(d2)
    return np.asarray((y2 - y1) + doy2 / diy2 - doy1 / diy1, dtype=float)


def year_fraction(start: Any, end: Any, day_count: str = "30/360") -> float:
    """Fraction of a year between two dates under a day-count convention.

    Parameters
    ----------
    start, end : date-like
        The period's first and last date.
    day_count : {"30/360", "ACT/365", "ACT/360", "ACT/ACT"}
        ``30/360`` is the US (bond basis) rule: a 31st counts as the 30th, and an end
        date on the 31st counts as the 30th when the start is on the 30th or 31st.
        ``ACT/365`` is ACT/365 (fixed). ``ACT/ACT`` is the ISDA rule: days falling in
        a leap year count 1/366, the others 1/365.

    Returns
    -------
    float

    Examples
    --------
    >>> year_fraction("2024-01-31", "2024-02-29", "30/360")
    0.080555...
    >>> year_fraction("2023-12-15", "2024-01-15", "ACT/ACT")
    0.0848...
    """
    if day_count not in DAY_COUNTS:
        raise InputError(
            f"The 'day_count' argument must be one of "
            f"{', '.join(repr(d) for d in DAY_COUNTS)}. Got {day_count!r}."
        )
    d1 = to_day(start, "start")
    d2 = to_day(end, "end")
    if np.isnat(d1) or np.isnat(d2):
        raise InputError("year_fraction needs both 'start' and 'end' dates; got None.")
    return float(
        year_fraction_codes(
            np.array([d1]), np.array([d2]), np.array([DAY_COUNTS.index(day_count)])
        )[0]
    )
