"""ApplicationScorecard speed against optbinning's Scorecard, side by side in one run.

Prints, with medians of repeated timings:
- fit time on German credit and on 200,000 x 40 simulated applications;
- batch scoring of 1,000,000 rows: loanrisk vs optbinning ``Scorecard.score`` and vs a
  bare numpy lookup on pre-computed bin indices (the practical limit);
- one record as a dict (loanrisk ``score_record``) vs optbinning on a one-row frame;
- cold start in a fresh process (import, load a saved model, score one record) vs
  ``import pandas, sklearn.base`` alone.

Run: python benchmarks/bench_scorecard_speed.py [--quick]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

import loanrisk
from loanrisk.datasets import load_german_credit, make_loan_book

QUICK = "--quick" in sys.argv


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def optbinning_card(X: pd.DataFrame):  # type: ignore[no-untyped-def]
    from optbinning import BinningProcess, Scorecard

    cats = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
    bp = BinningProcess(list(X.columns), categorical_variables=cats)
    return Scorecard(
        binning_process=bp,
        estimator=LogisticRegression(max_iter=1000),
        scaling_method="pdo_odds",
        scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600},
    )


def as_object(X: pd.DataFrame) -> pd.DataFrame:
    out = X.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype(object)
    return out


def simulated_applications(n: int) -> tuple[pd.DataFrame, pd.Series]:
    book = make_loan_book(n_accounts=n, n_months=24, random_state=0)
    apps = book.applications.set_index("account_id")
    y = book.truth.set_index("account_id")["would_default"].astype(int)
    base = apps.drop(columns=["application_date", "accepted"])
    rng = np.random.default_rng(0)
    cols = {c: base[c] for c in base.columns}
    numeric = [c for c in base.columns if pd.api.types.is_numeric_dtype(base[c])]
    i = 0
    while len(cols) < 40:
        src = numeric[i % len(numeric)]
        noise = rng.normal(0, base[src].std() * 0.5, n)
        cols[f"{src}_noisy_{i}"] = base[src].to_numpy() + noise
        i += 1
    X = pd.DataFrame(cols, index=base.index)
    for c in X.columns:
        if isinstance(X[c].dtype, pd.CategoricalDtype):
            X[c] = X[c].astype(object)
    return X, y.loc[X.index]


def main() -> None:
    warnings.simplefilter("ignore")
    X, y = load_german_credit(return_X_y=True)
    Xo = as_object(X)
    rows: list[tuple[str, float, float, str]] = []

    # -- fit, German credit ---------------------------------------------------
    t_lr = median_time(lambda: loanrisk.ApplicationScorecard().fit(X, y), 3)
    t_ob = median_time(lambda: optbinning_card(Xo).fit(Xo, y), 3)
    rows.append(("fit German credit (s)", t_lr, t_ob, f"{t_ob / t_lr:.2f}x"))

    # -- fit, 200,000 x 40 simulated -------------------------------------------
    n_sim = 20_000 if QUICK else 200_000
    Xs, ys = simulated_applications(n_sim)
    t_lr = median_time(lambda: loanrisk.ApplicationScorecard().fit(Xs, ys), 1)
    t_ob = median_time(lambda: optbinning_card(Xs).fit(Xs, ys), 1)
    rows.append(
        (
            f"fit {n_sim:,} x {Xs.shape[1]} simulated (s)",
            t_lr,
            t_ob,
            f"{t_ob / t_lr:.2f}x",
        )
    )

    # -- batch scoring ----------------------------------------------------------
    card = loanrisk.ApplicationScorecard().fit(X, y)
    ob = optbinning_card(Xo).fit(Xo, y)
    n_big = 100_000 if QUICK else 1_000_000
    idx = np.random.default_rng(0).integers(0, len(X), n_big)
    big = X.iloc[idx].reset_index(drop=True)
    big_o = Xo.iloc[idx].reset_index(drop=True)
    t_lr = median_time(lambda: card.score(big), 5)
    t_ob = median_time(lambda: ob.score(big_o), 3)
    bins = {f: card.engine_.bins[f].assign(big[f]) for f in card.features_}
    pts = card.engine_.points

    def bare() -> np.ndarray:
        total = np.zeros(n_big, dtype=np.int64)
        for f in card.features_:
            total += pts[f][bins[f]]
        return total

    assert (bare() == card.score(big).to_numpy()).all()
    t_np = median_time(bare, 5)
    rows.append((f"score {n_big:,} rows (s)", t_lr, t_ob, f"{t_ob / t_lr:.1f}x"))
    rows.append(
        (
            "  bare numpy lookup on bin indices (s)",
            t_np,
            float("nan"),
            f"loanrisk / numpy = {t_lr / t_np:.2f}",
        )
    )

    # -- one record ---------------------------------------------------------------
    record = {k: (v.item() if hasattr(v, "item") else v) for k, v in X.iloc[0].items()}
    one_o = Xo.iloc[[0]]
    t_lr = median_time(lambda: card.score_record(record), 2000)
    t_ob = median_time(lambda: ob.score(one_o), 100)
    rows.append(("one record (ms)", t_lr * 1e3, t_ob * 1e3, f"{t_ob / t_lr:.0f}x"))

    # -- cold start ----------------------------------------------------------------
    tmp = Path(tempfile.mkdtemp())
    path = loanrisk.save(card, tmp / "model.json")
    cold = (
        "import sys, loanrisk\n"
        f"card = loanrisk.load({str(path)!r})\n"
        f"card.score_record({json.loads(json.dumps(record))!r})\n"
        "heavy = [m for m in ('optbinning', 'statsmodels', 'lightgbm', 'matplotlib')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    ref = "import pandas, sklearn.base"
    t_cold, t_ref = [], []
    for _ in range(5):
        for code, sink in ((cold, t_cold), (ref, t_ref)):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            sink.append(time.perf_counter() - t0)
    c, r = statistics.median(t_cold), statistics.median(t_ref)
    rows.append(
        (
            "cold start: import+load+score (s)",
            c,
            r,
            f"loanrisk / reference = {c / r:.2f}",
        )
    )

    print(f"{'measure':<42} {'loanrisk':>10} {'reference':>10}  ratio")
    for name, a, b, ratio in rows:
        print(f"{name:<42} {a:>10.4f} {b:>10.4f}  {ratio}")
    print(
        "reference = optbinning Scorecard, except cold start (import pandas, "
        "sklearn.base); ratio > 1x means loanrisk is faster"
    )


if __name__ == "__main__":
    main()
