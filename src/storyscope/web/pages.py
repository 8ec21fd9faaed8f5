"""Server-rendered HTML pages: story list, story, article, outlet, compare; story downloads.

Every page works without JavaScript. With htmx, the story list filters in place
(``HX-Request`` gets only the result block) and the compare form posts in place.
``/stories/{id}/report.html|json|md`` are the static report of the story, rendered
by :mod:`storyscope.report` (the files ``storyscope compare -o`` writes).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from typing import Any

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.datastructures import UploadFile

from storyscope.model import Story
from storyscope.report import render_html, render_json, render_markdown
from storyscope.web._compare import Pasted, prepare_articles, run_compare
from storyscope.web._errors import WebError
from storyscope.web._ids import canonical_int, plausible_id
from storyscope.web._pool import until_disconnect
from storyscope.web._related import RELATED_FLOOR
from storyscope.web._source import (
    SORTS,
    StorySort,
    list_with_blindspot,
    story_blindspot,
    story_title,
)
from storyscope.web._state import WebState, state
from storyscope.web._views import article_context, story_context
from storyscope.web.charts import Bar, bar_chart
from storyscope.web.rest import related_of

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_PASTE_SLOTS = 3


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise WebError(422, f"{name} must be a date like 2026-03-14, got {value[:40]!r}") from None


_MAX_PAGE = 1_000_000


def _int(value: str | None, name: str, default: int) -> int:
    if not value:
        return default
    number = canonical_int(value)
    if number is None:
        raise WebError(422, f"{name} must be a whole number like 2, got {value[:40]!r}")
    if not 1 <= number <= _MAX_PAGE:
        raise WebError(422, f"{name} must be from 1 to {_MAX_PAGE}")
    return number


#: The story list's blindspot filter: stories the left, the right, or either side barely covers.
BLINDSPOT_SIDES = ("left", "right", "any")


@router.get("/", response_class=HTMLResponse)
@router.get("/stories", response_class=HTMLResponse)
def story_list(request: Request) -> Response:
    """The story list with search, outlet and date filters, and sort."""
    web = state(request)
    params = request.query_params
    sort_value = params.get("sort") or "recent"
    if sort_value not in SORTS:
        raise WebError(422, f"sort must be one of {', '.join(SORTS)}")
    sort: StorySort = sort_value
    q = (params.get("q") or "").strip()[:500]
    outlet = (params.get("outlet") or "").strip()[:200]
    date_from = _date(params.get("from"), "from")
    date_to = _date(params.get("to"), "to")
    page = _int(params.get("page"), "page", 1)
    side = (params.get("blindspot") or "").strip()
    if side and side not in BLINDSPOT_SIDES:
        raise WebError(422, f"blindspot must be one of {', '.join(BLINDSPOT_SIDES)}")
    directory = web.settings.outlets
    size = web.settings.page_size
    result = list_with_blindspot(
        web.source,
        directory,
        side or None,
        query=q or None,
        outlet=outlet or None,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        limit=size,
        offset=(page - 1) * size,
    )
    bars = [
        Bar(
            label=i.title,
            value=i.contradiction_count or 0,
            kind="contested",
            href=f"/stories/{i.id}",
        )
        for i in result.stories
        if i.contradiction_count is not None
    ]
    filters = {
        "q": q,
        "outlet": outlet,
        "from": date_from.isoformat() if date_from else "",
        "to": date_to.isoformat() if date_to else "",
        "sort": sort,
        "blindspot": side if directory is not None else "",
    }
    context: dict[str, Any] = {
        "has_leans": directory is not None,
        "blindspots": {i.id: story_blindspot(i, directory) for i in result.stories},
        "result": result,
        "filters": filters,
        "page": page,
        "pages": max(1, -(-result.total // size)),
        "sorts": SORTS,
        "outlets": web.source.outlets(),
        "conflicts_chart": bar_chart(bars, title="Conflicts per story", unit="contradictions"),
        "query_string": _query_string(filters),
    }
    if request.headers.get("HX-Request") == "true":
        return web.render("_story_list.html.j2", **context)
    return web.render("stories.html.j2", **context)


def _query_string(filters: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in filters.items() if v})


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(request: Request, story_id: str) -> Response:
    """A story: summary, contradictions, facts, quotes, framing; articles side by side.

    A story not in memory yet is analysed on the bounded pool (503 when it is full).
    """
    web = state(request)
    return await web.offload(
        request, "story", story_id, "page:story", lambda: _story_page(web, story_id)
    )


def _story(web: WebState, story_id: str) -> Story:
    story = web.source.get_story(story_id) if plausible_id(story_id) else None
    if story is None:
        raise WebError(404, f"no story with id {story_id[:100]!r}")
    return story


def _story_page(web: WebState, story_id: str) -> Response:
    story = _story(web, story_id)
    html: str = web.cache.get(story_id, story, "page", lambda: _story_html(web, story_id, story))
    # read on every view (vectors in memory: cheap), so the list follows the store's
    # stories while the rest of the page stays cached
    related = web.env.get_template("_related.html.j2").render(
        related=related_of(web, story_id) or (), floor=RELATED_FLOOR
    )
    return HTMLResponse(html.replace(_RELATED_SLOT, related, 1))


_RELATED_SLOT = "<!-- storyscope:related -->"


def _list_title(web: WebState, story_id: str, story: Story) -> str:
    """The story's title as the story list shows it (so the list and the page agree).

    A store's story has the title the store keeps (``Story <id>`` when it has none);
    any other source lists :func:`~storyscope.web._source.story_title`.
    """
    return _store_title(web, story_id) or story_title(story)


def _store_title(web: WebState, story_id: str) -> str | None:
    """The list title of a store's story (None for another source or an unknown id)."""
    from storyscope.web._store_source import StoreSource

    source = web.source
    if not isinstance(source, StoreSource):
        return None
    number = canonical_int(story_id)
    record = source.store.get_story(number) if number is not None else None
    if record is None:
        return None
    return record.title or f"Story {story_id}"


