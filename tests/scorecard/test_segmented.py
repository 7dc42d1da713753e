import json

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

import loanrisk
from loanrisk._persist import _checksum
from loanrisk.errors import (
    InputError,
    LoanRiskWarning,
    ModelFormatError,
    NotFittedError,
)
from loanrisk.scorecard import ApplicationScorecard, PointsScale
from loanrisk.scorecard._segmented import SegmentedScorecard
from loanrisk.scorecard._sql import DIALECTS

CARS = {"car (new)": "car", "car (used)": "car"}
BASE = ApplicationScorecard(wrong_sign="drop")


def _groups(X):
    return {v: CARS.get(v, "rest") for v in X["purpose"].cat.categories}


@pytest.fixture(scope="module")
def seg(german):
    X, y = german
    return SegmentedScorecard("purpose", segment_map=_groups(X), base=BASE).fit(X, y)


@pytest.fixture(scope="module")
def with_nan(german):
    """German credit with missing values injected in numeric and category columns."""
    X, _ = german
    X2 = X.copy()
    X2["duration_in_month"] = X2["duration_in_month"].astype(float)
    X2.loc[X2.index[::7], "duration_in_month"] = np.nan
    X2["credit_amount"] = X2["credit_amount"].astype(float)
    X2.loc[X2.index[3::11], "credit_amount"] = np.nan
    X2.loc[X2.index[1::9], "savings_account_and_bonds"] = np.nan
    return X2


def test_each_segment_scores_with_its_own_scorecard(seg, german):
    X, y = german
    is_car = X["purpose"].isin(list(CARS)).to_numpy()
    own_car = ApplicationScorecard(wrong_sign="drop").fit(X[is_car], y[is_car])
    own_rest = ApplicationScorecard(wrong_sign="drop").fit(X[~is_car], y[~is_car])
    s = seg.score(X)
    assert s.dtype == np.int64 and s.index.equals(X.index)
    np.testing.assert_array_equal(s[is_car], own_car.score(X[is_car]))
    np.testing.assert_array_equal(s[~is_car], own_rest.score(X[~is_car]))
    assert list(seg.segments_) == ["car", "rest"]
    assert (seg.segment_of(X) == np.where(is_car, "car", "rest")).all()


def test_common_scale_and_probabilities(seg, german):
    X, _ = german
    for card in seg.segments_.values():
        assert card.scale_ == PointsScale(20, 600, 50) == seg.scale_
        assert card.cutoff is None
    s = seg.score(X).to_numpy(dtype=float)
    factor = 20 / np.log(2)
    offset = 600 - factor * np.log(50)
    p_bad = 1 / (1 + np.exp((s - offset) / factor))
    np.testing.assert_allclose(seg.predict_proba(X)[:, 1], p_bad)
    np.testing.assert_array_equal(seg.predict(X), (s < offset).astype(int))
    seg2 = SegmentedScorecard(
        "purpose",
        segment_map=_groups(X),
        base=ApplicationScorecard(pdo=50),
        pdo=40,
        base_score=500,
        base_odds=20,
        cutoff=510,
    )
    with pytest.warns(
        LoanRiskWarning, match="Segment 'rest': ApplicationScorecard: the coefficient"
    ):
        seg2.fit(*german)
    for card in seg2.segments_.values():
        assert (card.pdo, card.base_score, card.base_odds, card.cutoff) == (
            40,
            500,
            20,
            510,
        )
    np.testing.assert_array_equal(
        seg2.predict(X), (seg2.score(X) < 510).astype(int).to_numpy()
    )


def test_points_reasons_and_record(seg, german):
    X, _ = german
    head = X.head(40)
    pts = seg.points(head)
    np.testing.assert_array_equal(pts.sum(axis=1), seg.score(head))
    r = seg.reasons(head, n=3)
    assert r.index.equals(head.index)
    for name, card in seg.segments_.items():
        mask = (seg.segment_of(head) == name).to_numpy()
        pd.testing.assert_frame_equal(r[mask], card.reasons(head[mask], n=3))
    for i in range(0, 40, 7):
        rec = head.iloc[i].to_dict()
        assert seg.score_record(rec) == seg.score(head.iloc[[i]]).iloc[0]
    assert set(seg.table_["segment"]) == {"car", "rest"}
    assert seg.summary_frame()["n_rows"].sum() == len(X)
    text = str(seg.summary())
    assert "SegmentedScorecard" in text and "car" in text
    assert "<table>" in seg.summary()._repr_html_()


