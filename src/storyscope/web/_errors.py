"""One JSON error shape for the whole API, and the HTML error page for the rest.

Every error under ``/api/`` is::

    {"ok": false, "status": 404, "code": "not_found", "error": "no story 'x'", "errors": []}

``errors`` lists field problems for 422 (``{"loc": [...], "message": ...}``).
"""

from __future__ import annotations

import logging
from typing import Any

__all__ = ["CODES", "WebError", "error_body"]

logger = logging.getLogger(__name__)

CODES: dict[int, str] = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    422: "invalid_input",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


class WebError(Exception):
    """An HTTP error with a one-line message for the user.

    Args:
        status: HTTP status code.
        message: What went wrong, on one line.
        errors: Field problems (for 422).
        headers: Extra response headers (``Retry-After`` on 503).
    """

    def __init__(
        self,
        status: int,
        message: str,
        errors: list[dict[str, Any]] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or []
        self.headers = headers or {}


def error_body(
    status: int, message: str, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The JSON error document for ``status``."""
    return {
        "ok": False,
        "status": status,
        "code": CODES.get(status, "error"),
        "error": message,
        "errors": errors or [],
    }
