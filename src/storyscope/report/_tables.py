"""Flat tables of a report: the rows behind ``storyscope export`` and :meth:`Story.to_frames`.

One function builds every row, from the JSON report (:func:`storyscope.report.to_dict`),
so the CSV and Parquet files of ``storyscope export`` and the pandas frames of
:meth:`storyscope.model.Story.to_frames` hold the same values in the same
columns. The tables and their columns, in order, are :data:`TABLES` (documented
in ``docs/report.md``, "Tables"). An article's ``lean``, ``owner``, ``kind`` and
``country`` are its outlet's in the report's ``outlet_metadata`` (an outlets file's
entry; empty when the file does not list it, or there is no file), and so is a
reprint's ``lean`` (the republishing outlet's: a reprint is coverage by it). Every row carries ``story_id``; every row that
cites text carries ``article_id``, ``outlet``, ``start``, ``end`` and ``text``,
with ``article.text[start:end] == text``. Fields that hold several values
(``facts.outlets``, ``quote_variants.differences``, ...) are JSON arrays in
one text cell, so every cell is a scalar in every format. The public names
(:data:`TABLES`, :func:`report_rows`) are re-exported by :mod:`storyscope.export`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

__all__ = ["TABLES", "ColumnType", "Rows", "empty_rows", "extend_rows", "frames", "report_rows"]

ColumnType = Literal["int", "float", "bool", "str"]
#: Rows of each table: table name -> rows, each a tuple in column order.
Rows = dict[str, list[tuple[Any, ...]]]

_CITATION: tuple[tuple[str, ColumnType], ...] = (
    ("article_id", "str"),
    ("outlet", "str"),
    ("start", "int"),
    ("end", "int"),
    ("text", "str"),
)

TABLES: dict[str, tuple[tuple[str, ColumnType], ...]] = {
    "articles": (
        ("story_id", "int"),
        ("article_id", "str"),
        ("outlet", "str"),
        ("lean", "str"),
        ("owner", "str"),
        ("kind", "str"),
        ("country", "str"),
        ("source", "str"),
        ("title", "str"),
        ("byline", "str"),
        ("published", "str"),
        ("language", "str"),
        ("url", "str"),
        ("word_count", "int"),
        ("claim_count", "int"),
        ("quote_count", "int"),
        ("text", "str"),
    ),
    "reprints": (
        ("story_id", "int"),
        ("outlet", "str"),
        ("lean", "str"),
        ("source", "str"),
        ("url", "str"),
        ("title", "str"),
        ("kind", "str"),
        ("article_id", "str"),
        ("original_outlet", "str"),
    ),
    "claims": (
        ("story_id", "int"),
        ("claim_id", "str"),
        ("article_id", "str"),
        ("outlet", "str"),
        ("sentence", "int"),
        ("start", "int"),
        ("end", "int"),
        ("text", "str"),
        ("speaker", "str"),
        ("hedged", "bool"),
        ("negated", "bool"),
        ("subject", "str"),
        ("predicate", "str"),
        ("object", "str"),
        ("status", "str"),
        ("attribution", "str"),
    ),
    "facts": (
        ("story_id", "int"),
        ("fact_id", "str"),
        ("status", "str"),
        ("statement", "str"),
        ("support_count", "int"),
        ("independent_sources", "int"),
        ("citation_count", "int"),
        ("claim_count", "int"),
        ("outlets", "str"),
        ("shared_sources", "str"),
    ),
    "fact_citations": (("story_id", "int"), ("fact_id", "str"), *_CITATION),
    "contradictions": (
        ("story_id", "int"),
        ("contradiction", "int"),
        ("kind", "str"),
        ("explanation", "str"),
        ("fact_id", "str"),
        ("a_outlet", "str"),
        ("b_outlet", "str"),
    ),
    "contradiction_citations": (
        ("story_id", "int"),
        ("contradiction", "int"),
        ("side", "str"),
        *_CITATION,
    ),
    "quotes": (
        ("story_id", "int"),
        ("quote", "int"),
        ("article_id", "str"),
        ("outlet", "str"),
        ("speaker", "str"),
        ("speaker_description", "str"),
        ("kind", "str"),
        ("cue", "str"),
        ("anonymous", "bool"),
        ("start", "int"),
        ("end", "int"),
        ("text", "str"),
        ("speaker_start", "int"),
        ("speaker_end", "int"),
    ),
    "quote_variants": (
        ("story_id", "int"),
        ("variant", "int"),
        ("speaker", "str"),
        ("member_count", "int"),
        ("outlets", "str"),
        ("differences", "str"),
    ),
    "quote_variant_citations": (("story_id", "int"), ("variant", "int"), *_CITATION),
    "omissions": (
        ("story_id", "int"),
        ("article_id", "str"),
        ("outlet", "str"),
        ("fact_id", "str"),
        ("statement", "str"),
        ("centrality", "float"),
    ),
    "labels": (
        ("story_id", "int"),
        ("concept", "str"),
        ("article_id", "str"),
        ("outlet", "str"),
        ("term", "str"),
    ),
    "summary": (
        ("story_id", "int"),
        ("sentence", "int"),
        ("section", "str"),
        ("text", "str"),
        ("citation_count", "int"),
    ),
    "summary_citations": (("story_id", "int"), ("sentence", "int"), *_CITATION),
}
"""Every table, in export order, with its columns in order: (name, type)."""


def empty_rows() -> Rows:
    """One empty row list per table of :data:`TABLES`."""
    return {name: [] for name in TABLES}


def extend_rows(into: Rows, more: Mapping[str, Sequence[tuple[Any, ...]]]) -> Rows:
    """Append the rows of ``more`` to ``into`` (table by table) and return ``into``."""
    for name, rows in more.items():
        into.setdefault(name, []).extend(rows)
    return into


def _json_list(values: Iterable[Any]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def report_rows(report: Mapping[str, Any], story_id: int | None = None) -> Rows:
    """The rows of every table for one JSON report.

    Args:
        report: A JSON report (:func:`storyscope.report.to_dict`, or a cached one).
        story_id: The stored story's id, put in every row's ``story_id`` (None for a
            story that is not stored).

    Returns:
        Table name -> rows in the column order of :data:`TABLES`; rows keep the
        report's order.
    """
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    sid = story_id
    outlet_of = {a["id"]: a.get("outlet") for a in report.get("articles", [])}
    quote_counts: dict[str, int] = {}
    for quote in report.get("quotes", []):
        quote_counts[quote["article"]] = quote_counts.get(quote["article"], 0) + 1

    def citation(c: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "article_id": c["article"],
            "outlet": c.get("outlet")
            if c.get("outlet") is not None
            else outlet_of.get(c["article"]),
            "start": c["start"],
            "end": c["end"],
            "text": c["text"],
        }

    metadata: Mapping[str, Mapping[str, Any]] = report.get("outlet_metadata") or {}
    for article in report.get("articles", []):
        claims = article.get("claims", [])
        listed = metadata.get(article.get("outlet") or "") or {}
        out["articles"].append(
            {
                "story_id": sid,
                "article_id": article["id"],
                "outlet": article.get("outlet"),
                "lean": listed.get("lean"),
                "owner": listed.get("owner"),
                "kind": listed.get("kind"),
                "country": listed.get("country"),
                "source": article.get("source"),
                "title": article.get("title"),
                "byline": article.get("byline"),
                "published": article.get("published"),
                "language": article.get("language"),
                "url": article.get("url"),
                "word_count": article.get("word_count"),
                "claim_count": len(claims),
                "quote_count": quote_counts.get(article["id"], 0),
                "text": article.get("text"),
            }
        )
        for claim in claims:
            out["claims"].append(
                {
                    "story_id": sid,
                    "claim_id": claim["id"],
                    "article_id": article["id"],
                    "outlet": article.get("outlet"),
                    "sentence": claim.get("sentence"),
                    "start": claim["start"],
                    "end": claim["end"],
                    "text": claim["text"],
                    "speaker": claim.get("speaker"),
                    "hedged": claim.get("hedged"),
                    "negated": claim.get("negated"),
                    "subject": claim.get("subject"),
                    "predicate": claim.get("predicate"),
                    "object": claim.get("object"),
                    "status": claim.get("status"),
                    "attribution": claim.get("attribution"),
                }
            )

    for reprint in report.get("reprints", []):
        out["reprints"].append(
            {
                "story_id": sid,
                "outlet": reprint.get("outlet"),
                "lean": (metadata.get(reprint.get("outlet") or "") or {}).get("lean"),
                "source": reprint.get("source"),
                "url": reprint.get("url"),
                "title": reprint.get("title"),
                "kind": reprint.get("kind"),
                "article_id": reprint.get("original"),
                "original_outlet": reprint.get("original_outlet"),
            }
        )

    for fact in report.get("facts", []):
        support = fact.get("support", [])
        out["facts"].append(
            {
                "story_id": sid,
                "fact_id": fact["id"],
                "status": fact.get("status"),
                "statement": fact.get("statement"),
                "support_count": fact.get("support_count"),
                "independent_sources": fact.get("independent_sources"),
                "citation_count": len(support),
                "claim_count": len(fact.get("claims", [])),
                "outlets": _json_list(fact.get("outlets", [])),
                "shared_sources": json.dumps(fact.get("shared_sources", []), ensure_ascii=False),
            }
        )
        for c in support:
            out["fact_citations"].append({"story_id": sid, "fact_id": fact["id"], **citation(c)})

    for k, contradiction in enumerate(report.get("contradictions", [])):
        a, b = citation(contradiction["a"]), citation(contradiction["b"])
        out["contradictions"].append(
            {
                "story_id": sid,
                "contradiction": k,
                "kind": contradiction.get("kind"),
                "explanation": contradiction.get("explanation"),
                "fact_id": contradiction.get("fact"),
                "a_outlet": a["outlet"],
                "b_outlet": b["outlet"],
            }
        )
        for side, c in (("a", a), ("b", b)):
            out["contradiction_citations"].append(
                {"story_id": sid, "contradiction": k, "side": side, **c}
            )

    for k, quote in enumerate(report.get("quotes", [])):
        out["quotes"].append(
            {
                "story_id": sid,
                "quote": k,
                "article_id": quote["article"],
                "outlet": quote.get("outlet"),
                "speaker": quote.get("speaker"),
                "speaker_description": quote.get("speaker_description"),
                "kind": quote.get("kind"),
                "cue": quote.get("cue"),
                "anonymous": quote.get("anonymous"),
                "start": quote["start"],
                "end": quote["end"],
                "text": quote["text"],
                "speaker_start": quote.get("speaker_start"),
                "speaker_end": quote.get("speaker_end"),
            }
        )

    for k, variant in enumerate(report.get("quote_variants", [])):
        members = [citation(c) for c in variant.get("members", [])]
        outlets = list(dict.fromkeys(m["outlet"] for m in members if m["outlet"] is not None))
        out["quote_variants"].append(
            {
                "story_id": sid,
                "variant": k,
                "speaker": variant.get("speaker"),
                "member_count": len(members),
                "outlets": _json_list(outlets),
                "differences": _json_list(variant.get("differences", [])),
            }
        )
        for member in members:
            out["quote_variant_citations"].append({"story_id": sid, "variant": k, **member})

    for omission in report.get("omissions", []):
        out["omissions"].append(
            {
                "story_id": sid,
                "article_id": omission["article"],
                "outlet": omission.get("outlet"),
                "fact_id": omission.get("fact"),
                "statement": omission.get("statement"),
                "centrality": omission.get("centrality"),
            }
        )

    for label in report.get("framing", {}).get("labels", []):
        for article_id, term in label.get("variants", {}).items():
            out["labels"].append(
                {
                    "story_id": sid,
                    "concept": label.get("concept"),
                    "article_id": article_id,
                    "outlet": outlet_of.get(article_id),
                    "term": term,
                }
            )

    for k, sentence in enumerate(report.get("summary", [])):
        cites = sentence.get("citations", [])
        out["summary"].append(
            {
                "story_id": sid,
                "sentence": k,
                "section": sentence.get("section"),
                "text": sentence.get("text"),
                "citation_count": len(cites),
            }
        )
        for c in cites:
            out["summary_citations"].append({"story_id": sid, "sentence": k, **citation(c)})

    return {
        name: [tuple(row[column] for column, _ in TABLES[name]) for row in rows]
        for name, rows in out.items()
    }


_PANDAS_DTYPES: dict[ColumnType, str] = {
    "int": "Int64",
    "float": "float64",
    "bool": "boolean",
    "str": "string",
}


def frames(rows: Mapping[str, Sequence[tuple[Any, ...]]]) -> dict[str, Any]:
    """pandas DataFrames of :func:`report_rows`' rows, one per table, columns typed.

    Integers are ``Int64``, flags ``boolean`` and text ``string`` (nullable pandas
    types: a missing value is ``pd.NA``); floats are ``float64``.

    Raises:
        ImportError: pandas is not installed (``pip install 'storyscope[frames]'``).
    """
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError(
            "Story.to_frames() needs pandas: pip install 'storyscope[frames]'"
        ) from exc
    result: dict[str, Any] = {}
    for name, columns in TABLES.items():
        names = [column for column, _ in columns]
        frame = pd.DataFrame(list(rows.get(name, [])), columns=names)
        result[name] = frame.astype({column: _PANDAS_DTYPES[kind] for column, kind in columns})
    return result
