"""Hostile ids and parameters: every route answers in its error shape, never 500, never an analysis.

The walk reads the app's own route table, so a route added later is covered too.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

sys.path.insert(0, str(Path(__file__).parent))

from _store_app import CountingPipeline, fill_store  # noqa: E402

from storyscope.store import Store  # noqa: E402
from storyscope.web import WebSettings, create_app  # noqa: E402
from storyscope.web._store_source import StoreSource  # noqa: E402

ERROR_KEYS = {"ok", "status", "code", "error", "errors"}

# Aliases of story 1 (zero padding, other scripts' digits, superscripts, signs, spaces),
# ids past int64, and junk. Each is sent percent-encoded as one path segment.
ALIASES = [
    "01", "001", "0001", "١", "۱", "१", "１", "𝟏", "¹", "₁", "+1", " 1", "1 ", "1\n", "\t1",
    "1.0", "1e0", "0x1", "1_0", "٠١",
]  # fmt: skip
HOSTILE = [
    *ALIASES,
    "0", "-1", "-0", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
    "18446744073709551616", "9" * 40, "9" * 5000, "²", "١٠٥", "NaN", "inf", "true", "null",
    "\x00", "1\x00", "%00", "..", ".", "a/b", "../../etc/passwd", "\u202e1", "a" * 10_000,
    "<script>", "'", '"', "\\", "%", "?", "#", "\r\n", "\ufeff1",
]  # fmt: skip
RAW = ["%FF", "%C0%AF", "%E2%80", "%2e%2e%2f", "%252e"]  # already-encoded (bad UTF-8 included)
QUERY_VALUES = [
    "", "١", "¹", "01", "-1", "0", "9223372036854775808", "9" * 5000, "1e3", "NaN", "\x00",
    "2031-02-30", "2031-9-7", "+002031-09-07", "99999-01-01", "recent\x00", "a" * 4000,
    '"', "*", "NEAR(", "\ufeff", "\udcff"[:0] + "%FF",
]  # fmt: skip
QUERY_NAMES = ["q", "outlet", "from", "to", "sort", "page", "limit", "offset", "name"]


@pytest.fixture(scope="module")
def store_app(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[FastAPI, CountingPipeline]]:
    path = tmp_path_factory.mktemp("hostile") / "s.db"
    assert fill_store(path) == [1]
    pipeline = CountingPipeline()
    store = Store.open(path)
    try:
        yield create_app(StoreSource(store, pipeline=pipeline), settings=WebSettings()), pipeline
    finally:
        store.close()


def _routes(app: FastAPI) -> list[tuple[str, str, list[str]]]:
    """(method, path template, parameter names) of every route, static files included.

    Routers included with ``include_router`` are walked too (FastAPI 0.165 keeps them
    as one entry holding the router, not as copies of its routes).
    """
    found: list[tuple[str, str, list[str]]] = []

    def walk(routes: list[Any], prefix: str) -> None:
        for route in routes:
            inner = getattr(route, "original_router", None)
            if inner is not None:
                context = getattr(route, "include_context", None)
                walk(list(inner.routes), prefix + str(getattr(context, "prefix", "") or ""))
            elif isinstance(route, Mount):
                found.append(("GET", prefix + route.path + "/{path:path}", ["path"]))
            elif isinstance(route, Route):
                for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
                    found.append((method, prefix + route.path, list(route.param_convertors)))

    walk(list(app.routes), "")
    return found


def _url(template: str, params: list[str], segment: str) -> str:
    url = template
    for name in params:
        url = url.replace("{" + name + ":path}", segment).replace("{" + name + "}", segment)
    return url


def _check(response: Any, url: str) -> None:
    status = response.status_code
    assert status != 500 and status < 600, f"{url}: {status} {response.text[:200]}"
    if status < 400:
        return
    if url.startswith("/api/"):
        body = response.json()
        assert set(body) == ERROR_KEYS, url
        assert body["status"] == status and body["ok"] is False, url
        assert "\n" not in body["error"], url
    elif not url.startswith("/static/"):
        assert response.headers["content-type"].startswith("text/html"), url


def _query_names(route_path: str) -> list[str]:
    """The query parameters a route reads: the story lists' ("/" is the same page as /stories)."""
    return QUERY_NAMES if route_path in ("/stories", "/api/stories") else []


