"""Tests of restructure: each plan's schedule, NPV loss and affordability."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loanrisk.affordability import AffordabilityPolicy
from loanrisk.errors import InputError
from loanrisk.repayment import Loan, restructure

LOAN = Loan(10_000, 0.10, 36)
ARREARS = 645.34  # two missed instalments of 322.67
OPTIONS = {
    "capitalise": {},
    "extend 12": {"extend_term": 12},
    "holiday 3": {"holiday": 3},
    "holiday 3 waived": {"holiday": 3, "capitalise_interest": False},
    "rate cut": {"rate_cut": 0.04},
    "write off 10%": {"write_off": 0.1},
}


def pv(payments: np.ndarray, annual: float, ppy: int = 12) -> float:
    """Present value by the textbook sum, independent of the implementation."""
    return sum(p / (1 + annual / ppy) ** (t + 1) for t, p in enumerate(payments))


def annuity(principal: float, annual_rate: float, term: int) -> float:
    r = annual_rate / 12
    return principal * r / (1 - (1 + r) ** -term)


def test_table_hand_computed() -> None:
    table, plans = restructure(
        LOAN, 12, ARREARS, OPTIONS, discount_rate=0.05, capacity=300, schedules=True
    )
    assert table.index.tolist() == ["current terms", *OPTIONS]
    balance = float(LOAN.schedule()["closing_balance"].iloc[11])
    assert balance == 6992.59
    exposure = balance + ARREARS
    assert table.loc["capitalise", "principal"] == pytest.approx(exposure)
    assert table.loc["write off 10%", "principal"] == round(0.9 * exposure, 2)
    assert table["term"].tolist() == [24, 24, 36, 27, 27, 24, 24]
    expected_inst = {
        "capitalise": annuity(exposure, 0.10, 24),
        "extend 12": annuity(exposure, 0.10, 36),
        # interest capitalised for 3 months, then 24 instalments
        "holiday 3": annuity(exposure * (1 + 0.10 / 12) ** 3, 0.10, 24),
        "holiday 3 waived": annuity(exposure, 0.10, 24),
        "rate cut": annuity(exposure, 0.06, 24),
        "write off 10%": annuity(round(0.9 * exposure, 2), 0.10, 24),
    }
    for name, inst in expected_inst.items():
        assert table.loc[name, "instalment"] == pytest.approx(inst, abs=0.011), name
    assert table.loc["current terms", "instalment"] == 322.67
    assert table.loc["current terms", "due_now"] == ARREARS
    # the baseline's npv: arrears now plus the remaining contractual payments
    rest = LOAN.schedule()["payment"].to_numpy()[12:]
    assert table.loc["current terms", "npv"] == pytest.approx(
        ARREARS + pv(rest, 0.05), abs=0.006
    )
    for name in OPTIONS:
        pay = plans[name]["payment"].to_numpy()
        assert table.loc[name, "total_paid"] == pytest.approx(pay.sum(), abs=1e-6)
        assert table.loc[name, "npv_loss"] == pytest.approx(
            ARREARS + pv(rest, 0.05) - pv(pay, 0.05), abs=0.011
        )
        # each plan repays its principal, ends at 0 and never goes negative
        assert plans[name]["closing_balance"].iloc[-1] == 0
        assert (plans[name]["closing_balance"] >= 0).all()
    # a holiday with waived interest pays nothing and keeps the balance flat
    waived = plans["holiday 3 waived"]
    assert waived["payment"].iloc[:3].eq(0).all()
    assert waived["closing_balance"].iloc[:3].eq(round(exposure, 2)).all()
    assert waived["period"].tolist() == list(range(1, 28))
    # a write-off costs the lender about the amount forgiven (at the loan's rate)
    at_rate = restructure(LOAN, 12, ARREARS, OPTIONS, discount_rate=0.10)
    assert at_rate.loc["write off 10%", "npv_loss"] == pytest.approx(
        0.1 * exposure, abs=1.0
    )
    assert at_rate.loc["capitalise", "npv_loss"] == pytest.approx(0, abs=0.02)
    assert at_rate["affordable"].isna().all()
    assert table["affordable"].tolist() == [
        False,
        False,
        True,
        False,
        False,
        False,
        False,
    ]


def test_policy_gives_capacity() -> None:
    policy = AffordabilityPolicy(max_dsti=0.35, min_residual_income=400)
    table = restructure(
        LOAN,
        12,
        ARREARS,
        {"extend 12": {"extend_term": 12}},
        discount_rate=0.05,
        policy=policy,
        income=1000.0,
        debt_payments=50.0,
        expenses=300.0,
    )
    # min(0.35 * 1000 - 50, 1000 - 50 - 300 - 400) = 250
    assert table["capacity"].tolist() == [250.0, 250.0]
    assert table["affordable"].tolist() == [False, True]


def test_at_period_zero_and_no_arrears_is_the_loan() -> None:
    table, plans = restructure(
        LOAN, 0, 0.0, {"same": {}}, discount_rate=0.1, schedules=True
    )
    pd.testing.assert_frame_equal(plans["same"], LOAN.schedule())
    assert table.loc["same", "npv_loss"] == 0


@settings(max_examples=25)
@given(
    p_cents=st.integers(100_000, 50_000_000),
    rate=st.integers(0, 2500).map(lambda b: b / 10_000),
    term=st.integers(2, 120),
    done=st.floats(0, 0.95),
    missed=st.integers(0, 3),
    extend=st.integers(0, 24),
    holiday=st.integers(0, 6),
)
def test_plans_repay_the_exposure(
    p_cents: int,
    rate: float,
    term: int,
    done: float,
    missed: int,
    extend: int,
    holiday: int,
) -> None:
    loan = Loan(p_cents / 100, rate, term)
    k = int(done * (term - 1))
    inst = float(loan.schedule()["payment"].iloc[0])
    arrears = round(missed * inst, 2)
    spec = {"extend_term": extend, "holiday": holiday}
    table, plans = restructure(
        loan, k, arrears, {"plan": spec}, discount_rate=rate, schedules=True
    )
    plan = plans["plan"]
    assert len(plan) == term - k + extend + holiday
    # principal repaid = the exposure plus any capitalised interest, to the cent
    capitalised = -plan["principal"].clip(upper=0).sum()
    repaid = plan["principal"].clip(lower=0).sum()
    assert round(repaid - capitalised, 2) == round(table.loc["plan", "principal"], 2)
    assert plan["closing_balance"].iloc[-1] == 0
    # at the contract rate, capitalising costs the lender (almost) nothing
    assert abs(table.loc["plan", "npv_loss"]) <= 0.01 * (term + extend + holiday)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"loan": "loan"}, "restructure expects a loanrisk.repayment.Loan; got str"),
        (
            {"at_period": 36},
            r"'at_period' parameter of restructure must be an "
            r"integer >= 0 and <= 35",
        ),
        ({"at_period": 1.5}, "'at_period' parameter"),
        ({"arrears": -1.0}, "'arrears' parameter of restructure must be a number >= 0"),
        ({"arrears": 1.234}, "'arrears' argument of restructure must have at most 2"),
        ({"discount_rate": -1.0}, "'discount_rate' parameter of restructure"),
        ({"options": {}}, "needs 'options' as a non-empty mapping"),
        (
            {"options": {"x": {"extend": 1}}},
            r"option 'x' has unknown key\(s\) "
            r"\['extend'\]",
        ),
        ({"options": {"x": 12}}, "option 'x' must be a mapping of changes"),
        ({"options": {"current terms": {}}}, "option names must be strings other"),
        (
            {"options": {"x": {"holiday": -1}}},
            r"'holiday' parameter of restructure "
            r"option 'x' must be an integer >= 0",
        ),
        ({"options": {"x": {"rate_cut": 0.2}}}, r"'rate_cut' parameter .*<= 0.1"),
        ({"options": {"x": {"write_off": 1.0}}}, r"'write_off' parameter .*< 1"),
        (
            {"options": {"x": {"holiday": 2, "capitalise_interest": "yes"}}},
            "'capitalise_interest' parameter .* True or False",
        ),
        (
            {"capacity": 300, "policy": AffordabilityPolicy(max_dsti=0.3)},
            "either 'capacity' or 'policy'",
        ),
        (
            {"policy": AffordabilityPolicy(max_dsti=0.3)},
            "pass the borrower's monthly 'income' with 'policy'",
        ),
        (
            {"policy": "strict", "income": 1000.0},
            "'policy' argument of restructure must be an AffordabilityPolicy",
        ),
        ({"capacity": -5}, "'capacity' parameter of restructure"),
    ],
)
def test_bad_input(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {
        "loan": LOAN,
        "at_period": 12,
        "arrears": ARREARS,
        "options": {"x": {}},
        "discount_rate": 0.05,
    }
    args.update(kwargs)
    with pytest.raises(InputError, match=match):
        restructure(**args)  # type: ignore[arg-type]
