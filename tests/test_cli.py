"""Tests of the ``loanrisk`` command line (in-process through ``main``)."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.stats import ks_2samp
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

import loanrisk
from loanrisk.cli import main
from loanrisk.errors import LoanRiskWarning

HEAVY = ("optbinning", "statsmodels", "lightgbm", "matplotlib")
PROGRESS = re.compile(r"loanrisk (demo|score): \[\d/\d\] .* \(\d+\.\d s\)$")


def run(*argv: str) -> tuple[int, str, str]:
    """Run ``loanrisk argv`` in-process; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def one_error_line(err: str) -> str:
    """The stderr of a failed command: progress lines, then one error line, last."""
    lines = [line for line in err.strip().splitlines() if not PROGRESS.match(line)]
    assert len(lines) == 1, err
    assert lines[0].startswith("loanrisk: error: ")
    assert err.strip().splitlines()[-1] == lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("demo") / "nested" / "out"
    code, stdout, stderr = run("demo", "--out", str(out))
    return {"code": code, "out": out, "stdout": stdout, "stderr": stderr}


@pytest.fixture(scope="module")
def holdout(german: tuple[pd.DataFrame, pd.Series]) -> tuple[pd.DataFrame, pd.Series]:
    X, y = german
    _, X_test, _, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=42
    )
    return X_test, y_test


def test_demo_prints_holdout_gini_ks_and_table(
    demo: dict[str, Any], holdout: tuple[pd.DataFrame, pd.Series]
) -> None:
    assert demo["code"] == 0, demo["stderr"]
    X_test, y_test = holdout
    card = loanrisk.load(demo["out"] / "model.json")
    scores = card.score(X_test).to_numpy()
    gini = 2 * roc_auc_score(y_test, -scores) - 1
    ks = ks_2samp(scores[y_test.to_numpy() == 0], scores[y_test.to_numpy() == 1])
    stdout = demo["stdout"]
    assert f"Holdout Gini: {gini:.4f}" in stdout
    assert f"Holdout KS:   {ks.statistic:.4f}" in stdout
    assert gini > 0.5
    assert "Scorecard (points per bin; higher = safer):" in stdout
    # every selected feature appears in the printed table with its points
    first = card.table_.iloc[0]
    assert re.search(
        rf"{first['feature']}\s+\{{no checking account\}}\s+\d+\s+[\d.]+\s+[-\d.]+\s+"
        rf"{first['points']}\b",
        stdout,
    )
    for feature in card.features_:
        assert feature in stdout


def test_demo_writes_model_and_report(demo: dict[str, Any]) -> None:
    out = demo["out"]
    assert sorted(p.name for p in out.iterdir()) == [
        "ks.png",
        "model.json",
        "report.html",
        "report.md",
        "roc.png",
        "score_distribution.png",
    ]
    card = loanrisk.load(out / "model.json")
    assert type(card).__name__ == "ApplicationScorecard"
    assert card.fit_metadata_["n_rows"] == 700
    report = (out / "report.md").read_text(encoding="utf-8")
    gini = re.search(r"Holdout Gini: (\d\.\d{4})", demo["stdout"])
    assert gini is not None
    assert f"- **Holdout Gini**: {gini.group(1)}" in report
    for heading in (
        "## Cut-off table (holdout)",
        "## Scorecard",
        "## Feature selection",
    ):
        assert heading in report
    assert "![roc](roc.png)" in report
    # every input feature is in the selection record, dropped ones with a reason
    for feature, row in card.selection_.iterrows():
        assert f"| {feature} |" in report
        if not row["selected"]:
            assert row["reason"] in report
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<img src="ks.png"' in page
    assert (out / "roc.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_demo_shows_progress(demo: dict[str, Any]) -> None:
    lines = demo["stderr"].strip().splitlines()
    assert [line.split("]")[0] for line in lines] == [
        f"loanrisk demo: [{i}/5" for i in range(1, 6)
    ]
    assert "fitting ApplicationScorecard on 700 applications (210 bad)" in lines[1]


def test_demo_out_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("x")
    code, _, err = run("demo", "--out", str(target))
    assert code == 2
    line = one_error_line(err)
    assert str(target) in line


@pytest.fixture(scope="module")
def scoring_csv(
    tmp_path_factory: pytest.TempPathFactory, holdout: tuple[pd.DataFrame, pd.Series]
) -> tuple[Path, pd.DataFrame]:
    X_test, _ = holdout
    frame = X_test.head(40).copy()
    frame.insert(0, "app_id", [f"{i:04d}" for i in range(40)])
    frame["duration_in_month"] = frame["duration_in_month"].astype(float)
    frame.iloc[3, frame.columns.get_loc("duration_in_month")] = np.nan
    path = tmp_path_factory.mktemp("score") / "apps.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_score_writes_scores_and_reasons_in_input_order(
    demo: dict[str, Any], scoring_csv: tuple[Path, pd.DataFrame], tmp_path: Path
) -> None:
    path, frame = scoring_csv
    model = demo["out"] / "model.json"
    out = tmp_path / "scores.csv"
    code, _, err = run(
        "score",
        str(model),
        str(path),
        "-o",
        str(out),
        "--reasons",
        "2",
        "--id-column",
        "app_id",
    )
    assert code == 0, err
    assert "[3/3] wrote" in err
    result = pd.read_csv(out, dtype={"app_id": str})
    card = loanrisk.load(model)
    X = frame.drop(columns="app_id").reset_index(drop=True)
    expected = card.score(X)
    assert list(result.columns) == [
        "app_id",
        "score",
        "reason_1",
        "reason_1_bin",
        "reason_1_points_lost",
        "reason_2",
        "reason_2_bin",
        "reason_2_points_lost",
    ]
    assert result["app_id"].tolist() == frame["app_id"].tolist()  # "0003" kept
    assert result["score"].tolist() == expected.tolist()
    reasons = card.reasons(X, n=2)
    assert (
        result["reason_1"].fillna("").tolist()
        == reasons["reason_1"].fillna("").tolist()
    )
    assert (
        result["reason_2_points_lost"].tolist()
        == reasons["reason_2_points_lost"].tolist()
    )
    # the empty duration cell scored in the Missing bin
    bins = card.engine_.bins["duration_in_month"]
    pts = card.points(X.iloc[[3]])["duration_in_month"].iloc[0]
    assert pts == card.engine_.points["duration_in_month"][bins.missing_index]


