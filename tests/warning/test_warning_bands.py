"""Tests for loanrisk.warning.WarningBands."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import beta

import loanrisk
from loanrisk.errors import InputError, LoanRiskWarning, NotFittedError
from loanrisk.warning import ThresholdCalibrator, WarningBands

S = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
Y = [0, 0, 0, 1, 0, 1, 1, 1]


def _bands(**kw):
    return WarningBands(
        [
            ("amber", ThresholdCalibrator("budget", 0.5, **kw)),
            ("red", ThresholdCalibrator("budget", 0.25, **kw)),
        ]
    )


def test_hand_example_table():
    bands = _bands().fit(S, Y)
    np.testing.assert_allclose(bands.thresholds_, [0.45, 0.65])
    assert bands.classify(S).tolist() == ["green"] * 4 + ["amber"] * 2 + ["red"] * 2
    t = bands.table_
    assert list(t.index) == ["green", "amber", "red"]
    assert t["cases"].tolist() == [4, 2, 2]
    assert t["bads"].tolist() == [1, 1, 2]
    np.testing.assert_allclose(t["precision"], [0.25, 0.5, 1.0])
    np.testing.assert_allclose(t["recall"], [0.25, 0.25, 0.5])
    np.testing.assert_allclose(t["lift"], [0.5, 1.0, 2.0])
    np.testing.assert_allclose(t["cum_precision"], [0.5, 0.75, 1.0])
    np.testing.assert_allclose(t["cum_recall"], [1.0, 0.75, 0.5])
    # two-sided 95% Clopper-Pearson: amber 1 of 2
    assert t.loc["amber", "precision_low"] == pytest.approx(beta.ppf(0.025, 1, 2))
    assert t.loc["amber", "precision_high"] == pytest.approx(beta.ppf(0.975, 2, 1))
    assert t.loc["red", "precision_high"] == 1.0
    assert t.loc["red", "recall_low"] == pytest.approx(beta.ppf(0.025, 2, 3))


def test_points_direction_and_index():
    points = pd.Series(600 - 100 * np.asarray(S), index=list("abcdefgh"))
    bands = _bands(higher_is_riskier=False).fit(points, Y)
    out = bands.classify(points)
    assert list(out.index) == list("abcdefgh")
    assert out.tolist() == ["green"] * 4 + ["amber"] * 2 + ["red"] * 2
    assert out.cat.ordered and list(out.cat.categories) == ["green", "amber", "red"]


def test_non_nested_levels_are_tightened_with_warning():
    bands = WarningBands(
        [
            ("amber", ThresholdCalibrator("budget", 0.25)),
            ("red", ThresholdCalibrator("budget", 0.5)),
        ]
    )
    with pytest.warns(
        LoanRiskWarning, match="level 'red' calibrated to threshold 0.45"
    ):
        bands.fit(S, Y)
    assert bands.adjusted_ == [False, True]
    assert bands.thresholds_[0] == bands.thresholds_[1]
    assert (
        bands.table_.loc["red", "cases"] == 2
        and bands.table_.loc["amber", "cases"] == 0
    )


def test_table_on_new_data_and_round_trip(tmp_path):
    bands = _bands().fit(S, Y)
    t = bands.table([0.05, 0.9], [0, 1])
    assert t["cases"].tolist() == [1, 0, 1]
    path = loanrisk.save(bands, tmp_path / "bands.json")
    back = loanrisk.load(path)
    pd.testing.assert_frame_equal(back.table_, bands.table_)
    assert back.classify(S).tolist() == bands.classify(S).tolist()


@pytest.mark.parametrize(
    "spec,match",
    [
        ([], "non-empty list of \\(name, ThresholdCalibrator\\) pairs"),
        ([("amber", 0.1)], r"bands\[0\] must be a \(name, ThresholdCalibrator\) pair"),
        (
            [("green", ThresholdCalibrator("budget", 0.1))],
            "level names must be unique",
        ),
        (
            [
                ("amber", ThresholdCalibrator("budget", 0.5)),
                ("red", ThresholdCalibrator("budget", 0.2, higher_is_riskier=False)),
            ],
            "disagree on higher_is_riskier",
        ),
    ],
)
def test_spec_errors(spec, match):
    with pytest.raises(InputError, match=match):
        WarningBands(spec).fit(S, Y)


def test_not_fitted():
    with pytest.raises(NotFittedError):
        _bands().classify(S)


@given(
    st.lists(st.integers(0, 20), min_size=6, max_size=60),
    st.floats(0.05, 1.0),
    st.floats(0.05, 1.0),
    st.booleans(),
)
def test_bands_stay_monotone(scores, t1, t2, higher):
    s = np.asarray(scores, float)
    y = (s > np.median(s)).astype(int)
    if y.min() == y.max():
        y[0] = 1 - y[0]
    bands = WarningBands(
        [
            ("amber", ThresholdCalibrator("budget", t1, higher_is_riskier=higher)),
            ("red", ThresholdCalibrator("budget", t2, higher_is_riskier=higher)),
        ]
    )
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LoanRiskWarning)
        bands.fit(s, y)
    codes = bands.classify(s).cat.codes.to_numpy()
    risk = s if higher else -s
    order = np.argsort(risk, kind="stable")
    assert (np.diff(codes[order]) >= 0).all()  # level never falls as risk rises
    t = bands.thresholds_
    assert (t[0] <= t[1]) if higher else (t[0] >= t[1])
