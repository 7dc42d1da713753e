"""Tests for loanrisk.warning.ThresholdCalibrator."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import beta
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import make_scorer
from sklearn.model_selection import TunedThresholdClassifierCV

import loanrisk
from loanrisk.errors import InputError, NotFittedError
from loanrisk.warning import CalibrationReport, ThresholdCalibrator

S = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
Y = [0, 0, 0, 1, 0, 1, 1, 1]


def _cp_lower(x: float, n: float, conf: float) -> float:
    return 0.0 if x == 0 else float(beta.ppf(1 - conf, x, n - x + 1))


def _brute(s, y, objective, target, conf=0.95):
    """Reference: evaluate each distinct cut separately (flag score >= v)."""
    s, y = np.asarray(s, float), np.asarray(y)
    values = np.unique(s)[::-1]
    rows = [(np.inf, 0, 0)]
    for v in values:
        f = s >= v
        rows.append((v, int(f.sum()), int(y[f].sum())))
    B = int(y.sum())
    if objective == "precision":
        ok = [
            i
            for i, (_, n, b) in enumerate(rows)
            if n and _cp_lower(b, n, conf) >= target
        ]
        return rows[ok[-1]] if ok else None
    ok = [i for i, (_, n, b) in enumerate(rows) if _cp_lower(b, B, conf) >= target]
    return rows[ok[0]] if ok else None


# -- reference tests ----------------------------------------------------------


def test_precision_hand_example():
    # k flagged (riskiest first): bads/flagged and one-sided 95% CP lower bounds
    # k=3: 3/3 -> 0.05**(1/3) = 0.368; k=5: 4/5 -> beta.ppf(0.05, 4, 2) = 0.343;
    # k=6: 4/6 -> beta.ppf(0.05, 4, 3) = 0.271 < 0.3. Largest k meeting 0.3 is 5.
    assert _cp_lower(3, 3, 0.95) == pytest.approx(0.05 ** (1 / 3))
    assert _cp_lower(4, 6, 0.95) < 0.3 <= _cp_lower(4, 5, 0.95)
    cal = ThresholdCalibrator("precision", 0.3).fit(S, Y)
    assert cal.threshold_ == pytest.approx(0.35)
    rep = cal.report_
    assert (rep.flagged, rep.flagged_bads) == (5, 4)
    assert rep.precision == pytest.approx(0.8)
    assert rep.precision_lower == pytest.approx(beta.ppf(0.05, 4, 2), rel=1e-10)
    assert rep.recall == pytest.approx(1.0)
    assert rep.recall_lower == pytest.approx(0.05 ** (1 / 4), rel=1e-10)
    assert rep.lift == pytest.approx(0.8 / 0.5)
    assert cal.flag(S).tolist() == [False] * 3 + [True] * 5


def test_pinned_clopper_pearson_value():
    # beta.ppf(0.05, 3, 2) = 0.2486046...: 3 bads among 4 flagged.
    cal = ThresholdCalibrator("budget", 0.5).fit(S, Y)
    assert (cal.report_.flagged, cal.report_.flagged_bads) == (4, 3)
    assert cal.report_.precision_lower == pytest.approx(0.2486046257301818, rel=1e-9)


@pytest.mark.parametrize("objective,target", [("precision", 0.2), ("recall", 0.6)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_brute_force(objective, target, seed):
    rng = np.random.default_rng(seed)
    s = np.round(rng.uniform(size=300), 2)  # many ties
    y = (rng.uniform(size=300) < s * 0.6).astype(int)
    v, n, b = _brute(s, y, objective, target)
    cal = ThresholdCalibrator(objective, target).fit(s, y)
    assert (cal.report_.flagged, cal.report_.flagged_bads) == (n, b)
    assert int(cal.flag(s).sum()) == n
    assert cal.flag([v])[0]
    if np.isfinite(cal.threshold_):
        assert not cal.flag([cal.threshold_])[0]


def test_recall_hand_example():
    # 4 bads; recall lower bounds at 80%: x/4 -> 3 bads: beta.ppf(0.2, 3, 2) = 0.48,
    # 4 bads: 0.2**(1/4) = 0.669. Target 0.6 needs all 4 bads: flag down to 0.4.
    assert _cp_lower(3, 4, 0.8) < 0.6 <= _cp_lower(4, 4, 0.8)
    cal = ThresholdCalibrator("recall", 0.6, confidence=0.8).fit(S, Y)
    assert cal.threshold_ == pytest.approx(0.35)
    assert cal.report_.recall_lower == pytest.approx(0.2**0.25)


def test_budget_and_points_direction():
    cal = ThresholdCalibrator("budget", 0.25).fit(S, Y)
    assert cal.threshold_ == pytest.approx(0.65)
    points = -np.asarray(S) * 100 + 600  # higher = safer
    cal_pts = ThresholdCalibrator("budget", 0.25, higher_is_riskier=False)
    cal_pts.fit(points, Y)
    assert cal_pts.threshold_ == pytest.approx(535.0)  # between 530 and 540
    assert cal_pts.flag(points).tolist() == cal.flag(S).tolist()
    assert cal_pts.report_.precision == cal.report_.precision == 1.0


def test_ties_are_never_split():
    s = [0.1, 0.2, 0.5, 0.5, 0.5, 0.9]
    y = [0, 0, 1, 0, 1, 1]
    cal = ThresholdCalibrator("budget", 0.5).fit(s, y)  # 3 allowed; 4 would split
    assert cal.flag(s).tolist() == [False, False, False, False, False, True]
    assert 0.5 < cal.threshold_ < 0.9
    cal = ThresholdCalibrator("budget", 4 / 6).fit(s, y)
    assert cal.flag(s).tolist() == [False, False, True, True, True, True]


def test_max_alerts_per_period():
    cal = ThresholdCalibrator("budget", max_alerts=1.5, n_periods=2).fit(S, Y)
    assert cal.report_.flagged == 3
    assert cal.report_.target == 3.0


def test_integer_weights_equal_replication():
    rng = np.random.default_rng(3)
    s = np.round(rng.uniform(size=200), 2)
    y = (rng.uniform(size=200) < s).astype(int)
    w = rng.integers(0, 4, size=200)
    rep_s, rep_y = np.repeat(s, w), np.repeat(y, w)
    for kw in (
        {"objective": "budget", "target": 0.2},
        {"objective": "cost", "cost_missed_bad": 10.0, "cost_alert": 3.0},
    ):
        a = ThresholdCalibrator(**kw).fit(s, y, sample_weight=w)
        b = ThresholdCalibrator(**kw).fit(rep_s, rep_y)
        assert a.threshold_ == b.threshold_
        assert a.report_.flagged == b.report_.flagged
        assert a.report_.precision == pytest.approx(b.report_.precision)


def test_weighted_bounds_use_effective_counts():
    # Doubling every weight leaves precision and its bound unchanged (Kish n).
    w = np.full(8, 2.0)
    a = ThresholdCalibrator("budget", 0.5).fit(S, Y, sample_weight=w).report_
    b = ThresholdCalibrator("budget", 0.5).fit(S, Y).report_
    assert a.precision_lower == pytest.approx(b.precision_lower)
    assert a.flagged == 2 * b.flagged


def test_cost_per_case_arrays():
    # Only the bad at 0.4 is expensive to miss: flagging down to 0.4 pays off.
    miss = np.array([1.0, 1, 1, 100, 1, 1, 1, 1])
    cal = ThresholdCalibrator("cost", cost_missed_bad=miss, cost_alert=2.0).fit(S, Y)
    # brute force over every cut
    s, y = np.asarray(S), np.asarray(Y)
    costs = [
        (miss * y * (s < t)).sum() + 2.0 * (s >= t).sum()
        for t in [*sorted(S, reverse=True), np.inf]
    ]
    assert cal.report_.expected_cost == pytest.approx(min(costs))
    assert cal.report_.expected_cost == 10.0  # flag 0.4..0.8: 5 alerts, no misses


class _ScoreAsProba(ClassifierMixin, BaseEstimator):
    """A 'classifier' whose probability is the score in the first column."""

    def fit(self, X, y):
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X):
        p = np.asarray(X, dtype=float)[:, 0]
        return np.c_[1 - p, p]


@pytest.mark.parametrize("seed", [0, 1])
def test_cost_at_least_as_good_as_sklearn_tuned_threshold(seed):
    rng = np.random.default_rng(seed)
    n = 4000
    pd_ = rng.beta(1, 12, size=n)
    y = (rng.uniform(size=n) < pd_).astype(int)
    c_miss, c_alert = 1000.0, 60.0

    def cost(y_true, flagged):
        return c_miss * np.sum((y_true == 1) & ~flagged) + c_alert * np.sum(flagged)

    scorer = make_scorer(lambda yt, yp: -cost(yt, yp.astype(bool)))
    tuned = TunedThresholdClassifierCV(
        _ScoreAsProba(), scoring=scorer, cv=5, random_state=0
    ).fit(pd_.reshape(-1, 1), y)
    sk_cost = cost(y, tuned.predict(pd_.reshape(-1, 1)).astype(bool))
    cal = ThresholdCalibrator("cost", cost_missed_bad=c_miss, cost_alert=c_alert)
    cal.fit(pd_, y)
    ours = cost(y, cal.flag(pd_))
    assert ours == pytest.approx(cal.report_.expected_cost)
    assert ours <= sk_cost
    # the Bayes threshold c_alert / c_miss = 0.06 is close to ours
    assert abs(cal.threshold_ - 0.06) < 0.02


def test_report_and_index_kept():
    s = pd.Series(S, index=list("abcdefgh"))
    cal = ThresholdCalibrator("budget", 0.25).fit(s, pd.Series(Y, index=s.index))
    assert isinstance(cal.report_, CalibrationReport)
    d = cal.report_.to_dict()
    assert d["objective"] == "budget" and d["expected_cost"] is None
    assert "precision_lower" in repr(cal.report_)
    assert cal.flag(s).dtype == bool


def test_save_load_round_trip(tmp_path):
    cal = ThresholdCalibrator("precision", 0.3).fit(S, Y)
    path = loanrisk.save(cal, tmp_path / "cal.json")
    back = loanrisk.load(path)
    assert back.threshold_ == cal.threshold_
    assert back.report_.to_dict() == cal.report_.to_dict()
    assert back.flag(S).tolist() == cal.flag(S).tolist()


def test_inputs_not_modified():
    s = np.array(S)
    y = np.array(Y)
    ThresholdCalibrator("recall", 0.4).fit(s, y)
    assert s.tolist() == S and y.tolist() == Y


# -- errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"objective": "lift"}, "'objective' parameter of ThresholdCalibrator must be"),
        ({"objective": "precision"}, r"needs target in \(0, 1\]: the bad rate"),
        ({"objective": "budget", "target": 1.5}, r"needs target in \(0, 1\]"),
        ({"objective": "cost", "cost_alert": 1.0}, "needs both cost_missed_bad"),
        (
            {"objective": "cost", "target": 0.1, "cost_alert": 1, "cost_missed_bad": 2},
            "takes no target",
        ),
        ({"objective": "budget", "target": 0.1, "max_alerts": 5}, "not both"),
        (
            {"objective": "recall", "target": 0.5, "max_alerts": 5},
            "only with objective",
        ),
        ({"objective": "budget", "max_alerts": -1}, "max_alerts must be a positive"),
        ({"objective": "budget", "target": 0.1, "confidence": 1.0}, "confidence must"),
        ({"objective": "budget", "target": 0.1, "higher_is_riskier": 1}, "True \\(PDs"),
        (
            {"objective": "recall", "target": 0.5, "cost_alert": 1.0},
            "used only with",
        ),
        (
            {"objective": "cost", "cost_alert": [1.0, 2.0], "cost_missed_bad": 1.0},
            r"cost_alert has shape \(2,\) but the calibration data has 8",
        ),
        (
            {"objective": "cost", "cost_alert": -1.0, "cost_missed_bad": 1.0},
            "cost_alert has 8 negative",
        ),
    ],
)
def test_parameter_errors(kwargs, match):
    with pytest.raises(InputError, match=match):
        ThresholdCalibrator(**kwargs).fit(S, Y)


def test_data_errors():
    cal = ThresholdCalibrator("budget", 0.2)
    with pytest.raises(InputError, match=r"scores has 1 missing or infinite value"):
        cal.fit([0.1, np.nan, 0.3], [0, 1, 1])
    with pytest.raises(InputError, match="holds only one class, good"):
        cal.fit([0.1, 0.2], [0, 0])
    with pytest.raises(InputError, match="holds only one class, bad"):
        cal.fit([0.1, 0.2], [1, 1])
    with pytest.raises(NotFittedError, match="not fitted yet"):
        cal.flag([0.1])
    cal.fit(S, Y)
    with pytest.raises(InputError, match="scores has 1 missing"):
        cal.flag([0.1, np.nan])


def test_unreachable_targets_state_best_value():
    with pytest.raises(
        InputError,
        match=r"no threshold reaches precision 0.9 at confidence 0.95\. The best "
        r"achievable lower bound is 0.3684 \(precision 1 on 3 flagged cases\)",
    ):
        ThresholdCalibrator("precision", 0.9).fit(S, Y)
    with pytest.raises(
        InputError,
        match=r"no threshold reaches recall 0.9 at confidence 0.95: with 4 bads, even "
        r"flagging every case gives a lower bound of only 0.4729",
    ):
        ThresholdCalibrator("recall", 0.9).fit(S, Y)


# -- properties ---------------------------------------------------------------

data = (
    st.integers(5, 60)
    .flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(0, 15), min_size=n, max_size=n),
            st.lists(st.integers(0, 1), min_size=n, max_size=n),
        )
    )
    .filter(lambda t: 0 < sum(t[1]) < len(t[1]))
)


@given(data, st.floats(0.01, 1.0), st.booleans())
def test_budget_never_exceeded_and_flag_monotone(d, target, higher):
    s, y = np.asarray(d[0], float), np.asarray(d[1])
    cal = ThresholdCalibrator("budget", target, higher_is_riskier=higher).fit(s, y)
    flags = cal.flag(s)
    assert flags.mean() <= target
    risk = s if higher else -s
    # monotone: anything at least as risky as a flagged case is flagged
    if flags.any():
        assert flags[risk >= risk[flags].min()].all()
    # ties share one flag
    for v in np.unique(s):
        assert len(set(flags[s == v])) == 1


@given(data, st.floats(0.05, 0.9), st.sampled_from(["precision", "recall"]))
def test_precision_recall_targets_met_on_calibration_data(d, target, objective):
    s, y = np.asarray(d[0], float), np.asarray(d[1])
    cal = ThresholdCalibrator(objective, target, confidence=0.9)
    try:
        cal.fit(s, y)
    except InputError as exc:
        assert "no threshold reaches" in str(exc)
        assert _brute(s, y, objective, target, 0.9) is None
        return
    f = cal.flag(s)
    n, b = int(f.sum()), int(y[f].sum())
    if objective == "precision":
        assert _cp_lower(b, n, 0.9) >= target
        assert cal.report_.precision_lower == pytest.approx(_cp_lower(b, n, 0.9))
        assert b / n >= target
    else:
        assert _cp_lower(b, int(y.sum()), 0.9) >= target
        assert b / y.sum() >= target
    assert (n, b) == _brute(s, y, objective, target, 0.9)[1:]
