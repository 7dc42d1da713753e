"""A model summary that prints as text in a terminal and as HTML in a notebook."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

__all__: list[str] = []


@dataclass
class Summary:
    """Titled blocks of key facts and tables.

    ``str(summary)`` / :meth:`to_text` give plain text, :meth:`_repr_html_` a table
    for notebooks, :meth:`to_markdown` Markdown.
    """

    title: str
    facts: dict[str, object] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_text(self) -> str:
        width = 78
        lines = ["=" * width, self.title.center(width), "=" * width]
        key_width = max((len(k) for k in self.facts), default=0)
        for k, v in self.facts.items():
            lines.append(f"{k:<{key_width}} : {v}")
        for name, table in self.tables.items():
            lines += ["-" * width, name, "-" * width]
            with pd.option_context(
                "display.width",
                200,
                "display.max_columns",
                50,
                "display.max_rows",
                500,
                "display.max_colwidth",
                40,
            ):
                lines.append(table.to_string(float_format=lambda v: f"{v:.4g}"))
        if self.notes:
            lines.append("-" * width)
            lines += [f"Note: {n}" for n in self.notes]
        lines.append("=" * width)
        return "\n".join(lines)

    def to_markdown(self) -> str:
        lines = [f"## {self.title}", ""]
        lines += [f"- **{k}**: {v}" for k, v in self.facts.items()]
        for name, table in self.tables.items():
            lines += ["", f"### {name}", "", _markdown_table(table)]
        if self.notes:
            lines += [""] + [f"> {n}" for n in self.notes]
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        parts = [f"<h3>{html.escape(self.title)}</h3>", "<table>"]
        parts += [
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td>{html.escape(str(v))}</td></tr>"
            for k, v in self.facts.items()
        ]
        parts.append("</table>")
        for name, table in self.tables.items():
            parts.append(f"<h4>{html.escape(name)}</h4>")
            parts.append(table.to_html(float_format=lambda v: f"{v:.4g}"))
        parts += [f"<p><em>Note: {html.escape(n)}</em></p>" for n in self.notes]
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return self.to_text()


def _markdown_table(table: pd.DataFrame) -> str:
    frame = table.reset_index()

    def cell(v: object) -> str:
        if isinstance(v, float):
            return f"{v:.4g}"
        return str(v).replace("|", "\\|")

    header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = [
        "| " + " | ".join(cell(v) for v in row) + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([header, rule, *body])
