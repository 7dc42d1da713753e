"""Ordered warning levels (green / amber / red) with monotone thresholds (private)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone

from loanrisk._checks import check_fitted, check_sample_weight
from loanrisk._persist import PersistMixin
from loanrisk.errors import InputError, LoanRiskWarning, ModelFormatError
from loanrisk.metrics._inputs import check_level, check_scores, check_y_score
from loanrisk.warning._calibrate import (
    ThresholdCalibrator,
    _apply,
    _metadata,
    from_nested_state,
    nested_state,
)
from loanrisk.warning._stats import cp_lower, cp_upper, effective

__all__ = ["WarningBands"]

_OWNER = "WarningBands"


class WarningBands(PersistMixin, BaseEstimator):  # type: ignore[misc]
    """Several ordered warning levels, each calibrated for its own objective.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    bands : list of (str, ThresholdCalibrator)
        The alert levels from the least to the most severe, e.g.
        ``[("amber", ThresholdCalibrator("budget", 0.10)), ("red",
        ThresholdCalibrator("precision", 0.40))]``. Each calibrator sets the
        threshold for "this level or a more severe one". All must share one
        ``higher_is_riskier``.
    base_level : str, default "green"
        The level of cases no band flags.
    confidence : float, default 0.95
        Level of the two-sided Clopper-Pearson intervals in :meth:`table`.

    Attributes
    ----------
    calibrators_ : list of ThresholdCalibrator
        The fitted calibrators, in the order of `bands`.
    thresholds_ : ndarray of float
        Threshold of each level (monotone: each level flags a subset of the one
        before it).
    adjusted_ : list of bool
        Whether a level's own threshold had to be tightened to keep the levels
        nested (a :class:`~loanrisk.errors.LoanRiskWarning` says so).
    levels_ : list of str
        ``[base_level, *band names]``, the ordered level names.
    table_ : DataFrame
        :meth:`table` on the calibration data.

    Examples
    --------
    >>> import numpy as np
    >>> from loanrisk.warning import ThresholdCalibrator, WarningBands
    >>> rng = np.random.default_rng(0)
    >>> pd_ = rng.uniform(size=2000)
    >>> bad = (rng.uniform(size=2000) < pd_ ** 2).astype(int)
    >>> bands = WarningBands([
    ...     ("amber", ThresholdCalibrator("budget", 0.30)),
    ...     ("red", ThresholdCalibrator("precision", 0.80)),
    ... ]).fit(pd_, bad)
    >>> bool(bands.thresholds_[0] <= bands.thresholds_[1])
    True
    >>> bands.classify([0.1, 0.8, 0.99]).tolist()
    ['green', 'amber', 'red']
    """

    def __init__(
        self,
        bands: Any,
        *,
        base_level: str = "green",
        confidence: float = 0.95,
    ) -> None:
        self.bands = bands
        self.base_level = base_level
        self.confidence = confidence

    def _check_params(self) -> tuple[list[str], list[ThresholdCalibrator]]:
        check_level(self.confidence, name="confidence", owner=_OWNER)
        example = '[("amber", ThresholdCalibrator("budget", 0.1)), ...]'
        if not isinstance(self.bands, list | tuple) or len(self.bands) == 0:
            raise InputError(
                f"{_OWNER}: bands must be a non-empty list of (name, "
                f"ThresholdCalibrator) pairs, least severe first, e.g. {example}. "
                f"Got {self.bands!r}."
            )
        names: list[str] = []
        cals: list[ThresholdCalibrator] = []
        for i, band in enumerate(self.bands):
            if (
                not isinstance(band, list | tuple)
                or len(band) != 2
                or not isinstance(band[0], str)
                or not isinstance(band[1], ThresholdCalibrator)
            ):
                raise InputError(
                    f"{_OWNER}: bands[{i}] must be a (name, ThresholdCalibrator) pair, "
                    f"e.g. {example}. Got {band!r}."
                )
            names.append(band[0])
            cals.append(band[1])
        if not isinstance(self.base_level, str):
            raise InputError(
                f"{_OWNER}: base_level must be a level name (str). Got "
                f"{self.base_level!r}."
            )
        all_names = [self.base_level, *names]
        if len(set(all_names)) != len(all_names):
            raise InputError(
                f"{_OWNER}: level names must be unique; got {all_names} (base_level "
                "first). Rename the duplicated level."
            )
        directions = {c.higher_is_riskier for c in cals}
        if len(directions) > 1:
            raise InputError(
                f"{_OWNER}: the calibrators disagree on higher_is_riskier "
                f"({[c.higher_is_riskier for c in cals]}); every level must score in "
                "the same direction."
            )
        return names, cals

    @property
    def _higher(self) -> bool:
        return bool(self.calibrators_[0].higher_is_riskier)

    def fit(self, scores: Any, y: Any, sample_weight: Any = None) -> WarningBands:
        """Calibrate every level on the same scores and outcomes.

        Parameters
        ----------
        scores : array-like of float
            Risk scores, in the direction of the calibrators.
        y : array-like of 0/1
            Later outcome, 1 = bad.
        sample_weight : array-like of float, optional
            Non-negative weight per case.

        Returns
        -------
        WarningBands
            ``self``.
        """
        names, cals = self._check_params()
        y_arr, s = check_y_score(y, scores, owner=_OWNER, score_name="scores")
        fitted = [clone(c).fit(s, y_arr, sample_weight) for c in cals]
        higher = bool(cals[0].higher_is_riskier)
        thresholds = np.array([c.threshold_ for c in fitted], dtype=float)
        adjusted = [False] * len(fitted)
        for i in range(1, len(thresholds)):
            prev, cur = thresholds[i - 1], thresholds[i]
            looser = cur < prev if higher else cur > prev
            if looser:
                thresholds[i] = prev
                adjusted[i] = True
                warnings.warn(
                    f"{_OWNER}: level {names[i]!r} calibrated to threshold {cur:.6g}, "
                    f"less severe than level {names[i - 1]!r} ({prev:.6g}); it was "
                    f"set to {prev:.6g} to keep the levels nested, so its own target "
                    "may not hold. Reorder the levels or revise their targets.",
                    LoanRiskWarning,
                    stacklevel=2,
                )
        self.calibrators_ = fitted
        self.thresholds_ = thresholds
        self.adjusted_ = adjusted
        self.levels_ = [self.base_level, *names]
        self.higher_is_riskier_ = higher
        self.table_ = self.table(s, y_arr, sample_weight)
        self.fit_metadata_ = _metadata(s, y_arr, sample_weight)
        return self

    def _codes(self, s: np.ndarray) -> np.ndarray:
        codes = np.zeros(len(s), dtype=np.int64)
        for t in self.thresholds_:
            codes += _apply(s, float(t), self.higher_is_riskier_)
        return codes

    def classify(self, scores: Any) -> pd.Series:
        """Level of each case (ordered categorical), keeping the caller's index."""
        check_fitted(self, "thresholds_")
        s = check_scores(scores, name="scores", owner=f"{_OWNER}.classify")
        dtype = pd.CategoricalDtype(self.levels_, ordered=True)
        index = scores.index if isinstance(scores, pd.Series) else None
        cat = pd.Categorical.from_codes(self._codes(s), dtype=dtype)
        return pd.Series(cat, index=index, name="level")

    def table(self, scores: Any, y: Any, sample_weight: Any = None) -> pd.DataFrame:
        """Per level: cases, bads, precision, recall and lift with intervals.

        Parameters
        ----------
        scores, y, sample_weight
            As in :meth:`fit`; any data (e.g. a later period).

        Returns
        -------
        DataFrame
            One row per level, least severe first, indexed by level name, with
            ``threshold``, ``cases``, ``share``, ``bads``, ``precision`` (bad rate in
            the level) with ``precision_low``/``precision_high``, ``recall`` (share of
            all bads in the level) with ``recall_low``/``recall_high``, ``lift``
            (precision / overall bad rate), and ``cum_cases``, ``cum_precision``,
            ``cum_recall`` for the level and every more severe one (what each
            calibrator targets). Intervals are two-sided Clopper-Pearson at
            `confidence` (Kish effective counts under weights).
        """
        check_fitted(self, "thresholds_")
        owner = f"{_OWNER}.table"
        y_arr, s = check_y_score(
            y, scores, owner=owner, score_name="scores", require_both=False
        )
        w = check_sample_weight(sample_weight, len(y_arr), owner=owner)
        k = len(self.levels_)
        codes = self._codes(s)
        n = np.bincount(codes, weights=w, minlength=k)
        n2 = np.bincount(codes, weights=w * w, minlength=k)
        b = np.bincount(codes, weights=w * y_arr, minlength=k)
        b2 = np.bincount(codes, weights=w * w * y_arr, minlength=k)
        total, total_b = float(n.sum()), float(b.sum())
        side = 1.0 - (1.0 - float(self.confidence)) / 2.0
        xp, np_ = effective(b, n, n2)
        xr, nr = effective(b, total_b, float(b2.sum()))
        cum = np.cumsum(n[::-1])[::-1]
        cum_b = np.cumsum(b[::-1])[::-1]
        with np.errstate(divide="ignore", invalid="ignore"):
            precision = np.where(n > 0, b / n, np.nan)
            recall = b / total_b if total_b > 0 else np.full(k, np.nan)
            overall = total_b / total
            frame = pd.DataFrame(
                {
                    "threshold": np.r_[np.nan, self.thresholds_],
                    "cases": n,
                    "share": n / total,
                    "bads": b,
                    "precision": precision,
                    "precision_low": cp_lower(xp, np_, side),
                    "precision_high": cp_upper(xp, np_, side),
                    "recall": recall,
                    "recall_low": cp_lower(xr, np.full(k, nr), side),
                    "recall_high": cp_upper(xr, np.full(k, nr), side),
                    "lift": precision / overall if overall > 0 else np.nan,
                    "cum_cases": cum,
                    "cum_precision": np.where(cum > 0, cum_b / cum, np.nan),
                    "cum_recall": cum_b / total_b if total_b > 0 else np.nan,
                },
                index=pd.Index(self.levels_, name="level"),
            )
        return frame

    # -- persistence ----------------------------------------------------------
    def _get_state(self) -> dict[str, Any]:
        return {
            "calibrators": [nested_state(c) for c in self.calibrators_],
            "thresholds": [float(t) for t in self.thresholds_],
            "adjusted": list(self.adjusted_),
            "table": {c: self.table_[c].tolist() for c in self.table_.columns},
            "table_columns": [str(c) for c in self.table_.columns],
        }

    def _set_state(self, state: dict[str, Any]) -> None:
        names, _ = self._check_params()
        self.calibrators_ = [
            from_nested_state(ThresholdCalibrator, c) for c in state["calibrators"]
        ]
        self.thresholds_ = np.asarray(state["thresholds"], dtype=float)
        self.adjusted_ = [bool(a) for a in state["adjusted"]]
        if not (len(self.calibrators_) == len(self.thresholds_) == len(names)):
            raise ModelFormatError(
                "The WarningBands levels, calibrators and thresholds disagree in the "
                "model file."
            )
        self.levels_ = [self.base_level, *names]
        self.higher_is_riskier_ = bool(self.calibrators_[0].higher_is_riskier)
        self.table_ = pd.DataFrame(
            state["table"],
            index=pd.Index(self.levels_, name="level"),
            columns=state["table_columns"],
        )
