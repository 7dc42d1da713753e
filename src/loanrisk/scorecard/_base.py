"""Base classes of the scorecards: shared scoring, PD, cut-off and input checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin

from loanrisk._checks import (
    check_fitted,
    check_frame,
    check_number,
    check_sample_weight,
    check_target,
)
from loanrisk._persist import PersistMixin
from loanrisk.binning._bins import FeatureBins
from loanrisk.binning._woe import WoEBinner
from loanrisk.errors import InputError, ModelFormatError
from loanrisk.scorecard._engine import PointsEngine
from loanrisk.scorecard._reasons import reason_codes
from loanrisk.scorecard._scaling import PointsScale

__all__: list[str] = []


class ScorecardBase(PersistMixin, ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """What every loanrisk scorecard shares: the points scale, ``score``, the PD
    implied by the points, the cut-off and the fit-input checks.

    A subclass sets ``scale_`` in ``fit``, names the attribute that marks it fitted
    in ``_fitted_attribute``, and provides ``_frame(X)`` (validate the scoring
    input) and ``_score_frame(frame)`` (int64 points per row).
    """

    _fitted_attribute: ClassVar[str] = "scale_"
    _altered: ClassVar[str] = "bins or points"
    scale_: PointsScale
    cutoff: float | None
    pdo: float
    base_score: float
    base_odds: float

    if TYPE_CHECKING:

        def _frame(self, X: Any) -> pd.DataFrame: ...

        def _score_frame(self, frame: pd.DataFrame) -> np.ndarray: ...

        def _vectors_frame(self, rows: list[dict[str, Any]]) -> pd.DataFrame: ...

        def _scoring_bins(self) -> dict[str, FeatureBins]: ...

        def score_record(self, record: Mapping[str, Any]) -> int: ...

    def _scale(self) -> PointsScale:
        check_number(self.pdo, "pdo", self, low=0, low_inclusive=False)
        check_number(self.base_score, "base_score", self)
        check_number(self.base_odds, "base_odds", self, low=0, low_inclusive=False)
        return PointsScale(
            pdo=float(self.pdo),
            base_score=float(self.base_score),
            base_odds=float(self.base_odds),
        )

    def _check_fit_input(
        self, X: Any, y: Any, sample_weight: Any
    ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
        """Validated ``(X, y as 0/1 int8, weights)`` for ``fit``."""
        frame = check_frame(X, owner=self)
        yv = check_target(y, frame.shape[0], owner=self, index=frame.index)
        w = check_sample_weight(
            sample_weight, frame.shape[0], owner=self, index=frame.index
        )
        return frame, yv, w

    def _input_kinds(self) -> dict[str, tuple[str, list[Any]]]:
        """Each input column: ("numerical" | "categorical", known category values).

        Used by readers of untyped input (CSV files) to convert each column the way
        the model was fitted; known values are the categories of its bins plus the
        special codes.
        """
        check_fitted(self, self._fitted_attribute)
        out: dict[str, tuple[str, list[Any]]] = {}
        for f, b in self._scoring_bins().items():
            known = [v for g in b.groups for v in g] + list(b.special_codes)
            out[f] = (b.kind, known if b.kind == "categorical" else [])
        return out

    def _check_record(self, record: Any) -> None:
        check_fitted(self, self._fitted_attribute)
        if not isinstance(record, Mapping):
            raise InputError(
                f"score_record expects one record as a dict of feature -> value; got "
                f"{type(record).__name__}. Use score(X) for a DataFrame."
            )

    # -- scoring --------------------------------------------------------------
    def score(self, X: Any, y: Any = None) -> pd.Series:
        """Points of each row (higher = safer), as an int64 Series on X's index.

        Parameters
        ----------
        X : DataFrame or mapping
            One row per applicant with (at least) the model's features; extra
            columns are ignored; missing values score in the Missing bin.
        y : None
            Not accepted: scikit-learn's ``score(X, y)`` (accuracy) does not apply
            to a scorecard; evaluate with ``scoring="roc_auc"`` instead.
        """
        if y is not None:
            raise InputError(
                f"{type(self).__name__}.score(X) returns points and takes no y. To "
                "evaluate, use loanrisk.metrics.gini(y, card.score(X), "
                "higher_is_riskier=False), or scoring='roc_auc' in scikit-learn."
            )
        check_fitted(self, self._fitted_attribute)
        frame = self._frame(X)
        return pd.Series(self._score_frame(frame), index=frame.index, name="score")

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities ``[P(good), P(bad)]`` per row, implied by the points.

        The PD is read off the integer score through the points scale, so the score
        and the PD never disagree.
        """
        score = self.score(X).to_numpy(dtype=float)
        p_bad = self.scale_.proba_from_score(score)
        return np.column_stack([1.0 - p_bad, p_bad])

    def predict(self, X: Any) -> np.ndarray:
        """1 (bad: decline) where the score is below the cut-off, else 0."""
        return (self.score(X).to_numpy() < self.cutoff_).astype(np.int64)

    def decision_function(self, X: Any) -> np.ndarray:
        """Log-odds of bad implied by the points (larger = riskier)."""
        s = self.score(X).to_numpy(dtype=float)
        return np.asarray(-(s - self.scale_.offset) / self.scale_.factor)

    @property
    def cutoff_(self) -> float:
        """Cut-off in points: ``cutoff`` if set, else the score where P(bad) = 0.5."""
        check_fitted(self, self._fitted_attribute)
        if self.cutoff is not None:
            return float(self.cutoff)
        return float(self.scale_.offset)

    # -- test vectors ---------------------------------------------------------
    def _verify_loaded(self) -> None:
        """Score the saved test vectors in batch and one by one; raise on a change."""
        vectors = getattr(self, "test_vectors_", None)
        if not vectors or not vectors.get("inputs"):
            raise ModelFormatError("The model file has no test vectors.")
        rows = vectors["inputs"]
        expected = np.asarray(vectors["expected_score"], dtype=np.int64)
        got = self._score_frame(self._vectors_frame(rows))
        one = np.asarray([self.score_record(r) for r in rows], dtype=np.int64)
        if (
            got.shape == expected.shape
            and np.array_equal(got, expected)
            and np.array_equal(one, expected)
        ):
            return
        bad = 0
        if got.shape == expected.shape:
            bad = int(np.flatnonzero((got != expected) | (one != expected))[0])
        raise ModelFormatError(
            f"The model file fails its test vectors (row {bad}: expected "
            f"{int(expected[bad])} points, scored {int(got[bad])}). Its "
            f"{self._altered} were altered; refit and save the model again."
        )


