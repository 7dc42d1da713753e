"""Points scaling: from log-odds to scorecard points (higher = safer)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from loanrisk._checks import check_number

__all__ = ["PointsScale"]


@dataclass(frozen=True)
class PointsScale:
    """The points scale of a scorecard: ``pdo`` points double the odds of good.

    Parameters
    ----------
    pdo : float, default 20
        Points that double the good:bad odds.
    base_score : float, default 600
        Score at which the good:bad odds equal ``base_odds``.
    base_odds : float, default 50
        Good:bad odds at ``base_score``.

    Notes
    -----
    ``score = offset + factor * ln(odds_good)`` with ``factor = pdo / ln 2`` and
    ``offset = base_score - factor * ln(base_odds)``, where ``odds_good = P(good) /
    P(bad)``. Every score in loanrisk runs in this direction: higher = safer.

    Examples
    --------
    >>> scale = PointsScale(pdo=20, base_score=600, base_odds=50)
    >>> float(scale.score_from_proba(1 / 51))
    600.0
    >>> float(scale.proba_from_score(620.0))  # odds doubled to 100:1
    0.0099...
    """

    pdo: float = 20.0
    base_score: float = 600.0
    base_odds: float = 50.0

    def __post_init__(self) -> None:
        check_number(self.pdo, "pdo", "PointsScale", low=0, low_inclusive=False)
        check_number(self.base_score, "base_score", "PointsScale")
        check_number(
            self.base_odds, "base_odds", "PointsScale", low=0, low_inclusive=False
        )

    @property
    def factor(self) -> float:
        """Points per unit of log-odds: ``pdo / ln 2``."""
        return self.pdo / math.log(2.0)

    @property
    def offset(self) -> float:
        """Score at even odds (odds_good = 1)."""
        return self.base_score - self.factor * math.log(self.base_odds)

    def score_from_log_odds_good(self, log_odds: np.ndarray | float) -> np.ndarray:
        """Points for the natural log of the good:bad odds."""
        return np.asarray(self.offset + self.factor * np.asarray(log_odds))

    def proba_from_score(self, score: np.ndarray | float) -> np.ndarray:
        """Probability of bad implied by a score."""
        log_odds_good = (np.asarray(score, dtype=float) - self.offset) / self.factor
        return np.asarray(1.0 / (1.0 + np.exp(log_odds_good)))

    def score_from_proba(self, p_bad: np.ndarray | float) -> np.ndarray:
        """Score implied by a probability of bad (0 < p < 1)."""
        p = np.asarray(p_bad, dtype=float)
        return self.score_from_log_odds_good(np.log((1.0 - p) / p))
