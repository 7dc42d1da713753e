"""Benchmark ThresholdCalibrator's one-sort search against per-candidate evaluation.

Standalone script (not a test). Scores are PDs rounded to 4 decimals (about 10,000
distinct values, i.e. candidate thresholds). The naive search evaluates every
candidate separately (one vectorised pass over all scores per candidate). At the full
size the naive time is measured on a random sample of candidates and scaled to all of
them (running all would take minutes); at ``n_check`` rows the naive search runs in
full and must return the same threshold.

    /work/venv/bin/python benchmarks/bench_warning.py [n_rows] [n_check]
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
from scipy.stats import beta

from loanrisk.warning import ThresholdCalibrator

SAMPLE = 40


def data(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pd_ = np.round(rng.beta(1.2, 20, size=n), 4)
    y = (rng.uniform(size=n) < pd_).astype(np.int8)
    return pd_, y


def naive_eval(s: np.ndarray, y: np.ndarray, t: float) -> tuple[int, int]:
    flagged = s >= t
    return int(np.count_nonzero(flagged)), int(np.count_nonzero(y[flagged]))


def naive(s, y, objective, target, candidates):
    """Evaluate each candidate threshold (flag score >= t) separately."""
    n, best = len(s), None
    for t in candidates:  # descending: flag more and more
        k, b = naive_eval(s, y, t)
        if objective == "budget":
            if k / n <= target:
                best = t
        elif k and beta.ppf(0.05, b, k - b + 1) >= target if b else False:
            best = t
    return best


def run(n: int, n_check: int) -> None:
    print(f"n_rows = {n:,}; objectives budget 10% and precision 20% at 95%")
    for objective, target in (("budget", 0.10), ("precision", 0.20)):
        s, y = data(n)
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            cal = ThresholdCalibrator(objective, target).fit(s, y)
            times.append(time.perf_counter() - t0)
        fast = statistics.median(times)
        cands = np.unique(s)[::-1]
        rng = np.random.default_rng(1)
        sample = rng.choice(cands, size=min(SAMPLE, len(cands)), replace=False)
        t0 = time.perf_counter()
        for t in sample:
            naive_eval(s, y, t)
        per = (time.perf_counter() - t0) / len(sample)
        slow = per * len(cands)
        # the chosen cut flags exactly the cases at or above the lowest flagged value
        flagged = cal.flag(s)
        lowest = s[flagged].min()
        assert naive_eval(s, y, lowest)[0] == int(flagged.sum())
        print(
            f"{objective:9s} sort-based {fast:7.3f} s | naive {len(cands):,} "
            f"candidates x {per * 1e3:.1f} ms = {slow:8.1f} s (scaled from "
            f"{len(sample)}) | ratio {slow / fast:6.0f}x"
        )
        # full naive run on a smaller sample: same threshold
        sc, yc = data(n_check, seed=2)
        cal_c = ThresholdCalibrator(objective, target).fit(sc, yc)
        cands_c = np.unique(sc)[::-1]
        t0 = time.perf_counter()
        best = naive(sc, yc, objective, target, cands_c)
        slow_c = time.perf_counter() - t0
        t0 = time.perf_counter()
        ThresholdCalibrator(objective, target).fit(sc, yc)
        fast_c = time.perf_counter() - t0
        same = np.array_equal(cal_c.flag(sc), sc >= best)
        print(
            f"{'':9s} check at {n_check:,} rows, all {len(cands_c):,} candidates: "
            f"naive {slow_c:.2f} s vs {fast_c:.3f} s ({slow_c / fast_c:.0f}x), "
            f"same threshold: {same}"
        )


if __name__ == "__main__":
    n_rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    n_check = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    run(n_rows, n_check)
