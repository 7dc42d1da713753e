"""End-to-end and reference tests of loanrisk.validation.validate on German credit."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.metrics import roc_auc_score

from loanrisk.errors import InputError
from loanrisk.scorecard import ApplicationScorecard
from loanrisk.validation import MasterScale, ValidationReport, validate


@pytest.fixture(scope="module")
def german_split(german: tuple[pd.DataFrame, pd.Series]):
    X, y = german
    dev = (X.iloc[:600], y.iloc[:600])
    cur = (X.iloc[600:], y.iloc[600:])
    card = ApplicationScorecard().fit(*dev)
    return card, dev, cur


@pytest.fixture(scope="module")
def report(german_split) -> ValidationReport:
    card, dev, cur = german_split
    X_cur = cur[0]
    later = X_cur.assign(duration_in_month=X_cur["duration_in_month"] + 12)
    return validate(
        card, dev, cur, migration=(X_cur, later), periods={"current": "holdout"}
    )


def _tests(report: ValidationReport) -> pd.DataFrame:
    return report.tests_frame()


def test_discrimination_matches_sklearn(german_split, report) -> None:
    card, dev, cur = german_split
    rows = {r["sample"]: r for r in report.sections[0]["tables"]["metrics"]}
    for name, (X, y) in (("development", dev), ("current", cur)):
        pd_ = card.predict_proba(X)[:, 1]
        ref = roc_auc_score(y, -card.score(X))
        assert rows[name]["auc"] == pytest.approx(ref, abs=1e-12)
        assert rows[name]["gini"] == pytest.approx(2 * ref - 1, abs=1e-12)
        # PD is a monotone function of the points: same ranking.
        assert roc_auc_score(y, pd_) == pytest.approx(ref, abs=1e-12)
    t = _tests(report).set_index("test")
    ecb = t.loc["current AUC vs initial AUC"]
    s = (rows["development"]["auc"] - rows["current"]["auc"]) / rows["current"][
        "auc_std_error"
    ]
    assert ecb["statistic"] == pytest.approx(s)
    assert ecb["pvalue"] == pytest.approx(1 - stats.norm.cdf(s))


def test_calibration_per_grade_matches_scipy(german_split, report) -> None:
    card, _, (X, y) = german_split
    cal = report.sections[1]
    scale = MasterScale(**report.provenance["settings"]["master_scale"])
    pd_ = card.predict_proba(X)[:, 1]
    grades = scale.grade(pd_)
    assert sum(r["n"] for r in cal["tables"]["grades"]) == len(y)
    for row in cal["tables"]["grades"]:
        mask = grades == row["grade"]
        n, d = int(mask.sum()), int(y.to_numpy()[mask].sum())
        assert (row["n"], row["defaults"]) == (n, d)
        p = pd_[mask].mean()
        ref = stats.binomtest(d, n, p, alternative="greater").pvalue
        assert row["binomial_pvalue"] == pytest.approx(ref, rel=1e-9)
        jeff = stats.beta.cdf(p, d + 0.5, n - d + 0.5)
        assert row["jeffreys_pvalue"] == pytest.approx(jeff, rel=1e-9)


def test_stability_records_frozen_bins(german_split, report) -> None:
    card, dev, cur = german_split
    stab = report.sections[2]
    edges = np.quantile(card.score(dev[0]), np.linspace(0, 1, 11)[1:-1])
    note_edges = [r["bin"] for r in stab["tables"]["score_psi"]]
    assert len(note_edges) == len(np.unique(edges)) + 1
    # right-closed bins (e_{i-1}, e_i]: shift the edges by a hair (integer scores).
    e = np.histogram(
        card.score(dev[0]), np.r_[-np.inf, np.unique(edges) + 1e-9, np.inf]
    )[0]
    a = np.histogram(
        card.score(cur[0]), np.r_[-np.inf, np.unique(edges) + 1e-9, np.inf]
    )[0]
    es, as_ = np.maximum(e / e.sum(), 1e-4), np.maximum(a / a.sum(), 1e-4)
    ref = float(np.sum((as_ - es) * np.log(as_ / es)))
    psi_row = _tests(report).set_index("test").loc["score PSI"]
    assert psi_row["statistic"] == pytest.approx(ref)
    csi = {r["feature"]: r for r in stab["tables"]["csi"]}
    assert set(csi) == set(card.features_)
    assert all(r["bins"] for r in csi.values())


def test_concentration_and_migration(report) -> None:
    t = _tests(report)
    assert {"HHI vs initial value", "MWB upper", "MWB lower"} <= set(t["test"])
    conc = report.sections[3]["tables"]
    assert len(conc["migration_counts"]) == 7


def test_report_is_deterministic_and_json(german_split, report) -> None:
    card, dev, cur = german_split
    X_cur = cur[0]
    later = X_cur.assign(duration_in_month=X_cur["duration_in_month"] + 12)
    again = validate(
        card, dev, cur, migration=(X_cur, later), periods={"current": "holdout"}
    )
    assert json.dumps(report.to_dict(), sort_keys=True) == json.dumps(
        again.to_dict(), sort_keys=True
    )
    d = report.to_dict()
    json.dumps(d, allow_nan=False)
    samples = d["provenance"]["samples"]
    assert samples["current"]["period"] == "holdout"
    assert samples["development"]["fingerprint"].startswith("sha256:")
    assert d["provenance"]["loanrisk_version"]
    assert d["overall"] in {"green", "yellow", "red"}


def test_markdown_and_html(report, tmp_path: Path) -> None:
    md = report.to_markdown()
    for heading in ("## Discrimination", "## Calibration", "## Stability"):
        assert heading in md
    assert "Jeffreys" in md or "jeffreys" in md
    path = report.to_html(tmp_path / "report.html")
    text = path.read_text(encoding="utf-8")
    assert text.count("data:image/png;base64,") == 3
    assert 'src="http' not in text and "<link" not in text
    assert report.provenance["samples"]["current"]["fingerprint"] in text


def test_user_master_scale_and_empty_grade(german_split) -> None:
    card, dev, cur = german_split
    scale = MasterScale([0.0001, 0.1, 0.3, 1.0], labels=["AAA", "A", "B", "C"])
    rep = validate(card, dev, cur, master_scale=scale)
    rows = {r["grade"]: r for r in rep.sections[1]["tables"]["grades"]}
    assert rows["AAA"]["n"] == 0
    assert rows["AAA"]["binomial_verdict"] == "n/a (empty grade)"
    assert rep.provenance["settings"]["master_scale_rule"] == "given by the caller"


def test_bad_input_messages(german_split) -> None:
    card, dev, cur = german_split
    X, y = cur
    with pytest.raises(InputError, match="development must be a pair"):
        validate(card, dev[0], cur)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="current y has 399 values but X has 400"):
        validate(card, dev, (X, y.iloc[:-1].to_numpy()))
    with pytest.raises(InputError, match="current X and y have different indexes"):
        validate(card, dev, (X, y.reset_index(drop=True)))
    with pytest.raises(InputError, match="current y holds only one class"):
        validate(card, dev, (X, pd.Series(0, index=X.index)))
    with pytest.raises(InputError, match="model must be a fitted loanrisk model"):
        validate(object(), dev, cur)
    with pytest.raises(InputError, match="master_scale must be a loanrisk.validation"):
        validate(card, dev, cur, master_scale=[0.1, 1.0])  # type: ignore[arg-type]
    with pytest.raises(InputError, match="migration X_before has 400 rows but"):
        validate(card, dev, cur, migration=(X, X.iloc[:10]))


def test_master_scale_bad_input() -> None:
    with pytest.raises(InputError, match="upper_bounds must be strictly increasing"):
        MasterScale([0.1, 0.05, 1.0])
    with pytest.raises(InputError, match="ending with 1.0"):
        MasterScale([0.1, 0.5])
    with pytest.raises(InputError, match="labels must be 2 distinct names"):
        MasterScale([0.1, 1.0], labels=["A", "A"])
    with pytest.raises(InputError, match="n_grades must be an integer >= 2"):
        MasterScale.from_quantiles([0.1, 0.2], n_grades=1)
