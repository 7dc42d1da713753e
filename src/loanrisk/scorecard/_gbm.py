"""GradientBoostingScorecard: WoE binning + monotone LightGBM + points."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state

from loanrisk._checks import (
    check_fitted,
    check_number,
    check_option,
)
from loanrisk._persist import fit_metadata
from loanrisk._summary import Summary
from loanrisk.binning._bins import FeatureBins
from loanrisk.binning._woe import WoEBinner
from loanrisk.errors import InputError, ModelFormatError
from loanrisk.scorecard._base import BinnedScorecardMixin, ScorecardBase
from loanrisk.scorecard._engine import PointsEngine
from loanrisk.scorecard._scaling import PointsScale

__all__ = ["GradientBoostingScorecard"]

_FITTED = "booster_"


class GradientBoostingScorecard(BinnedScorecardMixin, ScorecardBase):
    """Challenger scorecard: WoE binning, monotone LightGBM, integer points.

    A scikit-learn classifier (``y``: 1 = bad, 0 = good) with the interface of
    :class:`~loanrisk.ApplicationScorecard`: :meth:`score` gives points (higher =
    safer), :meth:`predict_proba` column 1 the probability of bad, :meth:`reasons`
    the adverse-action reasons. Every feature is binned by a
    :class:`~loanrisk.binning.WoEBinner` and the booster is trained on the WoE of
    the applicant's bins, so missing and special values, categories, unseen
    categories and scoring-time type checks behave exactly as in the logistic
    scorecard.

    Parameters
    ----------
    monotonic_trend, max_bins, min_bin_size, special_codes, categorical
        Binning options, as in :class:`~loanrisk.binning.WoEBinner`.
    binning_overrides : dict, optional
        Analysts' bins per feature, as ``overrides`` of
        :class:`~loanrisk.binning.WoEBinner`. Kept in the saved model.
    min_iv : float, default 0.0
        Features with a lower information value are left out of the booster.
        Features with fewer than two populated bins are always left out.
    n_estimators : int, default 200
        Number of boosting rounds (trees).
    learning_rate : float, default 0.05
        Shrinkage of each tree.
    num_leaves : int, default 8
        Maximum leaves per tree.
    max_depth : int, default 3
        Maximum depth per tree (-1: no limit).
    min_child_samples : int, default 20
        Minimum rows in a leaf.
    subsample : float, default 1.0
        Share of rows drawn (without replacement) for each tree; below 1 the draw
        uses ``random_state``.
    colsample_bytree : float, default 1.0
        Share of features drawn for each tree.
    reg_alpha, reg_lambda : float, default 0.0
        L1 and L2 penalties on the leaf values.
    min_split_gain : float, default 0.0
        Minimum loss reduction to make a split.
    n_jobs : int, default 1
        LightGBM threads; the scores do not depend on it.
    random_state : int, RandomState or None, default None
        Seed of LightGBM, resolved in ``fit`` (None draws one from numpy's global
        generator). Pass an int for reproducible model files.
    pdo, base_score, base_odds : float, default 20, 600, 50
        Points scale: ``base_score`` points at good:bad odds of ``base_odds``, and
        ``pdo`` more points double the odds.
    cutoff : float or None, default None
        Score below which :meth:`predict` says bad (decline). None: the score at
        which P(bad) = 0.5.
    unseen : {"error", "riskiest"}, default "error"
        Scoring of a category not seen in training: raise, or use the feature's
        riskiest bin.

    Attributes
    ----------
    binner_ : WoEBinner
        The fitted binning of every input column.
    features_ : list of str
        Features given to the booster, in its column order.
    selection_ : DataFrame
        Per input feature: IV, whether it was used and the reason if not.
    booster_ : lightgbm.Booster
        The trained booster; its raw output is the log-odds of bad.
    best_contrib_ : ndarray of shape (n_features,)
        Per feature, the most favourable (lowest) TreeSHAP contribution to the
        log-odds of bad seen on the training rows (the reference of the reasons).
    feature_importances_ : DataFrame
        Per feature: total split gain and number of splits.
    random_state_ : int
        The LightGBM seed used.
    classes_ : ndarray
        ``[0, 1]``.
    test_vectors_ : dict
        Input rows (every bin, Special and Missing of every feature) with their
        expected points; :func:`loanrisk.load` checks them.

    Notes
    -----
    The booster is trained on ``WoE = ln(%good / %bad)`` of each feature (higher =
    safer) with the ``binary`` objective, so its raw output is ``ln(P(bad) /
    P(good))``. Every feature gets the monotone constraint ``-1``: raising a
    feature's WoE (moving the applicant to a safer bin) never raises the log-odds of
    bad, i.e. never lowers the score. This carries the WoE trend of each bin
    (chosen by ``monotonic_trend``) into the model, whatever that trend is over the
    raw values. The points are ``round(offset - factor * raw)`` with ``factor = pdo /
    ln 2`` and ``offset = base_score - factor * ln(base_odds)``, as in
    :class:`~loanrisk.scorecard.PointsScale`; :meth:`predict_proba` is the PD
    implied by the integer score, so score and PD never disagree.

    Reasons use the TreeSHAP contributions of LightGBM (``pred_contrib=True``),
    which add up to the raw output. A feature's points lost are ``factor *
    (contrib - best_contrib_)``, rounded: the points the applicant would gain if
    the feature contributed as favourably as it did for the best training
    applicant. This is the adverse-action rule of the logistic scorecard (points
    against the feature's best bin), with the best bin replaced by the best
    contribution, because in a tree ensemble a feature's contribution can depend on
    the other features.

    Unlike :class:`~loanrisk.ApplicationScorecard`, the score is not a sum of
    points per bin, so there is no points table and no ``to_sql``.

    Examples
    --------
    >>> import loanrisk
    >>> from loanrisk import GradientBoostingScorecard
    >>> X, y = loanrisk.datasets.load_german_credit(return_X_y=True)
    >>> gbm = GradientBoostingScorecard(n_estimators=50, random_state=0).fit(X, y)
    >>> gbm.score(X.head(3)).dtype
    dtype('int64')
    >>> gbm.score_record(X.iloc[0].to_dict()) == int(gbm.score(X.head(1)).iloc[0])
    True
    >>> gbm.predict_proba(X.head(3)).shape
    (3, 2)
    >>> list(gbm.reasons(X.head(2), n=1).columns)
    ['reason_1', 'reason_1_bin', 'reason_1_points_lost']
    """

    booster_: Any
    scale_: PointsScale
    best_contrib_: np.ndarray

    _fitted_attribute = _FITTED
    _altered = "bins or booster"

    def __init__(
        self,
        *,
        monotonic_trend: str | dict[str, str] = "auto",
        max_bins: int | None = None,
        min_bin_size: float = 0.05,
        special_codes: list[Any] | dict[str, list[Any]] | None = None,
        categorical: list[str] | None = None,
        binning_overrides: dict[str, dict[str, Any]] | None = None,
        min_iv: float = 0.0,
        n_estimators: int = 200,
        learning_rate: float = 0.05,
        num_leaves: int = 8,
        max_depth: int = 3,
        min_child_samples: int = 20,
        subsample: float = 1.0,
        colsample_bytree: float = 1.0,
        reg_alpha: float = 0.0,
        reg_lambda: float = 0.0,
        min_split_gain: float = 0.0,
        n_jobs: int = 1,
        random_state: Any = None,
        pdo: float = 20,
        base_score: float = 600,
        base_odds: float = 50,
        cutoff: float | None = None,
        unseen: str = "error",
    ) -> None:
        self.monotonic_trend = monotonic_trend
        self.max_bins = max_bins
        self.min_bin_size = min_bin_size
        self.special_codes = special_codes
        self.categorical = categorical
        self.binning_overrides = binning_overrides
        self.min_iv = min_iv
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.max_depth = max_depth
        self.min_child_samples = min_child_samples
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.reg_alpha = reg_alpha
        self.reg_lambda = reg_lambda
        self.min_split_gain = min_split_gain
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.pdo = pdo
        self.base_score = base_score
        self.base_odds = base_odds
        self.cutoff = cutoff
        self.unseen = unseen

    # -- parameters -----------------------------------------------------------
    def _check_params(self) -> None:
        check_number(self.min_iv, "min_iv", self, low=0)
        check_number(self.n_estimators, "n_estimators", self, low=1, integer=True)
        check_number(
            self.learning_rate, "learning_rate", self, low=0, low_inclusive=False
        )
        check_number(self.num_leaves, "num_leaves", self, low=2, integer=True)
        check_number(self.max_depth, "max_depth", self, low=-1, integer=True)
        if self.max_depth == 0:
            raise InputError(
                "The 'max_depth' parameter of GradientBoostingScorecard must be an "
                "integer >= 1, or -1 for no limit. Got 0."
            )
        check_number(
            self.min_child_samples, "min_child_samples", self, low=1, integer=True
        )
        check_number(
            self.subsample, "subsample", self, low=0, high=1, low_inclusive=False
        )
        check_number(
            self.colsample_bytree,
            "colsample_bytree",
            self,
            low=0,
            high=1,
            low_inclusive=False,
        )
        check_number(self.reg_alpha, "reg_alpha", self, low=0)
        check_number(self.reg_lambda, "reg_lambda", self, low=0)
        check_number(self.min_split_gain, "min_split_gain", self, low=0)
        check_number(self.n_jobs, "n_jobs", self, low=1, integer=True)
        check_number(self.cutoff, "cutoff", self, allow_none=True)
        check_option(self.unseen, "unseen", self, ("error", "riskiest"))

    def _lgb_params(self, n_features: int, seed: int) -> dict[str, Any]:
        params: dict[str, Any] = {
            "objective": "binary",
            "learning_rate": float(self.learning_rate),
            "num_leaves": int(self.num_leaves),
            "max_depth": int(self.max_depth),
            "min_data_in_leaf": int(self.min_child_samples),
            "min_sum_hessian_in_leaf": 1e-3,
            "lambda_l1": float(self.reg_alpha),
            "lambda_l2": float(self.reg_lambda),
            "min_gain_to_split": float(self.min_split_gain),
            "feature_fraction": float(self.colsample_bytree),
            "bagging_fraction": float(self.subsample),
            "bagging_freq": 1 if self.subsample < 1 else 0,
            "monotone_constraints": [-1] * n_features,
            "monotone_constraints_method": "basic",
            # every distinct WoE value keeps its own histogram bin
            "min_data_in_bin": 1,
            "seed": seed,
            "deterministic": True,
            "force_row_wise": True,
            "num_threads": int(self.n_jobs),
            "verbose": -1,
        }
        return params

    # -- fit ------------------------------------------------------------------
    def fit(
        self, X: Any, y: Any, sample_weight: Any = None
    ) -> GradientBoostingScorecard:
        """Bin every feature, train the monotone booster on WoE and scale points.

        Parameters
        ----------
        X : DataFrame
            Applicants' features: numerical and categorical columns, missing values
            allowed.
        y : array-like
            1 = bad, 0 = good.
        sample_weight : array-like, optional
            Non-negative weight per row (frequency weights).

        Returns
        -------
        GradientBoostingScorecard
            The fitted scorecard.
        """
        import lightgbm

        self._check_params()
        scale = self._scale()
        X, yv, w = self._check_fit_input(X, y, sample_weight)
        seed = int(
            check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        )
        binner = self._make_binner().fit(X, yv, w)
        bins = binner.bins_
        used: list[str] = []
        reasons: dict[str, str] = {}
        for f, b in bins.items():
            if int((b.count > 0).sum()) < 2:
                reasons[f] = "fewer than 2 populated bins"
            elif binner.iv_[f] < self.min_iv:
                reasons[f] = f"IV {binner.iv_[f]:.4f} below min_iv {self.min_iv:g}"
            else:
                used.append(f)
        if not used:
            raise InputError(
                "No feature of X can enter GradientBoostingScorecard: every feature "
                "has fewer than 2 populated bins or an IV below min_iv. Lower min_iv "
                "or pass informative features."
            )
        woe = _woe_matrix(bins, used, X, self.unseen)
        params = self._lgb_params(len(used), seed)
        data = lightgbm.Dataset(
            woe,
            label=yv.astype(float),
            weight=w,
            feature_name=_booster_names(len(used)),
            params=params,
            free_raw_data=True,
        )
        booster = lightgbm.train(params, data, num_boost_round=int(self.n_estimators))

        self.binner_ = binner
        self.features_ = used
        self.selection_ = pd.DataFrame(
            {
                "iv": [float(binner.iv_[f]) for f in bins],
                "selected": [f in used for f in bins],
                "reason": [reasons.get(f, "") for f in bins],
            },
            index=pd.Index(list(bins), name="feature"),
        )
        self.booster_ = booster
        self.random_state_ = seed
        self.classes_ = np.asarray([0, 1])
        self.scale_ = scale
        self.best_contrib_ = self._contrib(woe).min(axis=0)
        self.feature_importances_ = self._importances()
        self.feature_names_in_ = np.asarray([str(c) for c in X.columns], dtype=object)
        self.n_features_in_ = X.shape[1]
        self.test_vectors_ = self._make_test_vectors()
        meta = fit_metadata(X, yv, sample_weight, seed)
        meta["dependencies"]["lightgbm"] = str(lightgbm.__version__)
        self.fit_metadata_ = meta
        return self

    def _importances(self) -> pd.DataFrame:
        gain = self.booster_.feature_importance(importance_type="gain")
        split = self.booster_.feature_importance(importance_type="split")
        return pd.DataFrame(
            {
                "gain": np.asarray(gain, dtype=float),
                "splits": np.asarray(split, dtype=np.int64),
            },
            index=pd.Index(self.features_, name="feature"),
        )

    # -- scoring --------------------------------------------------------------
    def _bins(self) -> dict[str, FeatureBins]:
        return {f: self.binner_.bins_[f] for f in self.features_}

    def _frame(self, X: Any) -> pd.DataFrame:
        check_fitted(self, _FITTED)
        return self._bins_engine().frame(X, self, self.n_features_in_)

    def _scoring_bins(self) -> dict[str, FeatureBins]:
        return self._bins()

    def _vectors_frame(self, rows: list[dict[str, Any]]) -> pd.DataFrame:
        return self._bins_engine().vectors_frame(rows)

    def _score_frame(self, frame: pd.DataFrame) -> np.ndarray:
        """``round(offset - factor * raw log-odds of bad)`` per row."""
        woe = _woe_matrix(self._bins(), self.features_, frame, self.unseen)
        return self._points(self._raw(woe))

    def _points(self, raw: np.ndarray) -> np.ndarray:
        s = self.scale_
        return np.asarray(np.round(s.offset - s.factor * raw), dtype=np.int64)

    def _contrib(self, woe: np.ndarray) -> np.ndarray:
        """TreeSHAP contribution of each feature to the log-odds of bad."""
        out = self.booster_.predict(
            woe, pred_contrib=True, num_threads=int(self.n_jobs)
        )
        return np.asarray(out, dtype=np.float64)[:, :-1]

    def _raw(self, woe: np.ndarray) -> np.ndarray:
        raw = self.booster_.predict(woe, raw_score=True, num_threads=int(self.n_jobs))
        return np.asarray(raw, dtype=float)

    def score_record(self, record: Mapping[str, Any]) -> int:
        """Points of one applicant given as a mapping of feature name to value.

        The fast path for services: no DataFrame is built.
        """
        self._check_record(record)
        row = np.empty((1, len(self.features_)), dtype=float)
        for j, f in enumerate(self.features_):
            try:
                value = record[f]
            except KeyError:
                raise InputError(
                    f"The record is missing the field {f!r}. Pass every feature of "
                    f"the model: {self.features_}."
                ) from None
            b = self.binner_.bins_[f]
            row[0, j] = b.woe[b.assign_one(value, unseen=self.unseen)]
        return int(self._points(self._raw(row))[0])

    def reasons(self, X: Any, n: int = 4) -> pd.DataFrame:
        """Reason codes: per row the ``n`` features that cost most points.

        A feature's cost is ``round(factor * (contrib - best_contrib_))``: the
        points lost against the feature's most favourable TreeSHAP contribution in
        training (see Notes of the class). Features that cost nothing give no
        reason; ties keep the model's feature order.

        Returns
        -------
        DataFrame
            On X's index, columns ``reason_k`` (feature), ``reason_k_bin`` (the
            applicant's bin, readable) and ``reason_k_points_lost`` for k = 1..n;
            empty reasons are ``None`` with 0 points lost.
        """
        check_fitted(self, _FITTED)
        check_number(n, "n", "reasons", low=1, integer=True)
        frame = self._frame(X)
        bins = self._bins()
        idx = np.column_stack(
            [bins[f].assign(frame[f], unseen=self.unseen) for f in self.features_]
        )
        woe = np.column_stack(
            [bins[f].woe[idx[:, j]] for j, f in enumerate(self.features_)]
        )
        contrib = self._contrib(woe)
        lost = np.maximum(
            np.round(self.scale_.factor * (contrib - self.best_contrib_)), 0
        ).astype(np.int64)
        labels = [bins[f].labels() for f in self.features_]
        return _rank_reasons(self.features_, labels, idx, lost, n, frame.index)

    # -- reporting ------------------------------------------------------------
    def summary_frame(self) -> pd.DataFrame:
        """Per feature used: IV, split gain, number of splits, best contribution."""
        check_fitted(self, _FITTED)
        out = self.feature_importances_.copy()
        out.insert(0, "iv", [float(self.binner_.iv_[f]) for f in self.features_])
        out["monotone"] = -1
        out["best_points"] = 0.0 - self.scale_.factor * self.best_contrib_
        return out

    def summary(self) -> Summary:
        """Readable summary: fit facts, feature importances, selection record.

        Prints as text (``print(card.summary())``) and renders as HTML in notebooks.
        """
        check_fitted(self, _FITTED)
        meta = getattr(self, "fit_metadata_", {})
        facts: dict[str, object] = {
            "Rows": meta.get("n_rows", "?"),
            "Features in / used": f"{self.n_features_in_} / {len(self.features_)}",
            "Estimator": "LightGBM on WoE, monotone constraint -1 per feature",
            "Trees": self.booster_.num_trees(),
            "Learning rate": self.learning_rate,
            "Leaves / depth": f"{self.num_leaves} / {self.max_depth}",
            "Seed": self.random_state_,
            "Scale": f"{self.base_score:g} points at odds {self.base_odds:g}:1, "
            f"{self.pdo:g} points to double the odds",
            "Data fingerprint": meta.get("data_fingerprint", "?"),
        }
        return Summary(
            title="GradientBoostingScorecard",
            facts=facts,
            tables={
                "Features (gain, splits, best contribution in points)": (
                    self.summary_frame()
                ),
                "Feature selection": self.selection_,
            },
            notes=[
                "Reasons are points lost against each feature's most favourable "
                "TreeSHAP contribution in training."
            ],
        )

    # -- test vectors ---------------------------------------------------------
    def _bins_engine(self) -> PointsEngine:
        # The engine's input checks and test-vector rows; its points are unused.
        bins = self._bins()
        zeros = {f: np.zeros(b.n_bins, dtype=np.int64) for f, b in bins.items()}
        return PointsEngine(bins=bins, points=zeros, unseen=self.unseen)

    def _make_test_vectors(self) -> dict[str, Any]:
        engine = self._bins_engine()
        rows = engine.test_vectors()
        scores = self.score(engine.vectors_frame(rows))
        return {"inputs": rows, "expected_score": [int(v) for v in scores]}

    # -- persistence ----------------------------------------------------------
    def _get_state(self) -> dict[str, Any]:
        return {
            "binner": self.binner_._get_state(),
            "binner_params": self.binner_.get_params(deep=False),
            "features": list(self.features_),
            "selection": {
                "feature": list(self.selection_.index),
                "iv": [float(v) for v in self.selection_["iv"]],
                "selected": [bool(v) for v in self.selection_["selected"]],
                "reason": list(self.selection_["reason"]),
            },
            "booster": self.booster_.model_to_string(),
            "best_contrib": [float(v) for v in self.best_contrib_],
            "random_state": int(self.random_state_),
            "feature_names_in": [str(c) for c in self.feature_names_in_],
            "test_vectors": self.test_vectors_,
        }

    def _set_state(self, state: dict[str, Any]) -> None:
        import lightgbm

        binner = WoEBinner(**state["binner_params"])
        binner._set_state(state["binner"])
        features = list(state["features"])
        unknown = [f for f in features if f not in binner.bins_]
        if unknown:
            raise ModelFormatError(f"The model file's features {unknown} have no bins.")
        if not isinstance(state["booster"], str):
            raise ModelFormatError(
                "The model file's booster must be LightGBM model text; got "
                f"{type(state['booster']).__name__}."
            )
        try:
            booster = lightgbm.Booster(model_str=state["booster"])
        except lightgbm.basic.LightGBMError as exc:
            raise ModelFormatError(
                f"The model file's booster cannot be read by LightGBM ({exc}). The "
                "file is corrupt; refit and save the model again."
            ) from None
        best = np.asarray([float(v) for v in state["best_contrib"]], dtype=float)
        if booster.num_feature() != len(features) or best.shape != (len(features),):
            raise ModelFormatError(
                f"The model file's booster has {booster.num_feature()} features, its "
                f"feature list {len(features)} and its reference contributions "
                f"{best.size}: they must agree."
            )
        self.binner_ = binner
        self.features_ = features
        sel = state["selection"]
        self.selection_ = pd.DataFrame(
            {k: sel[k] for k in ("iv", "selected", "reason")},
            index=pd.Index(sel["feature"], name="feature"),
        )
        self.booster_ = booster
        self.best_contrib_ = best
        self.random_state_ = int(state["random_state"])
        self.classes_ = np.asarray([0, 1])
        self.scale_ = self._scale()
        self.feature_importances_ = self._importances()
        self.feature_names_in_ = np.asarray(state["feature_names_in"], dtype=object)
        self.n_features_in_ = len(self.feature_names_in_)
        self.test_vectors_ = state["test_vectors"]

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.classifier_tags.multi_class = False
        return tags


def _booster_names(k: int) -> list[str]:
    """Column names inside the booster (the real names stay in ``features_``)."""
    return [f"f{j}" for j in range(k)]


def _woe_matrix(
    bins: Mapping[str, FeatureBins], features: list[str], X: pd.DataFrame, unseen: str
) -> np.ndarray:
    """WoE of each row's bin per feature, as a C-ordered float64 matrix."""
    out = np.empty((X.shape[0], len(features)), dtype=float)
    for j, f in enumerate(features):
        b = bins[f]
        out[:, j] = b.woe[b.assign(X[f], unseen=unseen)]
    return out


def _rank_reasons(
    features: list[str],
    labels: list[list[str]],
    idx: np.ndarray,
    lost: np.ndarray,
    n: int,
    index: pd.Index,
) -> pd.DataFrame:
    """Top ``n`` features by points lost per row, in the reason-code layout."""
    n_rows, k = lost.shape
    order = np.argsort(-lost, axis=1, kind="stable")[:, :n]
    rows = np.arange(n_rows)[:, None]
    top_lost = lost[rows, order]
    top_bin = idx[rows, order]
    names = np.asarray(features, dtype=object)
    label_arrays = [np.asarray(lab, dtype=object) for lab in labels]
    out: dict[str, Any] = {}
    for r in range(n):
        feature = np.full(n_rows, None, dtype=object)
        bin_text = np.full(n_rows, None, dtype=object)
        points = np.zeros(n_rows, dtype=np.int64)
        if r < k:
            has = top_lost[:, r] > 0
            for j in range(k):
                sel = has & (order[:, r] == j)
                feature[sel] = names[j]
                bin_text[sel] = label_arrays[j][top_bin[sel, r]]
            points[has] = top_lost[has, r]
        out[f"reason_{r + 1}"] = feature
        out[f"reason_{r + 1}_bin"] = bin_text
        out[f"reason_{r + 1}_points_lost"] = points
    return pd.DataFrame(out, index=index)
