"""SQL export of a points scorecard: one SELECT with a CASE per feature."""

from __future__ import annotations

from typing import Any

from loanrisk._checks import check_option
from loanrisk.errors import InputError
from loanrisk.scorecard._engine import PointsEngine

__all__: list[str] = []

DIALECTS = ("duckdb", "postgres", "spark", "ansi")
_DOUBLE = {
    "duckdb": "DOUBLE",
    "postgres": "DOUBLE PRECISION",
    "spark": "DOUBLE",
    "ansi": "DOUBLE PRECISION",
}


def _ident(name: str, dialect: str) -> str:
    if dialect == "spark":
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


def _literal(value: Any, dialect: str) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"CAST({value!r} AS {_DOUBLE[dialect]})"
    if isinstance(value, str):
        text = value.replace("'", "''")
        if dialect == "spark":
            text = text.replace("\\", "\\\\")
        return f"'{text}'"
    raise InputError(f"Cannot write the value {value!r} as an SQL literal.")


def feature_case(engine: PointsEngine, feature: str, dialect: str) -> str:
    """CASE expression giving the points of ``feature``."""
    b = engine.bins[feature]
    pts = engine.points[feature]
    col = _ident(feature, dialect)
    lines = [f"CASE WHEN {col} IS NULL THEN {int(pts[b.missing_index])}"]
    if b.kind == "numerical":
        # NaN stored in a DOUBLE column counts as missing, as in Python.
        if dialect in ("duckdb", "postgres"):
            lines.append(
                f"  WHEN {col} <> {col} OR {col} = CAST('NaN' AS {_DOUBLE[dialect]}) "
                f"THEN {int(pts[b.missing_index])}"
            )
        elif dialect == "spark":
            lines.append(f"  WHEN isnan({col}) THEN {int(pts[b.missing_index])}")
        if b.special_codes:
            codes = ", ".join(_literal(float(c), dialect) for c in b.special_codes)
            lines.append(f"  WHEN {col} IN ({codes}) THEN {int(pts[b.special_index])}")
        for i, s in enumerate(b.splits):
            lines.append(
                f"  WHEN {col} < {_literal(float(s), dialect)} THEN {int(pts[i])}"
            )
        lines.append(f"  ELSE {int(pts[b.n_regular - 1])} END")
    else:
        if b.special_codes:
            codes = ", ".join(_literal(c, dialect) for c in b.special_codes)
            lines.append(f"  WHEN {col} IN ({codes}) THEN {int(pts[b.special_index])}")
        for i, g in enumerate(b.groups):
            values = ", ".join(_literal(v, dialect) for v in g)
            lines.append(f"  WHEN {col} IN ({values}) THEN {int(pts[i])}")
        if engine.unseen == "riskiest":
            lines.append(f"  ELSE {int(pts[b.riskiest_bin()])} END")
        else:
            lines.append("  ELSE NULL END")
    return "\n".join(lines)


def scorecard_sql(engine: PointsEngine, table: str, dialect: str) -> str:
    """SELECT *, points per feature and the total score FROM table.

    A category not seen in training gives NULL points and a NULL score when the
    model's ``unseen`` is "error" (SQL cannot raise portably); with "riskiest" it
    gets the riskiest bin's points, as in Python.
    """
    check_option(dialect, "dialect", "to_sql", DIALECTS)
    if not isinstance(table, str) or not table.strip():
        raise InputError(
            "to_sql needs the table name (or a sub-query in parentheses) as text; "
            f"got {table!r}."
        )
    columns = []
    names = []
    for f in engine.features:
        alias = _ident(f"points_{f}", dialect)
        names.append(alias)
        body = feature_case(engine, f, dialect).replace("\n", "\n    ")
        columns.append(f"    {body} AS {alias}")
    inner = ",\n".join(columns)
    total = " + ".join(names) if names else "0"
    return (
        f"SELECT scored.*, {total} AS score\n"
        f"FROM (\n  SELECT src.*,\n{inner}\n  FROM {table} AS src\n) AS scored"
    )
