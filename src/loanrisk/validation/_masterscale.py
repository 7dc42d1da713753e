"""Master scale: rating grades as PD ranges (private)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from loanrisk.errors import InputError
from loanrisk.metrics._inputs import check_pd

__all__ = ["MasterScale"]


@dataclass(frozen=True)
class MasterScale:
    """Rating grades defined by PD ranges, best (lowest PD) to worst.

    .. versionadded:: 0.1.0

    Grade k holds the PDs in (upper_bounds[k-1], upper_bounds[k]] (the first grade
    starts at 0 inclusive); the last bound is 1.

    Parameters
    ----------
    upper_bounds : sequence of float
        Strictly increasing PD upper bounds in (0, 1]; the last must be 1.
    labels : sequence of str, optional
        Grade names; default "G1", "G2", ... (G1 = lowest PD).

    Examples
    --------
    >>> from loanrisk.validation import MasterScale
    >>> scale = MasterScale([0.01, 0.05, 1.0])
    >>> scale.grade([0.005, 0.01, 0.2]).tolist()
    ['G1', 'G1', 'G3']
    """

    upper_bounds: tuple[float, ...]
    labels: tuple[str, ...] = ()

    def __init__(
        self, upper_bounds: Sequence[float], labels: Sequence[str] | None = None
    ) -> None:
        try:
            bounds = np.asarray(upper_bounds, dtype=float)
        except (TypeError, ValueError):
            bounds = np.empty((0, 0))
        if (
            bounds.ndim != 1
            or len(bounds) == 0
            or not np.all(np.isfinite(bounds))
            or np.any(np.diff(bounds) <= 0)
            or bounds[0] <= 0
            or bounds[-1] != 1.0
        ):
            raise InputError(
                "MasterScale: upper_bounds must be strictly increasing PDs in (0, 1] "
                f"ending with 1.0, e.g. [0.01, 0.05, 1.0]. Got {upper_bounds!r}."
            )
        names = (
            [f"G{i + 1}" for i in range(len(bounds))]
            if labels is None
            else [str(v) for v in labels]
        )
        if len(names) != len(bounds) or len(set(names)) != len(names):
            raise InputError(
                f"MasterScale: labels must be {len(bounds)} distinct names, one per "
                f"upper bound. Got {labels!r}."
            )
        object.__setattr__(self, "upper_bounds", tuple(float(b) for b in bounds))
        object.__setattr__(self, "labels", tuple(names))

    @classmethod
    def from_quantiles(cls, pd_: Any, n_grades: int = 7) -> MasterScale:
        """Grades of (about) equal population on a sample of PDs, e.g. development.

        Bounds are the quantiles of `pd_` at 1/n, 2/n, ...; equal quantiles (ties)
        merge, so there may be fewer grades.

        Examples
        --------
        >>> from loanrisk.validation import MasterScale
        >>> MasterScale.from_quantiles([0.01, 0.02, 0.03, 0.04], n_grades=2)
        MasterScale(upper_bounds=(0.025, 1.0), labels=('G1', 'G2'))
        """
        if (
            not isinstance(n_grades, int | np.integer)
            or isinstance(n_grades, bool)
            or n_grades < 2
        ):
            raise InputError(
                f"MasterScale.from_quantiles: n_grades must be an integer >= 2. Got "
                f"{n_grades!r}."
            )
        p = check_pd(pd_, name="pd", owner="MasterScale.from_quantiles")
        qs = np.linspace(0.0, 1.0, int(n_grades) + 1)[1:-1]
        inner = np.unique(np.quantile(p, qs))
        inner = inner[(inner > 0) & (inner < 1)]
        return cls([*(float(v) for v in inner), 1.0])

    @classmethod
    def from_log_range(cls, pd_: Any, n_grades: int = 7) -> MasterScale:
        """Grades with geometrically spaced PD bounds over a sample's PD range.

        The ``n_grades - 1`` inner bounds run geometrically from the 5th to the 95th
        percentile of `pd_` (each grade's PD range is a constant multiple of the
        previous one, as on agency-style master scales). Unlike equal-population
        grades, the development grade shares are uneven, so the HHI test against
        the development value is informative.

        Examples
        --------
        >>> from loanrisk.validation import MasterScale
        >>> scale = MasterScale.from_log_range([0.01] * 5 + [0.04] * 5, n_grades=3)
        >>> [round(b, 4) for b in scale.upper_bounds]
        [0.01, 0.04, 1.0]
        """
        if (
            not isinstance(n_grades, int | np.integer)
            or isinstance(n_grades, bool)
            or n_grades < 2
        ):
            raise InputError(
                f"MasterScale.from_log_range: n_grades must be an integer >= 2. Got "
                f"{n_grades!r}."
            )
        p = check_pd(pd_, name="pd", owner="MasterScale.from_log_range")
        lo, hi = np.quantile(p, [0.05, 0.95])
        lo = max(float(lo), 1e-6)
        hi = min(max(float(hi), lo * 1.0001), 0.999)
        inner = np.unique(np.geomspace(lo, hi, int(n_grades) - 1))
        return cls([*(float(v) for v in inner if v < 1), 1.0])

    def grade(self, pd_: Any) -> np.ndarray:
        """Grade label of each PD (an object array)."""
        p = check_pd(pd_, name="pd", owner="MasterScale.grade")
        codes = np.searchsorted(np.asarray(self.upper_bounds), p, side="left")
        return np.asarray(self.labels, dtype=object)[codes]

    def table(self) -> pd.DataFrame:
        """One row per grade: ``pd_lower`` (exclusive) and ``pd_upper`` (inclusive)."""
        lower = (0.0, *self.upper_bounds[:-1])
        return pd.DataFrame(
            {"pd_lower": lower, "pd_upper": self.upper_bounds},
            index=pd.Index(self.labels, name="grade"),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form: ``{"upper_bounds": [...], "labels": [...]}``."""
        return {"upper_bounds": list(self.upper_bounds), "labels": list(self.labels)}
