"""make_target: bad flag, censoring flagged, exclusions recorded."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loanrisk.behaviour import behavioural_features, make_target
from loanrisk.datasets import make_loan_book


def _account(
    aid: int, dpd: list[int], status: list[str], start: str = "2023-01"
) -> pd.DataFrame:
    n = len(dpd)
    return pd.DataFrame(
        {
            "account_id": aid,
            "month": pd.date_range(start, periods=n, freq="MS"),
            "amount_due": 100.0,
            "amount_paid": 100.0,
            "balance": 1000.0,
            "days_past_due": dpd,
            "status": status,
        }
    )


def test_hand_built_outcomes() -> None:
    panel = pd.concat(
        [
            _account(1, [0, 0, 0, 0, 0, 0], ["current"] * 6),  # good, complete
            _account(
                2,
                [0, 0, 40, 70, 100, 130],
                ["current", "current", "30-59", "60-89", "90+", "defaulted"],
            ),
            _account(3, [0, 0, 0], ["current", "current", "closed"]),  # paid off
            _account(4, [0, 0, 0, 0], ["current"] * 4),  # rows stop: censored
            _account(
                5,
                [0, 100, 0, 0, 0, 0],
                ["current", "90+", "current", "current", "current", "current"],
            ),
            _account(6, [0, 0], ["current", "closed"]),  # closed at as_of
        ],
        ignore_index=True,
    )
    y = make_target(panel, "2023-02", horizon=3)
    t = pd.Timestamp("2023-02-01")
    assert y.loc[(1, t), "bad"] == 0 and not y.loc[(1, t), "censored"]
    assert y.loc[(2, t), "bad"] == 1  # 100 dpd in May, within Mar-May
    assert y.loc[(3, t), "bad"] == 0 and y.loc[(3, t), "months_observed"] == 1
    assert pd.isna(y.loc[(4, t), "bad"]) and y.loc[(4, t), "censored"]
    assert pd.isna(y.loc[(5, t), "bad"])
    assert y.loc[(5, t), "exclusion"] == "in_default_at_as_of"
    assert not y.loc[(5, t), "censored"]
    assert (
        pd.isna(y.loc[(6, t), "bad"])
        and y.loc[(6, t), "exclusion"] == "closed_at_as_of"
    )
    assert y.loc[(1, t), "months_observed"] == 3
    # window past the panel's end: censored, never good
    late = make_target(panel, "2023-05", horizon=3)
    assert late.loc[(1, pd.Timestamp("2023-05-01")), "censored"]
    assert pd.isna(late.loc[(1, pd.Timestamp("2023-05-01")), "bad"])
    # a stricter bad definition: only the default counts
    strict = make_target(panel, "2023-02", horizon=4, bad_dpd=200)
    assert strict.loc[(2, t), "bad"] == 1  # status defaulted in June
    assert make_target(panel, "2023-02", horizon=3, bad_dpd=200).loc[(2, t), "bad"] == 0


def test_without_status_closure_from_zero_final_balance() -> None:
    a = _account(1, [0, 0, 0], ["current"] * 3).drop(columns="status")
    a.loc[2, "balance"] = 0.0
    b = _account(2, [0, 0, 0], ["current"] * 3).drop(columns="status")
    y = make_target(pd.concat([a, b], ignore_index=True), "2023-01", horizon=6)
    assert y["bad"].tolist() == [0, pd.NA]
    assert y["censored"].tolist() == [False, True]


def test_matches_loan_book_default_flag_and_feature_rows() -> None:
    book = make_loan_book(n_accounts=3000, n_months=24, random_state=3)
    rep = book.repayments
    y = make_target(rep, "2022-12", horizon=12)
    x = behavioural_features(rep, "2022-12")
    assert y.index.equals(x.index)
    # independent count: accounts bad in Jan-Dec 2023 among those on book in Dec 2022
    on = rep.loc[
        rep["month"] == "2022-12-01", ["account_id", "days_past_due", "status"]
    ]
    fut = rep[(rep["month"] > "2022-12-01") & (rep["month"] <= "2023-12-01")]
    bad_ids = set(
        fut.loc[
            (fut["days_past_due"] >= 90) | (fut["status"] == "defaulted"), "account_id"
        ]
    )
    in_default = set(
        on.loc[
            (on["days_past_due"] >= 90) | (on["status"] == "defaulted"), "account_id"
        ]
    )
    ids = y.index.get_level_values("account_id")
    expected_bad = np.array([(i in bad_ids) and (i not in in_default) for i in ids])
    assert np.array_equal(y["bad"].fillna(0).to_numpy(dtype=int) == 1, expected_bad)
    assert set(ids[y["exclusion"] == "in_default_at_as_of"]) == in_default
    # the window ends inside the panel: only early stops without closure censor
    assert not y["censored"].any()
    # no censored or excluded row is counted as good
    assert y.loc[y["censored"] | y["exclusion"].notna(), "bad"].isna().all()
