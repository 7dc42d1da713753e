"""Tests of risk_based_rate and expected_return: hand-computed rates, break-even."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loanrisk.errors import InputError
from loanrisk.pricing import expected_return, risk_based_rate


def test_reference_rate_hand_computed() -> None:
    # PD 3 %, LGD 40 %, funding 4 %, servicing 1.5 %, 12 % on 10 % capital,
    # origination 2 % over 48 months (0.5 % a year):
    # r = (0.012 + 0.9 * 0.04 + 0.015 + 0.005 + 0.1 * 0.12) / 0.97 = 0.08 / 0.97
    r = risk_based_rate(
        0.03, 0.40, 48, 0.04, 0.015, 0.12, capital_ratio=0.10, upfront_cost=0.02
    )
    assert r == pytest.approx(0.08 / 0.97, rel=1e-12)
    # the lender's year, step by step: 1000 lent, 100 of capital, 900 borrowed
    lent, capital = 1000.0, 100.0
    received = 0.97 * lent * (1 + r) + 0.03 * lent * (1 - 0.40)
    paid = 900 * 1.04 + lent * 0.015 + lent * 0.02 / 4
    assert (received - paid) / capital - 1 == pytest.approx(0.12, rel=1e-9)


def test_zero_risk_rate_is_funding_plus_costs() -> None:
    r = risk_based_rate(0.0, 0.45, 12, 0.05, 0.01, 0.05, capital_ratio=0.1)
    # capital earns the same as funding -> 0.05 + 0.01
    assert r == pytest.approx(0.06, rel=1e-12)


def test_lifetime_pd_is_annualised() -> None:
    # 10 % over 24 months -> 1 - 0.9 ** 0.5 a year
    p = 1 - 0.9**0.5
    r = risk_based_rate(0.10, 1.0, 24, 0.0, 0.0, 0.0, pd_horizon="lifetime")
    assert r == pytest.approx(p / (1 - p), rel=1e-12)
    assert r == pytest.approx(risk_based_rate(p, 1.0, 24, 0.0, 0.0, 0.0), rel=1e-12)


def test_rate_increases_with_risk() -> None:
    rates = risk_based_rate(np.linspace(0, 0.5, 11), 0.45, 36, 0.03, 0.01, 0.15)
    assert np.all(np.diff(rates) > 0)


def test_vectorised_keeps_series_index() -> None:
    pds = pd.Series([0.01, 0.05], index=["low", "high"])
    out = risk_based_rate(pds, 0.45, 36, 0.03, 0.01, 0.15)
    assert isinstance(out, pd.Series)
    assert out.index.tolist() == ["low", "high"]
    assert out["high"] == risk_based_rate(0.05, 0.45, 36, 0.03, 0.01, 0.15)
    arr = risk_based_rate([0.01, 0.05], [0.4, 0.5], [12, 60], 0.03, 0.01, 0.15)
    assert isinstance(arr, np.ndarray) and arr.shape == (2,)
    assert isinstance(risk_based_rate(0.01, 0.4, 12, 0.03, 0.01, 0.15), float)


@settings(max_examples=80)
@given(
    pd_=st.floats(0.0, 0.6),
    lgd=st.floats(0.0, 1.0),
    term=st.integers(1, 480),
    cof=st.floats(-0.01, 0.15),
    opex=st.floats(0.0, 0.05),
    target=st.floats(-0.2, 0.4),
    k=st.floats(0.01, 1.0),
    upfront=st.floats(0.0, 0.05),
    horizon=st.sampled_from(["annual", "lifetime"]),
)
def test_break_even_expected_return_is_target(
    pd_: float,
    lgd: float,
    term: int,
    cof: float,
    opex: float,
    target: float,
    k: float,
    upfront: float,
    horizon: str,
) -> None:
    kw = {"capital_ratio": k, "upfront_cost": upfront, "pd_horizon": horizon}
    r = risk_based_rate(pd_, lgd, term, cof, opex, target, **kw)
    got = expected_return(r, pd_, lgd, term, cof, opex, **kw)
    assert got == pytest.approx(target, abs=1e-9)
    # a basis point more earns more, a basis point less earns less
    assert expected_return(r + 1e-4, pd_, lgd, term, cof, opex, **kw) > got
    assert expected_return(r - 1e-4, pd_, lgd, term, cof, opex, **kw) < got


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"pd": 1.0}, r"'pd' argument of risk_based_rate must satisfy '0 <= pd < 1'"),
        ({"pd": [0.1, -0.1]}, r"'pd' .* Got -0.1 \(1 value\(s\); first at position 1"),
        ({"lgd": 1.2}, r"'lgd' argument .*'0 <= lgd <= 1'"),
        ({"lgd": np.nan}, r"'lgd' argument"),
        ({"term": 0}, r"'term' argument .*positive integer"),
        ({"term": 12.5}, r"'term' argument .*positive integer"),
        ({"cost_of_funds": -1.0}, r"'cost_of_funds' argument .*> -1"),
        ({"operating_cost": -0.01}, r"'operating_cost' argument .*>= 0"),
        ({"capital_ratio": 0.0}, r"'capital_ratio' argument .*0 < capital_ratio"),
        ({"upfront_cost": -1}, r"'upfront_cost' argument"),
        ({"pd_horizon": "monthly"}, r"'pd_horizon' parameter of risk_based_rate"),
        ({"pd": "high"}, r"'pd' argument of risk_based_rate must be a number"),
        ({"pd": [0.1, 0.2], "lgd": [0.1, 0.2, 0.3]}, "different lengths"),
    ],
)
def test_bad_input(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {
        "pd": 0.02,
        "lgd": 0.45,
        "term": 36,
        "cost_of_funds": 0.03,
        "operating_cost": 0.01,
        "target_return": 0.15,
    }
    args.update(kwargs)
    with pytest.raises(InputError, match=match):
        risk_based_rate(**args)  # type: ignore[arg-type]


def test_expected_return_bad_rate() -> None:
    with pytest.raises(InputError, match=r"'rate' argument of expected_return"):
        expected_return(-1.5, 0.02, 0.45, 36, 0.03, 0.01)
