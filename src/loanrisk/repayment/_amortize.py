"""Schedules for a whole portfolio in one vectorised pass."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loanrisk._checks import check_columns, check_frame, format_labels
from loanrisk.errors import InputError
from loanrisk.repayment._engine import COLUMNS, run
from loanrisk.repayment._terms import DEFAULTS, build_batch, check_rounding

__all__ = ["amortize"]

REQUIRED: tuple[str, ...] = ("loan_id", "principal", "annual_rate", "term")
OPTIONAL: tuple[str, ...] = tuple(DEFAULTS)


def amortize(loans: pd.DataFrame, *, rounding: int | None = 2) -> pd.DataFrame:
    """Contractual schedules of every loan in a portfolio, in one vectorised pass.

    Parameters
    ----------
    loans : DataFrame
        One row per loan with the columns ``loan_id, principal, annual_rate, term``
        and, optionally, any of ``kind, frequency, day_count, start, first_payment,
        balloon, grace_periods, grace_kind, periodic_fee, upfront_fee`` (the
        :class:`Loan` arguments of the same names; a missing column takes the
        ``Loan`` default). Other columns are ignored. ``loan_id`` must be unique.
    rounding : int or None
        Decimals amounts are rounded to, as in :class:`Loan`.

    Returns
    -------
    DataFrame
        ``loan_id`` followed by the :meth:`Loan.schedule` columns, rows grouped by
        loan in the order of ``loans`` and periods ascending, with a fresh
        ``RangeIndex``. Each loan's rows equal ``Loan(...).schedule()`` exactly.

    Notes
    -----
    The computation is one numpy pass across the loans with a loop over periods
    (at most the longest term), so its cost grows with the number of output rows.

    Examples
    --------
    >>> loans = pd.DataFrame({"loan_id": ["a", "b"], "principal": [1000, 500],
    ...                       "annual_rate": [0.05, 0.0], "term": [2, 3]})
    >>> amortize(loans)[["loan_id", "period", "payment", "closing_balance"]]
      loan_id  period  payment  closing_balance
    0       a       1   503.13           501.04
    1       a       2   503.13             0.00
    2       b       1   166.67           333.33
    3       b       2   166.67           166.66
    4       b       3   166.66             0.00
    """
    check_rounding(rounding, "amortize")
    frame = check_frame(loans, owner="amortize", name="loans")
    check_columns(frame, REQUIRED, owner="amortize", name="loans")
    ids = frame["loan_id"]
    if ids.isna().any():
        bad = ids.isna().to_numpy()
        raise InputError(
            f"Column 'loan_id' of loans has {int(bad.sum())} missing value(s) (index "
            f"labels {format_labels(frame.index[bad][:4], int(bad.sum()))}). "
            "amortize needs an identifier for every loan."
        )
    dup = ids.duplicated(keep=False).to_numpy()
    if dup.any():
        raise InputError(
            f"Column 'loan_id' of loans has duplicated identifiers (index labels "
            f"{format_labels(frame.index[dup][:4], int(dup.sum()))}; e.g. "
            f"{ids[dup].iloc[0]!r}). Give each loan a unique loan_id."
        )
    values = {
        c: frame[c].to_numpy() for c in REQUIRED[1:] + OPTIONAL if c in frame.columns
    }
    batch, _ = build_batch(
        values, frame.index, "amortize", frame=True, rounding=rounding
    )
    cols, _ = run(batch, rounding)
    out = {"loan_id": np.repeat(ids.to_numpy(), batch.term)}
    out.update({c: cols[c] for c in COLUMNS})
    return pd.DataFrame(out, copy=False)
