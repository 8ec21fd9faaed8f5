"""Loaded language: emotive and evaluative terms and intensifiers, from an editable lexicon.

The lexicon is a TOML file (default ``storyscope/data/loaded_language.toml``) with
one table per category, each holding ``terms``. Each hit becomes a
:class:`~storyscope.model.LoadedTerm` citing its exact span, with the nearest
named entity of its sentence as a cheap guess at its target, and a flag for
words inside a quotation (the speaker's word choice rather than the outlet's).
"""

from __future__ import annotations

import functools
import logging
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from storyscope.align._lexicon import line_of, packaged, read_toml, table_line, term_regex
from storyscope.errors import ConfigError
from storyscope.model import AnalyzedArticle, Citation, Entity, LoadedTerm, Quote

__all__ = [
    "LoadedLexicon",
    "find_loaded_language",
    "index_terms",
    "load_loaded_lexicon",
    "match_terms",
    "parse_loaded_lexicon",
]

logger = logging.getLogger(__name__)

_DEFAULT_NAME = "loaded_language.toml"
#: Entity labels that can be the target of a loaded term.
TARGET_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
#: Farthest (in characters) a target entity may sit from its term.
TARGET_WINDOW = 80
#: Quote kinds whose words belong to the speaker, not the outlet.
_SPEAKER_KINDS = frozenset({"direct", "partial"})


_TOKEN = re.compile(r"[\w'’]+")
_TERM_SPLIT = re.compile(r"[\s-]+")

#: One term as words: (words, last word is a prefix, category rank, category).
_Entry = tuple[tuple[str, ...], bool, int, str]


@dataclass(frozen=True, slots=True)
class LoadedLexicon:
    """Compiled loaded-language lexicon: terms indexed by their first word.

    Matching walks the article's words once (no large regular expression), so
    its cost grows with the text, not with the lexicon.
    """

    source: str
    categories: tuple[str, ...]
    by_first: dict[str, tuple[_Entry, ...]]
    prefixes: dict[str, tuple[_Entry, ...]]  # one-word terms ending in *, by first 3 letters
    size: int = 0


def _norm(word: str) -> str:
    return word.casefold().replace("’", "'")


def parse_loaded_lexicon(raw: str, source: str) -> LoadedLexicon:
    """Compile a loaded-language lexicon from TOML text.

    Args:
        raw: The TOML text.
        source: File name used in error messages.

    Returns:
        The compiled lexicon.

    Raises:
        ConfigError: Invalid TOML, a wrong structure or a malformed term; the
            message names the file and the line.
    """
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else max(1, len(raw.splitlines()))
        raise ConfigError(f"{source}: line {line}: invalid TOML: {exc}") from exc
    tables: list[tuple[str, list[str]]] = []
    for category, table in data.items():
        start = table_line(raw, category)
        if not isinstance(table, dict):
            raise ConfigError(
                f"{source}: line {line_of(raw, category)}: {category!r} must be a table "
                "([category] with a 'terms' list)"
            )
        for key in table:
            if key != "terms":
                raise ConfigError(
                    f"{source}: line {line_of(raw, key, start)}: unknown key {key!r} in "
                    f"[{category}] (expected 'terms')"
                )
        terms = table.get("terms")
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise ConfigError(
                f"{source}: line {start}: [{category}] needs 'terms', a list of strings"
            )
        for term in dict.fromkeys(terms):
            if term_regex(term) is None:
                needle = f'"{term}"' if f'"{term}"' in raw else term
                raise ConfigError(
                    f"{source}: line {line_of(raw, needle, start)}: bad term {term!r} in "
                    f"[{category}] (letters, digits, spaces, hyphens, apostrophes and a "
                    "trailing * only)"
                )
        tables.append((category, terms))
    return index_terms(tables, source)


def index_terms(tables: Sequence[tuple[str, Sequence[str]]], source: str) -> LoadedLexicon:
    """Index already-validated terms (see :func:`~storyscope.align._lexicon.term_regex`).

    Args:
        tables: ``(category, terms)`` in priority order (earlier wins a tie).
        source: Where the terms came from, for messages.

    Returns:
        The compiled lexicon, usable with :func:`match_terms`.
    """
    categories: list[str] = []
    by_first: dict[str, list[_Entry]] = {}
    prefixes: list[_Entry] = []
    size = 0
    for category, terms in tables:
        rank = len(categories)
        categories.append(category)
        for term in dict.fromkeys(terms):
            star = term.strip().endswith("*")
            parts = _TERM_SPLIT.split(term.strip().rstrip("*"))
            # "mother-of-*": the star stands for a whole last word (kept as "").
            words = tuple(
                _norm(w) for k, w in enumerate(parts) if w or star and k == len(parts) - 1
            )
            if not words:
                continue
            entry: _Entry = (words, star, rank, category)
            size += 1
            if star and len(words) == 1:
                prefixes.append(entry)
            else:
                by_first.setdefault(words[0], []).append(entry)
    index = {
        first: tuple(sorted(entries, key=lambda e: (-len(e[0]), -sum(map(len, e[0])), e[2])))
        for first, entries in by_first.items()
    }
    prefixes.sort(key=lambda e: (-len(e[0][0]), e[2]))
    by_stub: dict[str, list[_Entry]] = {}
    for entry in prefixes:
        by_stub.setdefault(entry[0][0][:3], []).append(entry)
    return LoadedLexicon(
        source=source,
        categories=tuple(categories),
        by_first=index,
        prefixes={stub: tuple(entries) for stub, entries in by_stub.items()},
        size=size,
    )


