"""Input checks for score-based metrics (private).

These wrap :mod:`loanrisk._checks` for the shapes metrics take: a target ``y`` and one
or two score vectors of the same length, or default counts and a PD.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import pandas as pd

from loanrisk._checks import _bad_rows, check_sample_weight, check_target
from loanrisk.errors import InputError

__all__: list[str] = []


def _labels(values: Any, n: int) -> pd.Index:
    if isinstance(values, pd.Series | pd.DataFrame):
        return values.index
    return pd.RangeIndex(n)


def as_vector(values: Any, *, name: str, owner: str) -> tuple[np.ndarray, pd.Index]:
    """Return ``values`` as a 1-D float array with its index labels (for messages)."""
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise InputError(
                f"{owner} expects {name} as one column of numbers; got a DataFrame "
                f"with {values.shape[1]} columns. Pass a single column, e.g. "
                f"df['{name}']."
            )
        values = values.iloc[:, 0]
    index = values.index if isinstance(values, pd.Series) else None
    raw = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
    if raw.ndim != 1:
        raise InputError(
            f"{owner} expects {name} as a 1-D array; got shape {raw.shape}. Pass one "
            "value per row."
        )
    if raw.dtype == bool or not (
        pd.api.types.is_numeric_dtype(raw.dtype) or raw.dtype == object
    ):
        raise InputError(
            f"{owner} expects {name} to be numeric; got dtype {raw.dtype}. Convert it "
            f"first, e.g. pd.to_numeric({name})."
        )
    try:
        arr = np.asarray(
            pd.Series(raw).to_numpy(dtype=float, na_value=np.nan), dtype=float
        )
    except (TypeError, ValueError):
        raise InputError(
            f"{owner} expects {name} to be numeric; some values cannot be read as "
            f"numbers. Convert it first, e.g. pd.to_numeric({name})."
        ) from None
    labels = index if index is not None else pd.RangeIndex(len(arr))
    return arr, labels


def check_scores(
    score: Any, *, name: str, owner: str, n_rows: int | None = None
) -> np.ndarray:
    """Validate a score vector: 1-D, numeric, finite, matching ``n_rows``."""
    arr, labels = as_vector(score, name=name, owner=owner)
    if n_rows is not None and len(arr) != n_rows:
        raise InputError(
            f"{owner}: {name} has {len(arr)} values but y has {n_rows}. Pass one "
            f"{name} value per row of y."
        )
    if len(arr) == 0:
        raise InputError(f"{owner}: {name} is empty. Pass at least one value.")
    bad = ~np.isfinite(arr)
    if bad.any():
        n, where = _bad_rows(labels, bad)
        raise InputError(
            f"{owner}: {name} has {n} missing or infinite value(s) (index labels "
            f"{where}). Scores must be finite: score those rows or drop them "
            "together with their y."
        )
    return arr


def check_pd(
    pd_: Any, *, name: str, owner: str, n_rows: int | None = None
) -> np.ndarray:
    """Validate a vector of probabilities of default (finite, within [0, 1])."""
    arr = check_scores(pd_, name=name, owner=owner, n_rows=n_rows)
    bad = (arr < 0) | (arr > 1)
    if bad.any():
        n, where = _bad_rows(_labels(pd_, len(arr)), bad)
        raise InputError(
            f"{owner}: {name} has {n} value(s) outside [0, 1] (index labels {where}). "
            f"{name} must be probabilities of default; if these are scorecard points, "
            "convert them to PDs first."
        )
    return arr


def check_y_score(
    y: Any,
    score: Any,
    *,
    owner: str,
    score_name: str = "score",
    require_both: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Validate ``y`` (0/1) and a score of the same length."""
    if require_both:
        try:
            y_arr = check_target(y, owner=owner, name="y", require_both=True)
        except InputError as exc:
            if "holds only" in str(exc):
                raise InputError(
                    f"{exc} {owner} is undefined with one class: y must hold both 0 "
                    "(good) and 1 (bad)."
                ) from None
            raise
    else:
        y_arr = check_target(y, owner=owner, name="y", require_both=False)
    s = check_scores(score, name=score_name, owner=owner, n_rows=len(y_arr))
    return y_arr, s


def check_weights(sample_weight: Any, n_rows: int, *, owner: str) -> np.ndarray | None:
    """Validate optional sample weights; ``None`` stays ``None`` (unweighted path)."""
    if sample_weight is None:
        return None
    return check_sample_weight(sample_weight, n_rows, owner=owner)


def check_count(value: Any, *, name: str, owner: str, low: int = 0) -> int:
    """Validate a count (an integer >= ``low``)."""
    if (
        not isinstance(value, numbers.Integral)
        or isinstance(value, bool)
        or value < low
    ):
        raise InputError(
            f"{owner}: {name} must be an integer >= {low} (a number of obligors). "
            f"Got {value!r}."
        )
    return int(value)


def check_probability(value: Any, *, name: str, owner: str) -> float:
    """Validate a scalar probability in [0, 1]."""
    if (
        not isinstance(value, numbers.Real)
        or isinstance(value, bool)
        or not np.isfinite(float(value))
        or not 0.0 <= float(value) <= 1.0
    ):
        raise InputError(
            f"{owner}: {name} must be a probability of default in [0, 1]. Got "
            f"{value!r}; pass the grade's average PD as a fraction, e.g. 0.02 for 2%."
        )
    return float(value)


def check_level(value: Any, *, name: str, owner: str) -> float:
    """Validate a confidence level or significance level strictly inside (0, 1)."""
    if (
        not isinstance(value, numbers.Real)
        or isinstance(value, bool)
        or not 0.0 < float(value) < 1.0
    ):
        raise InputError(
            f"{owner}: {name} must be a number strictly between 0 and 1. Got {value!r}."
        )
    return float(value)
