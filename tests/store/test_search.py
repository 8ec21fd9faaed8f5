"""Full-text search over articles and sentences (both backends) and its pure helpers."""

from __future__ import annotations

import pytest
from _store_articles import ALL, BRIDGE, HARBOUR, HARBOUR_WIRE, UNDATED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyscope.errors import StoreError
from storyscope.model import Article, Sentence, Span
from storyscope.store import Store
from storyscope.store._search import START_MARK, STOP_MARK, fts5_query, match_spans, snippet_span


def _ids(hits: list) -> set[str]:  # type: ignore[type-arg]
    return {h.article_id for h in hits}


def test_search_finds_stemmed_words_and_returns_exact_snippet_spans(store: Store) -> None:
    store.add_articles(ALL)
    hits = store.search("layoff strike")
    assert _ids(hits) == {HARBOUR.id, HARBOUR_WIRE.id}
    texts = {a.id: a.text for a in ALL}
    for hit in hits:
        text = texts[hit.article_id]
        assert hit.snippet == text[hit.start : hit.end]
        assert hit.matches, hit
        for span in hit.matches:
            assert text[span.start : span.end].lower().startswith(("layoff", "strike"))


def test_search_phrases_or_and_exclusion(store: Store) -> None:
    store.add_articles(ALL)
    assert _ids(store.search('"harbour authority"')) == {HARBOUR.id, HARBOUR_WIRE.id}
    assert _ids(store.search("footbridge OR walkout")) == {BRIDGE.id, HARBOUR_WIRE.id}
    assert _ids(store.search("layoffs -Okonde")) == set()
    assert _ids(store.search("strike -wire -declined")) == {HARBOUR_WIRE.id}
    assert store.search("") == [] and store.search("   \"\" - OR") == []


def test_search_matches_titles_and_ranks_and_limits(store: Store) -> None:
    store.add_articles(ALL)
    hits = store.search("footbridge")
    assert [h.article_id for h in hits] == [BRIDGE.id]
    assert hits[0].title == "Footbridge approved" and hits[0].outlet == "Arnsby Herald"
    assert len(store.search("Velmar", limit=1)) == 1
    assert store.search("Velmar", limit=0) == []


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


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=40))
def test_any_query_string_is_accepted(store: Store, query: str) -> None:
    if not store.count():
        store.add_articles(ALL)
    for hit in store.search(query, limit=3):  # NUL and other controls included
        assert hit.start <= hit.end
    store.search_sentences(query, limit=3)


def test_control_characters_in_a_query_are_spaces(store: Store) -> None:
    # FTS5 read "strike\x00" as an unterminated string; PostgreSQL text cannot hold NUL.
    store.add_articles(ALL)
    want = _ids(store.search("layoff strike"))
    for query in ("layoff\x00strike", "layoff strike\x00", "\x00layoff\x1fstrike\x7f", "layoff\tstrike"):
        assert _ids(store.search(query)) == want, repr(query)
        store.search_sentences(query)
    assert store.search("\x00") == [] and store.search_sentences('"\x00"') == []


def test_sentence_search_returns_stored_spans(store: Store) -> None:
    store.add_articles(ALL)
    first_end = HARBOUR.text.index(".") + 1
    second_start = first_end + 1
    second_end = HARBOUR.text.index(".", second_start) + 1
    sentences = [
        Sentence(index=0, start=0, end=first_end, text=HARBOUR.text[:first_end]),
        Sentence(index=1, start=second_start, end=second_end, text=HARBOUR.text[second_start:second_end]),
    ]
    store.save_sentences(HARBOUR.id, sentences)
    assert store.load_sentences(HARBOUR.id) == tuple(sentences)
    hits = store.search_sentences("union leader")
    assert [(h.article_id, h.index) for h in hits] == [(HARBOUR.id, 1)]
    assert HARBOUR.text[hits[0].start : hits[0].end] == hits[0].text
    store.save_sentences(HARBOUR.id, sentences[:1])
    assert store.search_sentences("union leader") == []


def test_save_sentences_rejects_spans_that_do_not_match_the_text(store: Store) -> None:
    store.add_articles([HARBOUR])
    with pytest.raises(StoreError, match="does not match"):
        store.save_sentences(HARBOUR.id, [Sentence(index=0, start=0, end=4, text="Ship")])
    with pytest.raises(StoreError, match="no stored article"):
        store.save_sentences("0" * 16, [])


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
