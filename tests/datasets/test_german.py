import pandas as pd

from loanrisk.datasets import load_german_credit
from loanrisk.datasets._german import CATEGORICAL


def test_shape_and_target():
    df = load_german_credit()
    assert df.shape == (1000, 21)
    assert df["bad"].dtype == "int64"
    assert int(df["bad"].sum()) == 300
    assert set(df["bad"].unique()) == {0, 1}


def test_dtypes():
    X, y = load_german_credit(return_X_y=True)
    assert X.shape == (1000, 20)
    assert len(y) == 1000 and y.name == "bad"
    for col in X.columns:
        if col in CATEGORICAL:
            assert isinstance(X[col].dtype, pd.CategoricalDtype), col
        else:
            assert pd.api.types.is_integer_dtype(X[col].dtype), col
    assert len(CATEGORICAL) == 13


def test_fresh_copy_each_call():
    a = load_german_credit()
    a.iloc[0, 1] = -1
    assert load_german_credit().iloc[0, 1] != -1


def test_attribution_file_ships():
    from importlib import resources

    text = (
        resources.files("loanrisk.datasets") / "data" / "LICENSE-german_credit.txt"
    ).read_text()
    assert "CC BY 4.0" in text and "Hofmann" in text
