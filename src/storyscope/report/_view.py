"""Presentation helpers shared by the Markdown and HTML renderers.

Both renderers work from the JSON report (:func:`storyscope.report.json.to_dict`)
so that the three formats always say the same thing.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from typing import Any

__all__ = [
    "LIMITS",
    "QUALITY",
    "QUALITY_SOURCE",
    "DiffPiece",
    "claims_by_outlet",
    "counters",
    "coverage",
    "fact_numbers",
    "is_fact",
    "multi_outlet_facts",
    "outlet_figures",
    "plural",
    "quotes_by_speaker",
    "report_title",
    "word_diff",
]

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


# --------------------------------------------------------------------------------------
# Facts and claims, counters, the coverage grid and the per-outlet chart figures
# --------------------------------------------------------------------------------------

QUALITY_SOURCE = (
    "eval/basil_gold.py on the BASIL alignment gold, 20 real events from Fox News, "
    "The New York Times and HuffPost annotated claim by claim and scored by the gold's own score.py"
)
"""Where :data:`QUALITY` comes from (the dev-gold row of README.md's quality table)."""

QUALITY: tuple[tuple[str, str], ...] = (
    ("Facts several outlets state", "recall 0.592, precision 0.865"),
    ("Contradictions", "12 of 43 real disagreements found; 13 of the 13 reported were right"),
    ("Omissions", "recall 0.37, precision 0.67"),
    ("Quotes", "recall 0.990; speaker accuracy 0.941"),
)
"""Measured quality on the dev gold, copied from README.md's quality table.

``tests/report/test_limits.py`` checks that every figure here is still the one
README.md gives, so a new measurement that updates the README fails that test
until this is updated too.
"""

LIMITS: tuple[str, ...] = (
    "This report compares the articles given with one another, sentence by sentence; it checks "
    "nothing against the world. A fact several outlets state can still be wrong, and a claim only "
    "one outlet makes can be right.",
    "“0 contradictions” does not mean the outlets agree, only that none were found: on the dev "
    "gold the contradiction finder caught 12 of 43 real disagreements (all 13 it reported were "
    "right).",
    "An empty cell in the coverage grid means the outlet was not matched to the fact; with fact "
    "recall near 0.6, it may still state it in other words. About one omission mark in three "
    "is wrong.",
    "Framing and sourcing figures are counts of words and phrases (quotes, named and unnamed "
    "sources, hedges, loaded terms), not judgements of bias.",
)
"""The "What this report can and cannot see" note, one paragraph per item."""


def is_fact(fact: dict[str, Any]) -> bool:
    """Whether a fact record is a *fact* (stated by two or more outlets) rather than a *claim*."""
    return int(fact["support_count"]) >= 2


def multi_outlet_facts(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Facts stated by two or more outlets: agreed ones first, then contested, report order within."""
    facts = [f for f in report["facts"] if is_fact(f)]
    return [f for f in facts if f["status"] != "contested"] + [
        f for f in facts if f["status"] == "contested"
    ]


def fact_numbers(report: dict[str, Any]) -> dict[str, str]:
    """``F1``, ``F2``... for the facts of :func:`multi_outlet_facts`, by fact id."""
    return {f["id"]: f"F{n}" for n, f in enumerate(multi_outlet_facts(report), start=1)}


def claims_by_outlet(report: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Single-source claims (facts one outlet states) grouped by outlet, outlets in report order."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for fact in report["facts"]:
        if is_fact(fact):
            continue
        outlet = (
            fact["outlets"][0]
            if fact["outlets"]
            else (fact["support"][0]["outlet"] if fact["support"] else None)
        )
        groups[outlet or "Unknown outlet"].append(fact)
    order = {name: i for i, name in enumerate(report["outlets"])}
    return sorted(groups.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 claim``, ``2 claims`` (``nouns`` for irregular plurals)."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def counters(report: dict[str, Any]) -> list[str]:
    """The report's headline counts, worded with *facts* (several outlets) and *claims* (one).

    Returns:
        Phrases such as ``"25 facts stated by several outlets (21 agreed, 4 contested)"``
        and ``"46 single-source claims"``, in reading order.
    """
    facts = multi_outlet_facts(report)
    contested = sum(1 for f in facts if f["status"] == "contested")
    claims = sum(1 for f in report["facts"] if not is_fact(f))
    stats = report["stats"]
    return [
        f"{plural(stats['articles'], 'article')} from {plural(stats['outlets'], 'outlet')}",
        f"{plural(len(facts), 'fact')} stated by several outlets "
        f"({len(facts) - contested} agreed, {contested} contested)",
        plural(claims, "single-source claim"),
        plural(stats["contradictions"], "contradiction"),
        plural(stats["quote_variants"], "quote variant"),
        plural(stats["quotes"], "quote"),
    ]


Cell = dict[str, Any]


def coverage(report: dict[str, Any]) -> dict[str, Any]:
    """The coverage grid: one row per fact several outlets state, one column per outlet.

    Each cell's ``state`` is ``contradicts`` (the outlet is on one side of a
    contradiction about the fact), ``states`` (the outlet states it), ``omits``
    (the outlet is reported as leaving it out) or ``none`` (no match either
    way). A cell carries the outlet's citation (``citation``, or None) and the
    1-based numbers of the contradictions behind it (``contradictions``).

    Returns:
        ``{"outlets": [...], "rows": [{"number", "fact", "cells"}],
        "other_omissions": [...]}``; ``other_omissions`` are the omissions of
        facts that are not rows (claims only one outlet makes).
    """
    outlets = list(report["outlets"])
    numbers = fact_numbers(report)
    omitted = {(o["fact"], o["outlet"]) for o in report["omissions"]}
    disputes: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n, c in enumerate(report["contradictions"], start=1):
        for side in (c["a"], c["b"]):
            if c["fact"] and side["outlet"]:
                key = (c["fact"], side["outlet"])
                if n not in disputes[key]:
                    disputes[key].append(n)
    rows = []
    for fact in multi_outlet_facts(report):
        cited: dict[str, dict[str, Any]] = {}
        for citation in fact["support"]:
            cited.setdefault(citation["outlet"], citation)
        cells: list[Cell] = []
        for outlet in outlets:
            key = (fact["id"], outlet)
            if key in disputes:
                state = "contradicts"
            elif outlet in fact["outlets"] or outlet in cited:
                state = "states"
            elif key in omitted:
                state = "omits"
            else:
                state = "none"
            cells.append(
                {
                    "outlet": outlet,
                    "state": state,
                    "citation": cited.get(outlet),
                    "contradictions": disputes.get(key, []),
                }
            )
        rows.append({"number": numbers[fact["id"]], "fact": fact, "cells": cells})
    other = [o for o in report["omissions"] if o["fact"] not in numbers]
    return {"outlets": outlets, "rows": rows, "other_omissions": other}


def outlet_figures(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Per-outlet figures behind the charts, outlets in report order.

    Each row: ``outlet``; ``facts`` (facts of the grid it states) of
    ``facts_total``, ``coverage`` (their share, 0..1); ``claims`` (its
    single-source claims); ``quoted`` (share of its text inside quotes) and
    ``own`` (the rest, its own voice); ``named`` and ``unnamed`` (distinct
    sources); ``words``.
    """
    grid = coverage(report)
    total = len(grid["rows"])
    claims = {o: len(items) for o, items in claims_by_outlet(report)}
    rows = report["framing"]["outlets"]
    figures = []
    for i, outlet in enumerate(grid["outlets"]):
        stated = sum(1 for r in grid["rows"] if r["cells"][i]["state"] in ("states", "contradicts"))
        row = rows.get(outlet, {})
        quoted = float(row.get("quoted_share", 0.0))
        figures.append(
            {
                "outlet": outlet,
                "facts": stated,
                "facts_total": total,
                "coverage": stated / total if total else 0.0,
                "claims": claims.get(outlet, 0),
                "quoted": quoted,
                "own": max(0.0, 1.0 - quoted),
                "named": int(row.get("named_sources", 0)),
                "unnamed": int(row.get("unnamed_sources", 0)),
                "words": int(row.get("words", 0)),
            }
        )
    return figures
