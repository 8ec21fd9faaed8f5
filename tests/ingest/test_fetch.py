"""Fetcher: timeouts, size cap, retries, robots.txt, rate limit, redirects (local server only).

The local server is on 127.0.0.1, so these fetchers opt in with ``allow_private_addresses``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyscope.errors import IngestError
from storyscope.ingest.fetch import USER_AGENT, Fetcher, _content_type

PAGE = b"<html><body><p>The Velmor ferry resumed service on Monday.</p></body></html>"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    hits: dict[str, int] = {}
    agents: list[str] = []

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        return

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path
        hits = type(self).hits
        hits[path] = hits.get(path, 0) + 1
        type(self).agents.append(self.headers.get("User-Agent", ""))
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
        elif path in ("/ok", "/private/ok"):
            self._send(200, PAGE, {"Content-Type": "text/html; charset=utf-8"})
        elif path == "/flaky":
            if hits[path] == 1:
                self._send(500, b"oops")
            else:
                self._send(200, PAGE, {"Content-Type": "text/html"})
        elif path == "/always-503":
            self._send(503, b"busy", {"Retry-After": "2"})
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, PAGE)
        elif path == "/huge-declared":
            self._send(200, b"x" * 10, {"Content-Length": "50000000"})
        elif path == "/huge-stream":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the body runs until the connection closes
            try:
                for _ in range(64):
                    self.wfile.write(b"y" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/redirect":
            self._send(302, b"", {"Location": "/ok"})
        elif path == "/redirect-private":
            self._send(301, b"", {"Location": "/private/ok"})
        elif path == "/redirect-ftp":
            self._send(302, b"", {"Location": "ftp://files.velmor.test/a"})
        elif path == "/loop":
            self._send(302, b"", {"Location": "/loop"})
        else:
            self._send(404, b"not here")


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.hits = {}
    _Handler.agents = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture
def slept() -> list[float]:
    return []


@pytest.fixture
def fetcher(slept: list[float]) -> Iterator[Fetcher]:
    with Fetcher(
        timeout=0.5, backoff=0.25, host_delay=0.0, sleep=slept.append, allow_private_addresses=True
    ) as f:
        yield f


def test_page_is_fetched_with_the_storyscope_user_agent(server: str, fetcher: Fetcher):
    result = fetcher.fetch(f"{server}/ok")
    assert result.status == 200
    assert result.content == PAGE
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.final_url == f"{server}/ok"
    assert set(_Handler.agents) == {USER_AGENT}
    assert USER_AGENT.startswith("storyscope/")


def test_404_is_an_ingest_error_and_not_retried(server: str, fetcher: Fetcher):
    with pytest.raises(IngestError, match=r"/missing: HTTP 404 Not Found$"):
        fetcher.fetch(f"{server}/missing")
    assert _Handler.hits["/missing"] == 1


def test_500_then_200_is_retried_with_backoff(server: str, fetcher: Fetcher, slept: list[float]):
    result = fetcher.fetch(f"{server}/flaky")
    assert result.content == PAGE
    assert _Handler.hits["/flaky"] == 2
    assert slept == [0.25]


def test_persistent_503_gives_up_after_the_retries_honouring_retry_after(
    server: str, fetcher: Fetcher, slept: list[float]
):
    with pytest.raises(IngestError, match="HTTP 503"):
        fetcher.fetch(f"{server}/always-503")
    assert _Handler.hits["/always-503"] == 3
    assert slept == [2.0, 2.0]


def test_slow_response_times_out_after_the_retries(server: str, slept: list[float]):
    with Fetcher(
        timeout=0.2, retries=1, backoff=0.1, host_delay=0, sleep=slept.append, allow_private_addresses=True
    ) as f:
        started = time.monotonic()
        with pytest.raises(IngestError, match=r"/slow: timed out after 2 attempts$"):
            f.fetch(f"{server}/slow")
    assert time.monotonic() - started < 1.4
    assert slept == [0.1]


def test_oversize_body_is_refused_by_content_length(server: str, fetcher: Fetcher):
    with pytest.raises(IngestError, match=r"response too large \(Content-Length 50000000"):
        fetcher.fetch(f"{server}/huge-declared")


def test_oversize_body_is_cut_off_while_streaming(server: str, slept: list[float]):
    with (
        Fetcher(max_bytes=200_000, host_delay=0, sleep=slept.append, allow_private_addresses=True) as f,
        pytest.raises(IngestError, match=r"response too large \(over 200000 bytes\)"),
    ):
        f.fetch(f"{server}/huge-stream")


def test_robots_disallow_is_honoured_and_robots_txt_is_fetched_once(server: str, fetcher: Fetcher):
    with pytest.raises(IngestError, match="disallowed by robots.txt"):
        fetcher.fetch(f"{server}/private/ok")
    fetcher.fetch(f"{server}/ok")
    fetcher.fetch(f"{server}/redirect")
    assert "/private/ok" not in _Handler.hits
    assert _Handler.hits["/robots.txt"] == 1


def test_robots_can_be_ignored_when_asked(server: str, slept: list[float]):
    with Fetcher(respect_robots=False, host_delay=0, sleep=slept.append, allow_private_addresses=True) as f:
        assert f.fetch(f"{server}/private/ok").content == PAGE
    assert "/robots.txt" not in _Handler.hits


def test_redirect_is_followed_and_recorded(server: str, fetcher: Fetcher):
    result = fetcher.fetch(f"{server}/redirect")
    assert result.content == PAGE
    assert result.final_url == f"{server}/ok"
    assert result.redirects == (f"{server}/redirect",)


def test_redirect_into_a_disallowed_path_is_refused(server: str, fetcher: Fetcher):
    with pytest.raises(IngestError, match=r"disallowed by robots.txt \(redirected to"):
        fetcher.fetch(f"{server}/redirect-private")


def test_redirect_to_another_scheme_is_refused(server: str, fetcher: Fetcher):
    with pytest.raises(IngestError, match=r"unsupported URL scheme 'ftp' \(redirected to"):
        fetcher.fetch(f"{server}/redirect-ftp")


def test_redirect_loop_stops(server: str, fetcher: Fetcher):
    with pytest.raises(IngestError, match=r"too many redirects \(more than 5\)"):
        fetcher.fetch(f"{server}/loop")
    assert _Handler.hits["/loop"] == 6


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://files.velmor.test/a.html", "unsupported URL scheme 'ftp'"),
        ("file:///etc/hosts", "unsupported URL scheme 'file'"),
        ("velmor.test/a", "unsupported URL scheme 'none'"),
        ("http:///nohost", "URL has no host"),
    ],
)
def test_only_http_and_https_urls_are_fetched(url: str, problem: str, fetcher: Fetcher):
    with pytest.raises(IngestError, match=problem):
        fetcher.fetch(url)


def test_requests_to_one_host_are_spaced_by_the_host_delay(server: str):
    slept: list[float] = []
    now = [100.0]
    with Fetcher(host_delay=2.0, sleep=slept.append, clock=lambda: now[0], allow_private_addresses=True) as f:
        f.fetch(f"{server}/ok")  # robots.txt, then the page: one wait between them
        f.fetch(f"{server}/ok")
    assert slept == [2.0, 2.0]


def test_crawl_delay_in_robots_txt_beats_a_shorter_host_delay():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: storyscope\nCrawl-delay: 5\n")
        return httpx.Response(200, html="<p>ok</p>")

    slept: list[float] = []
    client = httpx.Client(transport=httpx.MockTransport(handler))
    with Fetcher(client=client, host_delay=1.0, sleep=slept.append, clock=lambda: 0.0) as f:
        f.fetch("https://news.velmor.test/a")
        f.fetch("https://news.velmor.test/b")
    client.close()
    assert slept == [5.0, 5.0]  # robots.txt -> a, a -> b


def test_robots_403_disallows_everything_and_404_allows_everything():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(403 if request.url.host == "closed.test" else 404)
        return httpx.Response(200, html="<p>ok</p>")

    with (
        httpx.Client(transport=httpx.MockTransport(handler)) as client,
        Fetcher(client=client, host_delay=0, sleep=lambda s: None) as f,
    ):
        assert f.fetch("https://open.test/a").status == 200
        with pytest.raises(IngestError, match="disallowed by robots.txt"):
            f.fetch("https://closed.test/a")


@given(st.text(max_size=60))
def test_content_type_parsing_never_fails(value: str):
    media, charset = _content_type(value)
    assert media == media.strip().lower()
    assert charset is None or charset


def test_content_type_parsing_reads_media_type_and_charset():
    assert _content_type('Text/HTML; Charset="ISO-8859-1"') == ("text/html", "iso-8859-1")
    assert _content_type("application/rss+xml") == ("application/rss+xml", None)


# -- SSRF: no request to a non-public address, on any hop, unless the user opts in ------------------

_TARGETS = [
    ("http://127.0.0.1/admin", "127.0.0.1", "127.0.0.1"),
    ("http://10.0.0.1/", "10.0.0.1", "10.0.0.1"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254", "169.254.169.254"),
    ("http://0.0.0.0:8080/", "0.0.0.0", "0.0.0.0"),
    ("http://[::1]/", "::1", "::1"),
    ("http://[fe80::1]/", "fe80::1", "fe80::1"),
    ("http://[fd00::5]/", "fd00::5", "fd00::5"),
    ("http://[::ffff:10.0.0.1]/", "::ffff:10.0.0.1", "::ffff:a00:1"),
    ("http://[64:ff9b::a9fe:a9fe]/", "64:ff9b::a9fe:a9fe", "64:ff9b::a9fe:a9fe"),
    ("https://intranet.velmor.test/wiki", "intranet.velmor.test", "10.0.0.1"),
    ("https://metadata.velmor.test/", "metadata.velmor.test", "169.254.169.254"),
    ("https://mixed.velmor.test/", "mixed.velmor.test", "192.168.1.5"),
    ("https://v6.velmor.test/", "v6.velmor.test", "::ffff:127.0.0.1"),
]
_ANSWERS = {
    "intranet.velmor.test": ["10.0.0.1"],
    "metadata.velmor.test": ["169.254.169.254"],
    "mixed.velmor.test": ["93.184.215.14", "192.168.1.5"],  # one private answer is enough to refuse
    "v6.velmor.test": ["::ffff:127.0.0.1"],
    "public.velmor.test": ["93.184.215.14"],
}


def _recording_client(seen: list[str]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        if request.url.path == "/to-metadata":
            return httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
        if request.url.path == "/to-intranet":
            return httpx.Response(301, headers={"Location": "https://intranet.velmor.test/wiki"})
        return httpx.Response(200, html="<p>internal</p>")

    return httpx.Client(transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(("url", "host", "address"), _TARGETS)
def test_non_public_addresses_are_refused_before_any_request(
    url: str, host: str, address: str, stub_resolver: dict[str, list[str]]
):
    stub_resolver.update(_ANSWERS)
    seen: list[str] = []
    with (
        _recording_client(seen) as client,
        Fetcher(client=client, host_delay=0, sleep=lambda s: None) as f,
        pytest.raises(IngestError) as caught,
    ):
        f.fetch(url)
    assert str(caught.value) == f"{url}: refused: {host} resolves to a non-public address {address}"
    assert seen == []  # not even robots.txt


@pytest.mark.parametrize(
    ("path", "target", "host", "address"),
    [
        ("/to-metadata", "http://169.254.169.254/latest/meta-data/", "169.254.169.254", "169.254.169.254"),
        ("/to-intranet", "https://intranet.velmor.test/wiki", "intranet.velmor.test", "10.0.0.1"),
    ],
)
def test_a_redirect_to_a_non_public_address_is_refused(
    path: str, target: str, host: str, address: str, stub_resolver: dict[str, list[str]]
):
    stub_resolver.update(_ANSWERS)
    seen: list[str] = []
    url = f"https://public.velmor.test{path}"
    with (
        _recording_client(seen) as client,
        Fetcher(client=client, host_delay=0, sleep=lambda s: None) as f,
        pytest.raises(IngestError) as caught,
    ):
        f.fetch(url)
    assert str(caught.value) == (
        f"{url}: refused: {host} resolves to a non-public address {address} (redirected to {target})"
    )
    assert seen == ["https://public.velmor.test/robots.txt", url]


def test_private_addresses_are_fetched_when_the_user_opts_in(stub_resolver: dict[str, list[str]]):
    stub_resolver.update(_ANSWERS)
    seen: list[str] = []
    with (
        _recording_client(seen) as client,
        Fetcher(client=client, host_delay=0, sleep=lambda s: None, allow_private_addresses=True) as f,
    ):
        assert f.fetch("https://public.velmor.test/to-intranet").final_url == "https://intranet.velmor.test/wiki"
        assert f.fetch("http://10.0.0.1/").status == 200
    assert "http://10.0.0.1/" in seen


def test_a_name_that_does_not_resolve_is_a_connection_failure(stub_resolver: dict[str, list[str]]):
    import storyscope.ingest.fetch as fetch_module

    def nowhere(host: str) -> list[str]:
        raise OSError("Name or service not known")

    seen: list[str] = []
    with (
        _recording_client(seen) as client,
        Fetcher(client=client, retries=1, host_delay=0, sleep=lambda s: None, resolve=nowhere) as f,
        pytest.raises(IngestError, match=r"connection failed \(ConnectError\) after 2 attempts$"),
    ):
        f.fetch("https://gone.velmor.test/a")
    assert seen == []
    assert fetch_module.is_public_address("93.184.215.14")


def test_a_name_that_resolves_to_loopback_when_connecting_is_refused(
    server: str, monkeypatch: pytest.MonkeyPatch
):
    # DNS rebinding: the check sees a public address, the connection then goes to 127.0.0.1
    import socket

    port = int(server.rsplit(":", 1)[1])
    real = socket.getaddrinfo

    def rebinding(host: object, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        return real("127.0.0.1" if host == "rebind.velmor.test" else host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    url = f"http://rebind.velmor.test:{port}/ok"
    with (
        Fetcher(host_delay=0, sleep=lambda s: None, respect_robots=False, retries=0) as f,
        pytest.raises(IngestError) as caught,
    ):
        f.fetch(url)
    assert str(caught.value) == f"{url}: refused: rebind.velmor.test resolves to a non-public address 127.0.0.1"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700:4700::1111", True),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.0.1", False),
        ("127.0.0.2", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("224.0.0.1", False),
        ("255.255.255.255", False),
        ("::", False),
        ("::1", False),
        ("::127.0.0.1", False),
        ("::ffff:169.254.169.254", False),
        ("::ffff:93.184.215.14", True),
        ("64:ff9b::a00:1", False),
        ("2002:a00:1::", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("not an address", False),
    ],
)
def test_is_public_address(address: str, public: bool):
    from storyscope.ingest.fetch import is_public_address

    assert is_public_address(address) is public
