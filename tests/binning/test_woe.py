import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import loanrisk
from loanrisk.binning import WoEBinner
from loanrisk.binning._bins import FeatureBins
from loanrisk.errors import InputError, NotFittedError


@pytest.fixture(scope="module")
def small(german):
    X, y = german
    cols = ["duration_in_month", "credit_amount", "purpose", "age_in_years"]
    return X[cols], y


@pytest.fixture(scope="module")
def binner(small):
    X, y = small
    return WoEBinner().fit(X, y)


def test_woe_sign_convention(binner):
    # WoE = ln(%good / %bad): higher WoE <=> lower bad rate.
    for f in binner.bins_:
        t = binner.binning_table(f)
        t = t[t["count"] > 0]
        order_woe = np.argsort(-t["woe"].to_numpy(), kind="stable")
        order_rate = np.argsort(t["bad_rate"].to_numpy(), kind="stable")
        assert (order_woe == order_rate).all(), f


def test_woe_matches_formula(binner, small):
    _, y = small
    t = binner.binning_table("duration_in_month")
    goods, bads = (1 - y).sum(), y.sum()
    row = t.iloc[0]
    expected = np.log((row["goods"] / goods) / (row["bads"] / bads))
    assert row["woe"] == pytest.approx(expected)
    assert binner.iv_["duration_in_month"] == pytest.approx(t["iv"].sum())


def test_monotone_trend(small):
    X, y = small
    b = WoEBinner(monotonic_trend="ascending").fit(X[["duration_in_month"]], y)
    t = b.binning_table("duration_in_month")
    rates = t.loc[t["count"] > 0, "bad_rate"].to_numpy()[
        : b.bins_["duration_in_month"].n_regular
    ]
    assert (np.diff(rates) >= 0).all()


def test_empty_missing_bin_has_zero_woe(binner):
    t = binner.binning_table("credit_amount")
    miss = t[t["bin"] == "Missing"].iloc[0]
    assert miss["count"] == 0 and miss["woe"] == 0.0 and miss["iv"] == 0.0


def test_pure_bin_uses_haldane_correction():
    fb = FeatureBins(name="x", kind="numerical", splits=[0.5])
    idx = np.array([0, 0, 0, 1, 1, 1, 1])
    y = np.array([0, 0, 0, 1, 1, 0, 1])
    fb.fit_counts(idx, y, np.ones(7))
    # bin 0 has 3 goods and 0 bads: (3 + .5)/4 over (0 + .5)/3
    assert fb.woe[0] == pytest.approx(np.log((3.5 / 4) / (0.5 / 3)))
    assert np.isfinite(fb.woe).all()


@given(st.floats(0.1, 100))
def test_scaling_weights_leaves_woe_unchanged(factor):
    fb = FeatureBins(name="x", kind="numerical", splits=[1.0, 2.0])
    idx = np.array([0, 0, 1, 1, 2, 2, 2, 0])
    y = np.array([0, 1, 0, 1, 1, 1, 0, 0])
    fb.fit_counts(idx, y, np.ones(8))
    base = fb.woe.copy()
    fb.fit_counts(idx, y, np.full(8, factor))
    np.testing.assert_allclose(fb.woe, base, rtol=1e-12, atol=1e-12)


def test_missing_and_special_values(german):
    X, y = german
    Xs = X[["age_in_years"]].astype(float)
    Xs.iloc[:40, 0] = np.nan
    Xs.iloc[40:80, 0] = -999.0
    b = WoEBinner(special_codes=[-999]).fit(Xs, y)
    idx = b.bin_indices(Xs)["age_in_years"].to_numpy()
    fb = b.bins_["age_in_years"]
    assert (idx[:40] == fb.missing_index).all()
    assert (idx[40:80] == fb.special_index).all()
    t = b.binning_table("age_in_years")
    assert t.loc[t["bin"] == "Missing", "count"].item() == 40
    assert t.loc[t["bin"] == "Special", "count"].item() == 40


def test_bins_strictly_increase(binner):
    for fb in binner.bins_.values():
        assert (np.diff(fb.splits) > 0).all()


