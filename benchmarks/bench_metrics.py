"""Benchmark loanrisk.metrics against scikit-learn's roc_auc_score.

Standalone script (not a test). Times each function on the same simulated data in one
run and prints medians of 5 repetitions and the ratio to ``roc_auc_score``.

    /work/venv/bin/python benchmarks/bench_metrics.py [n_rows]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from loanrisk.metrics import auc, auc_ci, csi, ks, psi

REPEATS = 5


def median_time(fn: Callable[[], Any]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(n: int) -> None:
    rng = np.random.default_rng(0)
    y = rng.binomial(1, 0.1, size=n)
    score = rng.normal(loc=y * 1.0, scale=1.0)
    current = rng.normal(loc=0.1, scale=1.05, size=n)
    assert abs(auc(y, score) - roc_auc_score(y, score)) < 1e-12
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("sklearn roc_auc_score", lambda: roc_auc_score(y, score)),
        ("loanrisk auc", lambda: auc(y, score)),
        ("loanrisk auc_ci (DeLong)", lambda: auc_ci(y, score)),
        ("loanrisk ks", lambda: ks(y, score)),
        ("loanrisk psi (10 bins)", lambda: psi(score, current)),
    ]
    base = None
    print(f"n_rows = {n:,}; median of {REPEATS} runs")
    print(f"{'function':28s} {'median s':>10s} {'ratio to sklearn':>17s}")
    for name, fn in cases:
        t = median_time(fn)
        base = t if base is None else base
        print(f"{name:28s} {t:10.4f} {t / base:17.2f}")


def bench_csi(n: int, n_features: int) -> None:
    rng = np.random.default_rng(1)
    dev = pd.DataFrame(
        rng.normal(size=(n, n_features)), columns=[f"f{i}" for i in range(n_features)]
    )
    cur = pd.DataFrame(rng.normal(0.05, 1.0, size=(n, n_features)), columns=dev.columns)
    start = time.perf_counter()
    csi(dev, cur)
    elapsed = time.perf_counter() - start
    print(f"csi, {n_features} numeric features x {n:,} rows: {elapsed:.2f} s (one run)")


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if not a.startswith("--")]
    rows = int(numbers[0]) if numbers else 1_000_000
    main(rows)
    if "--csi" in sys.argv:
        bench_csi(1_000_000, 100)
