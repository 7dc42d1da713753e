"""Walk-forward backtest of calibrated thresholds (private)."""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from loanrisk._checks import check_option, check_sample_weight
from loanrisk.errors import InputError, LoanRiskWarning
from loanrisk.metrics._inputs import check_level, check_y_score
from loanrisk.metrics._result import Result
from loanrisk.warning._bands import WarningBands
from loanrisk.warning._calibrate import ThresholdCalibrator, _apply
from loanrisk.warning._stats import cp_lower, cp_upper, effective

__all__ = ["BacktestResult", "backtest"]

_OWNER = "backtest"


@dataclass(frozen=True, repr=False)
class BacktestResult(Result):
    """Outcome of :func:`backtest`.

    Attributes
    ----------
    table : DataFrame
        One row per test period and level (a single level ``"alert"`` for a
        calibrator): ``period``, ``level``, ``objective``, ``target``,
        ``train_cases``, ``threshold``, ``cases``, ``alerts`` (flagged, in weight
        units), ``alert_share``, ``bads``, ``precision``, ``recall``, ``realised``
        (the value the objective targets: ``alert_share``, ``alerts`` for a
        ``max_alerts`` budget, ``precision`` or ``recall``; expected cost per case for
        ``"cost"``), ``broken`` (the realised value misses the target) and
        ``significant`` (it misses even allowing for sampling noise: the one-sided
        Clopper-Pearson bound at `confidence` lies beyond the target),
        ``calibrated`` (False for a period whose thresholds could not be calibrated,
        with ``unreachable="record"``) and ``note`` (why not).
    broken_periods : tuple
        Test periods in which some level broke its target.
    recalibrate : bool
        True when the latest test period broke significantly, or the last two test
        periods both broke.
    recommendation : str
        A one-paragraph reading of the result.
    """

    table: pd.DataFrame
    broken_periods: tuple[Any, ...]
    recalibrate: bool
    recommendation: str

    _repr_fields = ("broken_periods", "recalibrate")


