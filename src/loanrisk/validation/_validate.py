"""The validation battery: ``validate(model, development, current)`` (private)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from loanrisk import metrics
from loanrisk._checks import check_frame, check_target
from loanrisk._persist import data_fingerprint
from loanrisk._version import __version__
from loanrisk.errors import InputError
from loanrisk.metrics._result import jsonable
from loanrisk.validation._masterscale import MasterScale
from loanrisk.validation._report import ValidationReport

__all__ = ["validate"]

OWNER = "validate"

SOURCES = {
    "auc": "DeLong, DeLong & Clarke-Pearson (1988); ECB instructions (2019) 2.5.3",
    "auc_initial": "ECB instructions (2019) 2.5.3.1: S = (AUC_init - AUC_curr)/s, "
    "p = 1 - Phi(S)",
    "delong_unpaired": "DeLong et al. (1988), independent samples",
    "binomial": "BCBS Working Paper 14 (2005), section IV, binomial test",
    "jeffreys": "ECB instructions (2019) 2.5.4.1, Jeffreys test",
    "hosmer_lemeshow": "BCBS Working Paper 14 (2005), section IV, Hosmer-Lemeshow",
    "spiegelhalter": "Spiegelhalter (1986); BCBS Working Paper 14 (2005), section IV",
    "brier": "Brier (1950); BCBS Working Paper 14 (2005), section IV",
    "psi": "Siddiqi (2006), Credit Risk Scorecards, ch. 8 (0.10 / 0.25)",
    "chi2_grades": "Pearson chi-square test of homogeneity, 2 x K table",
    "hhi": "ECB instructions (2019) 2.5.5.3, concentration in rating grades",
    "mwb": "ECB instructions (2019) 2.5.5.1, matrix weighted bandwidth",
    "migration_z": "ECB instructions (2019) 2.5.5.2, migration matrix z-tests",
}


def _sample(value: Any, name: str) -> tuple[pd.DataFrame, np.ndarray]:
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise InputError(
            f"{OWNER}: {name} must be a pair (X, y): the features and the 0/1 outcome "
            f"of the {name} sample. Got {type(value).__name__}."
        )
    X = check_frame(value[0], owner=OWNER, name=f"{name} X")
    y_raw = value[1]
    if isinstance(y_raw, pd.Series) and not y_raw.index.equals(X.index):
        raise InputError(
            f"{OWNER}: the {name} X and y have different indexes. Align them first, "
            "e.g. y = y.loc[X.index]."
        )
    y = check_target(
        y_raw, len(X), owner=OWNER, name=f"{name} y", index=X.index, require_both=True
    )
    return X, y


def _scores(model: Any, X: pd.DataFrame) -> tuple[np.ndarray, np.ndarray | None]:
    proba = np.asarray(model.predict_proba(X), dtype=float)
    pd_ = proba[:, 1]
    score = getattr(model, "score", None)
    points = None
    if callable(score) and hasattr(model, "scale_"):
        points = np.asarray(score(X), dtype=float)
    return pd_, points


def _features(model: Any, X: pd.DataFrame) -> list[str]:
    feats = getattr(model, "features_", None)
    if feats is None:
        feats = getattr(model, "feature_names_in_", None)
    if feats is None:
        return [str(c) for c in X.columns]
    return [str(f) for f in feats]


def _test_row(
    test: str,
    sample: str,
    result: Any,
    source: str,
    *,
    threshold: str | None = None,
    grade: str | None = None,
) -> dict[str, Any]:
    d = result.to_dict() if hasattr(result, "to_dict") else dict(result)
    thr = d.get("threshold")
    if threshold is None:
        if isinstance(thr, list):
            threshold = " / ".join(f"{t:g}" for t in thr)
        else:
            threshold = f"{thr:g}" if thr is not None else ""
    return {
        "test": test,
        "sample": sample,
        "grade": grade,
        "statistic": d.get("statistic"),
        "pvalue": d.get("pvalue"),
        "threshold": threshold,
        "verdict": d.get("verdict"),
        "source": source,
    }


def validate(
    model: Any,
    development: tuple[Any, Any],
    current: tuple[Any, Any],
    *,
    master_scale: MasterScale | None = None,
    n_grades: int = 7,
    migration: tuple[Any, Any] | None = None,
    psi_bins: int = 10,
    confidence: float = 0.95,
    alpha: float = 0.05,
    calibration_thresholds: tuple[float, float] = (0.05, 0.001),
    stability_thresholds: tuple[float, float] = (0.10, 0.25),
    periods: Mapping[str, str] | None = None,
) -> ValidationReport:
    """Run the validation battery on a fitted model and return a report.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    model : fitted loanrisk model
        Anything with ``predict_proba(X)``; scorecards (with ``score(X)`` and a
        points scale) are assessed on their points for discrimination and stability.
    development : (X, y)
        The sample at development or initial validation.
    current : (X, y)
        The sample under validation (e.g. the last year of the portfolio).
    master_scale : MasterScale, optional
        Grades for the per-grade tests. Default ``MasterScale.from_log_range(pd_dev,
        n_grades)``: PD bounds spaced geometrically over the development PDs
        (equal-population grades would make the ECB HHI test degenerate: with
        CV_init = 0 any sampling noise rejects). Points map to PDs monotonically,
        so these are also points bands (each grade's development score range is
        reported).
    n_grades : int, default 7
        Number of grades of the default master scale.
    migration : (X_before, X_after), optional
        The same obligors at two dates (aligned by position): graded with the model
        for the migration matrix, MWB and z-tests. Left out when None.
    psi_bins : int, default 10
        Quantile bins of the development score (PSI) and of numeric features (CSI).
    confidence : float, default 0.95
        Confidence level of the AUC / Gini intervals.
    alpha : float, default 0.05
        Significance level of the pass/fail tests.
    calibration_thresholds : (float, float), default (0.05, 0.001)
        p-value levels (yellow, red) of the binomial and Jeffreys traffic lights.
    stability_thresholds : (float, float), default (0.10, 0.25)
        PSI / CSI levels (yellow, red).
    periods : mapping, optional
        Labels of the periods, ``{"development": "2019-2020", "current": "2024"}``,
        recorded in the report.

    Returns
    -------
    ValidationReport
        ``to_dict()``, ``to_markdown()``, ``to_html(path)``, ``tests_frame()``.

    Notes
    -----
    Every number depends only on the inputs and the settings (nothing is random), so
    a second run on the same data gives the same ``to_dict()``. The report records
    each sample's data fingerprint (``loanrisk._persist.data_fingerprint(X, y)``),
    rows, bads and period, and the loanrisk version.

    Examples
    --------
    >>> import loanrisk
    >>> from loanrisk.validation import validate
    >>> X, y = loanrisk.datasets.load_german_credit(return_X_y=True)
    >>> dev, cur = (X.iloc[:700], y.iloc[:700]), (X.iloc[700:], y.iloc[700:])
    >>> card = loanrisk.ApplicationScorecard().fit(*dev)
    >>> report = validate(card, dev, cur)
    >>> report.overall in {"green", "yellow", "red"}
    True
    """
    if not callable(getattr(model, "predict_proba", None)):
        raise InputError(
            f"{OWNER}: model must be a fitted loanrisk model with predict_proba(X); "
            f"got {type(model).__name__}."
        )
    X_dev, y_dev = _sample(development, "development")
    X_cur, y_cur = _sample(current, "current")
    if master_scale is not None and not isinstance(master_scale, MasterScale):
        raise InputError(
            f"{OWNER}: master_scale must be a loanrisk.validation.MasterScale; got "
            f"{type(master_scale).__name__}."
        )
    if periods is not None and not isinstance(periods, Mapping):
        raise InputError(
            f"{OWNER}: periods must be a mapping like {{'development': '2019', "
            f"'current': '2024'}}. Got {type(periods).__name__}."
        )
    period = dict(periods or {})
    pd_dev, pts_dev = _scores(model, X_dev)
    pd_cur, pts_cur = _scores(model, X_cur)
    use_points = pts_dev is not None and pts_cur is not None
    s_dev = pts_dev if pts_dev is not None and use_points else pd_dev
    s_cur = pts_cur if pts_cur is not None and use_points else pd_cur
    hir = not use_points
    scale = master_scale or MasterScale.from_log_range(pd_dev, n_grades=n_grades)
    g_dev = scale.grade(pd_dev)
    g_cur = scale.grade(pd_cur)

    provenance = {
        "loanrisk_version": __version__,
        "model_class": type(model).__name__,
        "model_training_fingerprint": (getattr(model, "fit_metadata_", {}) or {}).get(
            "data_fingerprint"
        ),
        "score": "points (higher = safer)" if use_points else "PD (higher = riskier)",
        "samples": {
            name: {
                "fingerprint": data_fingerprint(X, y),
                "rows": len(y),
                "bads": int(y.sum()),
                "period": period.get(name),
            }
            for name, X, y in (
                ("development", X_dev, y_dev),
                ("current", X_cur, y_cur),
            )
        },
        "settings": {
            "master_scale": scale.to_dict(),
            "master_scale_rule": (
                "given by the caller"
                if master_scale is not None
                else "PD bounds spaced geometrically between the 5th and 95th "
                f"percentiles of the development PDs ({len(scale.labels)} grades)"
            ),
            "psi_bins": psi_bins,
            "confidence": confidence,
            "alpha": alpha,
            "calibration_thresholds": list(calibration_thresholds),
            "stability_thresholds": list(stability_thresholds),
        },
    }
    sections = [
        _discrimination(y_dev, s_dev, y_cur, s_cur, hir, confidence, alpha),
        _calibration(
            y_cur, pd_cur, g_cur, g_dev, s_dev, scale, alpha, calibration_thresholds
        ),
        _stability(
            model,
            X_dev,
            X_cur,
            s_dev,
            s_cur,
            g_dev,
            g_cur,
            scale,
            psi_bins,
            alpha,
            stability_thresholds,
        ),
        _concentration(model, g_dev, g_cur, scale, migration, alpha),
    ]
    plot_data = {
        "roc": {"development": (y_dev, s_dev), "current": (y_cur, s_cur)},
        "higher_is_riskier": hir,
        "scores": (s_dev, s_cur),
    }
    return ValidationReport(provenance, sections, plot_data)


def _discrimination(
    y_dev: np.ndarray,
    s_dev: np.ndarray,
    y_cur: np.ndarray,
    s_cur: np.ndarray,
    hir: bool,
    confidence: float,
    alpha: float,
) -> dict[str, Any]:
    rows = []
    cis = {}
    for name, y, s in (("development", y_dev, s_dev), ("current", y_cur, s_cur)):
        ci = metrics.auc_ci(y, s, confidence, higher_is_riskier=hir)
        cis[name] = ci
        k = metrics.ks(y, s, higher_is_riskier=hir)
        rows.append(
            {
                "sample": name,
                "rows": len(y),
                "bads": int(y.sum()),
                "auc": ci.auc,
                "auc_lower": ci.lower,
                "auc_upper": ci.upper,
                "auc_std_error": ci.std_error,
                "gini": 2 * ci.auc - 1,
                "gini_lower": 2 * ci.lower - 1,
                "gini_upper": 2 * ci.upper - 1,
                "accuracy_ratio": metrics.accuracy_ratio(y, s, higher_is_riskier=hir),
                "ks": k.statistic,
                "ks_score": k.score,
            }
        )
    initial = metrics.auc_initial_test(
        y_cur, s_cur, cis["development"].auc, higher_is_riskier=hir, alpha=alpha
    )
    unpaired = metrics.delong_test_unpaired(
        y_dev, s_dev, y_cur, s_cur, higher_is_riskier=hir, alpha=alpha
    )
    tests = [
        _test_row(
            "current AUC vs initial AUC", "current", initial, SOURCES["auc_initial"]
        ),
        _test_row(
            "unpaired DeLong: development vs current AUC",
            "development, current",
            unpaired,
            SOURCES["delong_unpaired"],
        ),
    ]
    return {
        "name": "discrimination",
        "title": "Discrimination",
        "samples": ["development", "current"],
        "note": f"AUC with DeLong {confidence:.0%} interval; Gini = 2 AUC - 1; KS "
        "peak score. Source: " + SOURCES["auc"] + ".",
        "tests": tests,
        "tables": {"metrics": rows},
    }


def _calibration(
    y: np.ndarray,
    pd_: np.ndarray,
    grades: np.ndarray,
    grades_dev: np.ndarray,
    s_dev: np.ndarray,
    scale: MasterScale,
    alpha: float,
    lights: tuple[float, float],
) -> dict[str, Any]:
    tests = []
    rows = []
    lower_bounds = (0.0, *scale.upper_bounds[:-1])
    for pos, label in enumerate(scale.labels):
        mask = grades == label
        dev_mask = grades_dev == label
        n = int(mask.sum())
        d = int(y[mask].sum())
        row: dict[str, Any] = {
            "grade": label,
            "pd_lower": lower_bounds[pos],
            "pd_upper": scale.upper_bounds[pos],
            "dev_score_min": float(s_dev[dev_mask].min()) if dev_mask.any() else None,
            "dev_score_max": float(s_dev[dev_mask].max()) if dev_mask.any() else None,
            "n": n,
            "defaults": d,
            "observed_rate": d / n if n else None,
            "mean_pd": float(pd_[mask].mean()) if n else None,
        }
        if n:
            for test, fn in (
                ("binomial", metrics.binomial_test),
                ("jeffreys", metrics.jeffreys_test),
            ):
                res = fn(d, n, float(pd_[mask].mean()), thresholds=lights)
                row[f"{test}_pvalue"] = res.pvalue
                row[f"{test}_verdict"] = res.verdict
                tests.append(
                    _test_row(
                        f"{test} test", "current", res, SOURCES[test], grade=label
                    )
                )
        else:
            row.update(
                binomial_pvalue=None,
                binomial_verdict="n/a (empty grade)",
                jeffreys_pvalue=None,
                jeffreys_verdict="n/a (empty grade)",
            )
        rows.append(row)
    n_all, d_all, mean_pd = len(y), int(y.sum()), float(pd_.mean())
    for test, fn in (
        ("binomial", metrics.binomial_test),
        ("jeffreys", metrics.jeffreys_test),
    ):
        res = fn(d_all, n_all, mean_pd, thresholds=lights)
        tests.append(
            _test_row(f"{test} test", "current", res, SOURCES[test], grade="portfolio")
        )
    hl = metrics.hosmer_lemeshow(y, pd_, groups=grades, alpha=alpha)
    tests.append(
        _test_row(
            f"Hosmer-Lemeshow ({hl.dof} dof, by grade)",
            "current",
            hl,
            SOURCES["hosmer_lemeshow"],
        )
    )
    try:
        sp = metrics.spiegelhalter(y, pd_, alpha=alpha)
        tests.append(
            _test_row("Spiegelhalter", "current", sp, SOURCES["spiegelhalter"])
        )
    except InputError:  # every PD 0, 0.5 or 1: the test is undefined
        pass
    tests.append(
        {
            "test": "Brier score",
            "sample": "current",
            "grade": None,
            "statistic": metrics.brier(y, pd_),
            "pvalue": None,
            "threshold": "",
            "verdict": "info",
            "source": SOURCES["brier"],
        }
    )
    return {
        "name": "calibration",
        "title": "Calibration",
        "samples": ["current"],
        "note": "Per grade of the master scale and for the portfolio. The PD tested in "
        "a grade is the mean PD of its obligors. One-sided binomial and Jeffreys tests "
        f"(small p = PD underestimated): green p >= {lights[0]:g}, yellow "
        f"{lights[1]:g} <= p < {lights[0]:g}, red p < {lights[1]:g}.",
        "tests": tests,
        "tables": {"grades": rows},
    }


def _stability(
    model: Any,
    X_dev: pd.DataFrame,
    X_cur: pd.DataFrame,
    s_dev: np.ndarray,
    s_cur: np.ndarray,
    g_dev: np.ndarray,
    g_cur: np.ndarray,
    scale: MasterScale,
    bins: int,
    alpha: float,
    lights: tuple[float, float],
) -> dict[str, Any]:
    score_psi = metrics.psi(s_dev, s_cur, bins, thresholds=lights)
    feats = [f for f in _features(model, X_dev) if f in X_dev.columns]
    missing = [f for f in feats if f not in X_cur.columns]
    if missing:
        raise InputError(
            f"{OWNER}: the current X lacks the model feature(s) {missing}; pass the "
            "same columns as at development."
        )
    table = metrics.csi(X_dev, X_cur, bins, columns=feats, thresholds=lights)
    chi2 = metrics.grade_distribution_test(
        g_dev, g_cur, grades=list(scale.labels), alpha=alpha
    )
    psi_row = _test_row("score PSI", "development, current", score_psi, SOURCES["psi"])
    tests = [psi_row]
    csi_rows = []
    for feature, r in table.iterrows():
        tests.append(
            {
                "test": f"CSI {feature}",
                "sample": "development, current",
                "grade": None,
                "statistic": float(r["csi"]),
                "pvalue": None,
                "threshold": " / ".join(f"{t:g}" for t in lights),
                "verdict": r["verdict"],
                "source": SOURCES["psi"],
            }
        )
        csi_rows.append(
            {
                "feature": str(feature),
                "kind": r["kind"],
                "csi": float(r["csi"]),
                "verdict": r["verdict"],
                "n_bins": int(r["n_bins"]),
                "bins": jsonable(list(r["bins"])),
            }
        )
    tests.append(
        _test_row(
            f"chi-square of grade distribution ({chi2.dof} dof)",
            "development, current",
            chi2,
            SOURCES["chi2_grades"],
        )
    )
    psi_table = score_psi.table().reset_index()
    return {
        "name": "stability",
        "title": "Stability",
        "samples": ["development", "current"],
        "note": "Bins frozen on the development sample and recorded here (score PSI "
        f"edges: {[round(e, 6) for e in score_psi.edges]}; CSI bins per feature in "
        "the csi table). "
        f"Verdicts: green < {lights[0]:g} <= yellow < {lights[1]:g} <= red.",
        "tests": tests,
        "tables": {
            "score_psi": jsonable(psi_table.to_dict(orient="records")),
            "csi": csi_rows,
            "grade_distribution": [
                {"grade": g, "development": e, "current": a}
                for g, e, a in zip(
                    chi2.grades, chi2.expected_count, chi2.actual_count, strict=True
                )
            ],
        },
    }


def _concentration(
    model: Any,
    g_dev: np.ndarray,
    g_cur: np.ndarray,
    scale: MasterScale,
    migration: tuple[Any, Any] | None,
    alpha: float,
) -> dict[str, Any]:
    k = len(scale.labels)
    hhi_dev = metrics.hhi(g_dev)
    res = metrics.hhi_test(g_cur, hhi_dev, n_grades=k, alpha=alpha)
    tests = [
        _test_row("HHI vs initial value", "current", res, SOURCES["hhi"]),
    ]
    tables: dict[str, Any] = {
        "hhi": [
            {"sample": "development", "hhi": hhi_dev, "cv": res.cv_initial},
            {"sample": "current", "hhi": res.hhi, "cv": res.cv},
        ]
    }
    note = "HHI of the grade distribution, tested against its development value."
    if migration is not None:
        if not isinstance(migration, tuple | list) or len(migration) != 2:
            raise InputError(
                f"{OWNER}: migration must be a pair (X_before, X_after) of the same "
                f"obligors at two dates. Got {type(migration).__name__}."
            )
        xb = check_frame(migration[0], owner=OWNER, name="migration X_before")
        xa = check_frame(migration[1], owner=OWNER, name="migration X_after")
        if len(xb) != len(xa):
            raise InputError(
                f"{OWNER}: migration X_before has {len(xb)} rows but X_after has "
                f"{len(xa)}. Pass the same obligors at both dates, row by row."
            )
        gb = scale.grade(np.asarray(model.predict_proba(xb), dtype=float)[:, 1])
        ga = scale.grade(np.asarray(model.predict_proba(xa), dtype=float)[:, 1])
        mig = metrics.migration_stability(
            list(gb), list(ga), grades=list(scale.labels), alpha=alpha
        )
        for name, value in (("upper", mig.mwb_upper), ("lower", mig.mwb_lower)):
            tests.append(
                {
                    "test": f"MWB {name}",
                    "sample": "migration",
                    "grade": None,
                    "statistic": jsonable(value),
                    "pvalue": None,
                    "threshold": "",
                    "verdict": "info",
                    "source": SOURCES["mwb"],
                }
            )
        tests.append(
            {
                "test": f"migration z-tests ({mig.n_rejected} cell(s) reject)",
                "sample": "migration",
                "grade": None,
                "statistic": mig.n_rejected,
                "pvalue": None,
                "threshold": f"{alpha:g}",
                "verdict": mig.verdict,
                "source": SOURCES["migration_z"],
            }
        )
        counts = mig.table("counts").reset_index()
        pvals = mig.table("pvalue").reset_index()
        tables["migration_counts"] = jsonable(counts.to_dict(orient="records"))
        tables["migration_pvalues"] = jsonable(pvals.to_dict(orient="records"))
        note += (
            f" Migration of {len(xb)} obligors between two dates, graded with the "
            "model on the master scale."
        )
    else:
        note += " Migration: not computed (pass migration=(X_before, X_after))."
    return {
        "name": "concentration",
        "title": "Concentration and migration",
        "samples": ["development", "current"],
        "note": note,
        "tests": tests,
        "tables": tables,
    }
