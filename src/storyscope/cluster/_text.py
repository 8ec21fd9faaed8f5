"""Cheap text features shared by the duplicate index and the story clusterer.

Everything here is stable across processes (CRC32, not Python's salted ``hash``),
so hashed features can be persisted and compared later.
"""

from __future__ import annotations

import re
import zlib

import numpy as np
import numpy.typing as npt

__all__ = ["NAME_PREFIX", "NUMBER_PREFIX", "STOPWORDS", "find_keywords", "hash_token", "lead_text", "word_hashes", "words"]

_WORD = re.compile(r"[^\W_]+(?:['\u2019.-][^\W_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?]['\"\u201d\u2019)]*$")

#: Function words and reporting verbs that carry no story identity.
STOPWORDS = frozenset(
    ["a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "said", "says", "say", "told", "according", "new", "one", "two", "three", "year", "years", "week", "day", "days", "time", "last", "first", "mr", "mrs", "ms", "dr", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "may", "might", "must", "us", "also", "people", "like", "get", "got", "made", "make", "many", "much", "news", "report", "reported", "reports", "story", "update", "updated", "read", "more", "photo", "image", "video", "via", "ap", "reuters", "s", "t", "don", "didn", "doesn", "isn", "wasn", "weren", "won", "can't", "it's", "he's", "she's"]
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits, inner apostrophes/hyphens/dots kept).

    Args:
        text: Any text.

    Returns:
        The tokens in text order.
    """
    return [m.group().lower().replace("\u2019", "'") for m in _WORD.finditer(text)]


def hash_token(token: str) -> int:
    """Stable 32-bit hash of one token (CRC32 of its UTF-8 bytes)."""
    return zlib.crc32(token.encode("utf-8"))


def word_hashes(text: str) -> npt.NDArray[np.uint64]:
    """CRC32 of every lower-cased word of ``text``, as uint64 (for shingling)."""
    return np.fromiter((hash_token(w) for w in words(text)), dtype=np.uint64)


def lead_text(title: str | None, text: str, max_words: int = 40) -> str:
    """The title followed by the first ``max_words`` words of the body.

    This is what one article embedding is computed from: cheap, and the part of a
    news article that says what happened.

    Args:
        title: Headline, if known.
        text: Cleaned article text.
        max_words: Words of the body to keep.

    Returns:
        ``title + "\\n\\n" + lead`` (or only the lead without a title).
    """
    lead = " ".join(text.split()[:max_words])
    if title and title.strip():
        return f"{title.strip()}\n\n{lead}"
    return lead


#: Key prefixes of the name and number channels (never the start of a :func:`words` token).
NAME_PREFIX = "@"
NUMBER_PREFIX = "#"


def find_keywords(title: str | None, text: str, max_words: int = 2000) -> dict[str, float]:
    """Content words, names and numbers of an article with their weights (title counts double).

    Three channels, told apart by the key:

    - every content word (stopwords and bare numbers other than years left out)
      under its lower-cased form; capitalised words that do not open a sentence
      (names of people, places, organisations) weigh twice as much here;
    - those names again under ``"@" + word``;
    - every token holding a digit (years, scores, tolls, magnitudes) under
      ``"#" + token``.

    Two look-alike events of one kind (two rehab stays, two earthquakes) share
    most content words and differ mostly in their names and numbers, so the
    clusterer weighs the channels separately (see
    :class:`~storyscope.cluster.StoryClusterer`).

    Args:
        title: Headline, if known.
        text: Cleaned article text.
        max_words: Only the first ``max_words`` words of the body are read
            (enough for the whole of nearly every news article).

    Returns:
        Key -> weight (a raw count, not normalised).
    """
    out: dict[str, float] = {}
    sources = ((title or "", 2.0), (text, 1.0))
    for source, factor in sources:
        after_end = True
        for n, m in enumerate(_WORD.finditer(source)):
            if n >= max_words:
                break
            raw = m.group()
            token = raw.lower().replace("\u2019", "'")
            tail = source[m.end() : m.end() + 2]
            is_name = raw[:1].isupper() and not after_end
            after_end = bool(_SENTENCE_END.match(tail[:1])) or tail[:1] in {"\n"}
            if token in STOPWORDS:
                continue
            if any(ch.isdigit() for ch in token):
                key = NUMBER_PREFIX + token
                out[key] = out.get(key, 0.0) + factor
            if len(token) < 2 or token.isdigit() and len(token) != 4:
                continue
            weight = factor * (2.0 if is_name else 1.0)
            out[token] = out.get(token, 0.0) + weight
            if is_name:
                key = NAME_PREFIX + token
                out[key] = out.get(key, 0.0) + factor
    return out
