"""Scorecard plots: binning, score distributions, ROC and KS (matplotlib, lazy)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from loanrisk._checks import check_number
from loanrisk.binning._bins import MISSING_LABEL, SPECIAL_LABEL
from loanrisk.errors import InputError, OptionalDependencyError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__: list[str] = []

_GOOD_COLOR = "#2b8cbe"
_BAD_COLOR = "#e34a33"
_BINNING_COLUMNS = ("bin", "count", "bad_rate")


def _pyplot() -> Any:
    """Import matplotlib.pyplot, or explain how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise OptionalDependencyError(
            "loanrisk.plotting needs matplotlib, which is not installed. Install the "
            'plot extra: pip install "loanrisk[plot]" (or pip install matplotlib).'
        ) from None
    return plt


def _axes(ax: Any, owner: str) -> Axes:
    """Return ``ax``, or the axes of a new figure when ``ax`` is None."""
    plt = _pyplot()
    if ax is None:
        _, new_ax = plt.subplots(figsize=(7.0, 4.5))
        return new_ax  # type: ignore[no-any-return]
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise InputError(
            f"{owner}: ax must be a matplotlib Axes (e.g. from plt.subplots()) or "
            f"None for a new figure; got {type(ax).__name__}."
        )
    return ax


def _check_bool(value: Any, name: str, owner: str) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise InputError(
            f"{owner}: {name} must be True or False; got {value!r}. Pass "
            "higher_is_riskier=False for scorecard points (higher = safer) and True "
            "for PDs."
        )
    return bool(value)


def _y_scores(y: Any, scores: Any, owner: str) -> tuple[np.ndarray, np.ndarray]:
    from loanrisk.metrics._inputs import check_y_score

    y_arr, s = check_y_score(y, scores, owner=owner, score_name="scores")
    return np.asarray(y_arr, dtype=np.int64), np.asarray(s, dtype=float)