async def _walk_async(app: FastAPI, *, queries: bool) -> int:
    sent = 0
    segments = [quote(v, safe="") for v in HOSTILE] + RAW
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:

        async def check(method: str, url: str, body: bytes | None = None) -> None:
            nonlocal sent
            _check(await client.request(method, url, content=body), url)
            sent += 1

        for method, template, params in _routes(app):
            bodies: list[Any] = [None] if method == "GET" else [None, b"\x00\xff", b"{" * 1000]
            for segment in segments if params else [""]:
                for body in bodies:
                    await check(method, _url(template, params, segment), body)
            if method != "GET" or not queries:
                continue
            base = _url(template, params, "1")
            names = _query_names(template)
            for value in QUERY_VALUES if names else QUERY_VALUES[:8]:
                encoded = quote(value, safe="")
                if names:  # one parameter at a time, so each is checked on its own
                    for name in names:
                        await check("GET", f"{base}?{quote(name)}={encoded}")
                else:  # a route that reads none: all of them at once must not matter
                    await check("GET", base + "?" + "&".join(f"{n}={encoded}" for n in QUERY_NAMES))
    return sent


def _walk(app: FastAPI, *, queries: bool = True) -> int:
    """Send every hostile segment to every route, and hostile values to each query parameter
    (in process, one event loop: about 2 ms a request). Returns the number of requests sent."""
    return anyio.run(functools.partial(_walk_async, app, queries=queries))


def test_every_route_survives_hostile_ids_and_parameters_memory(app: FastAPI) -> None:
    assert _walk(app, queries=False) > 500


def test_the_walk_sees_every_page_and_api_route(app: FastAPI) -> None:
    paths = {path for _, path, _ in _routes(app)}
    assert {"/", "/stories/{story_id}", "/api/stories/{story_id}/quotes", "/outlets/{name}"} <= {
        p.replace(":path", "") for p in paths
    }
    assert ("POST", "/api/compare", []) in _routes(app)


def test_every_route_survives_hostile_ids_and_parameters_store(
    store_app: tuple[FastAPI, CountingPipeline],
) -> None:
    app, pipeline = store_app
    assert _walk(app) > 1000
    assert pipeline.analyzed <= 4  # story 1 analysed once (its four articles), never per alias


def test_story_id_aliases_are_404_without_analysis(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    fill_store(path)
    pipeline = CountingPipeline()
    with Store.open(path) as store:
        app = create_app(StoreSource(store, pipeline=pipeline))
        with TestClient(app, raise_server_exceptions=False) as c:
            for prefix in ("/api/stories/", "/stories/", "/api/stories/"):
                for alias in ALIASES:
                    r = c.get(prefix + quote(alias, safe=""))
                    assert r.status_code == 404, (prefix, alias, r.status_code)
                    if prefix.startswith("/api/"):
                        assert r.json()["code"] == "not_found"
                for suffix in ("/facts", "/quotes"):
                    assert c.get(f"/api/stories/{quote(ALIASES[3])}{suffix}").status_code == 404
                assert pipeline.analyzed == 0, prefix
            assert c.get("/api/stories/1").status_code == 200
            assert c.get("/stories/1").status_code == 200
            assert pipeline.analyzed == 4  # one analysis of the four articles


def test_ids_past_int64_read_as_unknown_in_the_store(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        for number in (2**63, -(2**63) - 1, 10**40):
            assert store.get_story(number) is None
            assert store.story_articles(number) == []
        assert store.get_story(2**63 - 1) is None
