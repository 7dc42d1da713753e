"""Tests for loanrisk.metrics stability: psi and csi."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from loanrisk.errors import InputError
from loanrisk.metrics import csi, psi

REF = json.loads(
    (Path(__file__).parent / "results" / "results_metrics.json").read_text()
)


@given(
    arrays(
        np.float64,
        st.integers(1, 200),
        elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    ),
    st.integers(1, 20),
)
def test_psi_of_identical_samples_is_exactly_zero(values, bins):
    res = psi(values, values, bins=bins)
    assert res.statistic == 0.0
    assert res.verdict == "green"
    assert sum(res.expected_count) == len(values)


def test_psi_hand_computation():
    ref = REF["psi_hand"]
    dev = np.arange(100.0)
    res = psi(dev, dev + 20, bins=4)
    assert res.edges == (24.75, 49.5, 74.25)
    assert res.actual_share == pytest.approx(ref["actual_shares"])
    assert res.statistic == pytest.approx(ref["psi"], rel=1e-12)
    assert res.verdict == "red"
    table = res.table()
    assert table["contribution"].sum() == pytest.approx(ref["psi"])
    assert list(table.index) == [
        "(-inf, 24.75]",
        "(24.75, 49.5]",
        "(49.5, 74.25]",
        "(74.25, inf]",
    ]


def test_psi_rerun_with_recorded_edges():
    rng = np.random.default_rng(1)
    dev, cur = rng.normal(size=1000), rng.normal(0.2, 1, size=800)
    first = psi(dev, cur)
    again = psi(dev, cur, bins=first.edges)
    assert again.statistic == first.statistic
    assert again.edges == first.edges
    assert json.loads(json.dumps(first.to_dict()))["edges"] == list(first.edges)


def test_psi_empty_bin_uses_epsilon_floor():
    expected = [1.0, 2.0, 3.0, 4.0]
    actual = [1.0, 1.0, 2.0, 2.0]
    res = psi(expected, actual, bins=[1.5, 2.5, 3.5])
    # shares e = (.25,.25,.25,.25), a = (.5,.5,0,0) -> floored at 1e-4
    e, a, eps = 0.25, 0.5, 1e-4
    hand = 2 * (a - e) * np.log(a / e) + 2 * (eps - e) * np.log(eps / e)
    assert res.statistic == pytest.approx(hand, rel=1e-12)
    looser = psi(expected, actual, bins=[1.5, 2.5, 3.5], epsilon=0.01)
    assert looser.statistic < res.statistic
    assert looser.epsilon == 0.01


def test_psi_verdict_thresholds():
    dev = np.arange(1000.0)
    assert psi(dev, dev + 20).verdict == "green"
    mid = psi(dev, dev + 80)
    assert 0.10 <= mid.statistic < 0.25
    assert mid.verdict == "yellow"
    custom = psi(dev, dev + 80, thresholds=(0.01, 0.02))
    assert custom.verdict == "red"
    assert custom.threshold == (0.01, 0.02)


def test_psi_explicit_edges_with_infinite_ends_and_ties():
    res = psi([0.1, 0.1, 0.1, 0.5], [0.1, 0.5, 0.5, 0.9], bins=[-np.inf, 0.2, np.inf])
    assert res.edges == (0.2,)
    assert res.expected_count == (3, 1)
    assert res.actual_count == (1, 3)
    tied = psi([5.0] * 10, [5.0] * 3 + [6.0])
    assert tied.edges == (5.0,)


def test_csi_numeric_and_categorical():
    dev = pd.DataFrame(
        {
            "age": np.arange(100.0),
            "home": ["own", "rent"] * 50,
            "flag": [True, False] * 50,
        }
    )
    cur = pd.DataFrame(
        {
            "age": np.arange(100.0) + 20,
            "home": ["own"] * 70 + ["rent"] * 30,
            "flag": [True, False] * 50,
            "extra": 1,
        },
        index=[f"r{i}" for i in range(100)],
    )
    out = csi(dev, cur, bins=4)
    assert list(out.index) == ["age", "home", "flag"]
    assert out.loc["age", "csi"] == pytest.approx(
        psi(dev["age"], cur["age"], 4).statistic
    )
    hand = (0.7 - 0.5) * np.log(0.7 / 0.5) + (0.3 - 0.5) * np.log(0.3 / 0.5)
    assert out.loc["home", "csi"] == pytest.approx(hand)
    assert out.loc["home", "verdict"] == "yellow"
    assert out.loc["home", "bins"] == ("own", "rent")
    assert out.loc["flag", "kind"] == "categorical"
    assert out.loc["flag", "csi"] == 0.0
    rerun = csi(dev, cur, bins={"age": out.loc["age", "bins"]})
    assert rerun.loc["age", "csi"] == out.loc["age", "csi"]


def test_csi_missing_and_unseen_categories():
    dev = pd.DataFrame({"x": [1.0, 2.0, 3.0, np.nan], "c": ["a", "b", "a", None]})
    cur = pd.DataFrame({"x": [1.0, 2.0, 3.0, np.nan], "c": ["a", "b", "z", None]})
    out = csi(dev, cur, bins=2)
    assert out.loc["x", "csi"] == 0.0
    assert out.loc["x", "n_bins"] == 3  # two bins + missing
    assert out.loc["c", "bins"] == ("a", "b", "missing", "(unseen)")
    # a: .5 -> .25 ; b .25 -> .25 ; missing .25 -> .25 ; unseen 0 (floored) -> .25
    eps = 1e-4
    hand = (0.25 - 0.5) * np.log(0.25 / 0.5) + (0.25 - eps) * np.log(0.25 / eps)
    assert out.loc["c", "csi"] == pytest.approx(hand)
    assert out.loc["c", "verdict"] == "red"


def test_inputs_not_modified():
    dev = pd.DataFrame({"x": [1.0, 2.0, np.nan], "c": ["a", "b", "a"]})
    before = dev.copy()
    csi(dev, dev)
    pd.testing.assert_frame_equal(dev, before)


# ---------------------------------------------------------------- bad input


def test_psi_bad_input():
    with pytest.raises(InputError, match=r"psi: actual has 1 missing or infinite"):
        psi([1.0, 2.0], [1.0, np.nan])
    with pytest.raises(InputError, match=r"strictly increasing list of bin edges"):
        psi([1.0, 2.0], [1.0, 2.0], bins=[2.0, 1.0])
    with pytest.raises(InputError, match=r"positive number of quantile bins"):
        psi([1.0, 2.0], [1.0, 2.0], bins=0)
    with pytest.raises(InputError, match=r"epsilon .* strictly between 0 and 1"):
        psi([1.0, 2.0], [1.0, 2.0], epsilon=0)
    with pytest.raises(InputError, match=r"two increasing positive numbers"):
        psi([1.0, 2.0], [1.0, 2.0], thresholds=(0.25, 0.1))
    with pytest.raises(InputError, match=r"expected is empty"):
        psi([], [1.0])


def test_csi_bad_input():
    dev = pd.DataFrame({"x": [1.0, 2.0], "c": ["a", "b"]})
    with pytest.raises(
        InputError, match=r"actual is missing the required column\(s\) \['c'\]"
    ):
        csi(dev, dev[["x"]])
    with pytest.raises(InputError, match=r"column 'x' is numeric in expected"):
        csi(dev, pd.DataFrame({"x": ["1", "2"], "c": ["a", "b"]}))
    with pytest.raises(InputError, match=r"column 'x' of expected is entirely missing"):
        csi(pd.DataFrame({"x": [np.nan, np.nan]}), pd.DataFrame({"x": [1.0, 2.0]}))
    with pytest.raises(InputError, match=r"Column 'x' of actual has 1 infinite value"):
        csi(dev[["x"]], pd.DataFrame({"x": [1.0, np.inf]}))
    with pytest.raises(InputError, match=r"bins must be an int or a mapping"):
        csi(dev, dev, bins=[1.0, 2.0])
    with pytest.raises(InputError, match=r"expects expected as a DataFrame.*Series"):
        csi(dev["x"], dev)


@given(
    arrays(np.float64, st.integers(1, 100), elements=st.integers(-20, 20).map(float)),
    st.lists(st.integers(-25, 25), min_size=1, max_size=60, unique=True),
)
def test_bin_counts_agree_between_fast_and_search_paths(values, cuts):
    edges = np.array(sorted(cuts), dtype=float)
    res = psi(values, values[::-1], bins=edges)
    # independent: pandas.cut with right-closed intervals
    bounds = np.concatenate(([-np.inf], edges, [np.inf]))
    cut = pd.Series(pd.cut(values, bounds, right=True))
    counts = cut.value_counts(sort=False).to_numpy()
    assert res.expected_count == tuple(int(c) for c in counts)
