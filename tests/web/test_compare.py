"""Compare: paste texts, upload files, the JSON endpoint, and the limits."""

from __future__ import annotations

import dataclasses
import functools
import json
import time

import pytest
from fastapi.testclient import TestClient

from storyscope.model import Article, Story
from storyscope.report import validate
from storyscope.web import MemorySource, WebSettings, create_app

ONE = "Rain flooded the Marlow underpass on Friday. Nine cars were stuck.\n\nCrews pumped water all night."
TWO = "The Marlow underpass flooded on Friday. Seven cars were stuck.\n\nThe council blamed blocked drains."


def test_paste_form_renders_a_report(client: TestClient) -> None:
    r = client.post(
        "/compare",
        data={"outlet": ["Marlow Echo", "Fenwick Times", ""], "text": [ONE, TWO, ""]},
    )
    assert r.status_code == 200, r.text
    assert "Report:" in r.text
    assert "the first sentences disagree" in r.text
    assert "Marlow Echo" in r.text and "Fenwick Times" in r.text
    assert 'class="hl hl-conflict"' in r.text


def test_paste_form_htmx_gets_only_the_result(client: TestClient) -> None:
    r = client.post(
        "/compare", data={"outlet": ["A", "B"], "text": [ONE, TWO]}, headers={"HX-Request": "true"}
    )
    assert r.status_code == 200
    assert "<html" not in r.text and "Report:" in r.text


def test_upload_files_are_compared(client: TestClient) -> None:
    page = (
        "<!DOCTYPE html><html><head><title>Underpass</title></head><body><article><p>"
        + TWO.replace("\n\n", "</p><p>")
        + "</p></article></body></html>"
    )
    r = client.post(
        "/compare",
        data={"text": [ONE], "outlet": ["Marlow Echo"]},
        files=[("files", ("fenwick.html", page.encode(), "text/html"))],
    )
    assert r.status_code == 200, r.text
    assert "Report:" in r.text


def test_too_few_articles_is_a_422_with_the_form_kept(client: TestClient) -> None:
    r = client.post("/compare", data={"outlet": ["Solo"], "text": [ONE]})
    assert r.status_code == 422
    assert "need at least 2" in r.text
    assert "Rain flooded the Marlow underpass" in r.text  # the pasted text is kept


def test_api_compare_returns_a_report(client: TestClient) -> None:
    r = client.post(
        "/api/compare",
        json={
            "articles": [
                {"text": ONE, "outlet": "Marlow Echo"},
                {"text": TWO, "outlet": "Fenwick Times", "url": "http://127.0.0.1/x"},
            ]
        },
    )
    assert r.status_code == 200, r.text
    report = r.json()["report"]
    assert report["stats"]["articles"] == 2
    assert report["contradictions"][0]["explanation"] == "the first sentences disagree"


def test_api_compare_caps_article_count(client: TestClient) -> None:
    body = {"articles": [{"text": f"{ONE} Item {i}.", "outlet": f"O{i}"} for i in range(5)]}
    r = client.post("/api/compare", json=body)
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_input" and "too many articles" in r.json()["error"]


def test_api_compare_caps_the_characters_to_analyse_in_all(
    source: MemorySource, settings: WebSettings
) -> None:
    small = dataclasses.replace(settings, max_compare_chars=len(ONE) + len(TWO) - 1)
    with TestClient(create_app(source, settings=small)) as client:
        body = {"articles": [{"text": ONE, "outlet": "A"}, {"text": TWO, "outlet": "B"}]}
        r = client.post("/api/compare", json=body)
        assert r.status_code == 422
        error = r.json()["error"]
        assert r.json()["code"] == "invalid_input"
        assert "\n" not in error
        limit = f"{len(ONE) + len(TWO) - 1:,}"
        assert f"characters to analyse in 2 articles: compare takes at most {limit} in all" in error
        assert "storyscope ingest" in error
        r = client.post("/compare", data={"outlet": ["A", "B"], "text": [ONE, TWO]})
        assert r.status_code == 422 and "in all" in r.text
    with TestClient(create_app(source, settings=settings)) as client:
        assert client.post("/api/compare", json=body).status_code == 200


def test_five_long_sentenceless_articles_are_refused_at_once_by_the_default_budget(
    source: MemorySource,
) -> None:
    """Issue 19: five 199,990-character articles, inside every other cap, ran past 600 s."""
    from _stories import fake_compare

    calls: list[int] = []

    def comparer(articles: list[Article] | tuple[Article, ...]) -> Story:
        calls.append(len(articles))
        return fake_compare(articles)

    words = "the port council said workers would strike after talks failed "
    body = {
        "articles": [
            {"text": (f"{i} " + words * 4000)[:199_990], "outlet": f"O{i}"} for i in range(5)
        ]
    }
    with TestClient(create_app(source, settings=WebSettings(comparer=comparer))) as client:
        started = time.perf_counter()
        r = client.post("/api/compare", json=body)
        assert time.perf_counter() - started < 10
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"
    assert "compare takes at most 200,000 in all" in r.json()["error"] and not calls


