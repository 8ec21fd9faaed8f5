"""Related stories over HTTP: the API route, the story page's section, both sources."""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from _store_app import CountingPipeline, article, fill_store  # noqa: E402
from _stories import make_story  # noqa: E402

from storyscope.model import Story  # noqa: E402
from storyscope.store import Store  # noqa: E402
from storyscope.web import MemorySource, create_app  # noqa: E402
from storyscope.web._related import RELATED_FLOOR, StoryVectors  # noqa: E402
from storyscope.web._store_source import StoreSource  # noqa: E402

# story -> the direction of its articles' vectors: b is 0.8 from a, c 0.6 (the floor: kept),
# d 0.59 from a (left out), far away from everything; e has none
DIRECTIONS = {
    "a": [1.0, 0.0, 0.0, 0.0],
    "b": [0.8, 0.6, 0.0, 0.0],
    "c": [0.6, 0.8, 0.0, 0.0],
    "d": [0.59, 0.0, 0.0, 0.8074],
    "z": [0.0, 0.0, 1.0, 0.0],
}


def _with_vectors(story: Story, direction: list[float] | None) -> Story:
    if direction is None:
        return story
    unit = np.asarray(direction, dtype=np.float32)
    unit /= np.linalg.norm(unit)
    articles = tuple(
        dataclasses.replace(a, embeddings=np.tile(unit, (max(1, len(a.sentences)), 1)))
        for a in story.articles
    )
    return dataclasses.replace(story, articles=articles)


@pytest.fixture(scope="module")
def memory_client() -> Iterator[TestClient]:
    base = make_story(2)
    stories = {sid: _with_vectors(base, d) for sid, d in DIRECTIONS.items()}
    stories["e"] = base  # built by hand: no sentence embeddings
    app = create_app(MemorySource(stories))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _related(client: TestClient, sid: str, **params: Any) -> dict[str, Any]:
    response = client.get(f"/api/stories/{sid}/related", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_nearest_first_down_to_the_floor_in_memory(memory_client: TestClient) -> None:
    body = _related(memory_client, "a")
    assert body["story"] == "a" and body["floor"] == RELATED_FLOOR and body["rule"]
    assert [(r["id"], r["score"]) for r in body["related"]] == [("b", 0.8), ("c", 0.6)]
    first = body["related"][0]
    assert first["url"] == "/api/stories/b" and first["article_count"] == 2 and first["outlets"]
    assert [r["id"] for r in _related(memory_client, "a", limit=1)["related"]] == ["b"]


def test_no_list_below_the_floor_or_without_vectors(memory_client: TestClient) -> None:
    assert _related(memory_client, "z")["related"] == []
    assert _related(memory_client, "e")["related"] == []
    page = memory_client.get("/stories/z")
    assert page.status_code == 200 and 'id="related"' not in page.text


def test_unknown_story_is_a_404_and_limit_is_bounded(memory_client: TestClient) -> None:
    missing = memory_client.get("/api/stories/nope/related")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert memory_client.get("/api/stories/a/related", params={"limit": 0}).status_code == 422


def test_story_page_links_related_stories_nearest_first(memory_client: TestClient) -> None:
    page = memory_client.get("/stories/a")
    assert page.status_code == 200
    section = page.text[page.text.index('<section id="related"') :]
    section = section[: section.index("</section>")]
    assert re.findall(r'href="/stories/([^"]+)"', section) == ["b", "c"]
    assert "0.800" in section and "storyscope:related" not in page.text
    # the rest of the page follows the report's order: related stories come last
    assert page.text.index('id="warnings"') < page.text.index('id="related"')


def test_openapi_types_the_related_route(memory_client: TestClient) -> None:
    spec = memory_client.get("/api/openapi.json").json()
    operation = spec["paths"]["/api/stories/{story_id}/related"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/StoryRelated"}
    related = spec["components"]["schemas"]["StoryRelated"]["properties"]["related"]
    assert related["items"] == {"$ref": "#/components/schemas/RelatedStory"}


def _put(store: Store, story_id: int, direction: list[float]) -> None:
    ids = [a.id for a in store.story_articles(story_id)]
    store.put_embeddings({i: np.asarray(direction) for i in ids}, model="test")


def test_store_source_related_without_analysis_and_following_changes(tmp_path: Path) -> None:
    path = tmp_path / "related.db"
    a, b, c, z, bare = fill_store(path, stories=5)
    pipeline = CountingPipeline()
    with Store.open(path) as store:
        for sid, name in ((a, "a"), (b, "b"), (c, "c"), (z, "z")):
            _put(store, sid, DIRECTIONS[name])
        source = StoreSource(store, pipeline=pipeline)
        source.related_ttl_s = 0.0
        with TestClient(create_app(source), raise_server_exceptions=False) as client:
            body = _related(client, str(a))
            assert [(r["id"], r["score"]) for r in body["related"]] == [
                (str(b), 0.8),
                (str(c), 0.6),
            ]
            assert body["related"][0]["title"] == "Story 1"
            assert pipeline.analyzed == 0  # no story analysed to answer
            assert _related(client, str(bare))["related"] == []
            assert _related(client, str(z))["related"] == []
            assert client.get("/api/stories/999/related").status_code == 404
            assert client.get("/api/stories/0001/related").status_code == 404

            page = client.get(f"/stories/{a}")
            assert page.status_code == 200
            assert page.text.index(f'href="/stories/{b}"') < page.text.index(f'href="/stories/{c}"')

            # a new story near a shows up; a story merged away leaves the list
            items = [article(n, "Saltmere Daily", "new") for n in range(2)]
            store.add_articles(items)
            new = store.create_story("New story", [x.id for x in items])
            _put(store, new, [0.9, 0.43589, 0.0, 0.0])
            store.merge_stories(z, c)
            ids = [r["id"] for r in _related(client, str(a))["related"]]
            assert ids == [str(new), str(b)]
            page = client.get(f"/stories/{a}")
            assert f'href="/stories/{new}"' in page.text and f'href="/stories/{c}"' not in page.text


def test_store_vectors_leave_out_duplicate_copies(tmp_path: Path) -> None:
    path = tmp_path / "dups.db"
    (sid,) = fill_store(path)
    with Store.open(path) as store:
        first, copy, *_ = store.story_articles(sid)
        store.put_embeddings({first.id: [1.0, 0.0], copy.id: [0.0, 1.0]})
        store.mark_duplicate(copy.id, first.id)
        (vector,) = store.story_vectors([sid]).values()
        assert np.allclose(vector, [1.0, 0.0])
        assert store.story_stamps() == {sid: store.story_version(sid)}


def test_ties_go_by_id_and_a_full_index_keeps_them() -> None:
    vectors = {str(i): np.asarray([1.0, 0.0], dtype=np.float32) for i in range(10)}
    index = StoryVectors(vectors)
    assert index.nearest("3", limit=3) == [("0", 1.0), ("1", 1.0), ("2", 1.0)]
    index.update({}, removed=["0"])
    assert [sid for sid, _ in index.nearest("3", limit=2)] == ["1", "2"]
    assert index.nearest("missing") == []
