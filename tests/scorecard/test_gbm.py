import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

import loanrisk
from loanrisk._persist import _checksum
from loanrisk.errors import InputError, ModelFormatError, NotFittedError
from loanrisk.scorecard import ApplicationScorecard
from loanrisk.scorecard._gbm import GradientBoostingScorecard

FAST = {"n_estimators": 40, "random_state": 0}


@pytest.fixture(scope="module")
def gbm(german):
    X, y = german
    return GradientBoostingScorecard(**FAST).fit(X, y)


@pytest.fixture(scope="module")
def messy(german):
    """German credit with missing values, a special code and a text column."""
    X, y = german
    X = X.copy()
    rng = np.random.default_rng(0)
    X["credit_amount"] = X["credit_amount"].astype(float)
    X.loc[rng.random(len(X)) < 0.08, "credit_amount"] = np.nan
    X.loc[rng.random(len(X)) < 0.06, "age_in_years"] = -1
    X["purpose"] = X["purpose"].astype(object)
    X.loc[rng.random(len(X)) < 0.05, "purpose"] = None
    return X, y


@pytest.fixture(scope="module")
def messy_gbm(messy):
    X, y = messy
    card = GradientBoostingScorecard(
        special_codes={"age_in_years": [-1]}, unseen="riskiest", **FAST
    )
    return card.fit(X, y)


# -- reference: raw score by walking the dumped trees ---------------------------
def _walk(node, x):
    while "leaf_value" not in node:
        v = x[node["split_feature"]]
        assert node["decision_type"] == "<="
        missing = math.isnan(v) or (node["missing_type"] == "Zero" and v == 0.0)
        if missing and node["missing_type"] != "None":
            left = node["default_left"]
        else:
            left = v <= node["threshold"]
        node = node["left_child"] if left else node["right_child"]
    return node["leaf_value"]


def _reference_raw(card, X):
    woe = card.binner_.transform(X)[card.features_].to_numpy()
    trees = card.booster_.dump_model()["tree_info"]
    return np.array(
        [sum(_walk(t["tree_structure"], row) for t in trees) for row in woe]
    )


def test_score_is_scaled_raw_log_odds(gbm, german):
    X, _ = german
    Xs = X.iloc[::25]
    raw = _reference_raw(gbm, Xs)
    factor = 20 / math.log(2)
    offset = 600 - factor * math.log(50)
    expected = np.round(offset - factor * raw).astype(np.int64)
    got = gbm.score(Xs)
    # one point of slack only where the float sum order could move a .5 boundary
    assert np.abs(got.to_numpy() - expected).max() <= 1
    assert (got.to_numpy() == expected).mean() > 0.95
    p = gbm.booster_.predict(gbm.binner_.transform(Xs)[gbm.features_].to_numpy())
    np.testing.assert_allclose(p, 1 / (1 + np.exp(-raw)), rtol=1e-9)


def test_score_series_int_keeps_index_and_record_path(gbm, german):
    X, _ = german
    Xi = X.head(5).set_axis(list("abcde"))
    s = gbm.score(Xi)
    assert s.dtype == np.int64 and list(s.index) == list("abcde")
    assert s.name == "score"
    assert [gbm.score_record(r) for r in Xi.to_dict("records")] == s.tolist()
    # extra columns ignored, input not modified
    before = Xi.copy()
    assert gbm.score(Xi.assign(extra=1)).equals(s)
    pd.testing.assert_frame_equal(Xi, before)


def test_proba_predict_and_cutoff(gbm, german):
    X, y = german
    s = gbm.score(X)
    proba = gbm.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    factor = 20 / math.log(2)
    offset = 600 - factor * math.log(50)
    np.testing.assert_allclose(proba[:, 1], 1 / (1 + np.exp((s - offset) / factor)))
    assert roc_auc_score(y, proba[:, 1]) == pytest.approx(roc_auc_score(y, -s))
    assert roc_auc_score(y, -s) > 0.75
    np.testing.assert_array_equal(gbm.predict(X), (s < offset).astype(int))
    c = clone(gbm).set_params(cutoff=560).fit(X, y)
    np.testing.assert_array_equal(c.predict(X), (c.score(X) < 560).astype(int))
    np.testing.assert_allclose(gbm.decision_function(X), (offset - s) / factor)


def test_clone_and_params():
    card = GradientBoostingScorecard(n_estimators=7, learning_rate=0.1, random_state=3)
    twin = clone(card)
    assert twin.get_params() == card.get_params()
    assert twin is not card
    assert not hasattr(twin, "booster_")


def test_fitted_clone_is_unfitted(gbm):
    with pytest.raises(NotFittedError, match="GradientBoostingScorecard is not fitted"):
        clone(gbm).score(pd.DataFrame({"a": [1]}))


