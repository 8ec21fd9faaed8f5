"""Articles in the store: round trips, idempotency, streaming, duplicates (both backends)."""

from __future__ import annotations

import datetime as dt

import pytest
from _store_articles import ALL, BRIDGE, HARBOUR, HARBOUR_WIRE, UNDATED, synthetic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyscope.errors import StoreError
from storyscope.model import Article, Removed
from storyscope.store import Store

_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1)
_when = st.one_of(
    st.none(),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.datetimes(
        min_value=dt.datetime(1990, 1, 1),
        max_value=dt.datetime(2100, 1, 1),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-5, minutes=-30))]),
    ),
)
_articles = st.builds(
    Article.create,
    text=_text,
    source=_text,
    outlet=_text,
    title=st.none() | _text,
    byline=st.none() | _text,
    published=_when,
    language=st.none() | st.sampled_from(["en", "fr", "pt-BR"]),
    url=st.none() | st.just("https://news.example/a?b=1"),
    removed=st.lists(st.builds(Removed, text=_text, reason=_text), max_size=2).map(tuple),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(article=_articles)
def test_any_article_round_trips_exactly(store: Store, article: Article) -> None:
    stored_before = store.get_article(article.id)
    assert store.add_article(article) is (stored_before is None)
    got = store.get_article(article.id)
    assert got == (article if stored_before is None else stored_before)
    assert got is not None and got.text == article.text


def test_adding_the_same_article_twice_is_a_no_op(store: Store) -> None:
    assert store.add_article(HARBOUR) is True
    assert store.add_article(HARBOUR) is False
    assert store.count() == 1


def test_add_articles_reports_which_were_new_in_batch_order(store: Store) -> None:
    store.add_article(BRIDGE)
    flags = store.add_articles([HARBOUR, BRIDGE, HARBOUR_WIRE, HARBOUR])
    assert flags == (True, False, True, False)
    assert store.count() == 3
    assert store.add_articles([]) == ()


def test_get_articles_keeps_order_and_skips_unknown(store: Store) -> None:
    store.add_articles(ALL)
    got = store.get_articles([BRIDGE.id, "0" * 16, HARBOUR.id])
    assert [a.id for a in got] == [BRIDGE.id, HARBOUR.id]
    assert store.get_article("missing") is None


def test_iter_articles_streams_in_insertion_order_across_pages(store: Store) -> None:
    batch = synthetic(23)
    store.add_articles(batch[:10])
    store.add_articles(batch[10:])
    streamed = list(store.iter_articles(batch_size=4))
    assert [a.id for a in streamed] == [a.id for a in batch]
    info = store.article_info(batch[9].id)
    assert info is not None
    after = [a.id for a in store.iter_articles(after=info.seq)]
    assert after == [a.id for a in batch[10:]]


def test_iter_articles_filters_by_time_story_and_duplicates(store: Store) -> None:
    store.add_articles([HARBOUR, BRIDGE])
    cutoff = dt.datetime.now(dt.UTC)
    store.add_articles([HARBOUR_WIRE, UNDATED])
    assert {a.id for a in store.iter_articles(since=cutoff)} == {HARBOUR_WIRE.id, UNDATED.id}
    story = store.create_story("Strike", [HARBOUR.id, HARBOUR_WIRE.id])
    assert {a.id for a in store.iter_articles(story_id=story)} == {HARBOUR.id, HARBOUR_WIRE.id}
    assert {a.id for a in store.iter_articles(unassigned=True)} == {BRIDGE.id, UNDATED.id}
    store.mark_duplicate(HARBOUR_WIRE.id, HARBOUR.id)
    kept = {a.id for a in store.iter_articles(include_duplicates=False)}
    assert HARBOUR_WIRE.id not in kept and HARBOUR.id in kept


def test_article_info_tracks_story_and_duplicate_link(store: Store) -> None:
    store.add_articles([HARBOUR, HARBOUR_WIRE])
    store.mark_duplicate(HARBOUR_WIRE.id, HARBOUR.id)
    info = store.article_info(HARBOUR_WIRE.id)
    assert info is not None and info.duplicate_of == HARBOUR.id and info.story_id is None
    assert info.ingested_at.tzinfo is dt.UTC
    store.mark_duplicate(HARBOUR_WIRE.id, None)
    again = store.article_info(HARBOUR_WIRE.id)
    assert again is not None and again.duplicate_of is None


def test_mark_duplicate_rejects_unknown_or_self_links(store: Store) -> None:
    store.add_article(HARBOUR)
    with pytest.raises(StoreError, match="no stored article"):
        store.mark_duplicate(HARBOUR.id, "f" * 16)
    with pytest.raises(StoreError, match="itself"):
        store.mark_duplicate(HARBOUR.id, HARBOUR.id)


def test_count_by_story(store: Store) -> None:
    store.add_articles(ALL)
    story = store.create_story(None, [BRIDGE.id])
    assert store.count() == 4
    assert store.count(story_id=story) == 1
