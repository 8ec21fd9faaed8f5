"""Walk the report schema: every property as a documented path like ``articles[].title``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return schema["$defs"][ref.removeprefix("#/$defs/")]  # type: ignore[no-any-return]
    return node


SHARED = "#/$defs/citation"


def property_paths(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(path, property schema)`` for every property reachable from the root.

    The shared citation record is walked once, under the prefix ``citation.``.
    """
    seen_shared = False

    def walk(node: dict[str, Any], prefix: str) -> Iterator[tuple[str, dict[str, Any]]]:
        nonlocal seen_shared
        if node.get("$ref") == SHARED:
            if seen_shared:
                return
            seen_shared = True
            prefix = "citation."
        node = _resolve(schema, node)
        for name, prop in node.get("properties", {}).items():
            path = f"{prefix}{name}"
            yield path, prop
            yield from walk(prop, f"{path}.")
        items = node.get("items")
        if isinstance(items, dict):
            yield from walk(items, f"{prefix.rstrip('.')}[].")
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            yield from walk(extra, f"{prefix.rstrip('.')}.*.")

    yield from walk(schema, "")
