"""Language identification for ingested articles (py3langid, offline, ~0.3 ms an article).

The model ships inside the ``py3langid`` package (97 languages, naive Bayes
over byte n-grams); it is loaded lazily, once per process.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

__all__ = ["MIN_CONFIDENCE", "identify_language", "normalise_language"]

logger = logging.getLogger(__name__)

MIN_CONFIDENCE = 0.9
"""Probability the detector must reach before its answer beats declared metadata."""

_MIN_LETTERS = 20
_SAMPLE_CHARS = 5_000
_lock = threading.Lock()
_identifier: Any = None


def _get_identifier() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            logger.debug("language identifier loaded")
        return _identifier


def identify_language(text: str) -> tuple[str | None, float]:
    """Guess the language of a text.

    Args:
        text: Cleaned article text (only the first 5,000 characters are used).

    Returns:
        ``(code, probability)``: an ISO 639-1 code such as ``"en"`` or ``"de"``,
        or ``(None, 0.0)`` when the text has too few letters to tell.
    """
    sample = text[:_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return None, 0.0
    code, probability = _get_identifier().classify(sample)
    return str(code), float(probability)


def normalise_language(value: str | None) -> str | None:
    """``"en-US"`` / ``"EN_gb"`` -> ``"en"``; None or blank -> None."""
    if value is None:
        return None
    primary = value.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None
