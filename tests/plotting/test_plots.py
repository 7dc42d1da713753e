"""Tests of loanrisk.plotting: the artists drawn, not just the absence of errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import matplotlib
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_curve

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from loanrisk.errors import InputError, OptionalDependencyError
from loanrisk.metrics import auc, ks
from loanrisk.plotting import (
    plot_binning,
    plot_ks,
    plot_roc,
    plot_score_distribution,
)


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def scored() -> tuple[np.ndarray, np.ndarray]:
    """Synthetic points (higher = safer) with real separation, and y."""
    rng = np.random.default_rng(7)
    y = rng.binomial(1, 0.3, size=400)
    scores = np.round(rng.normal(600, 40, size=400) - 45 * y)
    return scores, y


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "feature": "age",
            "bin": ["(-inf, 25)", "[25, 40)", "[40, inf)", "Special", "Missing"],
            "count": [100.0, 250.0, 150.0, 0.0, 20.0],
            "bad_rate": [0.45, 0.3, 0.2, np.nan, 0.5],
            "iv": [0.05, 0.01, 0.04, 0.0, 0.01],
        }
    )


def test_plot_binning_bars_and_bad_rate_line() -> None:
    ax = plot_binning(_table())
    # the empty Special bin is left out; Missing (20 rows) is kept
    heights = [p.get_height() for p in ax.patches]
    assert heights == [100.0, 250.0, 150.0, 20.0]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["(-inf, 25)", "[25, 40)", "[40, inf)", "Missing"]
    twin = [a for a in ax.figure.axes if a is not ax]
    assert len(twin) == 1
    (line,) = twin[0].lines
    np.testing.assert_allclose(line.get_ydata(), [0.45, 0.3, 0.2, 0.5])
    np.testing.assert_allclose(line.get_xdata(), [0, 1, 2, 3])
    assert ax.get_title() == "Binning of age (IV = 0.110)"


def test_plot_binning_on_fitted_scorecard(
    german: tuple[pd.DataFrame, pd.Series],
) -> None:
    from loanrisk import ApplicationScorecard

    X, y = german
    cols = ["duration_in_month", "status_of_existing_checking_account", "age_in_years"]
    card = ApplicationScorecard().fit(X[cols], y)
    table = card.binner_.binning_table("duration_in_month")
    ax = card.plot_binning("duration_in_month")
    regular = table[~table["bin"].isin(["Special", "Missing"])]
    assert len(ax.patches) == len(regular)
    assert [p.get_height() for p in ax.patches] == regular["count"].tolist()
    assert ax.get_title().startswith("Binning of duration_in_month (IV = ")


def test_plot_binning_draws_on_given_axes() -> None:
    fig, given = plt.subplots()
    assert plot_binning(_table(), ax=given) is given
    assert len(fig.axes) == 2


def test_plot_binning_rejects_other_tables() -> None:
    with pytest.raises(InputError, match=r"missing the column\(s\) \['bad_rate'\]"):
        plot_binning(pd.DataFrame({"bin": ["a"], "count": [1]}))
    with pytest.raises(InputError, match="expects a binning table DataFrame"):
        plot_binning([1, 2])  # type: ignore[arg-type]
    with pytest.raises(InputError, match="has no rows"):
        plot_binning(_table().iloc[:0])
    with pytest.raises(InputError, match="ax must be a matplotlib Axes"):
        plot_binning(_table(), ax="left")  # type: ignore[arg-type]


def test_plot_score_distribution_histograms(
    scored: tuple[np.ndarray, np.ndarray],
) -> None:
    scores, y = scored
    ax = plot_score_distribution(scores, y, bins=12)
    assert len(ax.patches) == 24
    edges = np.histogram_bin_edges(scores, bins=12)
    goods, _ = np.histogram(scores[y == 0], bins=edges, density=True)
    bads, _ = np.histogram(scores[y == 1], bins=edges, density=True)
    heights = np.array([p.get_height() for p in ax.patches])
    np.testing.assert_allclose(heights[:12], goods)
    np.testing.assert_allclose(heights[12:], bads)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [f"goods (n = {(y == 0).sum()})", f"bads (n = {(y == 1).sum()})"]


def test_plot_roc_curve_matches_sklearn(scored: tuple[np.ndarray, np.ndarray]) -> None:
    scores, y = scored
    ax = plot_roc(y, scores, higher_is_riskier=False)
    curve, diagonal = ax.lines
    fpr, tpr, _ = roc_curve(y, -scores)
    np.testing.assert_allclose(curve.get_xdata(), fpr)
    np.testing.assert_allclose(curve.get_ydata(), tpr)
    np.testing.assert_allclose(diagonal.get_xdata(), [0, 1])
    area = auc(y, scores, higher_is_riskier=False)
    assert area > 0.7
    assert ax.get_title() == (
        f"ROC curve (AUC = {area:.3f}, Gini = {2 * area - 1:.3f})"
    )
    # the same scores read the wrong way give the mirror-image AUC
    flipped = plot_roc(y, scores, higher_is_riskier=True)
    assert flipped.get_title().startswith(f"ROC curve (AUC = {1 - area:.3f}")


@pytest.mark.parametrize("riskier", [False, True])
def test_plot_ks_gap_equals_metrics_ks(
    scored: tuple[np.ndarray, np.ndarray], riskier: bool
) -> None:
    scores, y = scored
    s = scores if not riskier else 1000.0 - scores  # PD-like orientation
    ax = plot_ks(y, s, higher_is_riskier=riskier)
    goods, bads, marker = ax.lines
    expected = ks(y, s, higher_is_riskier=riskier)
    x0, x1 = marker.get_xdata()
    assert x0 == x1 == expected.score
    lo, hi = sorted(marker.get_ydata())
    assert hi - lo == pytest.approx(expected.statistic)
    # the marker ends on an independent ECDF of the goods and of the bads
    below = (lambda v: v <= x0) if riskier else (lambda v: v < x0)
    f_good, f_bad = np.mean(below(s[y == 0])), np.mean(below(s[y == 1]))
    assert sorted([f_good, f_bad]) == [pytest.approx(lo), pytest.approx(hi)]
    assert (f_bad < f_good) == riskier
    # whole curves: an independent ECDF at every distinct score
    grid = np.unique(s)
    np.testing.assert_array_equal(goods.get_xdata(), grid)
    np.testing.assert_allclose(
        goods.get_ydata(), [np.mean(below(s[y == 0] - g + x0)) for g in grid]
    )
    np.testing.assert_allclose(
        bads.get_ydata(), [np.mean(below(s[y == 1] - g + x0)) for g in grid]
    )
    assert ax.get_title() == f"KS = {expected.statistic:.3f} at score {x0:g}"
    assert bads.get_label() == "bads"


def test_plot_input_errors(scored: tuple[np.ndarray, np.ndarray]) -> None:
    scores, y = scored
    with pytest.raises(InputError, match="higher_is_riskier must be True or False"):
        plot_roc(y, scores, higher_is_riskier="no")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="plot_ks: scores has 3 values but y has"):
        plot_ks(y, scores[:3])
    with pytest.raises(InputError, match="'bins' parameter of plot_score_distr"):
        plot_score_distribution(scores, y, bins=0)
    with pytest.raises(InputError, match="both 0"):
        plot_roc(np.zeros(4), [1.0, 2.0, 3.0, 4.0])


def test_missing_matplotlib_gives_install_hint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(
        OptionalDependencyError, match=r'pip install "loanrisk\[plot\]"'
    ):
        plot_binning(_table())