def test_overrides(small):
    X, y = small
    b = WoEBinner(
        overrides={
            "duration_in_month": {"splits": [12, 24, 36]},
            "purpose": {
                "groups": [
                    ["car (new)"],
                    [c for c in X["purpose"].cat.categories if c != "car (new)"],
                ]
            },
            "age_in_years": {"merge": [[0, 1]]},
            "credit_amount": {"add_splits": [10000]},
        }
    ).fit(X, y)
    assert b.bins_["duration_in_month"].splits == [12.0, 24.0, 36.0]
    assert b.bins_["purpose"].groups[0] == ["car (new)"]
    auto = WoEBinner().fit(X, y)
    assert (
        len(b.bins_["age_in_years"].splits)
        == len(auto.bins_["age_in_years"].splits) - 1
    )
    assert 10000.0 in b.bins_["credit_amount"].splits


@pytest.mark.parametrize(
    ("override", "match"),
    [
        ({"duration_in_month": {"splits": [3, 1]}}, "strictly increasing"),
        ({"duration_in_month": {"groups": [[1]]}}, "applies to categorical"),
        ({"purpose": {"splits": [1]}}, "applies to numerical"),
        ({"purpose": {"groups": [["car (new)"]]}}, "leaves out the categories"),
        ({"duration_in_month": {"merge": [[0, 2]]}}, r"\[i, i \+ 1\] pairs"),
        ({"duration_in_month": {"cut": [1]}}, "exactly one of the keys"),
        ({"nope": {"splits": [1]}}, "names column.*'nope'"),
    ],
)
def test_bad_overrides(small, override, match):
    X, y = small
    with pytest.raises(InputError, match=match):
        WoEBinner(overrides=override).fit(X, y)


def test_unseen_category(binner, small):
    X, _ = small
    X2 = X.head(3).copy()
    X2["purpose"] = X2["purpose"].astype(object)
    X2.iloc[1, X2.columns.get_loc("purpose")] = "crypto"
    with pytest.raises(
        InputError, match=r"'purpose' has 1 value\(s\) not seen.*crypto"
    ):
        binner.transform(X2)
    risky = WoEBinner(unseen="riskiest").fit(*small)
    woe = risky.transform(X2)["purpose"]
    fb = risky.bins_["purpose"]
    assert woe.iloc[1] == fb.woe[fb.riskiest_bin()]


def test_wrong_type_at_transform(binner, small):
    X, _ = small
    X2 = X.head(2).copy()
    X2["duration_in_month"] = ["a", "b"]
    with pytest.raises(InputError, match="'duration_in_month' must be numeric"):
        binner.transform(X2)


def test_transform_keeps_index_and_ignores_extra(binner, small):
    X, _ = small
    X2 = X.head(4).set_axis(["a", "b", "c", "d"]).assign(extra=1)
    out = binner.transform(X2)
    assert list(out.index) == ["a", "b", "c", "d"]
    assert list(out.columns) == list(X.columns)


def test_not_fitted():
    with pytest.raises(NotFittedError, match="WoEBinner is not fitted"):
        WoEBinner().transform(pd.DataFrame({"a": [1]}))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_bins": 1}, "'max_bins' parameter of WoEBinner must be an integer >= 2"),
        ({"min_bin_size": 0.7}, "'min_bin_size'"),
        ({"monotonic_trend": "up"}, "'monotonic_trend' parameter"),
        ({"unseen": "ignore"}, "'unseen' parameter"),
    ],
)
def test_bad_params(small, kwargs, match):
    with pytest.raises(InputError, match=match):
        WoEBinner(**kwargs).fit(*small)


def test_save_load_binner(binner, small, tmp_path):
    X, _ = small
    back = loanrisk.load(loanrisk.save(binner, tmp_path / "b.json"))
    pd.testing.assert_frame_equal(back.transform(X), binner.transform(X))


def test_input_not_modified(small):
    X, y = small
    before = X.copy()
    WoEBinner().fit(X, y).transform(X)
    pd.testing.assert_frame_equal(X, before)


@given(
    st.lists(st.floats(-1e6, 1e6), min_size=0, max_size=80, unique=True),
    st.lists(
        st.one_of(st.floats(-2e6, 2e6), st.just(float("nan"))),
        min_size=1,
        max_size=50,
    ),
)
def test_bin_of_equals_binary_search(splits, values):
    from loanrisk.binning._bins import _bin_of

    s = sorted(splits)
    x = np.asarray(values + s, dtype=float)  # values exactly on the splits too
    got = _bin_of(x, s, len(s) + 3)
    want = np.searchsorted(np.asarray(s, dtype=float), x, side="right")
    finite = ~np.isnan(x)
    assert (got[finite] == want[finite]).all()
