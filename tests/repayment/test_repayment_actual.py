"""Tests of apply_payments: arrears, partial and over-payments, prepayment."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loanrisk.errors import InputError
from loanrisk.repayment import Loan, apply_payments


@settings(max_examples=25)
@given(
    p=st.integers(100, 5_000_000).map(lambda c: c / 100),
    rate=st.floats(0.0, 0.3),
    n=st.integers(1, 48),
    kind=st.sampled_from(["annuity", "linear", "interest_only"]),
    fee=st.integers(0, 300).map(lambda c: c / 100),
)
def test_paying_the_schedule_follows_it(
    p: float, rate: float, n: int, kind: str, fee: float
) -> None:
    loan = Loan(p, rate, n, kind, periodic_fee=fee)
    s = loan.schedule()
    path = apply_payments(loan, s["payment"])
    assert (path["arrears"] == 0).all()
    assert (path["prepaid"] == 0).all()
    np.testing.assert_array_equal(path["closing_balance"], s["closing_balance"])
    np.testing.assert_array_equal(path["due"], s["payment"])
    np.testing.assert_array_equal(path["interest"], s["interest"])


def test_missed_and_partial_payments_build_arrears() -> None:
    loan = Loan(1200, 0.12, 4, "linear")
    path = apply_payments(loan, [312, 0, 600, 0])
    assert path["due"].tolist() == [312.0, 309.0, 309.0, 303.18]
    assert path["arrears"].tolist() == [0.0, 309.0, 18.0, 321.18]
    assert path["closing_balance"].tolist() == [900.0, 900.0, 318.0, 318.0]
    # unpaid principal keeps accruing interest: 1 % of 900 in period 3
    assert path["interest"].iloc[2] == 9.0


def test_prepayment_reduce_term_and_instalment() -> None:
    loan = Loan(1200, 0.12, 4)
    inst = loan.schedule()["payment"].iloc[0]
    term = apply_payments(loan, [inst, 800, 115])
    assert term["prepaid"].iloc[1] == pytest.approx(800 - inst)
    assert term["instalment"].iloc[-1] == inst
    assert term["closing_balance"].iloc[-1] == 0.0  # ends a period early
    ins = apply_payments(loan, [inst, 800], prepayment="reduce_instalment")
    bal = ins["closing_balance"].iloc[-1]
    r = 0.01
    assert ins["instalment"].iloc[-1] == round(bal * r / (1 - (1 + r) ** -2), 2)
    over = apply_payments(loan, [1300])
    assert over["closing_balance"].iloc[0] == 0.0
    assert over["unapplied"].iloc[0] == pytest.approx(1300 - 1212)


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        (
            [[-1.0]],
            {},
            r"'payments' has 1 negative or missing amount\(s\) \(periods 1\)",
        ),
        ([[1.0] * 5], {}, r"'payments' must hold 1 to 4 amounts"),
        ([[1.001]], {}, r"at most 2 decimals"),
        ([["x"]], {}, r"'payments' must be a sequence of amounts"),
        ([[1.0]], {"prepayment": "shorten"}, r"'prepayment' argument .*'reduce_term'"),
    ],
)
def test_apply_payments_bad_input(
    args: list[object], kwargs: dict[str, object], match: str
) -> None:
    with pytest.raises(InputError, match=match):
        apply_payments(Loan(1200, 0.12, 4), *args, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"expects a loanrisk.repayment.Loan"):
        apply_payments("loan", [1.0])  # type: ignore[arg-type]
