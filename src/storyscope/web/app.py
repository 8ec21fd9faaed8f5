"""The ASGI application: :func:`create_app` wires a :class:`StorySource` to pages and the API.

Pages are server-rendered Jinja2 (autoescaping on) and read without JavaScript;
htmx (vendored under ``static/``) and a small ``static/app.js`` add filtering
without reloads and click-to-highlight. The REST API lives under ``/api/`` with
its OpenAPI document at ``/api/openapi.json`` (typed response schemas, see
:mod:`storyscope.web._openapi`) and an index of its endpoints at ``/api/``.
"""

from __future__ import annotations

import logging
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyscope.web._errors import WebError, error_body
from storyscope.web._ratelimit import RateLimiter, RateLimitMiddleware
from storyscope.web._security import SECURITY_HEADERS, SecurityMiddleware
from storyscope.web._settings import WebSettings
from storyscope.web._source import StorySource
from storyscope.web._state import WebState, environment
from storyscope.web.pages import router as pages_router
from storyscope.web.rest import router as rest_router

__all__ = ["create_app"]

logger = logging.getLogger(__name__)

_MESSAGES = {404: "not found", 405: "method not allowed"}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _error_response(
    request: Request,
    status: int,
    message: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if _wants_json(request):
        return JSONResponse(
            error_body(status, message, errors),
            status_code=status,
            headers={**SECURITY_HEADERS, **(headers or {})},
        )
    web: WebState = request.app.state.web
    response = web.render(
        "error.html.j2", status_code=status, status=status, message=message, errors=errors or []
    )
    response.headers.update({**SECURITY_HEADERS, **(headers or {})})
    return response


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": [str(part) for part in err.get("loc", ())], "message": str(err.get("msg", ""))}
        for err in exc.errors()
    ]


def create_app(source: StorySource, *, settings: WebSettings | None = None) -> FastAPI:
    """Build the web application over a story source.

    Args:
        source: Where stories come from (:class:`~storyscope.web.MemorySource` or a store).
        settings: Limits and switches; defaults when None.

    Returns:
        A FastAPI (ASGI) app: pages at ``/``, ``/stories/{id}``, ``/articles/{id}``,
        ``/outlets/{name}``, ``/compare``; the API under ``/api/``; static files
        under ``/static/``.
    """
    settings = settings or WebSettings()
    app = FastAPI(
        title="storyscope",
        summary="Compare news articles about one event: facts, contradictions, quotes, framing.",
        version=_version(),
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.web = WebState.create(source, settings, environment())
    _typed_openapi(app)

    @app.exception_handler(WebError)
    async def _web_error(request: Request, exc: WebError) -> Response:
        return _error_response(request, exc.status, exc.message, exc.errors, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = (
            exc.detail if isinstance(exc.detail, str) else _MESSAGES.get(exc.status_code, "error")
        )
        return _error_response(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = _field_errors(exc)
        first = errors[0] if errors else {"loc": [], "message": "invalid request"}
        message = f"invalid {'.'.join(first['loc'][1:]) or 'request'}: {first['message']}"
        return _error_response(request, 422, message, errors)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error_response(request, 500, "internal error; see the server log")

    app.include_router(rest_router)
    app.include_router(pages_router)
    static = resources.files("storyscope.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    if settings.compare_enabled and settings.compare_per_minute is not None:
        # inside SecurityMiddleware (its headers, its body cap), before any form or JSON is parsed
        app.add_middleware(
            RateLimitMiddleware,
            limiter=RateLimiter(settings.compare_per_minute, settings.compare_burst),
            routes=[("POST", "/api/compare"), ("POST", "/compare")],
            respond=lambda request, message, seconds: _error_response(
                request, 429, message, headers={"Retry-After": str(seconds)}
            ),
        )
    app.add_middleware(SecurityMiddleware, max_body=settings.max_upload_bytes)
    return app


def _typed_openapi(app: FastAPI) -> None:
    """Add the response schemas (the JSON report's, the API's envelopes) to the OpenAPI document."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from storyscope.web._openapi import api_components

            spec = generate()
            spec.setdefault("components", {}).setdefault("schemas", {}).update(api_components())
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _version() -> str:
    from storyscope import _version as version_module

    return str(getattr(version_module, "__version__", "0.1.0"))