def test_holdout_gini_close_to_application_scorecard(german):
    X, y = german
    Xtr, Xte, ytr, yte = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=42
    )
    gbm = GradientBoostingScorecard(random_state=0).fit(Xtr, ytr)
    app = ApplicationScorecard().fit(Xtr, ytr)
    g_gbm = 2 * roc_auc_score(yte, -gbm.score(Xte)) - 1
    g_app = 2 * roc_auc_score(yte, -app.score(Xte)) - 1
    assert g_gbm > 0.55
    assert g_gbm >= g_app - 0.03


def _bin_values(card, feature):
    """One value per bin of ``feature`` (Special and Missing included)."""
    b = card.binner_.bins_[feature]
    if b.kind == "numerical":
        values = [b.splits[0] - 1.0 if b.splits else 0.0, *b.splits]
    else:
        values = [g[0] for g in b.groups]
    return [*values, *b.special_codes[:1], None]


@settings(max_examples=25)
@given(row=st.integers(0, 999), j=st.integers(0, 100))
def test_raising_woe_never_lowers_score(messy_gbm, messy, row, j):
    X, _ = messy
    card = messy_gbm
    f = card.features_[j % len(card.features_)]
    values = _bin_values(card, f)
    frame = pd.concat([X.iloc[[row]]] * len(values), ignore_index=True)
    column = pd.Series(values, dtype=object)
    if card.binner_.bins_[f].kind == "numerical":
        column = pd.to_numeric(column)
    frame[f] = column
    scores = card.score(frame).to_numpy()
    woe = card.binner_.transform(frame)[f].to_numpy()
    assert len(set(card.binner_.bin_indices(frame)[f])) == len(values)
    order = np.argsort(woe, kind="stable")
    assert (np.diff(scores[order]) >= 0).all(), (f, woe[order], scores[order])


def test_monotone_constraints_in_booster(gbm):
    text = gbm.booster_.model_to_string()
    line = next(s for s in text.splitlines() if s.startswith("monotone_constraints="))
    assert line.split("=")[1].split() == ["-1"] * len(gbm.features_)


def test_missing_and_special_values(messy_gbm, messy):
    X, _ = messy
    card = messy_gbm
    s = card.score(X)
    assert s.notna().all()
    rec = X.iloc[0].to_dict()
    for field, value in (
        ("credit_amount", None),
        ("credit_amount", float("nan")),
        ("age_in_years", -1),
        ("purpose", None),
    ):
        r = {**rec, field: value}
        assert card.score_record(r) == int(card.score(pd.DataFrame([r])).iloc[0])
    inputs = card.test_vectors_["inputs"]
    assert any(r["age_in_years"] == -1 for r in inputs)
    assert any(r["credit_amount"] is None for r in inputs)
    assert len(inputs) >= 32


def test_unseen_category(gbm, messy_gbm, german, messy):
    X, _ = german
    new = X.head(3).copy()
    new["purpose"] = new["purpose"].astype(object)
    new.loc[new.index[1], "purpose"] = "space travel"
    with pytest.raises(InputError, match="Column 'purpose' has 1 value.*not seen"):
        gbm.score(new)
    with pytest.raises(
        InputError, match="Field 'purpose' has the value 'space travel'"
    ):
        gbm.score_record(new.iloc[1].to_dict())
    # unseen="riskiest": scored as the riskiest category
    Xm, _ = messy
    b = messy_gbm.binner_.bins_["purpose"]
    worst = b.groups[b.riskiest_bin()][0]
    unseen = Xm.head(3).copy()
    unseen.loc[unseen.index[1], "purpose"] = "space travel"
    riskiest = unseen.copy()
    riskiest.loc[riskiest.index[1], "purpose"] = worst
    pd.testing.assert_series_equal(messy_gbm.score(unseen), messy_gbm.score(riskiest))
    assert messy_gbm.score_record(unseen.iloc[1].to_dict()) == int(
        messy_gbm.score(riskiest).iloc[1]
    )


