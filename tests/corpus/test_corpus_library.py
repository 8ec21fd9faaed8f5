"""ingest_corpus as a library: resume, crash replay, and the store-backed web source."""

from __future__ import annotations

from pathlib import Path

import pytest
from _corpus_articles import ALL, write_jsonl

from storyscope.corpus import STATE_KEY, STATE_KIND, STATE_VERSION, ingest_corpus
from storyscope.store import Store
from storyscope.testing import FakeEmbedder


@pytest.fixture()
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Store.open(tmp_path / "lib.db") as opened:
        yield opened


def test_every_article_lands_in_a_story(store: Store, tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed.jsonl")
    summary = ingest_corpus([str(feed)], store, embedder=FakeEmbedder(), batch_size=2)
    assert (summary.read, summary.added, summary.duplicates, summary.failed) == (5, 5, 1, 0)
    assert all(
        store.article_info(a.id).story_id is not None  # type: ignore[union-attr]
        for a in store.iter_articles()
    )
    assert sum(s.article_count for s in store.list_stories()) == 5


def test_a_finished_source_is_skipped_when_the_run_resumes(store: Store, tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed.jsonl")
    first = ingest_corpus([str(feed)], store, embedder=FakeEmbedder(), run_id="run-1")
    again = ingest_corpus([str(feed)], store, embedder=FakeEmbedder(), run_id="run-1")
    assert first.added == 5
    assert (again.sources_skipped, again.read) == (1, 0)
    other = ingest_corpus([str(feed)], store, embedder=FakeEmbedder(), run_id="run-2")
    assert (other.added, other.already_stored) == (0, 5)


def test_articles_stored_before_a_crash_are_placed_on_the_next_run(
    store: Store, tmp_path: Path
) -> None:
    from storyscope.ingest import read

    # A crash after the articles were committed but before clustering: the store holds articles in
    # no story and the saved state does not know them.
    articles = read([write_jsonl(tmp_path / "feed.jsonl")]).articles
    store.add_articles(articles)
    assert store.cache_get(STATE_KIND, STATE_KEY, version=STATE_VERSION) is None
    summary = ingest_corpus([], store, embedder=FakeEmbedder())
    assert summary.duplicates == 1
    assert all(
        store.article_info(a.id).story_id is not None  # type: ignore[union-attr]
        for a in articles
    )
    # the saved state now covers them: a further run replays nothing
    assert ingest_corpus([], store, embedder=FakeEmbedder()).stories_created == 0


def test_store_source_lists_searches_and_renders(store: Store, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from storyscope.web import create_app
    from storyscope.web._store_source import StoreSource

    ingest_corpus([str(write_jsonl(tmp_path / "feed.jsonl"))], store, embedder=FakeEmbedder())
    client = TestClient(create_app(StoreSource(store)))
    listed = client.get("/api/stories").json()["stories"]
    assert sorted(s["article_count"] for s in listed) == [2, 3]
    found = client.get("/api/stories", params={"q": "teachers"}).json()["stories"]
    assert [s["article_count"] for s in found] == [2]
    strike = found[0]["id"]
    page = client.get(f"/stories/{strike}")
    assert page.status_code == 200
    assert "Ilse Varga" in page.text
    assert client.get("/stories/999").status_code == 404
    assert client.get("/stories/not-a-number").status_code == 404
    assert {r["outlet"] for r in ALL[3:]} <= set(StoreSource(store).outlets())


def test_an_unreadable_saved_state_is_rebuilt(store: Store, tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed.jsonl")
    ingest_corpus([str(feed)], store, embedder=FakeEmbedder())
    store.cache_put(STATE_KIND, STATE_KEY, {"clusterer": "garbage"}, version=STATE_VERSION)
    summary = ingest_corpus([], store, embedder=FakeEmbedder())
    assert summary.stories_created >= 2  # every stored article was placed again
    live = [s for s in store.list_stories() if s.article_count]
    assert sum(s.article_count for s in live) == 5