def test_score_without_id_or_reasons(
    demo: dict[str, Any], scoring_csv: tuple[Path, pd.DataFrame], tmp_path: Path
) -> None:
    path, frame = scoring_csv
    out = tmp_path / "s.csv"
    code, _, _ = run(
        "score", str(demo["out"] / "model.json"), str(path), "-o", str(out)
    )
    assert code == 0
    result = pd.read_csv(out)
    assert list(result.columns) == ["score"]
    assert len(result) == len(frame)


@pytest.fixture()
def model(demo: dict[str, Any]) -> str:
    return str(demo["out"] / "model.json")


def _csv(tmp_path: Path, text: str) -> str:
    path = tmp_path / "in.csv"
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    return str(path)


def _edit(frame: pd.DataFrame, tmp_path: Path, **changes: Any) -> str:
    edited = frame.head(5).copy()
    for column, value in changes.items():
        edited[column] = edited[column].astype(object)
        edited.iloc[1, edited.columns.get_loc(column)] = value
    path = tmp_path / "in.csv"
    edited.to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"duration_in_month": "twelve"},
            r"Column 'duration_in_month' of .*in\.csv must hold numbers, but 1 "
            r"cell\(s\) do not \(data rows 2; e\.g\. \['twelve'\]\)",
        ),
        (
            {"purpose": "spaceship"},
            r"Column 'purpose' has 1 value\(s\) not seen when the model was fitted",
        ),
    ],
)
def test_score_bad_values(
    model: str,
    scoring_csv: tuple[Path, pd.DataFrame],
    tmp_path: Path,
    change: dict[str, Any],
    message: str,
) -> None:
    path = _edit(scoring_csv[1], tmp_path, **change)
    code, _, err = run("score", model, path, "-o", str(tmp_path / "o.csv"))
    assert code == 2
    assert re.search(message, one_error_line(err))
    assert not (tmp_path / "o.csv").exists()


def test_score_missing_column(
    model: str, scoring_csv: tuple[Path, pd.DataFrame], tmp_path: Path
) -> None:
    frame = scoring_csv[1].drop(columns=["duration_in_month", "purpose"])
    path = tmp_path / "in.csv"
    frame.to_csv(path, index=False)
    code, _, err = run("score", model, str(path), "-o", str(tmp_path / "o.csv"))
    assert code == 2
    assert re.search(
        r"in\.csv lacks the column\(s\) \['duration_in_month', 'purpose'\] that the "
        r"model needs",
        one_error_line(err),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"in\.csv is empty: expected a CSV file with a header row\."),
        ("HEADER\n", r"in\.csv has a header but no data rows: nothing to score\."),
        ('a,b\n1,2\n3,"4\n', r"in\.csv cannot be read as a CSV file \("),
        ("a,b\n\udcff,1\n", r"in\.csv cannot be read as a CSV file \('utf-8' codec"),
    ],
)
def test_score_bad_csv(model: str, tmp_path: Path, text: str, message: str) -> None:
    # HEADER: the model's columns, so that only the missing rows are wrong
    text = text.replace("HEADER", ",".join(loanrisk.load(model).features_))
    code, _, err = run("score", model, _csv(tmp_path, text), "-o", "o.csv")
    assert code == 2
    assert re.search(message, one_error_line(err))


