"""Stories, ingest progress, failures and the cache (both backends)."""

from __future__ import annotations

import datetime as dt

import pytest
from _store_articles import ALL, BRIDGE, HARBOUR, HARBOUR_WIRE, UNDATED, synthetic

from storyscope.errors import StoreError
from storyscope.model import Failure
from storyscope.store import RunProgress, Store


def test_story_lists_counts_outlets_and_publication_window(store: Store) -> None:
    store.add_articles(ALL)
    strike = store.create_story("Velmar dock strike", [HARBOUR.id, HARBOUR_WIRE.id, UNDATED.id])
    store.mark_duplicate(HARBOUR_WIRE.id, HARBOUR.id)
    listed = {s.id: s for s in store.list_stories()}
    story = listed[strike]
    assert story.title == "Velmar dock strike"
    assert story.article_count == 3 and story.duplicate_count == 1
    assert story.outlets == ("Coastline Wire", "L'Écho de Velmar", "The Velmar Ledger")
    assert story.first_published == dt.datetime(2026, 3, 10, 8, 30, tzinfo=dt.UTC)
    assert story.last_published == dt.datetime(2026, 3, 10, 11, 5, tzinfo=dt.UTC)
    assert [a.id for a in store.story_articles(strike)] == [HARBOUR.id, HARBOUR_WIRE.id, UNDATED.id]


def test_assign_moves_an_article_and_updates_both_stories(store: Store) -> None:
    store.add_articles(ALL)
    a = store.create_story("A", [HARBOUR.id, BRIDGE.id])
    b = store.create_story("B")
    store.assign(BRIDGE.id, b)
    sa_, sb = store.get_story(a), store.get_story(b)
    assert sa_ is not None and sb is not None
    assert (sa_.article_count, sb.article_count) == (1, 1)
    assert sa_.first_published == sa_.last_published == dt.datetime(2026, 3, 10, 8, 30, tzinfo=dt.UTC)
    assert sb.first_published == dt.datetime(2026, 3, 9, 18, 0, tzinfo=dt.UTC)
    store.assign(BRIDGE.id, None)
    emptied = store.get_story(b)
    assert emptied is not None and emptied.article_count == 0 and emptied.first_published is None


def test_assign_rejects_unknown_article_or_story_and_changes_nothing(store: Store) -> None:
    store.add_articles([HARBOUR, BRIDGE])
    story = store.create_story("S")
    with pytest.raises(StoreError, match="no story 999"):
        store.assign_many({HARBOUR.id: story, BRIDGE.id: 999})
    with pytest.raises(StoreError, match="no stored article"):
        store.assign("0" * 16, story)
    assert store.count(story_id=story) == 0


def test_merge_stories_moves_members_and_deletes_the_absorbed_story(store: Store) -> None:
    store.add_articles(ALL)
    keep = store.create_story("Strike", [HARBOUR.id])
    absorb = store.create_story("Dockers", [HARBOUR_WIRE.id, UNDATED.id])
    store.cache_put("report", f"story:{absorb}", {"stale": True})
    assert store.merge_stories(keep, absorb) == keep
    assert store.get_story(absorb) is None
    assert store.count(story_id=keep) == 3
    assert store.cache_get("report", f"story:{absorb}") is None
    with pytest.raises(StoreError, match="no story"):
        store.merge_stories(keep, absorb)
    with pytest.raises(StoreError, match="itself"):
        store.merge_stories(keep, keep)


def test_delete_story_keeps_its_articles(store: Store) -> None:
    store.add_articles([HARBOUR])
    story = store.create_story("S", [HARBOUR.id])
    store.delete_story(story)
    assert store.get_story(story) is None and store.count() == 1
    info = store.article_info(HARBOUR.id)
    assert info is not None and info.story_id is None
    with pytest.raises(StoreError, match="no story"):
        store.delete_story(story)


def test_story_titles_and_listing_order(store: Store) -> None:
    store.add_articles(ALL)
    older = store.create_story(None, [BRIDGE.id])
    newer = store.create_story(None, [HARBOUR.id])
    empty = store.create_story("empty")
    store.set_story_title(older, "Footbridge")
    assert [s.id for s in store.list_stories()] == [newer, older, empty]
    assert store.list_stories()[1].title == "Footbridge"
    with pytest.raises(StoreError):
        store.set_story_title(12345, "x")


