"""The web app's state: what every route reads from ``request.app.state.web``.

:class:`WebState` (the story source, settings, the per-story cache and the Jinja2
environment) and :func:`state` live here, apart from :mod:`storyscope.web.app`
(which builds the app) and the route modules (:mod:`~storyscope.web.pages`,
:mod:`~storyscope.web.rest`), so that each imports this module and none imports
another: no import cycle.
"""

from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import anyio.to_thread
import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from storyscope.model import Story
from storyscope.report import to_dict
from storyscope.web._pool import WorkPool, until_disconnect
from storyscope.web._settings import WebSettings
from storyscope.web._source import StorySource

T = TypeVar("T")

__all__ = ["StoryCache", "WebState", "environment", "outlet_url", "state"]


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("storyscope.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = _day
    env.filters["outlet_url"] = outlet_url
    env.filters["tojson_attr"] = lambda value: json.dumps(value, ensure_ascii=False)
    return env


_DOT_SEGMENTS = frozenset({".", ".."})


def outlet_url(name: str, api: bool = False) -> str:
    """The link to an outlet's page (``api``: its JSON), for any outlet name.

    A name is one path segment, percent-encoded whole (``/`` included):
    ``/outlets/Saltmere%20Daily``. A name that cannot survive as a segment (one
    with ``/`` or ``\\``, which proxies may decode; ``.`` or ``..``, which browsers
    resolve away even encoded; the empty name) is linked as ``/outlets?name=...``.
    """
    from urllib.parse import quote

    base = "/api/outlets" if api else "/outlets"
    if not name or name in _DOT_SEGMENTS or "/" in name or "\\" in name:
        return f"{base}?name={quote(name, safe='')}"
    return f"{base}/{quote(name, safe='')}"


def _day(value: Any) -> str:
    if value is None:
        return "date unknown"
    if hasattr(value, "date"):
        return str(value.date().isoformat())
    return str(value)[:10]


@dataclass(slots=True)
class _Entry:
    story: Story
    values: dict[str, Any] = field(default_factory=dict)


class StoryCache:
    """Per-story memo of derived values (report dict, page HTML, JSON bytes), LRU-bounded.

    A value is reused only while the source keeps returning the *same* Story object
    for the id, so a source that rebuilds a story gets fresh pages automatically.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, story_id: str, story: Story, key: str, make: Callable[[], Any]) -> Any:
        """The value ``key`` of this story, computed with ``make`` on a miss."""
        if self.size <= 0:
            return make()
        with self._lock:
            entry = self._entries.get(story_id)
            if entry is not None and entry.story is story and key in entry.values:
                self._entries.move_to_end(story_id)
                return entry.values[key]
        value = make()
        with self._lock:
            entry = self._entries.get(story_id)
            if entry is None or entry.story is not story:
                entry = _Entry(story=story)
                self._entries[story_id] = entry
            entry.values[key] = value
            self._entries.move_to_end(story_id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value


@dataclass(slots=True)
class WebState:
    """What every route reads from ``request.app.state.web``."""

    source: StorySource
    settings: WebSettings
    cache: StoryCache
    env: jinja2.Environment
    analyses: WorkPool = field(default_factory=lambda: WorkPool(1, 8, what="story analyses"))
    compares: WorkPool = field(default_factory=lambda: WorkPool(1, 4, what="comparisons"))

    @classmethod
    def create(
        cls, source: StorySource, settings: WebSettings, env: jinja2.Environment
    ) -> WebState:
        """The state for an app: pools sized by ``settings``."""
        return cls(
            source=source,
            settings=settings,
            cache=StoryCache(settings.cache_size),
            env=env,
            analyses=WorkPool(
                settings.analysis_workers,
                settings.analysis_queue,
                retry_after=settings.retry_after_s,
                what="story analyses",
                budget_s=settings.request_budget_s,
            ),
            compares=WorkPool(
                settings.compare_workers,
                settings.compare_queue,
                retry_after=settings.retry_after_s,
                what="comparisons",
                budget_s=settings.request_budget_s,
            ),
        )

    async def offload(
        self,
        request: Request,
        kind: Literal["story", "article"],
        ident: str,
        route: str,
        job: Callable[[], T],
    ) -> T:
        """Run a route's blocking ``job`` for story or article ``ident`` off the event loop.

        When the source has the answer in memory (``is_warm(kind, ident)``, asked on
        the event loop, so it must not do I/O), the job runs on the shared thread pool
        at once; otherwise (a story to analyse, an unknown id, or a source without
        ``is_warm``) on :attr:`analyses`, the bounded pool: one job per route and id,
        503 when its queue is full, dropped when its client disconnects while waiting.
        An id the source calls malformed (``is_malformed``: it can name nothing, so
        the lookup returns None without I/O) is answered on the event loop, so an
        alias flood costs neither a thread nor a queue place.
        """
        malformed = getattr(self.source, "is_malformed", None)
        if malformed is not None and malformed(kind, ident):
            return job()  # no lookup to wait for: the job answers 404 on the loop, no thread
        warm = getattr(self.source, "is_warm", None)
        if warm is not None and warm(kind, ident):
            return await anyio.to_thread.run_sync(job)
        return await until_disconnect(request.receive, self.analyses.run(job, key=(route, ident)))

    def render(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        """Render a template to an HTML response."""
        html = self.env.get_template(template).render(settings=self.settings, **context)
        return HTMLResponse(html, status_code=status_code)

    def report(self, story_id: str, story: Story) -> dict[str, Any]:
        """The JSON report of a story (cached)."""
        value: dict[str, Any] = self.cache.get(story_id, story, "report", lambda: to_dict(story))
        return value


def state(request: Request) -> WebState:
    """The app's :class:`WebState`."""
    value: WebState = request.app.state.web
    return value
