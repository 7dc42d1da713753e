"""APR (EU Consumer Credit Directive annex formula) against published examples.

Reference: Directive 98/7/EC of the European Parliament and of the Council of
16 February 1998 amending Directive 87/102/EEC (OJ L 101, 1.4.1998), Annex III
"Examples of calculation", A (calendar basis, 1 year = 365 days):

* first example: 1 000 lent on 1 January 1994, repaid by one payment of 1 200 on
  1 July 1995, 546 days later; APR 12.96 % (13 % to the nearest unit);
* second example: as the first, but the lender keeps 50 for fees, so the borrower
  receives 950.

The basic equation is the one restated in Directive 2008/48/EC, Annex I, Part I.
"""

from __future__ import annotations

import math

import pytest

from loanrisk.errors import InputError
from loanrisk.repayment import Loan, annual_percentage_rate


def test_directive_98_7_first_example() -> None:
    x = annual_percentage_rate([1000, -1200], [0, 546 / 365])
    assert round(x * 100, 2) == 12.96
    # closed form of a single repayment: (1200 / 1000) ** (365 / 546) - 1
    assert x == pytest.approx(1.2 ** (365 / 546) - 1, rel=1e-12)


def test_directive_example_through_a_loan() -> None:
    rate = 200 * 365 / 546 / 1000  # nominal rate giving 200 interest over 546 days
    loan = Loan(
        1000,
        rate,
        1,
        "interest_only",
        start="1994-01-01",
        first_payment="1995-07-01",
        day_count="ACT/365",
    )
    s = loan.schedule()
    assert s["payment"].tolist() == [1200.0]
    assert round(loan.summary()["apr"] * 100, 2) == 12.96
    # second example: 50 retained at drawdown
    with_fee = loan.replace(upfront_fee=50).summary()
    assert with_fee["apr"] == pytest.approx((1200 / 950) ** (365 / 546) - 1, rel=1e-12)


def test_two_equal_repayments_quadratic() -> None:
    # 1000 = 600 / (1 + x) + 600 / (1 + x) ** 2  ->  1 + x = (600 + sqrt(600**2 +
    # 4 * 1000 * 600)) / 2000
    x = annual_percentage_rate([1000, -600, -600], [0, 1, 2])
    assert 1 + x == pytest.approx((600 + math.sqrt(600**2 + 2_400_000)) / 2000)


@pytest.mark.parametrize(
    ("amounts", "times", "match"),
    [
        ([1000], [0], r"same length \(at least 2\)"),
        ([1000, -1100], [0], r"same length"),
        ([1000, 1100], [0, 1], r"all amounts have the same sign"),
        ([1000, float("nan")], [0, 1], r"must be finite"),
        ([1000, -1100], [1, 0], r"in date order"),
    ],
)
def test_apr_bad_input(amounts: list[float], times: list[float], match: str) -> None:
    with pytest.raises(InputError, match=match):
        annual_percentage_rate(amounts, times)