def test_default_segments_pool_small_ones_into_other(german):
    X, y = german
    seg = SegmentedScorecard(
        "purpose", base=BASE, min_segment_size=150, small_segments="other"
    ).fit(X, y)
    assert list(seg.segments_) == [
        "car (new)",
        "furniture/equipment",
        "radio/television",
        "other",
    ]
    small = {
        "car (used)",
        "business",
        "education",
        "repairs",
        "domestic appliances",
        "others",
        "retraining",
    }
    assert set(seg.segment_values_["other"]) == small
    assert seg.segment_table_.loc["other", "n_rows"] == X["purpose"].isin(small).sum()
    with pytest.raises(InputError, match="not seen when the model was fitted"):
        seg.score(X.head(1).assign(purpose="space travel"))
    X2 = X.head(3).copy()
    X2["purpose"] = X2["purpose"].cat.add_categories(["space travel"])
    X2.loc[X2.index[1], "purpose"] = "space travel"
    with pytest.raises(InputError, match=r"index labels 1; values \['space travel'\]"):
        seg.score(X2)
    np.testing.assert_array_equal(seg.score(X2.iloc[[0, 2]]), seg.score(X.iloc[[0, 2]]))


def test_unseen_segment_other_uses_pooled_fallback(german):
    X, y = german
    seg = SegmentedScorecard(
        "purpose", segment_map=_groups(X), base=BASE, unseen_segment="other"
    ).fit(X, y)
    assert list(seg.segments_) == ["car", "rest", "other"]
    pooled = ApplicationScorecard(wrong_sign="drop").fit(X.drop(columns="purpose"), y)
    assert "purpose" not in seg.segments_["other"].features_
    X2 = X.head(5).copy()
    X2["purpose"] = X2["purpose"].astype(object)
    X2.loc[X2.index[[0, 2]], "purpose"] = "space travel"
    s = seg.score(X2)
    np.testing.assert_array_equal(s.iloc[[0, 2]], pooled.score(X2.iloc[[0, 2]]))
    assert s.iloc[1] == seg.score(X.iloc[[1]]).iloc[0]
    assert seg.score_record(X2.iloc[0].to_dict()) == s.iloc[0]
    con = duckdb.connect()
    con.register("apps", X2)
    got = con.execute(seg.to_sql("apps")).df()
    np.testing.assert_array_equal(got["score"].to_numpy(), s.to_numpy())
    assert got["score_segment"].tolist() == seg.segment_of(X2).tolist()


@pytest.mark.parametrize("dialect", DIALECTS)
def test_sql_dialects_are_one_select(seg, dialect):
    sql = seg.to_sql("apps", dialect=dialect)
    assert sql.startswith("SELECT") and sql.count("FROM apps") == 1
    quote = "`" if dialect == "spark" else '"'
    assert f"WHEN {quote}purpose{quote} IN ('car (new)', 'car (used)') THEN" in sql


def test_duckdb_sql_equals_python_row_for_row(seg, with_nan):
    con = duckdb.connect()
    con.register("apps", with_nan)
    got = con.execute(seg.to_sql("apps")).df()
    expected = seg.score(with_nan)
    assert with_nan["duration_in_month"].isna().sum() > 100
    np.testing.assert_array_equal(got["score"].to_numpy(dtype=np.int64), expected)
    assert got["score_segment"].tolist() == seg.segment_of(with_nan).tolist()
    # the saved test vectors (missing and special values) score the same in SQL
    vectors = seg._vectors_frame(seg.test_vectors_["inputs"])
    con.register("vectors", vectors)
    got = con.execute(seg.to_sql("vectors")).df()
    assert got["score"].tolist() == seg.test_vectors_["expected_score"]


def test_round_trip(seg, with_nan, tmp_path):
    path = loanrisk.save(seg, tmp_path / "seg.json")
    back = loanrisk.load(path)
    assert isinstance(back, SegmentedScorecard)
    np.testing.assert_array_equal(back.score(with_nan), seg.score(with_nan))
    pd.testing.assert_frame_equal(back.reasons(with_nan), seg.reasons(with_nan))
    pd.testing.assert_frame_equal(back.table_, seg.table_)
    pd.testing.assert_frame_equal(back.segment_table_, seg.segment_table_)
    assert back.to_sql("t") == seg.to_sql("t")
    assert loanrisk.save(back, tmp_path / "again.json").read_bytes() == (
        path.read_bytes()
    )
    assert len(seg.test_vectors_["inputs"]) == 16


