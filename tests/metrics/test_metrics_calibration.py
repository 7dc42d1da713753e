"""Tests for metrics calibration: Brier, binomial, Jeffreys, HL, Spiegelhalter."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, stats
from sklearn.metrics import brier_score_loss

from loanrisk.errors import InputError
from loanrisk.metrics import (
    binomial_test,
    brier,
    hosmer_lemeshow,
    jeffreys_test,
    spiegelhalter,
)

REF = json.loads(
    (Path(__file__).parent / "results" / "results_metrics.json").read_text()
)


def test_brier_matches_sklearn():
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 1, 200)
    y = rng.binomial(1, p)
    w = rng.uniform(0.5, 2, 200)
    assert brier(y, p) == pytest.approx(brier_score_loss(y, p), abs=1e-15)
    assert brier(y, p, sample_weight=w) == pytest.approx(
        brier_score_loss(y, p, sample_weight=w), abs=1e-15
    )


@given(
    st.integers(1, 400).flatmap(
        lambda n: st.tuples(st.just(n), st.integers(0, n), st.floats(0.0005, 0.9995))
    )
)
def test_binomial_matches_scipy_binomtest(args):
    n, d, p = args
    res = binomial_test(d, n, p)
    expected = stats.binomtest(d, n, p, alternative="greater").pvalue
    assert res.pvalue == pytest.approx(expected, rel=1e-9, abs=1e-300)
    assert res.statistic == d
    assert res.observed_rate == d / n


@pytest.mark.parametrize(("d", "n", "p"), [(9, 200, 0.02), (0, 50, 0.01), (3, 10, 0.4)])
def test_jeffreys_matches_posterior_integral(d, n, p):
    density = stats.beta(d + 0.5, n - d + 0.5).pdf
    expected, _ = integrate.quad(density, 0, p, limit=200)
    assert jeffreys_test(d, n, p).pvalue == pytest.approx(expected, rel=1e-7)


def test_traffic_lights_and_thresholds():
    assert binomial_test(4, 200, 0.02).verdict == "green"  # p ~ 0.57
    yellow = binomial_test(9, 200, 0.02)
    assert 0.001 <= yellow.pvalue < 0.05
    assert yellow.verdict == "yellow"
    red = binomial_test(20, 200, 0.02)
    assert red.pvalue < 0.001
    assert red.verdict == "red"
    assert yellow.threshold == (0.05, 0.001)
    strict = binomial_test(9, 200, 0.02, thresholds=(0.01, 0.001))
    assert strict.verdict == "green"
    assert jeffreys_test(0, 100, 0.01).verdict == "green"


def test_grade_without_defaults_is_defined():
    assert binomial_test(0, 100, 0.05).pvalue == 1.0
    assert 0.5 < jeffreys_test(0, 100, 0.05).pvalue <= 1.0


def test_result_to_dict_is_json_and_repr_is_short():
    res = jeffreys_test(9, 200, 0.02)
    payload = json.loads(json.dumps(res.to_dict()))
    assert payload["test"] == "jeffreys"
    assert payload["threshold"] == [0.05, 0.001]
    assert repr(res).startswith("DefaultRateTestResult(test='jeffreys', statistic=9,")
    with pytest.raises(AttributeError):
        res.pvalue = 0.5  # type: ignore[misc]


def test_hosmer_lemeshow_hand_example():
    ref = REF["hosmer_lemeshow_hand"]
    res = hosmer_lemeshow(ref["y"], ref["pd"], groups=ref["groups"])
    assert res.statistic == pytest.approx(ref["statistic"], rel=1e-12)
    assert res.dof == 3
    assert res.pvalue == pytest.approx(stats.chi2.sf(ref["statistic"], 3))
    table = res.table()
    assert table.loc["A", "expected"] == pytest.approx(0.3)
    assert list(table["defaults"]) == [1, 2, 0]
    in_sample = hosmer_lemeshow(ref["y"], ref["pd"], groups=ref["groups"], dof=1)
    assert in_sample.pvalue == pytest.approx(stats.chi2.sf(ref["statistic"], 1))


def test_hosmer_lemeshow_quantile_groups_do_not_split_ties():
    rng = np.random.default_rng(5)
    p = rng.choice([0.01, 0.02, 0.05, 0.1], size=500)
    y = rng.binomial(1, p)
    res = hosmer_lemeshow(y, p, groups=10)
    assert sum(res.n) == 500
    assert len(res.groups) <= 4
    # same result when grouping by the PD values themselves
    by_value = hosmer_lemeshow(y, p, groups=p.astype(str))
    assert res.statistic == pytest.approx(by_value.statistic, rel=1e-12)


def test_hosmer_lemeshow_well_calibrated_passes():
    rng = np.random.default_rng(11)
    p = rng.uniform(0.01, 0.3, 5000)
    y = rng.binomial(1, p)
    assert hosmer_lemeshow(y, p).verdict == "pass"
    assert hosmer_lemeshow(y, p / 3).verdict == "fail"


def test_hosmer_lemeshow_zero_pd_group():
    res = hosmer_lemeshow(
        [0, 0, 1, 0], [0.0, 0.0, 0.5, 0.5], groups=["a", "a", "b", "b"]
    )
    assert res.statistic == pytest.approx(0.0)
    bad = hosmer_lemeshow(
        [1, 0, 1, 0], [0.0, 0.0, 0.5, 0.5], groups=["a", "a", "b", "b"]
    )
    assert bad.statistic == np.inf
    assert bad.pvalue == 0.0
    assert bad.to_dict()["statistic"] is None


def test_spiegelhalter_hand_example():
    ref = REF["spiegelhalter_hand"]
    res = spiegelhalter(ref["y"], ref["pd"])
    assert res.statistic == pytest.approx(ref["z"], rel=1e-12)
    assert res.pvalue == pytest.approx(2 * stats.norm.sf(abs(ref["z"])))
    assert res.brier == pytest.approx(brier(ref["y"], ref["pd"]))


def test_spiegelhalter_detects_miscalibration():
    rng = np.random.default_rng(9)
    p = rng.uniform(0.02, 0.4, 4000)
    y = rng.binomial(1, p)
    assert spiegelhalter(y, p).verdict == "pass"
    assert spiegelhalter(y, np.clip(p * 1.8, 0, 0.99)).verdict == "fail"


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((-1, 10, 0.1), r"defaults must be an integer >= 0"),
        ((11, 10, 0.1), r"defaults \(11\) exceeds n \(10\)"),
        ((0, 0, 0.1), r"n is 0 \(a grade with no obligors\)"),
        ((1, 10, 1.5), r"pd must be a probability of default in \[0, 1\]"),
        ((1.5, 10, 0.1), r"defaults must be an integer"),
    ],
)
def test_default_rate_tests_bad_input(args, match):
    with pytest.raises(InputError, match=match):
        binomial_test(*args)
    with pytest.raises(InputError, match=match):
        jeffreys_test(*args)


def test_bad_thresholds():
    with pytest.raises(InputError, match=r"1 > yellow > red > 0"):
        binomial_test(1, 10, 0.1, thresholds=(0.001, 0.05))


def test_pd_vector_bad_input():
    with pytest.raises(
        InputError, match=r"pd has 1 value\(s\) outside \[0, 1\].*labels 1"
    ):
        brier([0, 1], [0.2, 1.2])
    with pytest.raises(InputError, match=r"pd has 3 values but y has 2"):
        spiegelhalter([0, 1], [0.2, 0.3, 0.4])
    with pytest.raises(InputError, match=r"pd has 1 missing"):
        hosmer_lemeshow([0, 1], [0.2, np.nan])
    with pytest.raises(InputError, match=r"no variance"):
        spiegelhalter([0, 1], [0.0, 1.0])
    with pytest.raises(InputError, match=r"groups must be an int or one label per row"):
        hosmer_lemeshow([0, 1, 0], [0.1, 0.2, 0.3], groups=["a", "b"])
    with pytest.raises(InputError, match=r"groups has missing labels"):
        hosmer_lemeshow([0, 1, 0], [0.1, 0.2, 0.3], groups=["a", None, "b"])
    with pytest.raises(InputError, match=r"dof must be an integer >= 1"):
        hosmer_lemeshow([0, 1, 0], [0.1, 0.2, 0.3], groups=2, dof=0)
    with pytest.raises(InputError, match=r"groups must be >= 1"):
        hosmer_lemeshow([0, 1, 0], [0.1, 0.2, 0.3], groups=0)
