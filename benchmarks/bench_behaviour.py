"""Benchmark of loanrisk.behaviour.behavioural_features at portfolio scale.

Run: ``python benchmarks/bench_behaviour.py [--accounts 1000000] [--skip-naive]``.

Each measurement runs in a fresh subprocess so that its peak memory (``getrusage``
``ru_maxrss``) is its own:

1. ``loanbook``: ``make_loan_book(n_accounts)`` (~6.7 rows per applicant), features
   at month 12 and month 24, windows (3, 6, 12).
2. ``dense``: a synthetic panel of ``n_accounts`` x 24 months (24,000,000 rows for
   1,000,000 accounts), features at the last month.
3. ``naive``: the straightforward per-account pandas ``groupby(...).apply`` (the
   reference of tests/behaviour/test_behaviour_features.py) against the vectorised
   code on the same small panel, with identical output checked; prints the ratio.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def _maxrss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # Linux: KiB


def dense_panel(n_accounts: int, n_months: int = 24, seed: int = 0) -> pd.DataFrame:
    """Every account on book every month; a simple delinquency chain."""
    rng = np.random.default_rng(seed)
    inst = np.round(rng.uniform(50, 800, n_accounts), 2)
    bal = inst * 30
    cycles = np.zeros(n_accounts, dtype=np.int64)
    due_day = rng.integers(1, 29, n_accounts)
    cols: dict[str, list[np.ndarray]] = {k: [] for k in ("due", "paid", "bal", "dpd")}
    for _ in range(n_months):
        u = rng.random(n_accounts)
        due = inst * (cycles + 1)
        miss = np.where(cycles == 0, u < 0.03, u < 0.5)
        cure = (cycles > 0) & (u > 0.8)
        paid = np.where(miss, 0.0, np.where(cure, due, inst))
        paid = np.minimum(paid, due)
        cycles = np.where(miss, np.minimum(cycles + 1, 6), np.where(cure, 0, cycles))
        bal = np.maximum(bal - paid + (paid > 0) * 0.0, 0.0)
        cols["due"].append(np.round(due, 2))
        cols["paid"].append(np.round(paid, 2))
        cols["bal"].append(np.round(bal, 2))
        cols["dpd"].append(
            np.where(cycles > 0, 30 * cycles - due_day, 0).astype(np.int16)
        )
    months = pd.date_range("2022-01-01", periods=n_months, freq="MS").values
    return pd.DataFrame(
        {
            "account_id": np.repeat(
                np.arange(1, n_accounts + 1, dtype=np.int32), n_months
            ),
            "month": np.tile(months, n_accounts),
            "amount_due": np.column_stack(cols["due"]).ravel(),
            "amount_paid": np.column_stack(cols["paid"]).ravel(),
            "balance": np.column_stack(cols["bal"]).ravel(),
            "days_past_due": np.column_stack(cols["dpd"]).ravel(),
        }
    )


def _child(kind: str, n_accounts: int) -> dict[str, object]:
    from loanrisk.behaviour import behavioural_features
    from loanrisk.datasets import make_loan_book

    out: dict[str, object] = {"kind": kind, "accounts": n_accounts}
    t0 = time.perf_counter()
    if kind == "loanbook":
        panel = make_loan_book(
            n_accounts=n_accounts, n_months=24, random_state=0
        ).repayments
        as_of = ["2022-12", "2023-12"]
    else:
        panel = dense_panel(n_accounts)
        as_of = ["2023-12"]
    out["rows"] = len(panel)
    out["make_panel_s"] = round(time.perf_counter() - t0, 2)
    out["panel_gib"] = round(panel.memory_usage(deep=True).sum() / 1024**3, 3)
    out["peak_before_features_gib"] = round(_maxrss_gib(), 3)
    t0 = time.perf_counter()
    X = behavioural_features(panel, as_of=as_of)
    out["features_s"] = round(time.perf_counter() - t0, 2)
    out["feature_rows"] = len(X)
    out["feature_columns"] = X.shape[1]
    out["peak_total_gib"] = round(_maxrss_gib(), 3)
    return out


def _naive(n_accounts: int) -> dict[str, object]:
    from loanrisk.behaviour import behavioural_features
    from loanrisk.datasets import make_loan_book

    spec = importlib.util.spec_from_file_location(
        "naive_ref", ROOT / "tests" / "behaviour" / "test_behaviour_features.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    panel = make_loan_book(
        n_accounts=n_accounts, n_months=24, random_state=0
    ).repayments
    t0 = time.perf_counter()
    ref = mod.naive_features(panel, "2023-06")
    t_naive = time.perf_counter() - t0
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        fast = behavioural_features(panel, "2023-06")
        times.append(time.perf_counter() - t0)
    mod._compare(fast, ref)  # raises if any value differs
    t_fast = float(np.median(times))
    return {
        "kind": "naive",
        "accounts": n_accounts,
        "rows": len(panel),
        "naive_groupby_apply_s": round(t_naive, 3),
        "vectorised_median_s": round(t_fast, 4),
        "speedup": round(t_naive / t_fast, 1),
        "identical_output": True,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--naive-accounts", type=int, default=5_000)
    parser.add_argument("--child", choices=["loanbook", "dense", "naive"])
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    if args.child == "naive":
        print(json.dumps(_naive(args.naive_accounts)))
        return
    if args.child:
        print(json.dumps(_child(args.child, args.accounts)))
        return
    kinds = ["loanbook", "dense"] + ([] if args.skip_naive else ["naive"])
    for kind in kinds:
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                kind,
                "--accounts",
                str(args.accounts),
                "--naive-accounts",
                str(args.naive_accounts),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        print(proc.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
