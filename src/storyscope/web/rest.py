"""The JSON API under ``/api/``: stories, their facts, contradictions and quotes, articles, compare.

Story data uses the records of the public JSON report (``docs/report.md``). Errors
use one shape everywhere (see :mod:`storyscope.web._errors`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from storyscope.model import Story
from storyscope.outlets import OutletInfo
from storyscope.report import to_dict
from storyscope.web._compare import CompareIn, Pasted, prepare_articles, run_compare
from storyscope.web._errors import WebError
from storyscope.web._ids import INT64_MAX, plausible_id
from storyscope.web._openapi import ok, ref
from storyscope.web._pool import until_disconnect
from storyscope.web._related import RELATED_FLOOR, RELATED_LIMIT, RELATED_RULE, RelatedStory
from storyscope.web._source import (
    SORTS,
    OutletSummary,
    StoryInfo,
    StorySort,
    list_with_blindspot,
    story_info,
)
from storyscope.web._state import WebState, state

__all__ = ["api_index", "info_dict", "outlet_dict", "related_dict", "related_of", "router"]


def _error_doc(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


_READ_ERRORS: dict[int | str, dict[str, Any]] = {
    404: _error_doc("Unknown id"),
    422: _error_doc("Invalid parameter"),
}
_BUSY_ERRORS: dict[int | str, dict[str, Any]] = {
    **_READ_ERRORS,
    503: _error_doc("Too many stories being analysed; retry after Retry-After seconds"),
}

router = APIRouter(prefix="/api", tags=["api"], responses={500: _error_doc("Server error")})


def _with(ok_doc: dict[str, Any], errors: dict[int | str, dict[str, Any]]) -> dict[int | str, Any]:
    return {200: ok_doc, **errors}


def _json(value: Any, status_code: int = 200) -> Response:
    return Response(
        json.dumps(value, ensure_ascii=False, allow_nan=False, default=_default).encode("utf-8"),
        status_code=status_code,
        media_type="application/json",
    )


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__}")


def api_index(request: Request) -> dict[str, Any]:
    """The API's endpoints (method, path, one-line summary) and its OpenAPI address."""
    spec: dict[str, Any] = request.app.openapi()  # built once, then cached by the app
    endpoints = [
        {"method": method.upper(), "path": path, "summary": str(operation.get("summary", ""))}
        for path, operations in spec.get("paths", {}).items()
        if path.startswith("/api/")
        for method, operation in operations.items()
        if isinstance(operation, dict)
    ]
    return {
        "name": "storyscope API",
        "version": str(request.app.version),
        "openapi": request.app.openapi_url or "/api/openapi.json",
        "endpoints": endpoints,
    }


def _wants_html(request: Request) -> bool:
    """A browser (``Accept`` names text/html before any JSON type); JSON otherwise."""
    accept = request.headers.get("accept", "").lower()
    html_at, json_at = accept.find("text/html"), accept.find("json")
    return html_at >= 0 and (json_at < 0 or html_at < json_at)


