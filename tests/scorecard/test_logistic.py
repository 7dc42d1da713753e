import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

import loanrisk
from loanrisk.errors import InputError, LoanRiskWarning, NotFittedError
from loanrisk.scorecard import ApplicationScorecard, PointsScale


@pytest.fixture(scope="module")
def card(german):
    X, y = german
    return ApplicationScorecard().fit(X, y)


def test_score_is_sum_of_table_points(card, german):
    X, _ = german
    bins = card.binner_.bin_indices(X)
    table = card.table_.set_index(["feature", "bin_index"])["points"]
    expected = sum(table.loc[f].reindex(bins[f]).to_numpy() for f in card.features_)
    assert (card.score(X).to_numpy() == expected).all()


def test_score_series_int_keeps_index(card, german):
    X, _ = german
    Xi = X.head(5).set_axis(list("abcde"))
    s = card.score(Xi)
    assert s.dtype == np.int64 and list(s.index) == list("abcde")


def test_higher_score_is_safer(card, german):
    X, y = german
    from sklearn.metrics import roc_auc_score

    assert roc_auc_score(y, -card.score(X)) > 0.75
    proba = card.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert roc_auc_score(y, proba[:, 1]) == pytest.approx(
        roc_auc_score(y, -card.score(X))
    )


def test_points_scale_pdo_doubles_odds():
    scale = PointsScale(pdo=20, base_score=600, base_odds=50)
    p = scale.proba_from_score(np.array([600.0, 620.0, 640.0]))
    odds = (1 - p) / p
    np.testing.assert_allclose(odds, [50, 100, 200])


@given(st.floats(1, 100), st.floats(100, 1000), st.floats(1, 500), st.floats(-3, 3))
def test_pdo_extra_points_double_the_odds(pdo, base, odds, log_odds):
    scale = PointsScale(pdo=pdo, base_score=base, base_odds=odds)
    s = float(scale.score_from_log_odds_good(log_odds))
    assert float(scale.score_from_log_odds_good(log_odds + math.log(2))) == (
        pytest.approx(s + pdo)
    )


def test_bad_scale():
    with pytest.raises(
        InputError, match="'pdo' parameter of PointsScale must be a number > 0. Got -20"
    ):
        PointsScale(pdo=-20)


def test_integer_points_and_coefficient_signs(card):
    assert card.table_["points"].dtype == np.int64
    assert (card.coef_ < 0).all()
    assert set(card.table_["feature"]) == set(card.features_)


def test_reasons_are_points_lost_vs_best_bin(card, german):
    X, _ = german
    r = card.reasons(X.head(50), n=3)
    pts = card.points(X.head(50))
    best = card.table_[card.table_["count"] > 0].groupby("feature")["points"].max()
    lost = best[pts.columns].to_numpy() - pts.to_numpy()
    for i in range(50):
        assert r["reason_1_points_lost"].iloc[i] == lost[i].max()
        if r["reason_1"].iloc[i] is not None:
            f = r["reason_1"].iloc[i]
            assert lost[i, list(pts.columns).index(f)] == lost[i].max()
    assert (r["reason_1_points_lost"] >= r["reason_2_points_lost"]).all()
    assert (r["reason_2_points_lost"] >= r["reason_3_points_lost"]).all()
    assert r["reason_1_bin"].notna().any()


def test_reasons_more_than_features(card, german):
    X, _ = german
    r = card.reasons(X.head(2), n=len(card.features_) + 2)
    assert f"reason_{len(card.features_) + 2}" in r


def test_missing_values_score_in_missing_bin(card, german):
    X, _ = german
    X2 = X.head(4).copy()
    f_num = "duration_in_month"
    X2[f_num] = X2[f_num].astype(float)
    X2.loc[X2.index[0], f_num] = np.nan
    X2["purpose"] = X2["purpose"].astype(object)
    X2.loc[X2.index[1], "purpose"] = None
    pts = card.points(X2)
    tab = card.table_.set_index(["feature", "bin"])["points"]
    assert pts[f_num].iloc[0] == tab[(f_num, "Missing")]
    assert pts["purpose"].iloc[1] == tab[("purpose", "Missing")]


