"""Validate the German credit scorecard and write the Markdown validation report.

The scorecard is fitted on a fixed 70/30 split of the German credit data: rows 1-700
are the development sample, rows 701-1000 the sample under validation. ``validate``
runs the battery and the report is written as Markdown, preceded by a paragraph that
says how it was made. The script prints the overall verdict and the tests that did
not pass.

    python examples/validation_report.py                # writes to a temporary folder
    python examples/validation_report.py report.md      # writes report.md

``docs/validation-report-example.md`` is this script's output, regenerated with::

    python examples/validation_report.py docs/validation-report-example.md

Same data, same library version: the same bytes (a test checks it).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import loanrisk
from loanrisk.scorecard import ApplicationScorecard
from loanrisk.validation import ValidationReport, validate

DOCS_PAGE = "docs/validation-report-example.md"

HEADER = f"""\
> **How this page was made.** This is the complete output of
> `ValidationReport.to_markdown()` for the walk-through of the
> [validation guide](user-guide/validation.md): an `ApplicationScorecard` with default
> settings fitted on rows 1-700 of the German credit data (the development sample)
> and validated with `loanrisk.validation.validate` on rows 701-1000 (the current
> sample). It was generated, from the root of the repository, with
> `python examples/validation_report.py {DOCS_PAGE}`; running that command again
> with the same loanrisk version reproduces this file byte for byte.
"""


def make_report() -> ValidationReport:
    """Fit the scorecard on the fixed 70/30 split and run the validation battery."""
    X, y = loanrisk.datasets.load_german_credit(return_X_y=True)  # y: 1 = bad
    dev = (X.iloc[:700], y.iloc[:700])
    cur = (X.iloc[700:], y.iloc[700:])
    card = ApplicationScorecard().fit(*dev)
    return validate(
        card,
        dev,
        cur,
        periods={"development": "rows 1-700", "current": "rows 701-1000"},
    )


def report_markdown(report: ValidationReport) -> str:
    """The documentation page: the header paragraph, then ``report.to_markdown()``."""
    return HEADER + "\n" + report.to_markdown()


def write_report(path: str | Path) -> tuple[ValidationReport, Path]:
    """Validate and write the page to `path` (UTF-8, ``\\n`` line endings)."""
    report = make_report()
    out = Path(path)
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(report_markdown(report))
    return report, out


def _summary(report: ValidationReport, out: Path) -> None:
    tests = report.tests_frame()
    print(f"overall verdict: {report.overall}")
    print(f"{len(tests)} tests in {tests['section'].nunique()} sections")
    print(tests["verdict"].value_counts().to_string())
    flagged = tests[~tests["verdict"].isin(["green", "pass", "info"])]
    if len(flagged):
        print("not passed:")
        print(flagged[["section", "test", "grade", "verdict"]].to_string(index=False))
    print(f"Markdown report: {out} ({out.stat().st_size:,} bytes)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "out",
        nargs="?",
        help="Markdown file to write (default: a temporary folder, removed at exit)",
    )
    args = parser.parse_args(argv)
    if args.out is not None:
        report, out = write_report(args.out)
        _summary(report, out)
        return
    with tempfile.TemporaryDirectory() as folder:
        report, out = write_report(Path(folder) / "validation-report.md")
        _summary(report, out)
        print("(written to a temporary folder, removed now; pass a path to keep it)")


if __name__ == "__main__":
    main()
