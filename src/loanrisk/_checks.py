"""Input checks shared by every loanrisk estimator and function.

Nothing here coerces, drops or guesses: each check either returns the validated input
(converted only where the conversion is lossless and documented) or raises
:class:`~loanrisk.errors.InputError` with a message naming the argument, column and
first offending index labels, and how to fix it.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from loanrisk.errors import InputError, NotFittedError

__all__: list[str] = []

_MAX_LABELS = 3


def owner_name(owner: object | None) -> str:
    """Name used in messages for the estimator or function that checks the input."""
    if owner is None:
        return "loanrisk"
    if isinstance(owner, str):
        return owner
    return type(owner).__name__


def format_labels(labels: Iterable[object], total: int | None = None) -> str:
    """Format the first few index labels of offending rows: ``17, 45, 230, ...``."""
    shown: list[str] = []
    for i, label in enumerate(labels):
        if i == _MAX_LABELS:
            shown.append("...")
            break
        shown.append(repr(label) if isinstance(label, str) else str(label))
    text = ", ".join(shown)
    if total is not None and total > _MAX_LABELS:
        text = text if text.endswith("...") else text + ", ..."
    return text


def _bad_rows(index: pd.Index, mask: np.ndarray) -> tuple[int, str]:
    count = int(np.count_nonzero(mask))
    return count, format_labels(index[mask][: _MAX_LABELS + 1], count)


def check_frame(
    X: Any,
    *,
    owner: object | None = None,
    name: str = "X",
    columns: Sequence[str] | None = None,
    allow_empty: bool = False,
    allow_inf: bool = False,
) -> pd.DataFrame:
    """Validate a table of features and return it as a DataFrame.

    A DataFrame is returned as is (never modified). A 2-D numpy array or list of rows
    is wrapped in a DataFrame with columns ``x0, x1, ...``. A mapping of column names to
    values (one record) is accepted as a one-row frame.

    Parameters
    ----------
    X : DataFrame, ndarray, list of rows or mapping
        The input.
    owner : object, optional
        The estimator or function name used in messages.
    name : str
        The argument name used in messages.
    columns : sequence of str, optional
        Columns that must be present (extra columns are allowed and ignored by callers).
    allow_empty : bool
        Whether zero rows are accepted.
    allow_inf : bool
        Whether +/-inf in numeric columns is accepted.
    """
    who = owner_name(owner)
    if isinstance(X, pd.DataFrame):
        frame = X
    elif isinstance(X, pd.Series):
        raise InputError(
            f"{who} expects {name} as a DataFrame with one column per feature; got a "
            f"Series. Use {name}.to_frame() for a single feature, or pass the full "
            "table."
        )
    elif isinstance(X, dict):
        frame = pd.DataFrame({k: [v] for k, v in X.items()})
    elif hasattr(X, "tocsr") or (
        type(X).__name__.endswith(("_matrix", "_array")) and (hasattr(X, "nnz"))
    ):
        raise InputError(
            f"{who} does not accept sparse input for {name}: sparse input is not "
            "supported. Pass a dense DataFrame, e.g. pd.DataFrame(X.toarray())."
        )
    elif isinstance(X, np.ndarray | list | tuple) or hasattr(X, "__array__"):
        arr = np.asarray(X)
        if np.iscomplexobj(arr):
            raise InputError(
                f"{who}: Complex data not supported in {name}. Pass real numbers."
            )
        if arr.ndim != 2:
            raise InputError(
                f"{who} expects {name} as a 2-D table (rows x features); got an array "
                f"with {arr.ndim} dimension(s). Reshape it, e.g. {name}.reshape(-1, 1) "
                "for a single feature."
            )
        frame = pd.DataFrame(arr, columns=[f"x{i}" for i in range(arr.shape[1])])
    else:
        raise InputError(
            f"{who} expects {name} as a pandas DataFrame; got {type(X).__name__}."
        )
    if not allow_empty and frame.shape[1] == 0:
        raise InputError(
            f"{who} got an empty {name}: 0 feature(s) (shape={frame.shape}) while a "
            "minimum of 1 is required. Pass at least one column."
        )
    if not allow_empty and frame.shape[0] == 0:
        raise InputError(
            f"{who} got an empty {name} (0 rows x {frame.shape[1]} columns): 0 "
            f"sample(s) (shape={frame.shape}) while a minimum of 1 is required. Pass "
            "at least one row."
        )
    if frame.columns.has_duplicates:
        dup = frame.columns[frame.columns.duplicated()].unique().tolist()
        raise InputError(
            f"{who}: {name} has duplicated column names {dup}. Rename them so each "
            "column name is unique."
        )
    if columns is not None:
        check_columns(frame, columns, owner=owner, name=name)
        to_check: Sequence[Any] = list(columns)
    else:
        to_check = list(frame.columns)
    if not allow_inf:
        for col in to_check:
            s = frame[col]
            if pd.api.types.is_float_dtype(s.dtype):
                mask = np.isinf(s.to_numpy(dtype=float, na_value=np.nan))
                if mask.any():
                    n, labels = _bad_rows(frame.index, mask)
                    raise InputError(
                        f"Column {col!r} of {name} has {n} infinite value(s) (index "
                        f"labels {labels}). {who} does not accept inf: replace them "
                        "with a finite value or NaN (missing)."
                    )
    return frame


def check_columns(
    X: pd.DataFrame,
    columns: Iterable[str],
    *,
    owner: object | None = None,
    name: str = "X",
) -> None:
    """Raise if any of ``columns`` is missing from ``X``."""
    present = set(X.columns)
    missing = [c for c in columns if c not in present]
    if missing:
        raise InputError(
            f"{owner_name(owner)}: {name} is missing the required column(s) "
            f"{missing}. Add them (extra columns are ignored)."
        )


def check_mixed_types(
    X: pd.DataFrame, columns: Iterable[str], *, owner: object | None = None
) -> None:
    """Raise if an object column mixes numbers and text."""
    for col in columns:
        s = X[col]
        if s.dtype != object:
            continue
        values = s.dropna()
        if values.empty:
            continue
        is_num = values.map(
            lambda v: isinstance(v, numbers.Number) and not isinstance(v, bool)
        ).to_numpy(dtype=bool)
        is_str = values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        if is_num.any() and is_str.any():
            n, labels = _bad_rows(values.index, is_str)
            raise InputError(
                f"Column {col!r} mixes numbers and text ({n} text value(s) at index "
                f"labels {labels}, e.g. {values[is_str].iloc[0]!r}). "
                f"{owner_name(owner)} cannot tell whether it is numeric or "
                f"categorical: convert it with pd.to_numeric(X[{col!r}]) or "
                f"X[{col!r}].astype(str)."
            )
        if not (is_num | is_str).all():
            other = values[~(is_num | is_str)].iloc[0]
            raise InputError(
                f"Column {col!r} holds values of type {type(other).__name__} (e.g. "
                f"{other!r}). {owner_name(owner)} accepts numbers or text: convert the "
                "column first."
            )


def check_target(
    y: Any,
    n_rows: int | None = None,
    *,
    owner: object | None = None,
    name: str = "y",
    index: pd.Index | None = None,
    require_both: bool = True,
) -> np.ndarray:
    """Validate a binary target (1 = bad, 0 = good) and return it as an int8 array."""
    who = owner_name(owner)
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise InputError(
                f"{who} expects {name} as one column of 0/1 values; got a DataFrame "
                f"with {y.shape[1]} columns. Pass the target column, e.g. df['bad']."
            )
        y = y.iloc[:, 0]
    if isinstance(y, pd.Series):
        labels_index = y.index
        values = y.to_numpy()
    else:
        values = np.asarray(y)
        labels_index = pd.RangeIndex(len(values))
        if values.ndim != 1:
            raise InputError(
                f"{who} expects {name} as a 1-D array of 0/1 values; got shape "
                f"{values.shape}."
            )
    if index is not None and len(index) == len(values) and not isinstance(y, pd.Series):
        labels_index = index
    if n_rows is not None and len(values) != n_rows:
        raise InputError(
            f"{who}: {name} has {len(values)} values but X has {n_rows} rows. Pass one "
            "target value per row of X."
        )
    if len(values) == 0:
        raise InputError(f"{who}: {name} is empty. Pass at least one target value.")
    if values.dtype == bool:
        values = values.astype(np.int8)
    if not (pd.api.types.is_numeric_dtype(values.dtype) or values.dtype == object):
        raise InputError(
            f"{who} expects {name} to hold 0 (good) and 1 (bad); got dtype "
            f"{values.dtype}. Map the labels first, e.g. (y == 'bad').astype(int)."
        )
    if np.iscomplexobj(values):
        raise InputError(f"{who}: Complex data not supported in {name}.")
    series = pd.Series(values, index=labels_index)
    missing = series.isna().to_numpy()
    if missing.any():
        n, labels = _bad_rows(labels_index, missing)
        raise InputError(
            f"{who}: {name} has {n} missing value(s) (index labels {labels}). Drop "
            "those rows or give them an outcome (0 = good, 1 = bad)."
        )
    valid = series.isin([0, 1]).to_numpy()
    if not valid.all():
        n, labels = _bad_rows(labels_index, ~valid)
        examples = sorted({repr(v) for v in series[~valid].iloc[:3]})
        kind = _target_kind(values)
        raise InputError(
            f"{who} expects {name} to hold only 0 (good) and 1 (bad). Only binary "
            f"classification is supported. The type of the target is {kind}; {n} "
            "value(s) "
            f"differ (index labels {labels}; values {', '.join(examples)}). Map "
            "the outcome to 0/1 first."
        )
    out = series.to_numpy().astype(np.int8)
    if require_both and (out.min() == out.max()):
        only = "bad (1)" if out[0] == 1 else "good (0)"
        raise InputError(
            f"{who}: {name} holds only one class, {only} outcomes. A model needs "
            "both goods and bads: use a longer window or a larger sample."
        )
    return out


def _target_kind(values: np.ndarray) -> str:
    """'continuous', 'multiclass' or another description of a non-0/1 target."""
    import warnings

    from sklearn.utils.multiclass import type_of_target

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return str(type_of_target(values))
    except ValueError:
        return "not a 0/1 label"


def check_sample_weight(
    sample_weight: Any,
    n_rows: int,
    *,
    owner: object | None = None,
    name: str = "sample_weight",
    index: pd.Index | None = None,
) -> np.ndarray:
    """Validate sample weights (finite, non-negative, positive sum); None -> ones."""
    who = owner_name(owner)
    if sample_weight is None:
        return np.ones(n_rows, dtype=float)
    w_index = sample_weight.index if isinstance(sample_weight, pd.Series) else None
    try:
        w = np.asarray(sample_weight, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"{who}: {name} must be numeric; converting it failed ({exc})."
        ) from None
    if w.ndim == 0:
        raise InputError(
            f"{who}: {name} must be one weight per row, got the scalar {w}. Pass an "
            f"array of length {n_rows}."
        )
    if w.ndim != 1 or len(w) != n_rows:
        raise InputError(
            f"{who}: {name} has shape {w.shape} but X has {n_rows} rows. Pass one "
            "weight per row."
        )
    labels_index = w_index if w_index is not None else index
    if labels_index is None or len(labels_index) != n_rows:
        labels_index = pd.RangeIndex(n_rows)
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        n, labels = _bad_rows(labels_index, bad)
        raise InputError(
            f"{who}: {name} has {n} negative, missing or infinite value(s) (index "
            f"labels {labels}). Weights must be finite and >= 0."
        )
    if w.sum() <= 0:
        raise InputError(
            f"{who}: {name} sums to 0 (every weight is zero). Give some rows a "
            "positive weight."
        )
    return w


def check_fitted(estimator: object, attribute: str | None = None) -> None:
    """Raise :class:`~loanrisk.errors.NotFittedError` if ``estimator`` is not fitted."""
    if attribute is not None:
        fitted = hasattr(estimator, attribute)
    else:
        fitted = any(
            k.endswith("_") and not k.startswith("__") for k in vars(estimator)
        )
    if not fitted:
        who = type(estimator).__name__
        raise NotFittedError(
            f"This {who} is not fitted yet. Call {who}.fit(X, y) first, or load a "
            "fitted model with loanrisk.load(path)."
        )


def check_number(
    value: Any,
    name: str,
    owner: object | None,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    integer: bool = False,
    allow_none: bool = False,
) -> None:
    """Validate a numeric parameter; InputError names it and the allowed range."""
    if value is None and allow_none:
        return
    kind = "an integer" if integer else "a number"
    ok_type = isinstance(value, numbers.Integral if integer else numbers.Real)
    ok_type = ok_type and not isinstance(value, bool)
    parts = []
    if low is not None:
        parts.append(f"{'>=' if low_inclusive else '>'} {low}")
    if high is not None:
        parts.append(f"{'<=' if high_inclusive else '<'} {high}")
    where = f" {' and '.join(parts)}" if parts else ""
    owner_txt = f" of {owner_name(owner)}" if owner is not None else ""
    message = (
        f"The {name!r} parameter{owner_txt} must be {kind}{where}"
        f"{' or None' if allow_none else ''}. Got {value!r}."
    )
    if not ok_type or (isinstance(value, float) and not np.isfinite(value)):
        raise InputError(message)
    if low is not None and (value < low or (value == low and not low_inclusive)):
        raise InputError(message)
    if high is not None and (value > high or (value == high and not high_inclusive)):
        raise InputError(message)


def check_option(
    value: Any, name: str, owner: object | None, options: Sequence[Any]
) -> None:
    """Validate that a parameter is one of ``options``."""
    if value not in options:
        owner_txt = f" of {owner_name(owner)}" if owner is not None else ""
        choices = ", ".join(repr(o) for o in options)
        raise InputError(
            f"The {name!r} parameter{owner_txt} must be one of {choices}. "
            f"Got {value!r}."
        )


def check_callable_or_none(
    value: Any, name: str, owner: object | None
) -> Callable[..., Any] | None:
    """Validate an optional callable parameter."""
    if value is not None and not callable(value):
        raise InputError(
            f"The {name!r} parameter of {owner_name(owner)} must be callable or None. "
            f"Got {value!r}."
        )
    return value  # type: ignore[no-any-return]


def check_no_missing(
    values: pd.Series, *, name: str, owner: object | None = None, fix: str = ""
) -> None:
    """Raise if a series has missing values, naming the column and first labels."""
    mask = values.isna().to_numpy()
    if mask.any():
        n, labels = _bad_rows(values.index, mask)
        raise InputError(
            f"Column {name!r} has {n} missing value(s) (index labels {labels}). "
            f"{owner_name(owner)} does not accept them{': ' + fix if fix else '.'}"
        )
