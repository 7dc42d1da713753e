"""Cut-off tables and cut-off choice for application scorecards (private).

These functions take scorecard POINTS by default (``higher_is_riskier=False``: a higher
score is safer) and approve ``score >= cutoff``. Pass ``higher_is_riskier=True`` for
PDs, which are approved when ``score <= cutoff``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from loanrisk._checks import check_sample_weight, check_target
from loanrisk.errors import InputError
from loanrisk.metrics._inputs import check_scores
from loanrisk.metrics._result import Result
from loanrisk.metrics._stability import _edges

__all__ = ["CutoffResult", "choose_cutoff", "cutoff_table"]

_TOL = 1e-12


def _prepare(
    scores: Any,
    y: Any,
    higher_is_riskier: Any,
    sample_weight: Any,
    owner: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not isinstance(higher_is_riskier, bool):
        raise InputError(
            f"{owner}: higher_is_riskier must be False (scorecard points, the default) "
            f"or True (PDs). Got {higher_is_riskier!r}."
        )
    y_arr = check_target(y, owner=owner, name="y")
    s = check_scores(scores, name="scores", owner=owner, n_rows=len(y_arr))
    w = check_sample_weight(sample_weight, len(y_arr), owner=owner)
    return s, y_arr, w


def cutoff_table(
    scores: Any,
    y: Any,
    bands: Any = 10,
    *,
    higher_is_riskier: bool = False,
    sample_weight: Any = None,
) -> pd.DataFrame:
    """Score bands from the riskiest to the safest, with cumulative approval figures.

    Parameters
    ----------
    scores : array-like of float
        Scorecard points by default (higher = safer). Pass PDs together with
        ``higher_is_riskier=True``.
    y : array-like of 0/1
        Outcome, 1 = bad, 0 = good; both classes present.
    bands : int or sequence of float, default 10
        An int: quantile bands of `scores` (cut points that coincide because of ties
        are merged, so there may be fewer). A sequence: strictly increasing cut
        points; bands are (e_{i-1}, e_i] and the outer bands extend to -inf/+inf.
    higher_is_riskier : bool, default False
        False: `scores` are points, higher is SAFER, approve ``score >= cutoff``.
        True: `scores` are PDs, higher is riskier, approve ``score <= cutoff``.
        Note the default differs from :mod:`loanrisk.metrics` (which takes PDs by
        default) because cut-offs are set on scorecard points.
    sample_weight : array-like of float, optional
        Non-negative weight per row; n, goods and bads become weighted sums.

    Returns
    -------
    DataFrame
        One row per band, riskiest first, with columns: ``band`` (interval),
        ``score_min``, ``score_max`` (observed), ``cutoff`` (the cut-off that
        approves this band and every safer one: ``score_min`` for points,
        ``score_max`` for PDs), ``n``, ``goods``, ``bads``, ``bad_rate``, ``odds``
        (goods per bad in the band), then cumulative from the top, approving this
        band and all safer ones: ``approval_rate``, ``approved_bad_rate`` and
        ``bads_rejected_share`` (cumulative bads captured: the share of all bads
        in the riskier, rejected bands). An empty band (possible with explicit cut
        points) has NaN scores and rates.

    Notes
    -----
    Bands split on score values, so tied scores always fall in the same band and a
    cut-off between bands never splits them.

    Examples
    --------
    >>> from loanrisk.strategy import cutoff_table
    >>> points = [500, 520, 540, 560, 580, 600, 620, 640]
    >>> bad = [1, 1, 0, 1, 0, 0, 0, 0]
    >>> table = cutoff_table(points, bad, bands=[530, 590])
    >>> table[["band", "cutoff", "n", "bads", "approval_rate", "approved_bad_rate"]]
             band  cutoff  n  bads  approval_rate  approved_bad_rate
    0  (-inf, 530]   500.0  2     2           1.00           0.375000
    1   (530, 590]   540.0  3     1           0.75           0.166667
    2   (590, inf]   600.0  3     0           0.375          0.000000
    """
    owner = "cutoff_table"
    s, y_arr, w = _prepare(scores, y, higher_is_riskier, sample_weight, owner)
    edges = _edges(s, bands, owner, "bands")
    k = len(edges) + 1
    codes = np.searchsorted(edges, s, side="left")
    weighted = sample_weight is not None
    n = np.bincount(codes, weights=w, minlength=k)
    bads = np.bincount(codes, weights=w * y_arr, minlength=k)
    goods = n - bads
    rows = np.bincount(codes, minlength=k)
    order = np.argsort(s, kind="stable")
    s_sorted, c_sorted = s[order], codes[order]
    score_min = np.full(k, np.nan)
    score_max = np.full(k, np.nan)
    first = np.searchsorted(c_sorted, np.arange(k), side="left")
    last = np.searchsorted(c_sorted, np.arange(k), side="right") - 1
    occupied = rows > 0
    score_min[occupied] = s_sorted[first[occupied]]
    score_max[occupied] = s_sorted[last[occupied]]
    bounds = np.concatenate(([-np.inf], edges, [np.inf]))
    labels = np.array(
        [f"({bounds[i]:.6g}, {bounds[i + 1]:.6g}]" for i in range(k)], dtype=object
    )
    ix = np.arange(k)[::-1] if higher_is_riskier else np.arange(k)
    n, bads, goods, rows = n[ix], bads[ix], goods[ix], rows[ix]
    score_min, score_max, labels = score_min[ix], score_max[ix], labels[ix]
    total_n, total_bads = float(n.sum()), float(bads.sum())
    approved_n = np.cumsum(n[::-1])[::-1]
    approved_bads = np.cumsum(bads[::-1])[::-1]
    rejected_bads = total_bads - approved_bads
    with np.errstate(divide="ignore", invalid="ignore"):
        bad_rate = np.where(n > 0, bads / n, np.nan)
        odds = np.where(n > 0, goods / bads, np.nan)
        approved_bad_rate = np.where(approved_n > 0, approved_bads / approved_n, np.nan)
    table = pd.DataFrame(
        {
            "band": labels,
            "score_min": score_min,
            "score_max": score_max,
            "cutoff": score_max if higher_is_riskier else score_min,
            "n": n if weighted else n.astype(np.int64),
            "goods": goods if weighted else np.rint(goods).astype(np.int64),
            "bads": bads if weighted else np.rint(bads).astype(np.int64),
            "bad_rate": bad_rate,
            "odds": odds,
            "approval_rate": approved_n / total_n,
            "approved_bad_rate": approved_bad_rate,
            "bads_rejected_share": np.clip(rejected_bads / total_bads, 0.0, 1.0),
        }
    )
    return table


@dataclass(frozen=True, repr=False)
class CutoffResult(Result):
    """A chosen cut-off and what it does to the book.

    Attributes
    ----------
    cutoff : float
        Approve ``score >= cutoff`` (points) or ``score <= cutoff`` (PDs).
    approval_rate : float
        (Weighted) share of applicants approved.
    bad_rate : float
        (Weighted) bad rate among the approved.
    bads_rejected_share : float
        Share of all bads that the cut-off rejects.
    n_approved : int
        Number of rows approved.
    higher_is_riskier : bool
        The score orientation used.
    """

    cutoff: float
    approval_rate: float
    bad_rate: float
    bads_rejected_share: float
    n_approved: int
    higher_is_riskier: bool


def choose_cutoff(
    scores: Any,
    y: Any,
    *,
    target_bad_rate: float | None = None,
    target_approval_rate: float | None = None,
    higher_is_riskier: bool = False,
    sample_weight: Any = None,
) -> CutoffResult:
    """Choose a cut-off for a target bad rate or a target approval rate.

    Parameters
    ----------
    scores : array-like of float
        Scorecard points by default (higher = safer). Pass PDs together with
        ``higher_is_riskier=True``.
    y : array-like of 0/1
        Outcome, 1 = bad, 0 = good; both classes present.
    target_bad_rate : float, optional
        Choose the highest approval rate whose approved bad rate is <= this.
    target_approval_rate : float, optional
        Choose the cut-off approving the largest share <= this (in (0, 1]).
        Give exactly one of the two targets.
    higher_is_riskier : bool, default False
        False: `scores` are points, higher is SAFER, approve ``score >= cutoff``.
        True: `scores` are PDs, approve ``score <= cutoff``. The default differs from
        :mod:`loanrisk.metrics` because cut-offs are set on scorecard points.
    sample_weight : array-like of float, optional
        Non-negative weight per row (rates become weighted).

    Returns
    -------
    CutoffResult

    Raises
    ------
    InputError
        If both or neither target is given, or the target cannot be met (the message
        gives the best achievable value).

    Notes
    -----
    Candidate cut-offs are the observed scores, so tied scores are approved or
    rejected together; an approval-rate target may therefore be undershot.

    Examples
    --------
    >>> from loanrisk.strategy import choose_cutoff
    >>> points = [500, 520, 540, 560, 580, 600, 620, 640]
    >>> bad = [1, 1, 0, 1, 0, 0, 0, 0]
    >>> res = choose_cutoff(points, bad, target_bad_rate=0.2)
    >>> res.cutoff, res.approval_rate, res.bad_rate, res.n_approved
    (540.0, 0.75, 0.16666666666666666, 6)
    >>> choose_cutoff(points, bad, target_approval_rate=0.5).cutoff
    580.0
    """
    owner = "choose_cutoff"
    if (target_bad_rate is None) == (target_approval_rate is None):
        raise InputError(
            f"{owner}: give exactly one of target_bad_rate or target_approval_rate "
            f"(got {'both' if target_bad_rate is not None else 'neither'})."
        )
    name = "target_bad_rate" if target_bad_rate is not None else "target_approval_rate"
    given: Any = (
        target_bad_rate if target_bad_rate is not None else target_approval_rate
    )
    is_number = isinstance(given, int | float) and not isinstance(given, bool)
    if (
        not is_number
        or not np.isfinite(given)
        or not 0 <= given <= 1
        or (name == "target_approval_rate" and given == 0)
    ):
        allowed = "in [0, 1]" if name == "target_bad_rate" else "in (0, 1]"
        raise InputError(
            f"{owner}: {name} must be a share {allowed}, e.g. 0.05 for 5%. Got "
            f"{given!r}."
        )
    target = float(given)
    s, y_arr, w = _prepare(scores, y, higher_is_riskier, sample_weight, owner)
    # Safest first: descending points, or ascending PDs.
    safety = s if higher_is_riskier else -s
    values, inverse = np.unique(safety, return_inverse=True)
    n = np.bincount(inverse, weights=w)
    bads = np.bincount(inverse, weights=w * y_arr)
    rows = np.bincount(inverse)
    cum_n, cum_bads, cum_rows = np.cumsum(n), np.cumsum(bads), np.cumsum(rows)
    total_n, total_bads = cum_n[-1], cum_bads[-1]
    approval = cum_n / total_n
    with np.errstate(divide="ignore", invalid="ignore"):
        bad_rate = np.where(cum_n > 0, cum_bads / cum_n, np.nan)
    cutoffs = values if higher_is_riskier else -values

    def fmt(value: float) -> str:
        return f"{float(value) + 0.0:g}"

    if target_bad_rate is not None:
        feasible = np.flatnonzero(bad_rate <= target + _TOL)
        if len(feasible) == 0:
            best = int(np.nanargmin(bad_rate))
            raise InputError(
                f"{owner}: target_bad_rate={target} cannot be met: the lowest bad rate "
                f"among approved applicants is {bad_rate[best]:.4g} (cut-off "
                f"{fmt(cutoffs[best])}, approving {approval[best]:.2%}). Raise the "
                "target, or review the score: even its safest applicants are too bad."
            )
    else:
        feasible = np.flatnonzero(approval <= target + _TOL)
        if len(feasible) == 0:
            raise InputError(
                f"{owner}: target_approval_rate={target} cannot be met without "
                f"splitting tied scores: the smallest approval rate is "
                f"{approval[0]:.4g} (cut-off {fmt(cutoffs[0])}). Raise the target."
            )
    k = int(feasible[-1])
    return CutoffResult(
        cutoff=float(cutoffs[k]) + 0.0,
        approval_rate=float(approval[k]),
        bad_rate=float(bad_rate[k]),
        bads_rejected_share=float((total_bads - cum_bads[k]) / total_bads),
        n_approved=int(cum_rows[k]),
        higher_is_riskier=higher_is_riskier,
    )
