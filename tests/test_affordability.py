"""Tests of AffordabilityPolicy: limits, the inverse of the instalment, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loanrisk.affordability import AffordabilityPolicy
from loanrisk.errors import InputError
from loanrisk.repayment import Loan


def annuity(principal: float, annual_rate: float, term: int) -> float:
    """Level monthly instalment, the textbook formula (numpy-financial's pmt)."""
    r = annual_rate / 12
    return principal * r / (1 - (1 + r) ** -term) if r else principal / term


# ------------------------------------------------------------------ reference
def test_max_instalment_hand_computed() -> None:
    policy = AffordabilityPolicy(max_dsti=0.4, min_residual_income=800)
    # dsti cap 0.4 * 2500 - 100 = 900; residual cap 2500 - 100 - 1000 - 800 = 600
    assert policy.max_instalment(2500.0, 100.0, 1000.0) == 600.0
    # dsti binds: 0.4 * 5000 = 2000 < 5000 - 1000 - 800 = 3200
    assert policy.max_instalment(5000.0, 0.0, 1000.0) == 2000.0
    # nothing fits -> 0, never negative
    assert policy.max_instalment(1000.0, 500.0, 1000.0) == 0.0
    # cents are rounded down: 0.35 * 1234.57 = 432.0995
    assert AffordabilityPolicy(max_dsti=0.35).max_instalment(1234.57) == 432.09
    assert AffordabilityPolicy(max_dti=4.0).max_instalment(3000.0) == np.inf


def test_max_principal_hand_computed() -> None:
    policy = AffordabilityPolicy(max_dsti=0.35, stress_rate_add=0.03)
    # cap 1050 at 8 %: 1050 * a(240, 0.08/12) = 125532.006..., and the instalment
    # rounds half up to the cent, so up to 125532.60 still pays 1050.00
    exact = 1050 / annuity(1.0, 0.08, 240)
    assert exact == pytest.approx(125532.0063, abs=1e-3)
    p = policy.max_principal(0.05, 240, 3000.0)
    assert p == 125532.60
    assert annuity(p, 0.08, 240) < 1050.005 <= annuity(p + 0.01, 0.08, 240)
    # DTI binds: 3 * 12 * 3000 - 10000 = 98000
    capped = AffordabilityPolicy(max_dti=3.0, max_dsti=0.35, stress_rate_add=0.03)
    assert capped.max_principal(0.05, 240, 3000.0, existing_debt=10_000.0) == 98_000


def test_stress_floor_and_single_period() -> None:
    policy = AffordabilityPolicy(
        max_dsti=0.5, stress_rate_add=0.01, stress_rate_floor=0.06
    )
    assert policy.stressed_rate(0.02) == 0.06
    assert policy.stressed_rate(0.07) == pytest.approx(0.08)
    p = policy.max_principal(0.02, 1, 1000.0)
    # one instalment = P + P * 0.005 (interest rounded) <= 500
    assert p == 497.51
    assert float(Loan(p, 0.06, 1).schedule()["payment"].iloc[0]) <= 500
    assert float(Loan(p + 0.01, 0.06, 1).schedule()["payment"].iloc[0]) > 500


def test_zero_stressed_rate() -> None:
    policy = AffordabilityPolicy(max_dsti=0.3)
    assert policy.max_principal(0.0, 100, 1000.0) == 30_000.49


def test_assess_reports_failures_and_keeps_index() -> None:
    policy = AffordabilityPolicy(
        max_dti=4.0, max_dsti=0.35, stress_rate_add=0.02, min_residual_income=500
    )
    applicants = pd.DataFrame(
        {
            "income": [3000.0, 2000.0, 2500.0],
            "principal": [100_000, 150_000, 50_000],
            "annual_rate": [0.05, 0.05, 0.04],
            "term": [300, 300, 120],
            "debt_payments": [0.0, 0.0, 400.0],
            "expenses": [1000.0, 0.0, 1600.0],
            "other": ["x", "y", "z"],
        },
        index=pd.Index(["ann", "bob", "cy"], name="applicant"),
    )
    before = applicants.copy()
    out = policy.assess(applicants)
    pd.testing.assert_frame_equal(applicants, before)
    assert out.index.equals(applicants.index)
    inst = [
        round(annuity(p, r + 0.02, n), 2)
        for p, r, n in [(100_000, 0.05, 300), (150_000, 0.05, 300), (50_000, 0.04, 120)]
    ]
    np.testing.assert_allclose(out["instalment"], inst)
    assert out["passes"].tolist() == [True, False, False]
    assert out["failed"].tolist() == ["", "dti, dsti", "dsti, residual_income"]
    # bob: dti 150000 / 24000 = 6.25 -> 2.25 above 4.0
    assert out.loc["bob", "dti_excess"] == pytest.approx(2.25)
    assert out.loc["bob", "dsti_excess"] == pytest.approx(inst[1] / 2000 - 0.35)
    # cy: residual 2500 - 400 - 1600 - inst, below 500
    resid = 2500 - 400 - 1600 - inst[2]
    assert out.loc["cy", "residual_shortfall"] == pytest.approx(500 - resid)
    assert (
        out.loc["ann", ["dti_excess", "dsti_excess", "residual_shortfall"]].eq(0).all()
    )
    np.testing.assert_allclose(
        out["max_principal"],
        [
            policy.max_principal(r, n, i, d, 0.0, e)
            for i, r, n, d, e in applicants[
                ["income", "annual_rate", "term", "debt_payments", "expenses"]
            ].itertuples(index=False)
        ],
    )


def test_vectorised_max_principal_keeps_series_index() -> None:
    policy = AffordabilityPolicy(max_dsti=0.4, stress_rate_add=0.03)
    income = pd.Series([2000.0, 4000.0], index=[10, 20])
    out = policy.max_principal(0.05, 300, income)
    assert isinstance(out, pd.Series)
    assert out.index.tolist() == [10, 20]
    assert out[20] == policy.max_principal(0.05, 300, 4000.0)
    arr = policy.max_principal([0.05, 0.06], [300, 120], 3000.0)
    assert isinstance(arr, np.ndarray) and arr.shape == (2,)


# ----------------------------------------------------------------- properties
@settings(max_examples=60)
@given(
    income=st.integers(50_000, 2_000_000).map(lambda c: c / 100),
    debt=st.integers(0, 100_000).map(lambda c: c / 100),
    expenses=st.integers(0, 100_000).map(lambda c: c / 100),
    existing=st.integers(0, 10_000_000).map(lambda c: c / 100),
    rate=st.integers(0, 2000).map(lambda b: b / 10_000),
    term=st.integers(1, 480),
    dti=st.one_of(st.none(), st.floats(0.5, 8.0)),
    dsti=st.one_of(st.none(), st.floats(0.05, 0.9)),
    residual=st.one_of(st.none(), st.integers(0, 2000).map(float)),
    add=st.sampled_from([0.0, 0.01, 0.03]),
)
def test_max_principal_passes_and_one_cent_more_fails(
    income: float,
    debt: float,
    expenses: float,
    existing: float,
    rate: float,
    term: int,
    dti: float | None,
    dsti: float | None,
    residual: float | None,
    add: float,
) -> None:
    if dti is None and dsti is None and residual is None:
        dsti = 0.4
    policy = AffordabilityPolicy(
        max_dti=dti, max_dsti=dsti, stress_rate_add=add, min_residual_income=residual
    )
    p = policy.max_principal(rate, term, income, debt, existing, expenses)
    assert p >= 0 and round(p, 2) == p
    row = {
        "income": income,
        "annual_rate": rate,
        "term": term,
        "debt_payments": debt,
        "existing_debt": existing,
        "expenses": expenses,
    }
    cap = policy.max_instalment(income, debt, expenses)
    if p > 0:
        ok = policy.assess(pd.DataFrame([{**row, "principal": p}]))
        assert bool(ok["passes"].iloc[0]), ok.T
        # the schedule itself (the engine) agrees the stressed instalment fits
        inst = float(Loan(p, policy.stressed_rate(rate), term).schedule()["payment"][0])
        assert inst <= cap + 1e-9
    more = policy.assess(pd.DataFrame([{**row, "principal": round(p + 0.01, 2)}]))
    assert not bool(more["passes"].iloc[0]), more.T
    assert more["failed"].iloc[0] != ""


# ------------------------------------------------------------------ bad input
def test_policy_needs_a_limit() -> None:
    with pytest.raises(InputError, match="needs at least one limit: pass max_dti"):
        AffordabilityPolicy(stress_rate_add=0.02)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_dsti": 1.5}, "'max_dsti' parameter of AffordabilityPolicy must be"),
        ({"max_dsti": 0}, "'max_dsti' parameter of AffordabilityPolicy must be"),
        ({"max_dti": -1.0}, "'max_dti' parameter of AffordabilityPolicy must be"),
        ({"max_dti": 4, "stress_rate_add": -0.01}, "'stress_rate_add' parameter"),
        ({"max_dti": 4, "min_residual_income": float("nan")}, "'min_residual_income'"),
        ({"max_dti": 4, "rounding": 1.5}, "'rounding' argument of AffordabilityPolicy"),
    ],
)
def test_bad_policy(kwargs: dict[str, float], match: str) -> None:
    with pytest.raises(InputError, match=match):
        AffordabilityPolicy(**kwargs)  # type: ignore[arg-type]


