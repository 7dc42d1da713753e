"""scikit-learn's estimator checks on the public classifiers.

Checks that do not apply are listed with the reason. Most come from two deliberate
choices: the target must be exactly 0 (good) / 1 (bad) — scikit-learn's generic checks
use arbitrary labels such as {1, 2} — and ``score(X)`` returns points, not accuracy.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from loanrisk.scorecard import ApplicationScorecard, GradientBoostingScorecard

LABELS = "the target must be exactly 0/1 (1 = bad); the check uses other labels"
NO_SIGNAL = (
    "the check's tiny random data has no relation to the target, so every feature is "
    "dropped by selection and fit raises InputError naming the reasons"
)
SCORE = "score(X) returns points; scikit-learn's score(X, y) (accuracy) is refused"

EXPECTED_FAILED = {
    "check_fit_score_takes_y": SCORE,
    "check_n_features_in_after_fitting": SCORE,
    "check_estimators_dtypes": LABELS,
    "check_sample_weights_pandas_series": LABELS,
    "check_sample_weights_not_an_array": LABELS,
    "check_sample_weights_shape": LABELS,
    "check_sample_weights_not_overwritten": LABELS,
    "check_sample_weight_equivalence_on_dense_data": NO_SIGNAL,
    "check_pipeline_consistency": NO_SIGNAL,
    "check_estimator_sparse_array": "sparse input is refused before y is checked; the "
    "check passes a y whose length differs from X",
    "check_estimator_sparse_matrix": "as check_estimator_sparse_array",
    "check_classifier_data_not_an_array": LABELS,
    "check_classifiers_one_label_sample_weights": NO_SIGNAL,
    "check_classifiers_classes": "string class labels are refused: map them to 0/1",
    "check_supervised_y_2d": "a 2-D y is refused with InputError rather than a "
    "DataConversionWarning: nothing is silently reshaped",
    "check_fit2d_1feature": NO_SIGNAL,
    "check_fit2d_predict1d": NO_SIGNAL,
    "check_requires_y_none": LABELS,
}


def _expected_failed(estimator):
    return EXPECTED_FAILED


@parametrize_with_checks(
    [
        ApplicationScorecard(min_iv=0.0),
        GradientBoostingScorecard(n_estimators=5, random_state=0),
    ],
    expected_failed_checks=_expected_failed,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
