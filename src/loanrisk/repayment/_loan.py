"""One loan contract and its schedule."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from loanrisk.repayment._apr import annual_percentage_rate
from loanrisk.repayment._daycount import add_periods
from loanrisk.repayment._engine import COLUMNS, Batch, run
from loanrisk.repayment._terms import build_batch, check_rounding

__all__ = ["Loan"]


class Loan:
    """A loan contract: principal, nominal rate, term, kind and payment calendar.

    Parameters
    ----------
    principal : float
        Amount lent (> 0), with at most ``rounding`` decimals.
    annual_rate : float
        Nominal annual interest rate as a fraction (0.07 = 7 %); -1 < rate <= 10.
    term : int
        Number of instalments, grace periods included.
    kind : {"annuity", "linear", "interest_only", "balloon"}
        ``annuity``: equal instalments; ``linear``: equal principal repayments;
        ``interest_only``: interest each period and the principal as a bullet with
        the last instalment; ``balloon``: an annuity leaving ``balloon`` to be paid
        with the last instalment.
    start : date-like, optional
        Drawdown date. Without it the schedule has no dates (``NaT``) and every
        period is exactly ``1 / periods per year`` long whatever ``day_count``.
    frequency : {"monthly", "quarterly", "fortnightly", "weekly"}
    day_count : {"30/360", "ACT/365", "ACT/360", "ACT/ACT"}
        Year fraction of each dated period; the period's interest is
        ``balance * annual_rate * year_fraction``.
    rounding : int or None
        Decimals amounts are rounded to (interest half up each period, the last
        instalment absorbing the residual); ``None`` keeps exact floats.
    first_payment : date-like, optional
        First due date when it is not one period after ``start``: the first period is
        then broken (shorter or longer) and accrues interest for its actual length.
        Later due dates follow ``first_payment`` one period apart.
    balloon : float
        Residual value paid with the last instalment (``kind="balloon"`` only).
    grace_periods : int
        Leading periods without principal repayment.
    grace_kind : {"interest_only", "deferral"}
        In grace, pay the interest (``interest_only``) or pay nothing and add the
        interest to the balance (``deferral``, capitalisation).
    upfront_fee : float
        Fee paid at drawdown; it counts in ``summary()`` and the APR, not in the
        periodic schedule.
    periodic_fee : float
        Fee added to every instalment (the ``fees`` column).

    Notes
    -----
    The annuity instalment solves ``B_g - balloon * D_n = A * sum(D_k)`` over the
    amortising periods, where ``B_g`` is the balance when amortisation starts and
    ``D_k = prod_{j<=k} 1 / (1 + r_j)`` discounts with each period's own rate, so a
    broken first period or actual day counts still give equal instalments (except
    the last). Amounts are held in integer minor units, so principal repaid sums to
    the principal exactly.

    Examples
    --------
    >>> loan = Loan(10_000, 0.06, 12)
    >>> sched = loan.schedule()
    >>> sched.loc[0, ["payment", "interest", "principal"]].tolist()
    [860.66, 50.0, 810.66]
    >>> round(float(sched["principal"].sum()), 2)
    10000.0
    >>> float(sched["closing_balance"].iloc[-1])
    0.0
    """

    def __init__(
        self,
        principal: float,
        annual_rate: float,
        term: int,
        kind: str = "annuity",
        start: Any = None,
        frequency: str = "monthly",
        day_count: str = "30/360",
        rounding: int | None = 2,
        *,
        first_payment: Any = None,
        balloon: float = 0.0,
        grace_periods: int = 0,
        grace_kind: str = "interest_only",
        upfront_fee: float = 0.0,
        periodic_fee: float = 0.0,
    ) -> None:
        check_rounding(rounding, "Loan")
        terms = {
            "principal": principal,
            "annual_rate": annual_rate,
            "term": term,
            "kind": kind,
            "start": start,
            "frequency": frequency,
            "day_count": day_count,
            "first_payment": first_payment,
            "balloon": balloon,
            "grace_periods": grace_periods,
            "grace_kind": grace_kind,
            "upfront_fee": upfront_fee,
            "periodic_fee": periodic_fee,
        }
        batch, upfront = build_batch(
            terms, pd.RangeIndex(1), "Loan", frame=False, rounding=rounding
        )
        self.principal = principal
        self.annual_rate = annual_rate
        self.term = term
        self.kind = kind
        self.start = start
        self.frequency = frequency
        self.day_count = day_count
        self.rounding = rounding
        self.first_payment = first_payment
        self.balloon = balloon
        self.grace_periods = grace_periods
        self.grace_kind = grace_kind
        self.upfront_fee = upfront_fee
        self.periodic_fee = periodic_fee
        self._batch = batch
        self._upfront = float(upfront[0])
        self._cache: pd.DataFrame | None = None

    def __repr__(self) -> str:
        return (
            f"Loan(principal={self.principal!r}, annual_rate={self.annual_rate!r}, "
            f"term={self.term!r}, kind={self.kind!r})"
        )

    def replace(self, **changes: Any) -> Loan:
        """A copy of the loan with some terms changed (validated again).

        Examples
        --------
        >>> Loan(1000, 0.05, 12).replace(term=24).term
        24
        """
        params = {
            name: getattr(self, name)
            for name in (
                "principal",
                "annual_rate",
                "term",
                "kind",
                "start",
                "frequency",
                "day_count",
                "rounding",
                "first_payment",
                "balloon",
                "grace_periods",
                "grace_kind",
                "upfront_fee",
                "periodic_fee",
            )
        }
        params.update(changes)
        return Loan(**params)

    @property
    def batch(self) -> Batch:
        """The validated terms as a batch of one (for the schedule engine)."""
        return self._batch

    @property
    def periods_per_year(self) -> int:
        """Number of regular periods in a year (12 for monthly)."""
        return int(self._batch.ppy[0])

    def schedule(self) -> pd.DataFrame:
        """The contractual schedule, one row per instalment.

        Returns
        -------
        DataFrame
            Columns ``period, date, opening_balance, payment, interest, principal,
            fees, closing_balance``; ``payment = interest + principal + fees``.
        """
        if self._cache is None:
            cols, _ = run(self._batch, self.rounding)
            self._cache = pd.DataFrame({c: cols[c] for c in COLUMNS})
        return self._cache.copy()

    def payment_times(self) -> np.ndarray:
        """Years from drawdown to each due date, as the APR uses them.

        Regular periods count as 1/12 (12 equal months), 1/4, 1/26 or 1/52 of a year;
        a broken first period counts its actual days / 365.
        """
        ppy = self.periods_per_year
        k = np.arange(self._batch.term[0], dtype=float)
        b = self._batch
        first = 1.0 / ppy
        if b.lag[0] == 1:
            regular = add_periods(b.start, np.ones(1, np.int64), b.months, b.days)[0]
            if regular != b.anchor[0]:
                first = float((b.anchor[0] - b.start[0]).astype(np.int64)) / 365.0
        return first + k / ppy

    def summary(self) -> pd.Series:
        """Totals and rates of the contract.

        Returns
        -------
        Series
            ``principal``, ``instalment`` (the first amortising instalment, fees
            included), ``total_paid`` (instalments plus the upfront fee),
            ``total_interest``, ``total_fees`` (periodic and upfront), ``apr`` (the
            EU CCD annual percentage rate of charge of all payments, fees included)
            and ``ear`` (the effective annual rate of interest alone, fees excluded),
            both as fractions.

        Examples
        --------
        >>> s = Loan(1000, 0.12, 12, upfront_fee=20).summary()
        >>> round(float(s["ear"]), 4), round(float(s["apr"]), 4)
        (0.1268, 0.1706)
        """
        sched = self.schedule()
        times = np.concatenate([[0.0], self.payment_times()])
        pay = sched["payment"].to_numpy()
        fees = sched["fees"].to_numpy()
        principal = float(self._batch.principal[0])
        apr = annual_percentage_rate(
            np.concatenate([[principal - self._upfront], -pay]), times
        )
        ear = annual_percentage_rate(
            np.concatenate([[principal], -(pay - fees)]), times
        )
        grace = int(self._batch.grace[0])
        digits = 12 if self.rounding is None else self.rounding
        return pd.Series(
            {
                "principal": principal,
                "instalment": float(pay[grace]),
                "total_paid": round(float(pay.sum()) + self._upfront, digits),
                "total_interest": round(float(sched["interest"].sum()), digits),
                "total_fees": round(float(fees.sum()) + self._upfront, digits),
                "apr": apr,
                "ear": ear,
            },
            name="summary",
        )