def _index_html(index: dict[str, Any]) -> str:
    esc = html.escape
    rows = "\n".join(
        f"<tr><td><code>{esc(e['method'])}</code></td><td><code>{esc(e['path'])}</code></td>"
        f"<td>{esc(e['summary'])}</td></tr>"
        for e in index["endpoints"]
    )
    openapi = esc(index["openapi"])
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>storyscope API</title>
<link rel="stylesheet" href="/static/app.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
</head>
<body>
<main class="api-index">
<h1>storyscope API <small>{esc(index["version"])}</small></h1>
<p>JSON over HTTP. Story data uses the records of the JSON report (see
<code>storyscope schema</code>); every error is
<code>{{"ok": false, "status", "code", "error", "errors"}}</code>.
The OpenAPI document, with a typed schema for every response:
<a href="{openapi}">{openapi}</a>. This page as JSON: <code>Accept: application/json</code>.</p>
<table>
<thead><tr><th>Method</th><th>Path</th><th>What it answers</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<p><a href="/">Back to the stories</a></p>
</main>
</body>
</html>
"""


@router.get(
    "/",
    responses={
        200: {
            "description": "The API index: JSON, or an HTML page when Accept prefers text/html",
            "content": {"application/json": {"schema": ref("ApiIndex")}, "text/html": {}},
        }
    },
    summary="This index: every endpoint with a one-line summary, and the OpenAPI address",
)
def index(request: Request) -> Response:
    """The endpoints of the API and a link to its OpenAPI document (``/api/openapi.json``)."""
    body = api_index(request)
    if _wants_html(request):
        return HTMLResponse(_index_html(body), headers={"Vary": "Accept"})
    response = _json(body)
    response.headers["Vary"] = "Accept"
    return response


def info_dict(info: StoryInfo) -> dict[str, Any]:
    """A story list row as JSON data."""
    first, last = info.first_published, info.last_published
    return {  # built directly: dataclasses.asdict costs ~60 us a row (a page of 200: 12 ms)
        "id": info.id,
        "title": info.title,
        "article_count": info.article_count,
        "outlets": list(info.outlets),
        "first_published": first.isoformat() if first is not None else None,
        "last_published": last.isoformat() if last is not None else None,
        "fact_count": info.fact_count,
        "contradiction_count": info.contradiction_count,
        "consensus_count": info.consensus_count,
        "republished_by": list(info.republished_by),
        "url": f"/api/stories/{info.id}",
    }


def _story(web: WebState, story_id: str) -> Story:
    story = web.source.get_story(story_id) if plausible_id(story_id) else None
    if story is None:
        raise WebError(404, f"no story with id {story_id[:100]!r}")
    return story


def _cached_json(web: WebState, story_id: str, key: str, build: Any) -> Response:
    story = _story(web, story_id)
    body: bytes = web.cache.get(story_id, story, f"json:{key}", lambda: _json(build(story)).body)
    return Response(body, media_type="application/json")


@router.get(
    "/stories",
    responses=_with(ok("A page of the story list", "StoryList"), _READ_ERRORS),
    summary="List stories (filters: q, outlet, from, to, blindspot; sort, limit, offset)",
)
def list_stories(
    request: Request,
    q: Annotated[str | None, Query(max_length=500, description="Full-text query")] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    date_from: Annotated[dt.date | None, Query(alias="from")] = None,
    date_to: Annotated[dt.date | None, Query(alias="to")] = None,
    sort: StorySort = "recent",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=INT64_MAX)] = 0,
    blindspot: Annotated[
        Literal["left", "right", "any"] | None,
        Query(description="Only stories this side barely covers (needs an outlets file)"),
    ] = None,
) -> Response:
    """Stories matching the filters: ``{"stories": [{"id", "title", ...}], "total", ...}``."""
    web = state(request)
    page = list_with_blindspot(
        web.source,
        web.settings.outlets,
        blindspot,
        query=q or None,
        outlet=outlet or None,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    return _json(
        {
            "stories": [info_dict(i) for i in page.stories],
            "total": page.total,
            "limit": limit,
            "offset": offset,
            "sorts": list(SORTS),
        }
    )


async def _story_json(
    request: Request, web: WebState, story_id: str, key: str, build: Any
) -> Response:
    """A story's JSON: from memory at once, else analysed on the bounded pool (503 when full)."""
    return await web.offload(
        request, "story", story_id, f"api:{key}", lambda: _cached_json(web, story_id, key, build)
    )


@router.get(
    "/stories/{story_id}",
    responses=_with(ok("The story's list row and its JSON report", "StoryReport"), _BUSY_ERRORS),
    summary="One story and its JSON report",
)
async def get_story(request: Request, story_id: str) -> Response:
    """``{"story": {id, title, ...}, "report": <JSON report>}``."""
    web = state(request)
    return await _story_json(
        request,
        web,
        story_id,
        "story",
        lambda s: {"story": info_dict(story_info(story_id, s)), "report": web.report(story_id, s)},
    )