def test_reasons_columns_and_rule(gbm, german):
    X, _ = german
    Xs = X.iloc[:60]
    r = gbm.reasons(Xs)
    app_cols = [
        f"reason_{k}{suffix}"
        for k in range(1, 5)
        for suffix in ("", "_bin", "_points_lost")
    ]
    assert list(r.columns) == app_cols
    assert r.index.equals(Xs.index)
    # independent: TreeSHAP contributions in points against the training best
    woe = gbm.binner_.transform(Xs)[gbm.features_].to_numpy()
    contrib = gbm.booster_.predict(woe, pred_contrib=True)
    np.testing.assert_allclose(
        contrib.sum(axis=1), gbm.booster_.predict(woe, raw_score=True), atol=1e-9
    )
    Xall = gbm.binner_.transform(X)[gbm.features_].to_numpy()
    best = gbm.booster_.predict(Xall, pred_contrib=True)[:, :-1].min(axis=0)
    np.testing.assert_array_equal(best, gbm.best_contrib_)
    lost = np.maximum(np.round(20 / math.log(2) * (contrib[:, :-1] - best)), 0)
    labels = gbm.binner_.bin_indices(Xs)
    for i in range(len(Xs)):
        expected = sorted(
            (-lost[i, j], j) for j in range(len(gbm.features_)) if lost[i, j] > 0
        )[:4]
        for k, (neg, j) in enumerate(expected, start=1):
            f = gbm.features_[j]
            assert r[f"reason_{k}"].iloc[i] == f
            assert r[f"reason_{k}_points_lost"].iloc[i] == -neg
            b = gbm.binner_.bins_[f]
            assert r[f"reason_{k}_bin"].iloc[i] == b.labels()[labels[f].iloc[i]]
        for k in range(len(expected) + 1, 5):
            assert r[f"reason_{k}"].iloc[i] is None
            assert r[f"reason_{k}_points_lost"].iloc[i] == 0
    assert r["reason_1_points_lost"].dtype == np.int64


def test_reasons_more_than_features(german):
    X, y = german
    cols = ["status_of_existing_checking_account", "duration_in_month"]
    card = GradientBoostingScorecard(n_estimators=10, random_state=0).fit(X[cols], y)
    r = card.reasons(X[cols].head(4), n=3)
    assert r["reason_3"].isna().all() and (r["reason_3_points_lost"] == 0).all()
    with pytest.raises(InputError, match="'n' parameter of reasons must be an integer"):
        card.reasons(X.head(2), n=0)


def test_summary(gbm):
    text = gbm.summary().to_text()
    assert "GradientBoostingScorecard" in text and "monotone constraint -1" in text
    frame = gbm.summary_frame()
    assert list(frame.index) == gbm.features_
    assert list(frame.columns) == ["iv", "gain", "splits", "monotone", "best_points"]
    assert (frame["best_points"] >= 0).all()
    assert "<table>" in gbm.summary()._repr_html_()
    sel = gbm.selection_
    assert list(sel.index) == list(gbm.feature_names_in_)
    assert list(sel.index[sel["selected"]]) == gbm.features_
    assert (sel.loc[~sel["selected"], "reason"] != "").all()


def test_save_load_round_trip(messy_gbm, messy, tmp_path):
    X, _ = messy
    path = loanrisk.save(messy_gbm, tmp_path / "gbm.json")
    loaded = loanrisk.load(path)
    assert isinstance(loaded, GradientBoostingScorecard)
    pd.testing.assert_series_equal(loaded.score(X), messy_gbm.score(X))
    pd.testing.assert_frame_equal(loaded.reasons(X), messy_gbm.reasons(X))
    rec = X.iloc[3].to_dict()
    assert loaded.score_record(rec) == messy_gbm.score_record(rec)
    payload = json.loads(path.read_text())
    assert payload["fitted"]["booster"].startswith("tree\n")
    assert payload["metadata"]["random_state"] == messy_gbm.random_state_
    assert "lightgbm" in payload["metadata"]["dependencies"]
    assert loaded.get_params() == messy_gbm.get_params()


def test_refit_gives_identical_file(german, tmp_path):
    X, y = german
    a = GradientBoostingScorecard(subsample=0.8, colsample_bytree=0.8, **FAST)
    b = clone(a)
    pa = loanrisk.save(a.fit(X, y), tmp_path / "a.json")
    pb = loanrisk.save(b.fit(X, y), tmp_path / "b.json")
    assert pa.read_bytes() == pb.read_bytes()
    c = GradientBoostingScorecard(
        subsample=0.8, colsample_bytree=0.8, n_estimators=40, random_state=1
    ).fit(X, y)
    assert not (c.score(X) == a.score(X)).all()


def _resigned(payload):
    payload["checksum"] = _checksum(payload)
    return payload


