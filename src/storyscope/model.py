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
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # pragma: no cover
    from storyscope.outlets import OutletInfo

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
    "HedgedClaim",
    "Label",
    "LabelUse",
    "LoadedTerm",
    "Omission",
    "OutletProfile",
    "Quantity",
    "Quote",
    "QuoteVariant",
    "Removed",
    "Reprint",
    "Sentence",
    "Source",
    "Span",
    "Story",
    "SummarySentence",
    "TimeExpression",
    "article_id",
    "reprint_of",
]

FactStatus = Literal["consensus", "single_source", "contested"]
ContradictionKind = Literal["number", "date", "polarity", "entity", "attribution", "status"]
#: Whether a claim's event happened, is under way, or lies ahead (None: not told by the verb).
ClaimStatus = Literal["done", "ongoing", "planned", "expected", "possible"]
#: Whose voice a claim is in: the outlet's own, a named source's, an anonymous source's.
Attribution = Literal["own", "named", "anonymous"]
"""Kinds of :class:`Contradiction`."""


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
    speaker in or near the quote's sentence; ``speaker_description`` is the title
    or role the article gives the speaker ("Finance Minister", "the port
    director").

    ``kind`` is ``"direct"`` (a quotation in marks), ``"partial"`` (quoted words
    inside the writer's sentence), ``"indirect"`` (reported speech, "X said that
    ..."; the span is the reported clause) or ``"scare"`` (a quoted term that is
    not a statement: 'the "temporary" tariffs'; no speaker).
    """

    start: int
    end: int
    text: str
    speaker: str | None
    speaker_mention: Span | None = None
    cue: str | None = None  # the speech verb/phrase: "said", "told reporters", "according to"
    cue_span: Span | None = None
    kind: str = "direct"  # "direct" | "partial" | "indirect" | "scare"
    anonymous: bool = False
    sentence: int = -1
    speaker_description: str | None = None


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
    # The analyze stage decides negation once, from the parse of the main clause; align reads it.
    negated: bool = False  # a negation word ("not", "never", "n't") or a denying verb negates it
    denial: bool = False  # negated by a denying verb alone ("denied the request"): a stage, no "not"
    # Roles from the parse (storyscope.analyze.roles): compact noun phrases and a verb lemma.
    subject: str | None = None
    predicate: str | None = None
    object: str | None = None
    status: ClaimStatus | None = None
    attribution: Attribution = "own"


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
    # Per-article measures (analyzers sources, anonymous, media, loaded, hedges; storyscope.analyze.framing).
    # None: not computed (an analysis by an older pipeline, or one without that analyzer), and
    # align finds them itself; () : computed, nothing found.
    #: Who the article relies on (:func:`storyscope.align.sourcing.find_sources`).
    sources: tuple[Source, ...] | None = None
    #: Its unnamed sources, one citation each (:func:`storyscope.align.sourcing.find_anonymous_citations`).
    anonymous: tuple[Citation, ...] | None = None
    #: Phrases relying on other news organisations, the story's other outlets not yet
    #: among them (:func:`storyscope.align.sourcing.find_media_reliance` without ``outlets``;
    #: align adds those: :func:`storyscope.align.sourcing.story_media_reliance`).
    media: tuple[Citation, ...] | None = None
    #: Loaded terms (:func:`storyscope.align.loaded_language.find_loaded_language`).
    loaded: tuple[LoadedTerm, ...] | None = None
    #: The outlet's hedges and scare quotes with the claims they hedge
    #: (:func:`storyscope.align._cues.article_hedges`).
    hedges: tuple[HedgedClaim, ...] | None = None

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
    # Independent lines of evidence: outlets that only relay the same source count once (None: not computed).
    independent_support: int | None = None
    # (source, outlets relying on it for this fact), e.g. ("a wire agency", ("Post", "Times")).
    shared_sources: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Contradiction:
    kind: str  # one of ContradictionKind
    explanation: str
    a: Citation
    b: Citation
    fact: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Omission:
    """An article leaving out a fact most outlets report.

    ``centrality`` (0..1) ranks how much the fact matters to the story: the
    share of outlets stating it, how early they state it, and how many of the
    story's most-mentioned names it involves (see :mod:`storyscope.align.omissions`).
    """

    article: str
    fact: str
    centrality: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteVariant:
    """The same utterance printed differently by several articles."""

    speaker: str | None
    members: tuple[Citation, ...]
    differences: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Label:
    """One concept named differently across articles: ``variants`` maps article id -> term.

    ``kind`` is ``"spelling"`` when the terms are spellings of one name (accents,
    hyphens, transliteration: Kyiv / Kiev) and ``"wording"`` otherwise.
    """

    concept: str
    variants: tuple[tuple[str, str], ...]
    kind: str = "wording"  # "wording" | "spelling"


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


SourceKind = Literal["official", "ngo", "expert", "adversary", "ordinary", "media", "other"]
"""Kinds of :class:`Source`: who an article relies on."""


@dataclass(frozen=True, slots=True, kw_only=True)
class HedgedClaim:
    """A hedge (or scare quote) and the claim it hedges, both as exact spans."""

    hedge: Citation
    claim: Citation
    kind: str = "hedge"  # "hedge" | "scare_quote"


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """One source an article relies on: a named speaker, or an unnamed one.

    ``kind`` is one of :data:`SourceKind`, decided by rules over the words the
    article uses to describe the source (``evidence``) and entity labels.
    ``quotes`` cite the words the article quotes from this source, and
    ``quoted_chars`` is their total length.
    """

    article: str
    name: str | None  # canonical speaker name; None for an unnamed source
    anonymous: bool
    kind: str  # one of SourceKind
    evidence: Citation | None = None  # the describing words: "Mayor", "a senior port official"
    quotes: tuple[Citation, ...] = ()
    quoted_chars: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadedTerm:
    """An emotive or evaluative term, or an intensifier, from the loaded-language lexicon."""

    citation: Citation
    category: str  # "emotive" | "evaluative" | "intensifier" (lexicon tables)
    target: str | None = None  # the nearest named entity in the sentence, if any
    quoted: bool = False  # inside a quotation: the speaker's word, not the outlet's


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelUse:
    """An article's term for a concept named differently across the story (first use)."""

    concept: str
    citation: Citation


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletProfile:
    """How one outlet tells the story, summed over its articles, with evidence spans.

    Every measure keeps its evidence as :class:`Citation` spans naming the
    article, so per-article figures can be read off by filtering on it.
    """

    outlet: str
    articles: tuple[str, ...]
    words: int
    hedges: tuple[HedgedClaim, ...] = ()
    anonymous_sources: tuple[Citation, ...] = ()
    sources: tuple[Source, ...] = ()
    media: tuple[Citation, ...] = ()  # reliance on other media: "according to a wire agency"
    loaded: tuple[LoadedTerm, ...] = ()
    labels: tuple[LabelUse, ...] = ()

    def per_1000_words(self, count: int) -> float:
        """``count`` per 1,000 words, rounded to 2 decimals; 0.0 when there are no words."""
        return round(count * 1000 / self.words, 2) if self.words else 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Reprint:
    """A copy of a compared article that was left out of the comparison.

    Attributes:
        original: Id of the compared article it copies.
        source: Where the copy was read from.
        outlet: The outlet that republished it.
        kind: ``identical`` (the same text) or ``near_duplicate`` (a syndicated copy
            with small edits, linked by the store's near-duplicate index).
        url: The copy's URL, if known.
        title: The copy's headline, if known.
    """

    original: str
    source: str
    outlet: str
    kind: Literal["identical", "near_duplicate"]
    url: str | None = None
    title: str | None = None


def reprint_of(
    copy: Article, original: Article, kind: Literal["identical", "near_duplicate"]
) -> Reprint | None:
    """The :class:`Reprint` that records ``copy``, left out of the comparison for
    ``original``, as republished by its outlet; None when both come from one outlet (a
    second copy of an outlet's own article is no reprint). The one place a reprint is
    made: ``compare`` (an identical copy read twice), ``ingest`` (an identical copy of a
    stored article) and a stored story's report (a near-duplicate) all call it.
    """
    if copy.outlet == original.outlet:
        return None
    return Reprint(
        original=original.id,
        source=copy.source,
        outlet=copy.outlet,
        kind=kind,
        url=copy.url,
        title=copy.title,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    """The result of aligning several analyzed articles about one event.

    ``reprints``: copies left out of the comparison, by the outlet that republished
    them; ``outlet_info``: the outlets file's entries for the story's outlets (empty
    without a file, see :mod:`storyscope.outlets`).
    """

    articles: tuple[AnalyzedArticle, ...]
    facts: tuple[Fact, ...] = ()
    contradictions: tuple[Contradiction, ...] = ()
    omissions: tuple[Omission, ...] = ()
    quote_variants: tuple[QuoteVariant, ...] = ()
    framing: Framing = Framing()
    summary: tuple[SummarySentence, ...] = ()
    failures: tuple[Failure, ...] = ()
    warnings: tuple[str, ...] = ()
    outlets: tuple[OutletProfile, ...] = ()  # per-outlet framing and sourcing
    reprints: tuple[Reprint, ...] = ()
    outlet_info: tuple[OutletInfo, ...] = ()

    def to_frames(self, story_id: int | None = None) -> dict[str, Any]:
        """The story's report as pandas DataFrames, one per table of ``storyscope export``.

        The same tables, columns and values as ``storyscope export`` writes (both
        come from :func:`storyscope.export.report_rows`; columns in
        docs/report.md, "Tables"): ``articles`` (with the outlet's ``lean``,
        ``owner``, ``kind`` and ``country`` where ``outlet_info`` lists it),
        ``reprints``, ``claims``, ``facts``,
        ``fact_citations``, ``contradictions``, ``contradiction_citations``,
        ``quotes``, ``quote_variants``, ``quote_variant_citations``, ``omissions``,
        ``labels``, ``summary``, ``summary_citations``.

        Args:
            story_id: Put in every row's ``story_id`` column (a stored story's id);
                missing (``pd.NA``) when None.

        Raises:
            ImportError: pandas is not installed (``pip install 'storyscope[frames]'``).
        """
        from storyscope.report._tables import frames, report_rows
        from storyscope.report.json import to_dict

        return frames(report_rows(to_dict(self), story_id))

    def _repr_html_(self) -> str:
        """Jupyter's view: headline counts, the cited summary and the contradictions (escaped)."""
        from storyscope.report._notebook import story_html
        from storyscope.report.json import to_dict

        return story_html(to_dict(self))