@router.get(
    "/stories/{story_id}/facts",
    responses=_with(ok("The story's facts", "StoryFacts"), _BUSY_ERRORS),
    summary="Facts of a story, with status, support and cited spans",
)
async def get_facts(request: Request, story_id: str) -> Response:
    """``{"story": id, "facts": [...]}`` with status, support count and cited spans."""
    web = state(request)
    return await _story_json(
        request,
        web,
        story_id,
        "facts",
        lambda s: {"story": story_id, "facts": web.report(story_id, s)["facts"]},
    )


@router.get(
    "/stories/{story_id}/contradictions",
    responses=_with(ok("The story's contradictions", "StoryContradictions"), _BUSY_ERRORS),
    summary="Contradictions of a story, each with both cited sentences",
)
async def get_contradictions(request: Request, story_id: str) -> Response:
    """``{"story": id, "contradictions": [...]}``, each with both cited sentences."""
    web = state(request)
    return await _story_json(
        request,
        web,
        story_id,
        "contradictions",
        lambda s: {"story": story_id, "contradictions": web.report(story_id, s)["contradictions"]},
    )


@router.get(
    "/stories/{story_id}/quotes",
    responses=_with(ok("The story's quotes and quote variants", "StoryQuotes"), _BUSY_ERRORS),
    summary="Quotes of a story and the variants of one quote across outlets",
)
async def get_quotes(request: Request, story_id: str) -> Response:
    """``{"story": id, "quotes": [...], "quote_variants": [...]}``."""
    web = state(request)

    def build(s: Story) -> dict[str, Any]:
        report = web.report(story_id, s)
        return {
            "story": story_id,
            "quotes": report["quotes"],
            "quote_variants": report["quote_variants"],
        }

    return await _story_json(request, web, story_id, "quotes", build)


def related_of(web: WebState, story_id: str, limit: int = RELATED_LIMIT) -> list[RelatedStory] | None:
    """The source's related stories of ``story_id`` (None: unknown id). A source without
    ``related`` lists none, once the story is known to it."""
    if not plausible_id(story_id):
        return None
    find = getattr(web.source, "related", None)
    if find is None:
        return [] if web.source.get_story(story_id) is not None else None
    found: list[RelatedStory] | None = find(story_id, limit)
    return found


def related_dict(item: RelatedStory) -> dict[str, Any]:
    """A related story as JSON data."""
    last = item.last_published
    return {
        "id": item.id,
        "title": item.title,
        "score": item.score,
        "article_count": item.article_count,
        "outlets": list(item.outlets),
        "last_published": last.isoformat() if last is not None else None,
        "url": f"/api/stories/{item.id}",
    }


@router.get(
    "/stories/{story_id}/related",
    responses=_with(ok("Other stories near this one, nearest first", "StoryRelated"), _READ_ERRORS),
    summary="Related stories: the nearest by title-and-lead vectors, above a floor",
)
def get_related(
    request: Request,
    story_id: str,
    limit: Annotated[int, Query(ge=1, le=50)] = RELATED_LIMIT,
) -> Response:
    """``{"story": id, "rule", "floor", "related": [{"id", "title", "score", ...}]}``.

    Needs no analysis of any story; an empty list when none scores at least the floor.
    """
    found = related_of(state(request), story_id, limit)
    if found is None:
        raise WebError(404, f"no story with id {story_id[:100]!r}")
    return _json(
        {
            "story": story_id,
            "rule": RELATED_RULE,
            "floor": RELATED_FLOOR,
            "related": [related_dict(r) for r in found],
        }
    )


def _article_json(web: WebState, article_id: str) -> Response:
    entry = web.source.get_article(article_id) if plausible_id(article_id) else None
    if entry is None:
        raise WebError(404, f"no article with id {article_id[:100]!r}")
    record = to_dict(Story(articles=(entry.article,)))["articles"][0]
    return _json({"story": entry.story_id, "article": record})


@router.get(
    "/articles/{article_id}",
    responses=_with(ok("The article's report record", "ArticleReport"), _BUSY_ERRORS),
    summary="One analyzed article (text, quotes, claims; offsets into its text)",
)
async def get_article(request: Request, article_id: str) -> Response:
    """``{"story": id or null, "article": <report article record>}``."""
    web = state(request)
    return await web.offload(
        request, "article", article_id, "api:article", lambda: _article_json(web, article_id)
    )


