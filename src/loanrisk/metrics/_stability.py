"""Stability: population and characteristic stability indices (private).

Bins are frozen on the expected (development) sample and recorded in the result, so a
validator can rerun the same computation on another sample by passing them back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from loanrisk._checks import check_frame
from loanrisk.errors import InputError
from loanrisk.metrics._inputs import as_vector, check_scores
from loanrisk.metrics._result import Result, to_frame

__all__ = ["PSIResult", "csi", "psi"]

_THRESHOLDS = (0.10, 0.25)
_EPSILON = 1e-4
_MISSING = "missing"
_UNSEEN = "(unseen)"
_FEW_EDGES = 32


def _check_thresholds(thresholds: Any, owner: str) -> tuple[float, float]:
    ok = (
        isinstance(thresholds, tuple | list)
        and len(thresholds) == 2
        and all(isinstance(t, int | float) for t in thresholds)
        and 0 < thresholds[0] < thresholds[1]
    )
    if not ok:
        raise InputError(
            f"{owner}: thresholds must be two increasing positive numbers (yellow, "
            f"red), e.g. (0.10, 0.25). Got {thresholds!r}."
        )
    return float(thresholds[0]), float(thresholds[1])


def _check_epsilon(epsilon: Any, owner: str) -> float:
    if (
        not isinstance(epsilon, int | float)
        or isinstance(epsilon, bool)
        or not 0 < epsilon < 1
    ):
        raise InputError(
            f"{owner}: epsilon (the floor for empty-bin shares) must be a number "
            f"strictly between 0 and 1, e.g. 1e-4. Got {epsilon!r}."
        )
    return float(epsilon)


def _verdict(value: float, thresholds: tuple[float, float]) -> str:
    if value >= thresholds[1]:
        return "red"
    if value >= thresholds[0]:
        return "yellow"
    return "green"


def _edges(expected: np.ndarray, bins: Any, owner: str, name: str) -> np.ndarray:
    """Interior cut points: quantiles of `expected` or the explicit edges given."""
    if isinstance(bins, int | np.integer) and not isinstance(bins, bool):
        if bins < 1:
            raise InputError(
                f"{owner}: {name} must be a positive number of quantile bins or a "
                f"list of bin edges. Got {bins}."
            )
        qs = np.linspace(0.0, 1.0, int(bins) + 1)[1:-1]
        if len(qs) == 0:
            return np.empty(0)
        return np.asarray(np.unique(np.quantile(expected, qs)), dtype=float)
    try:
        edges = np.asarray(bins, dtype=float)
    except (TypeError, ValueError):
        edges = np.empty((0, 0))
    if edges.ndim != 1 or np.isnan(edges).any() or np.any(np.diff(edges) <= 0):
        raise InputError(
            f"{owner}: {name} must be a positive int (number of quantile bins) or a "
            f"strictly increasing list of bin edges. Got {bins!r}."
        )
    finite: np.ndarray = edges[np.isfinite(edges)]
    return finite


def _bin_counts(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Rows per right-closed bin (-inf, e0], (e0, e1], ..., (e_last, inf)."""
    if len(edges) <= _FEW_EDGES:
        # One vectorised comparison per edge beats a binary search per value.
        at_or_below = [np.count_nonzero(values <= e) for e in edges]
        cum = np.array([0, *at_or_below, len(values)], dtype=np.int64)
        return np.diff(cum)
    codes = np.searchsorted(edges, values, side="left")
    return np.bincount(codes, minlength=len(edges) + 1)


def _interval_labels(edges: np.ndarray) -> list[str]:
    bounds = np.concatenate(([-np.inf], edges, [np.inf]))
    return [f"({bounds[i]:.6g}, {bounds[i + 1]:.6g}]" for i in range(len(bounds) - 1)]


