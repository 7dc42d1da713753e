"""Accuracy on German credit: repeated stratified 5-fold CV (3 repeats, same folds).

Compares loanrisk.ApplicationScorecard with optbinning's Scorecard (plain binning of
every feature, categorical columns passed explicitly, LogisticRegression) and with
scikit-learn's LogisticRegression on one-hot features. Prints mean and standard
deviation of the out-of-fold Gini for each.

Run: python benchmarks/bench_scorecard_accuracy.py [--configs]
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import loanrisk
from loanrisk.datasets import load_german_credit


def optbinning_scorecard(X: pd.DataFrame, cats: list[str]):  # type: ignore[no-untyped-def]
    from optbinning import BinningProcess, Scorecard

    bp = BinningProcess(list(X.columns), categorical_variables=cats)
    return Scorecard(
        binning_process=bp,
        estimator=LogisticRegression(max_iter=1000),
        scaling_method="pdo_odds",
        scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600},
    )


def onehot_logit(cats: list[str], nums: list[str]):  # type: ignore[no-untyped-def]
    pre = ColumnTransformer(
        [
            ("cat", OneHotEncoder(handle_unknown="ignore"), cats),
            ("num", StandardScaler(), nums),
        ]
    )
    return make_pipeline(pre, LogisticRegression(max_iter=1000))


def main() -> None:
    X, y = load_german_credit(return_X_y=True)
    cats = [c for c in X.columns if isinstance(X[c].dtype, pd.CategoricalDtype)]
    nums = [c for c in X.columns if c not in cats]
    X_obj = X.copy()
    for c in cats:
        X_obj[c] = X_obj[c].astype(object)
    folds = list(
        RepeatedStratifiedKFold(n_splits=5, n_repeats=3, random_state=0).split(X, y)
    )
    models: dict[str, object] = {
        "loanrisk ApplicationScorecard (defaults)": lambda: (
            loanrisk.ApplicationScorecard()
        ),
        "optbinning Scorecard": lambda: optbinning_scorecard(X_obj, cats),
        "sklearn LogisticRegression one-hot": lambda: onehot_logit(cats, nums),
    }
    if "--configs" in sys.argv:
        for kw in (
            {"min_iv": 0.0},
            {"min_iv": 0.0, "max_bins": None, "min_bin_size": 0.05},
            {"monotonic_trend": "auto"},
            {"monotonic_trend": "auto", "min_iv": 0.0},
            {"max_bins": 8},
            {"C": 1.0},
            {"wrong_sign": "drop", "min_iv": 0.0},
        ):
            models[f"loanrisk {kw}"] = (
                lambda kw=kw: loanrisk.ApplicationScorecard(**kw)  # type: ignore[misc]
            )
    print(f"{'model':<62} {'mean Gini':>10} {'std':>7} {'seconds':>8}")
    for name, make in models.items():
        ginis = []
        t0 = time.perf_counter()
        for train, test in folds:
            model = make()  # type: ignore[operator]
            data = X_obj if "optbinning" in name else X
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.fit(data.iloc[train], y.iloc[train])
                p = model.predict_proba(data.iloc[test])[:, 1]
            ginis.append(2 * roc_auc_score(y.iloc[test], p) - 1)
        dt = time.perf_counter() - t0
        print(f"{name:<62} {np.mean(ginis):>10.4f} {np.std(ginis):>7.4f} {dt:>8.1f}")


if __name__ == "__main__":
    main()
