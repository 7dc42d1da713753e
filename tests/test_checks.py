import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loanrisk._checks import (
    check_columns,
    check_fitted,
    check_frame,
    check_mixed_types,
    check_number,
    check_option,
    check_sample_weight,
    check_target,
    format_labels,
)
from loanrisk.errors import InputError, NotFittedError


def test_frame_passes_dataframe_unchanged():
    df = pd.DataFrame({"a": [1.0, 2.0]}, index=[10, 20])
    assert check_frame(df) is df


def test_frame_rejects_series_and_scalars():
    with pytest.raises(InputError, match="got a Series"):
        check_frame(pd.Series([1, 2]))
    with pytest.raises(InputError, match="got int"):
        check_frame(3)
    with pytest.raises(InputError, match="1 dimension"):
        check_frame(np.arange(3))


def test_frame_array_gets_names():
    df = check_frame(np.zeros((2, 3)))
    assert list(df.columns) == ["x0", "x1", "x2"]


def test_frame_empty():
    with pytest.raises(InputError, match="empty X .0 rows x 1 columns"):
        check_frame(pd.DataFrame({"a": []}))


def test_frame_inf_names_column_and_labels():
    df = pd.DataFrame({"income": [1.0, np.inf, 3.0, -np.inf]}, index=[5, 17, 9, 45])
    with pytest.raises(InputError, match=r"'income'.*2 infinite.*17, 45"):
        check_frame(df)


def test_frame_duplicate_columns():
    df = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(InputError, match="duplicated column names"):
        check_frame(df)


def test_missing_columns():
    with pytest.raises(InputError, match=r"missing the required column\(s\) \['b'\]"):
        check_columns(pd.DataFrame({"a": [1]}), ["a", "b"])


def test_mixed_types():
    df = pd.DataFrame({"m": pd.Series([1, "x", 2.0], dtype=object)})
    with pytest.raises(InputError, match="'m' mixes numbers and text"):
        check_mixed_types(df, ["m"])


def test_target_values():
    assert check_target([0, 1, 1]).tolist() == [0, 1, 1]
    assert check_target(pd.Series([True, False])).tolist() == [1, 0]
    with pytest.raises(InputError, match=r"only 0 \(good\) and 1 \(bad\).*2"):
        check_target([0, 1, 2])
    with pytest.raises(InputError, match="holds only one class, bad"):
        check_target([1, 1])
    with pytest.raises(InputError, match="3 values but X has 2 rows"):
        check_target([0, 1, 0], 2)
    with pytest.raises(InputError, match="1 missing value"):
        check_target(pd.Series([0, np.nan, 1]))
    with pytest.raises(InputError, match="Map the outcome to 0/1"):
        check_target(pd.Series(["good", "bad"], dtype="string"))


def test_sample_weight():
    assert check_sample_weight(None, 2).tolist() == [1.0, 1.0]
    with pytest.raises(InputError, match="negative, missing or infinite"):
        check_sample_weight([1.0, -1.0], 2)
    with pytest.raises(InputError, match="sums to 0"):
        check_sample_weight([0.0, 0.0], 2)
    with pytest.raises(InputError, match=r"shape \(3,\) but X has 2 rows"):
        check_sample_weight([1, 1, 1], 2)


def test_check_fitted():
    class Est:
        pass

    with pytest.raises(NotFittedError, match="This Est is not fitted yet"):
        check_fitted(Est())


def test_number_and_option():
    with pytest.raises(InputError, match="'pdo' parameter of X must be a number > 0"):
        check_number(-20, "pdo", "X", low=0, low_inclusive=False)
    with pytest.raises(InputError, match="must be an integer"):
        check_number(2.5, "n", "X", integer=True)
    with pytest.raises(InputError, match="must be one of 'a', 'b'. Got 'c'"):
        check_option("c", "kind", "X", ("a", "b"))
    check_number(None, "c", "X", allow_none=True)


@given(st.lists(st.integers(), min_size=0, max_size=10))
def test_format_labels_shows_at_most_three(labels):
    text = format_labels(labels, len(labels))
    shown = [t for t in text.split(", ") if t and t != "..."]
    assert len(shown) == min(3, len(labels))
    assert text.endswith("...") == (len(labels) > 3)