def test_load_checks_test_vectors(seg):
    payload = json.loads(json.dumps(seg.to_dict()))
    payload["fitted"]["test_vectors"]["expected_score"][3] += 1
    payload["checksum"] = _checksum(payload)
    with pytest.raises(ModelFormatError, match="fails its test vectors"):
        SegmentedScorecard.from_dict(payload)
    payload = json.loads(json.dumps(seg.to_dict()))
    seg0 = payload["fitted"]["segments"][0]["fitted"]
    seg0["engine"]["points"][next(iter(seg0["engine"]["points"]))][0] += 5
    payload["checksum"] = _checksum(payload)
    with pytest.raises(ModelFormatError, match="test vectors"):
        SegmentedScorecard.from_dict(payload)


def test_sklearn_clone_and_params(seg):
    c = clone(seg)
    assert c.get_params()["segment"] == "purpose"
    assert not hasattr(c, "segments_")
    with pytest.raises(NotFittedError, match="SegmentedScorecard is not fitted yet"):
        c.score(pd.DataFrame({"purpose": ["car (new)"]}))


def test_inputs_not_modified_and_index_kept(seg, german):
    X, _ = german
    X2 = X.head(20).set_axis([f"r{i}" for i in range(20)]).assign(extra=1)
    before = X2.copy()
    s = seg.score(X2)
    seg.reasons(X2)
    pd.testing.assert_frame_equal(X2, before)
    assert list(s.index) == list(X2.index)


def test_scoring_bad_input(seg, german):
    X, _ = german
    X2 = X.head(6).set_axis(list("abcdef"))
    X2["purpose"] = X2["purpose"].astype(object)
    X2.loc[["b", "d"], "purpose"] = "space travel"
    with pytest.raises(
        InputError,
        match=r"segment column 'purpose' has 2 value\(s\) not seen when the model was "
        r"fitted \(index labels 'b', 'd'; values \['space travel'\]\)",
    ):
        seg.score(X2)
    X2.loc[["b", "d"], "purpose"] = None
    with pytest.raises(
        InputError,
        match=r"'purpose' has 2 missing value\(s\) \(index "
        r"labels 'b', 'd'\)",
    ):
        seg.score(X2)
    with pytest.raises(
        InputError,
        match=r"missing the required column\(s\) "
        r"\['purpose'\]",
    ):
        seg.score(X.drop(columns="purpose"))
    with pytest.raises(InputError, match="takes no y"):
        seg.score(X, X.index)
    rec = X.iloc[0].to_dict()
    with pytest.raises(InputError, match="value 'space', not seen"):
        seg.score_record({**rec, "purpose": "space"})
    with pytest.raises(InputError, match="segment field 'purpose' is missing"):
        seg.score_record({**rec, "purpose": None})
    del rec["purpose"]
    with pytest.raises(InputError, match="missing the segment field 'purpose'"):
        seg.score_record(rec)
    with pytest.raises(InputError, match="expects one record as a dict"):
        seg.score_record([1])  # type: ignore[arg-type]
    with pytest.raises(InputError, match="'n' parameter of reasons"):
        seg.reasons(X, n=0)
    with pytest.raises(InputError, match="'dialect' parameter of to_sql"):
        seg.to_sql("t", dialect="oracle")
    with pytest.raises(InputError, match="needs the table name"):
        seg.to_sql(" ")


def test_fit_small_segments_error_names_them(german):
    X, y = german
    with pytest.raises(
        InputError,
        match=r"segment\(s\) 'business' \(97 rows\), 'car \(used\)' \(103 rows\), "
        r"'domestic appliances' \(12 rows\).* fewer than min_segment_size=150",
    ):
        SegmentedScorecard("purpose", min_segment_size=150).fit(X, y)
    y2 = y.copy()
    y2[X["purpose"] == "car (used)"] = 0
    groups = _groups(X) | {"car (used)": "used"}
    with pytest.raises(InputError, match=r"'used' \(103 rows, no bads\)"):
        SegmentedScorecard("purpose", segment_map=groups, min_segment_size=50).fit(
            X, y2
        )


