"""Tests of Loan: schedules for every kind, frequency and day count; bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loanrisk.errors import InputError
from loanrisk.repayment import Loan, year_fraction


def annuity_pmt(p: float, r: float, n: int) -> float:
    """Closed-form annuity instalment (numpy-financial ``-pmt``)."""
    return p / n if r == 0 else p * r / (1 - (1 + r) ** -n)


def npf_ipmt_ppmt(p: float, r: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """numpy-financial style ipmt/ppmt (end of period), positive amounts."""
    a = annuity_pmt(p, r, n)
    per = np.arange(1, n + 1)
    if r == 0:
        return np.zeros(n), np.full(n, a)
    grow = (1 + r) ** (per - 1)
    balance = p * grow - a * (grow - 1) / r
    interest = balance * r
    return interest, a - interest


def cents(col: pd.Series) -> np.ndarray:
    return np.round(col.to_numpy() * 100).astype(np.int64)


def test_monthly_annuity_reference() -> None:
    s = Loan(10_000, 0.06, 12).schedule()
    assert list(s.columns) == [
        "period",
        "date",
        "opening_balance",
        "payment",
        "interest",
        "principal",
        "fees",
        "closing_balance",
    ]
    a = round(annuity_pmt(10_000, 0.005, 12), 2)
    assert a == 860.66
    assert (s["payment"].iloc[:-1] == a).all()
    assert s["interest"].iloc[0] == 50.0
    assert cents(s["principal"]).sum() == 1_000_000
    assert s["closing_balance"].iloc[-1] == 0.0
    assert s["date"].isna().all()


def test_mortgage_matches_npf_within_a_cent_per_row() -> None:
    s = Loan(200_000, 0.04, 360).schedule()
    interest, _ = npf_ipmt_ppmt(200_000, 0.04 / 12, 360)
    assert s["payment"].iloc[0] == 954.83
    # rounding drift stays tiny: the rounded path keeps within a few cents of exact
    assert np.abs(s["interest"].to_numpy() - interest).max() < 0.5
    assert cents(s["principal"]).sum() == 20_000_000


@given(
    p=st.integers(1, 10_000_000).map(lambda c: c / 100),
    rate=st.one_of(st.just(0.0), st.floats(1e-4, 0.4)),
    n=st.integers(1, 120),
    freq=st.sampled_from(["monthly", "quarterly", "fortnightly", "weekly"]),
)
def test_rounding_none_matches_npf(p: float, rate: float, n: int, freq: str) -> None:
    ppy = {"monthly": 12, "quarterly": 4, "fortnightly": 26, "weekly": 52}[freq]
    s = Loan(p, rate, n, frequency=freq, rounding=None).schedule()
    interest, principal = npf_ipmt_ppmt(p, rate / ppy, n)
    np.testing.assert_allclose(s["interest"], interest, rtol=1e-9, atol=1e-9 * p)
    np.testing.assert_allclose(s["principal"], principal, rtol=1e-9, atol=1e-9 * p)
    assert s["closing_balance"].iloc[-1] == 0.0


kinds = st.sampled_from(["annuity", "linear", "interest_only", "balloon"])


@st.composite
def loans(draw: st.DrawFn) -> Loan:
    p_cents = draw(st.integers(100, 50_000_000))
    n = draw(st.integers(1, 90))
    kind = draw(kinds)
    dated = draw(st.booleans())
    extra: dict[str, object] = {}
    if kind == "balloon":
        extra["balloon"] = draw(st.integers(1, p_cents - 1)) / 100
    if n > 1 and draw(st.booleans()):
        extra["grace_periods"] = draw(st.integers(0, n - 1))
        extra["grace_kind"] = draw(st.sampled_from(["interest_only", "deferral"]))
    if dated:
        extra["start"] = pd.Timestamp("2020-01-01") + pd.Timedelta(
            days=draw(st.integers(0, 2000))
        )
        if draw(st.booleans()):
            extra["first_payment"] = extra["start"] + pd.Timedelta(  # type: ignore[operator]
                days=draw(st.integers(1, 60))
            )
    return Loan(
        p_cents / 100,
        draw(st.floats(0.0, 0.35)),
        n,
        kind,
        frequency=draw(
            st.sampled_from(["monthly", "quarterly", "fortnightly", "weekly"])
        ),
        day_count=draw(st.sampled_from(["30/360", "ACT/365", "ACT/360", "ACT/ACT"])),
        periodic_fee=draw(st.integers(0, 500)) / 100,
        **extra,  # type: ignore[arg-type]
    )


@given(loan=loans())
def test_schedule_invariants(loan: Loan) -> None:
    s = loan.schedule()
    assert len(s) == loan.term
    assert s["period"].tolist() == list(range(1, loan.term + 1))
    # principal repaid sums to the principal to the cent, balance ends at exactly 0
    assert cents(s["principal"]).sum() == round(loan.principal * 100)
    assert s["closing_balance"].iloc[-1] == 0.0
    # interest + principal = payment - fees, exactly in cents
    assert (
        cents(s["interest"]) + cents(s["principal"])
        == cents(s["payment"]) - cents(s["fees"])
    ).all()
    # opening of period k+1 = closing of period k
    assert (
        s["opening_balance"].iloc[1:].to_numpy()
        == s["closing_balance"].iloc[:-1].to_numpy()
    ).all()
    assert s["opening_balance"].iloc[0] == loan.principal
    assert (s["closing_balance"] >= 0).all()
    # amounts are whole cents
    for col in ("payment", "interest", "principal", "closing_balance"):
        assert np.allclose(s[col] * 100, np.round(s[col] * 100), atol=1e-6)
    grace = loan.grace_periods
    if loan.kind in ("annuity", "linear") and loan.annual_rate >= 0:
        amort = s["closing_balance"].to_numpy()[grace:]
        assert (np.diff(amort) <= 0).all()
    if loan.kind == "annuity" and loan.term - grace > 1:
        pay = s["payment"].to_numpy()[grace:-1]
        assert (pay == pay[0]).all()
    if loan.start is not None:
        dates = s["date"].to_numpy()
        assert (np.diff(dates) > np.timedelta64(0)).all()
        assert dates[0] > np.datetime64(pd.Timestamp(loan.start))


def test_zero_rate_and_single_period() -> None:
    s = Loan(100, 0.0, 3).schedule()
    assert s["payment"].tolist() == [33.33, 33.33, 33.34]
    assert s["interest"].sum() == 0
    one = Loan(1000, 0.12, 1).schedule()
    assert one["payment"].tolist() == [1010.0]
    assert one["closing_balance"].tolist() == [0.0]


def test_linear_interest_only_and_balloon() -> None:
    lin = Loan(1200, 0.12, 12, "linear").schedule()
    assert (lin["principal"] == 100.0).all()
    assert lin["interest"].iloc[0] == 12.0 and lin["interest"].iloc[-1] == 1.0
    io = Loan(1000, 0.12, 4, "interest_only").schedule()
    assert io["payment"].tolist() == [10.0, 10.0, 10.0, 1010.0]
    b = Loan(10_000, 0.06, 12, "balloon", balloon=4_000, rounding=None).schedule()
    r = 0.005
    a = (10_000 - 4_000 / (1 + r) ** 12) * r / (1 - (1 + r) ** -12)
    np.testing.assert_allclose(b["payment"].iloc[:-1], a, rtol=1e-12)
    np.testing.assert_allclose(b["payment"].iloc[-1], a + 4_000, rtol=1e-12)


def test_grace_interest_only_and_deferral() -> None:
    io = Loan(1200, 0.12, 4, grace_periods=2).schedule()
    assert io["principal"].iloc[:2].tolist() == [0.0, 0.0]
    assert io["payment"].iloc[:2].tolist() == [12.0, 12.0]
    assert io["payment"].iloc[2] == round(annuity_pmt(1200, 0.01, 2), 2)
    d = Loan(1200, 0.12, 4, grace_periods=2, grace_kind="deferral").schedule()
    assert d["payment"].iloc[:2].tolist() == [0.0, 0.0]
    assert d["closing_balance"].iloc[1] == 1224.12  # 1200 * 1.01 = 1212, * 1.01
    assert d["payment"].iloc[2] == round(annuity_pmt(1224.12, 0.01, 2), 2)


def test_fees_in_schedule_and_summary() -> None:
    loan = Loan(1000, 0.12, 12, upfront_fee=20, periodic_fee=1.5, rounding=None)
    s = loan.schedule()
    assert (s["fees"] == 1.5).all()
    summ = loan.summary()
    a = annuity_pmt(1000, 0.01, 12)
    assert summ["instalment"] == pytest.approx(a + 1.5)
    assert summ["total_fees"] == pytest.approx(20 + 18)
    assert summ["total_paid"] == pytest.approx(12 * (a + 1.5) + 20)
    assert summ["total_interest"] == pytest.approx(12 * a - 1000)
    assert summ["ear"] == pytest.approx(1.01**12 - 1, rel=1e-10)
    # APR: present value of drawdown net of the fee equals the instalments
    x = summ["apr"]
    pv = sum((a + 1.5) * (1 + x) ** (-k / 12) for k in range(1, 13))
    assert pv == pytest.approx(980, rel=1e-12)


def test_day_counts_hand_computed() -> None:
    assert year_fraction("2024-01-31", "2024-02-29", "30/360") == 29 / 360
    assert year_fraction("2024-01-30", "2024-03-31", "30/360") == 60 / 360
    assert year_fraction("2024-02-28", "2024-03-31", "30/360") == 33 / 360
    assert year_fraction("2024-01-15", "2024-02-15", "ACT/365") == 31 / 365
    assert year_fraction("2024-01-15", "2024-02-15", "ACT/360") == 31 / 360
    assert year_fraction("2023-12-15", "2024-01-15", "ACT/ACT") == pytest.approx(
        17 / 365 + 14 / 366, abs=1e-15
    )
    assert year_fraction("2023-01-01", "2025-01-01", "ACT/ACT") == pytest.approx(2.0)


def test_dated_schedule_uses_actual_days() -> None:
    s = Loan(10_000, 0.06, 3, start="2024-01-15", day_count="ACT/365").schedule()
    assert s["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-02-15",
        "2024-03-15",
        "2024-04-15",
    ]
    assert s["interest"].iloc[0] == round(10_000 * 0.06 * 31 / 365, 2)
    assert s["interest"].iloc[1] == round(
        s["opening_balance"].iloc[1] * 0.06 * 29 / 365, 2
    )
    eom = Loan(1000, 0.05, 3, start="2024-01-31").schedule()
    assert eom["date"].dt.strftime("%m-%d").tolist() == ["02-29", "03-31", "04-30"]
    wk = Loan(1000, 0.05, 2, start="2024-01-01", frequency="weekly").schedule()
    assert wk["date"].dt.strftime("%m-%d").tolist() == ["01-08", "01-15"]


def test_broken_first_period() -> None:
    loan = Loan(
        10_000,
        0.06,
        12,
        start="2024-01-10",
        first_payment="2024-02-24",
        day_count="ACT/365",
        rounding=None,
    )
    s = loan.schedule()
    assert s["interest"].iloc[0] == pytest.approx(10_000 * 0.06 * 45 / 365)
    assert s["date"].iloc[1] == pd.Timestamp("2024-03-24")
    # level instalment solved with each period's own rate: balance ends at 0
    pay = s["payment"].to_numpy()
    np.testing.assert_allclose(pay[:-1], pay[0], rtol=1e-12)
    np.testing.assert_allclose(pay[-1], pay[0], rtol=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"principal": -5},
            r"'principal' argument of Loan must satisfy 'principal > 0'",
        ),
        ({"principal": 0}, r"'principal > 0'. Got 0"),
        ({"principal": float("nan")}, r"'principal' .* finite"),
        ({"principal": "100"}, r"'principal' .*is a number"),
        ({"principal": 100.005}, r"at most 2 decimals"),
        ({"annual_rate": -1.0}, r"'annual_rate' .*-1 < annual_rate <= 10.*fraction"),
        ({"annual_rate": 11}, r"Got 11: give the nominal annual rate as a fraction"),
        ({"term": 0}, r"'term' .*positive integer"),
        ({"term": 2.5}, r"'term' .*positive integer"),
        ({"kind": "bullet"}, r"'kind' .*'annuity', 'linear'.*Got 'bullet'"),
        ({"frequency": "daily"}, r"'frequency' .*'monthly'.*Got 'daily'"),
        ({"day_count": "30E/360"}, r"'day_count' .*'ACT/365'.*Got '30E/360'"),
        ({"grace_periods": 12}, r"'grace_periods' .*< term"),
        ({"balloon": 100}, r"pass kind='balloon'"),
        ({"kind": "balloon"}, r"0 < balloon < principal"),
        ({"upfront_fee": -1}, r"'upfront_fee >= 0'"),
        ({"first_payment": "2024-02-01"}, r"first_payment needs a start date"),
        ({"start": "2024-03-01", "first_payment": "2024-02-01"}, r"after start.*order"),
        ({"start": "not a date"}, r"'start' argument must be a date"),
        ({"rounding": -1}, r"'rounding' argument of Loan must be an integer from 0"),
    ],
)
def test_bad_input(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {"principal": 1000, "annual_rate": 0.05, "term": 12}
    args.update(kwargs)
    with pytest.raises(InputError, match=match):
        Loan(**args)  # type: ignore[arg-type]


def test_bad_year_fraction() -> None:
    with pytest.raises(InputError, match=r"'day_count' argument must be one of"):
        year_fraction("2024-01-01", "2024-02-01", "ACT/364")
    with pytest.raises(InputError, match=r"needs both 'start' and 'end'"):
        year_fraction(None, "2024-02-01")


def test_schedule_is_a_copy_and_replace() -> None:
    loan = Loan(1000, 0.05, 12)
    s = loan.schedule()
    s.loc[0, "payment"] = -1
    assert loan.schedule().loc[0, "payment"] > 0
    assert loan.replace(term=6).schedule().shape[0] == 6
    assert "Loan(principal=1000" in repr(loan)
