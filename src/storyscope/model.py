"""Frozen records that flow through the pipeline: ingest -> analyze -> align -> report.

Every record derived from an article's text carries half-open character offsets
``start``/``end`` into :attr:`Article.text`, and ``article.text[start:end]`` is
always exactly the record's ``text``. ``Article.text`` is the canonical cleaned
text and is never rewritten downstream; to add information to a record, build a
new one with :func:`dataclasses.replace`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "AnalyzedArticle",
    "Article",
    "Citation",
    "Claim",
    "Contradiction",
    "Cue",
    "Entity",
    "Fact",
    "Failure",
    "Framing",
    "Label",
    "Omission",
    "Quantity",
    "Quote",
    "QuoteVariant",
    "Removed",
    "Sentence",
    "Span",
    "Story",
    "SummarySentence",
    "TimeExpression",
    "article_id",
]

FactStatus = Literal["consensus", "single_source", "contested"]
ContradictionKind = Literal["number", "date", "polarity", "entity", "attribution", "status"]
"""Kinds of :class:`Contradiction`; ``entity`` and ``status`` are reserved (not produced yet)."""


def article_id(text: str) -> str:
    """Content hash of a cleaned article text (first 16 hex digits of SHA-256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range into ``Article.text``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def slice(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True, kw_only=True)
class Removed:
    """A boilerplate segment removed during cleaning, and why."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """One article as ingested: metadata plus cleaned text."""

    id: str
    source: str
    outlet: str
    text: str
    title: str | None = None
    byline: str | None = None
    published: dt.datetime | None = None
    language: str | None = None
    url: str | None = None
    removed: tuple[Removed, ...] = ()

    @classmethod
    def create(cls, *, text: str, source: str, outlet: str, **kwargs: Any) -> Article:
        """Build an article whose id is the content hash of ``text``."""
        return cls(id=article_id(text), text=text, source=source, outlet=outlet, **kwargs)

    @property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    start: int
    end: int
    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, ...
    sentence: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Quantity:
    """A number with its unit, normalised.

    ``value`` is the normalised magnitude ("$40 million" -> 40_000_000.0).
    ``low``/``high`` give the interval the text allows: "more than 40" is
    (40, inf) exclusive-ish, "about 40" is roughly (36, 44), "6 to 8" is (6, 8).
    """

    start: int
    end: int
    text: str
    value: float
    unit: str | None  # "USD", "EUR", "percent", "people", "km", ... or None for a bare count
    kind: str  # "money" | "percent" | "count" | "measure" | "ordinal"
    normalised: str  # human-readable canonical form, e.g. "40000000 USD"
    qualifier: str | None = None  # "more than", "about", "at least", "up to", "nearly", ...
    low: float | None = None
    high: float | None = None
    sentence: int = -1


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeExpression:
    """A date, time or duration; ``value`` is ISO 8601 when it can be resolved.

    Dates resolve against the article's publication date when one is given
    ("on Tuesday" -> "2026-03-10"); durations use ISO 8601 periods ("P3D").
    """

    start: int
    end: int
    text: str
    kind: str  # "date" | "time" | "duration" | "set"
    value: str | None
    sentence: int = -1


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """A quotation: ``text`` is the quoted content, ``start``/``end`` its span.

    ``speaker`` is the canonical name of who said it (resolved from pronouns and
    roles where possible); ``speaker_mention`` is the span of the words naming the
    speaker in or near the quote's sentence.
    """

    start: int
    end: int
    text: str
    speaker: str | None
    speaker_mention: Span | None = None
    cue: str | None = None  # the speech verb/phrase: "said", "told reporters", "according to"
    cue_span: Span | None = None
    kind: str = "direct"  # "direct" | "partial" | "indirect"
    anonymous: bool = False
    sentence: int = -1


@dataclass(frozen=True, slots=True, kw_only=True)
class Cue:
    """A framing cue in the text: a hedge word or an anonymous-source phrase."""

    kind: str  # "hedge" | "anonymous_source"
    start: int
    end: int
    text: str
    sentence: int = -1


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """A checkable statement in one article (a sentence or a clause of one)."""

    id: str
    article: str
    sentence: int
    start: int
    end: int
    text: str
    speaker: str | None = None  # who the article attributes it to, if anyone
    hedged: bool = False
    negated: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalyzedArticle:
    """An article plus everything the analyze stage found in it."""

    article: Article
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    quotes: tuple[Quote, ...] = ()
    cues: tuple[Cue, ...] = ()
    claims: tuple[Claim, ...] = ()
    # One L2-normalised vector per sentence (numpy array, shape (len(sentences), dim)), or None.
    embeddings: Any = field(default=None, compare=False, hash=False, repr=False)

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """A pointer to an exact span of one article: the unit of evidence."""

    article: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Fact:
    """Claims from one or more articles that state the same thing."""

    id: str
    statement: str
    status: FactStatus
    support: tuple[Citation, ...]
    outlets: tuple[str, ...]
    claims: tuple[str, ...] = ()  # claim ids


@dataclass(frozen=True, slots=True, kw_only=True)
class Contradiction:
    kind: str  # one of ContradictionKind
    explanation: str
    a: Citation
    b: Citation
    fact: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Omission:
    article: str
    fact: str


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteVariant:
    """The same utterance printed differently by several articles."""

    speaker: str | None
    members: tuple[Citation, ...]
    differences: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Label:
    """One concept named differently across articles: ``variants`` maps article id -> term."""

    concept: str
    variants: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Framing:
    labels: tuple[Label, ...] = ()
    hedges: tuple[Citation, ...] = ()
    anonymous_sources: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SummarySentence:
    text: str
    citations: tuple[Citation, ...]
    section: str = "consensus"  # "consensus" | "differences"


@dataclass(frozen=True, slots=True, kw_only=True)
class Failure:
    """A source that could not be processed; recorded, and the batch goes on."""

    stage: str  # "ingest" | "analyze" | "align"
    source: str
    error: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    """The result of aligning several analyzed articles about one event."""

    articles: tuple[AnalyzedArticle, ...]
    facts: tuple[Fact, ...] = ()
    contradictions: tuple[Contradiction, ...] = ()
    omissions: tuple[Omission, ...] = ()
    quote_variants: tuple[QuoteVariant, ...] = ()
    framing: Framing = Framing()
    summary: tuple[SummarySentence, ...] = ()
    failures: tuple[Failure, ...] = ()
    warnings: tuple[str, ...] = ()