def _index(
    e_counts: np.ndarray, a_counts: np.ndarray, epsilon: float
) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """PSI from bin counts: returns (psi, expected share, actual share, terms)."""
    e_share = e_counts / e_counts.sum()
    a_share = a_counts / a_counts.sum()
    e_floor = np.maximum(e_share, epsilon)
    a_floor = np.maximum(a_share, epsilon)
    terms = (a_floor - e_floor) * np.log(a_floor / e_floor)
    return float(terms.sum()), e_share, a_share, terms


@dataclass(frozen=True, repr=False)
class PSIResult(Result):
    """Population stability index with the bins it used.

    Attributes
    ----------
    statistic : float
        The PSI (>= 0).
    pvalue : None
        PSI has no p-value; kept so every result has the same fields.
    threshold : tuple of float
        (yellow, red) thresholds, by default (0.10, 0.25).
    verdict : str
        "green" (PSI < yellow), "yellow" (yellow <= PSI < red) or "red".
    edges : tuple of float
        Interior cut points frozen on `expected`; bins are (-inf, e0], (e0, e1], ...,
        (e_last, inf). Pass them back as ``bins=result.edges`` to rerun.
    expected_count, actual_count : tuple of int
        Rows per bin.
    expected_share, actual_share : tuple of float
        Shares per bin (before the epsilon floor).
    contribution : tuple of float
        Each bin's term of the sum.
    epsilon : float
        Floor applied to shares before the formula.
    """

    _repr_fields = ("statistic", "threshold", "verdict", "edges")

    statistic: float
    pvalue: None
    threshold: tuple[float, float]
    verdict: str
    edges: tuple[float, ...]
    expected_count: tuple[int, ...]
    actual_count: tuple[int, ...]
    expected_share: tuple[float, ...]
    actual_share: tuple[float, ...]
    contribution: tuple[float, ...]
    epsilon: float

    def table(self) -> pd.DataFrame:
        """Counts, shares and contributions per bin, one row per bin."""
        labels = _interval_labels(np.asarray(self.edges, dtype=float))
        return to_frame(
            {
                "expected_count": self.expected_count,
                "actual_count": self.actual_count,
                "expected_share": self.expected_share,
                "actual_share": self.actual_share,
                "contribution": self.contribution,
            },
            index=pd.Index(labels, name="bin"),
        )


def psi(
    expected: Any,
    actual: Any,
    bins: Any = 10,
    *,
    epsilon: float = _EPSILON,
    thresholds: tuple[float, float] = _THRESHOLDS,
) -> PSIResult:
    """Population stability index of `actual` against `expected`.

    Parameters
    ----------
    expected : array-like of float
        The reference sample (e.g. development scores). Finite values.
    actual : array-like of float
        The sample to compare (e.g. current scores). Finite values.
    bins : int or sequence of float, default 10
        An int: that many quantile bins of `expected` (equal quantile cut points
        that coincide because of ties are merged, so there may be fewer bins). A
        sequence: strictly increasing cut points; the outer bins always extend to
        -inf and +inf so no value is dropped.
    epsilon : float, default 1e-4
        Small-count rule: bin shares below `epsilon` (including empty bins) are raised
        to `epsilon` before the formula, so an empty bin adds a large but finite term.
    thresholds : (float, float), default (0.10, 0.25)
        Verdict thresholds: green below the first, yellow up to the second, red from
        the second on.

    Returns
    -------
    PSIResult
        The index, verdict, frozen cut points and per-bin shares.

    Notes
    -----
    PSI = sum_i (a_i - e_i) ln(a_i / e_i), with e_i and a_i the shares of `expected`
    and `actual` in bin i (after the epsilon floor). Bins are right-closed intervals
    (e_{i-1}, e_i]. Identical samples give exactly 0. The 0.10 / 0.25 rule of thumb
    is from Siddiqi (2006), Credit Risk Scorecards, chapter 8.

    Examples
    --------
    >>> import numpy as np
    >>> from loanrisk.metrics import psi
    >>> dev = np.arange(100.0)
    >>> psi(dev, dev).statistic
    0.0
    >>> res = psi(dev, dev + 20, bins=4)
    >>> res.edges, round(res.statistic, 4), res.verdict
    ((24.75, 49.5, 74.25), 0.4394, 'red')
    """
    owner = "psi"
    e = check_scores(expected, name="expected", owner=owner)
    a = check_scores(actual, name="actual", owner=owner)
    eps = _check_epsilon(epsilon, owner)
    levels = _check_thresholds(thresholds, owner)
    edges = _edges(e, bins, owner, "bins")
    e_counts = _bin_counts(e, edges)
    a_counts = _bin_counts(a, edges)
    value, e_share, a_share, terms = _index(e_counts, a_counts, eps)
    return PSIResult(
        statistic=value,
        pvalue=None,
        threshold=levels,
        verdict=_verdict(value, levels),
        edges=tuple(float(x) for x in edges),
        expected_count=tuple(int(c) for c in e_counts),
        actual_count=tuple(int(c) for c in a_counts),
        expected_share=tuple(float(x) for x in e_share),
        actual_share=tuple(float(x) for x in a_share),
        contribution=tuple(float(x) for x in terms),
        epsilon=eps,
    )


