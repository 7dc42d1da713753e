import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loanrisk.errors import InputError
from loanrisk.scorecard import ApplicationScorecard
from loanrisk.scorecard._reject import RejectInferenceResult, _parcel, reject_inference

BASE = ApplicationScorecard(wrong_sign="drop")


@pytest.fixture(scope="module")
def split(german):
    """German credit with an artificial acceptance policy: long loans are declined."""
    X, y = german
    X = X.set_axis([f"a{i}" for i in range(len(X))])
    y = y.set_axis(X.index)
    accepted = (X["duration_in_month"] <= 30).to_numpy()
    return X[accepted], y[accepted], X[~accepted]


@pytest.fixture(scope="module")
def fuzzy(split):
    acc_X, acc_y, rej_X = split
    w = np.linspace(0.5, 2.0, len(rej_X))
    return reject_inference(
        acc_X, acc_y, rej_X, method="fuzzy", base=BASE, uplift=1.5, rejected_weight=w
    ), w


def test_fuzzy_weights_split_each_reject(fuzzy, split):
    res, w = fuzzy
    acc_X, acc_y, rej_X = split
    assert isinstance(res, RejectInferenceResult)
    n_a, n_r = len(acc_X), len(rej_X)
    assert res.X.shape[0] == n_a + 2 * n_r
    assert list(res.X.index) == [*acc_X.index, *rej_X.index, *rej_X.index]
    assert res.y.index.equals(res.X.index) and res.sample_weight.index.equals(
        res.X.index
    )
    np.testing.assert_array_equal(res.y[:n_a], acc_y)
    np.testing.assert_array_equal(res.sample_weight[:n_a], 1.0)
    bad_w = res.sample_weight.iloc[n_a : n_a + n_r].to_numpy()
    good_w = res.sample_weight.iloc[n_a + n_r :].to_numpy()
    assert (res.y.iloc[n_a : n_a + n_r] == 1).all() and (
        res.y.iloc[n_a + n_r :] == 0
    ).all()
    np.testing.assert_allclose(bad_w + good_w, w)
    # independent: the KGB scorecard's PD, times the uplift, capped at 1
    kgb = ApplicationScorecard(wrong_sign="drop").fit(acc_X, acc_y)
    np.testing.assert_array_equal(kgb.score(rej_X), res.kgb.score(rej_X))
    p = np.minimum(1.0, 1.5 * kgb.predict_proba(rej_X)[:, 1])
    np.testing.assert_allclose(bad_w, w * p)
    np.testing.assert_allclose(res.reject_pd, p)
    assert res.rejected.sum() == 2 * n_r and not res.rejected.iloc[:n_a].any()
    assert res.bands is None
    pd.testing.assert_frame_equal(res.X.iloc[n_a : n_a + n_r], rej_X)


def test_refit_is_base_fitted_on_augmented_sample(fuzzy):
    res, _ = fuzzy
    own = ApplicationScorecard(wrong_sign="drop").fit(
        res.X, res.y.to_numpy(), sample_weight=res.sample_weight.to_numpy()
    )
    assert res.scorecard is not None
    np.testing.assert_array_equal(res.scorecard.score(res.X), own.score(res.X))


def test_fuzzy_uplift_caps_at_one(split):
    acc_X, acc_y, rej_X = split
    res = reject_inference(acc_X, acc_y, rej_X, base=BASE, uplift=1000.0, refit=False)
    n_a, n_r = len(acc_X), len(rej_X)
    np.testing.assert_allclose(res.sample_weight.iloc[n_a : n_a + n_r], 1.0)
    np.testing.assert_allclose(res.sample_weight.iloc[n_a + n_r :], 0.0)
    assert res.scorecard is None


@pytest.fixture(scope="module")
def parcel(split):
    acc_X, acc_y, rej_X = split
    return reject_inference(
        acc_X,
        acc_y,
        rej_X,
        method="parcelling",
        base=BASE,
        uplift=1.4,
        n_bands=5,
        random_state=7,
        refit=False,
    )


def test_parcelling_band_bad_rate_is_uplifted_rate(parcel, split):
    acc_X, acc_y, rej_X = split
    res = parcel
    n_a = len(acc_X)
    s_acc = res.kgb.score(acc_X).to_numpy()
    s_rej = res.kgb.score(rej_X).to_numpy()
    # independent band assignment from the published band table
    bands = res.bands
    assert bands is not None and len(bands) <= 5
    lo = bands["score_from"].to_numpy()
    band_acc = (s_acc[:, None] >= lo[None, :]).sum(axis=1) - 1
    band_rej = (s_rej[:, None] >= lo[None, :]).sum(axis=1) - 1
    acc_rate = pd.Series(acc_y.to_numpy()).groupby(band_acc).mean()
    np.testing.assert_allclose(bands["accepted_bad_rate"], acc_rate.to_numpy())
    np.testing.assert_allclose(
        bands["target_bad_rate"], np.minimum(1, 1.4 * acc_rate.to_numpy())
    )
    # equal-frequency bands on the accepts (ties in integer scores aside)
    assert bands["n_accepted"].min() > 0.1 * n_a
    y_rej = res.y.iloc[n_a:].to_numpy()
    for b in range(len(bands)):
        members = band_rej == b
        if members.any():
            target = bands["target_bad_rate"].iloc[b]
            assert abs(y_rej[members].mean() - target) <= 0.5 / members.sum() + 1e-12
    assert (res.sample_weight == 1).all() and res.X.shape[0] == len(acc_X) + len(rej_X)
    np.testing.assert_allclose(
        res.reject_pd, bands["target_bad_rate"].to_numpy()[band_rej]
    )


