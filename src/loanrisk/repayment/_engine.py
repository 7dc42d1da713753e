"""The schedule engine shared by :class:`Loan` and :func:`amortize`.

One numpy pass over a batch of loans, looping over periods only. ``Loan.schedule()``
runs the same code on a batch of one, so a portfolio run and a single-loan call agree
to the last bit.

Amounts are held in integer minor units (cents for ``rounding=2``) stored in float64,
which is exact up to 2**53 units: balances never drift and principal repaid sums to the
principal exactly. Interest is rounded half up to the unit each period; the last
instalment takes the remaining balance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from loanrisk.repayment._daycount import add_periods, year_fraction_codes

KINDS: tuple[str, ...] = ("annuity", "linear", "interest_only", "balloon")
GRACE_KINDS: tuple[str, ...] = ("interest_only", "deferral")
COLUMNS: tuple[str, ...] = (
    "period",
    "date",
    "opening_balance",
    "payment",
    "interest",
    "principal",
    "fees",
    "closing_balance",
)


@dataclass
class Batch:
    """Validated loan terms as aligned arrays (one entry per loan)."""

    principal: np.ndarray  # float
    annual_rate: np.ndarray  # float
    term: np.ndarray  # int64
    kind: np.ndarray  # int8 code into KINDS
    balloon: np.ndarray  # float
    grace: np.ndarray  # int64
    grace_kind: np.ndarray  # int8 code into GRACE_KINDS
    periodic_fee: np.ndarray  # float
    ppy: np.ndarray  # int64 periods per year
    months: np.ndarray  # int64 months per period (0 for day-based)
    days: np.ndarray  # int64 days per period (0 for month-based)
    start: np.ndarray  # datetime64[D], NaT when undated
    anchor: np.ndarray  # datetime64[D] due dates roll from, NaT when undated
    lag: np.ndarray  # int64: due date k is anchor + (k - lag) periods
    day_count: np.ndarray  # int8 code into DAY_COUNTS


def _round_half_up(x: np.ndarray) -> np.ndarray:
    return np.floor(x + 0.5)


class _Rates:
    """Period rates (and due dates) period by period for a term-sorted batch."""

    def __init__(self, b: Batch) -> None:
        self.b = b
        self.dated = ~np.isnat(b.start)
        self.any_dated = bool(self.dated.any())
        self.flat = b.annual_rate / b.ppy
        self.prev = b.start.copy()

    def at(self, k: int, m: int) -> tuple[np.ndarray, np.ndarray | None]:
        """Rates and due dates of period ``k`` for the first ``m`` loans."""
        if not self.any_dated:
            return self.flat[:m], None
        b = self.b
        due = add_periods(b.anchor[:m], k - b.lag[:m], b.months[:m], b.days[:m])
        dated = self.dated[:m]
        rate = self.flat[:m].copy()
        if dated.any():
            yf = year_fraction_codes(
                self.prev[:m][dated], due[dated], b.day_count[:m][dated]
            )
            rate[dated] = b.annual_rate[:m][dated] * yf
        self.prev[:m] = due
        return rate, due


def level_factor(
    flat: np.ndarray, n_periods: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Annuity factor ``sum_{k=1..n} (1 + flat)**-k`` and ``log(1 / (1 + flat))``.

    The level instalment of a balance ``B`` over ``n`` periods at the periodic rate
    ``flat`` is ``B / factor`` (before rounding); a zero rate gives ``factor = n``.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        log_v = -np.log1p(flat)
        s_fac = np.where(flat == 0.0, n_periods, -np.expm1(n_periods * log_v) / flat)
    return s_fac, log_v


#: loans per block: each block's output rows are contiguous, so the period loop
#: writes into a cache-sized region
CHUNK = 4096


def run(b: Batch, rounding: int | None) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Compute the long schedule of every loan in ``b``.

    Returns the columns (rows grouped by loan in input order, periods ascending) and
    the row offset of each loan.
    """
    n = len(b.term)
    term = b.term
    offsets = np.zeros(n, dtype=np.int64)
    np.cumsum(term[:-1], out=offsets[1:])
    total = int(term.sum())
    outs = {
        name: np.empty(total)
        for name in (
            "opening_balance",
            "payment",
            "interest",
            "principal",
            "fees",
            "closing_balance",
        )
    }
    outs["date"] = np.full(total, np.datetime64("NaT"), dtype="datetime64[s]")
    # touch every page once, in order: the period loop then writes scattered rows
    # into memory that is already mapped (first-touch page faults in scattered
    # order dominated a cold run)
    for name in COLUMNS[2:]:
        outs[name].fill(0.0)
    for lo in range(0, n, CHUNK):
        hi = min(lo + CHUNK, n)
        part = Batch(**{f: getattr(b, f)[lo:hi] for f in Batch.__dataclass_fields__})
        _run_block(part, rounding, outs, offsets[lo:hi])
    scale = 1.0 if rounding is None else float(10**rounding)
    period = np.arange(total, dtype=np.int64) - np.repeat(offsets, term) + 1
    cols: dict[str, np.ndarray] = {"period": period, "date": outs["date"]}
    for name in COLUMNS[2:]:
        arr = outs[name]
        if rounding is not None:
            arr /= scale
        cols[name] = arr
    return cols, offsets


