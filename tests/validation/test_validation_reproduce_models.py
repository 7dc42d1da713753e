"""reproduce() on every persisted scorecard class, not only the logistic one."""

import pytest

import loanrisk
from loanrisk.scorecard import GradientBoostingScorecard, SegmentedScorecard


@pytest.mark.parametrize(
    "make",
    [
        lambda: GradientBoostingScorecard(n_estimators=20, random_state=0),
        lambda: SegmentedScorecard("housing", min_segment_size=100),
    ],
)
@pytest.mark.filterwarnings("ignore::loanrisk.errors.LoanRiskWarning")
def test_reproduce_identical_and_detects_other_data(german, tmp_path, make):
    X, y = german
    path = loanrisk.save(make().fit(X, y), tmp_path / "m.json")
    same = loanrisk.reproduce(path, X, y)
    assert same.identical and same.fingerprint_matched and not same.differences
    other = loanrisk.reproduce(path, X.iloc[:900], y.iloc[:900])
    assert not other.identical and not other.fingerprint_matched
    assert "metadata.data_fingerprint" in other.differences
