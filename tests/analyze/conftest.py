"""Shared fixtures for the analyze tests: spaCy is loaded once per session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from storyscope.analyze.entities import find_entities
from storyscope.analyze.nlp import get_nlp
from storyscope.analyze.sentences import find_sentences


@pytest.fixture(scope="session")
def nlp() -> Any:
    return get_nlp()


@pytest.fixture(scope="session")
def parse(nlp: Any) -> Callable[[str], tuple[Any, list[Any], list[Any]]]:
    """text -> (doc, sentences, entities)."""

    def _parse(text: str) -> tuple[Any, list[Any], list[Any]]:
        doc = nlp(text)
        sentences = find_sentences(text, doc)
        return doc, sentences, find_entities(text, doc, sentences)

    return _parse


@pytest.fixture(scope="session")
def published() -> dt.datetime:
    """Publication time of the test articles: a Thursday."""
    return dt.datetime(2026, 3, 12, 9, 30)
