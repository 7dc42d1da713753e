"""Model validation: the validation battery, monitoring and reproducibility.

``validate`` runs discrimination, calibration, stability and concentration tests on a
development and a current sample and returns a :class:`ValidationReport`;
``monitor`` tracks a model period by period; ``reproduce`` refits a saved model on
its data and says whether the result is identical.

.. versionadded:: 0.1.0
"""

from loanrisk.validation._masterscale import MasterScale
from loanrisk.validation._monitor import monitor
from loanrisk.validation._report import ValidationReport
from loanrisk.validation._reproduce import ReproduceResult, reproduce
from loanrisk.validation._validate import validate

__all__ = [
    "MasterScale",
    "ReproduceResult",
    "ValidationReport",
    "monitor",
    "reproduce",
    "validate",
]