def _is_numeric(s: pd.Series) -> bool:
    return bool(
        pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s)
    )


def _numeric_csi(
    e_col: pd.Series, a_col: pd.Series, bins: Any, eps: float, name: str
) -> tuple[float, int, tuple[Any, ...]]:
    e, _ = as_vector(e_col, name=name, owner="csi")
    a, _ = as_vector(a_col, name=name, owner="csi")
    e_miss, a_miss = np.isnan(e), np.isnan(a)
    e_ok = e[~e_miss]
    if len(e_ok) == 0:
        raise InputError(
            f"csi: column {name!r} of expected is entirely missing; there is nothing "
            "to freeze bins on. Drop the column or fill it."
        )
    edges = _edges(e_ok, bins, "csi", f"bins for {name!r}")
    e_counts = _bin_counts(e_ok, edges)
    a_counts = _bin_counts(a[~a_miss], edges)
    if e_miss.any() or a_miss.any():
        e_counts = np.append(e_counts, np.count_nonzero(e_miss))
        a_counts = np.append(a_counts, np.count_nonzero(a_miss))
    value = _index(e_counts, a_counts, eps)[0]
    return value, len(e_counts), tuple(float(x) for x in edges)


def _categorical_csi(
    e_col: pd.Series, a_col: pd.Series, eps: float
) -> tuple[float, int, tuple[Any, ...]]:
    e_codes, cats = pd.factorize(e_col, use_na_sentinel=True, sort=True)
    categories = list(cats)
    k = len(categories)
    a_codes = pd.Index(categories).get_indexer(a_col)
    a_missing = a_col.isna().to_numpy()
    a_unseen = (a_codes == -1) & ~a_missing
    e_counts = np.bincount(e_codes[e_codes >= 0], minlength=k)
    a_counts = np.bincount(a_codes[a_codes >= 0], minlength=k)
    labels: list[Any] = [
        c.item() if isinstance(c, np.generic) else c for c in categories
    ]
    e_miss = int(np.count_nonzero(e_codes < 0))
    a_miss = int(np.count_nonzero(a_missing))
    if e_miss or a_miss:
        e_counts = np.append(e_counts, e_miss)
        a_counts = np.append(a_counts, a_miss)
        labels.append(_MISSING)
    if a_unseen.any():
        e_counts = np.append(e_counts, 0)
        a_counts = np.append(a_counts, np.count_nonzero(a_unseen))
        labels.append(_UNSEEN)
    value = _index(e_counts, a_counts, eps)[0]
    return value, len(e_counts), tuple(labels)


