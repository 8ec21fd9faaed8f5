"""Loaded language: emotive and evaluative terms and intensifiers, from an editable lexicon.

The lexicon is a TOML file (default ``storyscope/data/loaded_language.toml``) with
one table per category, each holding ``terms``. Each hit becomes a
:class:`~storyscope.model.LoadedTerm` citing its exact span, with the nearest
named entity of its sentence as a cheap guess at its target, and a flag for
words inside a quotation (the speaker's word choice rather than the outlet's).

With the packaged lexicon, each hit is also scored in its context by a small
logistic regression (:class:`LoadedScorer`, weights in
``storyscope/data/loaded_scorer.json``, rebuilt by ``eval/train_loaded_language.py``
on BASIL's lexical-bias spans): hits below its threshold are not reported. The
features (:data:`FEATURES`) are read off the text and its sentences only, see
``docs/framing.md``.
"""

from __future__ import annotations

import bisect
import functools
import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from storyscope._toml import packaged, parse_toml, read_data_text
from storyscope._words import LOADED_SPEECH_FORMS
from storyscope.align._lexicon import line_of, table_line, term_regex
from storyscope.errors import ConfigError
from storyscope.model import AnalyzedArticle, Citation, Entity, LoadedTerm, Quote

__all__ = [
    "FEATURES",
    "LoadedLexicon",
    "LoadedScorer",
    "find_loaded_language",
    "index_terms",
    "load_loaded_lexicon",
    "load_loaded_scorer",
    "candidates",
    "match_terms",
    "parse_loaded_lexicon",
    "parse_loaded_scorer",
    "term_features",
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
    #: The terms plus each table's ``contextual`` terms, which are candidates for
    #: the scorer only: :func:`match_terms` on this lexicon never finds them.
    contextual: LoadedLexicon | None = None


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
    data = parse_toml(raw, source)
    tables: list[tuple[str, list[str]]] = []
    contextual: list[tuple[str, list[str]]] = []
    for category, table in data.items():
        start = table_line(raw, category)
        if not isinstance(table, dict):
            raise ConfigError(
                f"{source}: line {line_of(raw, category)}: {category!r} must be a table "
                "([category] with a 'terms' list)"
            )
        for key in table:
            if key not in ("terms", "contextual"):
                raise ConfigError(
                    f"{source}: line {line_of(raw, key, start)}: unknown key {key!r} in "
                    f"[{category}] (expected 'terms' and 'contextual')"
                )
        for key, into in (("terms", tables), ("contextual", contextual)):
            terms = table.get(key, [] if key == "contextual" else None)
            if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
                raise ConfigError(
                    f"{source}: line {start}: [{category}] needs {key!r}, a list of strings"
                )
            for term in dict.fromkeys(terms):
                if term_regex(term) is None:
                    needle = f'"{term}"' if f'"{term}"' in raw else term
                    raise ConfigError(
                        f"{source}: line {line_of(raw, needle, start)}: bad term {term!r} in "
                        f"[{category}] (letters, digits, spaces, hyphens, apostrophes and a "
                        "trailing * only)"
                    )
            into.append((category, terms))
    lexicon = index_terms(tables, source)
    if any(terms for _, terms in contextual):
        full = index_terms(tables + contextual, source)
        lexicon = replace(lexicon, contextual=full)
    return lexicon


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
    return parse_loaded_lexicon(read_data_text(path, "loaded-language lexicon"), path)


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


def candidates(
    text: str, lex: LoadedLexicon, *, scored: bool = True
) -> tuple[list[tuple[int, int, str]], list[bool]]:
    """Lexicon hits ``(start, end, category)`` and, per hit, whether only a
    ``contextual`` term found it (with ``scored`` and a lexicon that has them;
    else :func:`match_terms`' hits, none contextual)."""
    if not scored or lex.contextual is None:
        hits = match_terms(text, lex)
        return hits, [False] * len(hits)
    base = {(s, e) for s, e, _ in match_terms(text, lex)}
    hits = match_terms(text, lex.contextual)
    return hits, [(s, e) not in base for s, e, _ in hits]


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


_SCORER_NAME = "loaded_scorer.json"
#: The scorer's inputs, in the order of its weights (``bias`` is the constant 1).
FEATURES: tuple[str, ...] = (
    "bias",
    "emotive",
    "intensifier",
    "contextual",
    "quoted",
    "attributed",
    "lead",
    "position",
    "repeat",
    "intensified",
    "capitalised",
    "prior",
)
#: Words before a term that raise its force ("very harsh", "so reckless").
_INTENSITY = frozenset(
    [
        "very",
        "so",
        "too",
        "most",
        "more",
        "really",
        "deeply",
        "extremely",
        "particularly",
        "especially",
        "increasingly",
        "highly",
        "utterly",
        "truly",
        "incredibly",
        "absolutely",
        "completely",
        "totally",
        "quite",
        "rather",
        "such",
    ]
)
#: Speech and attribution in a sentence: the term may be the source's framing.
#: The verb forms are ``[subsets] loaded_context`` of data/speech_verbs.toml, the forms the
#: packaged scorer was trained with.
_SPEECH = re.compile(
    r"\b(?:according\s+to|" + "|".join(sorted(LOADED_SPEECH_FORMS)) + r")\b", re.IGNORECASE
)
#: Sentences counted as the article's lead.
LEAD_SENTENCES = 3


@dataclass(frozen=True, slots=True)
class LoadedScorer:
    """A logistic regression over :data:`FEATURES` that keeps a lexicon hit or drops it.

    ``priors`` maps a term as written (case-folded) to the log-odds shift its
    training occurrences earned; a term not listed gets 0.
    """

    source: str
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    threshold: float
    priors: dict[str, float]

    def probability(self, values: Sequence[float]) -> float:
        """The probability that a hit with these feature values is loaded word choice."""
        z = sum(
            w * (v - m) / s
            for w, v, m, s in zip(self.weights, values, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _number_list(data: dict[str, object], key: str, n: int, source: str) -> tuple[float, ...]:
    value = data.get(key)
    if (
        not isinstance(value, list)
        or len(value) != n
        or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in value)
    ):
        raise ConfigError(f"{source}: {key!r} must be a list of {n} finite numbers")
    return tuple(float(v) for v in value)


def parse_loaded_scorer(raw: str, source: str) -> LoadedScorer:
    """Read a scorer file (JSON with ``features``, ``mean``, ``scale``, ``weights``,
    ``threshold`` and ``priors``).

    Raises:
        ConfigError: Invalid JSON, features other than :data:`FEATURES`, or a
            malformed number; the message names the file.
    """
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{source}: line {exc.lineno}: invalid JSON: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a JSON object")
    if data.get("features") != list(FEATURES):
        raise ConfigError(
            f"{source}: 'features' must be {list(FEATURES)} (rebuild it with "
            "eval/train_loaded_language.py)"
        )
    n = len(FEATURES)
    scale = _number_list(data, "scale", n, source)
    if any(v <= 0 for v in scale):
        raise ConfigError(f"{source}: 'scale' must be positive")
    threshold = data.get("threshold")
    if not isinstance(threshold, (int, float)) or not 0.0 <= threshold <= 1.0:
        raise ConfigError(f"{source}: 'threshold' must be a number in [0, 1]")
    priors = data.get("priors", {})
    if not isinstance(priors, dict) or not all(
        isinstance(k, str) and isinstance(v, (int, float)) and math.isfinite(v)
        for k, v in priors.items()
    ):
        raise ConfigError(f"{source}: 'priors' must map terms to finite numbers")
    return LoadedScorer(
        source=source,
        mean=_number_list(data, "mean", n, source),
        scale=scale,
        weights=_number_list(data, "weights", n, source),
        threshold=float(threshold),
        priors={k: float(v) for k, v in priors.items()},
    )


@functools.cache
def _load_scorer(path: str) -> LoadedScorer:
    return parse_loaded_scorer(read_data_text(path, "the loaded-language scorer"), path)


def load_loaded_scorer(path: str | Path | None = None) -> LoadedScorer:
    """Load the loaded-language scorer (cached per path).

    Args:
        path: A JSON file; None for the packaged ``data/loaded_scorer.json``.

    Raises:
        ConfigError: The file is missing, unreadable or malformed.
    """
    return _load_scorer(str(Path(path) if path is not None else packaged(_SCORER_NAME)))


def _open_quote(prefix: str) -> bool:
    """Whether a sentence prefix leaves a quotation open."""
    return prefix.count("\u201c") > prefix.count("\u201d") or prefix.count('"') % 2 == 1


def term_features(
    text: str,
    sentences: Sequence[tuple[int, int]],
    hits: Sequence[tuple[int, int, str]],
    priors: dict[str, float] | None = None,
    contextual: Sequence[bool] | None = None,
) -> list[list[float]]:
    """One row of :data:`FEATURES` per lexicon hit, from the text and its sentences.

    Args:
        text: The article text.
        sentences: ``(start, end)`` of each sentence in text order (the whole
            text as one when empty).
        hits: ``(start, end, category)`` as :func:`match_terms` gives them.
        priors: Term log-odds shifts (``LoadedScorer.priors``); 0 for every term when None.
        contextual: Per hit, whether it is a ``contextual`` term only (none when None).

    Returns:
        The feature rows, in the order of ``hits``.
    """
    sents = list(sentences) or [(0, len(text))]
    starts = [s for s, _ in sents]
    counts: dict[str, int] = {}
    for start, end, _ in hits:
        key = _norm(text[start:end])
        counts[key] = counts.get(key, 0) + 1
    rows: list[list[float]] = []
    for i, (start, end, category) in enumerate(hits):
        k = max(0, bisect.bisect_right(starts, start) - 1)
        s_start, s_end = sents[k]
        term = _norm(text[start:end])
        before = _TOKEN.findall(text[max(s_start, start - 30) : start])
        rows.append(
            [
                1.0,
                float(category == "emotive"),
                float(category == "intensifier"),
                float(bool(contextual and contextual[i])),
                float(_open_quote(text[s_start:start])),
                float(bool(_SPEECH.search(text, s_start, max(s_start, s_end)))),
                float(k < LEAD_SENTENCES),
                k / len(sents),
                math.log1p(counts[term] - 1),
                float(bool(before) and _norm(before[-1]) in _INTENSITY),
                float(text[start].isupper() and start > s_start),
                (priors or {}).get(term, 0.0),
            ]
        )
    return rows


def find_loaded_language(
    doc: AnalyzedArticle,
    lexicon: LoadedLexicon | None = None,
    *,
    scorer: LoadedScorer | None = None,
) -> tuple[LoadedTerm, ...]:
    """Find loaded terms in one article.

    Args:
        doc: The analyzed article (sentences, entities and quotes are used when present).
        lexicon: Compiled lexicon; the packaged default when None.
        scorer: Keeps the hits it scores at or above its threshold. With the
            packaged lexicon (``lexicon`` None) the packaged scorer is used when
            None; with a lexicon of your own every hit is kept unless a scorer is given.

    Returns:
        Non-overlapping hits in text order (the longest wins an overlap, then the
        category listed first in the lexicon).

    Raises:
        ConfigError: The default lexicon or scorer cannot be loaded.
    """
    lex = lexicon if lexicon is not None else load_loaded_lexicon()
    if scorer is None and lexicon is None:
        scorer = load_loaded_scorer()
    text = doc.text
    chosen, contextual = candidates(text, lex, scored=scorer is not None)
    if scorer is not None and chosen:
        rows = term_features(
            text, [(s.start, s.end) for s in doc.sentences], chosen, scorer.priors, contextual
        )
        chosen = [
            hit
            for hit, row in zip(chosen, rows, strict=True)
            if scorer.probability(row) >= scorer.threshold
        ]
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
