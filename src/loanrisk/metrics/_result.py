"""Small frozen result objects returned by the metrics (private).

Every result is a frozen dataclass with ``to_dict()`` (JSON-serialisable: numpy numbers
become Python numbers, tuples become lists, NaN and infinities become ``None``) and a
short repr with numbers rounded to 4 significant digits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any, ClassVar

import numpy as np
import pandas as pd

__all__: list[str] = []

_MAX_SHOWN = 6


def jsonable(value: Any) -> Any:
    """Convert a value to plain JSON types (lists, floats, ints, str, None)."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, tuple | list | np.ndarray):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def _short(value: Any) -> str:
    if isinstance(value, float | np.floating):
        return f"{float(value):.4g}"
    if isinstance(value, tuple):
        shown = ", ".join(_short(v) for v in value[:_MAX_SHOWN])
        more = ", ..." if len(value) > _MAX_SHOWN else ""
        comma = "," if len(value) == 1 else ""
        return f"({shown}{comma}{more})"
    return repr(value)


@dataclass(frozen=True, repr=False)
class Result:
    """Base class: ``to_dict()`` and a readable repr."""

    _repr_fields: ClassVar[tuple[str, ...] | None] = None

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-serialisable dict (NaN/inf become None)."""
        out: dict[str, Any] = {"result": type(self).__name__}
        for f in fields(self):
            out[f.name] = jsonable(getattr(self, f.name))
        return out

    def __repr__(self) -> str:
        names = self._repr_fields or tuple(f.name for f in fields(self))
        body = ", ".join(f"{n}={_short(getattr(self, n))}" for n in names)
        return f"{type(self).__name__}({body})"


def traffic_light(pvalue: float, thresholds: tuple[float, float]) -> str:
    """Green if p >= thresholds[0], red if p < thresholds[1], yellow in between."""
    yellow, red = thresholds
    if pvalue < red:
        return "red"
    if pvalue < yellow:
        return "yellow"
    return "green"


def to_frame(columns: dict[str, Any], index: Any = None) -> pd.DataFrame:
    """Build a small DataFrame from tuples stored on a result."""
    return pd.DataFrame({k: list(v) for k, v in columns.items()}, index=index)