def backtest(
    calibrator_or_bands: ThresholdCalibrator | WarningBands,
    scores: Any,
    y: Any,
    period: Any,
    scheme: str = "expanding",
    *,
    window: int | None = None,
    min_train_periods: int = 1,
    sample_weight: Any = None,
    confidence: float = 0.95,
    unreachable: str = "raise",
) -> BacktestResult:
    """Calibrate on past periods, apply to the next, and check the targets held.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    calibrator_or_bands : ThresholdCalibrator or WarningBands
        The (unfitted) specification; it is cloned for each test period and never
        modified.
    scores : array-like of float
        Risk scores.
    y : array-like of 0/1
        Later outcome, 1 = bad.
    period : array-like
        Period of each case (e.g. the month it was scored); any sortable values.
    scheme : {"expanding", "rolling"}, default "expanding"
        ``"expanding"``: train on every earlier period; ``"rolling"``: on the last
        `window` periods.
    window : int, optional
        Number of training periods for ``scheme="rolling"`` (required there).
    min_train_periods : int, default 1
        The first test period is the first with this many earlier periods.
    sample_weight : array-like of float, optional
        Non-negative weight per case.
    confidence : float, default 0.95
        Level of the one-sided bounds deciding whether a break is significant.
    unreachable : {"raise", "record"}, default "raise"
        What to do when a test period's training data cannot be calibrated (a
        single class, or no threshold meets the target): raise an
        :class:`~loanrisk.errors.InputError`, or record the period with
        ``calibrated=False``, no threshold and no alerts, counted as a significant
        break, and go on with the next period.

    Returns
    -------
    BacktestResult

    Notes
    -----
    A budget with ``max_alerts`` (per period) is calibrated on training data holding
    ``n_periods`` periods, so it allows ``max_alerts * n_periods`` alerts there.
    Training periods where the outcome has one class only are merged with the next
    test period's history; a test period whose training data has a single class, or
    where no threshold meets the target, raises :class:`~loanrisk.errors.InputError`
    (or is recorded as uncalibrated with ``unreachable="record"``).

    Examples
    --------
    >>> import numpy as np
    >>> from loanrisk.warning import ThresholdCalibrator, backtest
    >>> rng = np.random.default_rng(0)
    >>> pd_ = rng.uniform(size=6000)
    >>> bad = (rng.uniform(size=6000) < pd_ / 2).astype(int)
    >>> month = np.repeat(np.arange(6), 1000)
    >>> res = backtest(ThresholdCalibrator("budget", 0.1), pd_, bad, month)
    >>> res.table[["period", "alert_share"]].round(2).head(2)
       period  alert_share
    0       1         0.10
    1       2         0.10
    """
    if not isinstance(calibrator_or_bands, ThresholdCalibrator | WarningBands):
        raise InputError(
            f"{_OWNER}: calibrator_or_bands must be a ThresholdCalibrator or "
            f"WarningBands. Got {type(calibrator_or_bands).__name__}."
        )
    check_option(scheme, "scheme", _OWNER, ("expanding", "rolling"))
    check_option(unreachable, "unreachable", _OWNER, ("raise", "record"))
    conf = check_level(confidence, name="confidence", owner=_OWNER)
    if scheme == "rolling":
        if window is None:
            raise InputError(
                f'{_OWNER}(scheme="rolling") needs window, the number of past periods '
                "to calibrate on, e.g. window=6."
            )
        _check_int(window, "window")
    elif window is not None:
        raise InputError(
            f'{_OWNER}: window is used only with scheme="rolling". Remove it or pass '
            'scheme="rolling".'
        )
    _check_int(min_train_periods, "min_train_periods")
    if isinstance(calibrator_or_bands, ThresholdCalibrator):
        specs = [calibrator_or_bands]
    else:
        specs = calibrator_or_bands._check_params()[1]
    for spec in specs:
        if spec.objective == "cost":
            _scalar_cost(spec.cost_missed_bad)
            _scalar_cost(spec.cost_alert)
    y_arr, s = check_y_score(y, scores, owner=_OWNER, score_name="scores")
    w = check_sample_weight(sample_weight, len(y_arr), owner=_OWNER)
    per = _periods(period, len(y_arr))
    unique = pd.unique(per)
    try:
        unique = np.sort(unique, kind="stable")
    except TypeError:
        raise InputError(
            f"{_OWNER}: period values cannot be sorted (mixed types?). Pass one kind "
            "of value, e.g. months as pd.Period or datetime."
        ) from None
    if len(unique) <= min_train_periods:
        raise InputError(
            f"{_OWNER}: period has {len(unique)} distinct value(s); at least "
            f"{min_train_periods + 1} are needed (min_train_periods={min_train_periods}"
            " to calibrate on, plus one to test)."
        )
    codes = np.searchsorted(unique, per)
    rows: list[dict[str, Any]] = []
    for p in range(min_train_periods, len(unique)):
        first = 0 if scheme == "expanding" else max(0, p - int(window or 0))
        train = (codes >= first) & (codes < p)
        test = codes == p
        n_train_periods = p - first
        try:
            model = _fit(
                calibrator_or_bands,
                s[train],
                y_arr[train],
                w[train],
                n_train_periods,
                unique[p],
            )
        except InputError as exc:
            if unreachable == "raise":
                raise
            period_rows = _uncalibrated(
                calibrator_or_bands, s[test], y_arr[test], w[test], unique[p], exc
            )
        else:
            period_rows = _evaluate(
                model, s[test], y_arr[test], w[test], unique[p], conf
            )
        for row in period_rows:
            row["train_cases"] = float(w[train].sum())
            rows.append(row)
    table = pd.DataFrame(rows)
    columns = [
        "period", "level", "objective", "target", "train_cases", "threshold",
        "cases", "alerts", "alert_share", "bads", "precision", "recall", "realised",
        "broken", "significant", "calibrated", "note",
    ]  # fmt: skip
    table = table[columns]
    by_period = table.groupby("period", sort=False)
    broke = by_period["broken"].any()
    sig = by_period["significant"].any()
    broken_periods = tuple(broke.index[broke.to_numpy()].tolist())
    last_two = broke.to_numpy()[-2:]
    recalibrate = bool(sig.to_numpy()[-1] or (len(last_two) == 2 and last_two.all()))
    return BacktestResult(
        table=table,
        broken_periods=broken_periods,
        recalibrate=recalibrate,
        recommendation=_recommend(table, broken_periods, recalibrate, len(broke)),
    )


def _uncalibrated(
    spec: ThresholdCalibrator | WarningBands,
    s: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    period: Any,
    exc: InputError,
) -> list[dict[str, Any]]:
    """Rows of a test period whose thresholds could not be calibrated."""
    if isinstance(spec, ThresholdCalibrator):
        levels: list[tuple[str, ThresholdCalibrator]] = [("alert", spec)]
    else:
        levels = list(spec.bands)
    cases, bads = float(w.sum()), float((w * y).sum())
    return [
        {
            "period": period,
            "level": name,
            "objective": cal.objective,
            "target": float(cal.target) if cal.target is not None else float("nan"),
            "threshold": float("nan"),
            "cases": cases,
            "alerts": 0.0,
            "alert_share": 0.0,
            "bads": bads,
            "precision": float("nan"),
            "recall": 0.0 if bads > 0 else float("nan"),
            "realised": float("nan"),
            "broken": True,
            "significant": True,
            "calibrated": False,
            "note": str(exc),
        }
        for name, cal in levels
    ]


def _check_int(value: Any, name: str) -> None:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
        raise InputError(f"{_OWNER}: {name} must be a positive integer. Got {value!r}.")


