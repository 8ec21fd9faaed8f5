"""MemorySource: the in-memory StorySource."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from storyscope.model import Story
from storyscope.web import MemorySource, StorySource, story_key


def test_memory_source_satisfies_the_protocol(source: MemorySource) -> None:
    assert isinstance(source, StorySource)


def test_stories_without_ids_get_content_keys(story: Story) -> None:
    src = MemorySource([story])
    key = story_key(story)
    assert len(key) == 12 and src.get_story(key) is story


def test_list_filters_sorts_and_pages(source: MemorySource) -> None:
    assert source.list_stories().total == 2
    assert [s.id for s in source.list_stories(sort="size").stories] == ["ferry-big", "ferry"]
    assert source.list_stories(query="WRENMOUTH ferries").total == 2
    assert source.list_stories(query="volcano").total == 0
    assert [s.id for s in source.list_stories(outlet="Pell Valley News").stories] == ["ferry-big"]
    assert source.list_stories(date_from=dt.date(2031, 9, 8)).total == 0
    assert source.list_stories(date_to=dt.date(2031, 9, 7)).total == 2
    page = source.list_stories(limit=1, offset=1)
    assert len(page.stories) == 1 and page.total == 2


def test_articles_and_outlets(source: MemorySource, story: Story) -> None:
    entry = source.get_article(story.articles[0].id)
    assert entry is not None and entry.story_id in {"ferry", "ferry-big"}
    assert source.get_article("missing") is None
    summary = source.outlet_summary("Saltmere Daily")
    assert summary is not None and len(summary.articles) == 2
    assert summary.articles[0].hedges == 1 and summary.articles[0].anonymous_sources == 1
    assert source.outlet_summary("Nobody") is None
    assert "Coastal Signal" in source.outlets()


def test_from_directory_uses_folder_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, story: Story
) -> None:
    for name in ("quay-fire", "dam burst"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "a.txt").write_text("Text.", encoding="utf-8")
    seen: list[str] = []

    def fake(sources: list[Path], **kwargs: object) -> Story:
        seen.append(Path(sources[0]).name)
        return story

    monkeypatch.setattr("storyscope.api.compare", fake)
    src = MemorySource.from_directory(tmp_path)
    assert sorted(seen) == ["dam burst", "quay-fire"]
    assert src.get_story("dam-burst") is story and src.get_story("quay-fire") is story
    single = MemorySource.from_directory(tmp_path / "quay-fire")
    assert single.get_story("quay-fire") is story
    # a folder of archives is one story too: ".warc.gz" is a name ending, no Path.suffix
    (tmp_path / "crawl").mkdir()
    (tmp_path / "crawl" / "site.warc.gz").write_bytes(b"")
    seen.clear()
    archives = MemorySource.from_directory(tmp_path / "crawl")
    assert seen == ["crawl"] and archives.get_story("crawl") is story
