"""Risk-based pricing: the rate that covers expected loss, funding, costs and capital.

.. versionadded:: 0.1.0

Examples
--------
>>> from loanrisk.pricing import risk_based_rate
>>> round(risk_based_rate(0.02, 0.45, 36, 0.03, 0.01, 0.15), 6)
0.059796
"""

from __future__ import annotations

from typing import Any

import numpy as np

from loanrisk._checks import check_option
from loanrisk.affordability._policy import _arrays, _wrap
from loanrisk.errors import InputError

__all__ = ["expected_return", "risk_based_rate"]

PD_HORIZONS: tuple[str, ...] = ("annual", "lifetime")


def _inputs(
    owner: str, values: dict[str, Any], pd_horizon: str
) -> tuple[dict[str, np.ndarray], Any, bool]:
    check_option(pd_horizon, "pd_horizon", owner, PD_HORIZONS)
    cols, index, scalar = _arrays(owner, values)
    # name -> (rule, low, low inclusive, high, high inclusive)
    inf = np.inf
    rules: dict[str, tuple[str, float, bool, float, bool]] = {
        "pd": ("0 <= pd < 1", 0.0, True, 1.0, False),
        "lgd": ("0 <= lgd <= 1", 0.0, True, 1.0, True),
        "term": ("term is a positive integer (months)", 1.0, True, inf, True),
        "cost_of_funds": ("cost_of_funds > -1", -1.0, False, inf, True),
        "operating_cost": ("operating_cost >= 0", 0.0, True, inf, True),
        "target_return": ("target_return > -1", -1.0, False, inf, True),
        "capital_ratio": ("0 < capital_ratio <= 1", 0.0, False, 1.0, True),
        "upfront_cost": ("upfront_cost >= 0", 0.0, True, inf, True),
        "rate": ("rate > -1", -1.0, False, inf, True),
    }
    for name, x in cols.items():
        rule, low, low_in, high, high_in = rules[name]
        ok = np.isfinite(x)
        ok &= (x >= low) if low_in else (x > low)
        ok &= (x <= high) if high_in else (x < high)
        if name == "term":
            ok &= x == np.floor(x)
        bad = ~ok
        if bad.any():
            where = np.flatnonzero(bad)
            raise InputError(
                f"The {name!r} argument of {owner} must satisfy '{rule}' (rates and "
                f"costs as fractions, 0.03 = 3 %). Got {float(x[where[0]])!r} "
                f"({len(where)} value(s); first at position {int(where[0])})."
            )
    return cols, index, scalar


def _annual_pd(cols: dict[str, np.ndarray], pd_horizon: str) -> np.ndarray:
    if pd_horizon == "annual":
        return cols["pd"]
    # lifetime PD over ``term`` months -> constant annual default probability
    return np.asarray(
        -np.expm1(np.log1p(-cols["pd"]) * 12.0 / cols["term"]), dtype=float
    )