def _periods(period: Any, n: int) -> np.ndarray:
    arr = period.to_numpy() if isinstance(period, pd.Series | pd.Index) else period
    arr = np.asarray(arr)
    if arr.ndim != 1 or len(arr) != n:
        raise InputError(
            f"{_OWNER}: period has shape {arr.shape} but y has {n} values. Pass one "
            "period per case."
        )
    missing = pd.isna(arr)
    if missing.any():
        first = np.flatnonzero(missing)[:3].tolist()
        raise InputError(
            f"{_OWNER}: period has {int(missing.sum())} missing value(s) (positions "
            f"{first}). Give every case its period."
        )
    return arr


def _fit(
    spec: ThresholdCalibrator | WarningBands,
    s: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    n_periods: int,
    test_period: Any,
) -> ThresholdCalibrator | WarningBands:
    model = clone(spec)
    if isinstance(model, ThresholdCalibrator):
        if model.max_alerts is not None:
            model.set_params(n_periods=n_periods)
    else:
        bands = [(name, clone(c)) for name, c in model.bands]
        for _, c in bands:
            if isinstance(c, ThresholdCalibrator) and c.max_alerts is not None:
                c.set_params(n_periods=n_periods)
        model.set_params(bands=bands)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", LoanRiskWarning)
            fitted: ThresholdCalibrator | WarningBands = model.fit(s, y, w)
            return fitted
    except InputError as exc:
        raise InputError(
            f"{_OWNER}: calibrating for test period {test_period} failed: {exc}"
        ) from None


def _levels(model: ThresholdCalibrator | WarningBands) -> list[tuple[str, Any, float]]:
    if isinstance(model, ThresholdCalibrator):
        return [("alert", model, float(model.threshold_))]
    return [
        (name, cal, float(t))
        for (name, _), cal, t in zip(
            model.bands, model.calibrators_, model.thresholds_, strict=True
        )
    ]


def _evaluate(
    model: ThresholdCalibrator | WarningBands,
    s: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    period: Any,
    conf: float,
) -> list[dict[str, Any]]:
    out = []
    cases, bads = float(w.sum()), float((w * y).sum())
    bads2 = float((w * w * y).sum())
    for name, cal, threshold in _levels(model):
        flag = _apply(s, threshold, bool(cal.higher_is_riskier))
        alerts = float(w[flag].sum())
        alerts2 = float((w[flag] ** 2).sum())
        fb = float((w * y)[flag].sum())
        precision = fb / alerts if alerts > 0 else float("nan")
        recall = fb / bads if bads > 0 else float("nan")
        objective = cal.objective
        target = float(cal.target) if cal.target is not None else float("nan")
        if objective == "budget":
            if cal.max_alerts is not None:
                target = float(cal.max_alerts)
                realised = alerts
                broken = alerts > target
                significant = broken  # a count, not an estimate
            else:
                realised = alerts / cases
                broken = realised > target
                x, n = effective(alerts, cases, float((w * w).sum()))
                significant = bool(cp_lower(x, n, conf) > target)
        elif objective == "precision":
            realised = precision
            broken = not precision >= target
            x, n = effective(fb, alerts, alerts2)
            significant = bool(alerts > 0 and cp_upper(x, n, conf) < target)
        elif objective == "recall":
            realised = recall
            broken = bool(bads > 0 and recall < target)
            x, n = effective(fb, bads, bads2)
            significant = bool(bads > 0 and cp_upper(x, n, conf) < target)
        else:
            c_miss = _scalar_cost(cal.cost_missed_bad)
            c_alert = _scalar_cost(cal.cost_alert)
            missed = (w * y)[~flag].sum()
            realised = float((c_miss * missed + c_alert * alerts) / cases)
            broken = significant = False
        out.append(
            {
                "period": period,
                "level": name,
                "objective": objective,
                "target": target,
                "threshold": threshold,
                "cases": cases,
                "alerts": alerts,
                "alert_share": alerts / cases,
                "bads": bads,
                "precision": precision,
                "recall": recall,
                "realised": float(realised),
                "broken": bool(broken),
                "significant": bool(significant),
                "calibrated": True,
                "note": "",
            }
        )
    return out


def _scalar_cost(value: Any) -> float:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    raise InputError(
        f"{_OWNER}: a cost calibrator with per-case costs cannot be backtested on "
        "new periods (its costs belong to the calibration cases). Use scalar "
        "cost_missed_bad and cost_alert."
    )


def _recommend(
    table: pd.DataFrame, broken: tuple[Any, ...], recalibrate: bool, n_tested: int
) -> str:
    if not broken:
        return (
            f"All targets held in the {n_tested} test period(s); no re-calibration "
            "is needed."
        )
    worst = table.loc[table["broken"]]
    levels = sorted(set(worst["level"]))
    text = (
        f"Targets broke in {len(broken)} of {n_tested} test period(s) "
        f"({', '.join(str(p) for p in broken[:6])}"
        f"{', ...' if len(broken) > 6 else ''}) for level(s) {levels}."
    )
    if recalibrate:
        return (
            text + " The latest period(s) broke: re-calibrate the thresholds on recent "
            "data (or use scheme='rolling') before relying on them."
        )
    return text + " The latest period held; watch the next periods."
