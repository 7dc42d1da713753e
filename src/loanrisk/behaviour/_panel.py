"""Checks of a monthly repayment panel, shared by every behaviour function.

A repayment panel has one row per account and month with the columns ``account_id,
month, amount_due, amount_paid, balance, days_past_due`` and optionally
``credit_limit`` and ``status`` (the schema of
``loanrisk.datasets.make_loan_book(...).repayments``).

:func:`prepare_panel` validates the panel and returns a :class:`Panel`: plain numpy
arrays sorted by account and month (the caller's frame is never modified), with the
month as an integer count of months since 1970-01.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from loanrisk._checks import check_option, format_labels
from loanrisk.errors import InputError, LoanRiskWarning

__all__: list[str] = []

REQUIRED = (
    "account_id",
    "month",
    "amount_due",
    "amount_paid",
    "balance",
    "days_past_due",
)
OPTIONAL = ("credit_limit", "status")
AMOUNTS = ("amount_due", "amount_paid", "balance")
#: Delinquency buckets by days past due: [0], [1, 29], [30, 59], [60, 89], [90, inf).
BUCKETS = ("current", "1-29", "30-59", "60-89", "90+")
BUCKET_EDGES = np.asarray([1, 30, 60, 90], dtype=np.int64)
#: Terminal statuses (the final row of an account).
DEFAULTED = "defaulted"
CLOSED = "closed"
STATUSES = (*BUCKETS, DEFAULTED, CLOSED)
ON_INVALID = ("raise", "repair")
_TOLERANCE = 0.005  # half a cent: amounts are rounded to cents

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass
class Panel:
    """A validated panel as arrays sorted by account, then month.

    ``account`` holds integer codes 0..n-1 in the order of ``ids`` (sorted ids);
    ``starts[k]:starts[k + 1]`` are the rows of account k; ``month`` counts months
    since 1970-01; ``defaulted`` / ``closed`` flag rows whose status says so (all
    False without a ``status`` column).
    """

    ids: pd.Index
    account: IntArray
    starts: IntArray
    month: IntArray
    due: FloatArray
    paid: FloatArray
    balance: FloatArray
    dpd: IntArray
    limit: FloatArray | None
    defaulted: BoolArray
    closed: BoolArray
    has_status: bool

    @property
    def n_rows(self) -> int:
        return int(self.month.size)

    @property
    def first_month(self) -> int:
        return int(self.month.min())

    @property
    def last_month(self) -> int:
        return int(self.month.max())

    def subset_accounts(self, lo: int, hi: int) -> Panel:
        """The panel of accounts ``lo..hi-1`` (codes renumbered from 0)."""
        r0, r1 = int(self.starts[lo]), int(self.starts[hi])
        sl = slice(r0, r1)
        return Panel(
            ids=self.ids[lo:hi],
            account=self.account[sl] - lo,
            starts=self.starts[lo : hi + 1] - r0,
            month=self.month[sl],
            due=self.due[sl],
            paid=self.paid[sl],
            balance=self.balance[sl],
            dpd=self.dpd[sl],
            limit=None if self.limit is None else self.limit[sl],
            defaulted=self.defaulted[sl],
            closed=self.closed[sl],
            has_status=self.has_status,
        )


def month_number(values: Any) -> IntArray:
    """Months since 1970-01 of datetime-like values (the day is ignored)."""
    arr = np.asarray(values, dtype="datetime64[ns]")
    return np.asarray(arr.astype("datetime64[M]").astype(np.int64), dtype=np.int64)


def month_stamp(numbers: Any) -> npt.NDArray[np.datetime64]:
    """Month-start datetime64[ns] values of month numbers."""
    arr = np.asarray(numbers, dtype=np.int64).astype("datetime64[M]")
    return np.asarray(arr.astype("datetime64[ns]"))


def bucket_codes(dpd: npt.NDArray[Any]) -> IntArray:
    """Delinquency bucket of days past due: 0 current, 1 '1-29', ... 4 '90+'."""
    return np.asarray(np.searchsorted(BUCKET_EDGES, dpd, side="right"), dtype=np.int64)


def _rows_text(frame: pd.DataFrame, mask: npt.NDArray[np.bool_]) -> str:
    idx = frame.index[mask]
    return format_labels(idx[:4], int(mask.sum()))


def _status_is(status: pd.Series, value: str) -> BoolArray:
    """Rows whose status equals `value` (fast for categoricals)."""
    if isinstance(status.dtype, pd.CategoricalDtype):
        cats = list(status.cat.categories)
        if value not in cats:
            return np.zeros(status.size, dtype=bool)
        return np.asarray(status.cat.codes.to_numpy() == cats.index(value))
    return np.asarray((status == value).to_numpy(dtype=bool))


def _warn(message: str) -> None:
    warnings.warn(message, LoanRiskWarning, stacklevel=4)


def parse_as_of(
    as_of: Any, panel: Panel, owner: str, *, check_range: bool = True
) -> IntArray:
    """Observation months of `as_of` (one date or a list), checked against the panel.

    With ``check_range=False`` the months need not lie within the panel's months
    (the panel is then one part of a larger one, e.g. one account group).
    """
    values: Sequence[Any]
    if isinstance(as_of, str | pd.Timestamp | np.datetime64) or not isinstance(
        as_of, Iterable
    ):
        values = [as_of]
    else:
        values = list(as_of)
    if not values:
        raise InputError(
            f"{owner}: 'as_of' is empty. Pass one date or a list of dates."
        )
    try:
        stamps = pd.Series([pd.Timestamp(v) for v in values])
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"{owner}: 'as_of' must be a date or a list of dates (e.g. '2022-12' or "
            f"pd.Timestamp('2022-12-01')); got {as_of!r} ({exc})."
        ) from None
    if stamps.isna().any():
        raise InputError(f"{owner}: 'as_of' holds a missing date ({as_of!r}).")
    months = month_number(stamps)
    if np.unique(months).size != months.size:
        raise InputError(
            f"{owner}: 'as_of' repeats a month ({[str(s)[:7] for s in stamps]}). "
            "Pass each observation month once."
        )
    lo, hi = panel.first_month, panel.last_month
    outside = (months < lo) | (months > hi)
    if check_range and outside.any():
        bad = [str(s)[:7] for s in stamps[outside]]
        first = str(month_stamp([lo])[0])[:7]
        last = str(month_stamp([hi])[0])[:7]
        raise InputError(
            f"{owner}: 'as_of' {bad} lies outside the panel's months ({first} to "
            f"{last}). Pass observation dates within the panel."
        )
    return np.sort(months)


def prepare_panel(
    repayments: Any,
    owner: str,
    on_invalid: str = "raise",
    *,
    name: str = "repayments",
) -> Panel:
    """Validate a repayment panel and return it as sorted arrays.

    Parameters
    ----------
    repayments : DataFrame
        The panel (see the module docstring); never modified.
    owner : str
        Function name for messages.
    on_invalid : {"raise", "repair"}
        What to do with duplicate (account, month) rows, gaps in an account's
        months, negative amounts and payments above the amount due plus the
        opening balance: raise an InputError, or repair with a LoanRiskWarning that
        counts the rows (duplicates: the last row in the input order is kept; gaps:
        the missing months stay missing and windows count calendar months; rows
        with a negative amount or an excess payment are left out).
    """
    check_option(on_invalid, "on_invalid", owner, ON_INVALID)
    if not isinstance(repayments, pd.DataFrame):
        raise InputError(
            f"{owner} expects {name} as a pandas DataFrame with the columns "
            f"{list(REQUIRED)}; got {type(repayments).__name__}."
        )
    frame = repayments
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InputError(
            f"{owner}: {name} is missing the required column(s) {missing}. A "
            f"repayment panel has the columns {list(REQUIRED)} and optionally "
            f"{list(OPTIONAL)}."
        )
    unknown = [c for c in frame.columns if c not in REQUIRED + OPTIONAL]
    if unknown:
        raise InputError(
            f"{owner}: {name} has unknown column(s) {unknown}. A repayment panel has "
            f"the columns {list(REQUIRED)} and optionally {list(OPTIONAL)}; select "
            f"them, e.g. {name}[{list(REQUIRED)}]."
        )
    if frame.shape[0] == 0:
        raise InputError(f"{owner}: {name} has no rows. Pass at least one row.")
    if frame.columns.has_duplicates:
        raise InputError(f"{owner}: {name} has duplicated column names.")

    month_col = frame["month"]
    if not pd.api.types.is_datetime64_any_dtype(month_col.dtype):
        raise InputError(
            f"{owner}: column 'month' of {name} must hold dates (datetime64); got "
            f"dtype {month_col.dtype}. Convert it, e.g. "
            f"{name}['month'] = pd.to_datetime({name}['month'])."
        )
    if month_col.dt.tz is not None:
        raise InputError(
            f"{owner}: column 'month' of {name} is timezone-aware; pass naive dates "
            f"(e.g. {name}['month'].dt.tz_localize(None))."
        )
    ids_col = frame["account_id"]
    if ids_col.isna().any():
        mask = ids_col.isna().to_numpy()
        raise InputError(
            f"{owner}: column 'account_id' of {name} has {int(mask.sum())} missing "
            f"value(s) (index labels {_rows_text(frame, mask)}). Every row needs an "
            "account."
        )
    if month_col.isna().any():
        mask = month_col.isna().to_numpy()
        raise InputError(
            f"{owner}: column 'month' of {name} has {int(mask.sum())} missing "
            f"value(s) (index labels {_rows_text(frame, mask)}). Every row needs a "
            "month."
        )
    numeric = [*AMOUNTS, "days_past_due"]
    if "credit_limit" in frame.columns:
        numeric.append("credit_limit")
    for col in numeric:
        s = frame[col]
        if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(
            s.dtype
        ):
            raise InputError(
                f"{owner}: column {col!r} of {name} must be numeric; got dtype "
                f"{s.dtype}. Convert it, e.g. pd.to_numeric({name}[{col!r}])."
            )
        values = s.to_numpy(dtype=np.float64, na_value=np.nan)
        bad = ~np.isfinite(values)
        if bad.any():
            raise InputError(
                f"{owner}: column {col!r} of {name} has {int(bad.sum())} missing or "
                f"infinite value(s) (index labels {_rows_text(frame, bad)}). Fill "
                "them (e.g. 0 for a month with nothing due) or drop those rows."
            )
    dpd_f = frame["days_past_due"].to_numpy(dtype=np.float64)
    bad = (dpd_f < 0) | (dpd_f != np.round(dpd_f))
    if bad.any():
        raise InputError(
            f"{owner}: column 'days_past_due' of {name} must hold whole numbers >= 0; "
            f"{int(bad.sum())} value(s) are not (index labels "
            f"{_rows_text(frame, bad)})."
        )
    has_status = "status" in frame.columns
    if has_status:
        status = frame["status"]
        known = status.isin(STATUSES).to_numpy()
        if not known.all():
            example = status[~known].iloc[0]
            raise InputError(
                f"{owner}: column 'status' of {name} has {int((~known).sum())} "
                f"unknown value(s) (index labels {_rows_text(frame, ~known)}, e.g. "
                f"{example!r}). Allowed: {list(STATUSES)}."
            )

    # Sort (stable) by account, then month; the caller's frame is left alone.
    codes, uniques = pd.factorize(ids_col, sort=True)
    month = month_number(month_col)
    order = np.lexsort((month, codes))
    acc = codes[order].astype(np.int64)
    month = month[order]
    keep = np.ones(order.size, dtype=bool)

    same = (acc[1:] == acc[:-1]) & (month[1:] == month[:-1])
    if same.any():
        dup_rows = np.zeros(order.size, dtype=bool)
        dup_rows[1:] |= same
        dup_rows[:-1] |= same
        labels = frame.index[np.sort(order[dup_rows])]
        msg = (
            f"{owner}: {name} has {int(same.sum())} duplicate (account_id, month) "
            f"row(s) (index labels {format_labels(labels[:4], labels.size)})."
        )
        if on_invalid == "raise":
            raise InputError(
                msg + " Keep one row per account and month, or pass "
                "on_invalid='repair' to keep the last row of each."
            )
        _warn(msg + " Kept the last row of each (on_invalid='repair').")
        keep[:-1] &= ~same  # the later duplicate (input order) survives
    month_diff = np.diff(month)
    gap = (acc[1:] == acc[:-1]) & (month_diff > 1)
    if gap.any():
        labels = frame.index[order[1:][gap]]
        msg = (
            f"{owner}: {name} has {int(gap.sum())} gap(s) in an account's months "
            f"(rows after a gap: index labels "
            f"{format_labels(labels[:4], labels.size)})."
        )
        if on_invalid == "raise":
            raise InputError(
                msg + " Add the missing months, or pass on_invalid='repair' to "
                "leave them missing (windows then count calendar months)."
            )
        _warn(msg + " Left the months missing (on_invalid='repair').")

    amounts = {c: frame[c].to_numpy(dtype=np.float64)[order] for c in AMOUNTS}
    negative = np.zeros(order.size, dtype=bool)
    for c in AMOUNTS:
        negative |= amounts[c] < 0
    opening = np.empty(order.size, dtype=np.float64)
    opening[0] = np.inf
    opening[1:] = amounts["balance"][:-1]
    first = np.ones(order.size, dtype=bool)
    first[1:] = acc[1:] != acc[:-1]
    opening[first] = np.inf  # the first row's opening balance is unknown
    excess = amounts["amount_paid"] > amounts["amount_due"] + opening + _TOLERANCE
    for mask, what in (
        (negative, "a negative amount_due, amount_paid or balance"),
        (excess, "amount_paid above amount_due plus the previous month's balance"),
    ):
        if mask.any():
            labels = frame.index[np.sort(order[mask])]
            msg = (
                f"{owner}: {int(mask.sum())} row(s) of {name} have {what} (index "
                f"labels {format_labels(labels[:4], labels.size)})."
            )
            if on_invalid == "raise":
                raise InputError(
                    msg + " Correct them, or pass on_invalid='repair' to leave "
                    "those rows out."
                )
            _warn(msg + " Left them out (on_invalid='repair').")
            keep &= ~mask

    if not keep.all():
        order, acc, month = order[keep], acc[keep], month[keep]
        amounts = {c: v[keep] for c, v in amounts.items()}
        if order.size == 0:
            raise InputError(f"{owner}: no valid row is left in {name}.")
    # Accounts left without rows are dropped from the ids (renumber codes).
    present = np.unique(acc)
    if present.size != uniques.size:
        acc = np.searchsorted(present, acc)
        uniques = uniques[present]
    counts = np.bincount(acc, minlength=present.size)
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)

    if has_status:
        defaulted = _status_is(frame["status"], DEFAULTED)[order]
        closed = _status_is(frame["status"], CLOSED)[order]
    else:
        defaulted = np.zeros(order.size, dtype=bool)
        closed = np.zeros(order.size, dtype=bool)
    limit = None
    if "credit_limit" in frame.columns:
        limit = frame["credit_limit"].to_numpy(dtype=np.float64)[order]
    return Panel(
        ids=pd.Index(uniques, name="account_id"),
        account=acc,
        starts=starts,
        month=month,
        due=amounts["amount_due"],
        paid=amounts["amount_paid"],
        balance=amounts["balance"],
        dpd=frame["days_past_due"].to_numpy(dtype=np.int64)[order],
        limit=limit,
        defaulted=np.asarray(defaulted, dtype=bool),
        closed=np.asarray(closed, dtype=bool),
        has_status=has_status,
    )
