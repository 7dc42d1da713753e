"""Reference tests for the two-sample validation tests in loanrisk.metrics."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import roc_auc_score

from loanrisk.errors import InputError
from loanrisk.metrics import (
    auc_initial_test,
    delong_test_unpaired,
    grade_distribution_test,
    hhi_test,
    migration_stability,
)


def _delong_var_pairwise(y: np.ndarray, s: np.ndarray) -> tuple[float, float]:
    """O(n^2) DeLong (1988) AUC and variance, straight from the definition."""
    pos, neg = s[y == 1], s[y == 0]
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    var = v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg)
    return float(psi.mean()), float(var)


def _sample(rng: np.random.Generator, n: int, shift: float):
    y = (rng.random(n) < 0.3).astype(int)
    s = np.round(rng.normal(size=n) + shift * y, 1)  # rounding creates ties
    return y, s


def test_delong_unpaired_matches_pairwise_reference() -> None:
    rng = np.random.default_rng(0)
    ya, sa = _sample(rng, 300, 1.0)
    yb, sb = _sample(rng, 200, 0.5)
    res = delong_test_unpaired(ya, sa, yb, sb)
    auc_a, var_a = _delong_var_pairwise(ya, sa)
    auc_b, var_b = _delong_var_pairwise(yb, sb)
    assert res.auc_a == pytest.approx(roc_auc_score(ya, sa), abs=1e-12)
    assert res.auc_b == pytest.approx(auc_b, abs=1e-12)
    z = (auc_a - auc_b) / np.sqrt(var_a + var_b)
    assert res.statistic == pytest.approx(z, rel=1e-10)
    assert res.pvalue == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-10)
    greater = delong_test_unpaired(ya, sa, yb, sb, alternative="greater")
    assert greater.pvalue == pytest.approx(stats.norm.sf(z), rel=1e-10)


def test_delong_unpaired_std_error_matches_bootstrap() -> None:
    rng = np.random.default_rng(1)
    ya, sa = _sample(rng, 400, 1.0)
    yb, sb = _sample(rng, 400, 0.8)
    res = delong_test_unpaired(ya, sa, yb, sb)
    diffs = []
    for _ in range(400):
        ia = rng.integers(0, len(ya), len(ya))
        ib = rng.integers(0, len(yb), len(yb))
        diffs.append(roc_auc_score(ya[ia], sa[ia]) - roc_auc_score(yb[ib], sb[ib]))
    assert res.std_error == pytest.approx(np.std(diffs, ddof=1), rel=0.15)


def test_auc_initial_test_ecb_formula() -> None:
    rng = np.random.default_rng(2)
    y, s = _sample(rng, 250, 1.0)
    auc, var = _delong_var_pairwise(y, s)
    res = auc_initial_test(y, s, 0.80)
    big_s = (0.80 - auc) / np.sqrt(var)
    assert res.statistic == pytest.approx(big_s, rel=1e-10)
    assert res.pvalue == pytest.approx(1 - stats.norm.cdf(big_s), rel=1e-10)
    assert (res.auc_a, res.auc_b, res.alternative) == (
        0.80,
        pytest.approx(auc),
        "greater",
    )
    points = auc_initial_test(y, -s, 0.80, higher_is_riskier=False)
    assert points.statistic == pytest.approx(res.statistic)
    assert auc_initial_test(y, s, 0.99).verdict == "fail"


@pytest.mark.parametrize("bad", [1.5, -0.1, "0.7", True])
def test_auc_initial_test_rejects_bad_initial(bad: object) -> None:
    with pytest.raises(InputError, match="auc_initial must be the AUC at initial"):
        auc_initial_test([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4], bad)  # type: ignore[arg-type]


def test_delong_unpaired_needs_two_per_class() -> None:
    with pytest.raises(InputError, match="needs at least 2 of each class"):
        delong_test_unpaired([0, 0, 1], [0.1, 0.2, 0.3], [0, 1, 0, 1], [0.1] * 4)


def test_hhi_test_hand_computation() -> None:
    grades = ["A"] * 50 + ["B"] * 30 + ["C"] * 15 + ["D"] * 5
    shares = np.array([0.5, 0.3, 0.15, 0.05])
    k = 5  # one grade of the scale is empty
    full = np.append(shares, 0.0)
    cv = np.sqrt(k * np.sum((full - 1 / k) ** 2))
    hhi0 = 0.30
    cv0 = np.sqrt(k * hhi0 - 1)
    z = np.sqrt(k - 1) * (cv - cv0) / np.sqrt(cv**2 * (0.5 + cv**2))
    res = hhi_test(grades, hhi0, n_grades=k)
    assert res.hhi == pytest.approx(np.sum(shares**2))
    assert res.cv == pytest.approx(cv)
    assert res.statistic == pytest.approx(z)
    assert res.pvalue == pytest.approx(1 - stats.norm.cdf(z))
    assert res.hi == pytest.approx(1 + np.log((cv**2 + 1) / k) / np.log(k))


def test_hhi_test_even_grades_pass() -> None:
    res = hhi_test(["A", "B", "C"] * 10, 1 / 3)
    assert res.statistic == 0.0 and res.pvalue == 0.5 and res.verdict == "pass"


def test_hhi_test_bad_input() -> None:
    with pytest.raises(InputError, match="hhi_initial must be an HHI between"):
        hhi_test(["A", "B"], 0.2)
    with pytest.raises(InputError, match="n_grades must be an integer >= the 2"):
        hhi_test(["A", "B"], 0.5, n_grades=1)
    with pytest.raises(InputError, match="needs at least 2 grades"):
        hhi_test(["A", "A"], 1.0)
    with pytest.raises(InputError, match="has 1 missing grade"):
        hhi_test(["A", None, "B"], 0.5)


def test_grade_distribution_matches_scipy() -> None:
    rng = np.random.default_rng(3)
    dev = rng.choice(list("ABCDE"), 500, p=[0.1, 0.2, 0.3, 0.25, 0.15])
    cur = rng.choice(list("ABCDE"), 300, p=[0.15, 0.2, 0.25, 0.25, 0.15])
    res = grade_distribution_test(dev, cur, grades=list("ABCDEF"))
    table = np.array(
        [[np.sum(dev == g) for g in "ABCDE"], [np.sum(cur == g) for g in "ABCDE"]]
    )
    ref = stats.chi2_contingency(table, correction=False)
    assert res.statistic == pytest.approx(ref.statistic)
    assert res.pvalue == pytest.approx(ref.pvalue)
    assert res.dof == ref.dof == 4  # the empty grade F is left out
    assert res.actual_count[-1] == 0


def test_grade_distribution_bad_input() -> None:
    with pytest.raises(InputError, match="labels 'Z' in grades_actual are not in"):
        grade_distribution_test(["A", "B"], ["A", "Z"], grades=["A", "B"])
    with pytest.raises(InputError, match="every obligor is in one grade"):
        grade_distribution_test(["A", "A"], ["A"])


def _from_counts(counts: np.ndarray) -> tuple[list[int], list[int]]:
    before, after = [], []
    for i, row in enumerate(counts):
        for j, c in enumerate(row):
            before += [i + 1] * int(c)
            after += [j + 1] * int(c)
    return before, after


def test_migration_mwb_matches_published_example() -> None:
    # MathWorks Risk Management Toolbox, risk.validation.matrixWeightedBandwidth
    # documentation example (ECB instructions 2019, section 2.5.5.1):
    # lower MWB 0.3306, upper MWB 0.6066.
    counts = np.array(
        [
            [10, 8, 15, 9, 10],
            [11, 9, 13, 9, 8],
            [0, 10, 10, 11, 10],
            [0, 0, 9, 11, 11],
            [0, 0, 0, 11, 10],
        ]
    )
    res = migration_stability(*_from_counts(counts))
    assert res.mwb_lower == pytest.approx(0.3306, abs=5e-5)
    assert res.mwb_upper == pytest.approx(0.6066, abs=5e-5)
    # z-test of cell (1, 3) (0-based (0, 2)): p_{1,2} = 8/52, p_{1,3} = 15/52.
    n1 = 52
    p2, p3 = 8 / n1, 15 / n1
    z = (p2 - p3) / np.sqrt((p3 * (1 - p3) + p2 * (1 - p2) + 2 * p2 * p3) / n1)
    assert res.z[0][2] == pytest.approx(z)
    assert res.pvalue[0][2] == pytest.approx(stats.norm.cdf(z))
    assert np.isnan(res.z[0][0])
    pv = np.array(res.pvalue, dtype=float)
    assert res.n_rejected == int(np.sum(np.nan_to_num(pv, nan=1.0) < 0.05))
    assert res.verdict == ("fail" if res.n_rejected else "pass")
    assert res.table("counts").to_numpy().tolist() == counts.tolist()


def test_migration_empty_row_and_one_grade() -> None:
    res = migration_stability(["A", "A"], ["A", "B"], grades=["A", "B", "C"])
    assert all(np.isnan(v) for v in res.z[2])  # nobody in C at the first date
    with pytest.raises(InputError, match="only one grade is present"):
        migration_stability(["A"], ["A"])
