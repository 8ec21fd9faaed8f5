"""``/api/``: the API index page, and the typed response schemas of the OpenAPI document."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import jsonschema
import pytest
from fastapi.testclient import TestClient

from storyscope.model import Story
from storyscope.report import load_schema

JSON = {"Accept": "application/json"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def _validate(spec: dict[str, Any], component: str, body: Any) -> None:
    """Validate ``body`` against ``#/components/schemas/<component>`` of the OpenAPI document."""
    schema = {"$ref": f"#/components/schemas/{component}", "components": spec["components"]}
    jsonschema.Draft202012Validator(schema).validate(body)


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, ops in spec["paths"].items()
        if path.startswith("/api/")
        for method, op in ops.items()
    ]


def test_index_answers_json_listing_every_endpoint(
    client: TestClient, spec: dict[str, Any]
) -> None:
    response = client.get("/api/", headers=JSON)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "Accept" in response.headers["vary"]
    body = response.json()
    assert body["openapi"] == "/api/openapi.json"
    listed = {(e["method"], e["path"]) for e in body["endpoints"]}
    documented = {(method.upper(), path) for path, method, _ in _operations(spec)}
    assert listed == documented
    assert ("GET", "/api/stories/{story_id}") in listed and ("POST", "/api/compare") in listed
    for endpoint in body["endpoints"]:
        assert endpoint["summary"] and "\n" not in endpoint["summary"], endpoint
    _validate(spec, "ApiIndex", body)


def test_index_without_accept_is_json(client: TestClient) -> None:
    response = client.get("/api/", headers={"Accept": "*/*"})
    assert response.headers["content-type"].startswith("application/json")
    assert client.get("/api").json()["openapi"] == "/api/openapi.json"  # redirected to /api/


def test_index_is_a_page_for_browsers(client: TestClient) -> None:
    response = client.get("/api/", headers=BROWSER)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in response.headers
    page = response.text
    assert '<a href="/api/openapi.json">' in page
    assert "<code>/api/stories/{story_id}</code>" in page
    assert "One story and its JSON report" in page
    assert "<script" not in page


def test_every_operation_documents_a_typed_success_and_the_error_shape(
    spec: dict[str, Any],
) -> None:
    schemas = spec["components"]["schemas"]
    for path, method, op in _operations(spec):
        ok = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok.get("$ref", "").startswith("#/components/schemas/"), (path, method, ok)
        assert ok["$ref"].rsplit("/", 1)[1] in schemas
        for status, response in op["responses"].items():
            if status.startswith(("4", "5")):
                assert response["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"
                }, (path, method, status)
    assert "HTTPValidationError" not in schemas  # 422 is the one error shape, not FastAPI's


def test_report_component_is_the_shipped_schema(spec: dict[str, Any]) -> None:
    shipped = load_schema()
    schemas = spec["components"]["schemas"]
    assert set(schemas["Report"]["properties"]) == set(shipped["properties"])
    assert schemas["Report"]["required"] == shipped["required"]
    for name in shipped["$defs"]:
        component = "Report" + "".join(p.capitalize() for p in name.split("_"))
        assert component in schemas, name
    assert "#/$defs/" not in str(spec)  # every reference points into the OpenAPI document


def test_responses_match_their_documented_schemas(
    client: TestClient, spec: dict[str, Any], story: Story
) -> None:
    rows = client.get("/api/stories").json()
    _validate(spec, "StoryList", rows)
    _validate(spec, "StoryInfo", rows["stories"][0])
    _validate(spec, "StoryReport", client.get("/api/stories/ferry").json())
    _validate(spec, "StoryFacts", client.get("/api/stories/ferry/facts").json())
    _validate(spec, "StoryContradictions", client.get("/api/stories/ferry/contradictions").json())
    _validate(spec, "StoryQuotes", client.get("/api/stories/ferry/quotes").json())
    article = story.articles[0]
    _validate(spec, "ArticleReport", client.get(f"/api/articles/{article.id}").json())
    outlet = client.get(f"/api/outlets/{quote(article.article.outlet, safe='')}")
    assert outlet.status_code == 200
    _validate(spec, "Outlet", outlet.json())
    _validate(spec, "Health", client.get("/api/health").json())
    missing = client.get("/api/stories/nope")
    assert missing.status_code == 404
    _validate(spec, "Error", missing.json())
    invalid = client.get("/api/stories", params={"limit": 0})
    assert invalid.status_code == 422
    _validate(spec, "Error", invalid.json())
    with pytest.raises(jsonschema.ValidationError):
        _validate(spec, "StoryReport", {"story": rows["stories"][0], "report": {}})


def test_compare_response_matches_its_schema(client: TestClient, spec: dict[str, Any]) -> None:
    body = {
        "articles": [
            {"text": "The ferry hit the pier on Monday, the harbour master said.", "outlet": "A"},
            {"text": "The ferry struck the pier on Monday, officials said.", "outlet": "B"},
        ]
    }
    response = client.post("/api/compare", json=body)
    assert response.status_code == 200, response.text
    _validate(spec, "CompareResult", response.json())
