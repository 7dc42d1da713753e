"""Portfolio views: transition matrix, roll rates and vintage curves (tidy frames)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from loanrisk._checks import check_number, format_labels
from loanrisk.behaviour._panel import (
    BUCKETS,
    CLOSED,
    DEFAULTED,
    IntArray,
    Panel,
    bucket_codes,
    month_number,
    month_stamp,
    prepare_panel,
)
from loanrisk.errors import InputError

__all__ = [
    "plot_roll_rates",
    "plot_vintage_curves",
    "roll_rates",
    "transition_matrix",
    "vintage_curves",
]

#: States of a row: the five delinquency buckets, then the terminal statuses.
STATES = (*BUCKETS, DEFAULTED, CLOSED)
_N_BUCKETS = len(BUCKETS)
_DEFAULTED = _N_BUCKETS
_CLOSED = _N_BUCKETS + 1


def _state(panel: Panel) -> IntArray:
    state = bucket_codes(panel.dpd)
    state = np.where(panel.defaulted, _DEFAULTED, state)
    return np.asarray(np.where(panel.closed, _CLOSED, state), dtype=np.int64)


def _pairs(panel: Panel) -> tuple[IntArray, IntArray, np.ndarray, IntArray]:
    """Consecutive-month pairs of rows of one account: from, to, balance, month."""
    state = _state(panel)
    nxt = (panel.account[1:] == panel.account[:-1]) & (
        panel.month[1:] == panel.month[:-1] + 1
    )
    pos = np.flatnonzero(nxt)
    return state[pos], state[pos + 1], panel.balance[pos], panel.month[pos + 1]


def _month_bound(value: Any, name: str, owner: str) -> int | None:
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise InputError(
            f"The {name!r} parameter of {owner} must be a date such as '2022-06'; got "
            f"{value!r}."
        ) from None
    return int(month_number([stamp])[0])


def _filter_months(months: IntArray, start: Any, end: Any, owner: str) -> np.ndarray:
    lo = _month_bound(start, "start", owner)
    hi = _month_bound(end, "end", owner)
    if lo is not None and hi is not None and lo > hi:
        raise InputError(f"{owner}: 'start' ({start}) is after 'end' ({end}).")
    keep = np.ones(months.size, dtype=bool)
    if lo is not None:
        keep &= months >= lo
    if hi is not None:
        keep &= months <= hi
    return keep


def transition_matrix(
    repayments: pd.DataFrame,
    *,
    start: Any = None,
    end: Any = None,
    on_invalid: str = "raise",
) -> pd.DataFrame:
    """Month-to-month transitions between delinquency states, as a tidy frame.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    repayments : DataFrame
        Monthly repayment panel (see :func:`behavioural_features`).
    start, end : date-like, optional
        Count only transitions into the months from `start` to `end` (inclusive).
    on_invalid : {"raise", "repair"}, default "raise"
        As in :func:`behavioural_features`.

    Returns
    -------
    DataFrame
        One row per pair of states (every combination, zeros included): columns
        ``from_state``, ``to_state`` (ordered categoricals over ``current``,
        ``1-29``, ``30-59``, ``60-89``, ``90+``, ``defaulted``, ``closed``; the
        terminal states appear only as ``to_state``), ``accounts`` (number of
        account-months), ``balance`` (sum of the balance in the ``from`` month),
        ``rate`` and ``balance_rate`` (shares of the ``from_state`` row; NaN for
        an empty row).

    Notes
    -----
    A row's state is its ``status`` when that is ``defaulted`` or ``closed``, else
    the bucket of its days past due. Only pairs of rows of the same account in
    consecutive months count; a gap breaks the chain. Pivot the result for the
    square view: ``tm.pivot(index="from_state", columns="to_state",
    values="rate")``.

    Examples
    --------
    >>> from loanrisk.datasets import make_loan_book
    >>> from loanrisk.behaviour import transition_matrix
    >>> book = make_loan_book(n_accounts=500, n_months=12, random_state=0)
    >>> tm = transition_matrix(book.repayments)
    >>> tm.groupby("from_state", observed=True)["rate"].sum().round(6).tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0]
    """
    owner = "transition_matrix"
    panel = prepare_panel(repayments, owner, on_invalid)
    frm, to, bal, month = _pairs(panel)
    keep = _filter_months(month, start, end, owner)
    frm, to, bal = frm[keep], to[keep], bal[keep]
    n_to = len(STATES)
    cell = frm * n_to + to
    counts = np.bincount(cell, minlength=_N_BUCKETS * n_to)[: _N_BUCKETS * n_to]
    sums = np.bincount(cell, weights=bal, minlength=_N_BUCKETS * n_to)[
        : _N_BUCKETS * n_to
    ]
    counts = counts.reshape(_N_BUCKETS, n_to)
    sums = sums.reshape(_N_BUCKETS, n_to)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = counts / counts.sum(axis=1, keepdims=True)
        brate = sums / sums.sum(axis=1, keepdims=True)
    dtype = pd.CategoricalDtype(list(STATES), ordered=True)
    fi, ti = np.divmod(np.arange(_N_BUCKETS * n_to), n_to)
    return pd.DataFrame(
        {
            "from_state": pd.Categorical.from_codes(fi, dtype=dtype),
            "to_state": pd.Categorical.from_codes(ti, dtype=dtype),
            "accounts": counts.ravel().astype(np.int64),
            "balance": sums.ravel(),
            "rate": rate.ravel(),
            "balance_rate": brate.ravel(),
        }
    )


def roll_rates(
    repayments: pd.DataFrame,
    *,
    by_month: bool = True,
    start: Any = None,
    end: Any = None,
    on_invalid: str = "raise",
) -> pd.DataFrame:
    """Roll rates: the share of each bucket that rolls to a worse state next month.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    repayments : DataFrame
        Monthly repayment panel (see :func:`behavioural_features`).
    by_month : bool, default True
        One set of rates per month (the month rolled into), or pooled over the
        panel.
    start, end : date-like, optional
        Count only transitions into the months from `start` to `end` (inclusive).
    on_invalid : {"raise", "repair"}, default "raise"
        As in :func:`behavioural_features`.

    Returns
    -------
    DataFrame
        Columns ``month`` (with `by_month`; the month rolled into), ``from_bucket``
        (ordered categorical ``current`` ... ``90+``), ``accounts`` and ``balance``
        in the bucket the month before, ``accounts_rolled`` / ``balance_rolled``
        (moved to a worse bucket or to ``defaulted``), ``roll_rate`` /
        ``balance_roll_rate`` (their shares), ``accounts_cured`` and ``cure_rate``
        (back to ``current``; 0 for ``current`` itself). Months or buckets with no
        account are left out.

    Examples
    --------
    >>> from loanrisk.datasets import make_loan_book
    >>> from loanrisk.behaviour import roll_rates
    >>> book = make_loan_book(n_accounts=2000, n_months=12, random_state=0)
    >>> rr = roll_rates(book.repayments, by_month=False)
    >>> rr["from_bucket"].tolist()
    ['current', '1-29', '30-59', '60-89', '90+']
    >>> bool(rr["roll_rate"].between(0, 1).all())
    True
    """
    owner = "roll_rates"
    panel = prepare_panel(repayments, owner, on_invalid)
    frm, to, bal, month = _pairs(panel)
    keep = _filter_months(month, start, end, owner)
    frm, to, bal, month = frm[keep], to[keep], bal[keep], month[keep]
    rolled = (to > frm) & (to != _CLOSED)
    cured = (to == 0) & (frm > 0)
    frame = pd.DataFrame(
        {
            "month": month,
            "from_bucket": frm,
            "accounts": np.ones(frm.size, dtype=np.int64),
            "balance": bal,
            "accounts_rolled": rolled.astype(np.int64),
            "balance_rolled": np.where(rolled, bal, 0.0),
            "accounts_cured": cured.astype(np.int64),
        }
    )
    keys = ["month", "from_bucket"] if by_month else ["from_bucket"]
    out = frame.groupby(keys, sort=True).sum().reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["roll_rate"] = out["accounts_rolled"] / out["accounts"]
        out["balance_roll_rate"] = out["balance_rolled"] / out["balance"]
        out["cure_rate"] = out["accounts_cured"] / out["accounts"]
    if by_month:
        out["month"] = month_stamp(out["month"].to_numpy())
    out["from_bucket"] = pd.Categorical.from_codes(
        out["from_bucket"].to_numpy(),
        dtype=pd.CategoricalDtype(list(BUCKETS), ordered=True),
    )
    cols = [
        *(["month"] if by_month else []),
        "from_bucket",
        "accounts",
        "accounts_rolled",
        "roll_rate",
        "balance",
        "balance_rolled",
        "balance_roll_rate",
        "accounts_cured",
        "cure_rate",
    ]
    return out[cols]


def vintage_curves(
    repayments: pd.DataFrame,
    applications: pd.DataFrame,
    *,
    bad_dpd: int = 90,
    date_column: str = "application_date",
    on_invalid: str = "raise",
) -> pd.DataFrame:
    """Cumulative bad rate by months on book for each origination cohort.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    repayments : DataFrame
        Monthly repayment panel (see :func:`behavioural_features`).
    applications : DataFrame
        One row per account with ``account_id`` and the origination date
        `date_column` (``make_loan_book(...).applications``); accounts without
        panel rows (rejected, or not yet due) are ignored.
    bad_dpd : int, default 90
        A month is bad when ``days_past_due >= bad_dpd`` or its status is
        ``"defaulted"``.
    date_column : str, default "application_date"
        Column of `applications` holding the origination date (its month is the
        vintage; months on book count from it).
    on_invalid : {"raise", "repair"}, default "raise"
        As in :func:`behavioural_features`.

    Returns
    -------
    DataFrame
        One row per vintage and months on book observed for it (1 to the panel's
        last month minus the vintage): ``vintage`` (month start),
        ``months_on_book``, ``accounts`` (the cohort: accounts of the vintage with
        panel rows), ``bad`` (accounts bad by then) and ``bad_rate`` (``bad /
        accounts``). Closed accounts stay in the cohort.

    Raises
    ------
    InputError
        If `applications` lacks ``account_id`` or `date_column`, repeats an account,
        misses an account of the panel, or has panel rows before origination.

    Examples
    --------
    >>> from loanrisk.datasets import make_loan_book
    >>> from loanrisk.behaviour import vintage_curves
    >>> book = make_loan_book(n_accounts=3000, n_months=18, random_state=0)
    >>> vc = vintage_curves(book.repayments, book.applications)
    >>> vc.columns.tolist()
    ['vintage', 'months_on_book', 'accounts', 'bad', 'bad_rate']
    >>> bool(vc.groupby("vintage")["bad_rate"].apply(
    ...     lambda s: s.is_monotonic_increasing).all())
    True
    """
    owner = "vintage_curves"
    check_number(bad_dpd, "bad_dpd", owner, low=1, integer=True)
    panel = prepare_panel(repayments, owner, on_invalid)
    if not isinstance(applications, pd.DataFrame):
        raise InputError(
            f"{owner} expects applications as a DataFrame; got "
            f"{type(applications).__name__}."
        )
    missing = [c for c in ("account_id", date_column) if c not in applications]
    if missing:
        raise InputError(
            f"{owner}: applications is missing the column(s) {missing}. Pass "
            "date_column= to name the origination date column."
        )
    dates = applications[date_column]
    if not pd.api.types.is_datetime64_any_dtype(dates.dtype):
        raise InputError(
            f"{owner}: column {date_column!r} of applications must hold dates; got "
            f"dtype {dates.dtype}. Convert it with pd.to_datetime."
        )
    app_ids = pd.Index(applications["account_id"])
    if app_ids.has_duplicates:
        dup = app_ids[app_ids.duplicated()]
        raise InputError(
            f"{owner}: applications repeats account_id "
            f"{format_labels(dup[:4], dup.size)}. Keep one row per account."
        )
    pos = app_ids.get_indexer(panel.ids)
    if (pos < 0).any():
        absent = panel.ids[pos < 0]
        raise InputError(
            f"{owner}: {absent.size} account(s) of the panel are not in applications "
            f"(account_id {format_labels(absent[:4], absent.size)})."
        )
    orig_dates = dates.to_numpy()[pos]
    if pd.isna(orig_dates).any():
        bad_ids = panel.ids[pd.isna(orig_dates)]
        raise InputError(
            f"{owner}: column {date_column!r} of applications is missing for "
            f"account_id {format_labels(bad_ids[:4], bad_ids.size)}."
        )
    vintage = month_number(orig_dates)  # per account code
    mob = panel.month - vintage[panel.account]
    if (mob < 0).any():
        rows = np.flatnonzero(mob < 0)
        bad_ids = panel.ids[panel.account[rows]].unique()
        raise InputError(
            f"{owner}: the panel has rows before the origination month for "
            f"account_id {format_labels(bad_ids[:4], bad_ids.size)}. Check "
            f"{date_column!r}."
        )
    bad_row = (panel.dpd >= bad_dpd) | panel.defaulted
    n_acc = panel.ids.size
    big = np.iinfo(np.int64).max
    first_bad = np.full(n_acc, big, dtype=np.int64)
    np.minimum.at(first_bad, panel.account[bad_row], mob[bad_row])
    last_month = panel.last_month
    vintages, inverse = np.unique(vintage, return_inverse=True)
    parts = []
    for k, v in enumerate(vintages):
        members = inverse == k
        horizon = int(last_month - v)
        if horizon < 1:
            continue
        fb = first_bad[members]
        fb = fb[fb <= horizon]
        bad = np.bincount(fb, minlength=horizon + 1).cumsum()[1:]
        size = int(members.sum())
        parts.append(
            pd.DataFrame(
                {
                    "vintage": np.repeat(month_stamp([v]), horizon),
                    "months_on_book": np.arange(1, horizon + 1, dtype=np.int64),
                    "accounts": np.full(horizon, size, dtype=np.int64),
                    "bad": bad.astype(np.int64),
                    "bad_rate": bad / size,
                }
            )
        )
    if not parts:
        return pd.DataFrame(
            {
                "vintage": pd.DatetimeIndex([]),
                "months_on_book": np.empty(0, dtype=np.int64),
                "accounts": np.empty(0, dtype=np.int64),
                "bad": np.empty(0, dtype=np.int64),
                "bad_rate": np.empty(0, dtype=np.float64),
            }
        )
    return pd.concat(parts, ignore_index=True)


def plot_vintage_curves(curves: pd.DataFrame, ax: Any = None) -> Any:
    """Line chart of :func:`vintage_curves` output, one line per vintage.

    Needs matplotlib (the ``plot`` extra). Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    for vintage, part in curves.groupby("vintage", sort=True):
        ax.plot(
            part["months_on_book"],
            part["bad_rate"],
            label=str(vintage)[:7],
        )
    ax.set_xlabel("months on book")
    ax.set_ylabel("cumulative bad rate")
    ax.set_title("Vintage curves")
    if curves["vintage"].nunique() <= 12:
        ax.legend(title="vintage", fontsize="small")
    return ax


def plot_roll_rates(rates: pd.DataFrame, ax: Any = None) -> Any:
    """Roll rate of each bucket by month (:func:`roll_rates` with ``by_month``).

    Needs matplotlib (the ``plot`` extra). Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    if "month" not in rates:
        raise InputError(
            "plot_roll_rates needs roll_rates(..., by_month=True) output (a 'month' "
            "column)."
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    for bucket, part in rates.groupby("from_bucket", observed=True, sort=True):
        ax.plot(part["month"], part["roll_rate"], marker="o", label=str(bucket))
    ax.set_xlabel("month")
    ax.set_ylabel("roll rate")
    ax.set_title("Roll rates by delinquency bucket")
    ax.legend(title="from bucket", fontsize="small")
    return ax
