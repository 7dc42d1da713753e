"""Plots for scorecards (the ``plot`` extra: ``pip install "loanrisk[plot]"``).

matplotlib is imported only when a plotting function runs, so ``import loanrisk``
and scoring never pay for it. Every function draws on ``ax`` when given (else on a
new figure) and returns the :class:`matplotlib.axes.Axes` it drew on.

.. versionadded:: 0.1.0

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from loanrisk.plotting import plot_roc
>>> ax = plot_roc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
>>> ax.get_title()
'ROC curve (AUC = 0.750, Gini = 0.500)'
"""

from loanrisk.plotting._scorecard import (
    plot_binning,
    plot_ks,
    plot_roc,
    plot_score_distribution,
)

__all__ = ["plot_binning", "plot_ks", "plot_roc", "plot_score_distribution"]
