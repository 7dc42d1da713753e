"""Every script in examples/ and every notebook in notebooks/ runs without error.

Scripts run in a subprocess with this interpreter. Notebooks run with nbclient in a
fresh ``python3`` kernel started from this interpreter (``sys.executable``), never
from whichever ``python3`` kernel spec the machine has registered, so the test needs
no manual kernel installation and always tests the installed loanrisk.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TIMEOUT = 120


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["MPLBACKEND"] = "Agg"
    env["PYTHONWARNINGS"] = "error"  # examples must run warning-free, like the tests
    return env


def test_examples_and_notebooks_exist() -> None:
    assert [p.name for p in EXAMPLES] == [
        "behavioural_scorecard.py",
        "early_warning.py",
        "german_scorecard.py",
        "reject_inference.py",
        "repayment_and_restructuring.py",
        "validation_report.py",
    ]
    assert [p.name for p in NOTEBOOKS] == [
        "behavioural_scoring.ipynb",
        "early_warning.ipynb",
        "german_credit.ipynb",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_script_runs(script: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip(), "an example should print what it shows"
    assert list(tmp_path.iterdir()) == [], "examples must not leave files behind"


def _kernel_manager_class(launched: list[str]) -> type[Any]:
    """A KernelManager class whose ``python3`` kernel runs ``sys.executable``.

    nbclient creates (and so shuts down and cleans up) the manager itself. The
    interpreter of each kernel spec handed out is appended to ``launched``.
    """
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager, NoSuchKernel
    from jupyter_client.manager import KernelManager

    class ThisPythonKernelSpecs(KernelSpecManager):  # type: ignore[misc]
        def get_kernel_spec(self, kernel_name: str, *args: Any, **kw: Any) -> Any:
            if kernel_name != "python3":
                raise NoSuchKernel(kernel_name)
            launched.append(sys.executable)
            return KernelSpec(
                argv=[
                    sys.executable,
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                ],
                display_name="Python 3 (this interpreter)",
                language="python",
            )

    class ThisPythonKernelManager(KernelManager):  # type: ignore[misc]
        def __init__(self, **kwargs: Any) -> None:
            kwargs.setdefault("kernel_spec_manager", ThisPythonKernelSpecs())
            super().__init__(**kwargs)

    return ThisPythonKernelManager


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(notebook: Path) -> None:
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes(notebook: Path, tmp_path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    launched: list[str] = []
    client = NotebookClient(
        nb,
        kernel_name="python3",
        kernel_manager_class=_kernel_manager_class(launched),
        timeout=TIMEOUT,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError with the cell and traceback
    assert launched == [sys.executable]
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type == "error"
    ]
    assert errors == []
    warnings_shown = [
        out.text
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type == "stream" and out.name == "stderr"
    ]
    assert warnings_shown == [], "the notebook should run warning-free"
    assert list(tmp_path.iterdir()) == [], "notebooks must not leave files behind"
