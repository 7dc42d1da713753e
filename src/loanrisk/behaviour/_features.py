"""Behavioural features of a repayment panel at observation dates, point-in-time.

Everything runs as whole-array numpy passes over the panel sorted by account and
month: per account and window, the rows form one contiguous run, so maxima, minima
and sums are ``ufunc.reduceat`` over run boundaries and counts are differences of
cumulative sums. There is no Python loop over accounts (only over observation dates,
windows and, optionally, account chunks).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from loanrisk._checks import check_number
from loanrisk.behaviour._panel import (
    BUCKETS,
    FloatArray,
    IntArray,
    Panel,
    bucket_codes,
    month_stamp,
    parse_as_of,
    prepare_panel,
)
from loanrisk.errors import InputError

__all__ = ["behavioural_features"]

_EPISODE_LEVELS = (30, 60, 90)


def _check_windows(windows: Any, owner: str) -> tuple[int, ...]:
    if isinstance(windows, int | np.integer) and not isinstance(windows, bool):
        windows = (windows,)
    try:
        values = tuple(windows)
    except TypeError:
        raise InputError(
            f"The 'windows' parameter of {owner} must be a sequence of positive "
            f"integers (months), e.g. (3, 6, 12); got {windows!r}."
        ) from None
    if not values:
        raise InputError(f"The 'windows' parameter of {owner} is empty.")
    for w in values:
        check_number(w, "windows", owner, low=1, high=600, integer=True)
    if len(set(values)) != len(values):
        raise InputError(
            f"The 'windows' parameter of {owner} repeats a window: {values!r}."
        )
    return tuple(sorted(int(w) for w in values))


def _segment_reduce(
    ufunc: np.ufunc, values: np.ndarray, lo: IntArray, hi: IntArray
) -> np.ndarray:
    """``ufunc.reduce(values[lo[k]:hi[k]])`` for every k (every run non-empty)."""
    padded = np.concatenate([values, values[:1]])  # hi may equal len(values)
    idx = np.empty(2 * lo.size, dtype=np.int64)
    idx[0::2] = lo
    idx[1::2] = hi
    return np.asarray(ufunc.reduceat(padded, idx)[0::2])


def _run_sum(cum: np.ndarray, lo: IntArray, hi: IntArray) -> np.ndarray:
    """Sums over runs from a cumulative sum with a leading 0."""
    return np.asarray(cum[hi] - cum[lo])


def _cumsum0(values: np.ndarray) -> np.ndarray:
    out = np.zeros(values.size + 1, dtype=np.result_type(values.dtype, np.int64))
    np.cumsum(values, out=out[1:])
    return out


def _rows_up_to(panel: Panel, month: int) -> IntArray:
    """Per account, the number of its rows with ``month <= month``."""
    n = panel.starts.size - 1
    return np.bincount(panel.account[panel.month <= month], minlength=n).astype(
        np.int64
    )


def _slope(
    x: FloatArray, y: FloatArray, valid: np.ndarray, lo: IntArray, hi: IntArray
) -> FloatArray:
    """OLS slope of y on x over each run, using the rows where `valid`."""
    xv = np.where(valid, x, 0.0)
    yv = np.where(valid, y, 0.0)
    n = _run_sum(_cumsum0(valid.astype(np.int64)), lo, hi).astype(np.float64)
    sx = _segment_reduce(np.add, xv, lo, hi)
    sy = _segment_reduce(np.add, yv, lo, hi)
    sxy = _segment_reduce(np.add, xv * yv, lo, hi)
    sxx = _segment_reduce(np.add, xv * xv, lo, hi)
    den = n * sxx - sx * sx
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (n * sxy - sx * sy) / den
    return np.asarray(np.where((n >= 2) & (den > 0), slope, np.nan))


def _features_at(
    panel: Panel, t: int, windows: tuple[int, ...]
) -> tuple[IntArray, dict[str, Any]]:
    """Features of the accounts with a row in month `t`, from rows up to `t`."""
    starts = panel.starts[:-1]
    n_le = _rows_up_to(panel, t)
    last = starts + n_le - 1
    on_book = (n_le > 0) & (panel.month[np.maximum(last, 0)] == t)
    acc = np.flatnonzero(on_book)
    first = starts[acc]
    last = last[acc]
    end = last + 1
    dpd = panel.dpd
    month = panel.month
    n_rows = month.size

    delinquent = dpd > 0
    prev_dpd = np.empty(n_rows, dtype=np.int64)
    prev_dpd[1:] = dpd[:-1]
    prev_dpd[panel.starts[:-1][panel.starts[:-1] < n_rows]] = -1  # no previous row
    row_no = np.arange(n_rows, dtype=np.int64)

    cols: dict[str, Any] = {}
    cols["months_on_book"] = (t - month[first] + 1).astype(np.int64)
    dpd_now = dpd[last]
    cols["dpd_current"] = dpd_now.astype(np.int64)
    cols["delinquency_bucket"] = _bucket_categorical(dpd_now)
    last_del = _segment_reduce(np.maximum, np.where(delinquent, row_no, -1), first, end)
    ever = last_del >= 0
    since = np.where(ever, t - month[np.maximum(last_del, 0)], -1)
    cols["months_since_delinquency"] = np.where(ever, since, np.nan)
    cols["ontime_streak"] = np.where(ever, last - last_del, last - first + 1).astype(
        np.int64
    )

    ratio = np.full(n_rows, np.nan)
    has_due = panel.due > 0
    np.divide(panel.paid, panel.due, out=ratio, where=has_due)
    x = (month - t).astype(np.float64)
    util = None
    if panel.limit is not None:
        util = np.full(n_rows, np.nan)
        np.divide(panel.balance, panel.limit, out=util, where=panel.limit > 0)
    cure_row = (dpd == 0) & (prev_dpd > 0)
    cum_cure = _cumsum0(cure_row.astype(np.int64))
    cum_valid = _cumsum0(has_due.astype(np.int64))
    cum_ratio = np.concatenate([[0.0], np.cumsum(np.where(has_due, ratio, 0.0))])
    episode_starts = {
        k: _cumsum0(((dpd >= k) & (prev_dpd < k)).astype(np.int64))
        for k in _EPISODE_LEVELS
    }

    for w in windows:
        lo = starts[acc] + _rows_up_to(panel, t - w)[acc]  # first row in the window
        sfx = f"_{w}m"
        dmax = _segment_reduce(np.maximum, dpd, lo, end)
        cols["dpd_max" + sfx] = dmax.astype(np.int64)
        cols["bucket_max" + sfx] = _bucket_categorical(dmax)
        for k in _EPISODE_LEVELS:
            # spells at k+ touching the window: starts inside it, plus a spell
            # already running at the window's first row
            carried = (dpd[lo] >= k) & (prev_dpd[lo] >= k)
            n_ep = _run_sum(episode_starts[k], lo, end) + carried
            cols[f"n_{k}plus{sfx}"] = n_ep.astype(np.int64)
        cols["n_cures" + sfx] = _run_sum(cum_cure, lo, end).astype(np.int64)
        n_valid = _run_sum(cum_valid, lo, end)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = _run_sum(cum_ratio, lo, end) / n_valid
        cols["payment_ratio_mean" + sfx] = np.where(n_valid > 0, mean, np.nan)
        cols["payment_ratio_min" + sfx] = _segment_reduce(np.fmin, ratio, lo, end)
        cols["payment_ratio_trend" + sfx] = _slope(x, ratio, has_due, lo, end)
        # reference month: the last row at or before t - w (else the first row)
        ref = np.where(lo > first, lo - 1, first)
        b_ref = panel.balance[ref]
        with np.errstate(divide="ignore", invalid="ignore"):
            change = panel.balance[last] / b_ref - 1.0
        cols["balance_change" + sfx] = np.where(b_ref > 0, change, np.nan)
        if util is not None:
            umean = _segment_reduce(np.add, np.nan_to_num(util), lo, end)
            n_u = _run_sum(_cumsum0(np.isfinite(util).astype(np.int64)), lo, end)
            with np.errstate(divide="ignore", invalid="ignore"):
                cols["utilisation_mean" + sfx] = np.where(n_u > 0, umean / n_u, np.nan)
            cols["utilisation_max" + sfx] = _segment_reduce(np.fmax, util, lo, end)
            cols["utilisation_change" + sfx] = util[last] - util[ref]
    return acc, cols


def _bucket_categorical(dpd: np.ndarray) -> Any:
    return pd.Categorical.from_codes(
        bucket_codes(dpd).astype(np.int8),
        dtype=pd.CategoricalDtype(list(BUCKETS), ordered=True),
    )


def feature_names(
    windows: Sequence[int] = (3, 6, 12), utilisation: bool = False
) -> list[str]:
    """Column names of :func:`behavioural_features`, in order."""
    names = [
        "months_on_book",
        "dpd_current",
        "delinquency_bucket",
        "months_since_delinquency",
        "ontime_streak",
    ]
    for w in sorted(windows):
        s = f"_{w}m"
        names += [
            "dpd_max" + s,
            "bucket_max" + s,
            *(f"n_{k}plus{s}" for k in _EPISODE_LEVELS),
            "n_cures" + s,
            "payment_ratio_mean" + s,
            "payment_ratio_min" + s,
            "payment_ratio_trend" + s,
            "balance_change" + s,
        ]
        if utilisation:
            names += ["utilisation_mean" + s, "utilisation_max" + s]
            names += ["utilisation_change" + s]
    return names


def behavioural_features(
    repayments: pd.DataFrame,
    as_of: Any,
    windows: Sequence[int] = (3, 6, 12),
    *,
    on_invalid: str = "raise",
    chunk_size: int | None = 250_000,
    check_as_of: bool = True,
) -> pd.DataFrame:
    """Behavioural features of every account on book at each observation date.

    .. versionadded:: 0.1.0

    Point-in-time correct: a feature at `as_of` uses only the rows of months up to
    and including the month of `as_of`, so appending later rows to the panel never
    changes it.

    Parameters
    ----------
    repayments : DataFrame
        Monthly repayment panel: ``account_id, month, amount_due, amount_paid,
        balance, days_past_due``, optionally ``credit_limit`` and ``status`` (the
        schema of ``make_loan_book(...).repayments``). Any row order; it is never
        modified. ``month`` holds dates (the day is ignored).
    as_of : date-like or list of date-likes
        Observation month(s), within the panel's months.
    windows : sequence of int, default (3, 6, 12)
        Window lengths in months; a window of ``w`` months at `as_of` holds the
        months ``as_of - w + 1`` to ``as_of``.
    on_invalid : {"raise", "repair"}, default "raise"
        Duplicate (account, month) rows, gaps in an account's months, negative
        amounts, and payments above the amount due plus the previous month's
        balance: raise an :class:`~loanrisk.errors.InputError`, or repair with a
        :class:`~loanrisk.errors.LoanRiskWarning` (duplicates: keep the last row in
        the input order; gaps: left missing, windows count calendar months and
        "previous row" means the previous observed row; invalid amounts: the rows
        are left out).
    chunk_size : int or None, default 250_000
        Accounts processed at a time (bounds the memory); None processes all at
        once. The result does not depend on it.
    check_as_of : bool, default True
        Check that every `as_of` lies within the panel's months (an
        :class:`~loanrisk.errors.InputError` otherwise). Pass False when
        `repayments` is one part of a larger panel, e.g. the rows of one account
        group under Spark's ``groupBy("account_id").applyInPandas(...)``: an
        account then simply has no row at an `as_of` where it is not on book
        (possibly an empty result), so the parts together give exactly the
        result on the whole panel. See :func:`spark_schema`.

    Returns
    -------
    DataFrame
        One row per account with a row in the month of an `as_of` date (accounts
        on book then; a closed or defaulted account appears at the month of its
        final row), indexed by ``(account_id, as_of)`` (``as_of``: the month start)
        and sorted by it. Columns, for each window ``w``:

        ``months_on_book``
            Months from the account's first panel row to `as_of`, both included.
        ``dpd_current``, ``delinquency_bucket``
            Days past due at `as_of` and its bucket (ordered categorical:
            ``current``, ``1-29``, ``30-59``, ``60-89``, ``90+``).
        ``months_since_delinquency``
            Months since the last month with days past due > 0 (0: delinquent
            now; NaN: never delinquent so far).
        ``ontime_streak``
            Consecutive months up to `as_of` with 0 days past due.
        ``dpd_max_{w}m``, ``bucket_max_{w}m``
            Worst days past due in the window and its bucket.
        ``n_30plus_{w}m``, ``n_60plus_{w}m``, ``n_90plus_{w}m``
            Number of episodes (runs of consecutive rows) at 30+, 60+, 90+ days
            past due that touch the window.
        ``n_cures_{w}m``
            Months in the window that went from past due to 0 days past due.
        ``payment_ratio_mean_{w}m``, ``payment_ratio_min_{w}m``,
        ``payment_ratio_trend_{w}m``
            ``amount_paid / amount_due`` over the window's months with an amount
            due: mean, minimum and least-squares slope per month (NaN if nothing
            was due, or for the slope fewer than two such months).
        ``balance_change_{w}m``
            Relative change of the balance: balance at `as_of` over the balance
            ``w`` months before (for a younger account, at its first row), minus
            1; NaN if that balance is 0.
        ``utilisation_mean_{w}m``, ``utilisation_max_{w}m``,
        ``utilisation_change_{w}m``
            Only with a ``credit_limit`` column: ``balance / credit_limit`` mean and
            maximum in the window and its change since ``w`` months before.

    Raises
    ------
    InputError
        On a malformed panel (missing or unknown columns, wrong dtypes, missing
        values, negative days past due, unknown statuses; duplicates, gaps and
        invalid amounts with ``on_invalid="raise"``), an `as_of` outside the
        panel's months (unless ``check_as_of=False``), or invalid `windows` /
        `chunk_size` / `check_as_of`. Messages name the
        column and the first offending index labels.

    See Also
    --------
    make_target : the bad flag over the performance window after `as_of`.

    Examples
    --------
    >>> from loanrisk.datasets import make_loan_book
    >>> from loanrisk.behaviour import behavioural_features
    >>> book = make_loan_book(n_accounts=300, n_months=18, random_state=0)
    >>> X = behavioural_features(book.repayments, as_of="2022-12", windows=(3, 6))
    >>> X.index.names
    FrozenList(['account_id', 'as_of'])
    >>> X.columns[:5].tolist()
    ['months_on_book', 'dpd_current', 'delinquency_bucket', 'months_since_delinquency', 'ontime_streak']
    >>> bool((X["dpd_max_6m"] >= X["dpd_max_3m"]).all())
    True
    """  # noqa: E501
    owner = "behavioural_features"
    wins = _check_windows(windows, owner)
    check_number(chunk_size, "chunk_size", owner, low=1, integer=True, allow_none=True)
    if not isinstance(check_as_of, bool | np.bool_):
        raise InputError(
            f"The 'check_as_of' parameter of {owner} must be True or False; got "
            f"{check_as_of!r}."
        )
    panel = prepare_panel(repayments, owner, on_invalid)
    months = parse_as_of(as_of, panel, owner, check_range=check_as_of)
    n_acc = panel.starts.size - 1
    step = n_acc if chunk_size is None else int(chunk_size)
    names = feature_names(wins, utilisation=panel.limit is not None)

    parts_acc: list[IntArray] = []
    parts_t: list[IntArray] = []
    parts_cols: dict[str, list[Any]] = {c: [] for c in names}
    for lo in range(0, n_acc, step):
        hi = min(lo + step, n_acc)
        sub = panel if (lo == 0 and hi == n_acc) else panel.subset_accounts(lo, hi)
        for t in months:
            acc, cols = _features_at(sub, int(t), wins)
            parts_acc.append(acc + lo)
            parts_t.append(np.full(acc.size, t, dtype=np.int64))
            for c in names:
                parts_cols[c].append(cols[c])
    acc_all = np.concatenate(parts_acc)
    t_all = np.concatenate(parts_t)
    order = np.lexsort((t_all, acc_all))
    index = pd.MultiIndex.from_arrays(
        [
            panel.ids[acc_all[order]],
            pd.DatetimeIndex(month_stamp(t_all[order]), name="as_of"),
        ],
        names=["account_id", "as_of"],
    )
    data: dict[str, Any] = {}
    for c in names:
        first = parts_cols[c][0]
        if isinstance(first, pd.Categorical):
            codes = np.concatenate([p.codes for p in parts_cols[c]])[order]
            data[c] = pd.Categorical.from_codes(codes, dtype=first.dtype)
        else:
            data[c] = np.concatenate(parts_cols[c])[order]
    return pd.DataFrame(data, index=index)
