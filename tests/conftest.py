"""Shared pytest configuration: the hypothesis ``ci`` profile and common fixtures."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=50,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=50)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def german() -> tuple[pd.DataFrame, pd.Series]:
    """German credit features and target (read-only: copy before changing)."""
    from loanrisk.datasets import load_german_credit

    return load_german_credit(return_X_y=True)
