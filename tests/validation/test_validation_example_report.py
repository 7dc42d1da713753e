"""The example validation report in docs/ is the current, reproducible output.

``docs/validation-report-example.md`` is written by
``python examples/validation_report.py docs/validation-report-example.md``. These tests
regenerate it into ``tmp_path`` with the example script's own function and compare
it with the committed file.

The comparison is robust to the library version: the lines that name the loanrisk
version (the ``- **loanrisk version**: X.Y.Z`` line and each section's ``Data: ...
loanrisk X.Y.Z.`` line) are compared with the version number masked, so a release
alone does not break the test. Every other line -- and every other character of
those lines (row and bad counts, data fingerprints, periods) -- must match exactly.
Regenerating twice must give identical bytes, version included.

If the report legitimately changes, regenerate the page with the command above and
review the diff; never edit the page by hand.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

import loanrisk

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "validation_report.py"
PAGE = ROOT / "docs" / "validation-report-example.md"

# "loanrisk 0.1.0." and "**loanrisk version**: 0.1.0" (any PEP 440 version)
_VERSION = re.compile(r"(loanrisk(?: version\*\*:)? )v?\d+(?:\.\d+)+[\w.+!-]*")


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_validation_report_example", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _masked_lines(text: str) -> list[str]:
    return [_VERSION.sub(r"\1<version>", line) for line in text.split("\n")]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    folder = tmp_path_factory.mktemp("validation_report")
    example = _example()
    _, first = example.write_report(folder / "first.md")
    _, second = example.write_report(folder / "second.md")
    return first.read_bytes(), second.read_bytes()


def test_regenerating_twice_gives_identical_bytes(
    regenerated: tuple[bytes, bytes],
) -> None:
    first, second = regenerated
    assert first == second


def test_docs_page_matches_the_regenerated_report(
    regenerated: tuple[bytes, bytes],
) -> None:
    new = regenerated[0].decode("utf-8")
    committed = PAGE.read_bytes().decode("utf-8")
    new_lines, old_lines = _masked_lines(new), _masked_lines(committed)
    assert len(new_lines) == len(old_lines), (
        f"{PAGE.name} has {len(old_lines)} lines, the regenerated report "
        f"{len(new_lines)}: regenerate it with `python {SCRIPT.relative_to(ROOT)} "
        f"{PAGE.relative_to(ROOT)}`"
    )
    for number, (old, line) in enumerate(zip(old_lines, new_lines, strict=True), 1):
        assert old == line, f"{PAGE.name} line {number} is stale"


def test_version_mask_touches_only_the_version_lines(
    regenerated: tuple[bytes, bytes],
) -> None:
    new = regenerated[0].decode("utf-8")
    naming = [line for line in new.split("\n") if loanrisk.__version__ in line]
    masked = [line for line in new.split("\n") if _VERSION.search(line)]
    assert naming == masked
    # the header line and one "Data:" line per section (4 sections)
    assert len(masked) == 5
    assert masked[0] == f"- **loanrisk version**: {loanrisk.__version__}"
    assert all(line.startswith("Data: ") for line in masked[1:])


def test_page_says_how_it_was_made() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert text.startswith("> **How this page was made.**")
    command = "python examples/validation_report.py docs/validation-report-example.md"
    assert command in text
    assert "\n# Model validation report\n" in text
