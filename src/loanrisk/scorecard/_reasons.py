"""Reason codes (adverse-action reasons) from points: points lost against best bin."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loanrisk.scorecard._engine import PointsEngine

__all__: list[str] = []


def reason_codes(engine: PointsEngine, X: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` features costing most points per row (see ``reasons``)."""
    features = engine.features
    n_rows, k = X.shape[0], len(features)
    idx = np.empty((n_rows, k), dtype=np.int64)
    lost = np.empty((n_rows, k), dtype=np.int64)
    best = engine.best_points()
    for j, f in enumerate(features):
        idx[:, j] = engine.bins[f].assign(X[f], unseen=engine.unseen)
        lost[:, j] = np.maximum(best[f] - engine.points[f][idx[:, j]], 0)
    order = np.argsort(-lost, axis=1, kind="stable")[:, :n]
    rows = np.arange(n_rows)[:, None]
    top_lost = lost[rows, order]
    top_bin = idx[rows, order]
    names = np.asarray(features, dtype=object)
    labels = {f: np.asarray(engine.bins[f].labels(), dtype=object) for f in features}
    out: dict[str, object] = {}
    for r in range(min(n, k)):
        feat = names[order[:, r]]
        has = top_lost[:, r] > 0
        bins = np.empty(n_rows, dtype=object)
        for j, f in enumerate(features):
            sel = order[:, r] == j
            if sel.any():
                bins[sel] = labels[f][top_bin[sel, r]]
        none = np.full(n_rows, None, dtype=object)
        out[f"reason_{r + 1}"] = np.where(has, feat, none)
        out[f"reason_{r + 1}_bin"] = np.where(has, bins, none)
        out[f"reason_{r + 1}_points_lost"] = np.where(has, top_lost[:, r], 0)
    for r in range(k, n):
        out[f"reason_{r + 1}"] = np.full(n_rows, None, dtype=object)
        out[f"reason_{r + 1}_bin"] = np.full(n_rows, None, dtype=object)
        out[f"reason_{r + 1}_points_lost"] = np.zeros(n_rows, dtype=np.int64)
    frame = pd.DataFrame(out, index=X.index)
    for r in range(n):
        col = f"reason_{r + 1}_points_lost"
        frame[col] = frame[col].astype(np.int64)
    return frame
