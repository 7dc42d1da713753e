"""Per-account-group use of behavioural_features without Spark: check_as_of and
spark_schema (the Spark run itself is in test_behaviour_spark.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from loanrisk.behaviour import behavioural_features, spark_schema
from loanrisk.datasets import make_loan_book
from loanrisk.errors import InputError

AS_OF = ["2022-06", "2022-12", "2023-05"]
SPARK_TYPES = {"int64": "long", "float64": "double", "category": "string"}


@pytest.fixture(scope="module")
def rep() -> pd.DataFrame:
    return make_loan_book(n_accounts=250, n_months=18, random_state=3).repayments


def _schema_of(frame: pd.DataFrame, account_id: str) -> str:
    """The DDL implied by the dtypes of behavioural_features(...).reset_index()."""
    parts = [f"account_id {account_id}", "as_of timestamp"]
    parts += [f"{c} {SPARK_TYPES[str(t)]}" for c, t in frame.dtypes.items()]
    return ", ".join(parts)


@pytest.mark.parametrize("windows", [(3, 6, 12), (12, 1)])
def test_spark_schema_matches_output_dtypes(rep: pd.DataFrame, windows) -> None:
    X = behavioural_features(rep, "2022-12", windows=windows)
    assert spark_schema(windows) == _schema_of(X, "long")
    assert X.reset_index().columns.tolist() == [
        part.split(" ")[0] for part in spark_schema(windows).split(", ")
    ]


def test_spark_schema_with_utilisation() -> None:
    months = pd.date_range("2023-01-01", periods=3, freq="MS")
    panel = pd.DataFrame(
        {
            "account_id": ["a"] * 3,
            "month": months,
            "amount_due": [50.0, 50.0, 50.0],
            "amount_paid": [50.0, 50.0, 0.0],
            "balance": [400.0, 500.0, 600.0],
            "days_past_due": [0, 0, 31],
            "credit_limit": [1000.0] * 3,
        }
    )
    X = behavioural_features(panel, "2023-03", windows=(2,))
    schema = spark_schema((2,), utilisation=True, account_id="string")
    assert schema == _schema_of(X, "string")
    assert "utilisation_change_2m double" in schema


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"windows": ()}, "The 'windows' parameter of spark_schema is empty"),
        ({"windows": (3, 3)}, "spark_schema repeats a window"),
        ({"account_id": ""}, "'account_id' parameter of spark_schema must be the"),
        ({"account_id": 7}, r"Spark type .* e.g. 'long' or 'string'; got 7"),
        ({"utilisation": "yes"}, "'utilisation' parameter of spark_schema must be"),
    ],
)
def test_spark_schema_bad_input(kwargs, match) -> None:
    with pytest.raises(InputError, match=match):
        spark_schema(**kwargs)


def test_groups_without_check_as_of_equal_whole_panel(rep: pd.DataFrame) -> None:
    """What applyInPandas does, in plain pandas: one call per account group."""
    expected = behavioural_features(rep, AS_OF, windows=(3, 6))
    parts = [
        behavioural_features(group, AS_OF, windows=(3, 6), check_as_of=False)
        for _, group in rep.groupby("account_id", sort=False)
    ]
    empty = [p for p in parts if p.empty]
    assert empty, "some accounts are on book at none of the dates"
    assert all(p.columns.equals(expected.columns) for p in empty)
    got = pd.concat(parts).sort_index()
    pd.testing.assert_frame_equal(
        got, expected, check_exact=False, rtol=1e-10, atol=1e-10
    )


def test_check_as_of_only_skips_the_range_check(rep: pd.DataFrame) -> None:
    last = rep.groupby("account_id")["month"].max()
    early = last[last < pd.Timestamp("2022-12-01")].index[0]
    one = rep[rep["account_id"] == early]
    with pytest.raises(InputError, match=r"'as_of' \['2022-12'\] lies outside"):
        behavioural_features(one, "2022-12")
    X = behavioural_features(one, ["2022-12", "2030-01"], check_as_of=False)
    assert X.empty and X.index.names == ["account_id", "as_of"]
    # everything else is still checked
    with pytest.raises(InputError, match="'as_of' repeats a month"):
        behavioural_features(one, ["2030-01", "2030-01"], check_as_of=False)
    with pytest.raises(InputError, match="'check_as_of' parameter of behavioural_"):
        behavioural_features(one, "2022-12", check_as_of="no")