def plot_binning(binning_table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Bar chart of a feature's bins (counts) with the bad rate on a second axis.

    Parameters
    ----------
    binning_table : DataFrame
        A binning table, as returned by ``WoEBinner.binning_table(feature)`` or
        ``FeatureBins.table()``: one row per bin with at least the columns ``bin``
        (label), ``count`` and ``bad_rate``; ``feature`` and ``iv`` are used in the
        title when present.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib Axes
        The axes holding the bars. The bad-rate line is on its twin axis
        (``ax.figure.axes``), one marker per bar.

    Notes
    -----
    One bar per regular bin, in bin order. The Special and Missing bins are drawn
    only when they hold training rows.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from loanrisk.plotting import plot_binning
    >>> table = pd.DataFrame({"bin": ["(-inf, 30)", "[30, inf)"],
    ...                       "count": [40, 60], "bad_rate": [0.4, 0.2]})
    >>> len(plot_binning(table).patches)
    2
    """
    owner = "plot_binning"
    if not isinstance(binning_table, pd.DataFrame):
        raise InputError(
            f"{owner} expects a binning table DataFrame (e.g. "
            f"card.binner_.binning_table('age')); got {type(binning_table).__name__}."
        )
    missing = [c for c in _BINNING_COLUMNS if c not in binning_table.columns]
    if missing:
        raise InputError(
            f"{owner}: the binning table is missing the column(s) {missing}. Pass the "
            "table of WoEBinner.binning_table(feature) or FeatureBins.table()."
        )
    if binning_table.empty:
        raise InputError(f"{owner}: the binning table has no rows: nothing to plot.")
    labels = binning_table["bin"].astype(str)
    count = pd.to_numeric(binning_table["count"], errors="raise").to_numpy(float)
    extra = labels.isin([SPECIAL_LABEL, MISSING_LABEL]).to_numpy() & (count <= 0)
    table = binning_table.loc[~extra]
    labels = labels[~extra]
    count = count[~extra]
    bad_rate = pd.to_numeric(table["bad_rate"], errors="raise").to_numpy(float)

    ax = _axes(ax, owner)
    x = np.arange(len(table))
    ax.bar(x, count, color=_GOOD_COLOR, alpha=0.8, label="count")
    ax.set_xticks(x)
    ax.set_xticklabels(list(labels), rotation=30, ha="right")
    ax.set_ylabel("Count")
    ax.set_xlabel("Bin")
    rate_ax = ax.twinx()
    rate_ax.plot(x, bad_rate, color=_BAD_COLOR, marker="o", label="bad rate")
    top = float(np.nanmax(bad_rate)) if np.isfinite(bad_rate).any() else 1.0
    rate_ax.set_ylim(0.0, max(top * 1.15, 0.05))
    rate_ax.set_ylabel("Bad rate")
    title = "Binning"
    if "feature" in table.columns and len(table):
        title = f"Binning of {table['feature'].iloc[0]}"
    if "iv" in binning_table.columns:
        iv = float(pd.to_numeric(binning_table["iv"], errors="raise").sum())
        title += f" (IV = {iv:.3f})"
    ax.set_title(title)
    return ax


def plot_score_distribution(
    scores: Any, y: Any, ax: Axes | None = None, *, bins: int = 30
) -> Axes:
    """Histograms of the scores of goods and of bads, on common bins.

    Parameters
    ----------
    scores : array-like of float
        Score per row (points or PDs: the direction does not matter here).
    y : array-like of 0/1
        Outcome, 1 = bad, 0 = good; both classes present.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure when None.
    bins : int, default 30
        Number of equal-width bins over the range of all scores.

    Returns
    -------
    matplotlib Axes
        Two histograms (densities, so the shapes compare whatever the bad rate):
        goods first, then bads, ``bins`` bars each.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from loanrisk.plotting import plot_score_distribution
    >>> ax = plot_score_distribution([600, 620, 540, 700], [0, 0, 1, 0], bins=5)
    >>> len(ax.patches)
    10
    """
    owner = "plot_score_distribution"
    check_number(bins, "bins", owner, low=1, integer=True)
    y_arr, s = _y_scores(y, scores, owner)
    edges = np.histogram_bin_edges(s, bins=int(bins)).tolist()
    ax = _axes(ax, owner)
    goods, bads = s[y_arr == 0], s[y_arr == 1]
    ax.hist(
        goods,
        bins=edges,
        density=True,
        alpha=0.55,
        color=_GOOD_COLOR,
        label=f"goods (n = {goods.size})",
    )
    ax.hist(
        bads,
        bins=edges,
        density=True,
        alpha=0.55,
        color=_BAD_COLOR,
        label=f"bads (n = {bads.size})",
    )
    ax.set_xlabel("Score")
    ax.set_ylabel("Density")
    ax.set_title("Score distribution of goods and bads")
    ax.legend()
    return ax


def plot_roc(
    y: Any, scores: Any, *, higher_is_riskier: bool = True, ax: Axes | None = None
) -> Axes:
    """ROC curve: share of bads caught against share of goods declined.

    Parameters
    ----------
    y : array-like of 0/1
        Outcome, 1 = bad, 0 = good; both classes present.
    scores : array-like of float
        Score per row.
    higher_is_riskier : bool, default True
        True for a PD-like score, False for scorecard points (higher = safer), as in
        :mod:`loanrisk.metrics`.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib Axes
        Two lines: the ROC curve, then the diagonal of a random score. The title
        gives the AUC and the Gini (``2 AUC - 1``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from loanrisk.plotting import plot_roc
    >>> ax = plot_roc([0, 0, 1, 1], [700, 560, 600, 500], higher_is_riskier=False)
    >>> ax.get_title()
    'ROC curve (AUC = 0.750, Gini = 0.500)'
    """
    from sklearn.metrics import roc_auc_score, roc_curve

    owner = "plot_roc"
    riskier = _check_bool(higher_is_riskier, "higher_is_riskier", owner)
    y_arr, s = _y_scores(y, scores, owner)
    risk = s if riskier else -s
    fpr, tpr, _ = roc_curve(y_arr, risk)
    area = float(roc_auc_score(y_arr, risk))
    ax = _axes(ax, owner)
    ax.plot(fpr, tpr, color=_BAD_COLOR, label="score")
    ax.plot([0.0, 1.0], [0.0, 1.0], color="grey", linestyle="--", label="random")
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(0.0, 1.0)
    ax.set_xlabel("Share of goods declined (false positive rate)")
    ax.set_ylabel("Share of bads declined (true positive rate)")
    ax.set_title(f"ROC curve (AUC = {area:.3f}, Gini = {2 * area - 1:.3f})")
    ax.legend(loc="lower right")
    return ax


def plot_ks(
    y: Any, scores: Any, *, higher_is_riskier: bool = True, ax: Axes | None = None
) -> Axes:
    """Cumulative score distributions of goods and bads, with the KS gap marked.

    Parameters
    ----------
    y : array-like of 0/1
        Outcome, 1 = bad, 0 = good; both classes present.
    scores : array-like of float
        Score per row.
    higher_is_riskier : bool, default True
        True for a PD-like score, False for scorecard points (higher = safer), as in
        :mod:`loanrisk.metrics`.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib Axes
        Three lines: the cumulative shares of goods and of bads (steps), then a
        vertical segment at the score where they are furthest apart in the
        expected direction; its length is the KS statistic.

    Notes
    -----
    For PDs, ``F(x)`` is the share with a score ``<= x`` (declined when the cut-off
    is below x) and ``KS = max_x [F_good(x) - F_bad(x)]``. For points, ``F(x)`` is
    the share with a score ``< x`` (declined by the cut-off x, as in
    :mod:`loanrisk.strategy`) and ``KS = max_x [F_bad(x) - F_good(x)]``. Both the
    value and its score are those of :func:`loanrisk.metrics.ks`.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from loanrisk.plotting import plot_ks
    >>> ax = plot_ks([0, 0, 0, 1, 1], [700, 650, 540, 560, 500],
    ...              higher_is_riskier=False)
    >>> ax.get_title()
    'KS = 0.667 at score 650'
    """
    owner = "plot_ks"
    riskier = _check_bool(higher_is_riskier, "higher_is_riskier", owner)
    y_arr, s = _y_scores(y, scores, owner)
    grid = np.unique(s)
    goods, bads = np.sort(s[y_arr == 0]), np.sort(s[y_arr == 1])
    # PDs: declined = score > x, so F(x) = share <= x. Points: declined = score < x
    # (approve score >= x, as loanrisk.strategy), so F(x) = share < x.
    side: Literal["left", "right"] = "right" if riskier else "left"
    where: Literal["pre", "post"] = "post" if riskier else "pre"
    rel = "<=" if riskier else "<"
    f_good = np.searchsorted(goods, grid, side=side) / goods.size
    f_bad = np.searchsorted(bads, grid, side=side) / bads.size
    gap = f_good - f_bad if riskier else f_bad - f_good
    # ties: the lowest PD, or the highest points, as loanrisk.metrics.ks
    k = int(np.argmax(gap)) if riskier else grid.size - 1 - int(np.argmax(gap[::-1]))
    ax = _axes(ax, owner)
    ax.step(grid, f_good, where=where, color=_GOOD_COLOR, label="goods")
    ax.step(grid, f_bad, where=where, color=_BAD_COLOR, label="bads")
    ax.plot(
        [grid[k], grid[k]],
        [f_good[k], f_bad[k]],
        color="black",
        linestyle="--",
        label=f"KS = {gap[k]:.3f}",
    )
    ax.set_ylim(0.0, 1.0)
    ax.set_xlabel("Score")
    ax.set_ylabel(f"Cumulative share (score {rel} x)")
    ax.set_title(f"KS = {gap[k]:.3f} at score {grid[k]:g}")
    ax.legend()
    return ax
