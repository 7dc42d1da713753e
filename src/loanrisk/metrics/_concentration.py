"""Concentration and migration: Herfindahl index, migration matrix (private)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from loanrisk._checks import _bad_rows
from loanrisk.errors import InputError
from loanrisk.metrics._inputs import check_weights

__all__ = ["hhi", "migration_matrix"]


def _grades(values: Any, *, name: str, owner: str) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        raise InputError(
            f"{owner} expects {name} as one column of grade labels; got a DataFrame. "
            f"Pass a single column, e.g. df['grade']."
        )
    if isinstance(values, pd.Series):
        s = values
    elif isinstance(values, np.ndarray) and values.ndim == 1:
        s = pd.Series(values)
    else:
        s = pd.Series(list(values), dtype=object)
    if s.ndim != 1 or len(s) == 0:
        raise InputError(f"{owner}: {name} is empty. Pass one grade label per obligor.")
    missing = s.isna().to_numpy()
    if missing.any():
        n, labels = _bad_rows(s.index, missing)
        raise InputError(
            f"{owner}: {name} has {n} missing grade(s) (index labels {labels}). Give "
            "every obligor a grade, or drop those rows (from both dates for a "
            "migration matrix)."
        )
    return s


def hhi(grades: Any, *, sample_weight: Any = None) -> float:
    """Herfindahl-Hirschman index of the distribution over rating grades.

    Parameters
    ----------
    grades : array-like
        Grade label of each obligor (or exposure).
    sample_weight : array-like of float, optional
        Non-negative weight per row, e.g. exposure at default for an
        exposure-weighted index.

    Returns
    -------
    float
        HHI = sum_k s_k² in [1/K, 1] for K occupied grades; 1 means everything in one
        grade.

    Notes
    -----
    s_k is the (weighted) share of grade k. The ECB reporting instructions (February
    2019, section 2.5, "Probability of default") monitor this concentration against
    its value at initial validation.

    Examples
    --------
    >>> from loanrisk.metrics import hhi
    >>> hhi(["A", "A", "B", "C"])
    0.375
    >>> hhi(["A", "B"], sample_weight=[3.0, 1.0])
    0.625
    """
    s = _grades(grades, name="grades", owner="hhi")
    w = check_weights(sample_weight, len(s), owner="hhi")
    codes, _ = pd.factorize(s)
    totals = np.bincount(codes, weights=w)
    shares = totals / totals.sum()
    return float(np.sum(shares**2))


def migration_matrix(
    grades_before: Any,
    grades_after: Any,
    *,
    grades: Sequence[Any] | None = None,
    normalize: bool = False,
) -> pd.DataFrame:
    """Migration matrix of obligors between two dates.

    Parameters
    ----------
    grades_before, grades_after : array-like
        Grade of each obligor at the first and second date, aligned row by row (same
        length; Series must share the same index).
    grades : sequence, optional
        The grade order (best to worst), used for both rows and columns, so grades
        nobody occupies still appear. Default: an ordered Categorical's categories,
        otherwise the sorted labels seen at either date.
    normalize : bool, default False
        False: counts. True: each row divided by its total (migration rates; a grade
        with no obligors at the first date gives a row of NaN).

    Returns
    -------
    DataFrame
        Rows: grade at the first date (index name "before"); columns: grade at the
        second date ("after").

    Examples
    --------
    >>> from loanrisk.metrics import migration_matrix
    >>> migration_matrix(["A", "A", "B", "B"], ["A", "B", "B", "C"])
    after   A  B  C
    before
    A       1  1  0
    B       0  1  1
    C       0  0  0
    """
    owner = "migration_matrix"
    before = _grades(grades_before, name="grades_before", owner=owner)
    after = _grades(grades_after, name="grades_after", owner=owner)
    if len(before) != len(after):
        raise InputError(
            f"{owner}: grades_before has {len(before)} rows but grades_after has "
            f"{len(after)}. Pass the grades of the same obligors at both dates."
        )
    if (
        isinstance(grades_before, pd.Series)
        and isinstance(grades_after, pd.Series)
        and not before.index.equals(after.index)
    ):
        raise InputError(
            f"{owner}: grades_before and grades_after have different indexes. "
            "Align them on the obligor id first, e.g. "
            "grades_after.reindex(grades_before.index)."
        )
    if not isinstance(normalize, bool):
        raise InputError(
            f"{owner}: normalize must be True or False. Got {normalize!r}."
        )
    b_vals = before.to_numpy(dtype=object)
    a_vals = after.to_numpy(dtype=object)
    if grades is not None:
        order = list(grades)
        if len(set(order)) != len(order):
            raise InputError(f"{owner}: grades has duplicated labels: {order}.")
        known = set(order)
        unknown = sorted(
            {repr(v) for v in np.concatenate([b_vals, a_vals]) if v not in known}
        )
        if unknown:
            raise InputError(
                f"{owner}: labels {', '.join(unknown[:5])} are not in grades. Add them "
                "to grades (best to worst), or fix the labels."
            )
    elif isinstance(before.dtype, pd.CategoricalDtype) and before.dtype.ordered:
        order = list(before.dtype.categories)
    else:
        try:
            order = sorted(set(b_vals) | set(a_vals))
        except TypeError:
            raise InputError(
                f"{owner}: grade labels of different types cannot be ordered. Pass "
                "grades=[...] with the order from best to worst."
            ) from None
    idx = pd.Index(order)
    b_codes = idx.get_indexer(b_vals)
    a_codes = idx.get_indexer(a_vals)
    k = len(order)
    counts = np.bincount(b_codes * k + a_codes, minlength=k * k).reshape(k, k)
    out = pd.DataFrame(
        counts,
        index=pd.Index(order, name="before"),
        columns=pd.Index(order, name="after"),
    )
    if normalize:
        totals = counts.sum(axis=1, keepdims=True).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            rates = np.where(
                totals > 0, counts / np.where(totals > 0, totals, 1), np.nan
            )
        out = pd.DataFrame(rates, index=out.index, columns=out.columns)
    return out
