"""The ``loanrisk`` command line: ``demo``, ``score``, ``validate``, ``--version``.

Run ``loanrisk --help`` (or ``python -m loanrisk --help``). Importing this module is
light: pandas, the fitting code and matplotlib are imported by the subcommand that
needs them.

Errors end in one line ``loanrisk: error: ...`` on stderr and exit code 2 (bad input,
missing file, untrusted model file) or 1 (an unexpected failure); ``--debug`` also
prints the traceback. Progress lines go to stderr, results to stdout.

.. versionadded:: 0.1.0

Examples
--------
>>> from loanrisk.cli import main
>>> main(["--version"])  # doctest: +ELLIPSIS
loanrisk ...
0
"""

from __future__ import annotations

import argparse
import html
import sys
import time
import traceback
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from loanrisk._version import __version__
from loanrisk.errors import InputError, LoanRiskError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["main"]

PROG = "loanrisk"
DEMO_SEED = 42
DEMO_TEST_SIZE = 0.3
#: Cell texts read as missing in numeric columns of ``loanrisk score`` input (an
#: empty cell is missing in every column; categorical text is never reinterpreted).
NUMERIC_NA = frozenset(
    {"", "NA", "N/A", "n/a", "NaN", "nan", "NULL", "null", "None", "#N/A", "-"}
)


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose usage errors are one ``loanrisk: error:`` line."""

    def error(self, message: str) -> NoReturn:
        hint = f"run '{self.prog} --help' for usage"
        print(f"{PROG}: error: {message} ({hint})", file=sys.stderr)
        raise SystemExit(2)


class _Progress:
    """Progress lines on stderr: ``loanrisk demo: [2/5] fitting ... (0.4 s)``."""

    def __init__(self, command: str, steps: int, stream: TextIO) -> None:
        self.command = command
        self.steps = steps
        self.step = 0
        self.stream = stream
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        self.step += 1
        elapsed = time.perf_counter() - self.start
        print(
            f"{PROG} {self.command}: [{self.step}/{self.steps}] {message} "
            f"({elapsed:.1f} s)",
            file=self.stream,
            flush=True,
        )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive whole number, got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"expected a positive whole number, got {text!r}"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``loanrisk`` command."""
    parser = _Parser(
        prog=PROG,
        description="loanrisk: credit scorecards and loan-risk tools.",
        epilog="Run 'loanrisk COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="print the traceback of an error"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    debug = _Parser(add_help=False)
    debug.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print the traceback of an error",
    )

    demo = sub.add_parser(
        "demo",
        parents=[debug],
        help="fit a scorecard on the bundled German credit data",
        description=(
            "Fit an application scorecard on 70%% of the bundled German credit data "
            "(stratified split, fixed seed), print the holdout Gini and KS and the "
            "scorecard table, and write DIR/model.json and a report into DIR."
        ),
    )
    demo.add_argument(
        "--out",
        metavar="DIR",
        default="demo-output",
        help="output folder, created if needed (default: demo-output)",
    )
    demo.set_defaults(func=_demo)

    score = sub.add_parser(
        "score",
        parents=[debug],
        help="score a CSV file with a saved model",
        description=(
            "Score every row of INPUT (CSV with a header) with the model saved in "
            "MODEL (loanrisk.save) and write OUTPUT (CSV) in the same row order. The "
            "model's categorical columns are read as text; an empty cell is a "
            "missing value."
        ),
    )
    score.add_argument("model", metavar="MODEL", help="model file (JSON)")
    score.add_argument("input", metavar="INPUT.csv", help="rows to score")
    score.add_argument(
        "-o", "--output", metavar="OUTPUT.csv", required=True, help="scores file"
    )
    score.add_argument(
        "--reasons",
        metavar="N",
        type=_positive_int,
        default=0,
        help="add the N main reason codes of each row",
    )
    score.add_argument(
        "--id-column",
        metavar="COL",
        default=None,
        help="copy this input column (read as text) to the output first",
    )
    score.set_defaults(func=_score)

    validate = sub.add_parser(
        "validate",
        parents=[debug],
        help="run the validation battery of a saved model on two CSV samples",
        description=(
            "Run loanrisk.validation.validate on the model saved in MODEL with the "
            "development sample DEV.csv and the current sample CUR.csv (CSV files "
            "with a header, the model's columns and the 0/1 target column), and "
            "write a self-contained HTML report. Prints the overall verdict."
        ),
    )
    validate.add_argument("model", metavar="MODEL", help="model file (JSON)")
    validate.add_argument(
        "--dev", metavar="DEV.csv", required=True, help="development sample"
    )
    validate.add_argument(
        "--current", metavar="CUR.csv", required=True, help="current sample"
    )
    validate.add_argument(
        "--target", metavar="COL", default="bad", help="0/1 outcome column (bad)"
    )
    validate.add_argument(
        "--out", metavar="REPORT.html", required=True, help="HTML report file"
    )
    validate.add_argument(
        "--json", metavar="REPORT.json", default=None, help="also write to_dict()"
    )
    validate.set_defaults(func=_validate)

    schedule = sub.add_parser(
        "schedule",
        parents=[debug],
        help="print or write the repayment schedule of one loan",
        description=(
            "Build the contractual schedule of one loan with loanrisk.repayment.Loan "
            "and print it with its summary (total paid, interest, fees, APR), or "
            "write it to a CSV file. RATE is the nominal annual rate as a fraction "
            "(0.07) or a percentage (7%%)."
        ),
    )
    schedule.add_argument("principal", metavar="AMOUNT", type=float, help="principal")
    schedule.add_argument("rate", metavar="RATE", type=_rate, help="annual rate")
    schedule.add_argument("term", metavar="TERM", type=_positive_int, help="periods")
    schedule.add_argument(
        "--kind",
        default="annuity",
        help="annuity, linear, interest_only or balloon (default: annuity)",
    )
    schedule.add_argument(
        "--frequency", default="monthly", help="monthly, quarterly, fortnightly, weekly"
    )
    schedule.add_argument("--start", default=None, help="start date, e.g. 2025-01-15")
    schedule.add_argument(
        "--day-count", default="30/360", help="30/360, ACT/365, ACT/360 or ACT/ACT"
    )
    schedule.add_argument("--upfront-fee", type=float, default=0.0)
    schedule.add_argument("--periodic-fee", type=float, default=0.0)
    schedule.add_argument("--balloon", type=float, default=0.0)
    schedule.add_argument(
        "-o", "--output", metavar="OUT.csv", default=None, help="write the schedule"
    )
    schedule.set_defaults(func=_schedule)
    return parser


