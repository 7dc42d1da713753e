"""`loanrisk score` and `loanrisk validate` on every scorecard class's model file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import loanrisk
from loanrisk.cli import main
from loanrisk.scorecard import GradientBoostingScorecard, SegmentedScorecard

MODELS = {
    "gbm": lambda: GradientBoostingScorecard(n_estimators=20, random_state=0),
    "segmented": lambda: SegmentedScorecard("housing", min_segment_size=70),
}


def _shuffled(german):
    X, y = german
    order = np.random.default_rng(0).permutation(len(X))
    return X.iloc[order].reset_index(drop=True), y.iloc[order].reset_index(drop=True)


@pytest.fixture(scope="module", params=sorted(MODELS))
def saved(request, german, tmp_path_factory):
    X, y = _shuffled(german)
    folder = tmp_path_factory.mktemp(request.param)
    model = MODELS[request.param]().fit(X.iloc[:700], y.iloc[:700])
    path = loanrisk.save(model, folder / "model.json")
    dev = X.iloc[:700].assign(bad=y.iloc[:700])
    cur = X.iloc[700:].assign(bad=y.iloc[700:])
    dev.to_csv(folder / "dev.csv", index=False)
    cur.to_csv(folder / "cur.csv", index=False)
    return model, path, folder


@pytest.mark.filterwarnings("ignore::loanrisk.errors.LoanRiskWarning")
def test_score_csv_equals_python_scores(saved, german) -> None:
    model, path, folder = saved
    X, _ = _shuffled(german)
    out = folder / "scores.csv"
    args = ["score", str(path), str(folder / "cur.csv"), "-o", str(out)]
    assert main([*args, "--reasons", "2"]) == 0
    got = pd.read_csv(out)
    assert (got["score"].to_numpy() == model.score(X.iloc[700:]).to_numpy()).all()
    assert "reason_2" in got


@pytest.mark.filterwarnings("ignore::loanrisk.errors.LoanRiskWarning")
def test_validate_csv(saved, capsys) -> None:
    _, path, folder = saved
    report = folder / "report.html"
    args = ["validate", str(path), "--dev", str(folder / "dev.csv")]
    assert (
        main([*args, "--current", str(folder / "cur.csv"), "--out", str(report)]) == 0
    )
    assert report.read_text().startswith("<!DOCTYPE html>")
    assert "Overall:" in capsys.readouterr().out


def test_non_scorecard_model_is_refused(german, tmp_path: Path, capsys) -> None:
    from loanrisk.binning import WoEBinner

    X, y = german
    path = loanrisk.save(
        WoEBinner().fit(X[["duration_in_month"]], y), tmp_path / "b.json"
    )
    X.head(3).to_csv(tmp_path / "in.csv", index=False)
    args = ["score", str(path), str(tmp_path / "in.csv"), "-o", str(tmp_path / "o.csv")]
    assert main(args) == 2
    assert "holds a WoEBinner, which gives no points score" in capsys.readouterr().err
