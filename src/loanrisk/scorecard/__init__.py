"""Points scorecards: application (logistic on WoE), points scaling, reason codes, SQL.

Every score in loanrisk runs the same way: higher points = safer.
"""

from loanrisk.scorecard._gbm import GradientBoostingScorecard
from loanrisk.scorecard._logistic import ApplicationScorecard
from loanrisk.scorecard._reject import RejectInferenceResult, reject_inference
from loanrisk.scorecard._scaling import PointsScale
from loanrisk.scorecard._segmented import SegmentedScorecard

__all__ = [
    "ApplicationScorecard",
    "GradientBoostingScorecard",
    "PointsScale",
    "RejectInferenceResult",
    "SegmentedScorecard",
    "reject_inference",
]
