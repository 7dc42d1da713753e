"""Risk-based pricing: the rate that covers expected loss, funding, cost, capital."""

from loanrisk.pricing._rate import expected_return, risk_based_rate

__all__ = ["expected_return", "risk_based_rate"]