def test_api_compare_validates_the_body(client: TestClient) -> None:
    r = client.post("/api/compare", json={"articles": [{"txt": ONE}]})
    assert r.status_code == 422
    assert r.json()["errors"]
    r = client.post(
        "/api/compare", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422


def test_api_compare_refuses_large_bodies_with_413(client: TestClient) -> None:
    body = json.dumps({"articles": [{"text": "x" * 60_000}, {"text": "y"}]})
    r = client.post("/api/compare", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["code"] == "payload_too_large"
    assert r.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_streamed_body_over_the_cap_is_refused(client: TestClient) -> None:
    def chunks():  # no Content-Length: the cap is enforced while reading
        for _ in range(100):
            yield b"x" * 1000

    r = client.post("/api/compare", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_large_upload_page_gets_413(client: TestClient) -> None:
    r = client.post("/compare", files=[("files", ("big.txt", b"word " * 20_000, "text/plain"))])
    assert r.status_code == 413
    assert "text/html" in r.headers["content-type"]


@pytest.mark.slow
def test_api_compare_runs_the_real_pipeline() -> None:
    from storyscope.analyze import Pipeline
    from storyscope.api import compare_articles
    from storyscope.testing import FakeEmbedder
    from storyscope.web import MemorySource, WebSettings, create_app

    pipeline = Pipeline(embedder=FakeEmbedder())
    settings = WebSettings(comparer=functools.partial(compare_articles, pipeline=pipeline))
    with TestClient(create_app(MemorySource({}), settings=settings)) as c:
        r = c.post(
            "/api/compare",
            json={
                "articles": [
                    {
                        "text": "A bridge in Tollmere closed on Monday after inspectors found 12 cracks.",
                        "outlet": "Tollmere Times",
                    },
                    {
                        "text": "Inspectors found 9 cracks in the Tollmere bridge, which closed on Monday.",
                        "outlet": "Valley Wire",
                    },
                ]
            },
        )
    assert r.status_code == 200, r.text
    report = r.json()["report"]
    validate(report)
    for article in report["articles"]:
        for s in article["sentences"]:
            assert 0 <= s["start"] < s["end"] <= len(article["text"])


def test_a_compare_flood_past_the_queue_answers_503_with_retry_after() -> None:
    import sys
    import time
    from pathlib import Path

    import anyio
    import httpx

    sys.path.insert(0, str(Path(__file__).parent))
    from _stories import fake_compare

    from storyscope.web import MemorySource, WebSettings, create_app

    def slow(articles):  # type: ignore[no-untyped-def]
        time.sleep(0.3)
        return fake_compare(articles)

    settings = WebSettings(comparer=slow, compare_workers=1, compare_queue=1, retry_after_s=2)
    app = create_app(MemorySource({}), settings=settings)
    body = {"articles": [{"text": ONE}, {"text": TWO}]}

    async def flood() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            results: list[httpx.Response] = []

            async def one() -> None:
                results.append(await client.post("/api/compare", json=body))

            async with anyio.create_task_group() as tg:
                for _ in range(5):
                    tg.start_soon(one)
            return results

    t0 = time.monotonic()
    statuses = sorted(r.status_code for r in anyio.run(flood))
    assert statuses == [200, 200, 503, 503, 503]  # one running, one waiting, three refused
    assert time.monotonic() - t0 < 3  # the refused ones did not wait
    refused = next(r for r in anyio.run(flood) if r.status_code == 503)
    assert refused.headers["Retry-After"] == "2" and refused.json()["code"] == "unavailable"


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_the_compare_form_past_the_queue_answers_503_with_retry_after(htmx: bool) -> None:
    import sys
    import threading
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from _stories import fake_compare

    release = threading.Event()
    started = threading.Event()

    def slow(articles):  # type: ignore[no-untyped-def]
        started.set()
        release.wait(10)
        return fake_compare(articles)

    settings = WebSettings(comparer=slow, compare_workers=1, compare_queue=0, retry_after_s=3)
    app = create_app(MemorySource({}), settings=settings)
    form = {"outlet": ["A", "B"], "text": [ONE, TWO]}
    headers = {"HX-Request": "true"} if htmx else {}
    with TestClient(app) as client:
        busy = threading.Thread(target=lambda: client.post("/compare", data=form))
        busy.start()
        try:
            assert started.wait(10)
            refused = client.post("/compare", data=form, headers=headers)
        finally:
            release.set()
            busy.join(10)
    assert refused.status_code == 503, refused.text
    assert refused.headers["Retry-After"] == "3"
    assert refused.headers["content-type"].startswith("text/html")
    assert ("<html" in refused.text) is not htmx
