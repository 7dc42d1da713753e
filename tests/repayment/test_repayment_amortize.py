"""Tests of amortize: equal to Loan.schedule() row for row; bad portfolios."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loanrisk.errors import InputError
from loanrisk.repayment import Loan, amortize

ARGS = (
    "kind",
    "frequency",
    "day_count",
    "start",
    "first_payment",
    "balloon",
    "grace_periods",
    "grace_kind",
    "periodic_fee",
)


@st.composite
def loan_rows(draw: st.DrawFn) -> dict[str, object]:
    p_cents = draw(st.integers(100, 10_000_000))
    n = draw(st.integers(1, 40))
    kind = draw(st.sampled_from(["annuity", "linear", "interest_only", "balloon"]))
    start = draw(
        st.one_of(
            st.none(),
            st.dates(
                pd.Timestamp("2000-01-01").date(), pd.Timestamp("2030-01-01").date()
            ),
        )
    )
    first = None
    if start is not None and draw(st.booleans()):
        first = start + pd.Timedelta(days=draw(st.integers(1, 50)))
    return {
        "principal": p_cents / 100,
        "annual_rate": draw(st.floats(-0.05, 0.4)),
        "term": n,
        "kind": kind,
        "frequency": draw(
            st.sampled_from(["monthly", "quarterly", "fortnightly", "weekly"])
        ),
        "day_count": draw(st.sampled_from(["30/360", "ACT/365", "ACT/360", "ACT/ACT"])),
        "start": start,
        "first_payment": first,
        "balloon": draw(st.integers(1, p_cents - 1)) / 100
        if kind == "balloon"
        else 0.0,
        "grace_periods": draw(st.integers(0, n - 1)),
        "grace_kind": draw(st.sampled_from(["interest_only", "deferral"])),
        "periodic_fee": draw(st.integers(0, 300)) / 100,
    }


@settings(max_examples=30)
@given(
    rows=st.lists(loan_rows(), min_size=1, max_size=6),
    rounding=st.sampled_from([2, 0, None]),
)
def test_amortize_equals_loan_schedule(
    rows: list[dict[str, object]], rounding: int | None
) -> None:
    if rounding == 0:
        for r in rows:
            r["principal"] = float(round(r["principal"]) or 1)  # type: ignore[arg-type]
            r["balloon"] = 0.0
            r["periodic_fee"] = 0.0
            if r["kind"] == "balloon":
                r["kind"] = "annuity"
    loans = pd.DataFrame(rows)
    loans.insert(0, "loan_id", [f"L{i}" for i in range(len(rows))])
    loans["start"] = pd.to_datetime(loans["start"])
    loans["first_payment"] = pd.to_datetime(loans["first_payment"])
    before = loans.copy()
    out = amortize(loans, rounding=rounding)
    pd.testing.assert_frame_equal(loans, before)  # input untouched
    assert out["loan_id"].tolist() == [
        i
        for i, r in zip(loans["loan_id"], rows, strict=True)
        for _ in range(int(r["term"]))  # type: ignore[call-overload]
    ]
    for lid, r in zip(loans["loan_id"], rows, strict=True):
        kwargs = {k: r[k] for k in ARGS}
        expected = Loan(
            r["principal"],
            r["annual_rate"],
            r["term"],  # type: ignore[arg-type]
            rounding=rounding,
            **kwargs,  # type: ignore[arg-type]
        ).schedule()
        got = out[out["loan_id"] == lid].drop(columns="loan_id").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_amortize_defaults_and_order() -> None:
    loans = pd.DataFrame(
        {
            "loan_id": [7, 3],
            "principal": [1000.0, 2000.0],
            "annual_rate": [0.05, 0.1],
            "term": [3, 2],
        },
        index=["x", "y"],
    )
    out = amortize(loans)
    assert out["loan_id"].tolist() == [7, 7, 7, 3, 3]
    assert out["period"].tolist() == [1, 2, 3, 1, 2]
    assert out.index.equals(pd.RangeIndex(5))
    pd.testing.assert_frame_equal(
        out.iloc[3:].drop(columns="loan_id").reset_index(drop=True),
        Loan(2000, 0.1, 2).schedule(),
    )


def base() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "loan_id": [1, 2, 3],
            "principal": [1000.0, 500.0, 800.0],
            "annual_rate": [0.05, 0.04, 0.03],
            "term": [12, 6, 24],
        },
        index=[10, 20, 30],
    )


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (
            lambda d: d.drop(columns="term"),
            r"loans is missing the required column\(s\) \['term'\]",
        ),
        (
            lambda d: d.assign(principal=[1000.0, -5.0, 0.0]),
            r"Column 'principal' of loans has 2 value\(s\) .*'principal > 0' "
            r"\(index labels 20, 30; e.g. -5.0\)",
        ),
        (
            lambda d: d.assign(annual_rate=[0.05, np.nan, 0.1]),
            r"Column 'annual_rate' .*finite.*index labels 20",
        ),
        (
            lambda d: d.assign(annual_rate=[0.05, -1.0, 0.1]),
            r"'-1 < annual_rate <= 10' \(index labels 20",
        ),
        (lambda d: d.assign(term=[12, 0, 6]), r"Column 'term' .*positive integer"),
        (lambda d: d.assign(term=[12.5, 1, 6]), r"Column 'term' .*index labels 10"),
        (
            lambda d: d.assign(kind=["annuity", "bullet", "linear"]),
            r"Column 'kind' .*index labels 20; e.g. 'bullet'",
        ),
        (lambda d: d.assign(frequency="daily"), r"Column 'frequency' .*'monthly'"),
        (lambda d: d.assign(day_count="30E/360"), r"Column 'day_count'"),
        (
            lambda d: d.assign(start=["2024-01-01", "2024-02-30", None]),
            r"Column 'start' of loans holds values that are not dates",
        ),
        (
            lambda d: d.assign(
                start=pd.to_datetime(["2024-03-01"] * 3),
                first_payment=pd.to_datetime(["2024-02-01"] * 3),
            ),
            r"Column 'first_payment' .*first_payment after start",
        ),
        (lambda d: d.assign(loan_id=[1, 1, 2]), r"duplicated identifiers"),
        (lambda d: d.assign(loan_id=[1, None, 2]), r"'loan_id' of loans has 1 missing"),
    ],
)
def test_amortize_bad_input(change: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        amortize(change(base()))  # type: ignore[operator]


def test_amortize_not_a_frame_and_bad_rounding() -> None:
    with pytest.raises(
        InputError, match=r"amortize expects loans as a pandas DataFrame"
    ):
        amortize("loans.csv")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"'rounding' argument of amortize"):
        amortize(base(), rounding=2.5)  # type: ignore[arg-type]