def test_score_record_matches_batch(card, german):
    X, _ = german
    rec = X.iloc[7].to_dict()
    assert card.score_record(rec) == card.score(X.iloc[[7]]).iloc[0]
    rec["duration_in_month"] = None
    X2 = X.iloc[[7]].copy()
    X2["duration_in_month"] = np.nan
    assert card.score_record(rec) == card.score(X2).iloc[0]


def test_score_record_errors(card, german):
    X, _ = german
    rec = X.iloc[0].to_dict()
    del rec["purpose"]
    with pytest.raises(InputError, match="missing the field 'purpose'"):
        card.score_record(rec)
    rec = X.iloc[0].to_dict()
    rec["duration_in_month"] = "twelve"
    with pytest.raises(InputError, match="'duration_in_month' must be a number"):
        card.score_record(rec)
    with pytest.raises(InputError, match="expects one record as a dict"):
        card.score_record([1, 2])  # type: ignore[arg-type]


def test_scoring_errors(card, german):
    X, _ = german
    with pytest.raises(
        InputError, match=r"missing the required column\(s\) \['purpose'\]"
    ):
        card.score(X.drop(columns="purpose"))
    X2 = X.head(2).copy()
    X2["credit_amount"] = ["1000", "2000"]
    with pytest.raises(InputError, match="'credit_amount' must be numeric"):
        card.score(X2)
    with pytest.raises(InputError, match="takes no y"):
        card.score(X, X.index)
    with pytest.raises(NotFittedError, match="ApplicationScorecard is not fitted yet"):
        ApplicationScorecard().score(X)


def test_unseen_category_policy(german):
    X, y = german
    X2 = X.head(2).copy()
    X2["purpose"] = X2["purpose"].astype(object)
    X2.loc[X2.index[0], "purpose"] = "space travel"
    strict = ApplicationScorecard().fit(X, y)
    with pytest.raises(InputError, match="space travel"):
        strict.score(X2)
    risky = ApplicationScorecard(unseen="riskiest").fit(X, y)
    pts = risky.points(X2)["purpose"].iloc[0]
    t = risky.table_[
        (risky.table_["feature"] == "purpose") & (risky.table_["count"] > 0)
    ]
    assert pts == t["points"].min()


def test_out_of_range_values_use_edge_bins(card, german):
    X, _ = german
    X2 = X.head(2).copy()
    X2["credit_amount"] = [-1e9, 1e12]
    pts = card.points(X2)["credit_amount"]
    t = card.table_[card.table_["feature"] == "credit_amount"]
    n = card.engine_.bins["credit_amount"].n_regular
    assert pts.iloc[0] == t["points"].iloc[0] and pts.iloc[1] == t["points"].iloc[n - 1]


def test_extra_columns_ignored_and_input_unchanged(card, german):
    X, _ = german
    X2 = X.head(10).assign(extra="x")
    before = X2.copy()
    s = card.score(X2)
    pd.testing.assert_frame_equal(X2, before)
    assert (s == card.score(X.head(10))).all()


