"""The analyze pipeline: ``Article`` -> ``AnalyzedArticle``, one spaCy pass, one embed call.

The pipeline is a declared list of analyzers (:class:`Analyzer`): each has a
versioned ``name`` ("quotes.v1"), the fields it ``requires`` and ``assigns``, and
is called with a :class:`Draft` (the article being analysed: its parse and the
fields found so far) to return a new one. The built-ins (:func:`builtin_analyzers`:
sentences, entities, quantities, times, quotes, cues, claims, and the per-article
framing measures sources, anonymous, media, loaded, hedges that align reads instead of finding
them per story: :mod:`storyscope.analyze.framing`) and the analyzers of
installed plugins (:mod:`storyscope.plugins`) are registered through the same hook;
the settings' ``[analyze] analyzers`` list names which run and in what order, and
:class:`Pipeline` checks at build time that every analyzer's ``requires`` is
assigned before it.

Cost per article is bounded: only its first :data:`MAX_ANALYSED_CHARS` characters
are analysed (cut at a line break or space; records point into the article's text
as always, the rest of it has none), no sentence is longer than
:data:`~storyscope.analyze.sentences.MAX_SENTENCE_CHARS` characters (text without
sentence breaks is cut before the parser and again after the sentence repairs), an
article gives at most :data:`~storyscope.analyze.claims.MAX_CLAIMS` claims and
:data:`~storyscope.analyze.quotes.MAX_QUOTES` quote records, and only
the sentences up to the last claim's are embedded (the embedder reads at most 256
tokens of each); the rows of the sentences after it hold the mean of the embedded
ones, so the article's vector is that of its compared part. See ``bench/bench_long.py``.
Where a time budget can be enforced (the main thread: ``storyscope ingest --analyze``,
``storyscope report``, ``storyscope compare``; the Ray engine's workers, whose analysis
thread asks for a watchdog with :func:`storyscope._timer.thread_budgets`; not the web
server's worker threads, which have a budget per request; see :mod:`storyscope._timer`), each article is
parsed and run through the analyzers within :data:`MAX_ANALYSIS_SECONDS`; one that takes
longer raises :class:`~storyscope.errors.AnalysisTimeoutError` naming it, and the callers
record it as that article's failure and analyse the rest of the batch without it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from storyscope._timer import budget_applies, time_budget
from storyscope.analyze.claims import MAX_CLAIMS, ClaimSplitter
from storyscope.analyze.cues import CueFinder
from storyscope.analyze.embeddings import Embedder, get_embedder
from storyscope.analyze.entities import EntityFinder
from storyscope.analyze.framing import framing_analyzers
from storyscope.analyze.quantities import QuantityFinder
from storyscope.analyze.quotes import MAX_QUOTES, QuoteFinder
from storyscope.analyze.sentences import SentenceSplitter
from storyscope.analyze.times import TimeFinder
from storyscope.errors import AnalysisError, AnalysisTimeoutError, ConfigError
from storyscope.model import (
    AnalyzedArticle,
    Article,
    Citation,
    Claim,
    Cue,
    Entity,
    HedgedClaim,
    LoadedTerm,
    Quantity,
    Quote,
    Sentence,
    Source,
    TimeExpression,
)

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

    from storyscope.settings import AnalyzeSettings

__all__ = [
    "BASE_FIELDS",
    "MAX_ANALYSED_CHARS",
    "MAX_ANALYSIS_SECONDS",
    "Analyzer",
    "Draft",
    "Pipeline",
    "analysed_end",
    "analyzer_key",
    "builtin_analyzers",
]

#: Most characters of one article that are analysed: about 8,500 words, 1.5 times
#: the longest PolNeAR article and 4.5 times the longest BASIL one. An article costs
#: time and memory linear in its length up to this, constant past it.
MAX_ANALYSED_CHARS = 50_000

#: Seconds of wall-clock time one article's parse and analyzers may take where the
#: budget applies (a news article takes 0.02-0.2 s, one of MAX_ANALYSED_CHARS
#: characters without a sentence break about 10 s on 2 cores: ``bench/bench_long.py``);
#: ``None`` or 0: no budget. Embedding the batch's sentences is not counted (at most
#: 256 tokens a sentence, ``MAX_CLAIMS`` sentences an article).
MAX_ANALYSIS_SECONDS: float | None = 60.0

logger = logging.getLogger(__name__)

_BATCH_SIZE = 16


@dataclass(frozen=True, slots=True, kw_only=True)
class Draft:
    """The article being analysed, as every analyzer sees it.

    The base record (``article``, ``text``, ``doc``) plus the
    :class:`~storyscope.model.AnalyzedArticle` fields assigned so far. An analyzer
    returns a new draft: ``dataclasses.replace(draft, cues=draft.cues + found)``.
    Data of one's own for later analyzers goes on the spaCy doc as an extension
    attribute (``doc._.name``; name it in ``assigns``/``requires`` as ``"doc._.name"``).
    """

    article: Article
    #: The analysed part of ``article.text``: all of it, or its first
    #: :data:`MAX_ANALYSED_CHARS` characters (:func:`analysed_end`).
    text: str
    #: The spaCy parse of ``text``.
    doc: Doc
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    quotes: tuple[Quote, ...] = ()
    cues: tuple[Cue, ...] = ()
    claims: tuple[Claim, ...] = ()
    # Per-article framing measures (storyscope.analyze.framing); None: not computed.
    sources: tuple[Source, ...] | None = None
    anonymous: tuple[Citation, ...] | None = None
    media: tuple[Citation, ...] | None = None
    loaded: tuple[LoadedTerm, ...] | None = None
    hedges: tuple[HedgedClaim, ...] | None = None

    def analyzed(self) -> AnalyzedArticle:
        """The analyzed article of this draft (without embeddings)."""
        return AnalyzedArticle(
            article=self.article,
            sentences=tuple(self.sentences),
            entities=tuple(self.entities),
            quantities=tuple(self.quantities),
            times=tuple(self.times),
            quotes=tuple(self.quotes),
            cues=tuple(self.cues),
            claims=tuple(self.claims),
            sources=None if self.sources is None else tuple(self.sources),
            anonymous=None if self.anonymous is None else tuple(self.anonymous),
            media=None if self.media is None else tuple(self.media),
            loaded=None if self.loaded is None else tuple(self.loaded),
            hedges=None if self.hedges is None else tuple(self.hedges),
        )


#: What every draft holds before the first analyzer runs.
BASE_FIELDS = frozenset({"article", "text", "doc"})


@runtime_checkable
class Analyzer(Protocol):
    """One step of the analyze pipeline (spaCy's ``Language.factory(requires=, assigns=)``).

    ``name`` carries a version ("quotes.v1"): it is part of :attr:`Pipeline.version`,
    so stored analyses are redone when it changes. ``requires`` and ``assigns`` name
    :class:`Draft` fields (or ``doc._.`` attributes) it reads and writes; the pipeline
    checks them when it is built. Load models in ``__init__``, not per call.
    """

    @property
    def name(self) -> str: ...

    @property
    def requires(self) -> AbstractSet[str]: ...

    @property
    def assigns(self) -> AbstractSet[str]: ...

    def __call__(self, draft: Draft, /) -> Draft: ...


_VERSIONED = re.compile(r"^(?P<key>\S+)\.v\d+$")


def analyzer_key(name: str) -> str:
    """The name an analyzer is listed by in settings: its ``name`` without the version.

    Raises:
        ConfigError: The name has no version suffix (``".v1"``).
    """
    found = _VERSIONED.match(name)
    if found is None:
        raise ConfigError(f"analyzer name {name!r} lacks a version (e.g. {name!s}.v1)")
    return found.group("key")


class _Component:
    """A built-in component as an analyzer: ``run(component, draft)`` gives its one field."""

    __slots__ = ("_field", "_run", "component")

    def __init__(self, component: Any, run: Callable[[Any, Draft], Sequence[Any]]) -> None:
        (self._field,) = component.assigns
        self.component = component
        self._run = run

    @property
    def name(self) -> str:
        return str(self.component.name)

    @property
    def requires(self) -> AbstractSet[str]:
        return frozenset(self.component.requires)

    @property
    def assigns(self) -> AbstractSet[str]:
        return frozenset(self.component.assigns)

    def __call__(self, draft: Draft, /) -> Draft:
        found: dict[str, Any] = {self._field: tuple(self._run(self.component, draft))}
        return dataclasses.replace(draft, **found)

    def __repr__(self) -> str:
        return f"<analyzer {self.name}>"


# How each built-in component is called (module functions, so that pipelines pickle).
def _sentences(c: SentenceSplitter, d: Draft) -> list[Sentence]:
    return c(d.text, d.doc)


def _entities(c: EntityFinder, d: Draft) -> list[Entity]:
    return c(d.text, d.doc, d.sentences)


def _quantities(c: QuantityFinder, d: Draft) -> list[Quantity]:
    return c(d.text, d.doc, d.sentences)


def _times(c: TimeFinder, d: Draft) -> list[TimeExpression]:
    return c(d.text, d.doc, d.sentences, d.article.published)


def _quotes(c: QuoteFinder, d: Draft) -> list[Quote]:
    return c(d.text, d.doc, d.sentences, d.entities)


def _cues(c: CueFinder, d: Draft) -> list[Cue]:
    return c(d.text, d.sentences)


def _claims(c: ClaimSplitter, d: Draft) -> list[Claim]:
    return c(d.article.id, d.text, d.doc, d.sentences, d.entities, d.quotes, d.cues)


def builtin_analyzers(cue_lexicon: str | Path | None = None) -> list[Analyzer]:
    """The built-in analyzers, in their order: sentences, entities, quantities, times,
    quotes, cues, claims, then the per-article framing measures sources, anonymous, media, loaded
    and hedges (:mod:`storyscope.analyze.framing`) (``cue_lexicon``: a cue lexicon TOML;
    the packaged one when None)."""
    return [
        _Component(SentenceSplitter(), _sentences),
        _Component(EntityFinder(), _entities),
        _Component(QuantityFinder(), _quantities),
        _Component(TimeFinder(), _times),
        _Component(QuoteFinder(), _quotes),
        _Component(CueFinder(cue_lexicon), _cues),
        _Component(ClaimSplitter(), _claims),
        *framing_analyzers(),
    ]


def build_analyzers(
    analyzers: Sequence[str | Analyzer],
    *,
    cue_lexicon: str | Path | None = None,
    load_plugins: bool | None = None,
) -> tuple[Analyzer, ...]:
    """The analyzers of a pipeline, in order, checked.

    Args:
        analyzers: Registered analyzers by name (``"quotes"``, or ``"quotes.v1"`` to
            insist on that version) or analyzer objects, in the order they run. The
            analyzers of installed plugins that it does not name run after them, in the
            order the plugins loaded; a built-in it does not name does not run.
        cue_lexicon: A cue lexicon TOML for the built-in cues analyzer.
        load_plugins: Load the plugins of the ``storyscope`` entry-point group; None:
            unless ``STORYSCOPE_NO_PLUGINS=1`` (:func:`storyscope.plugins.plugin_manager`).

    Raises:
        ConfigError: An unknown name or version, an analyzer listed twice, or one whose
            ``requires`` no analyzer before it assigns (one line naming both).
    """
    from storyscope.plugins import BUILTIN, registered_analyzers

    registry: dict[str, tuple[Analyzer, str]] = {}
    for plugin, analyzer in registered_analyzers(load_entrypoints=load_plugins):
        key = analyzer_key(analyzer.name)
        if key in registry:
            raise ConfigError(
                f"analyzer {key!r} is registered twice: by {registry[key][1]} and by {plugin}"
            )
        registry[key] = (analyzer, plugin)
    if cue_lexicon is not None and registry.get("cues", (None, ""))[1] == BUILTIN:
        cues = next(a for a in builtin_analyzers(cue_lexicon) if analyzer_key(a.name) == "cues")
        registry["cues"] = (cues, BUILTIN)
    chosen: list[Analyzer] = []
    for item in analyzers:
        if isinstance(item, str):
            analyzer = _registered(item, registry)
        elif isinstance(item, Analyzer):
            analyzer = item
        else:
            raise ConfigError(
                f"{item!r} is not an analyzer (it needs name, requires, assigns, __call__)"
            )
        key = analyzer_key(analyzer.name)
        if any(analyzer_key(a.name) == key for a in chosen):
            raise ConfigError(f"analyzer {key!r} is listed twice")
        chosen.append(analyzer)
    named = {analyzer_key(a.name) for a in chosen}
    chosen += [a for key, (a, plugin) in registry.items() if plugin != BUILTIN and key not in named]
    _check_requires(chosen, [a for a, _ in registry.values()])
    return tuple(chosen)


def _registered(name: str, registry: dict[str, tuple[Analyzer, str]]) -> Analyzer:
    versioned = _VERSIONED.match(name)
    key = name if name in registry or versioned is None else versioned.group("key")
    if key not in registry:
        raise ConfigError(f"unknown analyzer {name!r} (known: {', '.join(registry)})")
    analyzer = registry[key][0]
    if name not in (key, analyzer.name):
        raise ConfigError(f"analyzer {name} is not available ({analyzer.name} is installed)")
    return analyzer


def _check_requires(chosen: Sequence[Analyzer], registered: Sequence[Analyzer]) -> None:
    available = set(BASE_FIELDS)
    for i, analyzer in enumerate(chosen):
        missing = sorted(set(analyzer.requires) - available)
        if missing:
            field = missing[0]
            later = next((a.name for a in chosen[i + 1 :] if field in a.assigns), None)
            other = next(
                (a.name for a in registered if field in a.assigns and a not in chosen), None
            )
            hint = (
                f" ({later} assigns it, after it)"
                if later
                else f" ({other} assigns it but is not in the pipeline)"
                if other
                else ""
            )
            raise ConfigError(
                f"analyzer {analyzer.name} requires {', '.join(missing)}, "
                f"which no analyzer before it assigns{hint}"
            )
        available |= analyzer.assigns


class Pipeline:
    """Run spaCy once and the analyzers over articles, then embed every sentence.

    Args:
        nlp: A spaCy pipeline with parser and NER; the shared default when None
            (loaded on first use).
        embedder: Sentence embedder; the default MiniLM one when None (loaded on
            first use). Pass :class:`storyscope.testing.FakeEmbedder` in tests.
        cue_lexicon: Path of a cue lexicon TOML; the packaged one when None.
        analyzers: The analyzers, by name or as objects, in order (see
            :func:`build_analyzers`); the shipped ``[analyze] analyzers`` when None.
        load_plugins: Load installed plugins (entry-point group ``storyscope``);
            None: unless ``STORYSCOPE_NO_PLUGINS=1``.

    Raises:
        ConfigError: The analyzers do not make a pipeline (:func:`build_analyzers`).
    """

    def __init__(
        self,
        *,
        nlp: Language | None = None,
        embedder: Embedder | None = None,
        cue_lexicon: str | Path | None = None,
        analyzers: Sequence[str | Analyzer] | None = None,
        load_plugins: bool | None = None,
    ) -> None:
        self._nlp = nlp
        self._embedder = embedder
        # What the version names: the caller's models, not whether the defaults loaded yet.
        self._given_nlp = nlp
        self._given_embedder = embedder
        self._cue_lexicon = None if cue_lexicon is None else str(cue_lexicon)
        if analyzers is None:
            from storyscope.settings import default_settings

            analyzers = default_settings().analyze.analyzers
        #: The analyzers, in the order they run.
        self.analyzers: tuple[Analyzer, ...] = build_analyzers(
            analyzers, cue_lexicon=cue_lexicon, load_plugins=load_plugins
        )

    @classmethod
    def from_config(
        cls,
        settings: AnalyzeSettings,
        *,
        nlp: Language | None = None,
        embedder: Embedder | None = None,
        cue_lexicon: str | Path | None = None,
        load_plugins: bool | None = None,
    ) -> Pipeline:
        """The pipeline of the ``[analyze]`` settings (``settings.analyze`` of
        :func:`storyscope.settings.resolve_settings`); other arguments as for the class."""
        return cls(
            nlp=nlp,
            embedder=embedder,
            cue_lexicon=cue_lexicon,
            analyzers=settings.analyzers,
            load_plugins=load_plugins,
        )

    @property
    def version(self) -> str:
        """What the analyses of this pipeline depend on, as a short string.

        The package version, every analyzer's versioned name ("claims.v4") in order,
        the spaCy pipeline and embedder in use (the default ones by name, without
        loading them) and the cue lexicon. Stored analyses are reused only under
        the same version (:class:`storyscope.corpus.StoredAnalyses`).
        """
        from storyscope._version import __version__

        parts = [f"storyscope {__version__}"]
        parts += [str(a.name) for a in self.analyzers]
        nlp = self._given_nlp
        parts.append(
            "spacy:default"
            if nlp is None
            else f"spacy:{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
        )
        embedder = self._given_embedder
        parts.append(
            "embedder:default"
            if embedder is None
            else f"embedder:{getattr(embedder, 'name', type(embedder).__name__)}"
        )
        parts.append(f"cues:{self._cue_lexicon or 'packaged'}")
        parts.append(f"budget:{MAX_ANALYSED_CHARS}:{MAX_CLAIMS}:{MAX_QUOTES}")
        digest = hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]
        return f"analysis-{digest}"

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline (loaded on first access)."""
        if self._nlp is None:
            from storyscope.analyze.nlp import get_nlp

            self._nlp = get_nlp()
        return self._nlp

    @property
    def embedder(self) -> Embedder:
        """The sentence embedder (created on first access)."""
        if self._embedder is None:
            self._embedder = get_embedder()
        return self._embedder

    def _analyze_doc(self, article: Article, doc: Doc) -> AnalyzedArticle:
        # doc.text is the analysed part: the article's text, or its start.
        draft = Draft(article=article, text=doc.text, doc=doc)
        for analyzer in self.analyzers:
            try:
                draft = analyzer(draft)
            except AnalysisError:
                raise
            except Exception as exc:
                raise AnalysisError(
                    f"{article.source}: analysis failed in {analyzer.name}: {exc}"
                ) from exc
            if not isinstance(draft, Draft):
                raise AnalysisError(
                    f"{article.source}: analyzer {analyzer.name} returned "
                    f"{type(draft).__name__}, not a Draft"
                )
        return draft.analyzed()

    def _analyze_parsed(self, article: Article, doc: Doc) -> AnalyzedArticle:
        try:
            return self._analyze_doc(article, doc)
        except AnalysisError:
            raise
        except Exception as exc:
            raise AnalysisError(f"{article.source}: analysis failed: {exc}") from exc

    def _analyze_within_budget(self, nlp: Language, article: Article, text: str) -> AnalyzedArticle:
        seconds = MAX_ANALYSIS_SECONDS
        assert seconds is not None

        def over() -> Exception:
            return AnalysisTimeoutError(article.id, article.source, seconds)

        with time_budget(seconds, over):
            try:
                doc = nlp(text)
            except Exception as exc:
                raise AnalysisError(f"spaCy failed: {exc}") from exc
            return self._analyze_parsed(article, doc)

    def analyze(self, article: Article) -> AnalyzedArticle:
        """Analyze one article.

        Raises:
            AnalysisError: A model failed to load or run.
        """
        return self.analyze_many([article])[0]

    def analyze_many(self, articles: Sequence[Article]) -> list[AnalyzedArticle]:
        """Analyze articles with one spaCy pass and one embedding call over all sentences.

        Args:
            articles: Articles to analyze.

        Returns:
            One analyzed article per input, in order, each with ``embeddings`` of shape
            ``(len(sentences), dim)``.

        Raises:
            AnalysisTimeoutError: An article's parse and analyzers took longer than
                :data:`MAX_ANALYSIS_SECONDS` (where the budget applies).
            AnalysisError: A model failed to load or run, or an analyzer crashed.
        """
        if not articles:
            return []
        nlp = self.nlp
        texts = [a.text[: analysed_end(a.text)] for a in articles]
        analyzed: list[AnalyzedArticle] = []
        if budget_applies(MAX_ANALYSIS_SECONDS):
            # one article at a time, each parse and its analyzers within the budget (spaCy's
            # batches save little here: 20 news articles take the same time either way)
            for article, text in zip(articles, texts, strict=True):
                analyzed.append(self._analyze_within_budget(nlp, article, text))
        else:
            try:
                docs = list(nlp.pipe(texts, batch_size=_BATCH_SIZE))
            except Exception as exc:
                raise AnalysisError(f"spaCy failed: {exc}") from exc
            for article, doc in zip(articles, docs, strict=True):
                analyzed.append(self._analyze_parsed(article, doc))
        counts = [_embedded_count(a) for a in analyzed]
        all_sentences = [
            s.text for a, k in zip(analyzed, counts, strict=True) for s in a.sentences[:k]
        ]
        dim = self.embedder.dim
        matrix: Any = (
            self.embedder.embed(all_sentences)
            if all_sentences
            else np.zeros((0, dim), dtype=np.float32)
        )
        out: list[AnalyzedArticle] = []
        offset = 0
        for item, k in zip(analyzed, counts, strict=True):
            vectors = matrix[offset : offset + k]
            if k < len(item.sentences):
                vectors = _padded(vectors, len(item.sentences), dim)
            out.append(_with_embeddings(item, vectors))
            offset += k
        logger.debug("analyzed %d articles, %d sentences embedded", len(out), offset)
        return out


def analysed_end(text: str, limit: int = MAX_ANALYSED_CHARS) -> int:
    """Where the analysed part of ``text`` ends: its length, or a cut at most ``limit``.

    The cut is after the last line break in the second half of the first ``limit``
    characters, else at the last whitespace there, else at ``limit``.
    """
    if len(text) <= limit:
        return len(text)
    newline = text.rfind("\n", limit // 2, limit)
    if newline >= 0:
        return newline
    return next((i for i in range(limit, limit // 2, -1) if text[i].isspace()), limit)


def _embedded_count(item: AnalyzedArticle) -> int:
    """How many leading sentences of an article are embedded: all, unless its claims were capped."""
    if len(item.claims) < MAX_CLAIMS:
        return len(item.sentences)
    return item.claims[-1].sentence + 1


def _padded(vectors: Any, n: int, dim: int) -> Any:
    """``vectors`` plus rows up to ``n`` holding their normalised mean (zeros when none)."""
    fill = np.zeros(dim, dtype=np.float32)
    if len(vectors):
        mean = vectors.mean(axis=0)
        norm = float(np.linalg.norm(mean))
        if norm > 0:
            fill = (mean / norm).astype(np.float32)
    rest = np.broadcast_to(fill, (n - len(vectors), dim))
    return np.concatenate([np.asarray(vectors, dtype=np.float32), rest]).astype(np.float32)


def _with_embeddings(item: AnalyzedArticle, vectors: Any) -> AnalyzedArticle:
    return dataclasses.replace(item, embeddings=vectors)
