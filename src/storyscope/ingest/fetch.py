"""A polite HTTP fetcher for pages and feeds: :class:`Fetcher`, :func:`fetch`.

Polite means: a clear User-Agent, robots.txt honoured (fetched once per host
and cached; its ``Crawl-delay`` respected), at most one request per host every
``host_delay`` seconds, timeouts on connect/read and on the whole transfer, a
size cap enforced while streaming (the body is never read past it), retries
with exponential backoff only for timeouts, connection errors and 429/5xx
(``Retry-After`` honoured, capped), and only ``http``/``https`` URLs, also
when a redirect points elsewhere. Every failure is one
:class:`~storyscope.errors.IngestError` naming the URL.

Safe means: no request reaches a non-public address (server-side request
forgery). Before every request (each redirect hop and robots.txt included)
the host is resolved and refused when any of its addresses is loopback,
private, link-local (the cloud metadata address ``169.254.169.254``),
multicast or otherwise not globally routable, IPv6 forms included (``::1``,
``fc00::/7``, ``fe80::/10``, and IPv4 addresses embedded in IPv4-mapped,
-compatible, NAT64 and 6to4 addresses). After connecting, the peer address is
checked again, so a name that resolves differently the second time (DNS
rebinding) is refused before its body is read. ``allow_private_addresses``
(``storyscope ingest --allow-private-addresses``) turns the check off for
users fetching their own intranet.
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import socket
import time
import urllib.robotparser
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from storyscope._version import __version__
from storyscope.errors import IngestError

__all__ = ["USER_AGENT", "FetchResult", "Fetcher", "Resolver", "fetch", "is_public_address"]

logger = logging.getLogger(__name__)

USER_AGENT = f"storyscope/{__version__} (news comparison for fact-checkers; polite fetcher)"
"""Sent with every request; ``storyscope`` is the token matched in robots.txt."""

_ROBOTS_TOKEN = "storyscope"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_ROBOTS_MAX_BYTES = 500_000
_MAX_DELAY = 60.0
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))

Resolver = Callable[[str], Iterable[str]]
"""Host name -> its IP addresses (as text); raises :class:`OSError` when it has none."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchResult:
    """One successful download.

    Attributes:
        url: The URL asked for.
        final_url: Where the content came from, after redirects.
        status: HTTP status of the final response (2xx).
        content_type: Media type, lower-cased, without parameters (``"text/html"``).
        charset: The charset the server declared, if any.
        content: The body (decompressed), at most ``max_bytes`` long.
        redirects: The URLs redirected through, in order.
    """

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    content: bytes
    redirects: tuple[str, ...] = ()

    def text(self) -> str:
        """The body decoded with the declared charset (UTF-8 otherwise, errors replaced)."""
        try:
            return self.content.decode(self.charset or "utf-8", errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


class Fetcher:
    """Downloads URLs politely; reuse one instance for a whole run (robots and rate state).

    Args:
        client: An httpx client to use (tests pass one with ``MockTransport``);
            by default one is created and closed with the fetcher.
        user_agent: The User-Agent header.
        timeout: Seconds allowed to connect and between two reads.
        total_timeout: Seconds allowed for a whole response (slow trickles end here).
        max_bytes: Largest body accepted; a longer one is cut off and fails.
        retries: Extra attempts after a timeout, connection error, 429 or 5xx.
        backoff: First retry delay in seconds; doubled for each further retry.
        host_delay: Least seconds between two requests to one host (a
            robots.txt ``Crawl-delay`` that is longer wins, up to 60 s).
        respect_robots: Check robots.txt before each request.
        max_redirects: Redirects followed before giving up.
        sleep: Sleep function (tests pass a fake).
        clock: Monotonic clock (tests pass a fake).
        allow_private_addresses: Also fetch hosts that resolve to loopback,
            private, link-local or other non-public addresses (your own
            intranet). Off by default: such a request fails with
            ``refused: <host> resolves to a non-public address <address>``.
        resolve: Host name -> IP addresses (default: the system resolver;
            tests pass a stub).
    """

    def __init__(
        self,
        *,
        client: httpx.Client | None = None,
        user_agent: str = USER_AGENT,
        timeout: float = 10.0,
        total_timeout: float = 60.0,
        max_bytes: int = 10_000_000,
        retries: int = 2,
        backoff: float = 1.0,
        host_delay: float = 1.0,
        respect_robots: bool = True,
        max_redirects: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        allow_private_addresses: bool = False,
        resolve: Resolver | None = None,
    ) -> None:
        self._own_client = client is None
        self._given_client = client
        self._timeout = httpx.Timeout(timeout)
        self.user_agent = user_agent
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.retries = max(0, retries)
        self.backoff = backoff
        self.host_delay = host_delay
        self.respect_robots = respect_robots
        self.max_redirects = max_redirects
        self._sleep = sleep
        self._clock = clock
        self.allow_private_addresses = allow_private_addresses
        self._resolve = resolve
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._last_request: dict[str, float] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if this fetcher created it."""
        if self._own_client and self._given_client is not None:
            self._given_client.close()
            self._given_client = None

    @property
    def _client(self) -> httpx.Client:
        """The HTTP client, created on first use (so an unused fetcher costs nothing)."""
        if self._given_client is None:
            self._given_client = httpx.Client(
                timeout=self._timeout, follow_redirects=False, trust_env=False
            )
        return self._given_client

    def fetch(self, url: str) -> FetchResult:
        """Download one URL, following redirects.

        Args:
            url: An ``http://`` or ``https://`` URL.

        Returns:
            The final 2xx response.

        Raises:
            IngestError: bad scheme, robots.txt disallows it, HTTP error status,
                timeout or connection failure after the retries, body over
                ``max_bytes``, or too many redirects.
        """
        current = url
        redirects: list[str] = []
        for _ in range(self.max_redirects + 1):
            _check_scheme(current, url)
            if self.respect_robots and not self.allowed(current):
                where = "" if current == url else f" (redirected to {current})"
                raise IngestError(url, f"disallowed by robots.txt{where}")
            response = self._get_with_retries(current, source=url, max_bytes=self.max_bytes)
            status, headers, body = response
            if status in _REDIRECTS:
                location = headers.get("location")
                if not location:
                    raise IngestError(url, f"HTTP {status} redirect without a Location header")
                redirects.append(current)
                current = urljoin(current, location.strip())
                continue
            if status >= 400:
                raise IngestError(url, f"HTTP {status} {_reason(status)}".rstrip())
            if not 200 <= status < 300:
                raise IngestError(url, f"unexpected HTTP status {status}")
            media, charset = _content_type(headers.get("content-type", ""))
            return FetchResult(
                url=url,
                final_url=current,
                status=status,
                content_type=media,
                charset=charset,
                content=body,
                redirects=tuple(redirects),
            )
        raise IngestError(url, f"too many redirects (more than {self.max_redirects})")

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets storyscope fetch it (cached per host).

        A robots.txt that is missing (4xx) or unreachable (5xx, timeout) allows
        everything; 401/403 disallow everything, as in :mod:`urllib.robotparser`.
        """
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}".lower()
        if key not in self._robots:
            self._robots[key] = self._load_robots(key)
        parser = self._robots[key]
        return parser is None or parser.can_fetch(_ROBOTS_TOKEN, url)

    # -- internals ---------------------------------------------------------------

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        url = f"{origin}/robots.txt"
        parser = urllib.robotparser.RobotFileParser(url)
        try:
            for _ in range(self.max_redirects + 1):
                self._check_host(url, source=url)
                self._wait_turn(url)
                status, headers, body = self._get_once(url, source=url, max_bytes=_ROBOTS_MAX_BYTES)
                if status in _REDIRECTS and headers.get("location"):
                    url = urljoin(url, headers["location"].strip())
                    if urlsplit(url).scheme not in ("http", "https"):
                        return None
                    continue
                break
            else:
                return None
        except (httpx.HTTPError, IngestError) as exc:
            logger.info("%s: robots.txt unreachable (%s); treating as allow-all", origin, exc)
            return None
        if status in (401, 403):
            parser.parse(["User-agent: *", "Disallow: /"])
            return parser
        if status >= 300:
            return None
        parser.parse(body.decode("utf-8", errors="replace").splitlines())
        delay = parser.crawl_delay(_ROBOTS_TOKEN)
        if delay is not None:
            logger.debug("%s: robots.txt Crawl-delay %s", origin, delay)
        return parser

    def _delay_for(self, url: str) -> float:
        parts = urlsplit(url)
        parser = self._robots.get(f"{parts.scheme}://{parts.netloc}".lower())
        delay = self.host_delay
        if parser is not None:
            crawl = parser.crawl_delay(_ROBOTS_TOKEN)
            if crawl is not None:
                delay = max(delay, min(float(crawl), _MAX_DELAY))
        return delay

    def _wait_turn(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        last = self._last_request.get(host)
        if last is not None:
            wait = last + self._delay_for(url) - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_request[host] = self._clock()

    def _get_with_retries(
        self, url: str, *, source: str, max_bytes: int
    ) -> tuple[int, httpx.Headers, bytes]:
        attempt = 0
        while True:
            try:
                self._check_host(url, source=source)  # before waiting: a refusal costs no delay
                self._wait_turn(url)
                status, headers, body = self._get_once(url, source=source, max_bytes=max_bytes)
            except httpx.TimeoutException:
                problem = "timed out"
            except httpx.TransportError as exc:
                problem = f"connection failed ({type(exc).__name__})"
            except httpx.HTTPError as exc:  # e.g. invalid URL, decoding errors
                raise IngestError(source, f"HTTP error ({exc})") from exc
            else:
                if status not in _RETRY_STATUSES or attempt >= self.retries:
                    return status, headers, body
                delay = self._retry_after(headers) or self.backoff * 2**attempt
                logger.info("%s: HTTP %s, retrying in %.1f s", url, status, delay)
                self._sleep(min(delay, _MAX_DELAY))
                attempt += 1
                continue
            if attempt >= self.retries:
                tries = f" after {attempt + 1} attempts" if attempt else ""
                raise IngestError(source, f"{problem}{tries}")
            delay = self.backoff * 2**attempt
            logger.info("%s: %s, retrying in %.1f s", url, problem, delay)
            self._sleep(min(delay, _MAX_DELAY))
            attempt += 1

    def _check_host(self, url: str, *, source: str) -> None:
        """Refuse a URL whose host resolves to any non-public address.

        Raises:
            IngestError: ``refused: <host> resolves to a non-public address <address>``.
            httpx.ConnectError: the host does not resolve (retried like any connection error).
        """
        if self.allow_private_addresses:
            return
        host = urlsplit(url).hostname or ""
        try:
            addresses: list[str] = [str(ipaddress.ip_address(host))]
        except ValueError:
            resolve = self._resolve or _system_resolve
            try:
                addresses = list(resolve(host))
            except (OSError, UnicodeError) as exc:
                raise httpx.ConnectError(f"cannot resolve {host} ({exc})") from exc
            if not addresses:
                raise httpx.ConnectError(f"cannot resolve {host}") from None
        for address in addresses:
            if not is_public_address(address):
                raise IngestError(source, _refusal(host, address, url, source))

    def _check_peer(self, response: httpx.Response, url: str, *, source: str) -> None:
        """Refuse a response from a non-public peer (the name resolved elsewhere when connecting)."""
        if self.allow_private_addresses:
            return
        stream = response.extensions.get("network_stream")
        if stream is None:  # a mock or custom transport: no socket to check
            return
        try:
            peer = stream.get_extra_info("server_addr")
        except Exception:  # noqa: BLE001 - a backend without the info: nothing to check
            return
        if isinstance(peer, tuple) and peer and isinstance(peer[0], str) and not is_public_address(peer[0]):
            raise IngestError(source, _refusal(urlsplit(url).hostname or "", peer[0], url, source))

    def _get_once(
        self, url: str, *, source: str, max_bytes: int
    ) -> tuple[int, httpx.Headers, bytes]:
        started = self._clock()
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"}
        with self._client.stream(
            "GET", url, headers=headers, timeout=self._timeout, follow_redirects=False
        ) as response:
            self._check_peer(response, url, source=source)
            status = response.status_code
            if status in _REDIRECTS or status >= 400:
                return status, response.headers, b""
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise IngestError(
                    source, f"response too large (Content-Length {int(declared)} > {max_bytes})"
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise IngestError(source, f"response too large (over {max_bytes} bytes)")
                chunks.append(chunk)
                if self._clock() - started > self.total_timeout:
                    raise httpx.ReadTimeout("total timeout exceeded")
            return status, response.headers, b"".join(chunks)

    @staticmethod
    def _retry_after(headers: httpx.Headers) -> float | None:
        value = headers.get("retry-after")
        if not value:
            return None
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())


def fetch(url: str, **options: object) -> FetchResult:
    """Download one URL with a one-off :class:`Fetcher` (``options`` go to it).

    Raises:
        IngestError: see :meth:`Fetcher.fetch`.
    """
    with Fetcher(**options) as fetcher:  # type: ignore[arg-type]
        return fetcher.fetch(url)


def is_public_address(address: str) -> bool:
    """Whether an IP address (text) is globally routable: not loopback, private, link-local, ...

    IPv4 addresses embedded in IPv6 ones (IPv4-mapped ``::ffff:10.0.0.1``,
    IPv4-compatible ``::127.0.0.1``, NAT64 ``64:ff9b::a00:1``, 6to4
    ``2002:a00:1::``) are judged as the IPv4 address they reach. Text that is
    not an address is not public.
    """
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(parsed, ipaddress.IPv6Address):
        low = ipaddress.IPv4Address(int(parsed) & 0xFFFFFFFF)
        embedded = parsed.ipv4_mapped or parsed.sixtofour
        if embedded is None and (int(parsed) >> 32 == 0 or any(parsed in net for net in _NAT64)):
            embedded = low
        if embedded is not None:
            return is_public_address(str(embedded))
    return parsed.is_global and not parsed.is_multicast


def _system_resolve(host: str) -> list[str]:
    """Every address the system resolver gives for ``host`` (raises OSError when none)."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _refusal(host: str, address: str, url: str, source: str) -> str:
    where = "" if url == source else f" (redirected to {url})"
    return f"refused: {host} resolves to a non-public address {address}{where}"


def _check_scheme(url: str, source: str) -> None:
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise IngestError(source, f"invalid URL ({exc})") from exc
    if parts.scheme.lower() not in ("http", "https"):
        scheme = parts.scheme or "none"
        where = "" if url == source else f" (redirected to {url})"
        raise IngestError(source, f"unsupported URL scheme '{scheme}'{where}")
    if not parts.hostname:
        raise IngestError(source, "URL has no host")


def _content_type(value: str) -> tuple[str, str | None]:
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'").lower()
    return media.strip().lower(), charset


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