def test_scoring_never_changes_the_model(card, german, tmp_path):
    X, _ = german
    before = loanrisk.save(card, tmp_path / "a.json").read_bytes()
    X2 = X.copy()
    X2["purpose"] = X2["purpose"].astype(object)
    card.score(X2)
    card.reasons(X2)
    card.predict_proba(X2)
    assert loanrisk.save(card, tmp_path / "b.json").read_bytes() == before


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda X, y: (X, pd.Series(1, index=y.index)), "holds only one class, bad"),
        (lambda X, y: (X, y.replace(1, 2)), r"only 0 \(good\) and 1 \(bad\)"),
        (lambda X, y: (X.head(10), y), "1000 values but X has 10 rows"),
        (
            lambda X, y: (
                X.assign(
                    duration_in_month=np.where(
                        X.index == 3, np.inf, X["duration_in_month"]
                    )
                ),
                y,
            ),
            r"'duration_in_month' of X has 1 infinite.*3",
        ),
        (
            lambda X, y: (
                X.assign(mixed=pd.Series([1, "a"] * 500, index=X.index, dtype=object)),
                y,
            ),
            "'mixed' mixes numbers and text",
        ),
        (lambda X, y: (X.iloc[:0], y.iloc[:0]), "empty X"),
    ],
)
def test_fit_bad_input(german, mutate, match):
    X, y = german
    Xb, yb = mutate(X.copy(), y.copy())
    with pytest.raises(InputError, match=match):
        ApplicationScorecard().fit(Xb, yb)


def test_constant_and_all_missing_columns_dropped_with_reason(german):
    X, y = german
    X2 = X[["duration_in_month", "purpose"]].assign(const=1.0, empty=np.nan)
    card = ApplicationScorecard().fit(X2, y)
    sel = card.selection_
    assert not sel.loc["const", "selected"] and not sel.loc["empty", "selected"]
    assert sel.loc["empty", "reason"] == "all values missing"
    assert "single bin" in sel.loc["const", "reason"]
    assert card.features_ == ["duration_in_month", "purpose"]


def test_selection_filters(german):
    X, y = german
    X2 = X[["duration_in_month", "credit_amount", "purpose"]].assign(
        duration_copy=X["duration_in_month"]
    )
    card = ApplicationScorecard(max_corr=0.9).fit(X2, y)
    sel = card.selection_
    dropped = [
        f for f in ("duration_in_month", "duration_copy") if not sel.loc[f, "selected"]
    ]
    assert len(dropped) == 1 and sel.loc[dropped[0], "step"] == "correlation"
    v = ApplicationScorecard(max_vif=5.0).fit(X2, y)
    assert "vif" in set(v.selection_["step"]) and len(v.features_) == 3


@pytest.mark.parametrize("criterion", ["pvalue", "aic"])
def test_stepwise(german, criterion):
    X, y = german
    card = ApplicationScorecard(stepwise="both", criterion=criterion).fit(X, y)
    assert 0 < len(card.features_) < 20
    if criterion == "pvalue":
        assert (card.inference_["p_value"].iloc[1:] < 0.05).all()
    assert "stepwise" in set(card.selection_["step"])


def test_statsmodels_reference(german):
    import statsmodels.api as sm

    X, y = german
    card = ApplicationScorecard().fit(X, y)
    W = card.binner_.transform(X)[card.features_]
    res = sm.Logit(y.to_numpy(), sm.add_constant(W.to_numpy())).fit(disp=0)
    np.testing.assert_allclose(card.inference_["coef"], res.params, rtol=1e-6)
    np.testing.assert_allclose(card.inference_["std_err"], res.bse, rtol=1e-5)


def test_penalised_fit_shrinks(german):
    X, y = german
    a = ApplicationScorecard().fit(X, y)
    b = ApplicationScorecard(C=0.01).fit(X, y)
    assert np.abs(b.coef_).sum() < np.abs(a.coef_).sum()