def test_story_report_cache_is_invalidated_when_members_change(store: Store) -> None:
    store.add_articles(ALL)
    story = store.create_story("Strike", [HARBOUR.id])
    version = store.story_version(story)
    store.cache_put("report", f"story:{story}", {"facts": ["strike"]}, version=version)
    assert store.cache_get("report", f"story:{story}", version=store.story_version(story)) == {
        "facts": ["strike"]
    }
    store.assign(HARBOUR_WIRE.id, story)
    assert store.story_version(story) != version
    assert store.cache_get("report", f"story:{story}", version=store.story_version(story)) is None
    before = store.story_version(story)
    store.mark_duplicate(HARBOUR_WIRE.id, HARBOUR.id)
    assert store.story_version(story) != before


def test_cache_replaces_values_and_rejects_non_json(store: Store) -> None:
    store.cache_put("analysis", HARBOUR.id, {"sentences": 3}, version="v1")
    store.cache_put("analysis", HARBOUR.id, {"sentences": 4}, version="v2")
    assert store.cache_get("analysis", HARBOUR.id, version="v1") is None
    assert store.cache_get("analysis", HARBOUR.id, version="v2") == {"sentences": 4}
    with pytest.raises(StoreError, match="not JSON"):
        store.cache_put("analysis", "x", object())
    assert store.cache_delete(kind="analysis") == 1
    assert store.cache_get("analysis", HARBOUR.id, version="v2") is None


def test_progress_commits_with_the_batch_it_describes(store: Store) -> None:
    batch = synthetic(6)
    progress = RunProgress(run_id="run-1", source="feeds/a.jsonl", position="3", added=3)
    store.add_articles(batch[:3], progress=progress)
    got = store.get_progress("run-1", "feeds/a.jsonl")
    assert got is not None and got.position == "3" and got.added == 3 and got.status == "running"
    assert got.started_at is not None and got.updated_at is not None
    store.add_articles(batch[3:], progress=RunProgress(
        run_id="run-1", source="feeds/a.jsonl", position="6", status="done", added=6
    ))
    done = store.get_progress("run-1", "feeds/a.jsonl")
    assert done is not None and done.status == "done" and done.position == "6"
    assert done.started_at == got.started_at
    store.set_progress(RunProgress(run_id="run-1", source="feeds/b.xml", position="etag:abc"))
    assert [p.source for p in store.list_progress("run-1")] == ["feeds/a.jsonl", "feeds/b.xml"]
    assert store.get_progress("run-2", "feeds/a.jsonl") is None


def test_failures_are_recorded_per_run(store: Store) -> None:
    store.record_failure(Failure(stage="ingest", source="bad.warc", error="truncated record"), run_id="r1")
    store.record_failure(Failure(stage="ingest", source="feed.xml", error="broken XML"))
    assert [f.source for f in store.failures()] == ["bad.warc", "feed.xml"]
    only = store.failures(run_id="r1")
    assert len(only) == 1 and only[0].error == "truncated record" and only[0].at.tzinfo is dt.UTC


def test_batch_reads_match_the_one_at_a_time_ones(store: Store) -> None:
    store.add_articles(ALL)
    strike = store.create_story("Strike", [HARBOUR.id, HARBOUR_WIRE.id])
    bridge = store.create_story("Bridge", [BRIDGE.id])
    empty = store.create_story("Empty")
    store.mark_duplicate(HARBOUR_WIRE.id, HARBOUR.id)
    ids = [strike, bridge, empty, 10**6, 2**64]
    assert store.story_versions(ids) == {i: store.story_version(i) for i in ids[:4]}
    store.cache_put("report", f"story:{strike}", {"n": 1}, version="v1")
    store.cache_put("report", f"story:{bridge}", {"n": 2}, version="old")
    wanted = {f"story:{strike}": "v1", f"story:{bridge}": "v2", "story:nope": "v1"}
    assert store.cache_get_many("report", wanted) == {f"story:{strike}": {"n": 1}}
    got = store.article_stories([HARBOUR.id, BRIDGE.id, UNDATED.id, "missing"])
    assert got == {HARBOUR.id: strike, BRIDGE.id: bridge, UNDATED.id: None}
