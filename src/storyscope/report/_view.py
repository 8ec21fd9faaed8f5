"""Presentation helpers shared by the Markdown and HTML renderers.

Both renderers work from the JSON report (:func:`storyscope.report.json.to_dict`)
so that the three formats always say the same thing.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from typing import Any

__all__ = ["DiffPiece", "quotes_by_speaker", "report_title", "word_diff"]

DiffPiece = tuple[str, str]  # (op, text) with op in {"equal", "del", "ins"}

_TOKEN = re.compile(r"\S+")
UNKNOWN_SPEAKER = "Unattributed"


def report_title(report: dict[str, Any]) -> str:
    """The first article title, or a generic title when no article has one."""
    for article in report["articles"]:
        if article["title"]:
            return str(article["title"])
    return "Story report"


def word_diff(old: str, new: str) -> list[DiffPiece]:
    """Word-level diff of two quote versions.

    Args:
        old: The reference version.
        new: The other version.

    Returns:
        Pieces ``(op, text)`` with ``op`` one of ``equal``, ``del`` (only in
        ``old``) and ``ins`` (only in ``new``); the text of a piece is its
        words joined by single spaces.
    """
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    pieces: list[DiffPiece] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("equal", " ".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            pieces.append(("del", " ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            pieces.append(("ins", " ".join(b[j1:j2])))
    return pieces


def quotes_by_speaker(report: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Quotes grouped by speaker: named speakers sorted, unattributed last."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for quote in report["quotes"]:
        speaker = quote["speaker"] or ("Anonymous source" if quote["anonymous"] else None)
        groups[speaker or UNKNOWN_SPEAKER].append(quote)
    return sorted(
        groups.items(),
        key=lambda item: (item[0] == UNKNOWN_SPEAKER, item[0].casefold(), item[0]),
    )
