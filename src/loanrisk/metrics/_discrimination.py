"""Discrimination: AUC, Gini, accuracy ratio, KS and DeLong inference (private).

Scores follow the library convention: ``higher_is_riskier=True`` (a PD or any score
that rises with risk); pass ``higher_is_riskier=False`` for scorecard points. ``y`` is
1 for bad and 0 for good.

Everything here is ``O(n log n)``: the scores of the bads and of the goods are sorted
once and each account's structural component is read with a binary search (the
midrank formulation of Sun & Xu 2014, in which a tie counts one half).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import stats

from loanrisk._checks import check_option
from loanrisk.errors import InputError
from loanrisk.metrics._inputs import (
    check_level,
    check_scores,
    check_weights,
    check_y_score,
)
from loanrisk.metrics._result import Result

__all__ = [
    "AUCInterval",
    "DeLongResult",
    "KSResult",
    "accuracy_ratio",
    "auc",
    "auc_ci",
    "delong_test",
    "gini",
    "ks",
]


def _risk(score: np.ndarray, higher_is_riskier: bool) -> np.ndarray:
    if not isinstance(higher_is_riskier, bool | np.bool_):
        raise InputError(
            "higher_is_riskier must be True (scores rise with risk, e.g. a PD) or "
            f"False (scorecard points). Got {higher_is_riskier!r}."
        )
    return score if higher_is_riskier else -score


def _auc_unweighted(y: np.ndarray, risk: np.ndarray) -> float:
    bads = np.sort(risk[y == 1])
    goods = np.sort(risk[y == 0])
    below = np.searchsorted(goods, bads, side="left")
    upto = np.searchsorted(goods, bads, side="right")
    total = int(below.sum(dtype=np.int64)) + int(upto.sum(dtype=np.int64))
    return total / (2.0 * len(bads) * len(goods))


def _auc_weighted(y: np.ndarray, risk: np.ndarray, w: np.ndarray) -> float:
    is_bad = y == 1
    good_risk = risk[~is_bad]
    order = np.argsort(good_risk, kind="stable")
    goods = good_risk[order]
    cum = np.concatenate(([0.0], np.cumsum(w[~is_bad][order])))
    bads = risk[is_bad]
    wb = w[is_bad]
    below = cum[np.searchsorted(goods, bads, side="left")]
    upto = cum[np.searchsorted(goods, bads, side="right")]
    w_bad, w_good = float(wb.sum()), float(cum[-1])
    if w_bad <= 0 or w_good <= 0:
        raise InputError(
            "auc: sample_weight gives zero total weight to the "
            f"{'bads' if w_bad <= 0 else 'goods'}; the AUC is undefined. Give both "
            "classes a positive weight."
        )
    return float(np.dot(wb, below + upto) / (2.0 * w_bad * w_good))


def auc(
    y: Any,
    score: Any,
    *,
    higher_is_riskier: bool = True,
    sample_weight: Any = None,
) -> float:
    """Area under the ROC curve: the probability that a bad outscores a good on risk.

    Parameters
    ----------
    y : array-like of 0/1
        Outcome, 1 = bad, 0 = good. Both classes must be present.
    score : array-like of float
        Score for each row, same length as `y`, finite.
    higher_is_riskier : bool, default True
        True when a higher score means more risk (a PD); False for scorecard points.
    sample_weight : array-like of float, optional
        Non-negative weight per row.

    Returns
    -------
    float
        AUC in [0, 1]; 0.5 is no discrimination, below 0.5 ranks in the wrong
        direction (check `higher_is_riskier`).

    Notes
    -----
    AUC = P(r_bad > r_good) + 0.5 P(r_bad = r_good), where r is the score oriented so
    that higher means riskier; ties count one half (Mann-Whitney). Equals
    ``sklearn.metrics.roc_auc_score(y, score)`` for ``higher_is_riskier=True``.

    Examples
    --------
    >>> from loanrisk.metrics import auc
    >>> auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    >>> auc([0, 0, 1, 1], [620, 580, 590, 540], higher_is_riskier=False)
    0.75
    """
    y_arr, s = check_y_score(y, score, owner="auc")
    risk = _risk(s, higher_is_riskier)
    w = check_weights(sample_weight, len(y_arr), owner="auc")
    if w is None:
        return _auc_unweighted(y_arr, risk)
    return _auc_weighted(y_arr, risk, w)


def gini(
    y: Any,
    score: Any,
    *,
    higher_is_riskier: bool = True,
    sample_weight: Any = None,
) -> float:
    """Gini coefficient (Somers' D) of a score: ``2 * AUC - 1``.

    Parameters
    ----------
    y : array-like of 0/1
        Outcome, 1 = bad, 0 = good.
    score : array-like of float
        Score per row.
    higher_is_riskier : bool, default True
        True for a PD-like score, False for scorecard points.
    sample_weight : array-like of float, optional
        Non-negative weight per row.

    Returns
    -------
    float
        Gini in [-1, 1]; negative when the score ranks in the wrong direction.

    Notes
    -----
    Gini = 2 AUC - 1, with ties counted one half in the AUC. It equals the accuracy
    ratio of the CAP curve (Engelmann, Hayden & Tasche 2003).

    Examples
    --------
    >>> from loanrisk.metrics import gini
    >>> gini([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.5
    """
    value = auc(
        y, score, higher_is_riskier=higher_is_riskier, sample_weight=sample_weight
    )
    return 2.0 * value - 1.0


def accuracy_ratio(
    y: Any,
    score: Any,
    *,
    higher_is_riskier: bool = True,
    sample_weight: Any = None,
) -> float:
    """Accuracy ratio of the cumulative accuracy profile (CAP).

    Parameters
    ----------
    y : array-like of 0/1
        Outcome, 1 = bad, 0 = good.
    score : array-like of float
        Score per row.
    higher_is_riskier : bool, default True
        True for a PD-like score, False for scorecard points.
    sample_weight : array-like of float, optional
        Non-negative weight per row.

    Returns
    -------
    float
        AR = a_R / a_P in [-1, 1].

    Notes
    -----
    AR is the area between the model's CAP curve and the diagonal, divided by the same
    area for the perfect model, with tied scores joined by straight segments. It
    equals ``2 * AUC - 1`` exactly (Engelmann, Hayden & Tasche 2003, "Testing rating
    accuracy", Risk; BCBS Working Paper 14, section III), which is how it is computed.

    Examples
    --------
    >>> from loanrisk.metrics import accuracy_ratio
    >>> accuracy_ratio([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.5
    """
    value = auc(
        y, score, higher_is_riskier=higher_is_riskier, sample_weight=sample_weight
    )
    return 2.0 * value - 1.0


@dataclass(frozen=True, repr=False)
class KSResult(Result):
    """Kolmogorov-Smirnov statistic of a score and where it peaks.

    Attributes
    ----------
    statistic : float
        max over cut-offs of (share of goods on the safe side - share of bads on the
        safe side), in [0, 1].
    score : float
        The cut-off where the maximum is reached (the first one if several): accounts
        with ``score <= cut-off`` (PDs) or ``score >= cut-off`` (points) form the safe
        side. Always an observed score, so tied scores are never split.
    higher_is_riskier : bool
        The orientation used.
    """

    statistic: float
    score: float
    higher_is_riskier: bool


def ks(
    y: Any,
    score: Any,
    *,
    higher_is_riskier: bool = True,
    sample_weight: Any = None,
) -> KSResult:
    """Kolmogorov-Smirnov separation between goods and bads, with its peak score.

    Parameters
    ----------
    y : array-like of 0/1
        Outcome, 1 = bad, 0 = good. Both classes must be present.
    score : array-like of float
        Score per row.
    higher_is_riskier : bool, default True
        True for a PD-like score, False for scorecard points.
    sample_weight : array-like of float, optional
        Non-negative weight per row.

    Returns
    -------
    KSResult
        ``statistic`` and the ``score`` where it peaks.

    Notes
    -----
    With r the score oriented so that higher is riskier and F the (weighted)
    empirical distribution function, KS = max_t [F_good(t) - F_bad(t)] over observed
    scores t. This is the one-sided (directional) two-sample statistic: it equals
    ``scipy.stats.ks_2samp(r_good, r_bad, alternative="greater").statistic``, and the
    usual two-sided KS whenever the score ranks in the right direction. A score that
    ranks the wrong way gets a KS near 0 rather than a high one.

    Examples
    --------
    >>> from loanrisk.metrics import ks
    >>> result = ks([0, 0, 0, 1, 1], [0.1, 0.2, 0.6, 0.5, 0.9])
    >>> round(result.statistic, 4), result.score
    (0.6667, 0.2)
    >>> ks([0, 0, 0, 1, 1], [700, 650, 540, 560, 500], higher_is_riskier=False).score
    650.0
    """
    y_arr, s = check_y_score(y, score, owner="ks")
    risk = _risk(s, higher_is_riskier)
    w = check_weights(sample_weight, len(y_arr), owner="ks")
    order = np.argsort(risk, kind="stable")
    r_sorted = risk[order]
    is_bad = y_arr[order] == 1
    weights = np.ones(len(order)) if w is None else w[order]
    bad_w = np.where(is_bad, weights, 0.0)
    good_w = weights - bad_w
    ends = np.flatnonzero(np.diff(r_sorted) != 0)
    ends = np.append(ends, len(r_sorted) - 1)
    cum_bad = np.cumsum(bad_w)
    cum_good = np.cumsum(good_w)
    if cum_bad[-1] <= 0 or cum_good[-1] <= 0:
        raise InputError(
            "ks: sample_weight gives zero total weight to one class; KS is undefined. "
            "Give both goods and bads a positive weight."
        )
    diff = cum_good[ends] / cum_good[-1] - cum_bad[ends] / cum_bad[-1]
    best = int(np.argmax(diff))
    peak = float(r_sorted[ends[best]])
    peak_score = peak if higher_is_riskier else -peak
    return KSResult(
        statistic=float(max(diff[best], 0.0)),
        score=float(peak_score) + 0.0,
        higher_is_riskier=bool(higher_is_riskier),
    )


def _components(
    y: np.ndarray, risk: np.ndarray, *, keep_order: bool
) -> tuple[float, np.ndarray, np.ndarray]:
    """AUC and the structural components V10 (per bad) and V01 (per good).

    V10_i = (#goods below bad i + 0.5 #goods tied) / n_goods,
    V01_j = (#bads above good j + 0.5 #bads tied) / n_bads  (DeLong et al. 1988),
    computed from midranks by binary search in the sorted other class (Sun & Xu 2014).
    With ``keep_order`` the components follow the original row order of each class
    (needed to pair two scores); otherwise they come in sorted order (faster).
    """
    is_bad = y == 1
    bad_r, good_r = risk[is_bad], risk[~is_bad]
    bads_sorted, goods_sorted = np.sort(bad_r), np.sort(good_r)
    q_bad = bad_r if keep_order else bads_sorted
    q_good = good_r if keep_order else goods_sorted
    n_bad, n_good = len(bad_r), len(good_r)
    v10 = (
        np.searchsorted(goods_sorted, q_bad, side="left")
        + np.searchsorted(goods_sorted, q_bad, side="right")
    ) / (2.0 * n_good)
    v01 = 1.0 - (
        np.searchsorted(bads_sorted, q_good, side="left")
        + np.searchsorted(bads_sorted, q_good, side="right")
    ) / (2.0 * n_bad)
    return float(v10.mean()), v10, v01


def _require_two_per_class(y: np.ndarray, owner: str) -> None:
    n_bad = int(y.sum())
    n_good = len(y) - n_bad
    if min(n_bad, n_good) < 2:
        raise InputError(
            f"{owner}: y has {n_bad} bad(s) and {n_good} good(s). The DeLong variance "
            "needs at least 2 of each class: use a larger sample."
        )


@dataclass(frozen=True, repr=False)
class AUCInterval(Result):
    """AUC with its DeLong standard error and confidence interval.

    Attributes
    ----------
    auc : float
        The AUC.
    lower, upper : float
        Confidence bounds, ``auc -/+ z * std_error`` clipped to [0, 1].
    std_error : float
        DeLong standard error of the AUC.
    confidence : float
        Two-sided confidence level.
    n_bads, n_goods : int
        Class counts used.
    """

    auc: float
    lower: float
    upper: float
    std_error: float
    confidence: float
    n_bads: int
    n_goods: int


def auc_ci(
    y: Any,
    score: Any,
    confidence: float = 0.95,
    *,
    higher_is_riskier: bool = True,
) -> AUCInterval:
    """AUC with a DeLong confidence interval.

    Parameters
    ----------
    y : array-like of 0/1
        Outcome, 1 = bad, 0 = good; at least 2 of each.
    score : array-like of float
        Score per row.
    confidence : float, default 0.95
        Two-sided confidence level, strictly between 0 and 1.
    higher_is_riskier : bool, default True
        True for a PD-like score, False for scorecard points.

    Returns
    -------
    AUCInterval

    Notes
    -----
    DeLong, DeLong & Clarke-Pearson (1988): with structural components V10 (one per
    bad) and V01 (one per good), Var(AUC) = s²(V10) / n_bads + s²(V01) / n_goods,
    where s² is the sample variance (ddof 1). The interval is the normal
    approximation AUC -/+ z_{(1+confidence)/2} * SE, clipped to [0, 1]. Components
    come from midranks (Sun & Xu 2014, IEEE Signal Processing Letters 21(11)), in
    O(n log n); tied scores count one half. ECB instructions for reporting the
    validation results of internal models (2019), section 2.5 and Annex 1, use this
    variance for the test of the current AUC against the AUC at initial validation.

    Examples
    --------
    >>> from loanrisk.metrics import auc_ci
    >>> ci = auc_ci([0, 0, 0, 1, 1, 1], [0.1, 0.3, 0.5, 0.4, 0.7, 0.9])
    >>> round(ci.auc, 4), round(ci.std_error, 4)
    (0.8889, 0.1571)
    >>> round(ci.lower, 4), ci.upper
    (0.5809, 1.0)
    """
    y_arr, s = check_y_score(y, score, owner="auc_ci")
    level = check_level(confidence, name="confidence", owner="auc_ci")
    _require_two_per_class(y_arr, "auc_ci")
    value, v10, v01 = _components(y_arr, _risk(s, higher_is_riskier), keep_order=False)
    var = float(v10.var(ddof=1)) / len(v10) + float(v01.var(ddof=1)) / len(v01)
    se = float(np.sqrt(var))
    z = float(stats.norm.ppf(0.5 + level / 2.0))
    return AUCInterval(
        auc=value,
        lower=max(0.0, value - z * se),
        upper=min(1.0, value + z * se),
        std_error=se,
        confidence=level,
        n_bads=len(v10),
        n_goods=len(v01),
    )


@dataclass(frozen=True, repr=False)
class DeLongResult(Result):
    """Paired DeLong test of two AUCs measured on the same accounts.

    Attributes
    ----------
    statistic : float
        z = (auc_a - auc_b) / std_error.
    pvalue : float
        p-value for `alternative`.
    threshold : float
        Significance level applied.
    verdict : str
        "pass" when H0 (no difference in the direction of `alternative`) is not
        rejected at `threshold`, "fail" when it is.
    auc_a, auc_b, difference, std_error : float
        The two AUCs, their difference and its DeLong standard error.
    alternative : str
        "two-sided", "greater" (H1: auc_a > auc_b) or "less" (H1: auc_a < auc_b).
    """

    _repr_fields = ("statistic", "pvalue", "threshold", "verdict", "auc_a", "auc_b")

    statistic: float
    pvalue: float
    threshold: float
    verdict: str
    auc_a: float
    auc_b: float
    difference: float
    std_error: float
    alternative: str


def delong_test(
    y: Any,
    score_a: Any,
    score_b: Any,
    *,
    higher_is_riskier: bool = True,
    alternative: Literal["two-sided", "greater", "less"] = "two-sided",
    alpha: float = 0.05,
) -> DeLongResult:
    """Paired DeLong test comparing two scores' AUCs on the same accounts.

    Parameters
    ----------
    y : array-like of 0/1
        Outcome, 1 = bad, 0 = good; at least 2 of each.
    score_a, score_b : array-like of float
        Two scores for the same rows (e.g. the current model and a challenger, or the
        development and the recalibrated score). Both use the same orientation.
    higher_is_riskier : bool, default True
        True for PD-like scores, False for scorecard points.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        H1: auc_a != auc_b, auc_a > auc_b, or auc_a < auc_b.
    alpha : float, default 0.05
        Significance level for the verdict.

    Returns
    -------
    DeLongResult

    Notes
    -----
    DeLong, DeLong & Clarke-Pearson (1988), Biometrics 44(3): with structural
    components V10 (per bad) and V01 (per good) of both scores, S10 and S01 their
    2 x 2 sample covariance matrices and c = (1, -1),
    Var(auc_a - auc_b) = c' S10 c / n_bads + c' S01 c / n_goods and
    z = (auc_a - auc_b) / sqrt(Var). Midranks by binary search (Sun & Xu 2014) keep
    it O(n log n). When the variance is 0 (identical rankings) z is 0 if the AUCs are
    equal. For the ECB comparison of a current AUC against the value at initial
    validation on a different sample, use ``auc_ci(...).std_error`` of the current
    sample: S = (AUC_init - AUC_curr) / s, p = 1 - Phi(S).

    Examples
    --------
    >>> from loanrisk.metrics import delong_test
    >>> y = [0, 0, 0, 1, 1, 1]
    >>> a = [0.1, 0.3, 0.5, 0.4, 0.7, 0.9]
    >>> b = [0.2, 0.1, 0.5, 0.3, 0.4, 0.6]
    >>> res = delong_test(y, a, b)
    >>> round(res.auc_a, 4), round(res.auc_b, 4), res.verdict
    (0.8889, 0.7778, 'pass')
    """
    y_arr, a = check_y_score(y, score_a, owner="delong_test", score_name="score_a")
    b = check_scores(score_b, name="score_b", owner="delong_test", n_rows=len(y_arr))
    check_option(
        alternative, "alternative", "delong_test", ["two-sided", "greater", "less"]
    )
    level = check_level(alpha, name="alpha", owner="delong_test")
    _require_two_per_class(y_arr, "delong_test")
    auc_a, v10a, v01a = _components(y_arr, _risk(a, higher_is_riskier), keep_order=True)
    auc_b, v10b, v01b = _components(y_arr, _risk(b, higher_is_riskier), keep_order=True)
    d10 = v10a - v10b
    d01 = v01a - v01b
    var = float(d10.var(ddof=1)) / len(d10) + float(d01.var(ddof=1)) / len(d01)
    diff = auc_a - auc_b
    se = float(np.sqrt(max(var, 0.0)))
    z = diff / se if se > 0 else (0.0 if diff == 0 else np.copysign(np.inf, diff))
    if alternative == "two-sided":
        p = float(2.0 * stats.norm.sf(abs(z)))
    elif alternative == "greater":
        p = float(stats.norm.sf(z))
    else:
        p = float(stats.norm.cdf(z))
    p = min(p, 1.0)
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
