"""Calibrate an early-warning threshold against an explicit goal (private)."""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from loanrisk._checks import check_fitted, check_option, check_sample_weight
from loanrisk._persist import PersistMixin, fit_metadata
from loanrisk.errors import InputError, ModelFormatError
from loanrisk.metrics._inputs import check_level, check_scores, check_y_score
from loanrisk.metrics._result import Result
from loanrisk.warning._stats import (
    Cumulative,
    cp_lower,
    cp_lower_meets,
    cumulate,
    cut_between,
    effective,
)

__all__ = ["CalibrationReport", "ThresholdCalibrator"]

OBJECTIVES = ("budget", "precision", "recall", "cost")
_OWNER = "ThresholdCalibrator"


@dataclass(frozen=True, repr=False)
class CalibrationReport(Result):
    """What a calibrated threshold does on the calibration data.

    Counts and rates are weighted when ``sample_weight`` was given.

    Attributes
    ----------
    objective : str
        ``"budget"``, ``"precision"``, ``"recall"`` or ``"cost"``.
    target : float
        The target share, precision or recall (NaN for ``"cost"``; for a
        ``max_alerts`` budget, the number of alerts allowed on the calibration data).
    confidence : float
        Level of the one-sided Clopper-Pearson lower bounds.
    threshold : float
        The calibrated threshold (see :class:`ThresholdCalibrator`).
    higher_is_riskier : bool
        Score orientation.
    cases : float
        Cases in the calibration data.
    bads : float
        Bads in the calibration data.
    flagged : float
        Cases flagged.
    flagged_share : float
        ``flagged / cases``.
    flagged_bads : float
        Bads among the flagged cases.
    precision : float
        ``flagged_bads / flagged`` (NaN when nothing is flagged).
    precision_lower : float
        One-sided Clopper-Pearson lower bound of the precision at `confidence`.
    recall : float
        ``flagged_bads / bads``.
    recall_lower : float
        One-sided Clopper-Pearson lower bound of the recall at `confidence`.
    lift : float
        ``precision`` divided by the overall bad rate.
    expected_cost : float
        Cost of missed bads plus cost of alerts at this threshold (NaN unless the
        objective is ``"cost"``).
    n_candidates : int
        Number of distinct score values (thresholds lie between them).
    """

    objective: str
    target: float
    confidence: float
    threshold: float
    higher_is_riskier: bool
    cases: float
    bads: float
    flagged: float
    flagged_share: float
    flagged_bads: float
    precision: float
    precision_lower: float
    recall: float
    recall_lower: float
    lift: float
    expected_cost: float
    n_candidates: int

    _repr_fields = (
        "objective",
        "target",
        "threshold",
        "flagged_share",
        "precision",
        "precision_lower",
        "recall",
        "recall_lower",
    )


