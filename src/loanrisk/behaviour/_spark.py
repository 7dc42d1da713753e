"""The Spark output schema of :func:`behavioural_features`, for ``applyInPandas``.

Spark's ``groupBy("account_id").applyInPandas(func, schema)`` runs ``func`` on the
rows of each account group and needs the schema of what ``func`` returns. The
features of one account depend on that account's rows only, so
:func:`behavioural_features` (with ``check_as_of=False``) runs unchanged per group;
this module only spells its columns in Spark's DDL. pyspark is not imported here.
"""

from __future__ import annotations

from collections.abc import Sequence

from loanrisk.behaviour._features import _check_windows, feature_names
from loanrisk.errors import InputError

__all__ = ["spark_schema"]

_STRING = ("delinquency_bucket", "bucket_max_")
_LONG = ("months_on_book", "dpd_current", "ontime_streak", "dpd_max_", "n_")


def _spark_type(name: str) -> str:
    if name.startswith(_STRING):
        return "string"
    if name.startswith(_LONG):
        return "long"
    return "double"


def spark_schema(
    windows: Sequence[int] = (3, 6, 12),
    *,
    utilisation: bool = False,
    account_id: str = "long",
) -> str:
    """Spark DDL schema of ``behavioural_features(...).reset_index()``.

    .. versionadded:: 0.1.0

    Pass it as the `schema` of ``groupBy("account_id").applyInPandas(...)`` when
    computing :func:`behavioural_features` per account group on Spark (see the
    user guide, "Running on Spark").

    Parameters
    ----------
    windows : sequence of int, default (3, 6, 12)
        The `windows` passed to :func:`behavioural_features`.
    utilisation : bool, default False
        True if the panel has a ``credit_limit`` column (the utilisation features
        are then computed).
    account_id : str, default "long"
        Spark type of the ``account_id`` column, e.g. ``"int"``, ``"long"`` or
        ``"string"``.

    Returns
    -------
    str
        ``"account_id <type>, as_of timestamp, months_on_book long, ..."``: the
        columns in the order of ``behavioural_features(...).reset_index()``.
        Counts and days past due are ``long``, the buckets ``string`` (convert
        them back with ``pd.Categorical`` if needed), ratios and changes
        ``double``; ``as_of`` is a ``timestamp`` (use the same session time zone
        for input and output, e.g. ``spark.sql.session.timeZone=UTC``).

    Raises
    ------
    InputError
        If `windows` is invalid or `account_id` is not a non-empty string.

    Examples
    --------
    >>> from loanrisk.behaviour import spark_schema
    >>> spark_schema(windows=(3,))
    'account_id long, as_of timestamp, months_on_book long, dpd_current long, delinquency_bucket string, months_since_delinquency double, ontime_streak long, dpd_max_3m long, bucket_max_3m string, n_30plus_3m long, n_60plus_3m long, n_90plus_3m long, n_cures_3m long, payment_ratio_mean_3m double, payment_ratio_min_3m double, payment_ratio_trend_3m double, balance_change_3m double'
    """  # noqa: E501
    owner = "spark_schema"
    wins = _check_windows(windows, owner)
    if not isinstance(utilisation, bool):
        raise InputError(
            f"The 'utilisation' parameter of {owner} must be True or False; got "
            f"{utilisation!r}."
        )
    if not isinstance(account_id, str) or not account_id.strip():
        raise InputError(
            f"The 'account_id' parameter of {owner} must be the Spark type of the "
            f"account_id column as a string, e.g. 'long' or 'string'; got "
            f"{account_id!r}."
        )
    columns = [f"account_id {account_id.strip()}", "as_of timestamp"]
    columns += [
        f"{name} {_spark_type(name)}"
        for name in feature_names(wins, utilisation=utilisation)
    ]
    return ", ".join(columns)