def test_parcelling_is_deterministic(parcel, split):
    acc_X, acc_y, rej_X = split
    again = reject_inference(
        acc_X,
        acc_y,
        rej_X,
        method="parcelling",
        base=BASE,
        uplift=1.4,
        n_bands=5,
        random_state=7,
        refit=False,
    )
    pd.testing.assert_series_equal(again.y, parcel.y)
    other = reject_inference(
        acc_X,
        acc_y,
        rej_X,
        method="parcelling",
        base=BASE,
        uplift=1.4,
        n_bands=5,
        random_state=8,
        refit=False,
    )
    assert not other.y.equals(parcel.y)
    assert other.y.sum() == parcel.y.sum()


@settings(max_examples=40)
@given(
    st.integers(1, 8),
    st.floats(0.1, 5.0),
    st.lists(st.floats(0.01, 10.0), min_size=1, max_size=60),
    st.integers(0, 2**31),
)
def test_parcel_weighted_rate_within_half_a_weight(n_bands, uplift, w_rej, seed):
    rng = np.random.default_rng(seed)
    n_a = 200
    s_acc = rng.integers(400, 700, n_a).astype(float)
    y_acc = (rng.random(n_a) < 0.3).astype(np.int64)
    w_acc = rng.uniform(0.5, 2.0, n_a)
    w = np.asarray(w_rej)
    s_rej = rng.integers(350, 750, len(w)).astype(float)
    y, pd_rej, bands = _parcel(
        s_acc, y_acc, w_acc, s_rej, w, uplift, n_bands, np.random.default_rng(seed)
    )
    edges = bands["score_from"].to_numpy()[1:]
    band = np.searchsorted(edges, s_rej, side="right")
    for b in np.unique(band):
        m = band == b
        target = bands["target_bad_rate"].iloc[b]
        assert 0 <= target <= 1
        got = (w[m] * y[m]).sum()
        assert abs(got - target * w[m].sum()) <= w[m].max() / 2 + 1e-9
        np.testing.assert_allclose(pd_rej[m], target)
    in_band = np.searchsorted(edges, s_acc, side="right")
    rate = np.bincount(in_band, w_acc * y_acc, len(bands)) / np.bincount(
        in_band, w_acc, len(bands)
    )
    np.testing.assert_allclose(bands["accepted_bad_rate"], rate)


def test_rejected_extra_columns_ignored_and_inputs_unchanged(split):
    acc_X, acc_y, rej_X = split
    rej2 = rej_X.assign(extra="x")[["extra", *rej_X.columns[::-1]]]
    before = rej2.copy()
    res = reject_inference(acc_X, acc_y, rej2, base=BASE, refit=False)
    pd.testing.assert_frame_equal(rej2, before)
    assert list(res.X.columns) == list(acc_X.columns)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"method": "hard"},
            "'method' parameter of reject_inference must be one of "
            "'fuzzy', 'parcelling'",
        ),
        ({"uplift": 0}, "'uplift' parameter of reject_inference must be a number > 0"),
        ({"n_bands": 0}, "'n_bands' parameter .* integer >= 1"),
        ({"base": "logit"}, "'base' parameter of reject_inference must be"),
        ({"refit": "yes"}, "'refit' parameter of reject_inference must be True or"),
        ({"random_state": -1}, "'random_state' parameter .* integer >= 0"),
        ({"rejected_weight": -1.0}, "rejected_weight must be one weight per row"),
        ({"accepted_weight": [1.0, 2.0]}, r"accepted_weight has shape \(2,\)"),
    ],
)
def test_bad_params(split, kwargs, match):
    acc_X, acc_y, rej_X = split
    with pytest.raises(InputError, match=match):
        reject_inference(acc_X, acc_y, rej_X, **kwargs)


def test_bad_data(split):
    acc_X, acc_y, rej_X = split
    with pytest.raises(
        InputError,
        match=r"rejected_X is missing the required "
        r"column\(s\) \['purpose'\]",
    ):
        reject_inference(acc_X, acc_y, rej_X.drop(columns="purpose"))
    shuffled = acc_y.iloc[::-1]
    with pytest.raises(
        InputError, match="accepted_y's index differs from accepted_X's"
    ):
        reject_inference(acc_X, shuffled, rej_X)
    censored = acc_y.astype("Int8")
    censored.iloc[[2, 5]] = pd.NA
    a, b = censored.index[[2, 5]]
    with pytest.raises(
        InputError,
        match=rf"accepted_y has 2 missing value\(s\) \(index "
        rf"labels '{a}', '{b}'\)",
    ):
        reject_inference(acc_X, censored, rej_X)
    with pytest.raises(InputError, match="accepted_y has 10 values but X has"):
        reject_inference(acc_X, acc_y.to_numpy()[:10], rej_X)
    with pytest.raises(InputError, match=r"got an empty rejected_X"):
        reject_inference(acc_X, acc_y, rej_X.iloc[:0])
    with pytest.raises(InputError, match="expects accepted_X as a pandas DataFrame"):
        reject_inference("table", acc_y, rej_X)
