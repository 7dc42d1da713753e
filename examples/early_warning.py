"""Early warning on a simulated book: bands for a team, backtest, alerts with reasons.

A collections team can call about 8% of the performing book each month. We calibrate
an amber level on that budget and a red level whose flagged accounts go bad at least
12% of the time (at 90% confidence), backtest both over the observed months, compare
the cost objective with scikit-learn's TunedThresholdClassifierCV, and read the
alerts of the latest month with the rules that fired.

    /work/venv/bin/python examples/early_warning.py
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, logit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import make_scorer
from sklearn.model_selection import TunedThresholdClassifierCV

from loanrisk.datasets import make_loan_book
from loanrisk.warning import (
    EarlyWarningSystem,
    ThresholdCalibrator,
    WarningBands,
    backtest,
)

HORIZON = 6  # months: an account is bad if it reaches 90+ dpd within 6 months


def account_months(n_accounts: int = 20_000, n_months: int = 30) -> pd.DataFrame:
    """Performing account-months with a behavioural PD, indicators and the outcome."""
    book = make_loan_book(n_accounts=n_accounts, n_months=n_months, random_state=7)
    rep = book.repayments
    acc = rep["account_id"]
    bad_now = pd.Series(rep["status"].isin(["90+", "defaulted"]).to_numpy(), rep.index)
    future = np.zeros(len(rep), dtype=bool)
    for k in range(1, HORIZON + 1):
        future |= bad_now.groupby(acc).shift(-k).fillna(False).to_numpy(dtype=bool)
    missed = (rep["days_past_due"] > 0).astype(int)
    g = missed.groupby(acc)
    due = rep["amount_due"].where(rep["amount_due"] > 0)
    rng = np.random.default_rng(7)
    pd12 = book.truth.set_index("account_id")["pd_12m"].reindex(acc).to_numpy()
    score = expit(logit(pd12) + 0.6 * rng.normal(size=len(rep)))
    frame = pd.DataFrame(
        {
            "account_id": acc,
            "month": rep["month"].dt.to_period("M"),
            "pd": np.round(score, 4),
            "days_past_due": rep["days_past_due"].astype(int),
            "missed_3m": (missed + g.shift(1).fillna(0) + g.shift(2).fillna(0)),
            "paid_ratio": (rep["amount_paid"] / due).fillna(1.0).round(3),
            "bad": future.astype(int),
        }
    )
    last = book.window_end - pd.DateOffset(months=HORIZON)
    keep = ~bad_now.to_numpy() & (rep["status"] != "closed").to_numpy()
    keep &= (rep["month"] <= last).to_numpy()
    return frame[keep]


class _ScoreAsProba(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    def fit(self, X: np.ndarray, y: np.ndarray) -> _ScoreAsProba:
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        p = np.asarray(X, dtype=float)[:, 0]
        return np.c_[1 - p, p]


def main() -> None:
    data = account_months()
    months = sorted(data["month"].unique())
    print(f"{len(data):,} performing account-months, {len(months)} months, "
          f"6-month bad rate {data['bad'].mean():.2%}")  # fmt: skip

    # 1. Bands for a team that can work 8% of the book, red at 12% precision.
    spec = WarningBands(
        [
            ("amber", ThresholdCalibrator("budget", 0.08)),
            ("red", ThresholdCalibrator("precision", 0.12, confidence=0.9)),
        ]
    )
    bands = spec.fit(data["pd"], data["bad"])
    print("\nWarning bands on all months:")
    print(bands.table_.round(3).to_string())

    # 2. Walk-forward backtest: calibrate on the past, apply to the next month.
    res = backtest(spec, data["pd"], data["bad"], data["month"], min_train_periods=6)
    cols = ["period", "level", "threshold", "alert_share", "precision", "recall",
            "target", "broken", "significant"]  # fmt: skip
    print(f"\nBacktest over {res.table['period'].nunique()} months:")
    table = res.table[cols].astype({"period": str})
    print(table.round(3).to_string(index=False))
    print(res.recommendation)

    # 3. Cost objective against scikit-learn on the same data and cost.
    c_miss, c_alert = 2000.0, 120.0
    y, s = data["bad"].to_numpy(), data["pd"].to_numpy()

    def cost(flag: np.ndarray) -> float:
        return float(c_miss * np.sum((y == 1) & ~flag) + c_alert * np.sum(flag))

    cal = ThresholdCalibrator("cost", cost_missed_bad=c_miss, cost_alert=c_alert)
    cal.fit(s, y)
    scorer = make_scorer(
        lambda yt, yp: -(c_miss * np.sum((yt == 1) & (yp == 0)) + c_alert * yp.sum())
    )
    tuned = TunedThresholdClassifierCV(
        _ScoreAsProba(), scoring=scorer, cv=5, random_state=0
    ).fit(s.reshape(-1, 1), y)
    sk_flag = tuned.predict(s.reshape(-1, 1)).astype(bool)
    print(f"\nExpected cost: loanrisk {cost(cal.flag(s)):,.0f} (threshold "
          f"{cal.threshold_:.4f}); TunedThresholdClassifierCV {cost(sk_flag):,.0f} "
          f"(threshold {tuned.best_threshold_:.4f})")  # fmt: skip

    # 4. Rules + score bands; alerts of the latest month with their reasons.
    rules = [
        {"name": "missed_payment", "column": "days_past_due", "operator": ">",
         "threshold": 0, "severity": "amber"},
        {"name": "two_misses_in_3m", "column": "missed_3m", "operator": ">=",
         "threshold": 2, "severity": "red"},
        {"name": "low_payment", "column": "paid_ratio", "operator": "<",
         "calibrate": {"objective": "precision", "target": 0.15}, "severity": "amber"},
    ]  # fmt: skip
    ews = EarlyWarningSystem(rules, score_column="pd", bands=spec)
    ews.fit(data, data["bad"])
    print("\nRules (low_payment calibrated):")
    print(ews.rules_.to_string(index=False))
    latest = data[data["month"] == months[-1]].set_index("account_id")
    alerts = ews.alerts(latest)
    print(f"\n{months[-1]}: {len(alerts)} alerts among {len(latest)} accounts")
    print(alerts["level"].value_counts().to_string())
    print(alerts.head(8).to_string())


if __name__ == "__main__":
    main()