class ThresholdCalibrator(PersistMixin, BaseEstimator):  # type: ignore[misc]
    """Choose the alert threshold of a risk score for an explicit goal.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    objective : {"budget", "precision", "recall", "cost"}, default "budget"
        ``"budget"``: flag at most `target` share of cases (or `max_alerts` per
        period) and, within that, as many as possible. ``"precision"``: flag as many
        cases as possible while the bad rate among flagged cases is at least
        `target` at `confidence`. ``"recall"``: flag as few cases as possible while
        at least `target` of the bads are flagged at `confidence`. ``"cost"``:
        minimise ``cost_missed_bad`` over unflagged bads plus ``cost_alert`` over
        flagged cases.
    target : float, optional
        Share (``"budget"``), precision or recall in (0, 1]; not used by ``"cost"``.
    confidence : float, default 0.95
        Precision and recall targets must hold for the one-sided Clopper-Pearson
        lower bound at this level, not just for the point estimate.
    higher_is_riskier : bool, default True
        True for PDs (flag ``score > threshold_``); False for scorecard points
        (flag ``score < threshold_``).
    max_alerts : float, optional
        ``"budget"`` only, instead of `target`: the number of alerts a team can work
        per period (in units of `sample_weight` when given).
    n_periods : int, default 1
        Number of periods the calibration data spans; with `max_alerts` the data may
        hold at most ``max_alerts * n_periods`` alerts.
    cost_missed_bad, cost_alert : float or array-like, optional
        ``"cost"`` only: the cost of a bad that is not flagged and of an alert, as
        scalars or one value per calibration case (e.g. exposure x LGD x the share
        an early call saves).

    Attributes
    ----------
    threshold_ : float
        The calibrated threshold, half-way between two distinct calibration scores
        (so tied scores are never split); ``+inf``/``-inf`` when nothing / everything
        is flagged.
    report_ : CalibrationReport
        Volume, precision, recall (with lower bounds), lift and cost at the threshold.

    Notes
    -----
    One sort of the scores gives the cumulative weighted counts ``n_k`` (flagged) and
    ``b_k`` (flagged bads) for every cut ``k`` between distinct values, so every
    candidate is evaluated in ``O(n log n)`` total. Precision ``b_k / n_k`` must have
    Clopper-Pearson lower bound ``beta.ppf(1 - confidence, b, n - b + 1) >= target``;
    recall ``b_k / B`` likewise with ``B`` the number of bads. With weights, ``b`` and
    ``n`` are Kish effective counts (exactly the counts with unit weights).
    Expected cost is ``sum_{unflagged bads} c_miss + sum_{flagged} c_alert``
    (weighted); ties are broken towards fewer alerts.

    Examples
    --------
    >>> from loanrisk.warning import ThresholdCalibrator
    >>> pd_ = [0.01, 0.02, 0.05, 0.10, 0.20, 0.30, 0.40, 0.60]
    >>> bad = [0, 0, 0, 0, 1, 0, 1, 1]
    >>> cal = ThresholdCalibrator("budget", target=0.25).fit(pd_, bad)
    >>> cal.threshold_
    0.35
    >>> cal.flag(pd_).tolist()
    [False, False, False, False, False, False, True, True]
    >>> cal.report_.precision, cal.report_.recall
    (1.0, 0.666...)
    """

    def __init__(
        self,
        objective: str = "budget",
        target: float | None = None,
        *,
        confidence: float = 0.95,
        higher_is_riskier: bool = True,
        max_alerts: float | None = None,
        n_periods: int = 1,
        cost_missed_bad: Any = None,
        cost_alert: Any = None,
    ) -> None:
        self.objective = objective
        self.target = target
        self.confidence = confidence
        self.higher_is_riskier = higher_is_riskier
        self.max_alerts = max_alerts
        self.n_periods = n_periods
        self.cost_missed_bad = cost_missed_bad
        self.cost_alert = cost_alert

    # -- parameters -----------------------------------------------------------
    def _check_params(self) -> None:
        check_option(self.objective, "objective", self, OBJECTIVES)
        check_level(self.confidence, name="confidence", owner=_OWNER)
        if not isinstance(self.higher_is_riskier, bool):
            raise InputError(
                f"{_OWNER}: higher_is_riskier must be True (PDs: higher is riskier) "
                f"or False (scorecard points). Got {self.higher_is_riskier!r}."
            )
        if self.objective == "cost":
            if self.cost_missed_bad is None or self.cost_alert is None:
                raise InputError(
                    f'{_OWNER}(objective="cost") needs both cost_missed_bad and '
                    "cost_alert (scalars or one value per case)."
                )
            if self.target is not None:
                raise InputError(
                    f'{_OWNER}(objective="cost") takes no target; it minimises the '
                    "expected cost. Remove target=..."
                )
            return
        if self.cost_missed_bad is not None or self.cost_alert is not None:
            raise InputError(
                f"{_OWNER}: cost_missed_bad and cost_alert are used only with "
                f'objective="cost"; got objective={self.objective!r}.'
            )
        if self.objective == "budget" and self.max_alerts is not None:
            if self.target is not None:
                raise InputError(
                    f'{_OWNER}(objective="budget") takes either target (a share) or '
                    "max_alerts (a number per period), not both."
                )
            _check_positive(self.max_alerts, "max_alerts")
            if (
                not isinstance(self.n_periods, numbers.Integral)
                or isinstance(self.n_periods, bool)
                or self.n_periods < 1
            ):
                raise InputError(
                    f"{_OWNER}: n_periods must be a positive integer (the number of "
                    f"periods in the calibration data). Got {self.n_periods!r}."
                )
            return
        if self.max_alerts is not None:
            raise InputError(
                f'{_OWNER}: max_alerts is used only with objective="budget"; got '
                f"objective={self.objective!r}."
            )
        t = self.target
        if (
            not isinstance(t, numbers.Real)
            or isinstance(t, bool)
            or not 0.0 < float(t) <= 1.0
        ):
            what = {
                "budget": "the largest share of cases to flag, e.g. 0.05",
                "precision": "the bad rate required among flagged cases, e.g. 0.3",
                "recall": "the share of bads to flag, e.g. 0.8",
            }[self.objective]
            raise InputError(
                f"{_OWNER}(objective={self.objective!r}) needs target in (0, 1]: "
                f"{what}. Got {t!r}."
            )

    def _costs(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        return (
            _cost_vector(self.cost_missed_bad, "cost_missed_bad", n),
            _cost_vector(self.cost_alert, "cost_alert", n),
        )

    # -- fitting --------------------------------------------------------------
    def fit(
        self, scores: Any, y: Any, sample_weight: Any = None
    ) -> ThresholdCalibrator:
        """Calibrate the threshold on scores and later outcomes.

        Parameters
        ----------
        scores : array-like of float
            Risk scores (finite). PDs by default; points with
            ``higher_is_riskier=False``.
        y : array-like of 0/1
            Later outcome, 1 = bad; both classes must be present.
        sample_weight : array-like of float, optional
            Non-negative weight per case.

        Returns
        -------
        ThresholdCalibrator
            ``self``, with ``threshold_`` and ``report_``.

        Raises
        ------
        InputError
            For bad parameters, NaN scores, one-class `y`, or a target no threshold
            can meet (the message gives the best achievable value).
        """
        self._check_params()
        y_arr, s = check_y_score(y, scores, owner=_OWNER, score_name="scores")
        w = check_sample_weight(sample_weight, len(y_arr), owner=_OWNER)
        risk = s if self.higher_is_riskier else -s
        extra = None
        if self.objective == "cost":
            c_miss, c_alert = self._costs(len(y_arr))
            extra = {"miss": w * y_arr * c_miss, "alert": w * c_alert}
        cum = cumulate(risk, y_arr, w, extra)
        k = self._choose(cum)
        cut = _cut(cum.values, k)
        self.threshold_ = cut if self.higher_is_riskier else -cut
        self.report_ = self._report(cum, k)
        self.fit_metadata_ = _metadata(s, y_arr, sample_weight)
        return self

    def _choose(self, cum: Cumulative) -> int:
        total, total_bads = float(cum.n[-1]), float(cum.bads[-1])
        conf = float(self.confidence)
        if self.objective == "budget":
            if self.max_alerts is not None:
                allowed = float(self.max_alerts) * int(self.n_periods)
                ok = cum.n <= allowed
            else:
                ok = cum.n / total <= float(self.target)  # type: ignore[arg-type]
            return int(np.flatnonzero(ok)[-1])
        if self.objective == "cost":
            cost = (cum.extra["miss"][-1] - cum.extra["miss"]) + cum.extra["alert"]
            return int(np.argmin(cost))
        target = float(self.target)  # type: ignore[arg-type]
        if self.objective == "precision":
            x, n = effective(cum.bads, cum.n, cum.n2)
            with np.errstate(divide="ignore", invalid="ignore"):
                point = np.where(cum.n > 0, cum.bads / cum.n, 0.0)
            cand = np.flatnonzero(point >= target)
            meets = cp_lower_meets(x[cand], n[cand], target, conf)
            if meets.any():
                return int(cand[meets][-1])
            lower = cp_lower(x[1:], n[1:], conf)
            best = int(np.nanargmax(lower)) + 1
            raise InputError(
                f"{_OWNER}: no threshold reaches precision {target:g} at confidence "
                f"{conf:g}. The best achievable lower bound is {lower[best - 1]:.4g} "
                f"(precision {point[best]:.4g} on {cum.n[best]:g} flagged cases). "
                "Lower the target or the confidence, or calibrate on more data."
            )
        # recall
        xb, nb = effective(cum.bads, total_bads, cum.bads2[-1])
        meets = cp_lower_meets(xb, np.full(xb.shape, float(nb)), target, conf)
        if meets.any():
            return int(np.flatnonzero(meets)[0])
        best_lower = float(cp_lower(xb[-1], nb, conf))
        raise InputError(
            f"{_OWNER}: no threshold reaches recall {target:g} at confidence {conf:g}: "
            f"with {total_bads:g} bads, even flagging every case gives a lower bound "
            f"of only {best_lower:.4g}. Lower the target or the confidence, or "
            "calibrate on more bads."
        )

    def _report(self, cum: Cumulative, k: int) -> CalibrationReport:
        total, total_bads = float(cum.n[-1]), float(cum.bads[-1])
        flagged, fb = float(cum.n[k]), float(cum.bads[k])
        conf = float(self.confidence)
        x, n = effective(fb, flagged, cum.n2[k])
        xb, nb = effective(fb, total_bads, cum.bads2[-1])
        precision = fb / flagged if flagged > 0 else float("nan")
        cost = float("nan")
        if self.objective == "cost":
            miss = cum.extra["miss"]
            cost = float(miss[-1] - miss[k] + cum.extra["alert"][k])
        if self.objective == "cost":
            target = float("nan")
        elif self.max_alerts is not None:
            target = float(self.max_alerts) * int(self.n_periods)
        else:
            target = float(self.target)  # type: ignore[arg-type]
        return CalibrationReport(
            objective=str(self.objective),
            target=target,
            confidence=conf,
            threshold=float(self.threshold_),
            higher_is_riskier=bool(self.higher_is_riskier),
            cases=total,
            bads=total_bads,
            flagged=flagged,
            flagged_share=flagged / total,
            flagged_bads=fb,
            precision=precision,
            precision_lower=float(cp_lower(x, n, conf)),
            recall=fb / total_bads,
            recall_lower=float(cp_lower(xb, nb, conf)),
            lift=precision / (total_bads / total),
            expected_cost=cost,
            n_candidates=len(cum.values),
        )

    # -- use ------------------------------------------------------------------
    def flag(self, scores: Any) -> np.ndarray:
        """Boolean array: True where a case is flagged.

        ``score > threshold_`` when ``higher_is_riskier``, else
        ``score < threshold_``. Scores must be finite.
        """
        check_fitted(self, "threshold_")
        s = check_scores(scores, name="scores", owner=f"{_OWNER}.flag")
        return _apply(s, self.threshold_, self.higher_is_riskier)

    # -- persistence ----------------------------------------------------------
    def _get_state(self) -> dict[str, Any]:
        return {"threshold": float(self.threshold_), "report": _report_state(self)}

    def _set_state(self, state: dict[str, Any]) -> None:
        self.threshold_ = float(state["threshold"])
        rep = dict(state["report"])
        self.report_ = CalibrationReport(**rep)
        if self.report_.threshold != self.threshold_ and not (
            np.isnan(self.report_.threshold) and np.isnan(self.threshold_)
        ):
            raise ModelFormatError(
                "The ThresholdCalibrator's threshold and report disagree in the model "
                "file."
            )


def nested_state(model: Any) -> dict[str, Any]:
    """Parameters and fitted state of a model kept inside another model's state."""
    return {
        "params": model.get_params(deep=False),
        "state": model._get_state(),
        "metadata": getattr(model, "fit_metadata_", {}),
    }


def from_nested_state(cls: Any, nested: dict[str, Any]) -> Any:
    """Inverse of :func:`nested_state`."""
    model = cls(**nested["params"])
    model._set_state(nested["state"])
    model.fit_metadata_ = nested["metadata"]
    return model


def _report_state(cal: ThresholdCalibrator) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(cal.report_)


def _apply(s: np.ndarray, threshold: float, higher_is_riskier: bool) -> np.ndarray:
    out = s > threshold if higher_is_riskier else s < threshold
    return np.asarray(out, dtype=bool)


def _cut(values: np.ndarray, k: int) -> float:
    """Cut on the risk scale flagging exactly the top ``k`` distinct values."""
    if k == 0:
        return float("inf")
    if k == len(values):
        return float("-inf")
    return cut_between(float(values[k - 1]), float(values[k]))


def _check_positive(value: Any, name: str) -> None:
    if (
        not isinstance(value, numbers.Real)
        or isinstance(value, bool)
        or not np.isfinite(float(value))
        or value <= 0
    ):
        raise InputError(f"{_OWNER}: {name} must be a positive number. Got {value!r}.")


def _cost_vector(value: Any, name: str, n: int) -> np.ndarray:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        arr = np.full(n, float(value))
    else:
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise InputError(
                f"{_OWNER}: {name} must be a number or one number per case. Got "
                f"{type(value).__name__}."
            ) from None
        if arr.ndim != 1 or len(arr) != n:
            raise InputError(
                f"{_OWNER}: {name} has shape {arr.shape} but the calibration data has "
                f"{n} cases. Pass a scalar or one cost per case."
            )
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        first = np.flatnonzero(bad)[:3].tolist()
        raise InputError(
            f"{_OWNER}: {name} has {int(bad.sum())} negative, missing or infinite "
            f"value(s) (positions {first}). Costs must be finite and >= 0."
        )
    return arr


def _metadata(s: np.ndarray, y: np.ndarray, sample_weight: Any) -> dict[str, Any]:
    import pandas as pd

    w = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
    return fit_metadata(pd.DataFrame({"score": s}), y, w, None)