GOOD = pd.DataFrame(
    {
        "income": [3000.0, 2000.0],
        "principal": [1000.0, 2000.0],
        "annual_rate": [0.05, 0.05],
        "term": [12, 24],
    },
    index=["a", "b"],
)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (
            lambda f: f.drop(columns=["income", "term"]),
            r"missing the required column\(s\) \['income', 'term'\]",
        ),
        (
            lambda f: f.assign(income=[3000.0, -1.0]),
            r"Column 'income' of applicants has 1 value\(s\) that are not > 0 and "
            r"finite \(index labels 'b'; e.g. -1.0\)",
        ),
        (lambda f: f.assign(income=[0.0, 1.0]), r"'income'.*index labels 'a'"),
        (lambda f: f.assign(expenses=[-5.0, 0.0]), r"Column 'expenses' .* >= 0"),
        (
            lambda f: f.assign(debt_payments=[np.nan, 0.0]),
            r"Column 'debt_payments' of applicants has 1 missing value\(s\) \(index "
            r"labels 'a'\)",
        ),
        (
            lambda f: f.assign(income=["3000", "2000"]),
            r"Column 'income' of applicants has dtype .*needs numbers",
        ),
        (
            lambda f: f.assign(principal=[0.0, 1.0]),
            r"Column 'principal' .*principal > 0",
        ),
        (lambda f: f.assign(term=[0, 12]), r"Column 'term' .*positive integer"),
        (lambda f: f.assign(annual_rate=[-1.0, 0.1]), r"Column 'annual_rate'"),
        (lambda f: f.iloc[:0], r"empty applicants"),
    ],
)
def test_assess_bad_input(change: object, match: str) -> None:
    policy = AffordabilityPolicy(max_dsti=0.4)
    with pytest.raises(InputError, match=match):
        policy.assess(change(GOOD))  # type: ignore[operator]