def test_load_checks_test_vectors_and_booster(gbm):
    payload = gbm.to_dict()
    payload["fitted"]["test_vectors"]["expected_score"][2] += 1
    with pytest.raises(ModelFormatError, match="fails its test vectors \\(row 2"):
        GradientBoostingScorecard.from_dict(_resigned(payload))
    payload = gbm.to_dict()
    payload["fitted"]["booster"] = "tree\nnonsense"
    with pytest.raises(ModelFormatError, match="booster cannot be read by LightGBM"):
        GradientBoostingScorecard.from_dict(_resigned(payload))
    payload = gbm.to_dict()
    payload["fitted"]["booster"] = 12
    with pytest.raises(ModelFormatError, match="booster must be LightGBM model text"):
        GradientBoostingScorecard.from_dict(_resigned(payload))
    payload = gbm.to_dict()
    payload["fitted"]["features"] = payload["fitted"]["features"][:-1]
    with pytest.raises(ModelFormatError, match="booster has \\d+ features"):
        GradientBoostingScorecard.from_dict(_resigned(payload))
    payload = gbm.to_dict()
    payload["fitted"]["test_vectors"] = {}
    with pytest.raises(ModelFormatError, match="has no test vectors"):
        GradientBoostingScorecard.from_dict(_resigned(payload))


def test_sample_weight_changes_the_model(german):
    X, y = german
    w = np.where(np.asarray(y) == 1, 3.0, 1.0)
    plain = GradientBoostingScorecard(n_estimators=10, random_state=0).fit(X, y)
    weighted = GradientBoostingScorecard(n_estimators=10, random_state=0).fit(
        X, y, sample_weight=w
    )
    # more weight on bads raises every PD: scores fall on average
    assert weighted.score(X).mean() < plain.score(X).mean() - 10
    with pytest.raises(InputError, match="sample_weight has 1 negative"):
        plain.fit(X, y, sample_weight=np.r_[-1.0, np.ones(len(X) - 1)])


def test_bad_input(gbm, german):
    X, y = german
    with pytest.raises(
        InputError,
        match="GradientBoostingScorecard: y holds only one class, good \\(0\\)",
    ):
        GradientBoostingScorecard(**FAST).fit(X, np.zeros(len(X)))
    with pytest.raises(
        InputError, match="X is missing the required column\\(s\\) \\['purpose'\\]"
    ):
        gbm.score(X.drop(columns="purpose"))
    with pytest.raises(InputError, match="The record is missing the field 'purpose'"):
        gbm.score_record({k: v for k, v in X.iloc[0].items() if k != "purpose"})
    with pytest.raises(InputError, match="expects one record as a dict"):
        gbm.score_record([1, 2])  # type: ignore[arg-type]
    with pytest.raises(InputError, match="Column 'credit_amount' must be numeric"):
        gbm.score(X.head(2).assign(credit_amount=["a", "b"]))
    with pytest.raises(InputError, match="score\\(X\\) returns points and takes no y"):
        gbm.score(X, y)
    unfitted = GradientBoostingScorecard()
    for method in ("score", "predict_proba", "predict", "decision_function", "reasons"):
        with pytest.raises(
            NotFittedError, match="This GradientBoostingScorecard is not fitted yet"
        ):
            getattr(unfitted, method)(X)
    for method in ("summary", "summary_frame"):
        with pytest.raises(NotFittedError, match="not fitted yet"):
            getattr(unfitted, method)()
    with pytest.raises(NotFittedError, match="not fitted yet"):
        loanrisk.save(unfitted, "never-written.json")
    with pytest.raises(NotFittedError, match="not fitted yet"):
        GradientBoostingScorecard().score_record({})


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"n_estimators": 0},
            "'n_estimators' parameter of GradientBoostingScorecard "
            "must be an integer >= 1",
        ),
        ({"learning_rate": -0.1}, "'learning_rate' .* must be a number > 0"),
        ({"subsample": 1.5}, "'subsample' .* must be a number > 0 and <= 1"),
        ({"max_depth": 0}, "'max_depth' .* must be an integer >= 1, or -1"),
        ({"unseen": "ignore"}, "'unseen' .* must be one of 'error', 'riskiest'"),
        ({"pdo": 0}, "'pdo' .* must be a number > 0"),
        ({"min_iv": 100.0}, "No feature of X can enter GradientBoostingScorecard"),
    ],
)
def test_bad_params(german, params, message):
    X, y = german
    cols = ["duration_in_month", "purpose"]
    with pytest.raises(InputError, match=message):
        GradientBoostingScorecard(**{"n_estimators": 5, **params}).fit(X[cols], y)


def test_lightgbm_not_imported_by_the_package():
    code = (
        "import sys, loanrisk.scorecard, loanrisk.scorecard._gbm; "
        "print('lightgbm' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_array_input_and_feature_count():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(400, 3))
    y = (X[:, 0] + rng.normal(size=400) > 0.5).astype(int)
    card = GradientBoostingScorecard(n_estimators=10, random_state=0).fit(X, y)
    assert card.features_[0] == "x0" and card.n_features_in_ == 3
    assert card.score(X).shape == (400,)
    with pytest.raises(
        InputError,
        match="X has 400 features, but GradientBoostingScorecard is expecting 3",
    ):
        card.predict(X.T)
