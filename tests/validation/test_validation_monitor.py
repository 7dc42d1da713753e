"""loanrisk.validation.monitor on the loan-book simulator."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from loanrisk.datasets import make_loan_book
from loanrisk.errors import InputError
from loanrisk.metrics import psi
from loanrisk.scorecard import ApplicationScorecard
from loanrisk.validation import monitor

FEATURES = [
    "income",
    "age",
    "employment_years",
    "existing_debt",
    "bureau_score",
    "recent_enquiries",
    "home_ownership",
    "purpose",
]


@pytest.fixture(scope="module")
def book_setup():
    book = make_loan_book(n_accounts=6000, n_months=12, random_state=7)
    apps = book.applications.merge(book.truth, on="account_id")
    apps = apps[apps["accepted"]].copy()
    apps["bad"] = apps["would_default"].astype(int)
    apps["month"] = apps["application_date"].dt.strftime("%Y-%m")
    dev = apps[apps["month"] <= "2022-04"]
    card = ApplicationScorecard().fit(dev[FEATURES], dev["bad"])
    frame = apps[["month", "bad", *FEATURES]].reset_index(drop=True)
    return card, dev, frame


def test_monitor_one_row_per_period(book_setup) -> None:
    card, dev, frame = book_setup
    out = monitor(card, frame, period="month", reference=(dev[FEATURES], dev["bad"]))
    assert list(out.index) == sorted(frame["month"].unique())
    first = frame[frame["month"] == out.index[0]]
    row = out.iloc[0]
    assert row["n"] == len(first)
    assert row["observed_bad_rate"] == pytest.approx(first["bad"].mean())
    assert row["predicted_bad_rate"] == pytest.approx(
        card.predict_proba(first[FEATURES])[:, 1].mean()
    )
    assert row["auc"] == pytest.approx(
        roc_auc_score(first["bad"], -card.score(first[FEATURES]))
    )
    assert row["gini"] == pytest.approx(2 * row["auc"] - 1)
    assert row["auc_lower"] < row["auc"] < row["auc_upper"]
    ref = psi(card.score(dev[FEATURES]), card.score(first[FEATURES])).statistic
    assert row["score_psi"] == pytest.approx(ref)
    assert {f"csi_{f}" for f in card.features_} <= set(out.columns)
    assert out["alerts"].map(type).eq(str).all()


def test_monitor_alerts_on_drift(book_setup) -> None:
    card, dev, frame = book_setup
    shifted = frame.copy()
    late = shifted["month"] >= "2022-10"
    shifted.loc[late, "bureau_score"] = shifted.loc[late, "bureau_score"] - 120
    out = monitor(card, shifted, period="month", reference=(dev[FEATURES], dev["bad"]))
    assert out.loc["2022-12", "csi_bureau_score"] > 0.25
    assert "CSI bureau_score red" in out.loc["2022-12", "alerts"]
    assert out.loc["2022-12", "score_psi"] > out.loc["2022-06", "score_psi"]


def test_monitor_mapping_and_deterministic(book_setup) -> None:
    card, _, frame = book_setup
    batches = {m: (g[FEATURES], g["bad"]) for m, g in frame.groupby("month", sort=True)}
    a = monitor(card, batches)
    b = monitor(card, batches)
    pd.testing.assert_frame_equal(a, b)
    assert a.iloc[0]["score_psi"] == 0.0  # reference defaults to the first period


def test_monitor_one_class_period(book_setup) -> None:
    card, dev, _ = book_setup
    X = dev[FEATURES].iloc[:50]
    out = monitor(
        card, {"p": (X, np.zeros(50, dtype=int))}, reference=(dev[FEATURES], dev["bad"])
    )
    assert np.isnan(out.loc["p", "auc"])
    assert "AUC undefined" in out.loc["p", "alerts"]


def test_monitor_bad_input(book_setup) -> None:
    card, _, frame = book_setup
    with pytest.raises(InputError, match="pass period= the name of the column"):
        monitor(card, frame)
    with pytest.raises(InputError, match="period='week' is not a column of batches"):
        monitor(card, frame, period="week")
    with pytest.raises(InputError, match="target='default' is not a column"):
        monitor(card, frame, period="month", target="default")
    with pytest.raises(InputError, match="batches must be a DataFrame"):
        monitor(card, [1, 2])
    with pytest.raises(InputError, match=r"batches\['x'\] must be a pair"):
        monitor(card, {"x": frame})
