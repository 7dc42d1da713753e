"""Fixtures for loanrisk.warning: an account-month panel from the simulated book."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit, logit

from loanrisk.datasets import make_loan_book


def make_panel(n_accounts: int, n_months: int, seed: int, horizon: int = 6):
    """Performing account-months with a PD score, indicators and a 6-month bad flag."""
    book = make_loan_book(n_accounts=n_accounts, n_months=n_months, random_state=seed)
    rep = book.repayments
    acc = rep["account_id"]
    bad_now = pd.Series(rep["status"].isin(["90+", "defaulted"]).to_numpy(), rep.index)
    future = np.zeros(len(rep), dtype=bool)
    for k in range(1, horizon + 1):
        future |= bad_now.groupby(acc).shift(-k).fillna(False).to_numpy(dtype=bool)
    missed = (rep["days_past_due"] > 0).astype(int)
    g = missed.groupby(acc)
    missed_3m = missed + g.shift(1).fillna(0) + g.shift(2).fillna(0)
    pd12 = book.truth.set_index("account_id")["pd_12m"].reindex(acc).to_numpy()
    rng = np.random.default_rng(seed)
    noise = 0.6 * rng.normal(size=len(rep))
    score = expit(logit(pd12) + noise + 0.02 * rep["days_past_due"].to_numpy())
    frame = pd.DataFrame(
        {
            "month": rep["month"].dt.to_period("M"),
            "pd": np.round(score, 4),
            "days_past_due": rep["days_past_due"].astype(int),
            "missed_3m": missed_3m.astype(int),
            "bad": future.astype(int),
        }
    )
    last = book.window_end - pd.DateOffset(months=horizon)
    keep = (
        ~bad_now.to_numpy()
        & (rep["status"] != "closed").to_numpy()
        & (rep["month"] <= last).to_numpy()
    )
    return frame[keep]


@pytest.fixture(scope="session")
def panel() -> pd.DataFrame:
    """About 50,000 account-months over 18 observed months (read-only)."""
    return make_panel(10_000, 24, seed=0)
