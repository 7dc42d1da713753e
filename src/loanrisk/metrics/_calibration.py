"""Calibration: Brier score, binomial, Jeffreys, Hosmer-Lemeshow, Spiegelhalter.

``pd`` is a probability of default in [0, 1]; ``y`` is 1 for a default (bad) and 0
otherwise. The binomial and Jeffreys tests are one-sided as validators use them: a
small p-value says the PD underestimates the observed default rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pandas import Series as _Series
from pandas import isna as _isna
from scipy import stats

from loanrisk._checks import check_target
from loanrisk.errors import InputError
from loanrisk.metrics._inputs import (
    check_count,
    check_level,
    check_pd,
    check_probability,
    check_weights,
)
from loanrisk.metrics._result import Result, to_frame, traffic_light

__all__ = [
    "DefaultRateTestResult",
    "HosmerLemeshowResult",
    "SpiegelhalterResult",
    "binomial_test",
    "brier",
    "hosmer_lemeshow",
    "jeffreys_test",
    "spiegelhalter",
]

_LIGHTS = (0.05, 0.001)


def _y_pd(y: Any, pd_: Any, owner: str) -> tuple[np.ndarray, np.ndarray]:
    y_arr = check_target(y, owner=owner, name="y", require_both=False)
    p = check_pd(pd_, name="pd", owner=owner, n_rows=len(y_arr))
    return y_arr, p


def _check_lights(thresholds: Any, owner: str) -> tuple[float, float]:
    ok = (
        isinstance(thresholds, tuple | list)
        and len(thresholds) == 2
        and all(isinstance(t, int | float) for t in thresholds)
        and 0 < thresholds[1] < thresholds[0] < 1
    )
    if not ok:
        raise InputError(
            f"{owner}: thresholds must be two p-value levels (yellow, red) with "
            f"1 > yellow > red > 0, e.g. (0.05, 0.001). Got {thresholds!r}."
        )
    return float(thresholds[0]), float(thresholds[1])


def brier(y: Any, pd: Any, *, sample_weight: Any = None) -> float:
    """Brier score: the mean squared difference between outcome and PD.

    Parameters
    ----------
    y : array-like of 0/1
        Outcome, 1 = default (bad), 0 = good.
    pd : array-like of float
        Probability of default per row, in [0, 1].
    sample_weight : array-like of float, optional
        Non-negative weight per row.

    Returns
    -------
    float
        Brier score in [0, 1]; lower is better.

    Notes
    -----
    BS = sum_i w_i (y_i - pd_i)² / sum_i w_i (Brier 1950; BCBS Working Paper 14,
    section IV). Equals ``sklearn.metrics.brier_score_loss(y, pd)``.

    Examples
    --------
    >>> from loanrisk.metrics import brier
    >>> brier([0, 1, 0, 1], [0.1, 0.6, 0.3, 0.9])
    0.0675
    """
    y_arr, p = _y_pd(y, pd, "brier")
    w = check_weights(sample_weight, len(y_arr), owner="brier")
    sq = (y_arr - p) ** 2
    if w is None:
        return float(sq.mean())
    return float(np.dot(w, sq) / w.sum())


@dataclass(frozen=True, repr=False)
class DefaultRateTestResult(Result):
    """One-sided test that a PD does not underestimate the observed default rate.

    Attributes
    ----------
    test : str
        "binomial" or "jeffreys".
    statistic : int
        The number of defaults D (the test statistic of both tests).
    pvalue : float
        One-sided p-value; small means the PD is too low.
    threshold : tuple of float
        p-value levels (yellow, red) of the traffic light.
    verdict : str
        "green" (p >= yellow), "yellow" (red <= p < yellow) or "red" (p < red).
    defaults, n : int
        Observed defaults D and obligors N.
    pd : float
        The PD tested.
    observed_rate : float
        D / N.
    """

    _repr_fields = ("test", "statistic", "pvalue", "threshold", "verdict", "n", "pd")

    test: str
    statistic: int
    pvalue: float
    threshold: tuple[float, float]
    verdict: str
    defaults: int
    n: int
    pd: float
    observed_rate: float


def _counts(defaults: Any, n: Any, pd: Any, owner: str) -> tuple[int, int, float]:
    d = check_count(defaults, name="defaults", owner=owner)
    total = check_count(n, name="n", owner=owner)
    if total == 0:
        raise InputError(
            f"{owner}: n is 0 (a grade with no obligors): there is nothing to test. "
            "Leave the grade out, or merge it with a neighbouring grade."
        )
    if d > total:
        raise InputError(
            f"{owner}: defaults ({d}) exceeds n ({total}). defaults counts the "
            "obligors among the n that defaulted: check both counts."
        )
    return d, total, check_probability(pd, name="pd", owner=owner)


def binomial_test(
    defaults: int,
    n: int,
    pd: float,
    *,
    thresholds: tuple[float, float] = _LIGHTS,
) -> DefaultRateTestResult:
    """One-sided binomial test of a PD against the observed defaults.

    Parameters
    ----------
    defaults : int
        Observed defaults D (>= 0).
    n : int
        Obligors N (> 0), D <= N.
    pd : float
        PD of the grade or portfolio, in [0, 1].
    thresholds : (float, float), default (0.05, 0.001)
        p-value levels for the traffic light: yellow below the first (95%
        confidence), red below the second (99.9%).

    Returns
    -------
    DefaultRateTestResult

    Notes
    -----
    H0: the true default rate is <= pd; p = P(X >= D) with X ~ Binomial(N, pd)
    (BCBS Working Paper 14, 2005, section IV, "binomial test"; defaults assumed
    independent). The same p-value as ``scipy.stats.binomtest(D, N, pd,
    alternative="greater")``. A grade with D = 0 always gets p = 1.

    Examples
    --------
    >>> from loanrisk.metrics import binomial_test
    >>> res = binomial_test(9, 200, 0.02)
    >>> round(res.pvalue, 4), res.verdict
    (0.0202, 'yellow')
    """
    d, total, p = _counts(defaults, n, pd, "binomial_test")
    levels = _check_lights(thresholds, "binomial_test")
    pvalue = 1.0 if d == 0 else float(stats.binom.sf(d - 1, total, p))
    return DefaultRateTestResult(
        test="binomial",
        statistic=d,
        pvalue=pvalue,
        threshold=levels,
        verdict=traffic_light(pvalue, levels),
        defaults=d,
        n=total,
        pd=p,
        observed_rate=d / total,
    )


def jeffreys_test(
    defaults: int,
    n: int,
    pd: float,
    *,
    thresholds: tuple[float, float] = _LIGHTS,
) -> DefaultRateTestResult:
    """One-sided Jeffreys test of a PD against the observed defaults.

    Parameters
    ----------
    defaults : int
        Observed defaults D (>= 0).
    n : int
        Obligors N (> 0), D <= N.
    pd : float
        PD of the grade or portfolio, in [0, 1].
    thresholds : (float, float), default (0.05, 0.001)
        p-value levels for the traffic light (yellow, red).

    Returns
    -------
    DefaultRateTestResult

    Notes
    -----
    With the Jeffreys prior Beta(1/2, 1/2), the posterior of the default rate is
    Beta(D + 1/2, N - D + 1/2) and p = F_Beta(pd; D + 1/2, N - D + 1/2), the posterior
    probability that the default rate is at most pd (ECB, Instructions for reporting
    the validation results of internal models, February 2019, section 2.5 "Probability
    of default", Jeffreys test per grade and for the portfolio). Small p means the PD
    is underestimated.

    Examples
    --------
    >>> from loanrisk.metrics import jeffreys_test
    >>> res = jeffreys_test(9, 200, 0.02)
    >>> round(res.pvalue, 4), res.verdict
    (0.0124, 'yellow')
    """
    d, total, p = _counts(defaults, n, pd, "jeffreys_test")
    levels = _check_lights(thresholds, "jeffreys_test")
    pvalue = float(stats.beta.cdf(p, d + 0.5, total - d + 0.5))
    return DefaultRateTestResult(
        test="jeffreys",
        statistic=d,
        pvalue=pvalue,
        threshold=levels,
        verdict=traffic_light(pvalue, levels),
        defaults=d,
        n=total,
        pd=p,
        observed_rate=d / total,
    )


@dataclass(frozen=True, repr=False)
class HosmerLemeshowResult(Result):
    """Hosmer-Lemeshow goodness-of-fit test of PDs.

    Attributes
    ----------
    statistic : float
        The chi-square statistic.
    pvalue : float
        Upper-tail p-value with `dof` degrees of freedom.
    threshold : float
        Significance level applied.
    verdict : str
        "pass" if pvalue >= threshold, else "fail".
    dof : int
        Degrees of freedom used.
    groups : tuple
        Group labels (quantile intervals of the PD, or the labels passed).
    n, defaults : tuple of int
        Obligors and defaults per group.
    expected : tuple of float
        Sum of PDs per group (expected defaults).
    """

    _repr_fields = ("statistic", "pvalue", "threshold", "verdict", "dof")

    statistic: float
    pvalue: float
    threshold: float
    verdict: str
    dof: int
    groups: tuple[Any, ...]
    n: tuple[int, ...]
    defaults: tuple[int, ...]
    expected: tuple[float, ...]

    def table(self) -> pd.DataFrame:
        """Per-group obligors, defaults and expected defaults as a DataFrame."""
        return to_frame(
            {"n": self.n, "defaults": self.defaults, "expected": self.expected},
            index=pd.Index(list(self.groups), name="group"),
        )


def hosmer_lemeshow(
    y: Any,
    pd: Any,
    groups: Any = 10,
    *,
    dof: int | None = None,
    alpha: float = 0.05,
) -> HosmerLemeshowResult:
    """Hosmer-Lemeshow test of PDs against observed defaults by group.

    Parameters
    ----------
    y : array-like of 0/1
        Outcome, 1 = default.
    pd : array-like of float
        PD per row in [0, 1].
    groups : int or array-like, default 10
        An int: that many quantile groups of `pd` (tied PDs are never split, so there
        may be fewer). An array of one label per row (e.g. rating grades): group by
        label.
    dof : int, optional
        Degrees of freedom. Default: the number of groups, the out-of-sample choice
        for validating PDs not fitted on this sample (BCBS Working Paper 14, section
        IV). Use ``groups - 2`` for the in-sample goodness of fit of a logistic model.
    alpha : float, default 0.05
        Significance level for the verdict.

    Returns
    -------
    HosmerLemeshowResult

    Notes
    -----
    HL = sum_g (D_g - E_g)² / (E_g (1 - E_g / N_g)), with N_g obligors, D_g defaults
    and E_g = sum of PDs in group g (Hosmer & Lemeshow 1980; BCBS Working Paper 14,
    2005, section IV). A group whose PDs are all 0 (or all 1) has a zero denominator:
    it adds 0 if D_g = E_g and makes the statistic infinite (p = 0) otherwise.

    Examples
    --------
    >>> from loanrisk.metrics import hosmer_lemeshow
    >>> y = [0, 0, 1, 0, 1, 1, 0, 0]
    >>> pd_ = [0.1, 0.1, 0.1, 0.5, 0.5, 0.5, 0.2, 0.2]
    >>> res = hosmer_lemeshow(y, pd_, groups=["A", "A", "A", "B", "B", "B", "C", "C"])
    >>> round(res.statistic, 4), res.dof
    (2.6481, 3)
    """
    owner = "hosmer_lemeshow"
    y_arr, p = _y_pd(y, pd, owner)
    level = check_level(alpha, name="alpha", owner=owner)
    if isinstance(groups, int | np.integer) and not isinstance(groups, bool):
        if groups < 1:
            raise InputError(f"{owner}: groups must be >= 1. Got {groups}.")
        qs = np.linspace(0.0, 1.0, int(groups) + 1)[1:-1]
        edges = np.unique(np.quantile(p, qs))
        codes = np.searchsorted(edges, p, side="left")
        bounds = np.concatenate(([-np.inf], edges, [np.inf]))
        label_list = [
            f"({bounds[i]:.6g}, {bounds[i + 1]:.6g}]" for i in range(len(bounds) - 1)
        ]
        used = np.unique(codes)
        keys = [label_list[i] for i in used]
        codes = np.searchsorted(used, codes)
    else:
        labels = groups.to_numpy() if isinstance(groups, _Series) else groups
        arr = np.asarray(labels, dtype=object)
        if arr.ndim != 1 or len(arr) != len(y_arr):
            raise InputError(
                f"{owner}: groups must be an int or one label per row; got "
                f"{len(arr) if arr.ndim == 1 else arr.shape} labels for {len(y_arr)} "
                "rows."
            )
        if _isna(arr).any():
            raise InputError(
                f"{owner}: groups has missing labels. Give every row a group."
            )
        try:
            uniq, codes = np.unique(arr, return_inverse=True)
        except TypeError:
            raise InputError(
                f"{owner}: groups mixes label types that cannot be ordered; use one "
                "type (e.g. all strings)."
            ) from None
        keys = [u.item() if isinstance(u, np.generic) else u for u in uniq]
    k = len(keys)
    n_g = np.bincount(codes, minlength=k)
    d_g = np.bincount(codes, weights=y_arr.astype(float), minlength=k)
    e_g = np.bincount(codes, weights=p, minlength=k)
    denom = e_g * (1.0 - e_g / n_g)
    diff2 = (d_g - e_g) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(denom > 0, denom, 1.0)
        degenerate = np.where(diff2 > 0, np.inf, 0.0)
        terms = np.where(denom > 0, diff2 / safe, degenerate)
    statistic = float(terms.sum())
    df = k if dof is None else dof
    if not isinstance(df, int | np.integer) or isinstance(df, bool) or df < 1:
        raise InputError(f"{owner}: dof must be an integer >= 1. Got {dof!r}.")
    pvalue = float(stats.chi2.sf(statistic, int(df)))
    return HosmerLemeshowResult(
        statistic=statistic,
        pvalue=pvalue,
        threshold=level,
        verdict="fail" if pvalue < level else "pass",
        dof=int(df),
        groups=tuple(keys),
        n=tuple(int(v) for v in n_g),
        defaults=tuple(round(float(v)) for v in d_g),
        expected=tuple(float(v) for v in e_g),
    )


@dataclass(frozen=True, repr=False)
class SpiegelhalterResult(Result):
    """Spiegelhalter z-test of PDs.

    Attributes
    ----------
    statistic : float
        z statistic.
    pvalue : float
        Two-sided p-value.
    threshold : float
        Significance level applied.
    verdict : str
        "pass" if pvalue >= threshold, else "fail".
    brier : float
        The Brier score (mean squared error) the test is built on.
    """

    statistic: float
    pvalue: float
    threshold: float
    verdict: str
    brier: float


def spiegelhalter(y: Any, pd: Any, *, alpha: float = 0.05) -> SpiegelhalterResult:
    """Spiegelhalter test that the PDs are calibrated, row by row.

    Parameters
    ----------
    y : array-like of 0/1
        Outcome, 1 = default.
    pd : array-like of float
        PD per row in [0, 1]; not all 0 or 1.
    alpha : float, default 0.05
        Significance level for the verdict.

    Returns
    -------
    SpiegelhalterResult

    Notes
    -----
    Under H0 (y_i ~ Bernoulli(pd_i)) the Brier score has expectation
    sum pd_i (1 - pd_i) / n and variance sum (1 - 2 pd_i)² pd_i (1 - pd_i) / n²;
    z = sum (y_i - pd_i)(1 - 2 pd_i) / sqrt(sum (1 - 2 pd_i)² pd_i (1 - pd_i)),
    two-sided p = 2 (1 - Phi(|z|)) (Spiegelhalter 1986, Statistics in Medicine 5;
    BCBS Working Paper 14, 2005, section IV).

    Examples
    --------
    >>> from loanrisk.metrics import spiegelhalter
    >>> res = spiegelhalter([0, 1, 0, 1, 0], [0.1, 0.6, 0.3, 0.9, 0.2])
    >>> round(res.statistic, 4), res.verdict
    (-1.0328, 'pass')
    """
    y_arr, p = _y_pd(y, pd, "spiegelhalter")
    level = check_level(alpha, name="alpha", owner="spiegelhalter")
    var = float(np.sum((1.0 - 2.0 * p) ** 2 * p * (1.0 - p)))
    if var <= 0:
        raise InputError(
            "spiegelhalter: every pd is 0, 0.5 or 1, so the test statistic has no "
            "variance. The test needs PDs strictly between 0 and 1 and not all 0.5."
        )
    z = float(np.sum((y_arr - p) * (1.0 - 2.0 * p)) / np.sqrt(var))
    pvalue = float(2.0 * stats.norm.sf(abs(z)))
    return SpiegelhalterResult(
        statistic=z,
        pvalue=pvalue,
        threshold=level,
        verdict="fail" if pvalue < level else "pass",
        brier=float(np.mean((y_arr - p) ** 2)),
    )