@router.get(
    "/health",
    responses={200: ok("Alive, with jobs running or waiting", "Health")},
    summary="Liveness and load",
)
async def health(request: Request) -> Response:
    """``{"ok": true, "analyses": n, "comparisons": m}``: jobs running or waiting now.

    Answered on the event loop, without a thread: it answers while every worker is busy.
    """
    web = state(request)
    return _json(
        {"ok": True, "analyses": web.analyses.pending, "comparisons": web.compares.pending}
    )


def outlet_dict(summary: OutletSummary, meta: OutletInfo | None = None) -> dict[str, Any]:
    """An outlet summary as JSON data, with totals (and ``metadata``: the outlets file's
    entry, null without one)."""
    rows = [dataclasses.asdict(a) for a in summary.articles]
    totals = {
        key: sum(getattr(a, key) for a in summary.articles)
        for key in ("words", "quotes", "named_sources", "anonymous_sources", "hedges")
    }
    totals["hedges_per_1000_words"] = summary.per_1000_words(totals["hedges"])
    totals["anonymous_sources_per_1000_words"] = summary.per_1000_words(totals["anonymous_sources"])
    return {
        "outlet": summary.name,
        "metadata": meta.as_dict() if meta is not None else None,
        "totals": totals,
        "articles": rows,
        "republished": [dataclasses.asdict(r) for r in summary.republished],
    }


@router.get(
    "/outlets",
    responses=_with(ok("The outlet's articles and totals", "Outlet"), _READ_ERRORS),
    summary="One outlet, named in the query (?name=...)",
)
def get_outlet_by_query(
    request: Request, name: Annotated[str, Query(max_length=200, description="Outlet name")]
) -> Response:
    """``/api/outlets?name=...``: as ``/api/outlets/{name}``, for names like ``..`` or ``a/b``."""
    return get_outlet(request, name)


@router.get(
    "/outlets/{name:path}",
    responses=_with(ok("The outlet's articles and totals", "Outlet"), _READ_ERRORS),
    summary="One outlet over all stories: sourcing and hedging per article",
)
def get_outlet(request: Request, name: str) -> Response:
    """``{"outlet", "totals": {...}, "articles": [...], "republished": [...]}``: sourcing
    and hedging per article, and the stories it republished (its reprints).

    The name is the rest of the path, percent-decoded (``/api/outlets/a%2Fb`` is ``a/b``).
    """
    summary = state(request).source.outlet_summary(name) if plausible_id(name) else None
    if summary is None:
        raise WebError(404, f"no outlet named {name[:100]!r}")
    directory = state(request).settings.outlets
    return _json(outlet_dict(summary, directory.get(name) if directory is not None else None))


@router.post(
    "/compare",
    summary="Compare 2..N articles given in the body; returns their JSON report",
    responses={
        200: ok("The JSON report of the articles", "CompareResult"),
        413: _error_doc("Body too large"),
        422: _error_doc("Invalid input"),
        429: _error_doc("Too many comparisons from this client address; retry after Retry-After"),
        503: _error_doc("Too many comparisons running or waiting; retry after Retry-After"),
    },
)
async def compare(request: Request, body: CompareIn) -> Response:
    """Analyze and align 2..N articles given in the body; returns ``{"report": <JSON report>}``.

    Nothing is fetched: a ``url`` is stored as metadata only.
    """
    web = state(request)
    if not web.settings.compare_enabled:
        raise WebError(404, "compare is disabled on this server")
    items = [
        Pasted(
            raw=a.text,
            source=f"article-{i}",
            outlet=a.outlet or f"Outlet {i}",
            title=a.title,
            published=a.published,
            url=a.url,
            html=a.format == "html",
        )
        for i, a in enumerate(body.articles, start=1)
    ]
    articles = await prepare_articles(items, web.settings, web.compares)
    story = await until_disconnect(
        request.receive, run_compare(articles, web.settings, web.compares)
    )
    report = await anyio.to_thread.run_sync(to_dict, story)  # tens of ms: off the event loop
    return _json({"report": report})
