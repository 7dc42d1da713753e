"""loanrisk: loan-risk modelling for credit teams, services and model validators.

``import loanrisk`` is light: it loads numpy, pandas and scikit-learn's base classes
only. Fitting code pulls in optbinning, statsmodels or LightGBM when it runs.

Examples
--------
>>> import loanrisk
>>> X, y = loanrisk.datasets.load_german_credit(return_X_y=True)
>>> card = loanrisk.ApplicationScorecard().fit(X, y)
>>> card.score(X.head(3)).dtype.kind
'i'
"""

from __future__ import annotations

import importlib
from typing import Any

from loanrisk import errors
from loanrisk._persist import load, save
from loanrisk._version import __version__

_LAZY: dict[str, str] = {
    "ApplicationScorecard": "loanrisk.scorecard",
    "BehaviouralScorecard": "loanrisk.behaviour",
    "GradientBoostingScorecard": "loanrisk.scorecard",
    "SegmentedScorecard": "loanrisk.scorecard",
    "plotting": "loanrisk.plotting",
    "affordability": "loanrisk.affordability",
    "behaviour": "loanrisk.behaviour",
    "binning": "loanrisk.binning",
    "datasets": "loanrisk.datasets",
    "metrics": "loanrisk.metrics",
    "pricing": "loanrisk.pricing",
    "repayment": "loanrisk.repayment",
    "scorecard": "loanrisk.scorecard",
    "reproduce": "loanrisk.validation",
    "strategy": "loanrisk.strategy",
    "validation": "loanrisk.validation",
    "warning": "loanrisk.warning",
}

__all__ = [
    "ApplicationScorecard",
    "BehaviouralScorecard",
    "GradientBoostingScorecard",
    "SegmentedScorecard",
    "__version__",
    "affordability",
    "behaviour",
    "binning",
    "datasets",
    "errors",
    "load",
    "metrics",
    "plotting",
    "pricing",
    "repayment",
    "reproduce",
    "save",
    "scorecard",
    "strategy",
    "validation",
    "warning",
]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'loanrisk' has no attribute {name!r}")
    module = importlib.import_module(module_name)
    value = module if module_name.endswith("." + name) else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
