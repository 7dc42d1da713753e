"""Data sets: the bundled German credit data and a synthetic loan-book simulator."""

from loanrisk.datasets._german import load_german_credit
from loanrisk.datasets._loanbook import LoanBook, make_loan_book

__all__ = ["LoanBook", "load_german_credit", "make_loan_book"]
