"""Tests for loanrisk.metrics discrimination: auc, gini, ks, accuracy ratio, DeLong."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from sklearn.metrics import roc_auc_score

from loanrisk.errors import InputError
from loanrisk.metrics import (
    accuracy_ratio,
    auc,
    auc_ci,
    delong_test,
    gini,
    ks,
)

REF = json.loads(
    (Path(__file__).parent / "results" / "results_metrics.json").read_text()
)


def _brute_components(y: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """O(n²) structural components straight from DeLong et al. (1988)."""
    x, z = s[y == 1], s[y == 0]
    kernel = (x[:, None] > z[None, :]) + 0.5 * (x[:, None] == z[None, :])
    return kernel.mean(axis=1), kernel.mean(axis=0)


def _brute_var(y: np.ndarray, s: np.ndarray) -> float:
    v10, v01 = _brute_components(y, s)
    return float(v10.var(ddof=1) / len(v10) + v01.var(ddof=1) / len(v01))


def _cap_accuracy_ratio(y: np.ndarray, s: np.ndarray) -> float:
    """AR from the CAP curve by the trapezoid rule, tie groups as single steps."""
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    ends = np.append(np.flatnonzero(np.diff(s_sorted) != 0), len(s) - 1)
    x = np.concatenate(([0.0], (ends + 1) / len(s)))
    h = np.concatenate(([0.0], np.cumsum(y_sorted)[ends] / y.sum()))
    area = float(np.sum((x[1:] - x[:-1]) * (h[1:] + h[:-1]) / 2))
    p = y.mean()
    return (area - 0.5) / ((1 - p / 2) - 0.5)


@pytest.fixture(scope="module")
def sample() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    y = rng.binomial(1, 0.3, size=400)
    a = np.round(rng.normal(y * 0.8, 1.0), 1)  # rounding creates ties
    b = np.round(a + rng.normal(0, 0.8, size=400), 1)
    return y, a, b


def test_auc_matches_sklearn_with_ties(sample):
    y, a, _ = sample
    assert auc(y, a) == pytest.approx(roc_auc_score(y, a), abs=1e-12)


def test_auc_points_orientation(sample):
    y, a, _ = sample
    assert auc(y, -a, higher_is_riskier=False) == pytest.approx(auc(y, a), abs=1e-15)


def test_auc_weighted_matches_sklearn(sample):
    y, a, _ = sample
    w = np.random.default_rng(1).uniform(0.1, 3.0, size=len(y))
    assert auc(y, a, sample_weight=w) == pytest.approx(
        roc_auc_score(y, a, sample_weight=w), abs=1e-12
    )


def test_auc_hanley_mcneil_published():
    hm = REF["hanley_mcneil"]
    rating = np.concatenate(
        [
            np.repeat(np.arange(1, 6), hm["normal_counts"]),
            np.repeat(np.arange(1, 6), hm["abnormal_counts"]),
        ]
    )
    y = np.repeat([0, 1], [sum(hm["normal_counts"]), sum(hm["abnormal_counts"])])
    assert round(auc(y, rating), 3) == hm["auc"]
    ci = auc_ci(y, rating)
    assert ci.std_error == pytest.approx(np.sqrt(_brute_var(y, rating)), rel=1e-12)


def test_gini_and_accuracy_ratio_equal_cap_area(sample):
    y, a, _ = sample
    assert gini(y, a) == pytest.approx(2 * roc_auc_score(y, a) - 1, abs=1e-12)
    assert accuracy_ratio(y, a) == pytest.approx(_cap_accuracy_ratio(y, a), abs=1e-12)


def test_auc_keeps_index_and_accepts_series(sample):
    y, a, _ = sample
    idx = pd.Index([f"id{i}" for i in range(len(y))])
    assert auc(pd.Series(y, index=idx), pd.Series(a, index=idx)) == auc(y, a)


def test_auc_does_not_modify_inputs(sample):
    y, a, _ = sample
    a_copy = a.copy()
    auc(y, a, higher_is_riskier=False)
    ks(y, a, higher_is_riskier=False)
    np.testing.assert_array_equal(a, a_copy)


def test_all_scores_tied_gives_half():
    assert auc([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3]) == 0.5
    assert ks([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3]).statistic == 0.0


def test_ks_matches_scipy_directional(sample):
    y, a, _ = sample
    res = ks(y, a)
    expected = stats.ks_2samp(a[y == 0], a[y == 1], alternative="greater")
    assert res.statistic == pytest.approx(expected.statistic, abs=1e-12)
    # the peak score really reaches the statistic
    cut = res.score
    f_good = np.mean(a[y == 0] <= cut)
    f_bad = np.mean(a[y == 1] <= cut)
    assert f_good - f_bad == pytest.approx(res.statistic, abs=1e-12)


def test_ks_hand_example_and_points():
    res = ks([0, 0, 0, 1, 1], [0.1, 0.2, 0.6, 0.5, 0.9])
    assert res.statistic == pytest.approx(2 / 3)
    assert res.score == 0.2
    pts = ks([0, 0, 0, 1, 1], [700, 650, 540, 560, 500], higher_is_riskier=False)
    assert pts.statistic == pytest.approx(2 / 3)
    assert pts.score == 650.0
    assert json.dumps(pts.to_dict())


def test_ks_weighted_equals_repeated_rows():
    y = np.array([0, 0, 1, 1, 0, 1])
    s = np.array([0.1, 0.3, 0.3, 0.8, 0.5, 0.6])
    w = np.array([2, 1, 3, 1, 1, 2])
    rep = ks(np.repeat(y, w), np.repeat(s, w))
    weighted = ks(y, s, sample_weight=w.astype(float))
    assert weighted.statistic == pytest.approx(rep.statistic, abs=1e-12)
    assert weighted.score == rep.score


@given(
    st.lists(
        st.tuples(st.integers(0, 1), st.integers(0, 6)), min_size=4, max_size=40
    ).filter(lambda r: 0 < sum(t[0] for t in r) < len(r))
)
def test_auc_property_matches_sklearn_and_brute_force(rows):
    y = np.array([r[0] for r in rows])
    s = np.array([r[1] for r in rows], dtype=float)
    assert auc(y, s) == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    v10, _ = _brute_components(y, s)
    assert auc(y, s) == pytest.approx(v10.mean(), abs=1e-12)
    assert auc(y, s, higher_is_riskier=False) == pytest.approx(1 - auc(y, s))


@given(
    st.lists(
        st.tuples(st.integers(0, 1), st.integers(0, 5), st.integers(0, 5)),
        min_size=6,
        max_size=40,
    ).filter(lambda r: 2 <= sum(t[0] for t in r) <= len(r) - 2)
)
def test_delong_property_matches_brute_force(rows):
    y = np.array([r[0] for r in rows])
    a = np.array([r[1] for r in rows], dtype=float)
    b = np.array([r[2] for r in rows], dtype=float)
    ci = auc_ci(y, a)
    assert ci.std_error**2 == pytest.approx(_brute_var(y, a), abs=1e-12)
    v10a, v01a = _brute_components(y, a)
    v10b, v01b = _brute_components(y, b)
    var = np.var(v10a - v10b, ddof=1) / len(v10a) + np.var(v01a - v01b, ddof=1) / len(
        v01a
    )
    res = delong_test(y, a, b)
    assert res.std_error**2 == pytest.approx(var, abs=1e-12)
    if var > 1e-15:
        assert res.statistic == pytest.approx(
            (v10a.mean() - v10b.mean()) / np.sqrt(var), rel=1e-9
        )


def test_auc_ci_interval_and_bootstrap():
    rng = np.random.default_rng(2024)
    y = np.repeat([1, 0], [150, 350])
    s = rng.normal(y * 1.0, 1.0)
    ci = auc_ci(y, s, confidence=0.9)
    z = stats.norm.ppf(0.95)
    assert ci.lower == pytest.approx(ci.auc - z * ci.std_error)
    assert ci.upper == pytest.approx(ci.auc + z * ci.std_error)
    bad_idx, good_idx = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    boot = []
    for _ in range(1000):
        idx = np.concatenate(
            [
                rng.choice(bad_idx, len(bad_idx), replace=True),
                rng.choice(good_idx, len(good_idx), replace=True),
            ]
        )
        boot.append(auc(y[idx], s[idx]))
    assert ci.std_error == pytest.approx(np.std(boot, ddof=1), rel=0.12)
    assert json.loads(json.dumps(ci.to_dict()))["n_bads"] == 150


def test_auc_ci_clips_to_unit_interval():
    ci = auc_ci([0, 0, 0, 1, 1, 1], [0.1, 0.3, 0.5, 0.4, 0.7, 0.9])
    assert ci.upper == 1.0
    assert ci.auc == pytest.approx(8 / 9)
    assert "AUCInterval(auc=0.8889" in repr(ci)


def test_delong_identical_scores_and_alternatives(sample):
    y, a, b = sample
    same = delong_test(y, a, a)
    assert same.statistic == 0.0
    assert same.pvalue == 1.0
    assert same.verdict == "pass"
    two = delong_test(y, a, b)
    greater = delong_test(y, a, b, alternative="greater")
    less = delong_test(y, a, b, alternative="less")
    assert two.difference > 0
    assert greater.pvalue == pytest.approx(two.pvalue / 2)
    assert less.pvalue == pytest.approx(1 - two.pvalue / 2)
    strong = delong_test(y, a, b, alpha=0.5)
    assert strong.threshold == 0.5
    assert (strong.verdict == "fail") == (two.pvalue < 0.5)


def test_delong_fails_for_clearly_worse_score():
    rng = np.random.default_rng(3)
    y = rng.binomial(1, 0.4, size=600)
    good = rng.normal(y * 2.0, 1.0)
    noise = rng.normal(0, 1.0, size=600)
    res = delong_test(y, good, noise)
    assert res.verdict == "fail"
    assert res.pvalue < 1e-6


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("y", "score", "match"),
    [
        ([0, 1, 1], [0.1, 0.2], r"score has 2 values but y has 3"),
        ([0, 1, 1], [0.1, np.nan, 0.3], r"score has 1 missing or infinite.*labels 1"),
        ([0, 2, 1], [0.1, 0.2, 0.3], r"only 0 \(good\) and 1 \(bad\).*values 2"),
        ([1, 1, 1], [0.1, 0.2, 0.3], r"only one class, bad \(1\).*auc is undefined"),
        ([0, 1, 1], ["a", "b", "c"], r"score to be numeric"),
        ([0, 1], [[0.1], [0.2]], r"1-D array"),
    ],
)
def test_auc_bad_input(y, score, match):
    with pytest.raises(InputError, match=match):
        auc(y, score)


def test_bad_orientation_and_weights():
    with pytest.raises(InputError, match="higher_is_riskier must be True"):
        auc([0, 1], [0.1, 0.2], higher_is_riskier="yes")
    with pytest.raises(InputError, match="sample_weight has 1 negative"):
        auc([0, 1], [0.1, 0.2], sample_weight=[1.0, -1.0])
    with pytest.raises(InputError, match="zero total weight to the bads"):
        auc([0, 1], [0.1, 0.2], sample_weight=[1.0, 0.0])
    with pytest.raises(InputError, match="zero total weight to one class"):
        ks([0, 1], [0.1, 0.2], sample_weight=[0.0, 1.0])


def test_delong_bad_input():
    with pytest.raises(InputError, match="at least 2 of each class"):
        auc_ci([0, 0, 1], [0.1, 0.2, 0.3])
    with pytest.raises(InputError, match="confidence must be a number strictly"):
        auc_ci([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4], confidence=95)
    with pytest.raises(InputError, match="score_b has 3 values but y has 4"):
        delong_test([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3])
    with pytest.raises(InputError, match="'alternative' parameter of delong_test"):
        delong_test([0, 0, 1, 1], [1, 2, 3, 4], [1, 2, 3, 4], alternative="up")
    with pytest.raises(InputError, match="score_a has 1 missing"):
        delong_test([0, 0, 1, 1], [1, 2, np.inf, 4], [1, 2, 3, 4])
