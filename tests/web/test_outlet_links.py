"""Outlet names with '/', '..', '%', '?' and '#' link to their own page (before: broken links).

Checked over real HTTP (uvicorn decodes the path itself) and with the browser's rule
that a '.' or '..' segment, even percent-encoded, is resolved away.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from _live import live_server  # noqa: E402
from _store_app import OUTLETS, article  # noqa: E402
from _stories import fake_compare  # noqa: E402

from storyscope.web import MemorySource, create_app  # noqa: E402
from storyscope.web._state import outlet_url  # noqa: E402

_DOTS = {".", "..", "%2e", "%2e%2e", ".%2e", "%2e."}  # what a browser resolves away


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        if tag == "a" and "/outlets" in href:
            self.hrefs.append(href)


def _outlet_links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def _named(href: str) -> str:
    """The outlet a link names, as the server will read it."""
    parts = urlsplit(href)
    if parts.query:
        return parse_qs(parts.query, keep_blank_values=True)["name"][0]
    return unquote(parts.path.split("/outlets/", 1)[1])


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    story = fake_compare([article(n, o) for n, o in enumerate(OUTLETS)])
    with live_server(create_app(MemorySource({"s": story}))) as url:
        yield url


def test_outlet_url_quotes_a_whole_segment_or_falls_back_to_the_query() -> None:
    assert outlet_url("Saltmere Daily") == "/outlets/Saltmere%20Daily"
    assert outlet_url("100% News?#") == "/outlets/100%25%20News%3F%23"
    assert outlet_url("a/b") == "/outlets?name=a%2Fb"
    assert outlet_url("..") == "/outlets?name=.." and outlet_url(".") == "/outlets?name=."
    assert outlet_url("a\\b", api=True) == "/api/outlets?name=a%5Cb"


@pytest.mark.parametrize("page", ["/stories/s", "/", "/articles/{first}"])
def test_every_outlet_link_opens_its_outlet(base_url: str, page: str) -> None:
    first = article(1, OUTLETS[1]).id  # the 'a/b' article
    with httpx.Client(base_url=base_url, timeout=10) as client:
        html = client.get(page.format(first=first)).text
        hrefs = _outlet_links(html)
        assert hrefs, html[:500]
        if page != "/articles/{first}":
            assert {_named(unescape(h)) for h in hrefs} == set(OUTLETS)
        for href in map(unescape, hrefs):
            segments = urlsplit(href).path.split("/")
            assert not _DOTS & {s.lower() for s in segments}, href
            name = _named(href)
            r = client.get(href)
            assert r.status_code == 200, (href, r.status_code)
            assert f"<h1>{escape(name, quote=False)}</h1>" in r.text, href
            json_link = next(h for h in map(unescape, _outlet_links(r.text)) if "/api/" in h)
            body = client.get(json_link).json()
            assert body["outlet"] == name, (json_link, body)


def test_an_encoded_slash_in_the_path_reaches_the_outlet_too(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        assert client.get("/api/outlets/a%2Fb").json()["outlet"] == "a/b"
        assert client.get("/outlets/a%2Fb").status_code == 200
        assert client.get("/api/outlets", params={"name": ".."}).json()["outlet"] == ".."
        assert client.get("/outlets").status_code == 404
        assert client.get("/api/outlets").status_code == 422