def _rate(text: str) -> float:
    """An annual rate given as a fraction (0.07) or a percentage (7%)."""
    value = text.strip()
    try:
        if value.endswith("%"):
            return float(value[:-1]) / 100.0
        return float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"RATE must be a number such as 0.07 or 7%; got {text!r}"
        ) from None


def _schedule(args: argparse.Namespace) -> int:
    import pandas as pd

    from loanrisk.repayment import Loan

    loan = Loan(
        args.principal,
        args.rate,
        args.term,
        kind=args.kind,
        start=args.start,
        frequency=args.frequency,
        day_count=args.day_count,
        upfront_fee=args.upfront_fee,
        periodic_fee=args.periodic_fee,
        balloon=args.balloon,
    )
    table = loan.schedule()
    summary = loan.summary()
    if args.output is not None:
        out = Path(args.output)
        if not out.resolve().parent.is_dir():
            raise InputError(
                f"the folder of the output file {out} does not exist: create it first."
            )
        table.to_csv(out, index=False)
        print(f"wrote {len(table)} periods to {out}")
    else:
        with pd.option_context("display.max_rows", 1000, "display.width", 120):
            print(table.to_string(index=False))
    for key, value in summary.items():
        if key in ("apr", "ear"):
            print(f"{key}: {float(value):.4%}")
        elif isinstance(value, float):
            print(f"{key}: {value:,.2f}")
        else:
            print(f"{key}: {value}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``loanrisk`` command and return its exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        0 on success, 2 for bad input or usage, 1 for an unexpected error.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else 2
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        try:
            return int(args.func(args))
        except KeyboardInterrupt:
            print(f"{PROG}: interrupted", file=sys.stderr)
            return 130
        except (LoanRiskError, OSError) as exc:
            _report(exc, args.debug, _describe(exc))
            return 2
        except Exception as exc:
            message = f"unexpected {type(exc).__name__}: {exc}" + (
                "" if args.debug else " (run with --debug for the traceback)"
            )
            _report(exc, args.debug, message)
            return 1


def _describe(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError) and exc.filename is not None:
        return f"no such file: {exc.filename}"
    if isinstance(exc, OSError) and exc.filename is not None:
        return f"{exc.strerror or type(exc).__name__}: {exc.filename}"
    return str(exc)


def _report(exc: BaseException, debug: bool, message: str) -> None:
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    print(f"{PROG}: warning: {' '.join(str(message).split())}", file=sys.stderr)


# -- demo ---------------------------------------------------------------------------
def _demo(args: argparse.Namespace) -> int:
    from sklearn.model_selection import train_test_split

    import loanrisk
    from loanrisk.datasets import load_german_credit
    from loanrisk.metrics import gini, ks
    from loanrisk.scorecard import ApplicationScorecard
    from loanrisk.strategy import cutoff_table

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)  # fail before the work, not after
    progress = _Progress("demo", 5, sys.stderr)
    progress("loading the bundled German credit data")
    X, y = load_german_credit(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=DEMO_TEST_SIZE, stratify=y, random_state=DEMO_SEED
    )
    progress(
        f"fitting ApplicationScorecard on {len(X_train)} applications "
        f"({int(y_train.sum())} bad); {len(X_test)} held out"
    )
    card = ApplicationScorecard().fit(X_train, y_train)
    progress("scoring the holdout")
    scores = card.score(X_test)
    holdout_gini = gini(y_test, scores, higher_is_riskier=False)
    holdout_ks = ks(y_test, scores, higher_is_riskier=False)
    train_gini = gini(y_train, card.score(X_train), higher_is_riskier=False)
    cutoffs = cutoff_table(scores, y_test, bands=5)

    progress(f"writing the model and the report to {out}")
    model_path = loanrisk.save(card, out / "model.json")
    figures = _demo_figures(out, scores, y_test)
    facts = {
        "Data": "German credit (1,000 applications, 300 bad), bundled with loanrisk",
        "Split": f"stratified {1 - DEMO_TEST_SIZE:.0%} / {DEMO_TEST_SIZE:.0%}, "
        f"random_state={DEMO_SEED}",
        "Training rows": len(X_train),
        "Holdout rows": len(X_test),
        "Features selected": f"{len(card.features_)} of {card.n_features_in_}",
        "Holdout Gini": f"{holdout_gini:.4f}",
        "Holdout KS": f"{holdout_ks.statistic:.4f} (at score {holdout_ks.score:g})",
        "Training Gini": f"{train_gini:.4f}",
        "Score range": f"{card.score_range_[0]} to {card.score_range_[1]}",
        "Model file": model_path.name,
        "loanrisk version": __version__,
    }
    table = _compact_table(card.table_)
    selection = card.selection_.reset_index()
    (out / "report.md").write_text(
        _report_markdown(facts, table, selection, cutoffs, figures), encoding="utf-8"
    )
    (out / "report.html").write_text(
        _report_html(facts, table, selection, cutoffs, figures), encoding="utf-8"
    )
    progress("done")

    import pandas as pd

    print(f"Holdout Gini: {holdout_gini:.4f}")
    print(f"Holdout KS:   {holdout_ks.statistic:.4f}")
    print()
    print("Scorecard (points per bin; higher = safer):")
    shown = table.assign(bin=table["bin"].map(_shorten))
    with pd.option_context("display.width", 160, "display.max_rows", 1000):
        print(shown.to_string(index=False))
    print()
    written = ["model.json", "report.md", "report.html", *figures]
    print(f"Wrote {', '.join(written)} to {out}")
    return 0