class BinnedScorecardMixin:
    """The WoEBinner built from a scorecard's binning parameters."""

    monotonic_trend: str | dict[str, str]
    max_bins: int | None
    min_bin_size: float
    special_codes: list[Any] | dict[str, list[Any]] | None
    categorical: list[str] | None
    binning_overrides: dict[str, dict[str, Any]] | None
    unseen: str

    def _make_binner(self) -> WoEBinner:
        return WoEBinner(
            monotonic_trend=self.monotonic_trend,
            max_bins=self.max_bins,
            min_bin_size=self.min_bin_size,
            special_codes=self.special_codes,
            categorical=self.categorical,
            overrides=self.binning_overrides,
            unseen=self.unseen,
        )


class PointsScorecardBase(ScorecardBase):
    """Scoring, reason codes and SQL for a fitted points engine.

    Subclasses set ``engine_`` (a PointsEngine), ``scale_`` (a PointsScale) and
    ``test_vectors_`` in ``fit``.
    """

    _fitted_attribute: ClassVar[str] = "engine_"
    engine_: PointsEngine

    def _frame(self, X: Any) -> pd.DataFrame:
        return self.engine_.frame(X, self, getattr(self, "n_features_in_", None))

    def _score_frame(self, frame: pd.DataFrame) -> np.ndarray:
        return self.engine_.total(frame)

    def _scoring_bins(self) -> dict[str, FeatureBins]:
        return self.engine_.bins

    def score_record(self, record: Mapping[str, Any]) -> int:
        """Points of one applicant given as a mapping of feature name to value.

        The fast path for services: no DataFrame is built.

        Examples
        --------
        >>> import loanrisk
        >>> X, y = loanrisk.datasets.load_german_credit(return_X_y=True)
        >>> card = loanrisk.ApplicationScorecard().fit(X, y)
        >>> card.score_record(X.iloc[0].to_dict()) == int(card.score(X.head(1)).iloc[0])
        True
        """
        self._check_record(record)
        return self.engine_.total_one(record)

    def points(self, X: Any) -> pd.DataFrame:
        """Points of each feature for each row (the terms that add up to the score)."""
        check_fitted(self, "engine_")
        frame = self._frame(X)
        return pd.DataFrame(
            self.engine_.points_matrix(frame),
            index=frame.index,
            columns=self.engine_.features,
        )

    def reasons(self, X: Any, n: int = 4) -> pd.DataFrame:
        """Reason codes: per row the ``n`` features that cost most points.

        A feature's cost is the points of its best bin minus the applicant's points
        (the standard adverse-action method); features at their best bin give no
        reason. Ties keep the model's feature order.

        Returns
        -------
        DataFrame
            On X's index, columns ``reason_k`` (feature), ``reason_k_bin`` (the
            applicant's bin, readable) and ``reason_k_points_lost`` for k = 1..n;
            empty reasons are ``None`` with 0 points lost.
        """
        check_fitted(self, "engine_")
        check_number(n, "n", "reasons", low=1, integer=True)
        frame = self._frame(X)
        return reason_codes(self.engine_, frame, n)

    def to_sql(self, table: str, dialect: str = "duckdb") -> str:
        """One SELECT that computes each feature's points and the score in SQL.

        Parameters
        ----------
        table : str
            Table (or view, or sub-query in parentheses) holding the features.
        dialect : {"duckdb", "postgres", "spark", "ansi"}
            SQL dialect.

        Returns
        -------
        str
            ``SELECT *, <points per feature>, <score> FROM table``.
        """
        from loanrisk.scorecard._sql import scorecard_sql

        check_fitted(self, "engine_")
        return scorecard_sql(self.engine_, table, dialect)

    # -- test vectors ---------------------------------------------------------
    def _make_test_vectors(self) -> dict[str, Any]:
        rows = self.engine_.test_vectors()
        frame = self.engine_.vectors_frame(rows)
        return {
            "inputs": rows,
            "expected_score": [int(v) for v in self.engine_.total(frame)],
        }

    def _vectors_frame(self, rows: list[dict[str, Any]]) -> pd.DataFrame:
        return self.engine_.vectors_frame(rows)