def test_assess_not_a_frame() -> None:
    with pytest.raises(InputError, match="expects applicants as a pandas DataFrame"):
        AffordabilityPolicy(max_dsti=0.4).assess("applicants")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (
            (0.05, 0, 3000.0),
            r"'term' argument of AffordabilityPolicy.max_principal "
            r"must be a positive integer",
        ),
        ((0.05, 12.5, 3000.0), r"'term' argument .* Got 12.5"),
        ((-1.0, 12, 3000.0), r"'rate' argument of .* -1 < rate <= 10"),
        ((np.nan, 12, 3000.0), r"'rate' argument"),
        ((0.05, 12, -3000.0), r"'income' argument of .*max_principal must be > 0"),
        (
            (0.05, 12, [1000.0, 2000.0, 3000.0], [1.0, 2.0]),
            "the arguments have different lengths",
        ),
        ((0.05, 12, "lots"), r"'income' argument .* must be a number or an array"),
        ((0.05, 12, True), r"'income' argument .* not True/False"),
    ],
)
def test_max_principal_bad_input(args: tuple[object, ...], match: str) -> None:
    policy = AffordabilityPolicy(max_dsti=0.4)
    with pytest.raises(InputError, match=match):
        policy.max_principal(*args)


def test_series_with_different_indexes() -> None:
    policy = AffordabilityPolicy(max_dsti=0.4)
    with pytest.raises(InputError, match="Series arguments have different indexes"):
        policy.max_instalment(
            pd.Series([1000.0], index=[1]), pd.Series([0.0], index=[2])
        )
