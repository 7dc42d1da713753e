"""Repayment schedules, APR, affordability, pricing and a restructuring comparison.

Run: python examples/repayment_and_restructuring.py
"""

from __future__ import annotations

import pandas as pd

from loanrisk.affordability import AffordabilityPolicy
from loanrisk.pricing import risk_based_rate
from loanrisk.repayment import Loan, amortize, restructure


def main() -> None:
    # A consumer loan with an upfront fee: schedule and APR (EU directive formula).
    loan = Loan(12_000, 0.089, 36, start="2025-01-15", upfront_fee=250)
    print(loan.schedule().head(3).to_string(index=False))
    print(loan.summary().round(6).to_string(), end="\n\n")

    # A portfolio in one vectorised pass.
    book = pd.DataFrame(
        {
            "loan_id": ["A", "B", "C"],
            "principal": [5_000.0, 200_000.0, 15_000.0],
            "annual_rate": [0.11, 0.039, 0.075],
            "term": [24, 300, 60],
        }
    )
    schedules = amortize(book)
    print(schedules.groupby("loan_id")["interest"].sum().round(2).to_string(), "\n")

    # Affordability: the largest loan whose stressed instalment passes every limit.
    policy = AffordabilityPolicy(max_dsti=0.35, stress_rate_add=0.02)
    largest = policy.max_principal(0.089, 36, income=3_000, debt_payments=400)
    print(f"largest affordable 36-month loan at 8.9 %: {float(largest):,.2f}")

    # Risk-based pricing: the rate covering expected loss, funding, costs, capital.
    rate = risk_based_rate(0.03, 0.45, 36, 0.03, 0.01, 0.15)
    print(f"risk-based rate for PD 3 %, LGD 45 %: {float(rate):.4%}\n")

    # A borrower 60 days behind at period 12: compare restructuring plans.
    plans = restructure(
        loan,
        at_period=12,
        arrears=2 * float(loan.summary()["instalment"]),
        options={
            "extend 12 months": {"extend_term": 12},
            "3-month holiday": {"holiday": 3, "capitalise_interest": True},
            "rate cut to 5 %": {"rate_cut": 0.039},
        },
        discount_rate=0.05,
        capacity=350.0,
    )
    columns = ["instalment", "total_paid", "npv_loss", "affordable"]
    print(plans[columns].round(2).to_string())


if __name__ == "__main__":
    main()