@functools.cache
def _load(path: str) -> LoadedLexicon:
    raw, _ = read_toml(path, "loaded-language lexicon")
    return parse_loaded_lexicon(raw, path)


def load_loaded_lexicon(path: str | Path | None = None) -> LoadedLexicon:
    """Load and compile a loaded-language lexicon (cached per path).

    Args:
        path: A TOML file; None for the packaged ``data/loaded_language.toml``.

    Returns:
        The compiled lexicon.

    Raises:
        ConfigError: The file is missing, unreadable or malformed (file and line named).
    """
    return _load(str(Path(path) if path is not None else packaged(_DEFAULT_NAME)))


def _word_matches(word: str, want: str, prefix: bool) -> bool:
    return word.startswith(want) if prefix else word == want


def match_terms(text: str, lex: LoadedLexicon) -> list[tuple[int, int, str]]:
    """Lexicon matches ``(start, end, category)``, left to right, longest first, whole words."""
    tokens = [(m.start(), m.end(), _norm(m.group(0))) for m in _TOKEN.finditer(text)]
    size = len(text)
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        start = tokens[i][0]
        if start >= 2 and text[start - 1] == "-" and (text[start - 2].isalnum()):
            i += 1  # inside a hyphenated word: "non-toxic"
            continue
        found: tuple[int, str] | None = None
        word = tokens[i][2]
        candidates = lex.by_first.get(word, ()) + lex.prefixes.get(word[:3], ())
        for words, star, _, category in candidates:
            n = len(words)
            if i + n > len(tokens):
                continue
            ok = True
            for k in range(n):
                if not _word_matches(tokens[i + k][2], words[k], star and k == n - 1):
                    ok = False
                    break
                if k and not _joined(text, tokens[i + k - 1][1], tokens[i + k][0]):
                    ok = False
                    break
            if not ok:
                continue
            end = tokens[i + n - 1][1]
            if end < size - 1 and text[end] == "-" and text[end + 1].isalnum():
                continue  # first part of a hyphenated word: "toxic-free"
            found = (n, category)
            break
        if found is None:
            i += 1
            continue
        n, category = found
        out.append((start, tokens[i + n - 1][1], category))
        i += n
    return out


def _joined(text: str, end: int, start: int) -> bool:
    """Whether two words are separated only by whitespace or one hyphen."""
    gap = text[end:start]
    return bool(gap) and (gap.isspace() or gap == "-")


def _target(doc: AnalyzedArticle, start: int, end: int, sentence: tuple[int, int]) -> str | None:
    best: tuple[int, int, Entity] | None = None
    for ent in doc.entities:
        if ent.label not in TARGET_LABELS or ent.end <= sentence[0] or ent.start >= sentence[1]:
            continue
        if ent.start < end and start < ent.end:
            continue  # the term is part of the name
        gap = ent.start - end if ent.start >= end else start - ent.end
        if gap > TARGET_WINDOW:
            continue
        # Prefer entities after the term ("slammed Trump") at equal distance.
        key = (gap, 0 if ent.start >= end else 1)
        if best is None or key < best[:2]:
            best = (*key, ent)
    return " ".join(best[2].text.split()) if best is not None else None


def _sentence_of(doc: AnalyzedArticle, pos: int) -> tuple[int, int]:
    for sent in doc.sentences:
        if sent.start <= pos < sent.end:
            return sent.start, sent.end
    return 0, len(doc.text)


def _quoted(quotes: Sequence[Quote], start: int, end: int) -> bool:
    return any(q.kind in _SPEAKER_KINDS and q.start <= start and end <= q.end for q in quotes)


def find_loaded_language(
    doc: AnalyzedArticle, lexicon: LoadedLexicon | None = None
) -> tuple[LoadedTerm, ...]:
    """Find loaded terms in one article.

    Args:
        doc: The analyzed article (sentences, entities and quotes are used when present).
        lexicon: Compiled lexicon; the packaged default when None.

    Returns:
        Non-overlapping hits in text order (the longest wins an overlap, then the
        category listed first in the lexicon).

    Raises:
        ConfigError: The default lexicon cannot be loaded.
    """
    lex = lexicon if lexicon is not None else load_loaded_lexicon()
    text = doc.text
    chosen = match_terms(text, lex)
    out: list[LoadedTerm] = []
    for start, end, category in chosen:
        out.append(
            LoadedTerm(
                citation=Citation(article=doc.id, start=start, end=end, text=text[start:end]),
                category=category,
                target=_target(doc, start, end, _sentence_of(doc, start)),
                quoted=_quoted(doc.quotes, start, end),
            )
        )
    return tuple(out)
