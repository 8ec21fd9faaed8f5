"""Per-client rate limits on compare: a token bucket per address, 429 with Retry-After in the
app's error shape, checked before the body is parsed, over a live uvicorn."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from _live import live_server  # noqa: E402
from _stories import fake_compare  # noqa: E402

from storyscope.web import MemorySource, WebSettings, create_app  # noqa: E402
from storyscope.web._ratelimit import RateLimiter, client_key  # noqa: E402

ONE = "Rain flooded the Marlow underpass on Friday. Nine cars were stuck."
TWO = "The Marlow underpass flooded on Friday. Seven cars were stuck."
BODY = {"articles": [{"text": ONE}, {"text": TWO}]}


def test_a_bucket_allows_its_burst_then_its_rate() -> None:
    now = [100.0]
    limiter = RateLimiter(60, 3, max_clients=2, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(3)] == [None, None, None]
    assert limiter.take("a") == pytest.approx(1.0)
    assert limiter.take("b") is None  # another client has its own bucket
    now[0] += 0.5
    assert limiter.take("a") == pytest.approx(0.5)
    now[0] += 0.5
    assert limiter.take("a") is None and limiter.take("a") == pytest.approx(1.0)
    now[0] += 60
    assert [limiter.take("a") for _ in range(3)] == [None, None, None]  # refilled to the burst only
    assert limiter.take("a") is not None
    limiter.take("c")  # a third client: the least recently seen bucket ("b") is dropped
    assert set(limiter._buckets) == {"a", "c"}  # noqa: SLF001
    with pytest.raises(ValueError):
        RateLimiter(0, 1)


def test_client_keys_group_an_ipv6_client_by_its_64() -> None:
    assert client_key("203.0.113.7") == "203.0.113.7"
    assert (
        client_key("2001:db8:1:2:aaaa::1")
        == client_key("2001:db8:1:2:bbbb::9")
        == "2001:db8:1:2::/64"
    )
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:203.0.113.7") == "203.0.113.7"
    assert client_key(None) == "unknown" and client_key("testclient") == "testclient"


def test_compare_answers_429_past_a_clients_burst_over_http() -> None:
    settings = WebSettings(comparer=fake_compare, compare_per_minute=6, compare_burst=2)
    app = create_app(MemorySource({}), settings=settings)
    with live_server(app) as url:
        with httpx.Client(base_url=url, timeout=10) as client:
            ok = [client.post("/api/compare", json=BODY) for _ in range(2)]
            assert [r.status_code for r in ok] == [200, 200]
            refused = client.post("/api/compare", json=BODY)
            assert refused.status_code == 429
            assert refused.headers["Retry-After"] == "10"  # one token at 6 a minute
            assert refused.json() == {
                "ok": False,
                "status": 429,
                "code": "too_many_requests",
                "error": "too many comparisons from this address; retry in 10 s",
                "errors": [],
            }
            assert "default-src 'none'" in refused.headers["Content-Security-Policy"]
            # checked before the body is parsed: a malformed body is refused the same way
            assert client.post("/api/compare", content=b"{not json").status_code == 429
            # the compare form shares the bucket and answers an HTML page
            form = client.post("/compare", data={"text": [ONE, TWO]})
            assert form.status_code == 429 and form.headers["Retry-After"] == "10"
            assert form.headers["content-type"].startswith("text/html")
            assert "too many comparisons" in form.text
            # reads are not limited
            assert client.get("/compare").status_code == 200
            assert client.get("/api/stories").status_code == 200
        # another address has its own bucket (Linux routes all of 127/8 to loopback)
        other = httpx.HTTPTransport(local_address="127.0.0.2")
        with httpx.Client(base_url=url, timeout=10, transport=other) as client:
            assert client.post("/api/compare", json=BODY).status_code == 200


def test_no_limit_when_turned_off() -> None:
    settings = WebSettings(comparer=fake_compare, compare_per_minute=None, compare_burst=1)
    app = create_app(MemorySource({}), settings=settings)
    with live_server(app) as url, httpx.Client(base_url=url, timeout=10) as client:
        assert [client.post("/api/compare", json=BODY).status_code for _ in range(3)] == [200] * 3
