"""Panel checks: clear errors, or the documented repair chosen by on_invalid."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loanrisk.behaviour import behavioural_features, make_target, roll_rates
from loanrisk.errors import InputError, LoanRiskWarning


def _panel() -> pd.DataFrame:
    months = pd.date_range("2023-01-01", periods=4, freq="MS")
    return pd.DataFrame(
        {
            "account_id": [1] * 4 + [2] * 4,
            "month": list(months) * 2,
            "amount_due": [100.0] * 8,
            "amount_paid": [100.0] * 8,
            "balance": [900.0, 800, 700, 600, 500, 400, 300, 200],
            "days_past_due": [0] * 8,
        },
        index=pd.Index([10, 11, 12, 13, 20, 21, 22, 23]),
    )


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (
            lambda p: p.drop(columns="balance"),
            r"missing the required column\(s\) \['balance'\]",
        ),
        (lambda p: p.assign(product="x"), r"unknown column\(s\) \['product'\]"),
        (
            lambda p: p.assign(month=p["month"].astype(str)),
            "column 'month' .* must hold dates",
        ),
        (
            lambda p: p.assign(amount_due=p["amount_due"].astype(str)),
            "column 'amount_due' .* must be numeric",
        ),
        (
            lambda p: p.assign(amount_paid=p["amount_paid"].where(p.index != 12)),
            r"'amount_paid' .* 1 missing or infinite value\(s\) \(index labels 12\)",
        ),
        (
            lambda p: p.assign(
                days_past_due=p["days_past_due"].where(p.index != 21, -3)
            ),
            r"'days_past_due' .* whole numbers >= 0; 1 value\(s\) are not \(index labels 21\)",
        ),
        (lambda p: p.assign(status="late"), "column 'status' .* unknown value"),
        (lambda p: p.iloc[:0], "has no rows"),
    ],
)
def test_malformed_panel_errors(change, match) -> None:
    with pytest.raises(InputError, match=match):
        behavioural_features(change(_panel()), "2023-03")


def test_not_a_frame() -> None:
    with pytest.raises(InputError, match="expects repayments as a pandas DataFrame"):
        make_target([1, 2], "2023-03")


def test_duplicates_raise_or_keep_last() -> None:
    p = _panel()
    dup = p.loc[[12]].assign(amount_paid=50.0, days_past_due=5)
    dup.index = [99]
    bad = pd.concat([p, dup])
    with pytest.raises(
        InputError,
        match=r"1 duplicate \(account_id, month\) row\(s\) \(index labels 12, 99\)",
    ):
        behavioural_features(bad, "2023-03")
    with pytest.warns(LoanRiskWarning, match="Kept the last row"):
        x = behavioural_features(bad, "2023-03", on_invalid="repair")
    assert x.loc[(1, pd.Timestamp("2023-03-01")), "dpd_current"] == 5


def test_gaps_raise_or_stay_missing() -> None:
    p = _panel().drop(index=21)
    with pytest.raises(InputError, match=r"1 gap\(s\) .* index labels 22"):
        behavioural_features(p, "2023-04")
    with pytest.warns(LoanRiskWarning, match="Left the months missing"):
        x = behavioural_features(p, "2023-04", windows=(3,), on_invalid="repair")
    # account 2 has rows in Feb-Apr? no: Feb is missing, so the 3-month window holds
    # two rows (March, April)
    assert x.loc[(2, pd.Timestamp("2023-04-01")), "payment_ratio_mean_3m"] == 1.0
    assert x.loc[(2, pd.Timestamp("2023-04-01")), "months_on_book"] == 4


def test_negative_amounts_and_excess_payment() -> None:
    neg = _panel()
    neg.loc[13, "balance"] = -1.0
    with pytest.raises(
        InputError,
        match=r"1 row\(s\) of repayments have a negative amount.*index labels 13",
    ):
        behavioural_features(neg, "2023-03")
    excess = _panel()
    excess.loc[22, "amount_paid"] = 100 + 400 + 1.0  # due + previous balance + 1
    with pytest.raises(
        InputError,
        match=r"amount_paid above amount_due plus the previous month's balance \(index labels 22\)",
    ):
        roll_rates(excess)
    with pytest.warns(LoanRiskWarning, match="Left them out"):
        x = behavioural_features(excess, "2023-04", on_invalid="repair")
    assert x.loc[(2, pd.Timestamp("2023-04-01")), "months_on_book"] == 4
    ok = _panel()
    ok.loc[22, "amount_paid"] = 100 + 400  # a full prepayment is fine
    behavioural_features(ok, "2023-04")


def test_as_of_outside_range_and_bad_options() -> None:
    p = _panel()
    with pytest.raises(
        InputError,
        match=r"'as_of' \['2024-01'\] lies outside the panel's months \(2023-01 to 2023-04\)",
    ):
        behavioural_features(p, ["2023-02", "2024-01"])
    with pytest.raises(InputError, match="'as_of' must be a date"):
        behavioural_features(p, "not a date")
    with pytest.raises(InputError, match="'as_of' repeats a month"):
        behavioural_features(p, ["2023-02", "2023-02-15"])
    with pytest.raises(InputError, match="'windows' parameter of behavioural_features"):
        behavioural_features(p, "2023-02", windows=(0,))
    with pytest.raises(InputError, match="repeats a window"):
        behavioural_features(p, "2023-02", windows=(3, 3))
    with pytest.raises(InputError, match="'on_invalid'"):
        behavioural_features(p, "2023-02", on_invalid="ignore")
    with pytest.raises(InputError, match="'chunk_size'"):
        behavioural_features(p, "2023-02", chunk_size=0)
    with pytest.raises(InputError, match="'horizon'"):
        make_target(p, "2023-02", horizon=0)


def test_outputs_keep_account_ids_and_do_not_modify_input() -> None:
    p = _panel()
    p["account_id"] = p["account_id"].map({1: "A-1", 2: "B-2"})
    before = p.copy()
    x = behavioural_features(p, "2023-02")
    assert x.index.get_level_values("account_id").tolist() == ["A-1", "B-2"]
    pd.testing.assert_frame_equal(p, before)
    assert np.array_equal(x["months_on_book"], [2, 2])