def test_wrong_sign_warns_and_drops(german):
    X, y = german
    with pytest.warns(LoanRiskWarning, match="positive"):
        ApplicationScorecard(min_iv=0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        card = ApplicationScorecard(min_iv=0, wrong_sign="drop").fit(X, y)
    assert (card.coef_ < 0).all()
    assert "sign" in set(card.selection_["step"])


@pytest.mark.filterwarnings("ignore::loanrisk.errors.LoanRiskWarning")
def test_sample_weight_equals_repetition(german):
    X, y = german
    Xs, ys = X.head(300), y.head(300)
    w = np.where(np.arange(300) % 3 == 0, 2.0, 1.0)
    rep = np.repeat(np.arange(300), w.astype(int))
    a = ApplicationScorecard(min_bin_size=0.1).fit(Xs, ys, sample_weight=w)
    b = ApplicationScorecard(
        min_bin_size=0.1,
        binning_overrides={
            f: (
                {"splits": a.binner_.bins_[f].splits}
                if a.binner_.bins_[f].kind == "numerical"
                else {"groups": a.binner_.bins_[f].groups}
            )
            for f in X.columns
            if a.binner_.bins_[f].n_regular > 0
            and (a.binner_.bins_[f].kind == "numerical" or a.binner_.bins_[f].groups)
        },
    ).fit(Xs.iloc[rep], ys.iloc[rep])
    common = [f for f in a.features_ if f in b.features_]
    assert common
    np.testing.assert_allclose(
        a.inference_.loc[common, "coef"], b.inference_.loc[common, "coef"], rtol=1e-6
    )


def test_cutoff_and_predict(card, german):
    X, _ = german
    assert card.cutoff_ == pytest.approx(card.scale_.offset)
    c2 = clone(card).set_params(cutoff=500).fit(*german)
    assert (c2.predict(X) == (c2.score(X) < 500)).all()


def test_summary_outputs(card):
    text = card.summary().to_text()
    assert "Logistic regression on WoE" in text and "p_value" in text
    assert "<table" in card.summary()._repr_html_()
    assert list(card.summary_frame().columns) == [
        "coef",
        "std_err",
        "z",
        "p_value",
        "vif",
        "iv",
    ]


@pytest.mark.filterwarnings("ignore::loanrisk.errors.LoanRiskWarning")
def test_sklearn_clone_pipeline_gridsearch(german):
    X, y = german
    card = ApplicationScorecard(pdo=30)
    assert clone(card).get_params() == card.get_params()
    pipe = Pipeline([("card", ApplicationScorecard())]).fit(X, y)
    assert pipe.predict_proba(X.head(2)).shape == (2, 2)
    gs = GridSearchCV(
        ApplicationScorecard(),
        {"min_iv": [0.02, 0.1]},
        scoring="roc_auc",
        cv=StratifiedKFold(2, shuffle=True, random_state=0),
        error_score="raise",
    ).fit(X, y)
    assert gs.best_params_["min_iv"] in (0.02, 0.1)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"pdo": 0}, "'pdo' parameter of ApplicationScorecard must be a number > 0"),
        ({"min_iv": -1}, "'min_iv'"),
        ({"stepwise": "sideways"}, "'stepwise'"),
        ({"C": 0}, "'C'"),
        ({"wrong_sign": "ignore"}, "'wrong_sign'"),
        ({"force_features": ["nope"]}, "'force_features'.*nope"),
    ],
)
def test_bad_params(german, kwargs, match):
    with pytest.raises(InputError, match=match):
        ApplicationScorecard(**kwargs).fit(*german)


@settings(max_examples=10)
@given(st.lists(st.integers(0, 999), min_size=1, max_size=20))
def test_round_trip_property(card, german, rows):
    X, _ = german
    back = type(card).from_dict(card.to_dict())
    sub = X.iloc[rows]
    assert (back.score(sub) == card.score(sub)).all()


def test_overrides_kept_in_saved_model(german, tmp_path):
    X, y = german
    card = ApplicationScorecard(
        binning_overrides={"duration_in_month": {"splits": [12, 24, 36]}}
    ).fit(X, y)
    back = loanrisk.load(loanrisk.save(card, tmp_path / "m.json"))
    assert back.binning_overrides == {"duration_in_month": {"splits": [12, 24, 36]}}
    assert back.engine_.bins["duration_in_month"].splits == [12.0, 24.0, 36.0]
