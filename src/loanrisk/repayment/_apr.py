"""Annual percentage rate of charge (EU Consumer Credit Directive, Annex I)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import brentq

from loanrisk.errors import InputError

__all__ = ["annual_percentage_rate"]


def annual_percentage_rate(
    amounts: Sequence[float] | np.ndarray, times: Sequence[float] | np.ndarray
) -> float:
    """Annual percentage rate of charge X solving the CCD Annex I basic equation.

    Parameters
    ----------
    amounts : sequence of float
        Cash flows seen from the borrower: drawdowns positive, repayments and
        charges negative (an upfront fee is a negative amount at time 0).
    times : sequence of float
        When each amount is paid, in years (and fractions of a year) after the first
        drawdown; the Directive presumes a year of 365 days (366 in leap years), 52
        weeks or 12 equal months.

    Returns
    -------
    float
        X as a fraction (0.1296 = 12.96 %), unrounded; the Directive asks for the
        figure to be disclosed to at least one decimal place, rounded half up.

    Notes
    -----
    Directive 2008/48/EC, Annex I, Part I: the total present value of drawdowns
    equals that of repayments and charges,

    .. math:: \\sum_k C_k (1 + X)^{-t_k} = \\sum_l D_l (1 + X)^{-s_l},

    solved here for X by Brent's method on :math:`\\sum_i a_i (1 + X)^{-t_i} = 0`.

    Examples
    --------
    Directive 98/7/EC, Annex III, first example: 1 000 lent on 1 January 1994 and
    repaid by a single 1 200 on 1 July 1995, 546 days later, gives 12.96 %.

    >>> round(annual_percentage_rate([1000, -1200], [0, 546 / 365]) * 100, 2)
    12.96
    """
    a = np.asarray(amounts, dtype=float)
    t = np.asarray(times, dtype=float)
    if a.ndim != 1 or a.shape != t.shape or len(a) < 2:
        raise InputError(
            "annual_percentage_rate needs 'amounts' and 'times' as 1-D sequences of "
            f"the same length (at least 2). Got shapes {a.shape} and {t.shape}."
        )
    if not (np.isfinite(a).all() and np.isfinite(t).all()):
        raise InputError(
            "annual_percentage_rate: 'amounts' and 'times' must be finite (no NaN)."
        )
    if (t < 0).any() or (np.diff(t) < 0).any():
        raise InputError(
            "annual_percentage_rate: 'times' must be >= 0 and in date order (years "
            "after the first drawdown)."
        )
    if not ((a > 0).any() and (a < 0).any()):
        raise InputError(
            "annual_percentage_rate needs drawdowns (positive amounts) and repayments "
            "(negative amounts); all amounts have the same sign."
        )

    def npv(x: float) -> float:
        return float(np.sum(a * np.exp(-t * np.log1p(x))))

    low, high = -0.99, 1.0
    while npv(high) * npv(low) > 0 and high < 1e6:
        high *= 4.0
    if npv(high) * npv(low) > 0:
        raise InputError(
            "annual_percentage_rate found no rate between -99 % and 1e8 % that "
            "equates drawdowns and repayments; check the signs of 'amounts'."
        )
    return float(brentq(npv, low, high, xtol=1e-14, rtol=1e-14, maxiter=500))
