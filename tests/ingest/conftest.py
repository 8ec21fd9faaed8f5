"""Shared fixtures for the ingest tests."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


@pytest.fixture
def fixtures() -> Path:
    """The folder of invented ingest fixture articles."""
    return FIXTURES


PUBLIC_STUB_ADDRESS = "93.184.215.14"
"""What the stub resolver answers for every name: a public address (never contacted: MockTransport)."""


@pytest.fixture(autouse=True)
def stub_resolver(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """No DNS in tests: names resolve to :data:`PUBLIC_STUB_ADDRESS` unless a test maps them here."""
    import storyscope.ingest.fetch as fetch_module

    answers: dict[str, list[str]] = {}
    monkeypatch.setattr(
        fetch_module, "_system_resolve", lambda host: answers.get(host, [PUBLIC_STUB_ADDRESS])
    )
    return answers
