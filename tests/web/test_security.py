"""Untrusted article text stays text; headers forbid inline scripts, framing and sniffing."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from storyscope.model import Story
from storyscope.web import CONTENT_SECURITY_POLICY

PAGES = ["/", "/stories/ferry", "/compare", "/outlets/Harrowby Post <i>", "/stories?q=<script>"]


class _Audit(HTMLParser):
    """Records scripts, inline handlers and style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {k for k, _ in attrs}
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append(f"script without local src: {attrs}")
        if tag == "style":
            self.problems.append("inline <style>")
        for name in names:
            if name.startswith("on") or name == "style":
                self.problems.append(f"<{tag} {name}=...>")

    def handle_data(self, data: str) -> None:
        if self.lasttag == "script" and data.strip():
            self.problems.append("inline script body")


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script_style_or_handlers(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    audit = _Audit()
    audit.feed(r.text)
    assert audit.problems == []


def test_hostile_article_text_is_escaped(client: TestClient, story: Story) -> None:
    hostile = story.articles[2]
    for path in ("/stories/ferry", f"/articles/{hostile.id}"):
        text = client.get(path).text
        assert '<script>alert("x")</script>' not in text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in text
        assert 'onmouseover="alert(1)"' not in text
        assert "<b>bold</b>" not in text
        assert "Harrowby Post &lt;i&gt;" in text
        assert "Ferry crash <script>" not in text


def test_hostile_outlet_name_in_url_and_query_is_escaped(client: TestClient) -> None:
    text = client.get("/stories", params={"q": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)</script>" not in text


@pytest.mark.parametrize(
    "path", ["/", "/stories/ferry", "/api/stories", "/api/stories/nope", "/static/app.js"]
)
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_static_htmx_is_vendored_with_its_licence(client: TestClient) -> None:
    js = client.get("/static/htmx.min.js")
    assert js.status_code == 200 and "htmx" in js.text[:200]
    assert "Zero-Clause BSD" in client.get("/static/htmx.LICENSE.txt").text


def test_api_compare_records_urls_without_fetching(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    real = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        raise AssertionError(f"the server opened a connection to {address}")

    monkeypatch.setattr(socket.socket, "connect", guarded)
    r = client.post(
        "/api/compare",
        json={
            "articles": [
                {"text": "A dam gave way at Elmstead on Monday.", "url": "http://169.254.169.254/"},
                {"text": "The Elmstead dam failed on Monday night.", "url": "http://localhost:22/"},
            ]
        },
    )
    monkeypatch.setattr(socket.socket, "connect", real)
    assert r.status_code == 200, r.text
    urls = {a["url"] for a in r.json()["report"]["articles"]}
    assert urls == {"http://169.254.169.254/", "http://localhost:22/"}
