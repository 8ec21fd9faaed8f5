"""Named entities: spaCy's NER mentions as :class:`~storyscope.model.Entity` records."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from storyscope.analyze._text import SentenceLookup, strip_span
from storyscope.model import Entity, Sentence

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

__all__ = ["NAME_LABELS", "EntityFinder", "find_entities"]

#: spaCy labels kept as entities (numbers, dates and times go to quantities/times).
NAME_LABELS = frozenset(
    {
        "PERSON",
        "ORG",
        "GPE",
        "LOC",
        "NORP",
        "FAC",
        "EVENT",
        "LAW",
        "PRODUCT",
        "WORK_OF_ART",
        "LANGUAGE",
    }
)
_POSSESSIVE = re.compile(r"(?:['\u2019]s?)$")
_EDGE_PUNCT = "\"'\u201c\u201d\u2018\u2019,.;:()[]"


def find_entities(text: str, doc: Doc, sentences: Sequence[Sentence]) -> list[Entity]:
    """Named-entity mentions with exact spans and sentence indices.

    A trailing possessive ("'s") and edge punctuation are trimmed; a mention that
    crosses a line break is cut at it.

    Args:
        text: The article text.
        doc: spaCy document of ``text``.
        sentences: The article's sentences (for the sentence index).

    Returns:
        Entities in text order.
    """
    lookup = SentenceLookup(sentences)
    out: list[Entity] = []
    for ent in doc.ents:
        if ent.label_ not in NAME_LABELS:
            continue
        start, end = ent.start_char, ent.end_char
        newline = text.find("\n", start, end)
        if newline != -1:
            end = newline
        start, end = strip_span(text, start, end)
        while start < end and text[start] in _EDGE_PUNCT:
            start += 1
        match = _POSSESSIVE.search(text, start, end)
        if match and match.start() > start:
            end = match.start()
        while end > start and text[end - 1] in _EDGE_PUNCT:
            end -= 1
        start, end = strip_span(text, start, end)
        if start == end or not any(c.isalnum() for c in text[start:end]):
            continue
        out.append(
            Entity(
                start=start,
                end=end,
                text=text[start:end],
                label=ent.label_,
                sentence=lookup.index_at(start),
            )
        )
    return out


class EntityFinder:
    """Pipeline component: spaCy doc -> named entities."""

    name = "entities.v1"
    requires = frozenset({"doc", "sentences"})
    assigns = frozenset({"entities"})

    def __call__(self, text: str, doc: Doc, sentences: Sequence[Sentence]) -> list[Entity]:
        return find_entities(text, doc, sentences)
