"""Benchmark of loanrisk.repayment.amortize against per-loan and closed-form baselines.

Run: ``python benchmarks/bench_repayment.py [n_loans]`` (default 100,000 annuity loans,
monthly, terms 12-360 months). It prints the median wall time of each method over a
few repeats and the ratios side by side:

* ``amortize`` (rounding=2 and rounding=None): loanrisk's vectorised engine;
* ``closed form``: the same schedules computed row-wise with the annuity formulas in
  numpy, written here (no rounding);
* ``per-loan ipmt/ppmt``: a Python loop over loans calling numpy-financial-style
  ``ipmt``/``ppmt`` (numpy-financial is not installed: its formulas are copied below,
  vectorised over the periods of one loan, so this baseline is if anything faster than
  the real package);
* ``per-loan Loan.schedule()``: a loop creating a ``Loan`` per loan, timed on a
  subsample and reported per loan.

Peak traced memory (tracemalloc) of ``amortize`` is compared with the output size.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from loanrisk.repayment import Loan, amortize


def portfolio(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "loan_id": np.arange(n),
            "principal": np.round(rng.uniform(1_000, 500_000, n), 2),
            "annual_rate": np.round(rng.uniform(0.01, 0.20, n), 4),
            "term": rng.integers(12, 361, n),
        }
    )


# numpy-financial formulas (numpy_financial/_financial.py), when='end'
def npf_pmt(rate: float, nper: int, pv: float) -> float:
    temp = (1 + rate) ** nper
    fact = (temp - 1) / rate if rate != 0 else nper
    return -(pv * temp) / fact


def npf_fv(rate: float, nper: np.ndarray, pmt: float, pv: float) -> np.ndarray:
    temp = (1 + rate) ** nper
    return -(pv * temp + pmt / rate * (temp - 1))


def npf_ipmt(rate: float, per: np.ndarray, nper: int, pv: float) -> np.ndarray:
    total_pmt = npf_pmt(rate, nper, pv)
    return npf_fv(rate, per - 1, total_pmt, pv) * rate


def npf_ppmt(rate: float, per: np.ndarray, nper: int, pv: float) -> np.ndarray:
    return npf_pmt(rate, nper, pv) - npf_ipmt(rate, per, nper, pv)


def per_loan_npf(loans: pd.DataFrame) -> pd.DataFrame:
    frames = []
    for lid, p, a, n in loans[
        ["loan_id", "principal", "annual_rate", "term"]
    ].itertuples(index=False):
        r = a / 12
        per = np.arange(1, n + 1)
        interest = -npf_ipmt(r, per, int(n), p)
        principal = -npf_ppmt(r, per, int(n), p)
        closing = p - np.cumsum(principal)
        frames.append(
            pd.DataFrame(
                {
                    "loan_id": lid,
                    "period": per,
                    "opening_balance": closing + principal,
                    "payment": interest + principal,
                    "interest": interest,
                    "principal": principal,
                    "closing_balance": closing,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def closed_form(loans: pd.DataFrame) -> pd.DataFrame:
    p = loans["principal"].to_numpy(float)
    r = loans["annual_rate"].to_numpy(float) / 12
    n = loans["term"].to_numpy(np.int64)
    a = p * r / -np.expm1(-n * np.log1p(r))
    offsets = np.zeros(len(n), dtype=np.int64)
    np.cumsum(n[:-1], out=offsets[1:])
    k = np.arange(int(n.sum()), dtype=np.int64) - np.repeat(offsets, n) + 1
    rr, pp, aa = np.repeat(r, n), np.repeat(p, n), np.repeat(a, n)
    grow = np.exp((k - 1) * np.log1p(rr))
    opening = pp * grow - aa * (grow - 1) / rr
    interest = opening * rr
    principal = aa - interest
    last = offsets + n - 1
    principal[last] = opening[last]
    payment = interest + principal
    closing = opening - principal
    return pd.DataFrame(
        {
            "loan_id": np.repeat(loans["loan_id"].to_numpy(), n),
            "period": k,
            "date": np.full(len(k), np.datetime64("NaT"), dtype="datetime64[s]"),
            "opening_balance": opening,
            "payment": payment,
            "interest": interest,
            "principal": principal,
            "fees": np.zeros(len(k)),
            "closing_balance": closing,
        },
        copy=False,
    )


def per_loan_schedule(loans: pd.DataFrame) -> pd.DataFrame:
    frames = []
    for lid, p, a, n in loans[
        ["loan_id", "principal", "annual_rate", "term"]
    ].itertuples(index=False):
        s = Loan(float(p), float(a), int(n)).schedule()
        s.insert(0, "loan_id", lid)
        frames.append(s)
    return pd.concat(frames, ignore_index=True)


def median_time(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        del out
    return statistics.median(times)


def main(n: int = 100_000) -> None:
    loans = portfolio(n)
    rows = int(loans["term"].sum())
    print(f"{n:,} annuity loans, monthly, terms 12-360 -> {rows:,} schedule rows")
    # correctness of the baselines against amortize (rounding=None)
    small = loans.head(200)
    ours = amortize(small, rounding=None)
    for name, other in (
        ("closed form", closed_form(small)),
        ("npf", per_loan_npf(small)),
    ):
        for col in ("interest", "principal", "closing_balance"):
            np.testing.assert_allclose(ours[col], other[col], rtol=1e-9, atol=1e-6)
        print(f"check: amortize(rounding=None) == {name} baseline (rtol 1e-9)")

    t_am2 = median_time(lambda: amortize(loans, rounding=2), 3)
    t_amn = median_time(lambda: amortize(loans, rounding=None), 3)
    t_cf = median_time(lambda: closed_form(loans), 3)
    t_npf = median_time(lambda: per_loan_npf(loans), 1)
    sub = loans.head(2_000)
    t_loan_sub = median_time(lambda: per_loan_schedule(sub), 1)
    t_loan = t_loan_sub / len(sub) * n

    print(f"{'method':44s} {'seconds':>9s} {'vs amortize(2)':>15s}")
    for label, t in (
        ("amortize(rounding=2)", t_am2),
        ("amortize(rounding=None)", t_amn),
        ("closed-form numpy (written here)", t_cf),
        ("per-loan loop, npf-style ipmt/ppmt", t_npf),
        (f"per-loan Loan.schedule() ({len(sub):,} loans, x{n // len(sub)})", t_loan),
    ):
        print(f"{label:44s} {t:9.2f} {t / t_am2:14.2f}x")
    print(
        f"speed-up over per-loan ipmt/ppmt loop: {t_npf / t_am2:.1f}x (target >= 20x)"
    )
    print(f"amortize(2) / closed form: {t_am2 / t_cf:.2f}x (target <= 3x)")

    gc.collect()
    tracemalloc.start()
    out = amortize(loans, rounding=2)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = out.memory_usage(index=True, deep=False).sum()
    print(
        f"peak traced memory of amortize: {peak / 1e9:.2f} GB; output "
        f"{size / 1e9:.2f} GB; ratio {peak / size:.2f}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
