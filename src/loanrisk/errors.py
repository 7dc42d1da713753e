"""Exceptions and warnings raised by loanrisk.

Every error raised on purpose by the library derives from :class:`LoanRiskError`, so a
service can catch all of them in one ``except`` clause. The concrete classes also derive
from the built-in or scikit-learn class a caller would already catch.

Examples
--------
>>> from loanrisk.errors import InputError, LoanRiskError
>>> issubclass(InputError, ValueError) and issubclass(InputError, LoanRiskError)
True
"""

from __future__ import annotations

from sklearn.exceptions import NotFittedError as _SklearnNotFittedError

__all__ = [
    "InputError",
    "LoanRiskError",
    "LoanRiskWarning",
    "ModelFormatError",
    "NotFittedError",
    "OptionalDependencyError",
]


class LoanRiskError(Exception):
    """Base class of every error raised by loanrisk."""


class InputError(LoanRiskError, ValueError):
    """Input data or an argument is invalid.

    The message names the argument, column or rows at fault and says how to fix it.
    """


class NotFittedError(LoanRiskError, _SklearnNotFittedError):  # type: ignore[misc]
    """A model was used before ``fit`` was called."""


class ModelFormatError(LoanRiskError):
    """A model file or payload cannot be trusted.

    Raised for a corrupt file, an unknown format or model class, a schema version
    newer than this library reads, or a fitted state that fails its integrity checks.
    """


class OptionalDependencyError(LoanRiskError, ImportError):
    """A feature needs a package from an extra that is not installed.

    The message names the extra to install, e.g. ``pip install "loanrisk[plot]"``.
    """


class LoanRiskWarning(UserWarning):
    """Base class of every warning issued by loanrisk."""