def test_fit_pooled_segment_still_small(german):
    X, y = german
    groups = _groups(X) | {"retraining": "tiny", "others": "tiny"}
    with pytest.raises(InputError, match=r"pooled segment 'other' \(21 rows\)"):
        SegmentedScorecard(
            "purpose",
            segment_map=groups,
            min_segment_size=50,
            small_segments="other",
        ).fit(X, y)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"segment": 3}, "'segment' parameter of SegmentedScorecard must be the name"),
        ({"segment": "nope"}, "segment column 'nope' is not in X"),
        ({"segment_map": ["a"]}, "'segment_map' parameter .* must be a dict"),
        (
            {"segment_map": {"car (new)": 1}},
            r"the value\(s\) \['car \(new\)'\] are not",
        ),
        (
            {"segment_map": {"car (new)": "car"}},
            r"value\(s\) \['business', .* missing "
            "from segment_map",
        ),
        ({"base": "logistic"}, "'base' parameter of SegmentedScorecard must be"),
        ({"min_segment_size": 0}, "'min_segment_size' parameter .* integer >= 1"),
        ({"small_segments": "drop"}, "'small_segments' parameter .* 'error', 'other'"),
        ({"unseen_segment": "x"}, "'unseen_segment' parameter"),
        ({"other_segment": ""}, "'other_segment' parameter"),
        ({"pdo": -1}, "'pdo' parameter of SegmentedScorecard must be a number > 0"),
        ({"cutoff": "low"}, "'cutoff' parameter"),
    ],
)
def test_bad_params(german, kwargs, match):
    X, y = german
    params = {"segment": "purpose", "segment_map": _groups(X)} | kwargs
    with pytest.raises(InputError, match=match):
        SegmentedScorecard(**params).fit(X, y)


def test_fit_bad_data(german):
    X, y = german
    X2 = X.copy()
    X2.loc[X2.index[[4, 8]], "purpose"] = np.nan
    with pytest.raises(
        InputError,
        match=r"'purpose' has 2 missing value\(s\) \(index "
        r"labels 4, 8\).*fill them",
    ):
        SegmentedScorecard("purpose", segment_map=_groups(X)).fit(X2, y)
    with pytest.raises(InputError, match="y has 999 values but X has 1000 rows"):
        SegmentedScorecard("purpose", segment_map=_groups(X)).fit(X, y[:-1])
    X3 = X.assign(when=pd.Timestamp("2024-01-01"))
    with pytest.raises(InputError, match="values of type Timestamp"):
        SegmentedScorecard("when").fit(X3, y)
    code = [1 if p == "car (new)" else "1" for p in X["purpose"]]
    X4 = X.assign(code=pd.Series(code, index=X.index, dtype=object))
    with pytest.raises(InputError, match=r"read the same as text \(\['1'\]\)"):
        SegmentedScorecard("code").fit(X4, y)


def test_segment_fit_failure_names_segment(german):
    X, y = german
    with pytest.raises(
        InputError,
        match="Segment 'car' of SegmentedScorecard: No feature passed the selection",
    ):
        SegmentedScorecard(
            "purpose", segment_map=_groups(X), base=ApplicationScorecard(min_iv=50)
        ).fit(X, y)


def test_integer_segment_column_and_weights(german, tmp_path):
    X, y = german
    X2 = X.assign(band=np.where(X["duration_in_month"] > 18, 2, 1))
    w = np.where(y.to_numpy() == 1, 2.0, 1.0)
    seg = SegmentedScorecard("band", base=BASE).fit(X2, y, sample_weight=w)
    assert list(seg.segments_) == ["1", "2"]
    long = (X2["band"] == 2).to_numpy()
    own = ApplicationScorecard(wrong_sign="drop").fit(X2[long], y[long], w[long])
    np.testing.assert_array_equal(seg.score(X2[long]), own.score(X2[long]))
    con = duckdb.connect()
    con.register("apps", X2)
    got = con.execute(seg.to_sql("apps")).df()
    np.testing.assert_array_equal(got["score"].to_numpy(), seg.score(X2).to_numpy())
    assert seg.score_record({**X2.iloc[0].to_dict(), "band": np.int64(2)}) == (
        own.score_record(X2.iloc[0].to_dict())
    )
    back = loanrisk.load(loanrisk.save(seg, tmp_path / "band.json"))
    assert back.segment_values_ == {"1": [1], "2": [2]}
    np.testing.assert_array_equal(back.score(X2), seg.score(X2))
