"""Restructuring options after delinquency, compared side by side."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
import pandas as pd

from loanrisk._checks import check_number
from loanrisk.errors import InputError
from loanrisk.repayment._loan import Loan

if TYPE_CHECKING:
    from loanrisk.affordability import AffordabilityPolicy

__all__ = ["restructure"]

OPTION_KEYS: tuple[str, ...] = (
    "extend_term",
    "holiday",
    "capitalise_interest",
    "rate_cut",
    "write_off",
)
CURRENT = "current terms"
TABLE_COLUMNS: tuple[str, ...] = (
    "principal",
    "annual_rate",
    "term",
    "due_now",
    "instalment",
    "total_paid",
    "npv",
    "npv_loss",
    "capacity",
    "affordable",
)


def _check_option(name: Any, spec: Any, loan: Loan) -> dict[str, Any]:
    owner = f"restructure option {name!r}"
    if not isinstance(name, str) or name == CURRENT:
        raise InputError(
            f"restructure: option names must be strings other than {CURRENT!r} (the "
            f"baseline row). Got {name!r}."
        )
    if not isinstance(spec, Mapping):
        raise InputError(
            f"restructure: option {name!r} must be a mapping of changes such as "
            f"{{'extend_term': 12}}. Got {spec!r}."
        )
    unknown = [k for k in spec if k not in OPTION_KEYS]
    if unknown:
        raise InputError(
            f"restructure: option {name!r} has unknown key(s) {unknown}. Use "
            f"{', '.join(repr(k) for k in OPTION_KEYS)}."
        )
    out = {
        "extend_term": spec.get("extend_term", 0),
        "holiday": spec.get("holiday", 0),
        "capitalise_interest": spec.get("capitalise_interest", True),
        "rate_cut": spec.get("rate_cut", 0.0),
        "write_off": spec.get("write_off", 0.0),
    }
    check_number(out["extend_term"], "extend_term", owner, low=0, integer=True)
    check_number(out["holiday"], "holiday", owner, low=0, integer=True)
    if not isinstance(out["capitalise_interest"], bool):
        raise InputError(
            f"The 'capitalise_interest' parameter of {owner} must be True or False. "
            f"Got {out['capitalise_interest']!r}."
        )
    check_number(
        out["rate_cut"], "rate_cut", owner, low=0, high=max(loan.annual_rate, 0.0)
    )
    check_number(
        out["write_off"], "write_off", owner, low=0, high=1, high_inclusive=False
    )
    return out


def _pv(payments: np.ndarray, rate: float) -> float:
    t = np.arange(1, len(payments) + 1, dtype=float)
    return float(np.sum(payments * np.exp(-t * np.log1p(rate))))


@overload
def restructure(
    loan: Loan,
    at_period: int,
    arrears: float,
    options: Mapping[str, Mapping[str, Any]],
    *,
    discount_rate: float,
    capacity: float | None = ...,
    policy: AffordabilityPolicy | None = ...,
    income: float | None = ...,
    debt_payments: float = ...,
    expenses: float = ...,
    schedules: Literal[False] = ...,
) -> pd.DataFrame: ...


@overload
def restructure(
    loan: Loan,
    at_period: int,
    arrears: float,
    options: Mapping[str, Mapping[str, Any]],
    *,
    discount_rate: float,
    capacity: float | None = ...,
    policy: AffordabilityPolicy | None = ...,
    income: float | None = ...,
    debt_payments: float = ...,
    expenses: float = ...,
    schedules: Literal[True],
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]: ...


def restructure(
    loan: Loan,
    at_period: int,
    arrears: float,
    options: Mapping[str, Mapping[str, Any]],
    *,
    discount_rate: float,
    capacity: float | None = None,
    policy: AffordabilityPolicy | None = None,
    income: float | None = None,
    debt_payments: float = 0.0,
    expenses: float = 0.0,
    schedules: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Compare restructuring options for a delinquent loan side by side.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    loan : Loan
        The original contract.
    at_period : int
        Due dates already past, ``0 <= at_period < loan.term``: the restructured
        plan starts with period ``at_period + 1``. The contractual balance after
        ``at_period`` (the schedule's ``closing_balance``) is still owed.
    arrears : float
        Overdue amount on top of that balance (missed instalments, fees), >= 0.
        A borrower 60 days behind on a monthly loan owes about two instalments.
    options : mapping of str to mapping
        Option name -> changes, any of ``extend_term`` (extra periods),
        ``holiday`` (periods without payment), ``capitalise_interest`` (during a
        holiday: True adds the interest to the balance, False waives it; default
        True), ``rate_cut`` (subtracted from the annual rate, at most the rate) and
        ``write_off`` (fraction of the exposure forgiven, in [0, 1)). ``{}``
        capitalises the arrears and re-amortises over the remaining term.
    discount_rate : float
        Annual rate (> -1) the lender discounts the plans' payments at
        (``discount_rate / periods per year`` a period).
    capacity : float, optional
        The largest instalment the borrower can pay.
    policy : AffordabilityPolicy, optional
        Instead of ``capacity``: the capacity is
        ``policy.max_instalment(income, debt_payments, expenses)`` (no stress: the
        new instalment is known).
    income, debt_payments, expenses : float
        The borrower's monthly figures, with ``policy``.
    schedules : bool
        Also return each plan's schedule.

    Returns
    -------
    DataFrame or (DataFrame, dict of str to DataFrame)
        One row per plan, indexed by name, the first being ``"current terms"``
        (the arrears paid now, then the contract as scheduled): ``principal``
        (balance the plan amortises: arrears capitalised, write-off deducted),
        ``annual_rate``, ``term`` (periods from now), ``due_now`` (the arrears for
        the current terms, else 0), ``instalment`` (first payment after any
        holiday, fees included), ``total_paid`` (by the borrower from now on),
        ``npv`` (``due_now`` plus the payments discounted at ``discount_rate``),
        ``npv_loss`` (``npv`` of the current terms minus this plan's: what the
        lender gives up if the plan is kept), ``capacity`` and ``affordable``
        (``due_now + instalment <= capacity``; missing without a capacity).
        With ``schedules=True``, also each plan's schedule (undated, periods
        counted from the restructuring).

    Notes
    -----
    A plan with a holiday of ``h`` periods and ``capitalise_interest=True`` is a
    loan with ``h`` grace periods of kind ``"deferral"``; with
    ``capitalise_interest=False`` the balance stays flat for ``h`` periods and is
    then amortised. The plans keep the loan's kind, frequency, rounding, periodic
    fee and balloon. Every plan is assumed to be paid as agreed: the comparison
    is of what each plan is worth if kept, next to whether it can be kept.

    Examples
    --------
    Two instalments (2 x 322.67) behind after 12 of 36 payments, able to pay 300:

    >>> loan = Loan(10_000, 0.10, 36)
    >>> table = restructure(loan, 12, 645.34, {"extend 12": {"extend_term": 12},
    ...                     "write off 10%": {"write_off": 0.1}},
    ...                     discount_rate=0.05, capacity=300)
    >>> table[["term", "instalment", "npv_loss", "affordable"]]
                   term  instalment  npv_loss  affordable
    current terms    24      322.67      0.00       False
    extend 12        36      246.45   -222.84        True
    write off 10%    24      317.21    769.96       False
    """
    if not isinstance(loan, Loan):
        raise InputError(
            f"restructure expects a loanrisk.repayment.Loan; got {type(loan).__name__}."
        )
    check_number(
        at_period, "at_period", "restructure", low=0, high=loan.term - 1, integer=True
    )
    check_number(arrears, "arrears", "restructure", low=0)
    check_number(
        discount_rate, "discount_rate", "restructure", low=-1, low_inclusive=False
    )
    rounding = loan.rounding
    scale = 1.0 if rounding is None else float(10**rounding)
    if rounding is not None and abs(arrears * scale - round(arrears * scale)) > 1e-6:
        raise InputError(
            f"The 'arrears' argument of restructure must have at most {rounding} "
            f"decimals, like the loan's amounts. Got {arrears!r}."
        )
    if not isinstance(options, Mapping) or not options:
        raise InputError(
            "restructure needs 'options' as a non-empty mapping of name -> changes, "
            "e.g. {'extend 12': {'extend_term': 12}, 'holiday 3': {'holiday': 3}}."
        )
    specs = {name: _check_option(name, spec, loan) for name, spec in options.items()}
    if capacity is not None and policy is not None:
        raise InputError(
            "restructure takes either 'capacity' or 'policy' (with 'income'), not both."
        )
    if capacity is not None:
        check_number(capacity, "capacity", "restructure", low=0)
        cap: float = float(capacity)
    elif policy is not None:
        from loanrisk.affordability import AffordabilityPolicy

        if not isinstance(policy, AffordabilityPolicy):
            raise InputError(
                "The 'policy' argument of restructure must be an AffordabilityPolicy; "
                f"got {type(policy).__name__}."
            )
        if income is None:
            raise InputError(
                "restructure: pass the borrower's monthly 'income' with 'policy'."
            )
        cap = float(policy.max_instalment(income, debt_payments, expenses))
    else:
        cap = np.nan

    sched = loan.schedule()
    k = int(at_period)
    balance = (
        float(loan.principal) if k == 0 else float(sched["closing_balance"].iloc[k - 1])
    )
    remaining = loan.term - k
    exposure = balance + float(arrears)
    ppy = loan.periods_per_year
    d = float(discount_rate) / ppy

    plans: dict[str, pd.DataFrame] = {}
    rows: dict[str, dict[str, Any]] = {}
    current = sched.iloc[k:].reset_index(drop=True)
    current["date"] = pd.NaT
    current["period"] = np.arange(1, remaining + 1)
    plans[CURRENT] = current
    rows[CURRENT] = {
        "principal": balance,
        "annual_rate": float(loan.annual_rate),
        "term": remaining,
        "due_now": float(arrears),
        "instalment": float(current["payment"].iloc[0]),
    }
    for name, spec in specs.items():
        principal = exposure * (1.0 - spec["write_off"])
        if rounding is not None:
            principal = float(np.floor(principal * scale + 0.5)) / scale
        rate = float(loan.annual_rate) - float(spec["rate_cut"])
        holiday, extend = int(spec["holiday"]), int(spec["extend_term"])
        term = remaining + extend + holiday
        if principal <= 0:
            raise InputError(
                f"restructure option {name!r} leaves nothing to repay (principal "
                f"{principal!r}); use a write_off below 1."
            )
        base: dict[str, Any] = {
            "principal": principal,
            "annual_rate": rate,
            "kind": loan.kind,
            "frequency": loan.frequency,
            "rounding": rounding,
            "periodic_fee": loan.periodic_fee,
            "balloon": loan.balloon,
        }
        if loan.kind == "balloon" and loan.balloon >= principal:
            raise InputError(
                f"restructure option {name!r}: the balloon {loan.balloon!r} is not "
                f"below the restructured principal {principal!r}."
            )
        if holiday and spec["capitalise_interest"]:
            plan = Loan(
                term=term, grace_periods=holiday, grace_kind="deferral", **base
            ).schedule()
            instalment = float(plan["payment"].iloc[holiday])
        else:
            amort = Loan(term=term - holiday, **base).schedule()
            instalment = float(amort["payment"].iloc[0])
            if holiday:
                pause = pd.DataFrame(
                    {
                        "period": np.arange(1, holiday + 1),
                        "date": pd.NaT,
                        "opening_balance": principal,
                        "payment": 0.0,
                        "interest": 0.0,
                        "principal": 0.0,
                        "fees": 0.0,
                        "closing_balance": principal,
                    }
                )
                amort["period"] += holiday
                plan = pd.concat([pause, amort], ignore_index=True)
            else:
                plan = amort
        plans[name] = plan
        rows[name] = {
            "principal": principal,
            "annual_rate": rate,
            "term": term,
            "due_now": 0.0,
            "instalment": instalment,
        }
    digits = 12 if rounding is None else rounding
    for name, row in rows.items():
        pay = plans[name]["payment"].to_numpy(dtype=float)
        row["total_paid"] = round(float(pay.sum()) + row["due_now"], digits)
        row["npv"] = row["due_now"] + _pv(pay, d)
    base_npv = rows[CURRENT]["npv"]
    for row in rows.values():
        row["npv_loss"] = round(base_npv - row["npv"], digits)
        row["npv"] = round(row["npv"], digits)
        row["capacity"] = cap
        row["affordable"] = (
            pd.NA
            if np.isnan(cap)
            else bool(row["instalment"] + row["due_now"] <= cap + 1e-9)
        )
    table = pd.DataFrame.from_dict(rows, orient="index")[list(TABLE_COLUMNS)]
    table["affordable"] = table["affordable"].astype("boolean")
    table["term"] = table["term"].astype(np.int64)
    if schedules:
        return table, plans
    return table
