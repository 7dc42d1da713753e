"""behavioural_features per account group on Spark: groupBy().applyInPandas().

Needs the ``spark`` extra (pyspark, pyarrow) and Java. Without the extra the module
is skipped; without Java it is skipped on a developer's machine but fails in CI
(``CI`` set), so CI can never pass by skipping it.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from loanrisk.behaviour import behavioural_features, spark_schema
from loanrisk.datasets import make_loan_book

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")

# pyspark 4.x warns that pandas 3 is not yet fully supported (the test checks the
# result value by value instead), and its toPandas() passes the `copy` keyword that
# pandas 3 deprecates. Both are pyspark's, not loanrisk's.
pytestmark = [
    pytest.mark.filterwarnings(
        "ignore:PySpark does not yet fully support pandas >= 3.0.0:FutureWarning"
    ),
    pytest.mark.filterwarnings(
        "ignore:The copy keyword is deprecated and will be removed in a future "
        "version:DeprecationWarning"
    ),
]

WINDOWS = (3, 6)
AS_OF = ["2022-06", "2022-12", "2023-05"]


def _java_available() -> bool:
    home = os.environ.get("JAVA_HOME")
    return shutil.which("java") is not None or bool(
        home and os.path.exists(os.path.join(home, "bin", "java"))
    )


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    if not _java_available():
        message = "Spark needs Java (a JDK/JRE 17 or later on PATH or JAVA_HOME)."
        if os.environ.get("CI"):
            pytest.fail(message + " CI must install it (see .ci/run).")
        pytest.skip(message)
    from pyspark.sql import SparkSession

    with pytest.MonkeyPatch.context() as mp:
        # Python workers must run this interpreter (with loanrisk installed), and
        # need not repeat pyspark's pandas-3 notice on stderr.
        mp.setenv("PYSPARK_PYTHON", sys.executable)
        mp.setenv("PYSPARK_DRIVER_PYTHON", sys.executable)
        mp.setenv("SPARK_LOCAL_IP", "127.0.0.1")
        session = (
            SparkSession.builder.master("local[1]")
            .appName("loanrisk-test")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "1")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config(
                "spark.executorEnv.PYTHONWARNINGS",
                "ignore:PySpark does not yet fully support pandas:FutureWarning",
            )
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        try:
            yield session
        finally:
            session.stop()


def _as_whole(result: pd.DataFrame, expected: pd.DataFrame) -> pd.DataFrame:
    """Spark's pandas result in the layout of behavioural_features' output."""
    out = result.astype({"account_id": expected.index.get_level_values(0).dtype})
    out["as_of"] = out["as_of"].astype(expected.index.get_level_values(1).dtype)
    for col, dtype in expected.dtypes.items():
        if isinstance(dtype, pd.CategoricalDtype):
            out[col] = pd.Categorical(out[col], dtype=dtype)
    return out.set_index(["account_id", "as_of"]).sort_index()


def test_apply_in_pandas_equals_whole_panel(spark: Any) -> None:
    book = make_loan_book(n_accounts=400, n_months=18, random_state=3)
    rep = book.repayments
    expected = behavioural_features(rep, AS_OF, windows=WINDOWS)
    # the groups really are partial: some accounts end before or start after an
    # as_of (so check_as_of=False is needed), and every as_of has features
    by_acc = rep.groupby("account_id")["month"].agg(["min", "max"])
    assert (by_acc["max"] < pd.Timestamp(AS_OF[-1])).any()
    assert (by_acc["min"] > pd.Timestamp(AS_OF[0])).any()
    assert expected.index.get_level_values("as_of").nunique() == len(AS_OF)

    def features_of_group(group: pd.DataFrame) -> pd.DataFrame:
        X = behavioural_features(group, AS_OF, windows=WINDOWS, check_as_of=False)
        return X.reset_index()

    schema = spark_schema(WINDOWS, account_id="int")
    result = (
        spark.createDataFrame(rep)
        .groupBy("account_id")
        .applyInPandas(features_of_group, schema=schema)
        .toPandas()
    )
    assert result.columns.tolist() == expected.reset_index().columns.tolist()
    got = _as_whole(result, expected)
    # same rows (accounts and dates) and the same values; sums over a group's rows
    # may differ from sums over the whole panel in the last bits
    pd.testing.assert_frame_equal(
        got, expected, check_exact=False, rtol=1e-10, atol=1e-10
    )
