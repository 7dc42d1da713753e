"""BehaviouralScorecard: a points scorecard on behavioural features.

A thin composition over :class:`~loanrisk.scorecard.ApplicationScorecard` (``model=
"logistic"``) or :class:`~loanrisk.scorecard.GradientBoostingScorecard` (``model=
"lightgbm"``): the fitted inner scorecard does the binning, the model, the points,
the reason codes and the SQL, so all of them are exactly those of the application
scorecards.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin

from loanrisk._checks import check_fitted, check_option
from loanrisk._persist import PersistMixin, model_class
from loanrisk.errors import InputError, ModelFormatError

__all__ = ["BehaviouralScorecard"]

_MODELS = {
    "logistic": "ApplicationScorecard",
    "lightgbm": "GradientBoostingScorecard",
}
#: Defaults of the logistic inner scorecard (behavioural features correlate strongly
#: across windows); entries of ``params`` override them.
LOGISTIC_DEFAULTS: dict[str, Any] = {"max_corr": 0.7, "wrong_sign": "drop"}
_OWN = ("pdo", "base_score", "base_odds", "cutoff", "unseen", "random_state")


class BehaviouralScorecard(
    PersistMixin,
    ClassifierMixin,  # type: ignore[misc]
    BaseEstimator,  # type: ignore[misc]
):
    """Behavioural points scorecard: an application scorecard on repayment behaviour.

    .. versionadded:: 0.1.0

    Fit it on :func:`~loanrisk.behaviour.behavioural_features` (optionally joined
    with application data) and the bad flag of
    :func:`~loanrisk.behaviour.make_target`. Scoring, points scale, reason codes,
    model file and SQL export are those of the inner scorecard.

    Parameters
    ----------
    model : {"logistic", "lightgbm"}, default "logistic"
        ``"logistic"``: an :class:`~loanrisk.scorecard.ApplicationScorecard` (WoE
        bins, logistic regression, points per bin, ``to_sql``). ``"lightgbm"``: a
        :class:`~loanrisk.scorecard.GradientBoostingScorecard` (monotone LightGBM
        on WoE; no ``to_sql``).
    params : dict, optional
        Further parameters of the inner scorecard (e.g. ``{"min_iv": 0.05,
        "max_corr": 0.8}``, or ``{"n_estimators": 300}`` for LightGBM); the keys of
        this class's own parameters are not allowed here. With
        ``model="logistic"`` the defaults are ``max_corr=0.7`` and
        ``wrong_sign="drop"`` (behavioural features correlate strongly across
        windows); ``params`` overrides them.
    pdo, base_score, base_odds : float, default 20, 600, 50
        Points scale: ``base_score`` points at good:bad odds of ``base_odds``;
        ``pdo`` more points double the odds.
    cutoff : float or None, default None
        Score below which :meth:`predict` says bad.
    unseen : {"error", "riskiest"}, default "error"
        Scoring of a category not seen in training.
    random_state : int or None, default None
        LightGBM seed (``model="lightgbm"`` only; the logistic fit is
        deterministic).

    Attributes
    ----------
    estimator_ : ApplicationScorecard or GradientBoostingScorecard
        The fitted inner scorecard.
    features_ : list of str
        Features in the model.
    classes_ : ndarray
        ``[0, 1]``.

    Examples
    --------
    >>> from loanrisk.datasets import make_loan_book
    >>> from loanrisk.behaviour import (
    ...     BehaviouralScorecard, behavioural_features, make_target)
    >>> book = make_loan_book(n_accounts=4000, n_months=24, random_state=0)
    >>> X = behavioural_features(book.repayments, as_of="2022-12")
    >>> y = make_target(book.repayments, as_of="2022-12")["bad"].dropna()
    >>> card = BehaviouralScorecard().fit(X.loc[y.index], y.astype(int))
    >>> card.score(X.head(3)).dtype
    dtype('int64')
    >>> list(card.reasons(X.head(2), n=1).columns)
    ['reason_1', 'reason_1_bin', 'reason_1_points_lost']
    """

    def __init__(
        self,
        *,
        model: str = "logistic",
        params: dict[str, Any] | None = None,
        pdo: float = 20,
        base_score: float = 600,
        base_odds: float = 50,
        cutoff: float | None = None,
        unseen: str = "error",
        random_state: int | None = None,
    ) -> None:
        self.model = model
        self.params = params
        self.pdo = pdo
        self.base_score = base_score
        self.base_odds = base_odds
        self.cutoff = cutoff
        self.unseen = unseen
        self.random_state = random_state

    def _make_estimator(self) -> Any:
        check_option(self.model, "model", self, tuple(_MODELS))
        params = dict(LOGISTIC_DEFAULTS) if self.model == "logistic" else {}
        params.update(self.params or {})
        clash = sorted(set(params) & set(_OWN))
        if clash:
            raise InputError(
                f"The 'params' parameter of BehaviouralScorecard sets {clash}; pass "
                "them as BehaviouralScorecard parameters instead."
            )
        params.update(
            pdo=self.pdo,
            base_score=self.base_score,
            base_odds=self.base_odds,
            cutoff=self.cutoff,
            unseen=self.unseen,
        )
        if self.model == "lightgbm":
            params["random_state"] = self.random_state
        cls = model_class(_MODELS[self.model])
        try:
            return cls(**params)
        except TypeError:
            valid = sorted(cls().get_params())
            unknown = sorted(set(params) - set(valid))
            raise InputError(
                f"The 'params' parameter of BehaviouralScorecard names {unknown}, not "
                f"parameters of {cls.__name__} (model={self.model!r}). Valid: "
                f"{valid}."
            ) from None

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> BehaviouralScorecard:
        """Fit the inner scorecard on behavioural (and application) features.

        Parameters
        ----------
        X : DataFrame
            Features, e.g. ``behavioural_features(...)`` joined with application
            columns; any index (it is kept in the outputs).
        y : array-like
            1 = bad, 0 = good (``make_target(...)["bad"]`` without its censored and
            excluded rows: missing values are an error, never counted as good).
        sample_weight : array-like, optional
            Non-negative weight per row.

        Returns
        -------
        BehaviouralScorecard
            The fitted scorecard.
        """
        est = self._make_estimator()
        if isinstance(y, pd.Series) and y.dtype.name in {"Int8", "Int16", "Int32"}:
            if y.isna().any():
                n = int(y.isna().sum())
                raise InputError(
                    f"BehaviouralScorecard: y has {n} missing value(s): censored or "
                    "excluded rows of make_target. Drop them first (y.dropna()), "
                    "never count them as good."
                )
            y = y.astype(np.int64)
        est.fit(X, y, sample_weight=sample_weight)
        self._adopt(est)
        self.fit_metadata_ = dict(getattr(est, "fit_metadata_", {}))
        return self

    def _adopt(self, est: Any) -> None:
        self.estimator_ = est
        self.features_ = list(est.features_)
        self.classes_ = np.asarray([0, 1])
        self.feature_names_in_ = est.feature_names_in_
        self.n_features_in_ = est.n_features_in_
        self.scale_ = est.scale_

    # -- scoring: everything comes from the inner scorecard --------------------
    def _inner(self, method: str) -> Any:
        check_fitted(self, "estimator_")
        fn = getattr(self.estimator_, method, None)
        if fn is None:
            raise InputError(
                f"BehaviouralScorecard(model={self.model!r}) has no {method}(): its "
                f"{type(self.estimator_).__name__} does not offer it. Use "
                "model='logistic' for a points table and SQL."
            )
        return fn

    def score(self, X: Any, y: Any = None) -> pd.Series:
        """Points of each row (higher = safer), int64 Series on X's index."""
        return self._inner("score")(X, y)  # type: ignore[no-any-return]

    def score_record(self, record: Mapping[str, Any]) -> int:
        """Points of one account given as a mapping of feature name to value."""
        return int(self._inner("score_record")(record))

    def points(self, X: Any) -> pd.DataFrame:
        """Points of each feature per row (``model="logistic"``)."""
        return self._inner("points")(X)  # type: ignore[no-any-return]

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities ``[P(good), P(bad)]`` per row, implied by the points."""
        return np.asarray(self._inner("predict_proba")(X))

    def predict(self, X: Any) -> np.ndarray:
        """1 (bad) where the score is below the cut-off, else 0."""
        return np.asarray(self._inner("predict")(X))

    def decision_function(self, X: Any) -> np.ndarray:
        """Log-odds of bad implied by the points (larger = riskier)."""
        return np.asarray(self._inner("decision_function")(X))

    @property
    def cutoff_(self) -> float:
        """Cut-off in points (``cutoff``, else the score where P(bad) = 0.5)."""
        check_fitted(self, "estimator_")
        return float(self.estimator_.cutoff_)

    def _input_kinds(self) -> dict[str, tuple[str, list[Any]]]:
        """Kinds and known categories of the input columns (see ScorecardBase)."""
        check_fitted(self, "estimator_")
        kinds: dict[str, tuple[str, list[Any]]] = self.estimator_._input_kinds()
        return kinds

    def reasons(self, X: Any, n: int = 4) -> pd.DataFrame:
        """Reason codes: per row the ``n`` features that cost most points."""
        return self._inner("reasons")(X, n=n)  # type: ignore[no-any-return]

    def to_sql(self, table: str, dialect: str = "duckdb") -> str:
        """One SELECT computing the points and score in SQL (``model="logistic"``)."""
        return str(self._inner("to_sql")(table, dialect))

    @property
    def table_(self) -> pd.DataFrame:
        """The points table of the logistic scorecard."""
        check_fitted(self, "estimator_")
        if not hasattr(self.estimator_, "table_"):
            raise InputError(
                "BehaviouralScorecard(model='lightgbm') has no points table; use "
                "model='logistic'."
            )
        return self.estimator_.table_  # type: ignore[no-any-return]

    def summary(self) -> Any:
        """Readable summary of the inner scorecard."""
        out = self._inner("summary")()
        out.title = f"BehaviouralScorecard ({type(self.estimator_).__name__})"
        return out

    def summary_frame(self) -> pd.DataFrame:
        """Per-feature table of the inner scorecard."""
        return self._inner("summary_frame")()  # type: ignore[no-any-return]

    # -- persistence ----------------------------------------------------------
    def _get_state(self) -> dict[str, Any]:
        est = self.estimator_
        return {
            "model_class": type(est).__name__,
            "params": est.get_params(deep=False),
            "fitted": est._get_state(),
        }

    def _set_state(self, state: dict[str, Any]) -> None:
        expected = _MODELS.get(self.model)
        if state["model_class"] != expected:
            raise ModelFormatError(
                f"The model file's BehaviouralScorecard(model={self.model!r}) holds a "
                f"{state['model_class']}, expected {expected}."
            )
        est = model_class(state["model_class"])(**state["params"])
        est._set_state(state["fitted"])
        self._adopt(est)

    def _verify_loaded(self) -> None:
        self.estimator_.fit_metadata_ = getattr(self, "fit_metadata_", {})
        verify = getattr(self.estimator_, "_verify_loaded", None)
        if verify is not None:
            verify()

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.classifier_tags.multi_class = False
        return tags
