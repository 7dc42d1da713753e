"""Sorted cumulative counts and Clopper-Pearson bounds for threshold search (private).

Every candidate threshold is a cut between two *distinct* score values, so tied scores
are always flagged together. Scores are first oriented so that a higher ``risk`` is
riskier (``risk = score`` when ``higher_is_riskier``, else ``-score``); flagging the
top ``k`` distinct risk values is candidate ``k`` (``k = 0`` flags nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import betainc, betaincinv

__all__: list[str] = []


@dataclass(frozen=True)
class Cumulative:
    """Cumulative (weighted) counts over candidates ``k = 0 .. G``.

    Arrays have length ``G + 1``; entry ``k`` describes flagging the ``k`` riskiest
    distinct score values. ``values`` holds the ``G`` distinct oriented risk values in
    decreasing order.
    """

    values: np.ndarray
    n: np.ndarray  # flagged weight
    n2: np.ndarray  # flagged sum of squared weights
    bads: np.ndarray  # flagged bad weight
    bads2: np.ndarray  # flagged sum of squared bad weights
    rows: np.ndarray  # flagged rows (unweighted)
    extra: dict[str, np.ndarray]  # further cumulative sums (cost terms)


def cumulate(
    risk: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    extra: dict[str, np.ndarray] | None = None,
) -> Cumulative:
    """One sort, then cumulative sums at the end of each group of tied values."""
    if not extra and bool(np.all(w == 1.0)):
        return _cumulate_unweighted(risk, y)
    order = np.argsort(-risk, kind="stable")
    r = risk[order]
    ws = w[order]
    ys = y[order].astype(float)
    ends = np.flatnonzero(np.r_[r[1:] != r[:-1], True])
    wb = ws * ys

    def csum(a: np.ndarray) -> np.ndarray:
        return np.asarray(np.r_[0.0, np.cumsum(a)[ends]], dtype=float)

    rows = np.r_[0, ends + 1].astype(np.int64)
    extras = {k: csum(v[order]) for k, v in (extra or {}).items()}
    return Cumulative(
        values=r[ends],
        n=csum(ws),
        n2=csum(ws * ws),
        bads=csum(wb),
        bads2=csum(wb * ws),
        rows=rows,
        extra=extras,
    )


def _cumulate_unweighted(risk: np.ndarray, y: np.ndarray) -> Cumulative:
    """Unit weights: a plain sort with counts (no argsort, no gathers)."""
    values, counts = np.unique(risk, return_counts=True)
    bad_values, bad_counts = np.unique(risk[y == 1], return_counts=True)
    bads = np.zeros(len(values))
    bads[np.searchsorted(values, bad_values)] = bad_counts
    n = np.r_[0.0, np.cumsum(counts[::-1], dtype=float)]
    b = np.r_[0.0, np.cumsum(bads[::-1])]
    return Cumulative(
        values=values[::-1],
        n=n,
        n2=n,
        bads=b,
        bads2=b,
        rows=n.astype(np.int64),
        extra={},
    )


def effective(x: Any, n: Any, n2: Any) -> tuple[np.ndarray, np.ndarray]:
    """Effective successes and trials of a weighted proportion (Kish).

    With unit weights these are exactly ``x`` and ``n``.
    """
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    n2 = np.asarray(n2, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n2 > 0, n / n2, 0.0)
    return x * scale, n * scale


def cp_lower(x: Any, n: Any, confidence: float) -> np.ndarray:
    """One-sided Clopper-Pearson lower bound of a proportion ``x / n``.

    ``beta.ppf(1 - confidence, x, n - x + 1)``; 0 when ``x = 0``, NaN when ``n = 0``.
    """
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    alpha = 1.0 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        out = betaincinv(
            np.where(x > 0, x, 1.0), np.maximum(n - x + 1.0, 1e-300), alpha
        )
    out = np.where(x > 0, out, 0.0)
    return np.asarray(np.where(n > 0, out, np.nan), dtype=float)


def cp_upper(x: Any, n: Any, confidence: float) -> np.ndarray:
    """One-sided Clopper-Pearson upper bound: ``beta.ppf(confidence, x + 1, n - x)``."""
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = betaincinv(x + 1.0, np.where(n - x > 0, n - x, 1.0), confidence)
    out = np.where(n - x > 0, out, 1.0)
    return np.asarray(np.where(n > 0, out, np.nan), dtype=float)


def cp_lower_meets(
    x: np.ndarray, n: np.ndarray, target: float, confidence: float
) -> np.ndarray:
    """Whether the one-sided lower bound is >= ``target``, without inverting.

    ``lower >= target`` iff ``P(Beta(x, n - x + 1) <= target) <= 1 - confidence``,
    and the regularised incomplete beta function is much cheaper than its inverse.
    """
    ok = (x > 0) & (n > 0)
    out = np.zeros(x.shape, dtype=bool)
    if target <= 0.0:
        return np.asarray(n > 0)
    xs, ns = x[ok], n[ok]
    out[ok] = betainc(xs, ns - xs + 1.0, target) <= 1.0 - confidence
    return np.asarray(out, dtype=bool)


def cut_between(higher: float, lower: float) -> float:
    """A threshold strictly below ``higher`` and at or above ``lower`` (risk scale).

    Flagging is ``risk > cut``: ``higher`` is flagged and ``lower`` is not.
    """
    mid = lower + (higher - lower) / 2.0
    if not lower <= mid < higher:
        mid = lower
    return float(mid)