def csi(
    expected: pd.DataFrame,
    actual: pd.DataFrame,
    bins: int | Mapping[str, Any] = 10,
    *,
    columns: list[str] | None = None,
    epsilon: float = _EPSILON,
    thresholds: tuple[float, float] = _THRESHOLDS,
) -> pd.DataFrame:
    """Characteristic stability index of each feature, on bins frozen on `expected`.

    Parameters
    ----------
    expected : DataFrame
        Reference sample (e.g. development), one column per feature.
    actual : DataFrame
        Sample to compare; must have the same columns (extra columns are ignored).
    bins : int or mapping, default 10
        Quantile bins per numeric feature, or a mapping from column name to an int or
        explicit cut points (e.g. the ``bins`` column of an earlier result); columns
        absent from the mapping get 10 quantile bins. Categorical features are always
        binned by category.
    columns : list of str, optional
        Features to compare; default all columns of `expected`.
    epsilon : float, default 1e-4
        Small-count floor on bin shares, as in :func:`psi`.
    thresholds : (float, float), default (0.10, 0.25)
        Verdict thresholds, as in :func:`psi`.

    Returns
    -------
    DataFrame
        Indexed by feature, with columns ``kind`` ("numeric" or "categorical"),
        ``csi``, ``verdict`` (green/yellow/red), ``n_bins`` and ``bins`` (the numeric
        cut points, or the categories, as a tuple).

    Notes
    -----
    For each feature CSI = sum_i (a_i - e_i) ln(a_i / e_i), exactly :func:`psi` on the
    feature's bins. Numeric features (bool excluded) use quantile cut points of
    `expected`. Other dtypes are categorical: one bin per category of `expected`
    (sorted). Missing values (NaN/None) form their own "missing" bin, and categories
    that appear only in `actual` share one "(unseen)" bin whose expected share is 0
    (floored at `epsilon`), so a new category raises the index instead of vanishing.

    Examples
    --------
    >>> import pandas as pd
    >>> from loanrisk.metrics import csi
    >>> dev = pd.DataFrame({"age": range(100), "home": ["own", "rent"] * 50})
    >>> cur = pd.DataFrame({"age": range(100), "home": ["own"] * 70 + ["rent"] * 30})
    >>> out = csi(dev, cur, bins=4)
    >>> out[["kind", "csi", "verdict"]].round(4)
                 kind     csi verdict
    feature
    age       numeric  0.0000   green
    home  categorical  0.1695   yellow
    """
    owner = "csi"
    e_frame = check_frame(expected, owner=owner, name="expected")
    cols = list(e_frame.columns) if columns is None else list(columns)
    e_frame = check_frame(expected, owner=owner, name="expected", columns=cols)
    a_frame = check_frame(actual, owner=owner, name="actual", columns=cols)
    eps = _check_epsilon(epsilon, owner)
    levels = _check_thresholds(thresholds, owner)
    if not isinstance(bins, Mapping) and not (
        isinstance(bins, int | np.integer) and not isinstance(bins, bool)
    ):
        raise InputError(
            f"csi: bins must be an int or a mapping from column to an int or cut "
            f"points. Got {type(bins).__name__}."
        )
    rows = []
    for col in cols:
        e_col, a_col = e_frame[col], a_frame[col]
        numeric = _is_numeric(e_col)
        if numeric != _is_numeric(a_col):
            raise InputError(
                f"csi: column {col!r} is {'numeric' if numeric else 'not numeric'} "
                f"in expected ({e_col.dtype}) but {a_col.dtype} in actual. Give it "
                "the same type in both frames."
            )
        if numeric:
            col_bins = bins.get(col, 10) if isinstance(bins, Mapping) else bins
            value, n_bins, recorded = _numeric_csi(e_col, a_col, col_bins, eps, col)
        else:
            value, n_bins, recorded = _categorical_csi(e_col, a_col, eps)
        rows.append(
            {
                "kind": "numeric" if numeric else "categorical",
                "csi": value,
                "verdict": _verdict(value, levels),
                "n_bins": n_bins,
                "bins": recorded,
            }
        )
    out = pd.DataFrame(rows, index=pd.Index(cols, name="feature"))
    return out
