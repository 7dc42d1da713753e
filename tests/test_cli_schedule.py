"""`loanrisk schedule`: one loan's schedule printed or written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from loanrisk.cli import main
from loanrisk.repayment import Loan


def test_schedule_prints_table_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "10000", "7%", "12", "--upfront-fee", "100"]) == 0
    out = capsys.readouterr().out
    expected = Loan(10000, 0.07, 12, upfront_fee=100).summary()
    assert f"total_paid: {expected['total_paid']:,.2f}" in out
    assert f"apr: {expected['apr']:.4%}" in out
    assert "closing_balance" in out


def test_schedule_writes_the_loan_schedule(tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    args = ["schedule", "250000", "0.045", "360", "--start", "2025-01-15"]
    assert main([*args, "-o", str(out)]) == 0
    got = pd.read_csv(out)
    want = Loan(250000, 0.045, 360, start="2025-01-15").schedule()
    assert len(got) == 360
    assert got["payment"].sum() == pytest.approx(want["payment"].sum(), abs=1e-6)
    assert got["closing_balance"].iloc[-1] == 0


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["schedule", "10000", "abc", "12"], "RATE must be a number such as 0.07"),
        (["schedule", "-5", "0.07", "12"], "'principal' argument of Loan"),
        (["schedule", "1000", "0.07", "12", "--kind", "bullet"], "'kind'"),
    ],
)
def test_schedule_errors_are_one_line(
    args: list[str], match: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("loanrisk: error:")
    assert match in err[0]
