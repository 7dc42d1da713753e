"""Period-by-period monitoring of a model: ``monitor`` (private)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from loanrisk import metrics
from loanrisk._checks import check_frame, check_target
from loanrisk.errors import InputError
from loanrisk.validation._validate import _features, _scores

__all__ = ["monitor"]

OWNER = "monitor"


def _periods(
    batches: Any, period: str | None, target: str
) -> list[tuple[Any, pd.DataFrame, np.ndarray]]:
    if isinstance(batches, Mapping):
        out = []
        for label, pair in batches.items():
            if not isinstance(pair, tuple | list) or len(pair) != 2:
                raise InputError(
                    f"{OWNER}: batches[{label!r}] must be a pair (X, y). Got "
                    f"{type(pair).__name__}."
                )
            X = check_frame(pair[0], owner=OWNER, name=f"X of period {label!r}")
            y = check_target(
                pair[1],
                len(X),
                owner=OWNER,
                name=f"y of period {label!r}",
                index=X.index,
                require_both=False,
            )
            out.append((label, X, y))
        return out
    if not isinstance(batches, pd.DataFrame):
        raise InputError(
            f"{OWNER}: batches must be a DataFrame with a period column and a target "
            "column, or a mapping {period: (X, y)}. Got "
            f"{type(batches).__name__}."
        )
    if period is None:
        raise InputError(
            f"{OWNER}: with a DataFrame of batches, pass period= the name of the "
            "column that labels each row's period (e.g. period='month')."
        )
    for name, arg in ((period, "period"), (target, "target")):
        if name not in batches.columns:
            raise InputError(
                f"{OWNER}: {arg}={name!r} is not a column of batches; its columns are "
                f"{list(batches.columns)[:10]}."
            )
    labels = batches[period]
    if labels.isna().any():
        raise InputError(
            f"{OWNER}: the period column {period!r} has missing values; give every "
            "row a period."
        )
    out = []
    for label in sorted(labels.unique()):
        rows = batches.loc[(labels == label).to_numpy()]
        X = rows.drop(columns=[period, target])
        y = check_target(
            rows[target],
            owner=OWNER,
            name=f"{target!r} in period {label!r}",
            require_both=False,
        )
        out.append((label, X, y))
    return out


def monitor(
    model: Any,
    batches: Any,
    period: str | None = None,
    *,
    target: str = "bad",
    reference: tuple[Any, Any] | None = None,
    bins: int = 10,
    confidence: float = 0.95,
    psi_thresholds: tuple[float, float] = (0.10, 0.25),
    calibration_thresholds: tuple[float, float] = (0.05, 0.001),
) -> pd.DataFrame:
    """Track a model period by period: stability, discrimination and calibration.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    model : fitted loanrisk model
        Anything with ``predict_proba(X)``; scorecards are tracked on their points.
    batches : DataFrame or mapping
        A DataFrame of rows with features, a `period` column and a `target` column;
        or a mapping ``{period_label: (X, y)}`` in period order.
    period : str, optional
        The period column of a DataFrame `batches` (values sorted to order periods).
    target : str, default "bad"
        The 0/1 outcome column of a DataFrame `batches`.
    reference : (X, y), optional
        The sample the bins are frozen on (development). Default: the first period.
    bins : int, default 10
        Quantile bins of the reference score (PSI) and numeric features (CSI).
    confidence : float, default 0.95
        Level of the AUC / Gini intervals.
    psi_thresholds : (float, float), default (0.10, 0.25)
        PSI / CSI alert levels (yellow, red).
    calibration_thresholds : (float, float), default (0.05, 0.001)
        Jeffreys test p-value alert levels (yellow, red).

    Returns
    -------
    DataFrame
        One row per period (index named "period"): ``n``, ``bads``,
        ``observed_bad_rate``, ``predicted_bad_rate`` (mean PD), ``jeffreys_pvalue``,
        ``auc``, ``auc_lower``, ``auc_upper``, ``gini``, ``gini_lower``,
        ``gini_upper`` (NaN when a period lacks one class or has fewer than 2 of
        each), ``score_psi``, one ``csi_<feature>`` column per model feature, and
        ``alerts``: a "; "-joined list of crossed thresholds ("" when none).

    Notes
    -----
    PSI and CSI use bins frozen on the reference sample (see
    :func:`loanrisk.metrics.psi`, :func:`loanrisk.metrics.csi`). An alert is raised
    when the score PSI or a feature's CSI reaches the yellow or red level, when the
    one-sided Jeffreys test of the mean PD (ECB 2019, 2.5.4.1) is yellow or red,
    and when the AUC's upper confidence bound falls below the reference AUC.

    Examples
    --------
    >>> import loanrisk
    >>> from loanrisk.validation import monitor
    >>> X, y = loanrisk.datasets.load_german_credit(return_X_y=True)
    >>> card = loanrisk.ApplicationScorecard().fit(X, y)
    >>> batches = {"2024Q1": (X.iloc[:500], y.iloc[:500]),
    ...            "2024Q2": (X.iloc[500:], y.iloc[500:])}
    >>> out = monitor(card, batches, reference=(X, y))
    >>> list(out.index), out["score_psi"].round(3).tolist()
    (['2024Q1', '2024Q2'], [0.013, 0.015])
    """
    if not callable(getattr(model, "predict_proba", None)):
        raise InputError(
            f"{OWNER}: model must be a fitted loanrisk model with predict_proba(X); "
            f"got {type(model).__name__}."
        )
    groups = _periods(batches, period, target)
    if not groups:
        raise InputError(f"{OWNER}: batches is empty; pass at least one period.")
    if reference is None:
        _, X_ref, y_ref = groups[0]
    else:
        if not isinstance(reference, tuple | list) or len(reference) != 2:
            raise InputError(
                f"{OWNER}: reference must be a pair (X, y). Got "
                f"{type(reference).__name__}."
            )
        X_ref = check_frame(reference[0], owner=OWNER, name="reference X")
        y_ref = check_target(
            reference[1], len(X_ref), owner=OWNER, name="reference y", index=X_ref.index
        )
    pd_ref, pts_ref = _scores(model, X_ref)
    use_points = pts_ref is not None
    hir = not use_points
    s_ref = pts_ref if pts_ref is not None else pd_ref
    feats = [f for f in _features(model, X_ref) if f in X_ref.columns]
    ref_auc = np.nan
    if y_ref.min() != y_ref.max():
        ref_auc = metrics.auc(y_ref, s_ref, higher_is_riskier=hir)
    csi_bins = {
        str(f): list(b)
        for f, b in metrics.csi(X_ref, X_ref, bins, columns=feats)["bins"].items()
    }
    rows = []
    labels = []
    for label, X, y in groups:
        pd_, pts = _scores(model, X)
        s = pts if use_points and pts is not None else pd_
        alerts: list[str] = []
        row: dict[str, Any] = {
            "n": len(y),
            "bads": int(y.sum()),
            "observed_bad_rate": float(y.mean()),
            "predicted_bad_rate": float(pd_.mean()),
        }
        jt = metrics.jeffreys_test(
            int(y.sum()), len(y), float(pd_.mean()), thresholds=calibration_thresholds
        )
        row["jeffreys_pvalue"] = jt.pvalue
        if jt.verdict != "green":
            alerts.append(
                f"calibration {jt.verdict}: Jeffreys p = {jt.pvalue:.3g} (observed "
                f"{row['observed_bad_rate']:.3g} vs predicted "
                f"{row['predicted_bad_rate']:.3g})"
            )
        n_bad = int(y.sum())
        if min(n_bad, len(y) - n_bad) >= 2:
            ci = metrics.auc_ci(y, s, confidence, higher_is_riskier=hir)
            auc, lo, hi = ci.auc, ci.lower, ci.upper
            if np.isfinite(ref_auc) and hi < ref_auc:
                alerts.append(
                    f"discrimination: AUC {auc:.3f} (upper bound {hi:.3f}) below the "
                    f"reference AUC {ref_auc:.3f}"
                )
        else:
            auc = lo = hi = np.nan
            alerts.append("discrimination: AUC undefined (fewer than 2 goods or bads)")
        row.update(
            auc=auc,
            auc_lower=lo,
            auc_upper=hi,
            gini=2 * auc - 1,
            gini_lower=2 * lo - 1,
            gini_upper=2 * hi - 1,
        )
        sp = metrics.psi(s_ref, s, bins, thresholds=psi_thresholds)
        row["score_psi"] = sp.statistic
        if sp.verdict != "green":
            alerts.append(f"score PSI {sp.verdict}: {sp.statistic:.3f}")
        missing = [f for f in feats if f not in X.columns]
        if missing:
            raise InputError(
                f"{OWNER}: period {label!r} lacks the model feature(s) {missing}."
            )
        table = metrics.csi(
            X_ref, X, csi_bins, columns=feats, thresholds=psi_thresholds
        )
        for feature, r in table.iterrows():
            row[f"csi_{feature}"] = float(r["csi"])
            if r["verdict"] != "green":
                alerts.append(f"CSI {feature} {r['verdict']}: {r['csi']:.3f}")
        row["alerts"] = "; ".join(alerts)
        rows.append(row)
        labels.append(label)
    return pd.DataFrame(rows, index=pd.Index(labels, name="period"))