def _run_block(
    b: Batch, rounding: int | None, outs: dict[str, np.ndarray], offsets: np.ndarray
) -> None:
    n = len(b.term)
    term = b.term
    order = np.argsort(-term, kind="stable")
    s = Batch(**{f: getattr(b, f)[order] for f in Batch.__dataclass_fields__})
    off = offsets[order]
    scale = 1.0 if rounding is None else float(10**rounding)
    max_term = int(s.term[0]) if n else 0
    # number of loans still running in period k (terms sorted descending)
    running = np.searchsorted(-s.term, -np.arange(1, max_term + 1), side="right")

    p0 = s.principal * scale
    balloon = s.balloon * scale
    fee = s.periodic_fee * scale
    if rounding is not None:
        p0, balloon, fee = np.round(p0), np.round(balloon), np.round(fee)
    n_amort = (s.term - s.grace).astype(float)

    # Pass 1: annuity factor S = sum of discount factors over the amortising periods
    # and D_n, the discount factor of the last period (for the balloon).
    s_fac, log_v = level_factor(s.annual_rate / s.ppy, n_amort)
    d_n = np.exp(n_amort * log_v)
    rates = _Rates(s)
    if rates.any_dated:
        disc = np.ones(n)
        acc = np.zeros(n)
        for k in range(1, max_term + 1):
            m = int(running[k - 1])
            r, _ = rates.at(k, m)
            amort = k > s.grace[:m]
            disc[:m] = np.where(amort, disc[:m] / (1.0 + r), disc[:m])
            acc[:m] += np.where(amort, disc[:m], 0.0)
        s_fac = np.where(rates.dated, acc, s_fac)
        d_n = np.where(rates.dated, disc, d_n)
        rates = _Rates(s)

    out_open = outs["opening_balance"]
    out_pay = outs["payment"]
    out_int = outs["interest"]
    out_prin = outs["principal"]
    out_fee = outs["fees"]
    out_close = outs["closing_balance"]
    out_date = outs["date"]

    bal = p0.copy()
    inst = np.zeros(n)
    lin = np.zeros(n)
    has_grace = bool((s.grace > 0).any())
    only_annuity = bool(((s.kind == 0) | (s.kind == 3)).all())
    for k in range(1, max_term + 1):
        m = int(running[k - 1])
        r, due = rates.at(k, m)
        b_k = bal[:m]
        interest = b_k * r
        if rounding is not None:
            interest = _round_half_up(interest)
        if k == 1 or has_grace:
            starts = k == s.grace[:m] + 1
            idx = np.flatnonzero(starts)
            if len(idx):
                a = (b_k[idx] - balloon[idx] * d_n[idx]) / s_fac[idx]
                li = b_k[idx] / n_amort[idx]
                if rounding is not None:
                    a = _round_half_up(a)
                    li = _round_half_up(li)
                inst[idx] = a
                lin[idx] = li
        if only_annuity:
            principal = inst[:m] - interest
        else:
            kind = s.kind[:m]
            principal = np.where(
                (kind == 0) | (kind == 3),
                inst[:m] - interest,
                np.where(kind == 1, lin[:m], 0.0),
            )
        np.minimum(principal, np.maximum(b_k, 0.0), out=principal)
        if has_grace:
            in_grace = k <= s.grace[:m]
            if in_grace.any():
                deferral = s.grace_kind[:m] == 1
                principal = np.where(
                    in_grace, np.where(deferral, -interest, 0.0), principal
                )
        last = np.flatnonzero(s.term[:m] == k)
        principal[last] = b_k[last]
        closing = b_k - principal
        pos = off[:m] + (k - 1)
        out_open[pos] = b_k
        out_int[pos] = interest
        out_prin[pos] = principal
        out_fee[pos] = fee[:m]
        out_pay[pos] = interest + principal + fee[:m]
        out_close[pos] = closing
        if due is not None:
            out_date[pos] = due
        bal[:m] = closing
