"""ValidationReport: the result of ``validate``, as dict, Markdown or HTML (private)."""

from __future__ import annotations

import base64
import copy
import html
import io
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from loanrisk.metrics._result import jsonable

__all__ = ["ValidationReport"]

_RANK = {"green": 0, "pass": 0, "info": 0, "yellow": 1, "fail": 2, "red": 2}
_LIGHT = {0: "green", 1: "yellow", 2: "red"}


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float | np.floating):
        return "" if np.isnan(v) else f"{float(v):.4g}"
    if isinstance(v, list):
        return (
            "[" + ", ".join(_fmt(x) for x in v[:8]) + (", ..." if len(v) > 8 else "]")
        )
    return str(v)


class ValidationReport:
    """The validation battery's results, with provenance, as dict, Markdown or HTML.

    .. versionadded:: 0.1.0

    Made by :func:`loanrisk.validation.validate`; not built by hand.

    Attributes
    ----------
    provenance : dict
        loanrisk version, model class, and per sample the data fingerprint, rows,
        bads and period; the settings (master scale, bins, levels).
    sections : list of dict
        discrimination, calibration, stability, concentration: each with ``tests``
        (rows of test, sample, grade, statistic, pvalue, threshold, verdict, source)
        and ``tables``.
    overall : str
        "red" if any test is red or fails, "yellow" if any is yellow, else "green".
    """

    def __init__(
        self,
        provenance: dict[str, Any],
        sections: list[dict[str, Any]],
        plot_data: dict[str, Any] | None = None,
    ) -> None:
        self.provenance = jsonable(provenance)
        self.sections = [jsonable(s) for s in sections]
        self._plot_data = plot_data or {}
        worst = max(
            (
                _RANK.get(str(t["verdict"]), 0)
                for s in self.sections
                for t in s["tests"]
            ),
            default=0,
        )
        self.overall = _LIGHT[worst]

    def __repr__(self) -> str:
        n = sum(len(s["tests"]) for s in self.sections)
        return f"ValidationReport(overall={self.overall!r}, tests={n})"

    def to_dict(self) -> dict[str, Any]:
        """The whole report as plain JSON types (NaN and infinities become None)."""
        out = {
            "report": "loanrisk.validation",
            "overall": self.overall,
            "provenance": copy.deepcopy(self.provenance),
            "sections": copy.deepcopy(self.sections),
        }
        json.dumps(out, allow_nan=False)  # fail loudly here, not in the caller
        return out

    def tests_frame(self) -> pd.DataFrame:
        """Every test of every section as one DataFrame (one row per test)."""
        rows = [{"section": s["name"], **t} for s in self.sections for t in s["tests"]]
        return pd.DataFrame(rows)

    # -- text ---------------------------------------------------------------
    def _data_line(self, samples: list[str]) -> str:
        parts = []
        for name in samples:
            info = self.provenance["samples"].get(name)
            if info is None:
                continue
            period = f", period {info['period']}" if info.get("period") else ""
            parts.append(
                f"{name}: {info['rows']} rows, {info['bads']} bads{period}, "
                f"{info['fingerprint']}"
            )
        version = self.provenance["loanrisk_version"]
        return "Data: " + "; ".join(parts) + f". loanrisk {version}."

    def to_markdown(self) -> str:
        """The report as Markdown text (tables in GitHub pipe format)."""
        p = self.provenance
        lines = [
            "# Model validation report",
            "",
            f"- **Overall**: {self.overall}",
            f"- **Model**: {p['model_class']} (trained on "
            f"{p['model_training_fingerprint']})",
            f"- **Score**: {p['score']}",
            f"- **loanrisk version**: {p['loanrisk_version']}",
        ]
        for name, info in p["samples"].items():
            lines.append(
                f"- **{name}**: {info['rows']} rows, {info['bads']} bads, period "
                f"{info['period'] or 'not given'}, fingerprint `{info['fingerprint']}`"
            )
        s = p["settings"]
        lines.append(
            f"- **Master scale**: {s['master_scale_rule']}; PD upper bounds "
            f"{[round(b, 6) for b in s['master_scale']['upper_bounds']]}"
        )
        for sec in self.sections:
            lines += ["", f"## {sec['title']}", "", sec["note"], ""]
            lines += [self._data_line(sec["samples"]), ""]
            cols = ["test", "grade", "statistic", "pvalue", "threshold", "verdict"]
            lines.append(_md(pd.DataFrame(sec["tests"])[cols]))
            for tname, records in sec["tables"].items():
                frame = pd.DataFrame(records)
                lines += ["", f"### {tname.replace('_', ' ')}", "", _md(frame)]
        lines += ["", "## Sources", ""]
        sources = sorted({t["source"] for s in self.sections for t in s["tests"]})
        lines += [f"- {src}" for src in sources]
        return "\n".join(lines) + "\n"

    def to_html(self, path: str | os.PathLike[str]) -> Path:
        """Write the report as one self-contained HTML file and return its path.

        Charts (ROC curves, score distributions, observed vs predicted default rate
        per grade) are embedded as base64 PNG when matplotlib is installed; without
        it the file holds the tables only.
        """
        figures = self._figures()
        p = self.provenance
        out = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            "<title>loanrisk validation report</title>",
            "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto}"
            "table{border-collapse:collapse;margin:.5em 0}td,th{padding:2px 8px;"
            "text-align:left;border-bottom:1px solid #ddd}.green{background:#d8f0d8}"
            ".yellow{background:#fff3c4}.red,.fail{background:#f8d0d0}"
            ".pass{background:#d8f0d8}figcaption{font-size:80%;color:#555}</style>",
            "</head><body>",
            "<h1>Model validation report</h1>",
            f'<p>Overall: <span class="{self.overall}">{self.overall}</span>. Model '
            f"{html.escape(p['model_class'])}, score {html.escape(p['score'])}, "
            f"loanrisk {html.escape(p['loanrisk_version'])}.</p>",
            _html_table(
                pd.DataFrame([{"sample": k, **v} for k, v in p["samples"].items()])
            ),
        ]
        for sec in self.sections:
            out.append(f"<h2>{html.escape(sec['title'])}</h2>")
            out.append(f"<p>{html.escape(sec['note'])}</p>")
            out.append(
                f"<p><small>{html.escape(self._data_line(sec['samples']))}</small></p>"
            )
            out.append(_html_table(pd.DataFrame(sec["tests"]), verdicts=True))
            data_line = self._data_line(sec["samples"])
            for caption, png in figures.get(sec["name"], []):
                out.append(
                    f'<figure><img alt="{html.escape(caption)}" '
                    f'src="data:image/png;base64,{png}"><figcaption>'
                    f"{html.escape(caption)} {html.escape(data_line)}"
                    "</figcaption></figure>"
                )
            for tname, records in sec["tables"].items():
                out.append(f"<h3>{html.escape(tname.replace('_', ' '))}</h3>")
                out.append(_html_table(pd.DataFrame(records), verdicts=True))
        out.append("</body></html>")
        target = Path(path)
        target.write_text("\n".join(out) + "\n", encoding="utf-8")
        return target

    def _figures(self) -> dict[str, list[tuple[str, str]]]:
        try:
            from matplotlib.figure import Figure
        except ImportError:  # pragma: no cover - optional dependency
            return {}
        from sklearn.metrics import roc_curve

        data = self._plot_data
        if not data:
            return {}
        figs: dict[str, list[tuple[str, str]]] = {}
        hir = bool(data["higher_is_riskier"])

        def png(fig: Any) -> str:
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=80, metadata={"Software": None})
            return base64.b64encode(buf.getvalue()).decode("ascii")

        fig = Figure(figsize=(5, 4), layout="tight")
        ax = fig.add_subplot()
        for name, (y, s) in data["roc"].items():
            fpr, tpr, _ = roc_curve(y, s if hir else -np.asarray(s))
            ax.plot(fpr, tpr, label=name)
        ax.plot([0, 1], [0, 1], color="grey", linestyle=":")
        ax.set_xlabel("false positive rate (goods)")
        ax.set_ylabel("true positive rate (bads)")
        ax.legend()
        figs["discrimination"] = [("ROC curves.", png(fig))]

        fig = Figure(figsize=(5, 4), layout="tight")
        ax = fig.add_subplot()
        dev, cur = data["scores"]
        edges = np.histogram_bin_edges(np.concatenate([dev, cur]), bins=30).tolist()
        ax.hist(dev, bins=edges, density=True, alpha=0.5, label="development")
        ax.hist(cur, bins=edges, density=True, alpha=0.5, label="current")
        ax.set_xlabel("score")
        ax.legend()
        figs["stability"] = [("Score distributions.", png(fig))]

        grades = next(s for s in self.sections if s["name"] == "calibration")
        rows = [r for r in grades["tables"]["grades"] if r["n"]]
        fig = Figure(figsize=(5, 4), layout="tight")
        ax = fig.add_subplot()
        x = np.arange(len(rows))
        ax.bar(x - 0.2, [r["observed_rate"] for r in rows], 0.4, label="observed")
        ax.bar(x + 0.2, [r["mean_pd"] for r in rows], 0.4, label="mean PD")
        ax.set_xticks(x, [r["grade"] for r in rows])
        ax.set_ylabel("default rate")
        ax.legend()
        figs["calibration"] = [
            ("Observed default rate and mean PD per grade.", png(fig))
        ]
        return figs


def _md(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "(none)"
    head = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = [
        "| " + " | ".join(_fmt(v).replace("|", "\\|") for v in row) + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([head, rule, *body])


def _html_table(frame: pd.DataFrame, verdicts: bool = False) -> str:
    if frame.empty:
        return "<p>(none)</p>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for v in row:
            text = _fmt(v)
            cls = f' class="{text}"' if verdicts and text in _RANK else ""
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>" + "".join(body) + "</table>"
