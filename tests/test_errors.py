import pytest
from sklearn.exceptions import NotFittedError as SkNotFitted

from loanrisk import errors


def test_hierarchy():
    assert issubclass(errors.InputError, errors.LoanRiskError)
    assert issubclass(errors.InputError, ValueError)
    assert issubclass(errors.NotFittedError, SkNotFitted)
    assert issubclass(errors.NotFittedError, errors.LoanRiskError)
    assert issubclass(errors.ModelFormatError, errors.LoanRiskError)
    assert issubclass(errors.LoanRiskWarning, UserWarning)


def test_one_except_catches_all():
    with pytest.raises(errors.LoanRiskError):
        raise errors.ModelFormatError("x")


def test_optional_dependency_error_is_an_import_error():
    assert issubclass(errors.OptionalDependencyError, ImportError)
    assert issubclass(errors.OptionalDependencyError, errors.LoanRiskError)
