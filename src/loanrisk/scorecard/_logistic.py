"""ApplicationScorecard: WoE binning + logistic regression + points."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from loanrisk._checks import (
    check_fitted,
    check_number,
    check_option,
)
from loanrisk._persist import fit_metadata
from loanrisk._summary import Summary
from loanrisk.binning._woe import WoEBinner
from loanrisk.errors import InputError, LoanRiskWarning, ModelFormatError
from loanrisk.scorecard._base import BinnedScorecardMixin, PointsScorecardBase
from loanrisk.scorecard._engine import PointsEngine

__all__ = ["ApplicationScorecard"]


class ApplicationScorecard(BinnedScorecardMixin, PointsScorecardBase):
    """Points scorecard: optimal WoE binning, logistic regression, integer points.

    A scikit-learn classifier (``y``: 1 = bad, 0 = good) whose :meth:`score` gives
    points (higher = safer) and :meth:`predict_proba` column 1 the probability of bad.

    Parameters
    ----------
    monotonic_trend, max_bins, min_bin_size, special_codes, categorical
        Binning options, as in :class:`~loanrisk.binning.WoEBinner`.
    binning_overrides : dict, optional
        Analysts' bins per feature (``splits``, ``add_splits``, ``groups`` or
        ``merge``), as ``overrides`` of :class:`~loanrisk.binning.WoEBinner`. Kept in
        the saved model.
    min_iv : float, default 0.02
        Features with a lower information value are dropped.
    max_corr : float or None, default None
        Of two features whose WoE correlate more than this, the lower-IV one goes.
    max_vif : float or None, default None
        Features are dropped, highest VIF first, until every VIF is at most this.
    stepwise : {None, "forward", "backward", "both"}, default None
        Stepwise selection after the filters.
    criterion : {"pvalue", "aic"}, default "pvalue"
        Criterion of the stepwise selection.
    p_enter, p_remove : float, default 0.05
        p-value thresholds of the stepwise selection.
    force_features : list of str, optional
        Features kept whatever the filters say.
    C : float or None, default None
        Inverse L2 penalty strength (as in scikit-learn). None fits by unpenalised
        maximum likelihood and reports the usual Wald inference (standard errors,
        z, p-values), identical to statsmodels' ``Logit`` (a test checks it).
    wrong_sign : {"warn", "drop"}, default "warn"
        What to do with a feature whose coefficient has the wrong sign (positive:
        higher WoE, i.e. lower-risk bins, would raise the PD): warn, or drop it and
        refit, repeatedly.
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
    selection_ : DataFrame
        Per input feature: IV, whether it was selected, and the step and reason
        that dropped it.
    features_ : list of str
        Features in the model.
    coef_ : ndarray of shape (1, n_features)
        Coefficients of the WoE features on the log-odds of bad (expected < 0).
    intercept_ : ndarray of shape (1,)
        Intercept on the log-odds of bad.
    table_ : DataFrame
        The scorecard: one row per feature and bin with count, bad rate, WoE, IV,
        coefficient and integer points. The score is the sum of the points of the
        applicant's bins (the intercept is spread evenly over the features).
    inference_ : DataFrame
        Coefficient, standard error, z, p-value, VIF and IV per term.
    classes_ : ndarray
        ``[0, 1]``.

    Notes
    -----
    ``ln(P(bad) / P(good)) = intercept + sum_j coef_j * WoE_j`` with ``WoE =
    ln(%good / %bad)``; each feature's points for bin i are
    ``round(-factor * coef_j * WoE_ij + (offset - factor * intercept) / k)`` with
    ``factor = pdo / ln 2``, ``offset = base_score - factor * ln(base_odds)`` and k
    features. Missing values score in the Missing bin; values beyond the training
    range fall in the open-ended first or last bin.

    Examples
    --------
    >>> import loanrisk
    >>> X, y = loanrisk.datasets.load_german_credit(return_X_y=True)
    >>> card = loanrisk.ApplicationScorecard().fit(X, y)
    >>> card.score(X.head(3)).tolist()
    [...]
    >>> card.predict_proba(X.head(3)).shape
    (3, 2)
    >>> list(card.table_.columns)[:4]
    ['feature', 'bin_index', 'bin', 'count']
    """

    def __init__(
        self,
        *,
        monotonic_trend: str | dict[str, str] = "auto",
        max_bins: int | None = None,
        min_bin_size: float = 0.05,
        special_codes: list[Any] | dict[str, list[Any]] | None = None,
        categorical: list[str] | None = None,
        binning_overrides: dict[str, dict[str, Any]] | None = None,
        min_iv: float = 0.02,
        max_corr: float | None = None,
        max_vif: float | None = None,
        stepwise: str | None = None,
        criterion: str = "pvalue",
        p_enter: float = 0.05,
        p_remove: float = 0.05,
        force_features: list[str] | None = None,
        C: float | None = None,
        wrong_sign: str = "warn",
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
        self.max_corr = max_corr
        self.max_vif = max_vif
        self.stepwise = stepwise
        self.criterion = criterion
        self.p_enter = p_enter
        self.p_remove = p_remove
        self.force_features = force_features
        self.C = C
        self.wrong_sign = wrong_sign
        self.pdo = pdo
        self.base_score = base_score
        self.base_odds = base_odds
        self.cutoff = cutoff
        self.unseen = unseen

    def _check_params(self) -> None:
        check_number(self.min_iv, "min_iv", self, low=0)
        check_number(
            self.max_corr,
            "max_corr",
            self,
            low=0,
            high=1,
            low_inclusive=False,
            allow_none=True,
        )
        check_number(self.max_vif, "max_vif", self, low=1, allow_none=True)
        check_option(
            self.stepwise, "stepwise", self, (None, "forward", "backward", "both")
        )
        check_option(self.criterion, "criterion", self, ("pvalue", "aic"))
        check_number(self.p_enter, "p_enter", self, low=0, high=1, low_inclusive=False)
        check_number(
            self.p_remove, "p_remove", self, low=0, high=1, low_inclusive=False
        )
        check_number(self.C, "C", self, low=0, low_inclusive=False, allow_none=True)
        check_option(self.wrong_sign, "wrong_sign", self, ("warn", "drop"))
        check_number(self.cutoff, "cutoff", self, allow_none=True)
        check_option(self.unseen, "unseen", self, ("error", "riskiest"))

    # -- fit ------------------------------------------------------------------
    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> ApplicationScorecard:
        """Bin every feature, select, fit the logistic regression and scale points.

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
        ApplicationScorecard
            The fitted scorecard.
        """
        from loanrisk.scorecard._selection import select_features

        self._check_params()
        scale = self._scale()
        X, yv, w = self._check_fit_input(X, y, sample_weight)
        forced = list(self.force_features or [])
        unknown = [f for f in forced if f not in X.columns]
        if unknown:
            raise InputError(
                f"The 'force_features' parameter of ApplicationScorecard names "
                f"{unknown}, not columns of X."
            )
        binner = self._make_binner().fit(X, yv, w)
        woe = binner.transform(X)
        bins = binner.bins_
        selection = select_features(
            woe,
            binner.iv_,
            {
                f: bool(b.count[b.missing_index] == b.count.sum())
                for f, b in bins.items()
            },
            {f: int((b.count > 0).sum()) for f, b in bins.items()},
            yv.astype(float),
            w,
            min_iv=float(self.min_iv),
            max_corr=self.max_corr,
            max_vif=self.max_vif,
            stepwise=self.stepwise,
            criterion=self.criterion,
            p_enter=float(self.p_enter),
            p_remove=float(self.p_remove),
            forced=forced,
        )
        features = list(selection.selected)
        while True:
            if not features:
                raise InputError(
                    "No feature passed the selection (see the reasons in "
                    "ApplicationScorecard(...).fit: every feature was dropped). Lower "
                    "min_iv, or relax max_corr / max_vif / stepwise."
                )
            fit = self._fit_logit(woe[features].to_numpy(dtype=float), yv, w)
            coefs = fit.params[1:]
            wrong = [f for f, c in zip(features, coefs, strict=True) if c > 0]
            if not wrong or self.wrong_sign == "warn":
                break
            worst = features[int(np.argmax(coefs))]
            selection.steps[worst] = "sign"
            selection.reasons[worst] = (
                f"coefficient {coefs.max():.4f} has the wrong sign (expected < 0)"
            )
            features.remove(worst)
        if wrong:
            warnings.warn(
                f"ApplicationScorecard: the coefficient(s) of {wrong} are positive: "
                "their lower-risk bins would raise the PD (usually collinearity). "
                "Drop them, use wrong_sign='drop', or set max_corr.",
                LoanRiskWarning,
                stacklevel=2,
            )
        selection.selected = features

        self.binner_ = binner
        self.features_ = features
        self.selection_ = selection.frame(binner.iv_)
        self.intercept_ = np.asarray([fit.params[0]])
        self.coef_ = np.asarray([fit.params[1:]])
        self.classes_ = np.asarray([0, 1])
        self.scale_ = scale
        self.engine_ = self._points_engine(bins, features, fit.params)
        self._set_inference(fit, woe[features].to_numpy(dtype=float), binner)
        self.table_ = self._table()
        self.feature_names_in_ = np.asarray([str(c) for c in X.columns], dtype=object)
        self.n_features_in_ = X.shape[1]
        self.test_vectors_ = self._make_test_vectors()
        self.fit_metadata_ = fit_metadata(X, yv, sample_weight, None)
        return self

    def _fit_logit(self, Xw: np.ndarray, y: np.ndarray, w: np.ndarray) -> Any:
        from loanrisk.scorecard._logit import newton_logit

        l2 = 0.0 if self.C is None else 1.0 / float(self.C)
        fit = newton_logit(Xw, y.astype(float), w, l2=l2)
        if not fit.converged:
            warnings.warn(
                "ApplicationScorecard: the logistic regression did not converge in "
                "100 Newton steps (often perfect separation by one feature). Check "
                "the binning tables for bins with only goods or only bads.",
                LoanRiskWarning,
                stacklevel=3,
            )
        return fit

    def _points_engine(
        self, bins: dict[str, Any], features: list[str], params: np.ndarray
    ) -> PointsEngine:
        scale = self.scale_
        k = len(features)
        share = (scale.offset - scale.factor * float(params[0])) / k
        points = {}
        for f, coef in zip(features, params[1:], strict=True):
            raw = -scale.factor * float(coef) * bins[f].woe + share
            points[f] = np.round(raw).astype(np.int64)
        return PointsEngine(
            bins={f: bins[f] for f in features}, points=points, unseen=self.unseen
        )

    def _set_inference(self, fit: Any, Xw: np.ndarray, binner: WoEBinner) -> None:
        from loanrisk.scorecard._logit import vif

        vifs = vif(Xw)
        terms = ["(intercept)", *self.features_]
        with np.errstate(divide="ignore", invalid="ignore"):
            z = fit.params / fit.bse
        self.inference_ = pd.DataFrame(
            {
                "coef": fit.params,
                "std_err": fit.bse,
                "z": z,
                "p_value": fit.pvalues,
                "vif": [np.nan, *vifs],
                "iv": [np.nan, *(binner.iv_[f] for f in self.features_)],
            },
            index=pd.Index(terms, name="term"),
        )
        self.log_likelihood_ = float(fit.llf)
        self.aic_ = float(fit.aic)
        self.converged_ = bool(fit.converged)

    def _table(self) -> pd.DataFrame:
        parts = []
        for j, f in enumerate(self.features_):
            t = self.engine_.bins[f].table()
            t["coefficient"] = float(self.coef_[0, j])
            t["points"] = self.engine_.points[f]
            parts.append(t)
        return pd.concat(parts, ignore_index=True)

    # -- reporting ------------------------------------------------------------
    def summary_frame(self) -> pd.DataFrame:
        """Coefficient, standard error, z, p-value, VIF and IV per term."""
        check_fitted(self, "engine_")
        return self.inference_.copy()

    def summary(self) -> Summary:
        """Readable summary: fit facts, inference table, selection record.

        Prints as text (``print(card.summary())``) and renders as HTML in notebooks.
        """
        check_fitted(self, "engine_")
        meta = getattr(self, "fit_metadata_", {})
        facts: dict[str, object] = {
            "Rows": meta.get("n_rows", "?"),
            "Features in / selected": f"{self.n_features_in_} / {len(self.features_)}",
            "Estimator": "maximum likelihood (Newton-Raphson; equals statsmodels Logit)"
            if self.C is None
            else f"penalised likelihood (Newton-Raphson), L2 penalty C={self.C}",
            "Log-likelihood": f"{self.log_likelihood_:.3f}",
            "AIC": f"{self.aic_:.3f}",
            "Converged": self.converged_,
            "Scale": f"{self.base_score:g} points at odds {self.base_odds:g}:1, "
            f"{self.pdo:g} points to double the odds",
            "Score range": f"{self.score_range_[0]} to {self.score_range_[1]}",
            "Data fingerprint": meta.get("data_fingerprint", "?"),
        }
        notes = []
        if self.C is not None:
            notes.append(
                "Standard errors of a penalised fit come from the penalised Hessian "
                "and are approximate."
            )
        wrong = [f for f, c in zip(self.features_, self.coef_[0], strict=True) if c > 0]
        if wrong:
            notes.append(f"Wrong-sign coefficients: {wrong}.")
        return Summary(
            title="ApplicationScorecard",
            facts=facts,
            tables={
                "Logistic regression on WoE": self.inference_,
                "Feature selection": self.selection_,
            },
            notes=notes,
        )

    @property
    def score_range_(self) -> tuple[int, int]:
        """Lowest and highest reachable score."""
        check_fitted(self, "engine_")
        lo = sum(int(p.min()) for p in self.engine_.points.values())
        hi = sum(int(p.max()) for p in self.engine_.points.values())
        return lo, hi

    def plot_binning(self, feature: str, ax: Any = None) -> Any:
        """Bar chart of a feature's bins (counts) with the bad rate (plot extra)."""
        from loanrisk.plotting import plot_binning

        check_fitted(self, "engine_")
        return plot_binning(self.binner_.binning_table(feature), ax=ax)

    # -- persistence ----------------------------------------------------------
    def _get_state(self) -> dict[str, Any]:
        return {
            "binner": self.binner_._get_state(),
            "binner_params": self.binner_.get_params(deep=False),
            "features": list(self.features_),
            "intercept": float(self.intercept_[0]),
            "coef": [float(c) for c in self.coef_[0]],
            "engine": self.engine_.to_state(),
            "selection": {
                "feature": list(self.selection_.index),
                "iv": [float(v) for v in self.selection_["iv"]],
                "selected": [bool(v) for v in self.selection_["selected"]],
                "step": list(self.selection_["step"]),
                "reason": list(self.selection_["reason"]),
            },
            "inference": {
                c: [float(v) for v in self.inference_[c]] for c in self.inference_
            },
            "log_likelihood": self.log_likelihood_,
            "aic": self.aic_,
            "converged": self.converged_,
            "feature_names_in": [str(c) for c in self.feature_names_in_],
            "test_vectors": self.test_vectors_,
        }

    def _set_state(self, state: dict[str, Any]) -> None:
        binner = WoEBinner(**state["binner_params"])
        binner._set_state(state["binner"])
        self.binner_ = binner
        self.features_ = list(state["features"])
        self.intercept_ = np.asarray([float(state["intercept"])])
        self.coef_ = np.asarray([[float(c) for c in state["coef"]]])
        self.classes_ = np.asarray([0, 1])
        self.scale_ = self._scale()
        self.engine_ = PointsEngine.from_state(state["engine"])
        if (
            list(self.engine_.bins) != self.features_
            or len(self.features_) != self.coef_.shape[1]
        ):
            raise ModelFormatError(
                "The model file's features, coefficients and points disagree."
            )
        sel = state["selection"]
        self.selection_ = pd.DataFrame(
            {k: sel[k] for k in ("iv", "selected", "step", "reason")},
            index=pd.Index(sel["feature"], name="feature"),
        )
        self.inference_ = pd.DataFrame(
            state["inference"],
            index=pd.Index(["(intercept)", *self.features_], name="term"),
        )
        self.log_likelihood_ = float(state["log_likelihood"])
        self.aic_ = float(state["aic"])
        self.converged_ = bool(state["converged"])
        self.feature_names_in_ = np.asarray(state["feature_names_in"], dtype=object)
        self.n_features_in_ = len(self.feature_names_in_)
        self.table_ = self._table()
        self.test_vectors_ = state["test_vectors"]
        if not math.isfinite(self.intercept_[0]):
            raise ModelFormatError("The model file's intercept is not finite.")

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.classifier_tags.multi_class = False
        return tags
