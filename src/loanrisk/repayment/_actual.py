"""Actual payments against the contract: arrears, over-payments and prepayment."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from loanrisk._checks import format_labels
from loanrisk.errors import InputError
from loanrisk.repayment._engine import _Rates
from loanrisk.repayment._loan import Loan

__all__ = ["apply_payments"]

PREPAYMENT = ("reduce_term", "reduce_instalment")


def apply_payments(
    loan: Loan,
    payments: Sequence[float] | np.ndarray | pd.Series,
    *,
    prepayment: str = "reduce_term",
) -> pd.DataFrame:
    """Balance path and arrears when the borrower pays ``payments`` instead of the dues.

    Parameters
    ----------
    loan : Loan
        The contract. Grace periods are honoured as in its schedule.
    payments : sequence of float
        Amount actually paid at each due date, from period 1 (at most ``loan.term``
        values, each >= 0, with at most ``loan.rounding`` decimals).
    prepayment : {"reduce_term", "reduce_instalment"}
        What an amount paid beyond everything due does: it always reduces the
        balance; with ``reduce_term`` the instalment is kept and the loan ends
        earlier, with ``reduce_instalment`` the instalment is recomputed over the
        remaining contractual periods (at the nominal periodic rate).

    Returns
    -------
    DataFrame
        One row per period paid: ``period, opening_balance, interest, fees, due``
        (this period's contractual amount), ``paid``, ``arrears`` (overdue amount
        after the payment), ``prepaid`` (amount applied to the balance early),
        ``unapplied`` (paid beyond the whole debt), ``closing_balance``,
        ``scheduled_balance`` (the contract's closing balance) and ``instalment``.

    Notes
    -----
    Each payment settles the oldest amounts first: overdue fees and interest,
    overdue principal, then this period's fees, interest and principal; the rest
    prepays principal. Unpaid principal stays in the balance and keeps accruing
    interest; unpaid interest and fees are carried as arrears without interest.

    Examples
    --------
    >>> loan = Loan(1200, 0.12, 4, "linear")
    >>> path = apply_payments(loan, [312, 0, 600])
    >>> path["arrears"].tolist()
    [0.0, 309.0, 18.0]
    >>> path["closing_balance"].tolist()
    [900.0, 900.0, 318.0]
    """
    if not isinstance(loan, Loan):
        raise InputError(
            "apply_payments expects a loanrisk.repayment.Loan; got "
            f"{type(loan).__name__}."
        )
    if prepayment not in PREPAYMENT:
        raise InputError(
            f"The 'prepayment' argument of apply_payments must be one of "
            f"{', '.join(repr(p) for p in PREPAYMENT)}. Got {prepayment!r}."
        )
    try:
        paid_arr = np.asarray(payments, dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            "apply_payments: 'payments' must be a sequence of amounts (numbers)."
        ) from None
    if paid_arr.ndim != 1 or not 1 <= len(paid_arr) <= loan.term:
        raise InputError(
            f"apply_payments: 'payments' must hold 1 to {loan.term} amounts (one per "
            f"due date of the loan); got shape {paid_arr.shape}."
        )
    bad = ~np.isfinite(paid_arr) | (paid_arr < 0)
    if bad.any():
        raise InputError(
            f"apply_payments: 'payments' has {int(bad.sum())} negative or missing "
            f"amount(s) (periods {format_labels(np.flatnonzero(bad) + 1)}). Pay 0 "
            "for a missed instalment."
        )
    scale = 1.0 if loan.rounding is None else 10.0**loan.rounding
    units = paid_arr * scale
    if loan.rounding is not None and (np.abs(units - np.round(units)) > 1e-6).any():
        raise InputError(
            f"apply_payments: 'payments' must have at most {loan.rounding} decimals, "
            "like the loan's amounts."
        )

    def rnd(x: float) -> float:
        return float(np.floor(x + 0.5)) if loan.rounding is not None else x

    units = np.round(units) if loan.rounding is not None else units
    sched = loan.schedule()
    b = loan.batch
    rates = _Rates(b)
    term = loan.term
    grace = int(b.grace[0])
    deferral = int(b.grace_kind[0]) == 1
    kind = int(b.kind[0])
    fee = rnd(float(b.periodic_fee[0]) * scale)
    flat = float(b.annual_rate[0] / b.ppy[0])

    def to_units(col: str) -> np.ndarray:
        x = sched[col].to_numpy() * scale
        return np.round(x) if loan.rounding is not None else x

    sched_pay = to_units("payment")
    sched_prin = to_units("principal")
    sched_close = to_units("closing_balance")
    inst = float(sched_pay[min(grace, term - 1)] - fee)
    lin = float(sched_prin[min(grace, term - 1)])
    bal = rnd(float(b.principal[0]) * scale)
    over_int = 0.0  # overdue interest and fees
    over_prin = 0.0  # overdue principal (still inside the balance)
    rows = []
    for k in range(1, len(units) + 1):
        r = float(rates.at(k, 1)[0][0])
        opening = bal
        interest = rnd(bal * r)
        if k <= grace:
            principal_due = -interest if deferral else 0.0
        elif k == term:
            principal_due = bal
        elif kind in (0, 3):
            principal_due = min(inst - interest, bal)
        elif kind == 1:
            principal_due = min(lin, bal)
        else:
            principal_due = 0.0
        if k <= grace and deferral:
            bal += interest  # capitalised
            interest_due, principal_due = 0.0, 0.0
        else:
            interest_due = interest
        fee_due = fee
        principal_due = max(min(principal_due, bal - over_prin), 0.0)
        due = fee_due + interest_due + principal_due
        x = float(units[k - 1])
        # oldest first: overdue interest/fees, overdue principal, current items
        pay_over_int = min(x, over_int)
        x -= pay_over_int
        pay_over_prin = min(x, over_prin)
        x -= pay_over_prin
        pay_cur_int = min(x, fee_due + interest_due)
        x -= pay_cur_int
        pay_cur_prin = min(x, principal_due)
        x -= pay_cur_prin
        over_int += fee_due + interest_due - pay_over_int - pay_cur_int
        over_prin += principal_due - pay_over_prin - pay_cur_prin
        bal -= pay_over_prin + pay_cur_prin
        prepaid = min(x, bal - over_prin)
        bal -= prepaid
        unapplied = x - prepaid
        if prepaid > 0 and prepayment == "reduce_instalment" and k < term:
            left = term - max(k, grace)
            base = bal - over_prin
            if kind in (0, 3):
                fac = left if flat == 0 else -np.expm1(-left * np.log1p(flat)) / flat
                balloon = float(b.balloon[0]) * scale
                inst = rnd((base - balloon / (1 + flat) ** left) / fac)
            elif kind == 1:
                lin = rnd(base / left)
        rows.append(
            (
                k,
                opening,
                interest,
                fee_due,
                due,
                float(units[k - 1]),
                over_int + over_prin,
                prepaid,
                unapplied,
                bal,
                float(sched_close[k - 1]),
                inst + fee,
            )
        )
    cols = [
        "period",
        "opening_balance",
        "interest",
        "fees",
        "due",
        "paid",
        "arrears",
        "prepaid",
        "unapplied",
        "closing_balance",
        "scheduled_balance",
        "instalment",
    ]
    out = pd.DataFrame(rows, columns=cols)
    money = cols[1:]
    out[money] = out[money] / scale
    return out
