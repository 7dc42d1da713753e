"""Behavioural scoring from monthly repayment histories, and portfolio views.

A repayment panel has one row per account and month: ``account_id, month,
amount_due, amount_paid, balance, days_past_due``, optionally ``credit_limit`` and
``status`` (the schema of ``loanrisk.datasets.make_loan_book(...).repayments``).

.. versionadded:: 0.1.0
"""

from loanrisk.behaviour._features import behavioural_features
from loanrisk.behaviour._portfolio import (
    plot_roll_rates,
    plot_vintage_curves,
    roll_rates,
    transition_matrix,
    vintage_curves,
)
from loanrisk.behaviour._scorecard import BehaviouralScorecard
from loanrisk.behaviour._spark import spark_schema
from loanrisk.behaviour._targets import make_target

__all__ = [
    "BehaviouralScorecard",
    "behavioural_features",
    "make_target",
    "plot_roll_rates",
    "plot_vintage_curves",
    "roll_rates",
    "spark_schema",
    "transition_matrix",
    "vintage_curves",
]