def _story_html(web: WebState, story_id: str, story: Story) -> str:
    context = story_context(story, story_id=story_id, title=_list_title(web, story_id, story))
    return web.env.get_template("story.html.j2").render(
        settings=web.settings, view=context, related_slot=Markup(_RELATED_SLOT)
    )


# The downloaded HTML report is one self-contained page with an inline <style> and no
# script: it gets a policy of its own that allows exactly that (and runs no script at all,
# sandboxed), instead of the app's, which would strip its styles when opened in place.
_REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'; "
    "form-action 'none'; base-uri 'none'; frame-ancestors 'none'; sandbox"
)
_DOWNLOADS: dict[str, tuple[str, str]] = {
    "html": ("text/html; charset=utf-8", "html"),
    "json": ("application/json", "json"),
    "md": ("text/markdown; charset=utf-8", "md"),
}
_RENDERERS = {"html": render_html, "json": render_json, "md": render_markdown}


@router.get("/stories/{story_id}/report.{fmt}")
async def story_download(request: Request, story_id: str, fmt: str) -> Response:
    """The story's static report as a file: ``report.html``, ``report.json`` or ``report.md``.

    The same renderers as ``storyscope compare -o`` (:mod:`storyscope.report`); the
    JSON is the public report (it validates with :func:`storyscope.report.validate`).
    """
    if fmt not in _DOWNLOADS:
        raise WebError(
            404, f"no report format {fmt[:20]!r}; use report.html, report.json or report.md"
        )
    web = state(request)
    return await web.offload(
        request,
        "story",
        story_id,
        f"download:{fmt}",
        lambda: _download(web, story_id, fmt),
    )


def _download(web: WebState, story_id: str, fmt: str) -> Response:
    story = _story(web, story_id)
    render = _RENDERERS[fmt]
    body: str = web.cache.get(story_id, story, f"download:{fmt}", lambda: render(story))
    media, suffix = _DOWNLOADS[fmt]
    name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in story_id)[
        :80
    ]
    headers = {"Content-Disposition": f'attachment; filename="storyscope-story-{name}.{suffix}"'}
    if fmt == "html":
        headers["Content-Security-Policy"] = _REPORT_CSP
    return Response(body.encode("utf-8"), media_type=media, headers=headers)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
async def article_page(request: Request, article_id: str) -> Response:
    """One article with its highlighted spans and the facts, contradictions and quotes citing it."""
    web = state(request)
    return await web.offload(
        request, "article", article_id, "page:article", lambda: _article_page(web, article_id)
    )


def _article_page(web: WebState, article_id: str) -> Response:
    entry = web.source.get_article(article_id) if plausible_id(article_id) else None
    if entry is None:
        raise WebError(404, f"no article with id {article_id[:100]!r}")
    story = web.source.get_story(entry.story_id) if entry.story_id else None
    context = article_context(story, article_id, Story(articles=(entry.article,)))
    return web.render("article.html.j2", story_id=entry.story_id, **context)