def _shorten(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _compact_table(table: pd.DataFrame) -> pd.DataFrame:
    """The scorecard table without empty Special/Missing rows, rounded for reading."""
    keep = table["count"] > 0
    keep |= ~table["bin"].isin(["Special", "Missing"])
    out = table.loc[keep, ["feature", "bin", "count", "bad_rate", "woe", "points"]]
    out = out.assign(
        count=out["count"].round().astype("int64"),
        bad_rate=out["bad_rate"].round(3),
        woe=out["woe"].round(3),
    )
    return out.reset_index(drop=True)


def _demo_figures(out: Path, scores: pd.Series, y: pd.Series) -> list[str]:
    """Save the holdout charts as PNG files; none when matplotlib is missing."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        print(
            f"{PROG} demo: matplotlib is not installed: the report has no charts "
            '(pip install "loanrisk[plot]").',
            file=sys.stderr,
        )
        return []
    from loanrisk.plotting import plot_ks, plot_roc, plot_score_distribution

    names = []
    charts: list[tuple[str, Any]] = [
        ("score_distribution.png", lambda ax: plot_score_distribution(scores, y, ax)),
        ("roc.png", lambda ax: plot_roc(y, scores, higher_is_riskier=False, ax=ax)),
        ("ks.png", lambda ax: plot_ks(y, scores, higher_is_riskier=False, ax=ax)),
    ]
    for name, draw in charts:
        fig = Figure(figsize=(6.5, 4.2), layout="tight")
        draw(fig.add_subplot())
        fig.savefig(out / name, dpi=90)
        names.append(name)
    return names


def _md_table(frame: pd.DataFrame) -> str:
    def cell(v: object) -> str:
        if isinstance(v, float):
            return f"{v:.4g}"
        return str(v).replace("|", "\\|")

    head = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = [
        "| " + " | ".join(cell(v) for v in row) + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([head, rule, *body])


_REPORT_INTRO = (
    "An application scorecard (WoE binning, logistic regression, points: higher = "
    "safer) fitted with `loanrisk demo`. Figures are on the holdout unless stated."
)


def _report_markdown(
    facts: dict[str, object],
    table: pd.DataFrame,
    selection: pd.DataFrame,
    cutoffs: pd.DataFrame,
    figures: list[str],
) -> str:
    lines = ["# loanrisk demo report", "", _REPORT_INTRO, ""]
    lines += [f"- **{k}**: {v}" for k, v in facts.items()]
    if figures:
        lines += ["", "## Charts", ""]
        lines += [f"![{Path(f).stem}]({f})" for f in figures]
    lines += ["", "## Cut-off table (holdout)", "", _md_table(cutoffs)]
    lines += ["", "## Scorecard", "", _md_table(table)]
    lines += ["", "## Feature selection", "", _md_table(selection), ""]
    return "\n".join(lines)


def _report_html(
    facts: dict[str, object],
    table: pd.DataFrame,
    selection: pd.DataFrame,
    cutoffs: pd.DataFrame,
    figures: list[str],
) -> str:
    def frame_html(frame: pd.DataFrame) -> str:
        return frame.to_html(index=False, float_format=lambda v: f"{v:.4g}", border=0)

    rows = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
        for k, v in facts.items()
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>loanrisk demo report</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        "table{border-collapse:collapse}td,th{padding:2px 8px;text-align:left;"
        "border-bottom:1px solid #ddd}</style></head><body>",
        "<h1>loanrisk demo report</h1>",
        f"<p>{html.escape(_REPORT_INTRO).replace('`loanrisk demo`', '<code>loanrisk demo</code>')}</p>",  # noqa: E501
        f"<table>{rows}</table>",
    ]
    if figures:
        parts.append("<h2>Charts</h2>")
        parts += [f'<img src="{html.escape(f)}" alt="{Path(f).stem}">' for f in figures]
    parts += [
        "<h2>Cut-off table (holdout)</h2>",
        frame_html(cutoffs),
        "<h2>Scorecard</h2>",
        frame_html(table),
        "<h2>Feature selection</h2>",
        frame_html(selection),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


# -- score --------------------------------------------------------------------------
def _score(args: argparse.Namespace) -> int:
    import loanrisk

    progress = _Progress("score", 3, sys.stderr)
    if not Path(args.output).resolve().parent.is_dir():
        raise InputError(
            f"the folder of the output file {args.output} does not exist: create it "
            "first."
        )
    model = loanrisk.load(args.model)
    if not callable(getattr(model, "_input_kinds", None)):
        raise InputError(
            f"{args.model} holds a {type(model).__name__}, which gives no points "
            "score; loanrisk score needs a scorecard model file."
        )
    if args.reasons and not callable(getattr(model, "reasons", None)):
        raise InputError(
            f"{type(model).__name__} gives no reason codes; drop --reasons."
        )
    progress(f"loaded {type(model).__name__} from {args.model}")
    frame, ids = read_scoring_csv(args.input, model, id_column=args.id_column)
    scores = model.score(frame)
    columns: dict[str, Any] = {}
    if ids is not None:
        columns[args.id_column] = ids
    columns["score"] = scores
    import pandas as pd

    result = pd.DataFrame(columns, index=frame.index)
    if args.reasons:
        result = result.join(model.reasons(frame, n=args.reasons))
    progress(f"scored {len(result)} rows of {args.input}")
    result.to_csv(args.output, index=False)
    progress(f"wrote {args.output}")
    return 0


# -- validate -----------------------------------------------------------------------
def _validate(args: argparse.Namespace) -> int:
    import json

    import loanrisk
    from loanrisk.validation import validate

    progress = _Progress("validate", 3, sys.stderr)
    for out in (args.out, args.json):
        if out is not None and not Path(out).resolve().parent.is_dir():
            raise InputError(
                f"the folder of the output file {out} does not exist: create it first."
            )
    model = loanrisk.load(args.model)
    if not callable(getattr(model, "_input_kinds", None)):
        raise InputError(
            f"{args.model} holds a {type(model).__name__}; loanrisk validate needs a "
            "scorecard model file."
        )
    progress(f"loaded {type(model).__name__} from {args.model}")
    dev = _read_sample(args.dev, model, args.target)
    cur = _read_sample(args.current, model, args.target)
    progress(f"read {len(dev[1])} development and {len(cur[1])} current rows")
    report = validate(
        model,
        dev,
        cur,
        periods={
            "development": Path(args.dev).name,
            "current": Path(args.current).name,
        },
    )
    report.to_html(args.out)
    if args.json is not None:
        Path(args.json).write_text(
            json.dumps(report.to_dict(), indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
    progress(f"wrote {args.out}")
    frame = report.tests_frame()
    counts = frame["verdict"].value_counts().sort_index()
    print(f"Overall: {report.overall}")
    print("Verdicts: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def _read_sample(path: str, model: Any, target: str) -> tuple[pd.DataFrame, pd.Series]:
    """Features (as ``read_scoring_csv``) and the 0/1 target column of a CSV."""
    import numpy as np
    import pandas as pd

    frame, _ = read_scoring_csv(path, model)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    if target not in raw.columns:
        raise InputError(
            f"--target {target!r} is not a column of {path}; its columns are "
            f"{list(raw.columns)[:10]}{' ...' if raw.shape[1] > 10 else ''}."
        )
    text = raw[target].str.strip()
    bad = ~text.isin(["0", "1"])
    if bad.any():
        rows = np.flatnonzero(bad.to_numpy()) + 1
        shown = ", ".join(str(r) for r in rows[:3]) + (", ..." if len(rows) > 3 else "")
        raise InputError(
            f"Column {target!r} of {path} must hold 0 (good) or 1 (bad), but "
            f"{len(rows)} cell(s) do not (data rows {shown}). Fix them or drop "
            "those rows."
        )
    return frame, text.astype("int64").rename(target)


def read_scoring_csv(
    path: str | Path, model: Any, *, id_column: str | None = None
) -> tuple[pd.DataFrame, pd.Series | None]:
    """Read a CSV to score with ``model``: exact text, numbers only where expected.

    Every cell is read as text first. The model's numerical features are converted
    to numbers (an empty cell or one of :data:`NUMERIC_NA` is missing; any other
    text is an error naming the column and rows). Categorical features stay text
    (only an empty cell is missing), unless the model's categories are numbers.
    Other columns are left as text; the id column is returned separately, as text.

    Raises
    ------
    InputError
        If the file is not a readable CSV, has no data rows, lacks a model column or
        the id column, or holds text in a numerical column.
    """
    import pandas as pd

    name = str(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:
        raise InputError(
            f"{name} is empty: expected a CSV file with a header row."
        ) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        detail = " ".join(str(exc).split())
        raise InputError(
            f"{name} cannot be read as a CSV file ({detail}). Save it as "
            "comma-separated UTF-8 text with a header row."
        ) from None
    schema = model._input_kinds()
    kinds = {f: kind for f, (kind, _) in schema.items()}
    missing = [f for f in kinds if f not in raw.columns]
    if missing:
        raise InputError(
            f"{name} lacks the column(s) {missing} that the model needs (it needs "
            f"{list(kinds)}; other columns are ignored)."
        )
    if id_column is not None and id_column not in raw.columns:
        raise InputError(
            f"--id-column {id_column!r} is not a column of {name}; its columns are "
            f"{list(raw.columns)[:10]}{' ...' if raw.shape[1] > 10 else ''}."
        )
    if raw.empty:
        raise InputError(f"{name} has a header but no data rows: nothing to score.")
    data: dict[str, pd.Series] = {}
    for feature, kind in kinds.items():
        column = raw[feature]
        known = schema[feature][1]
        if kind == "numerical" or (
            known and not any(isinstance(v, str) for v in known)
        ):
            data[feature] = _to_numbers(column, feature, name)
        else:
            data[feature] = column
    frame = pd.DataFrame(data, index=raw.index)
    ids = raw[id_column] if id_column is not None else None
    return frame, ids


def _to_numbers(column: pd.Series, feature: str, name: str) -> pd.Series:
    import numpy as np
    import pandas as pd

    text = column.str.strip()
    na = column.isna() | text.isin(NUMERIC_NA)
    numbers = pd.to_numeric(text.where(~na), errors="coerce")
    bad = numbers.isna() & ~na
    if bad.any():
        rows = np.flatnonzero(bad.to_numpy()) + 1
        shown = ", ".join(str(r) for r in rows[:3]) + (", ..." if len(rows) > 3 else "")
        examples = sorted(set(column[bad].iloc[:3]))
        raise InputError(
            f"Column {feature!r} of {name} must hold numbers, but {len(rows)} "
            f"cell(s) do not (data rows {shown}; e.g. {examples}). Fix them, or "
            "leave a cell empty for a missing value."
        )
    return numbers.astype(float)
