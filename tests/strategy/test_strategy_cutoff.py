"""Tests for loanrisk.strategy: cutoff_table and choose_cutoff."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loanrisk.errors import InputError
from loanrisk.strategy import CutoffResult, choose_cutoff, cutoff_table

POINTS = [500, 520, 540, 560, 580, 600, 620, 640]
BAD = [1, 1, 0, 1, 0, 0, 0, 0]


def test_cutoff_table_hand_example():
    table = cutoff_table(POINTS, BAD, bands=[530, 590])
    assert list(table["band"]) == ["(-inf, 530]", "(530, 590]", "(590, inf]"]
    assert list(table["score_min"]) == [500, 540, 600]
    assert list(table["score_max"]) == [520, 580, 640]
    assert list(table["cutoff"]) == [500, 540, 600]
    assert list(table["n"]) == [2, 3, 3]
    assert list(table["goods"]) == [0, 2, 3]
    assert list(table["bads"]) == [2, 1, 0]
    np.testing.assert_allclose(table["bad_rate"], [1.0, 1 / 3, 0.0])
    np.testing.assert_allclose(table["odds"], [0.0, 2.0, np.inf])
    np.testing.assert_allclose(table["approval_rate"], [1.0, 6 / 8, 3 / 8])
    np.testing.assert_allclose(table["approved_bad_rate"], [3 / 8, 1 / 6, 0.0])
    np.testing.assert_allclose(table["bads_rejected_share"], [0.0, 2 / 3, 1.0])


def test_cutoff_table_pd_orientation_reverses_order():
    pds = [0.30, 0.25, 0.20, 0.15, 0.10, 0.05, 0.03, 0.01]
    table = cutoff_table(pds, BAD, bands=[0.04, 0.22], higher_is_riskier=True)
    assert list(table["band"]) == ["(0.22, inf]", "(0.04, 0.22]", "(-inf, 0.04]"]
    assert list(table["n"]) == [2, 4, 2]
    assert list(table["cutoff"]) == [0.30, 0.20, 0.03]
    np.testing.assert_allclose(table["approval_rate"], [1.0, 6 / 8, 2 / 8])


def test_cutoff_table_quantile_bands_and_weights():
    rng = np.random.default_rng(0)
    scores = rng.integers(450, 700, 1000)
    y = rng.binomial(1, 0.1, 1000)
    table = cutoff_table(scores, y)
    assert len(table) == 10
    assert table["n"].sum() == 1000
    assert table["score_min"].is_monotonic_increasing
    w = np.full(1000, 2.0)
    weighted = cutoff_table(scores, y, sample_weight=w)
    assert weighted["n"].sum() == pytest.approx(2000.0)
    np.testing.assert_allclose(weighted["approval_rate"], table["approval_rate"])
    np.testing.assert_allclose(
        weighted["approved_bad_rate"], table["approved_bad_rate"]
    )


def test_cutoff_table_empty_band():
    table = cutoff_table(POINTS, BAD, bands=[100, 200, 590])
    assert table.loc[1, "n"] == 0
    assert np.isnan(table.loc[1, "score_min"])
    assert np.isnan(table.loc[1, "bad_rate"])


def test_choose_cutoff_hand_example():
    res = choose_cutoff(POINTS, BAD, target_bad_rate=0.2)
    assert isinstance(res, CutoffResult)
    assert res.cutoff == 540.0
    assert res.approval_rate == 0.75
    assert res.bad_rate == pytest.approx(1 / 6)
    assert res.bads_rejected_share == pytest.approx(2 / 3)
    assert res.n_approved == 6
    assert choose_cutoff(POINTS, BAD, target_bad_rate=0.0).cutoff == 580.0
    by_rate = choose_cutoff(POINTS, BAD, target_approval_rate=0.5)
    assert (by_rate.cutoff, by_rate.n_approved) == (580.0, 4)
    assert choose_cutoff(POINTS, BAD, target_approval_rate=1.0).cutoff == 500.0
    payload = json.loads(json.dumps(res.to_dict()))
    assert payload["cutoff"] == 540.0
    assert repr(res).startswith("CutoffResult(cutoff=540, approval_rate=0.75")


def test_choose_cutoff_pd_orientation():
    pds = [0.30, 0.25, 0.20, 0.15, 0.10, 0.05, 0.03, 0.01]
    res = choose_cutoff(pds, BAD, target_bad_rate=0.2, higher_is_riskier=True)
    assert res.cutoff == 0.20
    assert res.n_approved == 6


def test_choose_cutoff_ties_never_split():
    scores = [600, 600, 600, 600, 500, 500]
    y = [0, 0, 1, 0, 1, 0]
    res = choose_cutoff(scores, y, target_approval_rate=0.8)
    assert res.cutoff == 600.0
    assert res.n_approved == 4
    with pytest.raises(
        InputError, match=r"smallest approval rate is 0.6667 \(cut-off 600\)"
    ):
        choose_cutoff(scores, y, target_approval_rate=0.5)


def test_choose_cutoff_matches_table_at_band_cutoffs():
    rng = np.random.default_rng(4)
    scores = rng.integers(400, 800, 2000)
    y = rng.binomial(1, 1 / (1 + np.exp((scores - 500) / 60)))
    table = cutoff_table(scores, y, bands=8)
    for _, row in table.iterrows():
        res = choose_cutoff(scores, y, target_approval_rate=row["approval_rate"])
        assert res.cutoff == row["cutoff"]
        assert res.bad_rate == pytest.approx(row["approved_bad_rate"])
        assert res.bads_rejected_share == pytest.approx(row["bads_rejected_share"])


rows_strategy = st.lists(
    st.tuples(st.integers(0, 1), st.integers(0, 12)), min_size=2, max_size=50
).filter(lambda r: 0 < sum(t[0] for t in r) < len(r))


@given(rows_strategy, st.integers(1, 6))
def test_table_properties_ties_and_monotone(rows, bands):
    y = np.array([r[0] for r in rows])
    s = np.array([r[1] for r in rows], dtype=float)
    table = cutoff_table(s, y, bands=bands)
    occupied = table[table["n"] > 0]
    # ties never split: each distinct score lies in exactly one band
    for value in np.unique(s):
        inside = (occupied["score_min"] <= value) & (occupied["score_max"] >= value)
        assert inside.sum() == 1
    # approving fewer bands never raises the approval rate
    assert table["approval_rate"].is_monotonic_decreasing
    assert table["n"].sum() == len(s)
    assert table["bads_rejected_share"].is_monotonic_increasing


@given(rows_strategy, st.floats(0.01, 1.0), st.floats(0.01, 1.0))
def test_choose_cutoff_properties(rows, t1, t2):
    y = np.array([r[0] for r in rows])
    s = np.array([r[1] for r in rows], dtype=float)
    lo, hi = sorted((t1, t2))
    try:
        a = choose_cutoff(s, y, target_approval_rate=lo)
    except InputError:
        return
    b = choose_cutoff(s, y, target_approval_rate=hi)
    # a higher approval target never gives a higher cut-off (points)
    assert b.cutoff <= a.cutoff
    assert a.approval_rate <= b.approval_rate
    assert a.approval_rate <= lo + 1e-12
    # ties never split: approved rows are exactly those at or above the cut-off
    assert a.n_approved == int(np.sum(s >= a.cutoff))
    assert a.bad_rate == pytest.approx(y[s >= a.cutoff].mean())


def test_inputs_not_modified_and_series_accepted():
    s = pd.Series(POINTS, index=list("abcdefgh"))
    y = pd.Series(BAD, index=list("abcdefgh"))
    s_before = s.copy()
    cutoff_table(s, y, bands=3)
    choose_cutoff(s, y, target_bad_rate=0.5)
    pd.testing.assert_series_equal(s, s_before)


# ---------------------------------------------------------------- bad input


def test_choose_cutoff_bad_input():
    with pytest.raises(InputError, match=r"exactly one of .*\(got both\)"):
        choose_cutoff(POINTS, BAD, target_bad_rate=0.1, target_approval_rate=0.5)
    with pytest.raises(InputError, match=r"exactly one of .*\(got neither\)"):
        choose_cutoff(POINTS, BAD)
    with pytest.raises(
        InputError, match=r"target_bad_rate must be a share in \[0, 1\]"
    ):
        choose_cutoff(POINTS, BAD, target_bad_rate=5)
    with pytest.raises(
        InputError, match=r"target_approval_rate must be a share in \(0"
    ):
        choose_cutoff(POINTS, BAD, target_approval_rate=0)
    with pytest.raises(
        InputError,
        match=r"target_bad_rate=0.1 cannot be met: the lowest bad rate .* is 0.5 "
        r"\(cut-off 600, approving 50.00%\)",
    ):
        choose_cutoff([600, 600, 500, 500], [1, 0, 1, 0], target_bad_rate=0.1)
    with pytest.raises(InputError, match=r"higher_is_riskier must be False"):
        choose_cutoff(POINTS, BAD, target_bad_rate=0.1, higher_is_riskier=1)


def test_cutoff_table_bad_input():
    with pytest.raises(InputError, match=r"scores has 7 values but y has 8"):
        cutoff_table(POINTS[:-1], BAD)
    with pytest.raises(InputError, match=r"scores has 1 missing or infinite.*labels 2"):
        cutoff_table([1.0, 2.0, np.nan], [0, 1, 0])
    with pytest.raises(InputError, match=r"y holds only one class, good \(0\)"):
        cutoff_table([1.0, 2.0], [0, 0])
    with pytest.raises(InputError, match=r"bands must be a positive int"):
        cutoff_table(POINTS, BAD, bands=[3, 1])
