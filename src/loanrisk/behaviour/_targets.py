"""The bad flag over the performance window after each observation date."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from loanrisk._checks import check_number
from loanrisk.behaviour._panel import month_stamp, parse_as_of, prepare_panel

__all__ = ["make_target"]

#: Reasons recorded in the ``exclusion`` column of :func:`make_target`.
IN_DEFAULT = "in_default_at_as_of"
CLOSED_AT = "closed_at_as_of"


def make_target(
    repayments: pd.DataFrame,
    as_of: Any,
    horizon: int = 12,
    bad_dpd: int = 90,
    *,
    on_invalid: str = "raise",
) -> pd.DataFrame:
    """Bad flag within the `horizon` months after each observation date.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    repayments : DataFrame
        Monthly repayment panel (see :func:`behavioural_features`).
    as_of : date-like or list of date-likes
        Observation month(s), within the panel's months.
    horizon : int, default 12
        Length of the performance window: the months ``as_of + 1`` to ``as_of +
        horizon``.
    bad_dpd : int, default 90
        A month is bad when ``days_past_due >= bad_dpd`` or its status is
        ``"defaulted"``.
    on_invalid : {"raise", "repair"}, default "raise"
        Treatment of duplicates, gaps and invalid amounts, as in
        :func:`behavioural_features`.

    Returns
    -------
    DataFrame
        The same rows and index as :func:`behavioural_features` (accounts with a
        row in the month of `as_of`), with the columns

        ``bad`` (Int8)
            1: a bad month within the window; 0: good over the complete window, or
            closed (paid off) within it before any bad month; ``<NA>``: censored or
            excluded (never counted as good: drop them with ``dropna()``).
        ``censored`` (bool)
            Not bad and not closed, but the panel stops before the window ends
            (the window runs past the panel's last month, or the account's rows
            stop early).
        ``exclusion`` (object)
            Why the row has no outcome although not censored:
            ``"in_default_at_as_of"`` (bad already at `as_of`) or
            ``"closed_at_as_of"`` (status ``closed`` at `as_of`); None otherwise.
        ``months_observed`` (int64)
            Months of the window with a row.

    Notes
    -----
    Without a ``status`` column an account is closed in the window when its last
    row there is its last row in the panel and has a zero balance; defaults are
    read from ``days_past_due`` alone.

    Examples
    --------
    >>> from loanrisk.datasets import make_loan_book
    >>> from loanrisk.behaviour import make_target
    >>> book = make_loan_book(n_accounts=300, n_months=24, random_state=0)
    >>> y = make_target(book.repayments, as_of="2022-12", horizon=12)
    >>> y.columns.tolist()
    ['bad', 'censored', 'exclusion', 'months_observed']
    >>> bool(y.loc[y["censored"], "bad"].isna().all())
    True
    """
    owner = "make_target"
    check_number(horizon, "horizon", owner, low=1, high=600, integer=True)
    check_number(bad_dpd, "bad_dpd", owner, low=1, integer=True)
    panel = prepare_panel(repayments, owner, on_invalid)
    months = parse_as_of(as_of, panel, owner)
    n_acc = panel.starts.size - 1
    starts = panel.starts[:-1]
    ends = panel.starts[1:]
    is_last = np.zeros(panel.n_rows, dtype=bool)
    is_last[ends - 1] = True
    bad_row = (panel.dpd >= bad_dpd) | panel.defaulted
    closed_row = panel.closed if panel.has_status else is_last & (panel.balance <= 0)
    cum_bad = np.concatenate([[0], np.cumsum(bad_row)])

    parts: list[dict[str, Any]] = []
    for t in months:
        t = int(t)
        n_le = np.bincount(panel.account[panel.month <= t], minlength=n_acc)
        last = starts + n_le - 1
        on_book = (n_le > 0) & (panel.month[np.maximum(last, 0)] == t)
        acc = np.flatnonzero(on_book)
        row_t = last[acc]
        n_end = np.bincount(panel.account[panel.month <= t + horizon], minlength=n_acc)
        lo = row_t + 1
        hi = starts[acc] + n_end[acc]  # rows (t, t + horizon] are lo..hi-1
        observed = hi - lo
        bad = (cum_bad[hi] - cum_bad[lo]) > 0
        has_rows = observed > 0
        last_w = np.maximum(hi - 1, 0)
        last_month = np.where(has_rows, panel.month[last_w], t)
        closed = has_rows & closed_row[last_w]
        complete = last_month >= t + horizon
        excl_default = bad_row[row_t]
        excl_closed = ~excl_default & closed_row[row_t]
        excluded = excl_default | excl_closed
        censored = ~excluded & ~bad & ~closed & ~complete
        missing = censored | excluded
        exclusion = np.full(acc.size, None, dtype=object)
        exclusion[excl_default] = IN_DEFAULT
        exclusion[excl_closed] = CLOSED_AT
        parts.append(
            {
                "acc": acc,
                "t": np.full(acc.size, t, dtype=np.int64),
                "bad": bad.astype(np.int8),
                "missing": missing,
                "censored": censored,
                "exclusion": exclusion,
                "months_observed": observed.astype(np.int64),
            }
        )
    acc_all = np.concatenate([p["acc"] for p in parts])
    t_all = np.concatenate([p["t"] for p in parts])
    order = np.lexsort((t_all, acc_all))
    index = pd.MultiIndex.from_arrays(
        [
            panel.ids[acc_all[order]],
            pd.DatetimeIndex(month_stamp(t_all[order]), name="as_of"),
        ],
        names=["account_id", "as_of"],
    )
    bad_all = pd.arrays.IntegerArray(
        np.concatenate([p["bad"] for p in parts])[order],
        np.concatenate([p["missing"] for p in parts])[order],
    )
    return pd.DataFrame(
        {
            "bad": bad_all,
            "censored": np.concatenate([p["censored"] for p in parts])[order],
            "exclusion": np.concatenate([p["exclusion"] for p in parts])[order],
            "months_observed": np.concatenate([p["months_observed"] for p in parts])[
                order
            ],
        },
        index=index,
    )
