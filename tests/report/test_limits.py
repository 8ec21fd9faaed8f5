"""The report's quality figures are the ones README.md's quality table gives today."""

from __future__ import annotations

import re
from pathlib import Path

from storyscope.report._view import LIMITS, QUALITY, QUALITY_SOURCE

README = Path(__file__).resolve().parents[2] / "README.md"
_FIGURE = re.compile(r"\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?")


def _basil_gold_row() -> str:
    rows = [
        line
        for line in README.read_text(encoding="utf-8").splitlines()
        if "eval/basil_gold.py" in line
    ]
    assert len(rows) == 1, "README.md's quality table should have one eval/basil_gold.py row"
    return rows[0]


def test_every_figure_in_the_note_is_in_the_readme_quality_table() -> None:
    row = _basil_gold_row()
    figures = [f for _, text in QUALITY for f in _FIGURE.findall(text)]
    assert figures, "QUALITY holds no figures"
    missing = [f for f in figures if not re.search(rf"(?<![\d.]){re.escape(f)}(?![\d])", row)]
    assert missing == [], f"figures not in README.md's basil_gold row: {missing}"
    assert "12 of 43 found (13/13 right)" in row
    assert "eval/basil_gold.py" in QUALITY_SOURCE


def test_the_note_says_zero_contradictions_is_not_agreement() -> None:
    assert any("“0 contradictions” does not mean the outlets agree" in line for line in LIMITS)
    assert any("12 of 43" in line for line in LIMITS)
