"""Tests for loanrisk.warning.EarlyWarningSystem."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import loanrisk
from loanrisk.errors import InputError, NotFittedError
from loanrisk.warning import EarlyWarningSystem, ThresholdCalibrator, WarningBands

BOOK = pd.DataFrame(
    {
        "missed": [0, 1, 0, 2, 0],
        "util_jump": [0.05, 0.1, 0.4, 0.6, 0.0],
        "court": ["none", "none", "none", "ccj", "none"],
        "pd": [0.01, 0.05, 0.2, 0.5, 0.9],
    },
    index=["a", "b", "c", "d", "e"],
)
RULES = [
    {"name": "missed", "column": "missed", "operator": ">=", "threshold": 1,
     "severity": "red"},
    {"name": "util", "column": "util_jump", "operator": ">", "threshold": 0.3,
     "severity": "amber"},
    {"name": "court", "column": "court", "operator": "!=", "threshold": "none",
     "severity": "red"},
]  # fmt: skip


def test_rules_fire_vectorised_with_reasons():
    ews = EarlyWarningSystem(RULES).fit(BOOK)
    fired = ews.fired(BOOK)
    assert fired.columns.tolist() == ["missed", "util", "court"]
    assert fired.sum().tolist() == [2, 2, 1]
    out = ews.evaluate(BOOK)
    assert out.index.tolist() == list("abcde")
    assert out["level"].tolist() == ["green", "red", "amber", "red", "green"]
    assert out["rules"].tolist() == ["", "missed", "util", "missed, util, court", ""]
    assert out["n_rules"].tolist() == [0, 1, 1, 3, 0]
    alerts = ews.alerts(BOOK)
    assert alerts.index.tolist() == ["b", "d", "c"]  # red first, stable within


def test_score_bands_combine_with_rules():
    bands = WarningBands(
        [
            ("amber", ThresholdCalibrator("budget", 0.4)),
            ("red", ThresholdCalibrator("budget", 0.2)),
        ]
    )
    y = [0, 0, 1, 0, 1]
    ews = EarlyWarningSystem(RULES[1:2], score_column="pd", bands=bands)
    ews.fit(BOOK, y)
    out = ews.evaluate(BOOK)
    assert out["level"].tolist() == ["green", "green", "amber", "amber", "red"]
    assert out.loc["d", "rules"] == "util, score band amber"
    assert out.loc["e", "rules"] == "score band red"
    assert bands.__dict__.get("thresholds_") is None  # the parameter is not fitted


def test_calibrated_rule_threshold(panel):
    rules = [
        {"name": "arrears", "column": "days_past_due", "operator": ">",
         "calibrate": {"objective": "precision", "target": 0.1}, "severity": "amber"},
    ]  # fmt: skip
    ews = EarlyWarningSystem(rules).fit(panel, panel["bad"])
    cal = ews.calibrators_["arrears"]
    assert ews.rules_.loc[0, "threshold"] == cal.threshold_
    assert cal.report_.precision_lower >= 0.1
    fired = ews.fired(panel)["arrears"].to_numpy()
    np.testing.assert_array_equal(fired, cal.flag(panel["days_past_due"]))


def test_save_load_round_trip(tmp_path, panel):
    rules = [
        *RULES[:1],
        {"name": "arrears", "column": "days_past_due", "operator": ">=",
         "calibrate": {"objective": "budget", "target": 0.05}, "severity": "amber"},
    ]  # fmt: skip
    data = panel.rename(columns={"missed_3m": "missed"})
    bands = WarningBands([("red", ThresholdCalibrator("precision", 0.2))])
    ews = EarlyWarningSystem(rules, score_column="pd", bands=bands)
    ews.fit(data, data["bad"])
    back = loanrisk.load(loanrisk.save(ews, tmp_path / "ews.json"))
    pd.testing.assert_frame_equal(back.evaluate(data), ews.evaluate(data))
    pd.testing.assert_frame_equal(back.rules_, ews.rules_)


def test_missing_values():
    book = BOOK.assign(missed=[0, np.nan, 0, 2, 0])
    with pytest.raises(InputError, match=r"column 'missed' has 1 missing value\(s\) "
                       r"\(index labels 'b'\)"):  # fmt: skip
        EarlyWarningSystem(RULES).fit(book).evaluate(book)
    ews = EarlyWarningSystem(RULES, missing="no_alert").fit(book)
    assert not ews.fired(book).loc["b", "missed"]


@pytest.mark.parametrize(
    "rules,kwargs,match",
    [
        ({"column": "missed"}, {}, "rules must be a list of dicts"),
        ([[1]], {}, r"rules\[0\] must be a dict"),
        ([{**RULES[0], "op": ">"}], {}, r"unknown key\(s\) \['op'\]"),
        ([{"column": "missed", "operator": ">"}], {}, "lacks 'severity'"),
        ([{**RULES[0], "operator": "=>"}], {}, "has operator '=>'; use one of"),
        ([{**RULES[0], "severity": "green"}], {}, "severity 'green'; use one of"),
        ([{**RULES[0], "severity": "black"}], {}, "severity 'black'"),
        ([RULES[0], RULES[0]], {}, "rule name 'missed' is used twice"),
        ([{**RULES[1], "threshold": "high"}], {}, "needs a numeric threshold"),
        (
            [{**RULES[0], "calibrate": {"objective": "budget", "target": 0.1}}],
            {},
            "needs exactly one of 'threshold'",
        ),
        (
            [{**RULES[2], "threshold": None, "calibrate": {"objective": "budget"}}],
            {},
            "needs an ordering operator",
        ),
        (RULES, {"levels": ("green",)}, "at least two distinct level names"),
        (RULES, {"score_column": "pd"}, "score_column and bands go together"),
        (RULES, {"missing": "skip"}, "'missing' parameter of EarlyWarningSystem"),
        (
            RULES,
            {"score_column": "pd",
             "bands": WarningBands([("black", ThresholdCalibrator("budget", 0.1))])},
            r"the bands' level\(s\) \['black'\] are not in levels",
        ),
        ([{**RULES[0], "column": "nope"}], {}, r"missing the required column\(s\)"),
        ([], {}, "give at least one rule or score bands"),
    ],
)  # fmt: skip
def test_spec_errors(rules, kwargs, match):
    with pytest.raises(InputError, match=match):
        EarlyWarningSystem(rules, **kwargs).fit(BOOK)


def test_fit_errors():
    calibrated = [{**RULES[1], "threshold": None,
                   "calibrate": {"objective": "budget", "target": 0.2}}]  # fmt: skip
    with pytest.raises(InputError, match="fit needs y"):
        EarlyWarningSystem(calibrated).fit(BOOK)
    bad_kw = [{**calibrated[0], "calibrate": {"objective": "budget", "goal": 1}}]
    with pytest.raises(InputError, match="calibrate arguments that ThresholdCalib"):
        EarlyWarningSystem(bad_kw).fit(BOOK, [0, 1, 0, 1, 0])
    with pytest.raises(InputError, match="calibrating rule 'util' on column"):
        EarlyWarningSystem(calibrated).fit(BOOK, [0, 0, 0, 0, 0])
    text = [{**RULES[0], "column": "court"}]
    with pytest.raises(InputError, match="column 'court' has dtype"):
        EarlyWarningSystem(text).fit(BOOK).evaluate(BOOK)
    with pytest.raises(NotFittedError):
        EarlyWarningSystem(RULES).evaluate(BOOK)
