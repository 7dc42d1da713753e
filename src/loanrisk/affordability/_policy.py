"""Affordability: the most a borrower can repay and borrow under a lending policy.

.. versionadded:: 0.1.0

Examples
--------
>>> from loanrisk.affordability import AffordabilityPolicy
>>> policy = AffordabilityPolicy(max_dsti=0.35, stress_rate_add=0.02)
>>> policy.max_instalment(3000.0, debt_payments=200.0)
850.0
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from loanrisk._checks import check_columns, check_frame, check_number, format_labels
from loanrisk.errors import InputError
from loanrisk.repayment._engine import _round_half_up, level_factor
from loanrisk.repayment._terms import build_batch, check_rounding

__all__ = ["AffordabilityPolicy"]

#: columns of ``assess``'s input: required, then optional with their default 0
REQUIRED: tuple[str, ...] = ("income", "principal", "annual_rate", "term")
OPTIONAL: tuple[str, ...] = ("debt_payments", "existing_debt", "expenses")
LIMITS: tuple[str, ...] = ("dti", "dsti", "residual_income")


def _to_units(x: np.ndarray, scale: float, rounded: bool) -> np.ndarray:
    """A cap in currency -> the largest whole number of minor units within it."""
    units = x * scale
    if not rounded:
        return units
    return np.floor(np.round(units, 6))


class AffordabilityPolicy:
    """A lending policy: debt and debt-service limits tested at a stressed rate.

    Parameters
    ----------
    max_dti : float, optional
        Maximum debt-to-income ratio: all debt after the new loan (``existing_debt
        + principal``) over annual income (``12 * income``). ``None``: no limit.
    max_dsti : float, optional
        Maximum debt-service-to-income ratio: monthly debt payments after the new
        loan (``debt_payments + instalment``) over monthly ``income``, in (0, 1].
    stress_rate_add : float
        Added to the loan's nominal annual rate before computing the instalment
        the limits are tested with (0.03 = 3 percentage points). ``>= 0``.
    min_residual_income : float, optional
        Minimum monthly income left after debt payments, living expenses and the
        new instalment. ``None``: no limit.
    stress_rate_floor : float, optional
        Lowest stressed rate: the instalment is tested at
        ``max(annual_rate + stress_rate_add, stress_rate_floor)``.
    rounding : int or None
        Decimals instalments and amounts are rounded to, as in
        :class:`loanrisk.repayment.Loan`; ``None`` keeps exact floats.

    Notes
    -----
    Incomes, expenses and debt payments are monthly amounts (net income, as used
    for DSTI). Loans are monthly annuities: the stressed instalment is the level
    instalment ``round(P / a(n, r_s / 12))`` of
    :class:`~loanrisk.repayment.Loan` at the stressed rate ``r_s``, with
    ``a(n, r) = (1 - (1 + r)**-n) / r`` (the engine's own formula, so it equals
    ``Loan(P, r_s, n).summary()["instalment"]``). An applicant passes when, to
    the minor unit (cent),

    - ``existing_debt + principal <= max_dti * 12 * income``,
    - ``debt_payments + instalment <= max_dsti * income``,
    - ``income - debt_payments - expenses - instalment >= min_residual_income``.

    At least one of ``max_dti``, ``max_dsti`` and ``min_residual_income`` is set.

    Examples
    --------
    >>> policy = AffordabilityPolicy(max_dti=4.5, max_dsti=0.35, stress_rate_add=0.03)
    >>> policy.max_principal(0.05, 300, 4000.0)
    181390.97
    """

    def __init__(
        self,
        *,
        max_dti: float | None = None,
        max_dsti: float | None = None,
        stress_rate_add: float = 0.0,
        min_residual_income: float | None = None,
        stress_rate_floor: float | None = None,
        rounding: int | None = 2,
    ) -> None:
        owner = "AffordabilityPolicy"
        check_number(
            max_dti, "max_dti", owner, low=0, low_inclusive=False, allow_none=True
        )
        check_number(
            max_dsti,
            "max_dsti",
            owner,
            low=0,
            low_inclusive=False,
            high=1,
            allow_none=True,
        )
        check_number(stress_rate_add, "stress_rate_add", owner, low=0, high=1)
        check_number(
            min_residual_income, "min_residual_income", owner, low=0, allow_none=True
        )
        check_number(
            stress_rate_floor,
            "stress_rate_floor",
            owner,
            low=0,
            high=1,
            allow_none=True,
        )
        check_rounding(rounding, owner)
        if max_dti is None and max_dsti is None and min_residual_income is None:
            raise InputError(
                "AffordabilityPolicy needs at least one limit: pass max_dti, max_dsti "
                "or min_residual_income."
            )
        self.max_dti = max_dti
        self.max_dsti = max_dsti
        self.stress_rate_add = stress_rate_add
        self.min_residual_income = min_residual_income
        self.stress_rate_floor = stress_rate_floor
        self.rounding = rounding

    def __repr__(self) -> str:
        parts = [
            f"{name}={getattr(self, name)!r}"
            for name in (
                "max_dti",
                "max_dsti",
                "stress_rate_add",
                "min_residual_income",
                "stress_rate_floor",
            )
            if getattr(self, name) is not None
        ]
        return f"AffordabilityPolicy({', '.join(parts)})"

    # ---------------------------------------------------------------- helpers
    @property
    def _scale(self) -> float:
        return 1.0 if self.rounding is None else float(10**self.rounding)

    def stressed_rate(self, annual_rate: Any) -> Any:
        """The annual rate the instalment is tested at.

        Examples
        --------
        >>> AffordabilityPolicy(max_dsti=0.4, stress_rate_add=0.02).stressed_rate(0.05)
        0.07
        """
        rate = np.asarray(annual_rate, dtype=float) + self.stress_rate_add
        if self.stress_rate_floor is not None:
            rate = np.maximum(rate, self.stress_rate_floor)
        return float(rate) if rate.ndim == 0 else rate

    def _instalment_caps(
        self, income: np.ndarray, debt: np.ndarray, expenses: np.ndarray
    ) -> dict[str, np.ndarray]:
        caps = {}
        if self.max_dsti is not None:
            caps["dsti"] = self.max_dsti * income - debt
        if self.min_residual_income is not None:
            caps["residual_income"] = (
                income - debt - expenses - self.min_residual_income
            )
        return caps

    def _principal_cap(self, income: np.ndarray, existing: np.ndarray) -> np.ndarray:
        if self.max_dti is None:
            return np.full(len(income), np.inf)
        return np.asarray(self.max_dti * 12.0 * income - existing, dtype=float)

    def _instalment_units(
        self, p_units: np.ndarray, stressed: np.ndarray, term: np.ndarray
    ) -> np.ndarray:
        """Stressed level instalment (minor units) of principals in minor units."""
        flat = stressed / 12.0
        s_fac, _ = level_factor(flat, term.astype(float))
        inst = p_units / s_fac
        if self.rounding is None:
            return np.where(term == 1, p_units + p_units * flat, inst)
        # a single instalment is the principal plus its rounded interest
        return np.where(
            term == 1,
            p_units + _round_half_up(p_units * flat),
            _round_half_up(inst),
        )

    # ------------------------------------------------------------------ API
    def max_instalment(
        self, income: Any, debt_payments: Any = 0.0, expenses: Any = 0.0
    ) -> Any:
        """The largest monthly instalment the instalment limits allow.

        Parameters
        ----------
        income : float or array-like
            Monthly (net) income, > 0.
        debt_payments : float or array-like
            Monthly payments on existing debts, >= 0.
        expenses : float or array-like
            Monthly living expenses, >= 0 (used by ``min_residual_income``).

        Returns
        -------
        float, ndarray or Series
            ``min(max_dsti * income - debt_payments, income - debt_payments -
            expenses - min_residual_income)`` over the limits set, rounded down to
            ``rounding`` decimals and 0 when nothing fits; ``inf`` when only
            ``max_dti`` is set. A Series when any input is one (same index).

        Examples
        --------
        >>> policy = AffordabilityPolicy(max_dsti=0.4, min_residual_income=800)
        >>> policy.max_instalment([2500.0, 4000.0], expenses=1000.0)
        array([ 700., 1600.])
        """
        cols, index, scalar = _arrays(
            "AffordabilityPolicy.max_instalment",
            {"income": income, "debt_payments": debt_payments, "expenses": expenses},
        )
        caps = self._instalment_caps(
            cols["income"], cols["debt_payments"], cols["expenses"]
        )
        out = np.full(len(cols["income"]), np.inf)
        for cap in caps.values():
            out = np.minimum(out, cap)
        fin = np.isfinite(out)
        out[fin] = (
            np.maximum(_to_units(out[fin], self._scale, self.rounding is not None), 0)
            / self._scale
        )
        return _wrap(out, index, scalar)

    def max_principal(
        self,
        rate: Any,
        term: Any,
        income: Any,
        debt_payments: Any = 0.0,
        existing_debt: Any = 0.0,
        expenses: Any = 0.0,
    ) -> Any:
        """The largest loan whose stressed instalment passes every limit.

        Parameters
        ----------
        rate : float or array-like
            Nominal annual rate of the loan (before the stress), as a fraction.
        term : int or array-like
            Number of monthly instalments.
        income, debt_payments, expenses : float or array-like
            As in :meth:`max_instalment`.
        existing_debt : float or array-like
            Outstanding existing debt (for ``max_dti``), >= 0.

        Returns
        -------
        float, ndarray or Series
            The principal, with ``rounding`` decimals: it passes every limit and
            one minor unit (cent) more fails one. 0 when no loan fits.

        Notes
        -----
        The inverse of the schedule: with ``I_max`` the instalment cap, the
        principal is the largest ``P`` with ``round(P / a(n, r_s / 12)) <= I_max``
        (found from ``P ~ (I_max + 1/2) * a`` and corrected to the cent with the
        schedule's own rounding), capped by ``max_dti * 12 * income -
        existing_debt``.

        Examples
        --------
        >>> policy = AffordabilityPolicy(max_dsti=0.35, stress_rate_add=0.03)
        >>> p = policy.max_principal(0.05, 240, 3000.0)
        >>> p
        125532.6
        >>> from loanrisk.repayment import Loan
        >>> float(Loan(p, 0.08, 240).summary()["instalment"])
        1050.0
        """
        owner = "AffordabilityPolicy.max_principal"
        cols, index, scalar = _arrays(
            owner,
            {
                "rate": rate,
                "term": term,
                "income": income,
                "debt_payments": debt_payments,
                "existing_debt": existing_debt,
                "expenses": expenses,
            },
        )
        _check_loan(owner, cols["rate"], cols["term"])
        units = self._max_principal_units(cols)
        return _wrap(units / self._scale, index, scalar)

    def _max_principal_units(self, cols: dict[str, np.ndarray]) -> np.ndarray:
        scale, rounded = self._scale, self.rounding is not None
        term = cols["term"]
        stressed = np.asarray(self.stressed_rate(cols["rate"]), dtype=float)
        caps = self._instalment_caps(
            cols["income"], cols["debt_payments"], cols["expenses"]
        )
        n = len(term)
        cap_units = np.full(n, np.inf)
        for cap in caps.values():
            cap_units = np.minimum(cap_units, _to_units(cap, scale, rounded))
        flat = stressed / 12.0
        s_fac, _ = level_factor(flat, term.astype(float))
        with np.errstate(invalid="ignore"):
            if rounded:
                # round_half_up(P / a) <= U  <=>  P < (U + 1/2) a
                guess = np.ceil((cap_units + 0.5) * s_fac) - 1.0
                guess = np.where(
                    term == 1, np.floor((cap_units + 0.5) / (1.0 + flat)), guess
                )
            else:
                guess = np.where(term == 1, cap_units / (1.0 + flat), cap_units * s_fac)
        guess = np.where(np.isfinite(cap_units), np.maximum(guess, 0.0), np.inf)
        if rounded:
            finite = np.isfinite(guess)
            g, st, tm, cu = (
                guess[finite],
                stressed[finite],
                term[finite],
                cap_units[finite],
            )
            for _ in range(8):  # float slack: a few units at most
                down = (g > 0) & (self._instalment_units(g, st, tm) > cu)
                if not down.any():
                    break
                g = np.where(down, g - 1.0, g)
            for _ in range(8):
                up = self._instalment_units(g + 1.0, st, tm) <= cu
                if not up.any():
                    break
                g = np.where(up, g + 1.0, g)
            guess[finite] = g
        dti_cap = _to_units(
            self._principal_cap(cols["income"], cols["existing_debt"]), scale, rounded
        )
        return np.asarray(np.maximum(np.minimum(guess, dti_cap), 0.0), dtype=float)

    def assess(self, applicants: pd.DataFrame) -> pd.DataFrame:
        """Test every applicant's requested loan against the policy.

        Parameters
        ----------
        applicants : DataFrame
            One row per applicant with the columns ``income`` (monthly, > 0),
            ``principal``, ``annual_rate`` and ``term`` (monthly instalments) and,
            optionally, ``debt_payments`` (monthly), ``existing_debt`` and
            ``expenses`` (monthly), which default to 0. Other columns are ignored.

        Returns
        -------
        DataFrame
            With the index of ``applicants``: ``stressed_rate``, ``instalment``
            (stressed), ``dti``, ``dsti``, ``residual_income``; ``dti_excess`` and
            ``dsti_excess`` (ratio points above the limit), ``residual_shortfall``
            (amount below ``min_residual_income``), each 0 when the limit is met
            or not set; ``failed`` (the failed limits, comma-separated, ``""`` when
            none), ``passes`` (bool) and ``max_principal`` (the largest loan that
            would pass, as :meth:`max_principal`).

        Examples
        --------
        >>> policy = AffordabilityPolicy(max_dti=4.0, max_dsti=0.35,
        ...                              stress_rate_add=0.02)
        >>> applicants = pd.DataFrame({"income": [3000.0, 2000.0],
        ...                            "principal": [100_000, 150_000],
        ...                            "annual_rate": [0.05, 0.05],
        ...                            "term": [300, 300]}, index=["ann", "bob"])
        >>> out = policy.assess(applicants)
        >>> out[["instalment", "passes", "failed"]]
             instalment  passes     failed
        ann      706.78    True
        bob     1060.17   False  dti, dsti
        """
        owner = "AffordabilityPolicy.assess"
        frame = check_frame(applicants, owner=owner, name="applicants")
        check_columns(frame, REQUIRED, owner=owner, name="applicants")
        index = frame.index
        n = len(frame)
        cols: dict[str, np.ndarray] = {}
        for c in REQUIRED + OPTIONAL:
            if c in frame.columns:
                cols[c] = _numeric_column(owner, frame[c], c)
            else:
                cols[c] = np.zeros(n)
        _check_amounts(owner, cols, index, frame=True)
        batch, _ = build_batch(
            {
                "principal": cols["principal"],
                "annual_rate": cols["annual_rate"],
                "term": cols["term"],
            },
            index,
            owner,
            frame=True,
            rounding=self.rounding,
        )
        scale, rounded = self._scale, self.rounding is not None
        term = batch.term
        stressed = np.asarray(self.stressed_rate(batch.annual_rate), dtype=float)
        p_units = batch.principal * scale
        if rounded:
            p_units = np.round(p_units)
        inst_units = self._instalment_units(p_units, stressed, term)
        inst = inst_units / scale
        income, debt = cols["income"], cols["debt_payments"]
        expenses, existing = cols["expenses"], cols["existing_debt"]
        dti = (existing + batch.principal) / (12.0 * income)
        dsti = (debt + inst) / income
        residual = income - debt - expenses - inst
        fails: dict[str, np.ndarray] = {}
        if self.max_dti is not None:
            cap = _to_units(self._principal_cap(income, existing), scale, rounded)
            fails["dti"] = p_units > cap
        caps = self._instalment_caps(income, debt, expenses)
        for name, cap in caps.items():
            fails[name] = inst_units > _to_units(cap, scale, rounded)
        zero = np.zeros(n)

        def excess(name: str, amount: np.ndarray) -> np.ndarray:
            if name not in fails:
                return zero.copy()
            return np.where(fails[name], np.maximum(amount, 0.0), 0.0)

        out = pd.DataFrame(
            {
                "stressed_rate": stressed,
                "instalment": inst,
                "dti": dti,
                "dsti": dsti,
                "residual_income": residual,
                "dti_excess": excess("dti", dti - (self.max_dti or 0.0)),
                "dsti_excess": excess("dsti", dsti - (self.max_dsti or 0.0)),
                "residual_shortfall": excess(
                    "residual_income", (self.min_residual_income or 0.0) - residual
                ),
            },
            index=index,
        )
        failed = np.full(n, "", dtype=object)
        for name in LIMITS:
            if name in fails:
                joined = np.where(failed == "", name, failed + ", " + name)
                failed = np.where(fails[name], joined, failed)
        out["failed"] = pd.Series(failed, index=index, dtype=object)
        out["passes"] = ~np.logical_or.reduce(list(fails.values()))
        out["max_principal"] = (
            self._max_principal_units(
                {
                    "rate": batch.annual_rate,
                    "term": term,
                    "income": income,
                    "debt_payments": debt,
                    "existing_debt": existing,
                    "expenses": expenses,
                }
            )
            / scale
        )
        return out


# ---------------------------------------------------------------------- inputs
def _numeric_column(owner: str, s: pd.Series, name: str) -> np.ndarray:
    if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(
        s.dtype
    ):
        raise InputError(
            f"Column {name!r} of applicants has dtype {s.dtype}; {owner} needs "
            f"numbers. Convert it, e.g. pd.to_numeric(applicants[{name!r}])."
        )
    values = s.to_numpy(dtype=float, na_value=np.nan)
    bad = np.isnan(values)
    if bad.any():
        raise InputError(
            f"Column {name!r} of applicants has {int(bad.sum())} missing value(s) "
            f"(index labels {format_labels(s.index[bad][:4], int(bad.sum()))}). "
            f"{owner} does not guess them: fill in {name!r} or drop those rows."
        )
    return values


def _arrays(
    owner: str, values: dict[str, Any]
) -> tuple[dict[str, np.ndarray], pd.Index | None, bool]:
    """Broadcast scalar / array / Series arguments to aligned float arrays."""
    index: pd.Index | None = None
    arrays: dict[str, np.ndarray] = {}
    for name, v in values.items():
        if isinstance(v, pd.Series):
            if index is None:
                index = v.index
            elif not v.index.equals(index):
                raise InputError(
                    f"{owner}: the Series arguments have different indexes ({name!r} "
                    "differs). Align them first, e.g. with .reindex()."
                )
        try:
            arr = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            raise InputError(
                f"The {name!r} argument of {owner} must be a number or an array of "
                f"numbers. Got {v!r}."
            ) from None
        if isinstance(v, bool) or (
            np.asarray(v).dtype.kind == "b" and np.asarray(v).size
        ):
            raise InputError(
                f"The {name!r} argument of {owner} must be a number, not True/False."
            )
        if arr.ndim > 1:
            raise InputError(
                f"The {name!r} argument of {owner} must be a number or a 1-D array; "
                f"got shape {arr.shape}."
            )
        arrays[name] = arr
    scalar = all(a.ndim == 0 for a in arrays.values())
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        shapes = {k: a.shape for k, a in arrays.items()}
        raise InputError(
            f"{owner}: the arguments have different lengths {shapes}. Pass scalars "
            "or arrays of one length."
        ) from None
    n = int(np.prod(shape)) if shape else 1
    out = {k: np.broadcast_to(a, (n,)).astype(float) for k, a in arrays.items()}
    idx = index if index is not None else pd.RangeIndex(n)
    if len(idx) != n:
        raise InputError(
            f"{owner}: the arguments have different lengths; the Series has "
            f"{len(idx)} values and the arrays {n}."
        )
    _check_amounts(owner, out, idx, frame=False)
    return out, index, scalar


def _check_amounts(
    owner: str, cols: dict[str, np.ndarray], index: pd.Index, *, frame: bool
) -> None:
    for name in ("income", "debt_payments", "existing_debt", "expenses"):
        if name not in cols:
            continue
        x = cols[name]
        if name == "income":
            rule, ok, why = "> 0", x > 0, "a monthly income must be positive"
        else:
            rule, ok, why = ">= 0", x >= 0, "amounts cannot be negative"
        bad = ~(np.isfinite(x) & ok)
        if bad.any():
            count = int(bad.sum())
            example = float(x[bad][0])
            if frame:
                raise InputError(
                    f"Column {name!r} of applicants has {count} value(s) that are "
                    f"not {rule} and finite (index labels "
                    f"{format_labels(index[bad][:4], count)}; e.g. {example!r}). "
                    f"{owner}: {why}; fix or drop those rows."
                )
            raise InputError(
                f"The {name!r} argument of {owner} must be {rule} and finite. Got "
                f"{example!r} ({count} value(s)): {why}."
            )


def _check_loan(owner: str, rate: np.ndarray, term: np.ndarray) -> None:
    bad = ~np.isfinite(rate) | (rate <= -1) | (rate > 10)
    if bad.any():
        raise InputError(
            f"The 'rate' argument of {owner} must be a nominal annual rate as a "
            f"fraction, -1 < rate <= 10 (0.07 = 7 %). Got {float(rate[bad][0])!r}."
        )
    bad = ~np.isfinite(term) | (term < 1) | (term != np.floor(term))
    if bad.any():
        raise InputError(
            f"The 'term' argument of {owner} must be a positive integer (the number "
            f"of monthly instalments). Got {float(term[bad][0])!r}."
        )


def _wrap(out: np.ndarray, index: pd.Index | None, scalar: bool) -> Any:
    if index is not None:
        return pd.Series(out, index=index)
    if scalar:
        return float(out[0])
    return out
