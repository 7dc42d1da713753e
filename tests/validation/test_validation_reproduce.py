"""loanrisk.validation.reproduce: refit a saved model and compare byte for byte."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import loanrisk
from loanrisk.errors import ModelFormatError
from loanrisk.scorecard import ApplicationScorecard
from loanrisk.validation import reproduce


@pytest.fixture(scope="module")
def saved(german: tuple[pd.DataFrame, pd.Series], tmp_path_factory) -> Path:
    X, y = german
    path = tmp_path_factory.mktemp("repro") / "card.json"
    loanrisk.save(ApplicationScorecard(pdo=25).fit(X, y), path)
    return path


def test_reproduce_identical(saved: Path, german) -> None:
    X, y = german
    res = reproduce(saved, X, y)
    assert res.identical and res.fingerprint_matched
    assert res.differences == ()
    assert res.model_class == "ApplicationScorecard"
    assert res.to_dict()["identical"] is True


def test_reproduce_different_data(saved: Path, german) -> None:
    X, y = german
    res = reproduce(saved, X.iloc[:800], y.iloc[:800])
    assert not res.identical and not res.fingerprint_matched
    assert "metadata.data_fingerprint" in res.differences
    assert any(d.startswith("fitted.") for d in res.differences)


def test_reproduce_same_values_reordered_rows(saved: Path, german) -> None:
    X, y = german
    res = reproduce(saved, X.iloc[::-1], y.iloc[::-1])
    assert not res.fingerprint_matched and not res.identical


def test_reproduce_tampered_file(saved: Path, german, tmp_path: Path) -> None:
    X, y = german
    bad = tmp_path / "bad.json"
    bad.write_text(saved.read_text().replace('"pdo": 25', '"pdo": 30'))
    with pytest.raises(ModelFormatError, match="checksum does not match"):
        reproduce(bad, X, y)
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(ModelFormatError, match="its JSON is corrupt"):
        reproduce(broken, X, y)
