"""Validation tests between two samples or two dates (private).

The tests a validator runs when comparing the current portfolio with the one at
development (initial validation): the current AUC against the initial AUC (ECB), the
unpaired DeLong test of two AUCs on different samples, the HHI concentration test
(ECB), a chi-square test of the grade distribution, and the stability of the migration
matrix (ECB matrix weighted bandwidths and z-tests).

References: ECB, *Instructions for reporting the validation results of internal
models, IRB Pillar I models for credit risk*, February 2019, section 2.5 (PD):
2.5.3.1 (current vs initial AUC), 2.5.5.1 (customer migrations, MWB), 2.5.5.2
(stability of the migration matrix), 2.5.5.3 (concentration in rating grades).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from loanrisk._checks import check_option
from loanrisk.errors import InputError
from loanrisk.metrics._concentration import _grades, migration_matrix
from loanrisk.metrics._discrimination import (
    DeLongResult,
    _components,
    _require_two_per_class,
    _risk,
)
from loanrisk.metrics._inputs import check_level, check_y_score
from loanrisk.metrics._result import Result

__all__ = [
    "GradeDistributionResult",
    "HHITestResult",
    "MigrationStabilityResult",
    "auc_initial_test",
    "delong_test_unpaired",
    "grade_distribution_test",
    "hhi_test",
    "migration_stability",
]


def _auc_and_variance(
    y: Any, score: Any, higher_is_riskier: bool, owner: str, name: str
) -> tuple[float, float, int, int]:
    y_arr, s = check_y_score(y, score, owner=owner, score_name=name)
    _require_two_per_class(y_arr, owner)
    value, v10, v01 = _components(y_arr, _risk(s, higher_is_riskier), keep_order=False)
    var = float(v10.var(ddof=1)) / len(v10) + float(v01.var(ddof=1)) / len(v01)
    return value, var, len(v10), len(v01)


def _p_value(z: float, alternative: str) -> float:
    if alternative == "two-sided":
        p = float(2.0 * stats.norm.sf(abs(z)))
    elif alternative == "greater":
        p = float(stats.norm.sf(z))
    else:
        p = float(stats.norm.cdf(z))
    return min(p, 1.0)


def delong_test_unpaired(
    y_a: Any,
    score_a: Any,
    y_b: Any,
    score_b: Any,
    *,
    higher_is_riskier: bool = True,
    alternative: Literal["two-sided", "greater", "less"] = "two-sided",
    alpha: float = 0.05,
) -> DeLongResult:
    """Unpaired DeLong test of two AUCs measured on independent samples.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    y_a, score_a : array-like
        Outcome (1 = bad) and score of the first sample (e.g. development).
    y_b, score_b : array-like
        Outcome and score of the second sample (e.g. the current portfolio); the two
        samples may have different sizes.
    higher_is_riskier : bool, default True
        True for PD-like scores, False for scorecard points.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        H1: auc_a != auc_b, auc_a > auc_b, or auc_a < auc_b.
    alpha : float, default 0.05
        Significance level for the verdict.

    Returns
    -------
    DeLongResult
        As :func:`delong_test`; ``std_error`` is sqrt(Var_a + Var_b).

    Notes
    -----
    With independent samples the covariance term of the paired test vanishes:
    z = (AUC_a - AUC_b) / sqrt(Var_a + Var_b), each variance the DeLong variance
    s²(V10)/n_bads + s²(V01)/n_goods of its own sample (DeLong, DeLong &
    Clarke-Pearson 1988; Hanley & McNeil 1983 for unpaired samples).

    Examples
    --------
    >>> from loanrisk.metrics import delong_test_unpaired
    >>> res = delong_test_unpaired(
    ...     [0, 0, 0, 1, 1, 1], [0.1, 0.3, 0.5, 0.4, 0.7, 0.9],
    ...     [0, 0, 1, 1], [0.2, 0.6, 0.5, 0.8],
    ... )
    >>> round(res.auc_a, 4), round(res.auc_b, 4), res.verdict
    (0.8889, 0.75, 'pass')
    """
    owner = "delong_test_unpaired"
    check_option(alternative, "alternative", owner, ["two-sided", "greater", "less"])
    level = check_level(alpha, name="alpha", owner=owner)
    auc_a, var_a, _, _ = _auc_and_variance(
        y_a, score_a, higher_is_riskier, owner, "score_a"
    )
    auc_b, var_b, _, _ = _auc_and_variance(
        y_b, score_b, higher_is_riskier, owner, "score_b"
    )
    diff = auc_a - auc_b
    se = float(np.sqrt(var_a + var_b))
    z = (
        diff / se
        if se > 0
        else (0.0 if diff == 0 else float(np.copysign(np.inf, diff)))
    )
    p = _p_value(float(z), alternative)
    return DeLongResult(
        statistic=float(z),
        pvalue=p,
        threshold=level,
        verdict="fail" if p < level else "pass",
        auc_a=auc_a,
        auc_b=auc_b,
        difference=diff,
        std_error=se,
        alternative=alternative,
    )


def auc_initial_test(
    y: Any,
    score: Any,
    auc_initial: float,
    *,
    higher_is_riskier: bool = True,
    alpha: float = 0.05,
) -> DeLongResult:
    """ECB test of the current AUC against the AUC at initial validation.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    y, score : array-like
        Outcome (1 = bad) and score of the current sample; at least 2 of each class.
    auc_initial : float
        The AUC at initial validation (or development), in [0, 1].
    higher_is_riskier : bool, default True
        True for PD-like scores, False for scorecard points.
    alpha : float, default 0.05
        Significance level for the verdict.

    Returns
    -------
    DeLongResult
        ``auc_a`` is the initial AUC, ``auc_b`` the current one, ``statistic`` is S,
        ``std_error`` is s and ``alternative`` is "greater" (H1: the AUC fell).

    Notes
    -----
    S = (AUC_init - AUC_curr) / s and p = 1 - Phi(S), where s is the DeLong standard
    error of the current AUC (ECB instructions, February 2019, section 2.5.3.1).
    The initial AUC is taken as a fixed number; a small p says the current AUC is
    significantly below it.

    Examples
    --------
    >>> from loanrisk.metrics import auc_initial_test
    >>> res = auc_initial_test([0, 0, 0, 1, 1, 1], [0.1, 0.3, 0.5, 0.4, 0.7, 0.9], 0.95)
    >>> round(res.statistic, 4), round(res.pvalue, 4), res.verdict
    (0.3889, 0.3487, 'pass')
    """
    owner = "auc_initial_test"
    if (
        not isinstance(auc_initial, int | float | np.floating)
        or isinstance(auc_initial, bool)
        or not 0.0 <= float(auc_initial) <= 1.0
    ):
        raise InputError(
            f"{owner}: auc_initial must be the AUC at initial validation, a number in "
            f"[0, 1]. Got {auc_initial!r}."
        )
    level = check_level(alpha, name="alpha", owner=owner)
    current, var, _, _ = _auc_and_variance(y, score, higher_is_riskier, owner, "score")
    se = float(np.sqrt(var))
    diff = float(auc_initial) - current
    z = (
        diff / se
        if se > 0
        else (0.0 if diff == 0 else float(np.copysign(np.inf, diff)))
    )
    p = _p_value(float(z), "greater")
    return DeLongResult(
        statistic=float(z),
        pvalue=p,
        threshold=level,
        verdict="fail" if p < level else "pass",
        auc_a=float(auc_initial),
        auc_b=current,
        difference=diff,
        std_error=se,
        alternative="greater",
    )


def _shares(
    grades: Any, order: Sequence[Any] | None, owner: str, name: str
) -> tuple[list[Any], np.ndarray]:
    s = _grades(grades, name=name, owner=owner)
    values = s.to_numpy(dtype=object)
    if order is None:
        try:
            labels = sorted(set(values))
        except TypeError:
            raise InputError(
                f"{owner}: grade labels of different types cannot be ordered. Pass "
                "grades=[...] with every grade, best to worst."
            ) from None
    else:
        labels = list(order)
        unknown = sorted({repr(v) for v in values if v not in set(labels)})
        if unknown:
            raise InputError(
                f"{owner}: labels {', '.join(unknown[:5])} in {name} are not in "
                "grades. Add them to grades, or fix the labels."
            )
    codes = pd.Index(labels).get_indexer(values)
    return labels, np.bincount(codes, minlength=len(labels)).astype(np.int64)


@dataclass(frozen=True, repr=False)
class HHITestResult(Result):
    """ECB concentration test of the grade distribution against its initial value.

    Attributes
    ----------
    statistic : float
        z = sqrt(K - 1) (CV_curr - CV_init) / sqrt(CV_curr² (0.5 + CV_curr²)).
    pvalue : float
        1 - Phi(z): small means concentration rose significantly.
    threshold : float
        Significance level applied.
    verdict : str
        "pass" or "fail".
    hhi, hhi_initial : float
        Herfindahl index sum R_k² now and at initial validation.
    cv, cv_initial : float
        Coefficients of variation sqrt(K sum (R_k - 1/K)²).
    hi, hi_initial : float
        ECB normalised Herfindahl index 1 + ln(HHI) / ln K, in [0, 1].
    n_grades : int
        K, the number of grades of the rating scale.
    """

    _repr_fields = ("statistic", "pvalue", "threshold", "verdict", "hhi", "hhi_initial")

    statistic: float
    pvalue: float
    threshold: float
    verdict: str
    hhi: float
    hhi_initial: float
    cv: float
    cv_initial: float
    hi: float
    hi_initial: float
    n_grades: int


def hhi_test(
    grades: Any,
    hhi_initial: float,
    *,
    n_grades: int | None = None,
    alpha: float = 0.05,
) -> HHITestResult:
    """ECB test that the concentration in rating grades has not risen.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    grades : array-like
        Current grade of each obligor.
    hhi_initial : float
        HHI (sum of squared grade shares) at initial validation, e.g.
        ``metrics.hhi(development_grades)``.
    n_grades : int, optional
        K, the number of grades of the rating scale (including empty ones). Default:
        the number of distinct grades in `grades`.
    alpha : float, default 0.05
        Significance level for the verdict.

    Returns
    -------
    HHITestResult

    Notes
    -----
    ECB instructions (February 2019), section 2.5.5.3: with R_k the share of grade k
    and K grades, CV = sqrt(K sum_k (R_k - 1/K)²) and HI = 1 + ln((CV² + 1)/K) / ln K;
    since HHI = sum R_k² = (CV² + 1)/K, CV_init = sqrt(K HHI_init - 1).
    z = sqrt(K - 1) (CV_curr - CV_init) / sqrt(CV_curr² (0.5 + CV_curr²)) and
    p = 1 - Phi(z). When CV_curr = 0 (perfectly even grades) z is 0 if CV_init = 0
    and -inf otherwise (p = 1).

    Examples
    --------
    >>> from loanrisk.metrics import hhi_test
    >>> res = hhi_test(["A"] * 50 + ["B"] * 30 + ["C"] * 20, 0.34)
    >>> round(res.hhi, 4), round(res.statistic, 4), round(res.pvalue, 4)
    (0.38, 1.0996, 0.1358)
    """
    owner = "hhi_test"
    level = check_level(alpha, name="alpha", owner=owner)
    _, counts = _shares(grades, None, owner, "grades")
    occupied = len(counts)
    if n_grades is None:
        k = occupied
    elif (
        not isinstance(n_grades, int | np.integer)
        or isinstance(n_grades, bool)
        or n_grades < occupied
    ):
        raise InputError(
            f"{owner}: n_grades must be an integer >= the {occupied} grade(s) present "
            f"in grades (it counts every grade of the scale). Got {n_grades!r}."
        )
    else:
        k = int(n_grades)
    if k < 2:
        raise InputError(
            f"{owner}: the rating scale has {k} grade; the concentration test needs at "
            "least 2 grades (pass n_grades= for the full scale)."
        )
    if (
        not isinstance(hhi_initial, int | float | np.floating)
        or isinstance(hhi_initial, bool)
        or not 1.0 / k - 1e-12 <= float(hhi_initial) <= 1.0
    ):
        raise InputError(
            f"{owner}: hhi_initial must be an HHI between 1/K = {1.0 / k:.4g} and 1 "
            f"for K = {k} grades. Got {hhi_initial!r}."
        )
    shares = counts / counts.sum()
    full = np.concatenate([shares, np.zeros(k - occupied)])
    hhi_now = float(np.sum(full**2))
    cv_now = float(np.sqrt(k * np.sum((full - 1.0 / k) ** 2)))
    cv_init = float(np.sqrt(max(k * float(hhi_initial) - 1.0, 0.0)))
    denom = float(np.sqrt(cv_now**2 * (0.5 + cv_now**2)))
    num = float(np.sqrt(k - 1) * (cv_now - cv_init))
    if denom > 0:
        z = num / denom
    else:
        z = 0.0 if num == 0 else float(np.copysign(np.inf, num))
    p = float(stats.norm.sf(z))
    return HHITestResult(
        statistic=z,
        pvalue=p,
        threshold=level,
        verdict="fail" if p < level else "pass",
        hhi=hhi_now,
        hhi_initial=float(hhi_initial),
        cv=cv_now,
        cv_initial=cv_init,
        hi=1.0 + float(np.log(hhi_now)) / float(np.log(k)),
        hi_initial=1.0 + float(np.log(float(hhi_initial))) / float(np.log(k)),
        n_grades=k,
    )


@dataclass(frozen=True, repr=False)
class GradeDistributionResult(Result):
    """Chi-square test that two samples share one grade distribution.

    Attributes
    ----------
    statistic : float
        Pearson chi-square of the 2 x K table.
    pvalue : float
        Upper-tail p-value with `dof` degrees of freedom.
    threshold : float
        Significance level applied.
    verdict : str
        "pass" or "fail".
    dof : int
        K' - 1, K' the grades occupied in either sample.
    grades : tuple
        Grade labels.
    expected_count, actual_count : tuple of int
        Obligors per grade in each sample.
    """

    _repr_fields = ("statistic", "pvalue", "threshold", "verdict", "dof")

    statistic: float
    pvalue: float
    threshold: float
    verdict: str
    dof: int
    grades: tuple[Any, ...]
    expected_count: tuple[int, ...]
    actual_count: tuple[int, ...]


def grade_distribution_test(
    grades_expected: Any,
    grades_actual: Any,
    *,
    grades: Sequence[Any] | None = None,
    alpha: float = 0.05,
) -> GradeDistributionResult:
    """Chi-square test of the grade distribution: current against development.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    grades_expected : array-like
        Grade of each obligor in the reference sample (development).
    grades_actual : array-like
        Grade of each obligor in the sample compared (current).
    grades : sequence, optional
        Every grade of the scale, best to worst (default: the sorted labels seen).
    alpha : float, default 0.05
        Significance level for the verdict.

    Returns
    -------
    GradeDistributionResult

    Notes
    -----
    Pearson's chi-square test of homogeneity on the 2 x K table of counts:
    X² = sum_{s,k} (O_sk - E_sk)² / E_sk with E_sk = n_s m_k / n, and K' - 1 degrees
    of freedom for the K' grades occupied in either sample (grades empty in both are
    left out). Both samples are treated as samples, unlike PSI which freezes the
    development shares. The same statistic as
    ``scipy.stats.chi2_contingency(table, correction=False)``.

    Examples
    --------
    >>> from loanrisk.metrics import grade_distribution_test
    >>> res = grade_distribution_test(["A"] * 60 + ["B"] * 40, ["A"] * 40 + ["B"] * 60)
    >>> round(res.statistic, 4), round(res.pvalue, 4), res.verdict
    (8.0, 0.0047, 'fail')
    """
    owner = "grade_distribution_test"
    level = check_level(alpha, name="alpha", owner=owner)
    if grades is None:
        e = _grades(grades_expected, name="grades_expected", owner=owner)
        a = _grades(grades_actual, name="grades_actual", owner=owner)
        try:
            grades = sorted(
                set(e.to_numpy(dtype=object)) | set(a.to_numpy(dtype=object))
            )
        except TypeError:
            raise InputError(
                f"{owner}: grade labels of different types cannot be ordered. Pass "
                "grades=[...] with every grade, best to worst."
            ) from None
    labels, e_counts = _shares(grades_expected, grades, owner, "grades_expected")
    _, a_counts = _shares(grades_actual, grades, owner, "grades_actual")
    table = np.vstack([e_counts, a_counts]).astype(float)
    keep = table.sum(axis=0) > 0
    used = table[:, keep]
    if used.shape[1] < 2:
        raise InputError(
            f"{owner}: every obligor is in one grade, so there is no distribution to "
            "compare. The test needs at least 2 occupied grades."
        )
    expected = used.sum(axis=1, keepdims=True) * used.sum(axis=0) / used.sum()
    statistic = float(np.sum((used - expected) ** 2 / expected))
    dof = int(used.shape[1] - 1)
    p = float(stats.chi2.sf(statistic, dof))
    return GradeDistributionResult(
        statistic=statistic,
        pvalue=p,
        threshold=level,
        verdict="fail" if p < level else "pass",
        dof=dof,
        grades=tuple(v.item() if isinstance(v, np.generic) else v for v in labels),
        expected_count=tuple(int(c) for c in e_counts),
        actual_count=tuple(int(c) for c in a_counts),
    )


@dataclass(frozen=True, repr=False)
class MigrationStabilityResult(Result):
    """Customer migrations between two dates: bandwidths and stability z-tests.

    Attributes
    ----------
    mwb_upper, mwb_lower : float
        ECB upper and lower matrix weighted bandwidths, in [0, 1] (NaN when no
        obligor could move in that direction).
    threshold : float
        Significance level of the z-tests.
    verdict : str
        "pass" when no off-diagonal z-test rejects at `threshold`, else "fail".
    n_rejected : int
        Number of off-diagonal cells whose z-test rejects.
    grades : tuple
        Grade order, best to worst (rows: first date, columns: second date).
    counts : tuple of tuples of int
        The migration matrix N_ij.
    rates : tuple of tuples of float
        p_ij = N_ij / N_i (NaN for an empty row).
    z, pvalue : tuple of tuples of float
        z_ij and Phi(z_ij) for off-diagonal cells; NaN on the diagonal and where the
        test is undefined (empty row, or both rates 0).
    """

    _repr_fields = ("mwb_upper", "mwb_lower", "threshold", "verdict", "n_rejected")

    mwb_upper: float
    mwb_lower: float
    threshold: float
    verdict: str
    n_rejected: int
    grades: tuple[Any, ...]
    counts: tuple[tuple[int, ...], ...]
    rates: tuple[tuple[float, ...], ...]
    z: tuple[tuple[float, ...], ...]
    pvalue: tuple[tuple[float, ...], ...]

    def table(self, which: str = "counts") -> pd.DataFrame:
        """One of ``counts``, ``rates``, ``z`` or ``pvalue`` as a K x K DataFrame."""
        check_option(which, "which", "table", ["counts", "rates", "z", "pvalue"])
        return pd.DataFrame(
            [list(r) for r in getattr(self, which)],
            index=pd.Index(list(self.grades), name="before"),
            columns=pd.Index(list(self.grades), name="after"),
        )


def _mwb(counts: np.ndarray, upper: bool) -> float:
    k = counts.shape[0]
    num = 0.0
    norm_ = 0.0
    for i in range(k):
        cols = range(i + 1, k) if upper else range(i)
        moved = sum(float(counts[i, j]) for j in cols)
        num += sum(abs(i - j) * float(counts[i, j]) for j in cols)
        norm_ += max(abs(i - (k - 1)), i) * moved
    return num / norm_ if norm_ > 0 else float("nan")


def migration_stability(
    grades_before: Any,
    grades_after: Any,
    *,
    grades: Sequence[Any] | None = None,
    alpha: float = 0.05,
) -> MigrationStabilityResult:
    """Customer migrations and stability of the migration matrix (ECB).

    .. versionadded:: 0.1.0

    Parameters
    ----------
    grades_before, grades_after : array-like
        Grade of each obligor at the first and second date, aligned row by row.
    grades : sequence, optional
        The grade order, best to worst (default: as :func:`migration_matrix`).
    alpha : float, default 0.05
        Significance level of the z-tests.

    Returns
    -------
    MigrationStabilityResult

    Notes
    -----
    ECB instructions (February 2019), section 2.5.5.1, with grades i, j = 1..K and
    N_ij obligors moving from i to j (N_i = sum_j N_ij, p_ij = N_ij / N_i):
    MWB_upper = sum_{i<K} sum_{j>i} |i - j| N_i p_ij / M_upper with
    M_upper = sum_{i<K} max(|i - K|, |i - 1|) N_i sum_{j>i} p_ij, and MWB_lower
    likewise over j < i. Section 2.5.5.2: for j > i,
    z_ij = (p_{i,j-1} - p_ij) / sqrt((p_ij (1 - p_ij) + p_{i,j-1} (1 - p_{i,j-1})
    + 2 p_ij p_{i,j-1}) / N_i), and for j < i the same with p_{i,j+1}; H0 is that
    migration rates fall away from the diagonal (p_ij <= p_{i,j-1}), and the
    one-sided p-value is Phi(z_ij).

    Examples
    --------
    >>> from loanrisk.metrics import migration_stability
    >>> res = migration_stability(["A", "A", "A", "B", "B", "C"],
    ...                           ["A", "A", "B", "B", "C", "B"])
    >>> round(res.mwb_upper, 4), round(res.mwb_lower, 4), res.verdict
    (0.6667, 0.5, 'pass')
    """
    owner = "migration_stability"
    level = check_level(alpha, name="alpha", owner=owner)
    matrix = migration_matrix(grades_before, grades_after, grades=grades)
    counts = matrix.to_numpy(dtype=np.int64)
    k = counts.shape[0]
    if k < 2:
        raise InputError(
            f"{owner}: only one grade is present, so nobody can migrate. Pass "
            "grades=[...] with the full rating scale."
        )
    n_i = counts.sum(axis=1).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(
            n_i[:, None] > 0, counts / np.where(n_i > 0, n_i, 1)[:, None], np.nan
        )
    z = np.full((k, k), np.nan)
    for i in range(k):
        if n_i[i] == 0:
            continue
        for j in range(k):
            if j == i:
                continue
            nb = j - 1 if j > i else j + 1
            var = (
                p[i, j] * (1 - p[i, j])
                + p[i, nb] * (1 - p[i, nb])
                + 2 * p[i, j] * p[i, nb]
            ) / n_i[i]
            if var > 0:
                z[i, j] = (p[i, nb] - p[i, j]) / np.sqrt(var)
    pval = np.where(np.isnan(z), np.nan, stats.norm.cdf(z))
    rejected = int(np.sum(np.nan_to_num(pval, nan=1.0) < level))

    def nested(a: np.ndarray, cast: type) -> tuple[tuple[Any, ...], ...]:
        return tuple(tuple(cast(v) for v in row) for row in a)

    return MigrationStabilityResult(
        mwb_upper=_mwb(counts, upper=True),
        mwb_lower=_mwb(counts, upper=False),
        threshold=level,
        verdict="fail" if rejected else "pass",
        n_rejected=rejected,
        grades=tuple(
            v.item() if isinstance(v, np.generic) else v for v in matrix.index
        ),
        counts=nested(counts, int),
        rates=nested(p, float),
        z=nested(z, float),
        pvalue=nested(pval, float),
    )
