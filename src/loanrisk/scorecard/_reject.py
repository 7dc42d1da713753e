"""Reject inference: fuzzy augmentation and parcelling of rejected applicants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from loanrisk._checks import (
    check_frame,
    check_number,
    check_option,
    check_sample_weight,
    check_target,
)
from loanrisk.errors import InputError
from loanrisk.scorecard._base import PointsScorecardBase

__all__ = ["RejectInferenceResult", "reject_inference"]

_WHO = "reject_inference"


@dataclass(frozen=True, eq=False)
class RejectInferenceResult:
    """What :func:`reject_inference` returns.

    .. versionadded:: 0.1.0

    Attributes
    ----------
    X : DataFrame
        The accepted rows, then the rejected rows (twice with ``method="fuzzy"``:
        once as bad, once as good), with the callers' index labels.
    y : Series
        1 = bad, 0 = good (inferred for the rejects), on ``X``'s index.
    sample_weight : Series
        Weight of each row of ``X``.
    rejected : Series of bool
        True for the rows that stand for rejected applicants.
    kgb : scorecard
        The known good-bad scorecard, fitted on the accepted applicants only.
    reject_pd : Series
        The (uplifted) probability of bad given to each rejected applicant, on
        ``rejected_X``'s index.
    bands : DataFrame or None
        With ``method="parcelling"``: per score band of the known good-bad model,
        its score range, accepted rows and bad rate, rejected rows, the bad rate
        given to them and how many were made bad.
    scorecard : scorecard or None
        A clone of ``base`` fitted on ``X, y, sample_weight`` (None with
        ``refit=False``).
    """

    X: pd.DataFrame
    y: pd.Series
    sample_weight: pd.Series
    rejected: pd.Series
    kgb: PointsScorecardBase
    reject_pd: pd.Series
    bands: pd.DataFrame | None
    scorecard: PointsScorecardBase | None


def reject_inference(
    accepted_X: Any,
    accepted_y: Any,
    rejected_X: Any,
    *,
    method: str = "fuzzy",
    base: PointsScorecardBase | None = None,
    uplift: float = 1.0,
    n_bands: int = 10,
    accepted_weight: Any = None,
    rejected_weight: Any = None,
    random_state: int | np.random.Generator | None = None,
    refit: bool = True,
) -> RejectInferenceResult:
    """Infer the outcomes of rejected applicants and refit on all applicants.

    A scorecard fitted on accepted applicants only (the *known good-bad*, KGB,
    model) has never seen the applicants the old policy declined. Reject inference
    gives the rejects inferred outcomes so that the final scorecard is trained on
    the whole through-the-door population.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    accepted_X : DataFrame
        Features of the accepted applicants with a known outcome.
    accepted_y : array-like
        Their outcome, 1 = bad, 0 = good. A Series must share `accepted_X`'s index.
    rejected_X : DataFrame
        Features of the rejected applicants: at least `accepted_X`'s columns
        (extra columns are ignored).
    method : {"fuzzy", "parcelling"}, default "fuzzy"
        How rejects get outcomes (see Notes).
    base : scorecard, optional
        Unfitted scorecard (default ``ApplicationScorecard()``) cloned for the KGB
        model and for the final scorecard.
    uplift : float, default 1.0
        Factor on the rejects' probability of bad (capped at 1): rejects are
        usually riskier than accepts with the same score; values of 1.5-3 are
        common in practice.
    n_bands : int, default 10
        Number of score bands (``method="parcelling"``): equal-frequency bands of
        the KGB score on the accepted applicants.
    accepted_weight, rejected_weight : array-like, optional
        Non-negative weight per accepted / rejected applicant (default 1).
    random_state : int, numpy Generator or None, default None
        Seed of the random order in which parcelling picks its bads; the same
        integer gives the same assignment. Unused by ``method="fuzzy"``.
    refit : bool, default True
        Fit a clone of `base` on the augmented sample (``result.scorecard``).

    Returns
    -------
    RejectInferenceResult
        The augmented sample (``X``, ``y``, ``sample_weight``, ``rejected``), the
        KGB model, the rejects' PDs, the parcelling bands and the refitted
        scorecard.

    Raises
    ------
    InputError
        On bad input (the message names the argument, column or index labels).

    Notes
    -----
    Let :math:`p_r` be the probability of bad the KGB model gives reject
    :math:`r` (the PD implied by its score), :math:`w_r` its weight and
    :math:`u` the `uplift`.

    **Fuzzy augmentation.** Each reject enters twice: as a bad with weight
    :math:`w_r \\tilde p_r` and as a good with weight :math:`w_r (1 - \\tilde
    p_r)`, where :math:`\\tilde p_r = \\min(1, u\\,p_r)`. The two weights add up to
    :math:`w_r`, so every reject counts as one applicant, split between the
    outcomes in proportion to its (uplifted) risk.

    **Parcelling.** The accepted applicants are cut into `n_bands`
    equal-frequency bands of KGB score (edges at the accepts' score quantiles
    :math:`k / n_{bands}`, repeated edges merged; a band runs from its lower edge,
    included, to its upper edge; rejects outside the range go to the end bands; a
    band whose accepts all weigh 0 takes the overall bad rate). In band :math:`b`
    the accepts' weighted bad rate is
    :math:`\\hat p_b = \\sum_{a \\in b} w_a y_a / \\sum_{a \\in b} w_a` and the rejects
    of the band are given the bad rate :math:`\\tilde p_b = \\min(1, u\\,\\hat p_b)`:
    they are put in a random order (``random_state``) and a reject is bad while
    the cumulative weight up to its middle, :math:`W_{<r} + w_r / 2`, is below
    :math:`\\tilde p_b \\sum_{r \\in b} w_r`. The weighted bad rate of the rejects
    in each band therefore equals :math:`\\tilde p_b` to within half a reject's
    weight (systematic rather than independent Bernoulli sampling), and which
    rejects are bad is random but reproducible.

    Examples
    --------
    >>> import loanrisk
    >>> from loanrisk.scorecard._reject import reject_inference
    >>> X, y = loanrisk.datasets.load_german_credit(return_X_y=True)
    >>> accepted = (X["duration_in_month"] <= 30).to_numpy()
    >>> res = reject_inference(X[accepted], y[accepted], X[~accepted],
    ...                        method="fuzzy", uplift=1.5, refit=False)
    >>> n_acc, n_rej = int(accepted.sum()), int((~accepted).sum())
    >>> res.X.shape[0] == n_acc + 2 * n_rej
    True
    >>> w = res.sample_weight[res.rejected.to_numpy()]
    >>> round(float(w.sum()), 6) == n_rej  # each reject weighs 1 in all
    True
    """
    from loanrisk.scorecard._logistic import ApplicationScorecard

    check_option(method, "method", _WHO, ("fuzzy", "parcelling"))
    check_number(uplift, "uplift", _WHO, low=0, low_inclusive=False)
    check_number(n_bands, "n_bands", _WHO, low=1, integer=True)
    if base is not None and not isinstance(base, PointsScorecardBase):
        raise InputError(
            "The 'base' parameter of reject_inference must be an unfitted points "
            "scorecard such as ApplicationScorecard(...), or None. Got "
            f"{type(base).__name__}."
        )
    if not isinstance(refit, bool):
        raise InputError(
            f"The 'refit' parameter of reject_inference must be True or False. Got "
            f"{refit!r}."
        )
    rng = _rng(random_state)
    acc_X = check_frame(accepted_X, owner=_WHO, name="accepted_X")
    rej_X = check_frame(
        rejected_X, owner=_WHO, name="rejected_X", columns=list(acc_X.columns)
    )
    rej_X = rej_X[list(acc_X.columns)]
    if (
        isinstance(accepted_y, pd.Series)
        and len(accepted_y) == len(acc_X)
        and not (accepted_y.index.equals(acc_X.index))
    ):
        raise InputError(
            "reject_inference: accepted_y's index differs from accepted_X's. Align "
            "them, e.g. accepted_y.reindex(accepted_X.index), or pass "
            "accepted_y.to_numpy() if the rows are already in the same order."
        )
    y_acc = check_target(
        accepted_y, acc_X.shape[0], owner=_WHO, name="accepted_y", index=acc_X.index
    ).astype(np.int64)
    w_acc = check_sample_weight(
        accepted_weight,
        acc_X.shape[0],
        owner=_WHO,
        name="accepted_weight",
        index=acc_X.index,
    )
    w_rej = check_sample_weight(
        rejected_weight,
        rej_X.shape[0],
        owner=_WHO,
        name="rejected_weight",
        index=rej_X.index,
    )

    template = base if base is not None else ApplicationScorecard()
    kgb = clone(template).fit(acc_X, y_acc, sample_weight=w_acc)
    p_rej = kgb.predict_proba(rej_X)[:, 1]
    p_tilde = np.minimum(1.0, float(uplift) * p_rej)

    bands: pd.DataFrame | None = None
    if method == "fuzzy":
        X_rej = pd.concat([rej_X, rej_X])
        y_rej = np.concatenate([np.ones(len(rej_X)), np.zeros(len(rej_X))])
        w_out = np.concatenate([w_rej * p_tilde, w_rej * (1.0 - p_tilde)])
        reject_pd = p_tilde
    else:
        s_acc = kgb.score(acc_X).to_numpy(dtype=float)
        s_rej = kgb.score(rej_X).to_numpy(dtype=float)
        y_rej, reject_pd, bands = _parcel(
            s_acc, y_acc, w_acc, s_rej, w_rej, float(uplift), int(n_bands), rng
        )
        X_rej = rej_X
        w_out = w_rej

    X_all = pd.concat([acc_X, X_rej])
    index = X_all.index
    y_all = pd.Series(
        np.concatenate([y_acc, y_rej]).astype(np.int64), index=index, name="bad"
    )
    w_all = pd.Series(np.concatenate([w_acc, w_out]), index=index, name="sample_weight")
    rejected = pd.Series(
        np.concatenate([np.zeros(len(acc_X), bool), np.ones(len(X_rej), bool)]),
        index=index,
        name="rejected",
    )
    card = None
    if refit:
        card = clone(template).fit(X_all, y_all.to_numpy(), sample_weight=w_all)
    return RejectInferenceResult(
        X=X_all,
        y=y_all,
        sample_weight=w_all,
        rejected=rejected,
        kgb=kgb,
        reject_pd=pd.Series(reject_pd, index=rej_X.index, name="reject_pd"),
        bands=bands,
        scorecard=card,
    )


def _rng(random_state: Any) -> np.random.Generator:
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None:
        return np.random.default_rng()
    check_number(random_state, "random_state", _WHO, low=0, integer=True)
    return np.random.default_rng(int(random_state))


def _parcel(
    s_acc: np.ndarray,
    y_acc: np.ndarray,
    w_acc: np.ndarray,
    s_rej: np.ndarray,
    w_rej: np.ndarray,
    uplift: float,
    n_bands: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Outcomes of the rejects by parcelling in score bands (see Notes)."""
    inner = np.quantile(s_acc, np.arange(1, n_bands) / n_bands, method="inverted_cdf")
    edges = np.unique(inner)
    edges = edges[(edges > s_acc.min())]
    band_acc = np.searchsorted(edges, s_acc, side="right")
    band_rej = np.searchsorted(edges, s_rej, side="right")
    k = len(edges) + 1
    wa = np.bincount(band_acc, weights=w_acc, minlength=k)
    wb = np.bincount(band_acc, weights=w_acc * y_acc, minlength=k)
    overall = float((w_acc * y_acc).sum() / w_acc.sum())
    rate = np.divide(wb, wa, out=np.full(k, overall), where=wa > 0)
    target = np.minimum(1.0, uplift * rate)
    y_rej = np.zeros(len(s_rej), dtype=np.int64)
    order = rng.permutation(len(s_rej))
    for b in range(k):
        members = order[band_rej[order] == b]
        if not members.size:
            continue
        w = w_rej[members]
        middle = np.cumsum(w) - w / 2.0
        y_rej[members] = (middle < target[b] * w.sum()).astype(np.int64)
    lo = np.concatenate([[-np.inf], edges])
    hi = np.concatenate([edges, [np.inf]])
    n_rej = np.bincount(band_rej, minlength=k)
    bad_rej = np.bincount(band_rej, weights=w_rej * y_rej, minlength=k)
    w_rej_band = np.bincount(band_rej, weights=w_rej, minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        rej_rate = np.where(w_rej_band > 0, bad_rej / w_rej_band, np.nan)
    bands = pd.DataFrame(
        {
            "score_from": lo,
            "score_to": hi,
            "n_accepted": np.bincount(band_acc, minlength=k),
            "accepted_bad_rate": rate,
            "n_rejected": n_rej,
            "target_bad_rate": target,
            "rejected_bad_rate": rej_rate,
        },
        index=pd.RangeIndex(k, name="band"),
    )
    return y_rej, target[band_rej], bands
