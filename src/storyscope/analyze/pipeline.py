"""The analyze pipeline: ``Article`` -> ``AnalyzedArticle``, one spaCy pass, one embed call.

Cost per article is bounded: only its first :data:`MAX_ANALYSED_CHARS` characters
are analysed (cut at a line break or space; records point into the article's text
as always, the rest of it has none), no sentence is longer than
:data:`~storyscope.analyze.sentences.MAX_SENTENCE_CHARS` characters (text without
sentence breaks is cut before the parser and again after the sentence repairs), an
article gives at most :data:`~storyscope.analyze.claims.MAX_CLAIMS` claims, and only
the sentences up to the last claim's are embedded (the embedder reads at most 256
tokens of each); the rows of the sentences after it hold the mean of the embedded
ones, so the article's vector is that of its compared part. See ``bench/bench_long.py``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from storyscope.analyze.claims import MAX_CLAIMS, ClaimSplitter
from storyscope.analyze.cues import CueFinder
from storyscope.analyze.embeddings import Embedder, get_embedder
from storyscope.analyze.entities import EntityFinder
from storyscope.analyze.quantities import QuantityFinder
from storyscope.analyze.quotes import QuoteFinder
from storyscope.analyze.sentences import SentenceSplitter
from storyscope.analyze.times import TimeFinder
from storyscope.errors import AnalysisError
from storyscope.model import AnalyzedArticle, Article

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["MAX_ANALYSED_CHARS", "Pipeline", "analysed_end"]

#: Most characters of one article that are analysed: about 8,500 words, 1.5 times
#: the longest PolNeAR article and 4.5 times the longest BASIL one. An article costs
#: time and memory linear in its length up to this, constant past it.
MAX_ANALYSED_CHARS = 50_000

logger = logging.getLogger(__name__)

_BATCH_SIZE = 16


class Pipeline:
    """Run spaCy once and the rule components over articles, then embed every sentence.

    Args:
        nlp: A spaCy pipeline with parser and NER; the shared default when None
            (loaded on first use).
        embedder: Sentence embedder; the default MiniLM one when None (loaded on
            first use). Pass :class:`storyscope.testing.FakeEmbedder` in tests.
        cue_lexicon: Path of a cue lexicon TOML; the packaged one when None.
    """

    def __init__(
        self,
        *,
        nlp: Language | None = None,
        embedder: Embedder | None = None,
        cue_lexicon: str | Path | None = None,
    ) -> None:
        self._nlp = nlp
        self._embedder = embedder
        # What the version names: the caller's models, not whether the defaults loaded yet.
        self._given_nlp = nlp
        self._given_embedder = embedder
        self._cue_lexicon = None if cue_lexicon is None else str(cue_lexicon)
        self.sentences = SentenceSplitter()
        self.entities = EntityFinder()
        self.quantities = QuantityFinder()
        self.times = TimeFinder()
        self.quotes = QuoteFinder()
        self.cues = CueFinder(cue_lexicon)
        self.claims = ClaimSplitter()

    @property
    def version(self) -> str:
        """What the analyses of this pipeline depend on, as a short string.

        The package version, every component's versioned name ("claims.v2"), the
        spaCy pipeline and embedder in use (the default ones by name, without
        loading them) and the cue lexicon. Stored analyses are reused only under
        the same version (:class:`storyscope.corpus.StoredAnalyses`).
        """
        from storyscope._version import __version__

        parts = [f"storyscope {__version__}"]
        parts += [
            str(getattr(c, "name", type(c).__name__))
            for c in (
                self.sentences,
                self.entities,
                self.quantities,
                self.times,
                self.quotes,
                self.cues,
                self.claims,
            )
        ]
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
        parts.append(f"budget:{MAX_ANALYSED_CHARS}:{MAX_CLAIMS}")
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
        text = doc.text  # the analysed part: the article's text, or its start
        sentences = self.sentences(text, doc)
        entities = self.entities(text, doc, sentences)
        quantities = self.quantities(text, doc, sentences)
        times = self.times(text, doc, sentences, article.published)
        quotes = self.quotes(text, doc, sentences, entities)
        cues = self.cues(text, sentences)
        claims = self.claims(article.id, text, doc, sentences, entities, quotes, cues)
        return AnalyzedArticle(
            article=article,
            sentences=tuple(sentences),
            entities=tuple(entities),
            quantities=tuple(quantities),
            times=tuple(times),
            quotes=tuple(quotes),
            cues=tuple(cues),
            claims=tuple(claims),
        )

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
            AnalysisError: A model failed to load or run, or a component crashed.
        """
        if not articles:
            return []
        nlp = self.nlp
        texts = [a.text[: analysed_end(a.text)] for a in articles]
        try:
            docs = list(nlp.pipe(texts, batch_size=_BATCH_SIZE))
        except Exception as exc:
            raise AnalysisError(f"spaCy failed: {exc}") from exc
        analyzed: list[AnalyzedArticle] = []
        for article, doc in zip(articles, docs, strict=True):
            try:
                analyzed.append(self._analyze_doc(article, doc))
            except AnalysisError:
                raise
            except Exception as exc:
                raise AnalysisError(f"{article.source}: analysis failed: {exc}") from exc
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
    import dataclasses

    return dataclasses.replace(item, embeddings=vectors)