def test_score_id_column_not_in_csv(
    model: str, scoring_csv: tuple[Path, pd.DataFrame], tmp_path: Path
) -> None:
    path, _ = scoring_csv
    code, _, err = run(
        "score", model, str(path), "-o", str(tmp_path / "o.csv"), "--id-column", "ID"
    )
    assert code == 2
    assert re.search(
        r"--id-column 'ID' is not a column of .*apps\.csv; its columns are "
        r"\['app_id', ",
        one_error_line(err),
    )


def test_score_missing_files(model: str, tmp_path: Path) -> None:
    code, _, err = run("score", str(tmp_path / "nope.json"), "x.csv", "-o", "o.csv")
    assert code == 2
    assert one_error_line(err) == f"loanrisk: error: no such file: {tmp_path}/nope.json"
    code, _, err = run("score", model, str(tmp_path / "nope.csv"), "-o", "o.csv")
    assert code == 2
    assert one_error_line(err) == f"loanrisk: error: no such file: {tmp_path}/nope.csv"


def test_score_untrusted_model_file(tmp_path: Path) -> None:
    bad = tmp_path / "model.json"
    bad.write_text("feature,bin\nage,1\n")
    code, _, err = run("score", str(bad), "x.csv", "-o", "o.csv")
    assert code == 2
    assert re.search(
        r"model\.json is not a valid model file: its JSON is corrupt",
        one_error_line(err),
    )


def test_score_output_folder_missing(
    model: str, scoring_csv: tuple[Path, pd.DataFrame], tmp_path: Path
) -> None:
    out = tmp_path / "no" / "such" / "dir" / "o.csv"
    code, _, err = run("score", model, str(scoring_csv[0]), "-o", str(out))
    assert code == 2
    assert one_error_line(err) == (
        f"loanrisk: error: the folder of the output file {out} does not exist: "
        "create it first."
    )
    assert "[2/3]" not in err  # checked before any work


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["score", "m.json", "x.csv"], "the following arguments are required: -o"),
        (
            ["score", "m.json", "x.csv", "-o", "o.csv", "--reasons", "0"],
            "argument --reasons: expected a positive whole number, got '0'",
        ),
        (["fit"], "argument COMMAND: invalid choice: 'fit'"),
    ],
)
def test_usage_errors_are_one_line(argv: list[str], message: str) -> None:
    code, _, err = run(*argv)
    assert code == 2
    line = one_error_line(err)
    assert message in line
    assert line.endswith("--help' for usage)")


def test_no_command_prints_help() -> None:
    code, out, err = run()
    assert code == 2
    assert out == ""
    assert "usage: loanrisk" in err and "demo" in err and "score" in err


def test_debug_shows_traceback(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.json")
    for argv in (["--debug", "score"], ["score", "--debug"]):
        code, _, err = run(*argv, missing, "x.csv", "-o", "o.csv")
        assert code == 2
        assert err.startswith("Traceback (most recent call last):")
        assert (
            err.strip().splitlines()[-1] == f"loanrisk: error: no such file: {missing}"
        )
    _, _, err = run("score", missing, "x.csv", "-o", "o.csv")
    assert "Traceback" not in err


def test_unexpected_error_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(path: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(loanrisk, "load", boom)
    code, _, err = run("score", "m.json", "x.csv", "-o", "o.csv")
    assert code == 1
    assert one_error_line(err) == (
        "loanrisk: error: unexpected RuntimeError: boom second line (run with --debug "
        "for the traceback)"
    )


@pytest.mark.filterwarnings("always::loanrisk.errors.LoanRiskWarning")
def test_warnings_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def warn(path: object) -> None:
        warnings.warn("coefficients\n  have the wrong sign", LoanRiskWarning, 2)
        raise FileNotFoundError(2, "No such file or directory", "m.json")

    monkeypatch.setattr(loanrisk, "load", warn)
    code, _, err = run("score", "m.json", "x.csv", "-o", "o.csv")
    assert code == 2
    assert err.splitlines() == [
        "loanrisk: warning: coefficients have the wrong sign",
        "loanrisk: error: no such file: m.json",
    ]


def test_version_in_process() -> None:
    code, out, _ = run("--version")
    assert code == 0
    assert out == f"loanrisk {loanrisk.__version__}\n"


def test_python_m_loanrisk_version_is_light() -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "loanrisk", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"loanrisk {loanrisk.__version__}\n"
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in proc.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "loanrisk" in imported
    assert not imported.intersection(HEAVY)
