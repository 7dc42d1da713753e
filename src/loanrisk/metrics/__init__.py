"""Validation metrics: discrimination, calibration, stability and concentration.

Every function taking scores follows one convention: ``higher_is_riskier=True`` (a PD or
any score rising with risk); pass ``higher_is_riskier=False`` for scorecard points.
``y`` is 1 for bad (default) and 0 for good. Plain metrics return floats; statistical
tests return small frozen result objects with ``statistic``, ``pvalue``, ``threshold``,
``verdict`` and ``to_dict()``.

.. versionadded:: 0.1.0

Examples
--------
>>> from loanrisk import metrics
>>> metrics.gini([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
0.5
"""

from loanrisk.metrics._calibration import (
    DefaultRateTestResult,
    HosmerLemeshowResult,
    SpiegelhalterResult,
    binomial_test,
    brier,
    hosmer_lemeshow,
    jeffreys_test,
    spiegelhalter,
)
from loanrisk.metrics._concentration import hhi, migration_matrix
from loanrisk.metrics._discrimination import (
    AUCInterval,
    DeLongResult,
    KSResult,
    accuracy_ratio,
    auc,
    auc_ci,
    delong_test,
    gini,
    ks,
)
from loanrisk.metrics._stability import PSIResult, csi, psi
from loanrisk.metrics._validation_tests import (
    GradeDistributionResult,
    HHITestResult,
    MigrationStabilityResult,
    auc_initial_test,
    delong_test_unpaired,
    grade_distribution_test,
    hhi_test,
    migration_stability,
)

__all__ = [
    "AUCInterval",
    "DeLongResult",
    "DefaultRateTestResult",
    "GradeDistributionResult",
    "HHITestResult",
    "HosmerLemeshowResult",
    "KSResult",
    "MigrationStabilityResult",
    "PSIResult",
    "SpiegelhalterResult",
    "accuracy_ratio",
    "auc",
    "auc_ci",
    "auc_initial_test",
    "binomial_test",
    "brier",
    "csi",
    "delong_test",
    "delong_test_unpaired",
    "gini",
    "grade_distribution_test",
    "hhi",
    "hhi_test",
    "hosmer_lemeshow",
    "jeffreys_test",
    "ks",
    "migration_matrix",
    "migration_stability",
    "psi",
    "spiegelhalter",
]
