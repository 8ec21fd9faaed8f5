"""The REST API and its one error shape."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyscope.model import Story
from storyscope.report import validate
from storyscope.web import MemorySource, WebSettings, create_app

ERROR_KEYS = {"ok", "status", "code", "error", "errors"}


def assert_error(body: dict[str, Any], status: int, code: str) -> None:
    assert set(body) == ERROR_KEYS
    assert body["ok"] is False
    assert body["status"] == status
    assert body["code"] == code
    assert isinstance(body["error"], str) and body["error"] and "\n" not in body["error"]


def test_list_stories_returns_ids_and_counts(client: TestClient) -> None:
    body = client.get("/api/stories").json()
    ids = {s["id"] for s in body["stories"]}
    assert ids == {"ferry", "ferry-big"}
    assert body["total"] == 2
    row = next(s for s in body["stories"] if s["id"] == "ferry")
    assert row["article_count"] == 3 and row["contradiction_count"] == 1
    assert row["url"] == "/api/stories/ferry"


def test_list_stories_filters_and_pages(client: TestClient) -> None:
    body = client.get("/api/stories", params={"sort": "size", "limit": 1}).json()
    assert [s["id"] for s in body["stories"]] == ["ferry-big"]
    assert body["total"] == 2
    assert client.get("/api/stories", params={"q": "volcano"}).json()["stories"] == []


def test_story_carries_a_valid_report(client: TestClient) -> None:
    body = client.get("/api/stories/ferry").json()
    assert body["story"]["id"] == "ferry"
    validate(body["report"])


def test_story_sections(client: TestClient, story: Story) -> None:
    facts = client.get("/api/stories/ferry/facts").json()["facts"]
    assert {f["id"] for f in facts} == {f.id for f in story.facts}
    assert next(f for f in facts if f["id"] == "f-collide")["support_count"] == 3
    contradictions = client.get("/api/stories/ferry/contradictions").json()["contradictions"]
    assert contradictions[0]["a"]["text"] == story.contradictions[0].a.text
    quotes = client.get("/api/stories/ferry/quotes").json()
    assert len(quotes["quotes"]) == 3 and len(quotes["quote_variants"]) == 1


def test_article_endpoint_offsets_point_into_text(client: TestClient, story: Story) -> None:
    article = story.articles[2]
    body = client.get(f"/api/articles/{article.id}").json()
    assert body["story"] == "ferry"
    record = body["article"]
    assert record["text"] == article.text
    for s in record["sentences"]:
        assert 0 <= s["start"] <= s["end"] <= len(record["text"])


def test_outlet_endpoint(client: TestClient) -> None:
    body = client.get("/api/outlets/Coastal Signal").json()
    assert body["outlet"] == "Coastal Signal"
    assert body["totals"]["hedges"] >= 1 and body["articles"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/stories/nope",
        "/api/stories/nope/facts",
        "/api/articles/nope",
        "/api/outlets/nope",
        "/api/nothing",
    ],
)
def test_404_uses_the_error_shape(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert_error(r.json(), 404, "not_found")


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "random"},
        {"limit": "0"},
        {"limit": "many"},
        {"from": "yesterday"},
        {"offset": "-1"},
    ],
)
def test_422_uses_the_error_shape(client: TestClient, params: dict[str, str]) -> None:
    r = client.get("/api/stories", params=params)
    assert r.status_code == 422
    body = r.json()
    assert_error(body, 422, "invalid_input")
    assert body["errors"] and all("loc" in e and "message" in e for e in body["errors"])


def test_405_uses_the_error_shape(client: TestClient) -> None:
    r = client.delete("/api/stories")
    assert r.status_code == 405
    assert_error(r.json(), 405, "method_not_allowed")


def test_500_uses_the_error_shape_and_hides_details(story: Story) -> None:
    class Broken(MemorySource):
        def get_story(self, story_id: str) -> Story | None:
            raise RuntimeError("secret database path /srv/x")

    app = create_app(Broken({"ferry": story}), settings=WebSettings())
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/stories/ferry")
        assert r.status_code == 500
        assert_error(r.json(), 500, "internal_error")
        assert "secret" not in r.text
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        page = c.get("/stories/ferry")
        assert page.status_code == 500 and "text/html" in page.headers["content-type"]


def test_openapi_documents_the_api(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    paths = set(spec["paths"])
    for path in (
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/stories/{story_id}/facts",
        "/api/stories/{story_id}/contradictions",
        "/api/stories/{story_id}/quotes",
        "/api/articles/{article_id}",
        "/api/compare",
    ):
        assert path in paths
    assert not any(p.startswith("/stories") for p in paths)  # pages stay out of the API doc
    assert client.get("/docs").status_code == 404  # no CDN-loading Swagger page
