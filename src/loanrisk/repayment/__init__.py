"""Repayment calculators: schedules, APR, actual payments and restructuring.

Examples
--------
>>> from loanrisk.repayment import Loan
>>> float(Loan(200_000, 0.04, 360).summary()["instalment"])
954.83
"""

from loanrisk.repayment._actual import apply_payments
from loanrisk.repayment._amortize import amortize
from loanrisk.repayment._apr import annual_percentage_rate
from loanrisk.repayment._daycount import year_fraction
from loanrisk.repayment._loan import Loan
from loanrisk.repayment._restructure import restructure

__all__ = [
    "Loan",
    "amortize",
    "annual_percentage_rate",
    "apply_payments",
    "restructure",
    "year_fraction",
]
