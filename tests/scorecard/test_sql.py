import numpy as np
import pandas as pd
import pytest

from loanrisk.errors import InputError
from loanrisk.scorecard import ApplicationScorecard

duckdb = pytest.importorskip("duckdb")


def _data(german):
    X, y = german
    X = X.copy()
    X["duration_in_month"] = X["duration_in_month"].astype(float)
    X["age_in_years"] = X["age_in_years"].astype(float)
    X.loc[X.index[:30], "duration_in_month"] = np.nan
    X.loc[X.index[30:60], "age_in_years"] = -999.0
    X.loc[X.index[60:90], "age_in_years"] = np.nan
    for c in X.columns:
        if isinstance(X[c].dtype, pd.CategoricalDtype):
            X[c] = X[c].astype(object)
    X.loc[X.index[90:120], "purpose"] = None
    return X, y


@pytest.mark.parametrize("unseen", ["error", "riskiest"])
def test_duckdb_query_equals_python_scores(german, unseen):
    X, y = _data(german)
    card = ApplicationScorecard(
        special_codes={"age_in_years": [-999]}, unseen=unseen
    ).fit(X, y)
    con = duckdb.connect()
    con.register("apps", X.reset_index(names="row_id"))
    got = con.execute(
        f"SELECT row_id, score FROM ({card.to_sql('apps')}) ORDER BY row_id"
    ).fetchdf()
    expected = card.score(X).to_numpy()
    assert (got["score"].to_numpy() == expected).all()
    pts = con.execute(card.to_sql("apps")).fetchdf()
    for f in card.features_:
        assert (pts[f"points_{f}"].to_numpy() == card.points(X)[f].to_numpy()).all()


def test_test_vectors_score_identically_in_sql(german):
    X, y = _data(german)
    card = ApplicationScorecard(special_codes={"age_in_years": [-999]}).fit(X, y)
    frame = card.engine_.vectors_frame(card.test_vectors_["inputs"])
    con = duckdb.connect()
    con.register("vectors", frame)
    got = con.execute(card.to_sql("vectors")).fetchdf()["score"].to_numpy()
    assert got.tolist() == card.test_vectors_["expected_score"]


@pytest.mark.parametrize("dialect", ["duckdb", "postgres", "spark", "ansi"])
def test_dialects_render(german, dialect):
    X, y = german
    card = ApplicationScorecard().fit(X[["duration_in_month", "purpose"]], y)
    sql = card.to_sql("apps", dialect=dialect)
    quote = "`" if dialect == "spark" else '"'
    assert f"{quote}points_purpose{quote}" in sql and "AS score" in sql
    if dialect == "postgres":
        assert "DOUBLE PRECISION" in sql


def test_quotes_are_escaped(german):
    X, y = german
    X2 = X[["purpose"]].copy()
    X2["purpose"] = X2["purpose"].astype(object).replace("others", "o'thers")
    card = ApplicationScorecard(min_iv=0).fit(X2, y)
    sql = card.to_sql("apps")
    assert "'o''thers'" in sql
    con = duckdb.connect()
    con.register("apps", X2)
    got = con.execute(sql).fetchdf()["score"].to_numpy()
    assert (got == card.score(X2).to_numpy()).all()


def test_bad_dialect(german):
    X, y = german
    card = ApplicationScorecard().fit(X[["duration_in_month", "purpose"]], y)
    with pytest.raises(
        InputError, match="'dialect' parameter of to_sql must be one of"
    ):
        card.to_sql("apps", dialect="oracle")
    with pytest.raises(InputError, match="needs the table name"):
        card.to_sql("")
