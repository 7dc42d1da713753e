"""The points engine: bins + integer points per bin -> scores, fast.

Shared by every points scorecard (application, segmented, behavioural) and by the SQL
export and the reason codes, so that all of them score identically.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from loanrisk._checks import check_frame
from loanrisk.binning._bins import FeatureBins
from loanrisk.errors import InputError, ModelFormatError

__all__: list[str] = []


@dataclass
class PointsEngine:
    """Bins and integer points of each feature of a points scorecard.

    ``points[f][i]`` are the points of bin ``i`` of feature ``f`` (Special and Missing
    last, as in :class:`~loanrisk.binning.FeatureBins`). A score is the sum of the
    points of the applicant's bins.
    """

    bins: dict[str, FeatureBins]
    points: dict[str, np.ndarray]
    unseen: str = "error"

    @property
    def features(self) -> list[str]:
        return list(self.bins)

    def check(self) -> None:
        for f, b in self.bins.items():
            p = self.points.get(f)
            if p is None or len(p) != b.n_bins:
                raise ModelFormatError(
                    f"The points of feature {f!r} do not match its {b.n_bins} bins."
                )

    def frame(
        self, X: Any, owner: object, n_features_in: int | None = None
    ) -> pd.DataFrame:
        """Validate X; a nameless array must have exactly the fitted column count."""
        if (
            n_features_in is not None
            and not isinstance(X, pd.DataFrame | Mapping)
            and np.ndim(X) == 2
            and np.shape(X)[1] != n_features_in
        ):
            raise InputError(
                f"X has {np.shape(X)[1]} features, but {type(owner).__name__} is "
                f"expecting {n_features_in} features as input. Pass a DataFrame with "
                "named columns, or an array with the columns used in fit."
            )
        return check_frame(X, owner=owner, columns=self.features)

    def bin_indices(self, X: pd.DataFrame) -> dict[str, np.ndarray]:
        return {f: b.assign(X[f], unseen=self.unseen) for f, b in self.bins.items()}

    def points_matrix(self, X: pd.DataFrame) -> np.ndarray:
        """Points per row (axis 0) and feature (axis 1), as int64."""
        out = np.empty((X.shape[0], len(self.bins)), dtype=np.int64)
        for j, (f, b) in enumerate(self.bins.items()):
            out[:, j] = np.take(self.points[f], b.codes(X[f], unseen=self.unseen))
        return out

    def total(self, X: pd.DataFrame) -> np.ndarray:
        """Score of each row: the sum of its points (int64).

        Summed in int32 (points are small integers; the bound is checked), which
        halves the memory traffic of the hot loop, then widened once.
        """
        points32 = {f: p.astype(np.int32) for f, p in self.points.items()}
        bound = sum(int(np.abs(p).max()) for p in self.points.values())
        if bound >= 2**31:
            raise InputError("The points of this scorecard are too large to sum.")
        total = np.zeros(X.shape[0], dtype=np.int32)
        for f, b in self.bins.items():
            codes = b.codes(X[f], unseen=self.unseen)
            np.add(total, np.take(points32[f], codes), out=total)
        return total.astype(np.int64)

    def total_one(self, record: Mapping[str, Any]) -> int:
        """Score of one record given as a mapping (no DataFrame is built)."""
        total = 0
        for f, b in self.bins.items():
            try:
                value = record[f]
            except KeyError:
                raise InputError(
                    f"The record is missing the field {f!r}. Pass every feature of "
                    f"the model: {self.features}."
                ) from None
            total += int(self.points[f][b.assign_one(value, unseen=self.unseen)])
        return total

    def best_points(self) -> dict[str, int]:
        """Highest points of each feature over the bins that had training rows."""
        out = {}
        for f, b in self.bins.items():
            populated = b.count > 0
            pts = self.points[f]
            out[f] = int(pts[populated].max()) if populated.any() else int(pts.max())
        return out

    # -- test vectors ---------------------------------------------------------
    def test_vectors(self, n_rows: int = 32) -> list[dict[str, Any]]:
        """Rows covering every bin (Special and Missing included) of every feature.

        Numerical values sit exactly on the lower edge of their bin, so right-open
        boundaries are exercised.
        """
        reps: dict[str, list[Any]] = {}
        for f, b in self.bins.items():
            values: list[Any] = []
            if b.kind == "numerical":
                lo = (
                    b.splits[0] - 1.0
                    if b.splits
                    else (b.train_min if math.isfinite(b.train_min) else 0.0)
                )
                values.append(lo)
                values.extend(b.splits)
            else:
                values.extend(g[0] for g in b.groups)
            if b.special_codes:
                values.append(b.special_codes[0])
            values.append(None)
            reps[f] = values
        n = max(n_rows, *(len(v) for v in reps.values())) if reps else n_rows
        rows = []
        for r in range(n):
            rows.append(
                {f: v[(r + j) % len(v)] for j, (f, v) in enumerate(reps.items())}
            )
        return rows

    def vectors_frame(self, rows: list[dict[str, Any]]) -> pd.DataFrame:
        """The test-vector rows as a DataFrame with the training dtypes' kinds."""
        data: dict[str, Any] = {}
        for f, b in self.bins.items():
            col = [r[f] for r in rows]
            if b.kind == "numerical":
                data[f] = pd.array(
                    [np.nan if v is None else float(v) for v in col], dtype="float64"
                )
            else:
                data[f] = pd.Series(col, dtype=object)
        return pd.DataFrame(data)

    # -- persistence ----------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        return {
            "bins": [b.to_state() for b in self.bins.values()],
            "points": {f: [int(v) for v in p] for f, p in self.points.items()},
            "unseen": self.unseen,
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> PointsEngine:
        bins = {s["name"]: FeatureBins.from_state(s) for s in state["bins"]}
        points = {f: np.asarray(p, dtype=np.int64) for f, p in state["points"].items()}
        if set(points) != set(bins):
            raise ModelFormatError(
                "The model file's points and bins name different features."
            )
        engine = cls(bins=bins, points=points, unseen=state["unseen"])
        engine.check()
        return engine
