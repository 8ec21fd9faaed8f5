"""Full-text search: accent folding (both backends; PostgreSQL needs unaccent) and the pure helpers.

The search behaviour both backends share is in :class:`storyscope.testing.StoreContract`.
"""

from __future__ import annotations

import pytest
from _store_articles import UNDATED
from hypothesis import given
from hypothesis import strategies as st

from storyscope.model import Article, Sentence, Span
from storyscope.store import Store
from storyscope.store._search import START_MARK, STOP_MARK, fts5_query, match_spans, snippet_span


def _ids(hits: list) -> set[str]:  # type: ignore[type-arg]
    return {h.article_id for h in hits}


def test_search_folds_accents(store: Store) -> None:
    if store.dialect == "postgresql":
        with store._engine.connect() as conn:  # noqa: SLF001
            if not conn.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'").first():
                pytest.skip("this PostgreSQL server has no unaccent extension (contrib): accents are not folded")
    plane = Article.create(text="L'A320néo de Zürich2 a atterri.", source="echo/avion.txt", outlet="L'Écho")
    store.add_articles([UNDATED, plane])
    assert _ids(store.search("cesse")) == {UNDATED.id}
    assert _ids(store.search("cessé")) == {UNDATED.id}
    assert _ids(store.search("A320neo")) == _ids(store.search("zurich2")) == {plane.id}  # letters with digits too
    store.save_sentences(UNDATED.id, [Sentence(index=0, start=0, end=len(UNDATED.text), text=UNDATED.text)])
    assert {h.article_id for h in store.search_sentences("cesse")} == {UNDATED.id}


def test_fts5_query_quotes_every_term() -> None:
    assert fts5_query("harbour strike") == '("harbour") AND ("strike")'
    assert fts5_query('"harbour authority" OR union -sports') == (
        '(("harbour authority" OR "union")) NOT ("sports")'
    )
    assert fts5_query('NEAR( AND * ^col:') == '("NEAR(") AND ("AND") AND ("^col:")'
    assert fts5_query("-only") is None and fts5_query("OR") is None


_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=START_MARK + STOP_MARK))


@given(text=_TEXT, cuts=st.lists(st.integers(0, 10_000), max_size=6))
def test_match_spans_recover_the_marked_offsets(text: str, cuts: list[int]) -> None:
    points = sorted({c % (len(text) + 1) for c in cuts})
    pairs = [(points[i], points[i + 1]) for i in range(0, len(points) - 1, 2) if points[i] < points[i + 1]]
    marked, last = [], 0
    for start, end in pairs:
        marked += [text[last:start], START_MARK, text[start:end], STOP_MARK]
        last = end
    marked.append(text[last:])
    assert match_spans("".join(marked), text) == tuple(Span(s, e) for s, e in pairs)
    assert match_spans("".join(marked) + "x", text) == ()


@given(text=_TEXT, anchor=st.integers(0, 10_000), width=st.integers(20, 300))
def test_snippet_span_is_inside_the_text_and_holds_the_match(text: str, anchor: int, width: int) -> None:
    start = anchor % (len(text) + 1)
    match = Span(start, min(len(text), start + 3))
    window = snippet_span(text, (match,), width)
    assert 0 <= window.start <= window.end <= len(text)
    assert window.end - window.start <= max(width, 0) or len(text) <= width
    assert window.start <= match.start <= match.end <= window.end
