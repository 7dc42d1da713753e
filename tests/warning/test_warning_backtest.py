"""Tests for loanrisk.warning.backtest."""

from __future__ import annotations

import numpy as np
import pytest

from loanrisk.errors import InputError
from loanrisk.warning import (
    BacktestResult,
    ThresholdCalibrator,
    WarningBands,
    backtest,
)


def test_hand_example_expanding_and_rolling():
    # period 0 trains; period 1 and 2 test. Budget 50%: threshold between the 2nd and
    # 3rd highest training scores.
    s = np.array([0.1, 0.2, 0.3, 0.4, 0.15, 0.25, 0.35, 0.45, 0.5, 0.6, 0.7, 0.8])
    y = np.array([0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1])
    period = np.repeat([0, 1, 2], 4)
    res = backtest(ThresholdCalibrator("budget", 0.5), s, y, period)
    assert isinstance(res, BacktestResult)
    t = res.table
    assert t["period"].tolist() == [1, 2]
    assert t.loc[0, "threshold"] == pytest.approx(0.25)  # trained on period 0
    assert t.loc[0, "alerts"] == 2 and t.loc[0, "alert_share"] == 0.5
    assert t.loc[0, "precision"] == 0.5 and t.loc[0, "recall"] == 0.5
    assert t.loc[1, "train_cases"] == 8
    assert t.loc[1, "alerts"] == 4  # every period-2 score is above the threshold
    assert t["broken"].tolist() == [False, True]
    assert res.broken_periods == (2,)
    # 4 of 4 flagged vs a 50% budget: the one-sided 95% lower bound of the share,
    # 0.05 ** (1 / 4) = 0.473, is below 0.5, so the break is not significant.
    assert not res.table.loc[1, "significant"]
    assert not res.recalibrate
    roll = backtest(
        ThresholdCalibrator("budget", 0.5), s, y, period, scheme="rolling", window=1
    )
    assert roll.table.loc[1, "train_cases"] == 4
    assert roll.table.loc[1, "threshold"] == pytest.approx(0.3)


def test_bands_on_simulated_book(panel):
    spec = WarningBands(
        [
            ("amber", ThresholdCalibrator("budget", 0.10)),
            ("red", ThresholdCalibrator("precision", 0.15)),
        ]
    )
    res = backtest(spec, panel["pd"], panel["bad"], panel["month"], min_train_periods=6)
    t = res.table
    assert set(t["level"]) == {"amber", "red"}
    assert len(t) == 2 * (panel["month"].nunique() - 6)
    amber = t[t["level"] == "amber"]
    # an expanding budget holds to within a few points in each period
    assert (amber["alert_share"].between(0.05, 0.15)).all()
    red = t[t["level"] == "red"]
    assert (red["realised"] == red["precision"]).all()
    assert (red["broken"] == (red["precision"] < 0.15)).all()
    assert (amber["broken"] == (amber["alert_share"] > 0.10)).all()
    assert (t["significant"] <= t["broken"]).all()
    assert res.recommendation.startswith(("All targets held", "Targets broke"))
    assert spec.bands[0][1].__dict__.get("threshold_") is None  # spec untouched


def test_max_alerts_scaled_by_training_periods():
    rng = np.random.default_rng(0)
    s = rng.uniform(size=400)
    y = (rng.uniform(size=400) < s).astype(int)
    period = np.repeat([1, 2, 3, 4], 100)
    res = backtest(ThresholdCalibrator("budget", max_alerts=10), s, y, period)
    t = res.table
    assert t["target"].tolist() == [10.0, 10.0, 10.0]
    assert (t["alerts"].between(3, 20)).all()


def test_cost_backtest():
    rng = np.random.default_rng(1)
    s = rng.uniform(size=300)
    y = (rng.uniform(size=300) < s).astype(int)
    cal = ThresholdCalibrator("cost", cost_missed_bad=5.0, cost_alert=1.0)
    res = backtest(cal, s, y, np.repeat([0, 1, 2], 100))
    assert not res.table["broken"].any() and res.table["realised"].gt(0).all()


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"scheme": "rolling"}, "needs window, the number of past periods"),
        ({"window": 3}, 'window is used only with scheme="rolling"'),
        ({"scheme": "weekly"}, "'scheme' parameter of backtest must be one of"),
        ({"min_train_periods": 3}, "period has 3 distinct value"),
    ],
)
def test_errors(kwargs, match):
    s, y, p = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [0, 1, 0, 1, 0, 1], [0, 0, 1, 1, 2, 2]
    with pytest.raises(InputError, match=match):
        backtest(ThresholdCalibrator("budget", 0.5), s, y, p, **kwargs)


def test_more_errors():
    s, y = [0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]
    with pytest.raises(InputError, match="must be a ThresholdCalibrator or"):
        backtest("budget", s, y, [0, 0, 1, 1])
    with pytest.raises(InputError, match="period has 1 missing value"):
        backtest(ThresholdCalibrator("budget", 0.5), s, y, [0, None, 1, 1])
    with pytest.raises(InputError, match=r"period has shape \(3,\)"):
        backtest(ThresholdCalibrator("budget", 0.5), s, y, [0, 0, 1])
    with pytest.raises(InputError, match="calibrating for test period 1 failed"):
        backtest(ThresholdCalibrator("budget", 0.5), s, [0, 0, 1, 1], [0, 0, 1, 1])
    per_case = ThresholdCalibrator("cost", cost_missed_bad=[1.0] * 4, cost_alert=1.0)
    with pytest.raises(InputError, match="per-case costs cannot be backtested"):
        backtest(per_case, s, y, [0, 0, 1, 1])


def test_unreachable_periods_can_be_recorded():
    # Period 1 trains on period 0, whose outcomes are all good: it cannot be
    # calibrated; period 2 trains on periods 0-1 and can.
    s = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
    y = [0, 0, 0, 1, 0, 1, 0, 1]
    p = [0, 0, 1, 1, 2, 2, 2, 2]
    spec = ThresholdCalibrator("budget", 0.5)
    with pytest.raises(InputError, match="calibrating for test period 1 failed"):
        backtest(spec, s, y, p)
    res = backtest(spec, s, y, p, unreachable="record")
    first, second = res.table.iloc[0], res.table.iloc[1]
    assert not first["calibrated"] and first["broken"] and first["significant"]
    assert first["alerts"] == 0 and np.isnan(first["threshold"])
    assert "calibrating for test period 1 failed" in first["note"]
    assert second["calibrated"] and second["note"] == ""
    assert 1 in res.broken_periods
    with pytest.raises(InputError, match="'unreachable' parameter"):
        backtest(spec, s, y, p, unreachable="skip")
