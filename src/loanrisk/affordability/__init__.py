"""Affordability: the most a borrower can repay and borrow under a lending policy."""

from loanrisk.affordability._policy import AffordabilityPolicy

__all__ = ["AffordabilityPolicy"]