def risk_based_rate(
    pd: Any,
    lgd: Any,
    term: Any,
    cost_of_funds: Any,
    operating_cost: Any,
    target_return: Any,
    *,
    capital_ratio: Any = 0.08,
    upfront_cost: Any = 0.0,
    pd_horizon: str = "annual",
) -> Any:
    """Annual rate at which a loan covers its risk and costs and earns the target.

    Parameters
    ----------
    pd : float or array-like
        Probability of default, in [0, 1): over one year (``pd_horizon="annual"``,
        a scorecard's 12-month PD) or over the whole term (``"lifetime"``).
    lgd : float or array-like
        Loss given default as a fraction of the balance, in [0, 1].
    term : int or array-like
        Term in months (spreads ``upfront_cost`` and annualises a lifetime PD).
    cost_of_funds : float or array-like
        Annual funding rate of the debt-financed part of the loan.
    operating_cost : float or array-like
        Annual servicing cost as a fraction of the balance.
    target_return : float or array-like
        Target annual return on the capital held against the loan (the hurdle
        rate, e.g. 0.15).
    capital_ratio : float or array-like
        Capital held per unit lent, in (0, 1]; the rest is funded at
        ``cost_of_funds``. Default 0.08.
    upfront_cost : float or array-like
        One-off origination cost as a fraction of the principal, spread evenly
        over the term (``upfront_cost * 12 / term`` a year).
    pd_horizon : {"annual", "lifetime"}
        What ``pd`` measures.

    Returns
    -------
    float, ndarray or Series
        The annual rate as a fraction; a Series (with its index) when any input is
        one, an array when any is an array, else a float.

    Notes
    -----
    One year of a unit balance, funded by ``1 - k`` of debt at ``c`` and ``k``
    of capital (``k = capital_ratio``). With annual default probability ``p``
    (``p = 1 - (1 - pd)**(12 / term)`` for a lifetime PD), performing loans pay
    ``1 + r`` and defaulted ones return ``1 - LGD`` (no interest). The expected
    profit on capital is

    .. math:: \\pi(r) = (1 - p) r - p \\cdot LGD - (1 - k) c - o,

    with ``o = operating_cost + upfront_cost * 12 / term``; the return on capital
    is ``pi / k`` (see :func:`expected_return`). The rate solves
    ``pi(r) = k * target_return``:

    .. math:: r = \\frac{p \\cdot LGD + (1 - k) c + o + k \\cdot t}{1 - p}.

    Expected loss ``p * LGD``, funding, costs and the capital charge ``k * t`` are
    covered by the interest of the loans that do not default, hence ``1 - p``.

    Examples
    --------
    PD 2 %, LGD 45 %, funding 3 %, costs 1 %, 15 % on 8 % capital:
    ``(0.009 + 0.0276 + 0.01 + 0.012) / 0.98 = 0.0586 / 0.98``.

    >>> round(risk_based_rate(0.02, 0.45, 36, 0.03, 0.01, 0.15), 6)
    0.059796
    >>> risk_based_rate([0.01, 0.05], 0.45, 36, 0.03, 0.01, 0.15).round(4)
    array([0.0546, 0.0759])
    """
    owner = "risk_based_rate"
    cols, index, scalar = _inputs(
        owner,
        {
            "pd": pd,
            "lgd": lgd,
            "term": term,
            "cost_of_funds": cost_of_funds,
            "operating_cost": operating_cost,
            "target_return": target_return,
            "capital_ratio": capital_ratio,
            "upfront_cost": upfront_cost,
        },
        pd_horizon,
    )
    p = _annual_pd(cols, pd_horizon)
    k = cols["capital_ratio"]
    costs = cols["operating_cost"] + cols["upfront_cost"] * 12.0 / cols["term"]
    rate = (
        p * cols["lgd"]
        + (1.0 - k) * cols["cost_of_funds"]
        + costs
        + k * cols["target_return"]
    ) / (1.0 - p)
    return _wrap(np.asarray(rate, dtype=float), index, scalar)


def expected_return(
    rate: Any,
    pd: Any,
    lgd: Any,
    term: Any,
    cost_of_funds: Any,
    operating_cost: Any,
    *,
    capital_ratio: Any = 0.08,
    upfront_cost: Any = 0.0,
    pd_horizon: str = "annual",
) -> Any:
    """Expected annual return on capital of a loan priced at ``rate``.

    Parameters
    ----------
    rate : float or array-like
        Annual interest rate charged, as a fraction.
    pd, lgd, term, cost_of_funds, operating_cost, capital_ratio, upfront_cost, \
pd_horizon
        As in :func:`risk_based_rate`.

    Returns
    -------
    float, ndarray or Series
        ``E[capital at year end] / capital - 1``.

    Notes
    -----
    Computed from the expected year-end cash flows of a unit loan: the lender
    receives ``(1 - p)(1 + r) + p (1 - LGD)``, repays ``(1 - k)(1 + c)`` of debt
    and pays costs ``o``; what is left belongs to the capital ``k``. It is the
    inverse of :func:`risk_based_rate`: ``expected_return(risk_based_rate(...),
    ...) == target_return``.

    Examples
    --------
    >>> round(expected_return(0.0586 / 0.98, 0.02, 0.45, 36, 0.03, 0.01), 10)
    0.15
    """
    owner = "expected_return"
    cols, index, scalar = _inputs(
        owner,
        {
            "rate": rate,
            "pd": pd,
            "lgd": lgd,
            "term": term,
            "cost_of_funds": cost_of_funds,
            "operating_cost": operating_cost,
            "capital_ratio": capital_ratio,
            "upfront_cost": upfront_cost,
        },
        pd_horizon,
    )
    p = _annual_pd(cols, pd_horizon)
    k = cols["capital_ratio"]
    costs = cols["operating_cost"] + cols["upfront_cost"] * 12.0 / cols["term"]
    received = (1.0 - p) * (1.0 + cols["rate"]) + p * (1.0 - cols["lgd"])
    left = received - (1.0 - k) * (1.0 + cols["cost_of_funds"]) - costs
    return _wrap(np.asarray(left / k - 1.0, dtype=float), index, scalar)
