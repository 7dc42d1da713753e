"""Feature selection for WoE scorecards, with the reason each feature was dropped."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loanrisk.scorecard._logit import newton_logit, vif

__all__: list[str] = []


@dataclass
class Selection:
    """Selected features (in column order) and a record for every candidate."""

    selected: list[str]
    reasons: dict[str, str] = field(default_factory=dict)
    steps: dict[str, str] = field(default_factory=dict)

    def frame(self, iv: pd.Series) -> pd.DataFrame:
        features = list(iv.index)
        return pd.DataFrame(
            {
                "iv": iv.to_numpy(dtype=float),
                "selected": [f in self.selected for f in features],
                "step": [self.steps.get(f, "") for f in features],
                "reason": [self.reasons.get(f, "") for f in features],
            },
            index=pd.Index(features, name="feature"),
        )


def select_features(
    woe: pd.DataFrame,
    iv: pd.Series,
    all_missing: dict[str, bool],
    populated_bins: dict[str, int],
    y: np.ndarray,
    w: np.ndarray,
    *,
    min_iv: float,
    max_corr: float | None,
    max_vif: float | None,
    stepwise: str | None,
    criterion: str,
    p_enter: float,
    p_remove: float,
    forced: list[str],
) -> Selection:
    """Apply the filters in order; each drop records its step and reason.

    Order: no information (one populated bin) -> IV below ``min_iv`` -> pairwise
    correlation above ``max_corr`` (the lower-IV feature of the pair goes) -> VIF above
    ``max_vif`` (the highest VIF goes, repeatedly) -> stepwise selection. Features in
    ``forced`` pass every filter.
    """
    sel = Selection(selected=[])
    candidates: list[str] = []
    for f in woe.columns:
        if f in forced:
            candidates.append(f)
        elif populated_bins[f] <= 1:
            sel.steps[f] = "information"
            sel.reasons[f] = (
                "all values missing"
                if all_missing[f]
                else "a single bin: constant or no relation to the target"
            )
        elif iv[f] < min_iv:
            sel.steps[f] = "iv"
            sel.reasons[f] = f"IV {iv[f]:.4f} below min_iv={min_iv}"
        else:
            candidates.append(f)

    if max_corr is not None and len(candidates) > 1:
        order = sorted(candidates, key=lambda f: (-iv[f], candidates.index(f)))
        corr_frame = woe[candidates].corr().abs()
        corr = {
            (a, b): float(corr_frame.to_numpy()[i, j])
            for i, a in enumerate(candidates)
            for j, b in enumerate(candidates)
        }
        kept: list[str] = []
        for f in order:
            clash = [
                k for k in kept if np.isfinite(corr[f, k]) and corr[f, k] > max_corr
            ]
            if clash and f not in forced:
                sel.steps[f] = "correlation"
                sel.reasons[f] = (
                    f"|correlation| {corr[f, clash[0]]:.3f} with {clash[0]!r} "
                    f"(IV {iv[clash[0]]:.4f}) above max_corr={max_corr}"
                )
            else:
                kept.append(f)
        candidates = [f for f in candidates if f in kept]

    if max_vif is not None:
        while len(candidates) > 1:
            values = vif(woe[candidates].to_numpy(dtype=float))
            free = [i for i, f in enumerate(candidates) if f not in forced]
            if not free:
                break
            worst = max(free, key=lambda i: (values[i], -i))
            if values[worst] <= max_vif:
                break
            f = candidates[worst]
            sel.steps[f] = "vif"
            sel.reasons[f] = f"VIF {values[worst]:.2f} above max_vif={max_vif}"
            candidates.pop(worst)

    if stepwise is not None and candidates:
        candidates = _stepwise(
            woe, candidates, y, w, sel, stepwise, criterion, p_enter, p_remove, forced
        )
    sel.selected = [f for f in woe.columns if f in candidates]
    return sel


def _stepwise(
    woe: pd.DataFrame,
    candidates: list[str],
    y: np.ndarray,
    w: np.ndarray,
    sel: Selection,
    direction: str,
    criterion: str,
    p_enter: float,
    p_remove: float,
    forced: list[str],
) -> list[str]:
    data = {f: woe[f].to_numpy(dtype=float) for f in candidates}

    def fit(features: list[str]) -> tuple[float, np.ndarray]:
        if features:
            X = np.column_stack([data[f] for f in features])
        else:
            X = np.empty((len(y), 0))
        res = newton_logit(X, y, w)
        return res.aic, res.pvalues[1:]

    if direction == "backward":
        current = list(candidates)
    else:
        current = [f for f in candidates if f in forced]
    aic, pv = fit(current)
    for _ in range(2 * len(candidates) + 2):
        changed = False
        if direction in ("forward", "both"):
            best: tuple[float, str] | None = None
            for f in candidates:
                if f in current:
                    continue
                a, p = fit([*current, f])
                key = a if criterion == "aic" else p[-1]
                ok = a < aic if criterion == "aic" else p[-1] < p_enter
                if ok and (best is None or key < best[0]):
                    best = (key, f)
            if best is not None:
                current.append(best[1])
                aic, pv = fit(current)
                changed = True
        if direction in ("backward", "both") and current:
            removable = [i for i, f in enumerate(current) if f not in forced]
            if criterion == "aic":
                trial = [(fit(current[:i] + current[i + 1 :])[0], i) for i in removable]
                drop = min(trial) if trial else None
                if drop is not None and drop[0] < aic:
                    f = current.pop(drop[1])
                    sel.steps[f] = "stepwise"
                    sel.reasons[f] = f"removing it lowered AIC to {drop[0]:.2f}"
                    aic, pv = fit(current)
                    changed = True
            else:
                worst = max(removable, key=lambda i: pv[i], default=None)
                if worst is not None and pv[worst] > p_remove:
                    f = current.pop(worst)
                    sel.steps[f] = "stepwise"
                    sel.reasons[f] = (
                        f"p-value {pv[worst]:.4f} above p_remove={p_remove}"
                    )
                    aic, pv = fit(current)
                    changed = True
        if not changed:
            break
    for f in candidates:
        if f not in current and f not in sel.reasons:
            sel.steps[f] = "stepwise"
            sel.reasons[f] = (
                "did not lower AIC when added"
                if criterion == "aic"
                else f"p-value never below p_enter={p_enter}"
            )
    return current
