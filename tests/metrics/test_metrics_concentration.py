"""Tests for loanrisk.metrics concentration: hhi and migration_matrix."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loanrisk.errors import InputError
from loanrisk.metrics import hhi, migration_matrix

REF = json.loads(
    (Path(__file__).parent / "results" / "results_metrics.json").read_text()
)


def test_hhi_hand():
    ref = REF["hhi_hand"]
    assert hhi(ref["grades"]) == pytest.approx(ref["hhi"])
    assert hhi(pd.Series(["A", "A", "A"])) == 1.0
    assert hhi(["A", "B"], sample_weight=[3.0, 1.0]) == pytest.approx(0.625)


@given(st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=60))
def test_hhi_bounds_and_crosstab(labels):
    value = hhi(labels)
    k = len(set(labels))
    assert 1 / k - 1e-12 <= value <= 1 + 1e-12
    shares = pd.Series(labels).value_counts(normalize=True)
    assert value == pytest.approx(float((shares**2).sum()))


def test_migration_matrix_counts_match_crosstab():
    rng = np.random.default_rng(0)
    before = pd.Series(rng.choice(list("ABCD"), 300), index=np.arange(300) * 2)
    after = pd.Series(rng.choice(list("ABCD"), 300), index=np.arange(300) * 2)
    out = migration_matrix(before, after)
    expected = pd.crosstab(before, after)
    np.testing.assert_array_equal(out.to_numpy(), expected.to_numpy())
    assert out.index.name == "before"
    assert out.columns.name == "after"
    rates = migration_matrix(before, after, normalize=True)
    np.testing.assert_allclose(rates.sum(axis=1), 1.0)


def test_migration_matrix_order_and_empty_grades():
    out = migration_matrix(
        ["AAA", "BB"], ["BB", "BB"], grades=["AAA", "A", "BB"], normalize=True
    )
    assert list(out.index) == ["AAA", "A", "BB"]
    assert out.loc["AAA", "BB"] == 1.0
    assert out.loc["A"].isna().all()
    cat = pd.Series(
        pd.Categorical(["low", "high"], categories=["low", "mid", "high"], ordered=True)
    )
    assert list(migration_matrix(cat, cat).columns) == ["low", "mid", "high"]


def test_bad_input():
    with pytest.raises(
        InputError, match=r"grades_before has 2 rows but grades_after has 1"
    ):
        migration_matrix(["A", "B"], ["A"])
    with pytest.raises(InputError, match=r"grades_after has 1 missing grade.*labels 1"):
        migration_matrix(["A", "B"], ["A", None])
    with pytest.raises(InputError, match=r"different indexes"):
        migration_matrix(pd.Series(["A"], index=[1]), pd.Series(["A"], index=[2]))
    with pytest.raises(InputError, match=r"labels 'C' are not in grades"):
        migration_matrix(["A", "C"], ["A", "B"], grades=["A", "B"])
    with pytest.raises(InputError, match=r"cannot be ordered"):
        migration_matrix(["A", 1], ["A", 1])
    with pytest.raises(InputError, match=r"hhi: grades is empty"):
        hhi([])
    with pytest.raises(InputError, match=r"sample_weight has 1 negative"):
        hhi(["A", "B"], sample_weight=[1.0, -1.0])
