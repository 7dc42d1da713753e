"""The public API is exactly what each __all__ lists."""

import importlib
import subprocess
import sys

import pytest

import loanrisk

SUBPACKAGES = [
    "loanrisk.affordability",
    "loanrisk.behaviour",
    "loanrisk.pricing",
    "loanrisk.binning",
    "loanrisk.datasets",
    "loanrisk.errors",
    "loanrisk.metrics",
    "loanrisk.plotting",
    "loanrisk.repayment",
    "loanrisk.scorecard",
    "loanrisk.strategy",
    "loanrisk.validation",
    "loanrisk.warning",
]


def test_top_level_all_resolves():
    for name in loanrisk.__all__:
        assert getattr(loanrisk, name) is not None, name
    assert sorted(loanrisk.__all__) == sorted(set(loanrisk.__all__))


@pytest.mark.parametrize("module_name", SUBPACKAGES)
def test_all_equals_public_names(module_name):
    module = importlib.import_module(module_name)
    public = {
        n
        for n, v in vars(module).items()
        if not n.startswith("_")
        and not (hasattr(v, "__name__") and type(v).__name__ == "module")
        and getattr(v, "__module__", module_name).startswith("loanrisk")
        and n != "annotations"
    }
    assert set(module.__all__) == public


def test_unknown_attribute():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        loanrisk.nope  # noqa: B018


def test_version():
    from importlib.metadata import version

    assert loanrisk.__version__ == version("loanrisk")


def test_import_and_scoring_stay_light(german, tmp_path):
    X, y = german
    path = loanrisk.save(loanrisk.ApplicationScorecard().fit(X, y), tmp_path / "m.json")
    record = {
        k: (v if not hasattr(v, "item") else v.item()) for k, v in X.iloc[0].items()
    }
    code = (
        "import sys, loanrisk\n"
        f"card = loanrisk.load({str(path)!r})\n"
        f"card.score_record({record!r})\n"
        "heavy = [m for m in ('optbinning', 'statsmodels', 'lightgbm', 'matplotlib') "
        "if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
