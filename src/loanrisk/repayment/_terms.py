"""Validation of loan terms, shared by :class:`Loan` (one loan) and :func:`amortize`.

Each check names the field (argument or column), the allowed range, the first
offending index labels for a portfolio, and how to fix the input.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from loanrisk._checks import format_labels
from loanrisk.errors import InputError
from loanrisk.repayment._daycount import DAY_COUNTS, FREQUENCIES, to_day
from loanrisk.repayment._engine import GRACE_KINDS, KINDS, Batch

MAX_RATE = 10.0

DEFAULTS: dict[str, Any] = {
    "kind": "annuity",
    "frequency": "monthly",
    "day_count": "30/360",
    "start": None,
    "first_payment": None,
    "balloon": 0.0,
    "grace_periods": 0,
    "grace_kind": "interest_only",
    "periodic_fee": 0.0,
    "upfront_fee": 0.0,
}


class _Reporter:
    """Builds messages for a scalar argument of Loan or a column of a portfolio."""

    def __init__(
        self, index: pd.Index, owner: str, frame: bool, raw: dict[str, Any]
    ) -> None:
        self.index = index
        self.owner = owner
        self.frame = frame
        self.raw = raw

    def fail(
        self, field: str, values: Any, bad: np.ndarray, rule: str, fix: str
    ) -> None:
        if not bad.any():
            return
        if self.frame:
            count = int(bad.sum())
            labels = format_labels(self.index[bad][:4], count)
            example = np.asarray(values, dtype=object)[bad][0]
            raise InputError(
                f"Column {field!r} of loans has {count} value(s) that break the rule "
                f"'{rule}' (index labels {labels}; e.g. {example!r}). {self.owner} "
                f"cannot schedule those loans: {fix}"
            )
        value = self.raw.get(field, np.asarray(values, dtype=object)[0])
        raise InputError(
            f"The {field!r} argument of {self.owner} must satisfy '{rule}'. Got "
            f"{value!r}: {fix}"
        )


def _numbers(rep: _Reporter, field: str, raw: Any) -> np.ndarray:
    arr = np.asarray(raw, dtype=object) if not isinstance(raw, np.ndarray) else raw
    if arr.dtype == object or arr.dtype.kind not in "fiub":
        ok = np.array(
            [
                isinstance(v, int | float | np.integer | np.floating)
                and not isinstance(v, bool | np.bool_)
                for v in arr
            ],
            dtype=bool,
        )
        rep.fail(field, arr, ~ok, f"{field} is a number", "pass numbers.")
    elif arr.dtype.kind == "b":
        rep.fail(
            field,
            arr,
            np.ones(len(arr), bool),
            f"{field} is a number",
            "pass numbers, not True/False.",
        )
    out = np.asarray(arr, dtype=float)
    rep.fail(
        field,
        arr,
        ~np.isfinite(out),
        f"{field} is finite (not NaN or inf)",
        f"fill in {field}.",
    )
    return out


def _options(
    rep: _Reporter, field: str, raw: Any, options: tuple[str, ...]
) -> np.ndarray:
    arr = np.asarray(raw, dtype=object)
    codes = np.full(len(arr), -1, dtype=np.int8)
    for i, opt in enumerate(options):
        codes[arr == opt] = i
    rep.fail(
        field,
        arr,
        codes < 0,
        f"{field} in {', '.join(repr(o) for o in options)}",
        f"use one of the known values for {field}.",
    )
    return codes


def _dates(rep: _Reporter, field: str, raw: Any) -> np.ndarray:
    if rep.frame:
        try:
            ts = pd.to_datetime(
                pd.Series(np.asarray(raw, dtype=object)), errors="raise"
            )
        except (TypeError, ValueError) as exc:
            raise InputError(
                f"Column {field!r} of loans holds values that are not dates ({exc}). "
                f"Pass dates such as '2024-01-31', or leave {field} empty (NaT)."
            ) from None
        ts_arr = ts.to_numpy()
        not_day = ~pd.isna(ts_arr) & (ts.dt.normalize() != ts).to_numpy()
        rep.fail(
            field, raw, not_day, f"{field} is a calendar date", "drop the time of day."
        )
        return ts_arr.astype("datetime64[D]")
    return np.array([to_day(np.asarray(raw, dtype=object)[0], field)])


def build_batch(
    values: dict[str, Any],
    index: pd.Index,
    owner: str,
    *,
    frame: bool,
    rounding: int | None,
) -> tuple[Batch, np.ndarray]:
    """Validate loan terms (arrays of equal length) and return the engine batch.

    Also returns the upfront fees (not part of the periodic schedule).
    """
    rep = _Reporter(index, owner, frame, {} if frame else values)
    n = len(index)

    def get(field: str) -> Any:
        if frame and field in values:
            return values[field]
        v = values.get(field, DEFAULTS.get(field))
        if frame and isinstance(v, int | float) and not isinstance(v, bool):
            return np.full(n, float(v))  # a default, already valid
        return np.array([v] * n, dtype=object)

    principal = _numbers(rep, "principal", get("principal"))
    rep.fail(
        "principal",
        principal,
        principal <= 0,
        "principal > 0",
        "a loan amount must be positive.",
    )
    rate = _numbers(rep, "annual_rate", get("annual_rate"))
    rep.fail(
        "annual_rate",
        rate,
        (rate <= -1) | (rate > MAX_RATE),
        f"-1 < annual_rate <= {MAX_RATE:g}",
        "give the nominal annual rate as a fraction (0.07 = 7 %).",
    )
    term_f = _numbers(rep, "term", get("term"))
    rep.fail(
        "term",
        term_f,
        (term_f < 1) | (term_f != np.floor(term_f)),
        "term is a positive integer",
        "give the number of instalments.",
    )
    term = term_f.astype(np.int64)
    kind = _options(rep, "kind", get("kind"), KINDS)
    freq = _options(rep, "frequency", get("frequency"), tuple(FREQUENCIES))
    day_count = _options(rep, "day_count", get("day_count"), DAY_COUNTS)
    grace_kind = _options(rep, "grace_kind", get("grace_kind"), GRACE_KINDS)
    balloon = _numbers(rep, "balloon", get("balloon"))
    is_balloon = kind == KINDS.index("balloon")
    rep.fail(
        "balloon",
        balloon,
        is_balloon & ((balloon <= 0) | (balloon >= principal)),
        "0 < balloon < principal when kind='balloon'",
        "give the residual value as an amount below the principal.",
    )
    rep.fail(
        "balloon",
        balloon,
        ~is_balloon & (balloon != 0),
        "balloon == 0 unless kind='balloon'",
        "pass kind='balloon' for a residual value.",
    )
    grace_f = _numbers(rep, "grace_periods", get("grace_periods"))
    rep.fail(
        "grace_periods",
        grace_f,
        (grace_f < 0) | (grace_f != np.floor(grace_f)) | (grace_f >= term_f),
        "0 <= grace_periods < term (an integer)",
        "the grace periods count within the term and leave at least one instalment.",
    )
    fees = {}
    for fee_name in ("periodic_fee", "upfront_fee"):
        f = _numbers(rep, fee_name, get(fee_name))
        rep.fail(fee_name, f, f < 0, f"{fee_name} >= 0", "fees cannot be negative.")
        fees[fee_name] = f
    if rounding is not None:
        scale = 10.0**rounding
        for field, arr in (
            ("principal", principal),
            ("balloon", balloon),
            ("periodic_fee", fees["periodic_fee"]),
            ("upfront_fee", fees["upfront_fee"]),
        ):
            units = arr * scale
            off = np.abs(units - np.round(units)) > 1e-6 * np.maximum(
                1.0, np.abs(units)
            )
            rep.fail(
                field,
                arr,
                off,
                f"{field} has at most {rounding} decimals",
                f"round the amount to {rounding} decimals or pass rounding=None.",
            )
    start = _dates(rep, "start", get("start"))
    first = _dates(rep, "first_payment", get("first_payment"))
    undated = np.isnat(start)
    rep.fail(
        "first_payment",
        first,
        undated & ~np.isnat(first),
        "first_payment needs a start date",
        "pass start as well.",
    )
    ppy = np.array([FREQUENCIES[f][0] for f in FREQUENCIES], dtype=np.int64)[freq]
    months = np.array([FREQUENCIES[f][1] for f in FREQUENCIES], dtype=np.int64)[freq]
    days = np.array([FREQUENCIES[f][2] for f in FREQUENCIES], dtype=np.int64)[freq]
    dated = ~undated
    given = ~np.isnat(first)
    rep.fail(
        "first_payment",
        first,
        dated & given & (first <= start),
        "first_payment after start",
        "dates must be in order.",
    )
    anchor = np.where(given, first, start)
    lag = given.astype(np.int64)
    batch = Batch(
        principal=principal,
        annual_rate=rate,
        term=term,
        kind=kind,
        balloon=balloon,
        grace=grace_f.astype(np.int64),
        grace_kind=grace_kind,
        periodic_fee=fees["periodic_fee"],
        ppy=ppy,
        months=months,
        days=days,
        start=start,
        anchor=anchor,
        lag=lag,
        day_count=day_count,
    )
    return batch, fees["upfront_fee"]


def check_rounding(rounding: Any, owner: str) -> None:
    """``rounding`` is None or an integer from 0 to 6."""
    ok = rounding is None or (
        isinstance(rounding, int | np.integer)
        and not isinstance(rounding, bool)
        and 0 <= rounding <= 6
    )
    if not ok:
        raise InputError(
            f"The 'rounding' argument of {owner} must be an integer from 0 to 6 (the "
            f"decimals payments are rounded to) or None for exact floats. Got "
            f"{rounding!r}."
        )
