"""The ``loanrisk validate`` subcommand."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import loanrisk
from loanrisk.cli import main
from loanrisk.scorecard import ApplicationScorecard


@pytest.fixture(scope="module")
def files(german: tuple[pd.DataFrame, pd.Series], tmp_path_factory) -> dict[str, Path]:
    X, y = german
    d = tmp_path_factory.mktemp("cli_validate")
    loanrisk.save(ApplicationScorecard().fit(X.iloc[:600], y.iloc[:600]), d / "m.json")
    X.iloc[:600].assign(bad=y.iloc[:600]).to_csv(d / "dev.csv", index=False)
    X.iloc[600:].assign(bad=y.iloc[600:]).to_csv(d / "cur.csv", index=False)
    return {"dir": d, "model": d / "m.json", "dev": d / "dev.csv", "cur": d / "cur.csv"}


def _args(files: dict[str, Path], *extra: str) -> list[str]:
    return [
        "validate",
        str(files["model"]),
        "--dev",
        str(files["dev"]),
        "--current",
        str(files["cur"]),
        *extra,
    ]


def test_cli_validate_writes_report(files, capsys) -> None:
    out = files["dir"] / "report.html"
    js = files["dir"] / "report.json"
    code = main(_args(files, "--target", "bad", "--out", str(out), "--json", str(js)))
    assert code == 0
    stdout = capsys.readouterr().out
    assert stdout.startswith("Overall: ")
    assert "data:image/png;base64," in out.read_text(encoding="utf-8")
    payload = json.loads(js.read_text(encoding="utf-8"))
    assert payload["provenance"]["samples"]["current"]["rows"] == 400
    assert payload["provenance"]["samples"]["current"]["period"] == "cur.csv"


def test_cli_validate_bad_target(files, capsys) -> None:
    out = files["dir"] / "r.html"
    assert main(_args(files, "--target", "nope", "--out", str(out))) == 2
    assert "--target 'nope' is not a column of" in capsys.readouterr().err


def test_cli_validate_bad_target_values(files, capsys) -> None:
    frame = pd.read_csv(files["cur"])
    frame.loc[3, "bad"] = 2
    path = files["dir"] / "cur_bad.csv"
    frame.to_csv(path, index=False)
    args = [
        "validate",
        str(files["model"]),
        "--dev",
        str(files["dev"]),
        "--current",
        str(path),
        "--out",
        str(files["dir"] / "r.html"),
    ]
    assert main(args) == 2
    assert "must hold 0 (good) or 1 (bad), but 1 cell(s) do not (data rows 4)" in (
        capsys.readouterr().err
    )


def test_cli_validate_missing_out_folder(files, capsys) -> None:
    assert main(_args(files, "--out", str(files["dir"] / "no" / "r.html"))) == 2
    assert "does not exist: create it first" in capsys.readouterr().err