@router.get("/outlets", response_class=HTMLResponse)
def outlet_query_page(request: Request) -> Response:
    """``/outlets?name=...``: the outlet page for a name that is no path segment ('..', 'a/b')."""
    name = request.query_params.get("name")
    if name is None:
        raise WebError(404, "give an outlet: /outlets/NAME or /outlets?name=NAME")
    return outlet_page(request, name)


@router.get("/outlets/{name:path}", response_class=HTMLResponse)
def outlet_page(request: Request, name: str) -> Response:
    """An outlet over all stories: its articles, sourcing and hedging, coverage over time.

    The name is the rest of the path, percent-decoded (``/outlets/a%2Fb`` is outlet ``a/b``).
    """
    web = state(request)
    summary = web.source.outlet_summary(name) if plausible_id(name) else None
    if summary is None:
        raise WebError(404, f"no outlet named {name[:100]!r}")
    months: Counter[str] = Counter(
        a.published.strftime("%Y-%m") for a in summary.articles if a.published is not None
    )
    bars = [Bar(label=m, value=n, kind="coverage") for m, n in sorted(months.items())]
    totals = {
        key: sum(getattr(a, key) for a in summary.articles)
        for key in ("words", "quotes", "named_sources", "anonymous_sources", "hedges")
    }
    shown = {a.story_id: a.story_title or a.story_id for a in summary.articles if a.story_id}
    shown.update(
        (r.story_id, r.story_title or r.story_id) for r in summary.republished if r.story_id not in shown
    )
    story_titles = {sid: _store_title(web, sid) or title for sid, title in shown.items()}
    directory = web.settings.outlets
    return web.render(
        "outlet.html.j2",
        outlet=summary,
        meta=directory.get(name) if directory is not None else None,
        story_titles=story_titles,
        totals=totals,
        coverage_chart=bar_chart(bars, title=f"Articles per month by {name}", unit="articles"),
    )


@router.get("/compare", response_class=HTMLResponse)
def compare_form(request: Request) -> Response:
    """The compare form: paste texts or upload files."""
    web = state(request)
    if not web.settings.compare_enabled:
        raise WebError(404, "compare is disabled on this server")
    return web.render("compare.html.j2", slots=_PASTE_SLOTS, values=[], result=None, error=None)


@router.get("/compare/")
def compare_slash() -> Response:
    return RedirectResponse("/compare", status_code=308)


@router.post("/compare", response_class=HTMLResponse)
async def compare_submit(request: Request) -> Response:
    """Run a comparison of the pasted texts and uploaded files; show the report."""
    web = state(request)
    settings = web.settings
    if not settings.compare_enabled:
        raise WebError(404, "compare is disabled on this server")
    limit = settings.max_articles + _PASTE_SLOTS + 1
    items: list[Pasted] = []
    async with request.form(
        max_files=limit, max_fields=4 * limit, max_part_size=settings.max_upload_bytes
    ) as form:
        texts = [str(v) for v in form.getlist("text")]
        outlets = [str(v) for v in form.getlist("outlet")]
        for i, text in enumerate(texts, start=1):
            if text.strip():
                outlet = outlets[i - 1].strip() if i - 1 < len(outlets) else ""
                items.append(
                    Pasted(raw=text, source=f"pasted-{i}", outlet=outlet or f"Pasted text {i}")
                )
        for upload in form.getlist("files"):
            if isinstance(upload, UploadFile) and upload.filename:
                raw = await upload.read(settings.max_upload_bytes + 1)
                if raw.strip():
                    items.append(Pasted(raw=raw, source=_safe_name(upload.filename)))
    values = [(outlets[i] if i < len(outlets) else "", t) for i, t in enumerate(texts)]
    partial = request.headers.get("HX-Request") == "true"
    try:
        articles = await prepare_articles(items, settings, web.compares)
        story = await until_disconnect(
            request.receive, run_compare(articles, settings, web.compares)
        )
    except WebError as exc:
        if partial:
            page = web.render("_compare_error.html.j2", status_code=exc.status, error=exc.message)
        else:
            page = web.render(
                "compare.html.j2",
                status_code=exc.status,
                slots=_PASTE_SLOTS,
                values=values,
                result=None,
                error=exc.message,
            )
        page.headers.update(exc.headers)  # Retry-After on a 503, as the API sends it
        return page
    result = await anyio.to_thread.run_sync(functools.partial(story_context, story, story_id=None))
    if partial:
        return web.render("_compare_result.html.j2", result=result)
    return web.render(
        "compare.html.j2", slots=_PASTE_SLOTS, values=values, result=result, error=None
    )


def _safe_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable())[:200] or "upload"
