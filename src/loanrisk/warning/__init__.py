"""Early warning: calibrated alert thresholds, warning bands, backtests and rules.

An early-warning system flags loans before they go bad. Thresholds are calibrated
against an explicit goal -- an alert budget, a precision or recall target met at a
stated confidence (exact Clopper-Pearson bounds), or an expected cost -- checked over
time with a walk-forward backtest, and combined with indicator rules declared as data.

Scores follow :mod:`loanrisk.metrics`: ``higher_is_riskier=True`` (PDs) by default;
pass ``higher_is_riskier=False`` for scorecard points. ``y`` is 1 for bad.

.. versionadded:: 0.1.0

Examples
--------
>>> from loanrisk.warning import ThresholdCalibrator
>>> cal = ThresholdCalibrator("budget", target=0.5)
>>> cal = cal.fit([0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1])
>>> cal.flag([0.05, 0.35]).tolist()
[False, True]
"""

from loanrisk.warning._backtest import BacktestResult, backtest
from loanrisk.warning._bands import WarningBands
from loanrisk.warning._calibrate import CalibrationReport, ThresholdCalibrator
from loanrisk.warning._system import EarlyWarningSystem

__all__ = [
    "BacktestResult",
    "CalibrationReport",
    "EarlyWarningSystem",
    "ThresholdCalibrator",
    "WarningBands",
    "backtest",
]
