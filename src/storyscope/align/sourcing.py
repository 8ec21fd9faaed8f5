"""Sourcing: who an article relies on, and how much of its text each source gets.

* :func:`find_sources` lists named speakers (one :class:`~storyscope.model.Source`
  per canonical name, with every quote) and unnamed ones (one per
  anonymous-source phrase or anonymous quote), each typed by rules from
  ``storyscope/data/sources.toml``: the describing word nearest to the source's
  name (the title in "Mayor Tomas Reyl", the appositive in "Petra Vosk, the
  union's general secretary", the noun in "a senior port official who asked not
  to be named") decides the kind.
* :func:`find_anonymous_mentions` finds the unnamed sources the analyze stage's
  cues miss, from ``[anonymous]`` in ``sources.toml``: "people familiar with
  the matter", "a source within the committee told ...", "officials who spoke
  on condition of anonymity", "citing unnamed officials", "according to two
  people with knowledge of the case", "a senior Democratic aide said"; a
  definite "the source said" is the anonymous source named before it.
* :func:`find_media_reliance` cites phrases that lean on other news
  organisations ("according to a wire agency", "Reuters reported", "told the
  Daily Post"); the article's own outlet ("he told the Tribune"; "The New York
  Times" in an article of the outlet "NYT") is not counted.
  :func:`relayed_outlet` names the story's outlet such a phrase relays.

The analyze stage runs :func:`find_sources` and :func:`find_media_reliance` (without
the story's outlets) once per article and stores the results on the analysed article
(analyzers ``sources`` and ``media``, :mod:`storyscope.analyze.framing`); align reads
them there (:func:`story_media_reliance` adds the story's other outlets) and finds them
itself only for an article analysed without them.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import get_args

from storyscope._toml import packaged, parse_toml, read_data_text
from storyscope.align._lexicon import line_of, table_line, term_regex
from storyscope.align.loaded_language import LoadedLexicon, index_terms, match_terms
from storyscope.errors import ConfigError
from storyscope.model import AnalyzedArticle, Citation, Quote, Source, SourceKind

__all__ = [
    "SOURCE_KINDS",
    "SourceRules",
    "classify_source",
    "find_anonymous_mentions",
    "find_media_reliance",
    "find_sources",
    "load_source_rules",
    "parse_source_rules",
    "relayed_outlet",
    "story_media_reliance",
]

logger = logging.getLogger(__name__)

_DEFAULT_NAME = "sources.toml"
#: Every kind a source can get; ``other`` when no rule matches.
SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)
#: Characters searched on each side of a source's name for a describing word.
DESCRIBE_WINDOW = 90
#: Quote kinds whose text is masked when looking for describing words.
_QUOTED_KINDS = frozenset({"direct", "partial", "scare"})
#: Capitalised names ending in a typical newspaper word ("the Harbor Courier").
_MASTHEAD = (
    r"(?:[Tt]he\s+)?(?:[A-Z][\w'’-]+\s+){0,3}(?:Times|Post|Herald|Journal|Tribune|Gazette|"
    r"Telegraph|Guardian|Observer|Chronicle|Courier|Ledger|Wire|Mail|Express|Mirror|Examiner|"
    r"Inquirer|Globe|Bulletin|Dispatch|Sentinel|Register)\b"
)
_NOT_OWN = frozenset({"the", "daily", "news", "of", "and"})


@dataclass(frozen=True, slots=True)
class SourceRules:
    """Compiled source-type rules and media names."""

    source: str
    kinds: LoadedLexicon  # describing words, one category per kind
    media: re.Pattern[str]
    anonymous: AnonymousRules | None = None  # None: the analyze stage's cues only

    def describe(self, text: str) -> list[tuple[int, int, str]]:
        """Describing-word hits ``(start, end, kind)`` in ``text``, no overlaps, in order."""
        return match_terms(text, self.kinds)


@dataclass(frozen=True, slots=True)
class AnonymousRules:
    """Compiled ``[anonymous]`` rules: term alternations (regex bodies, case-insensitive)."""

    nouns: str
    qualifiers: str
    markers: str
    unnamed: str


_ANONYMOUS_KEYS = ("nouns", "qualifiers", "markers", "unnamed")


def _terms_pattern(
    raw: str, source: str, section: str, key: str, value: object, start: int, flags: int
) -> str:
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value) or not value:
        raise ConfigError(
            f"{source}: line {line_of(raw, key, start)}: [{section}].{key} must be a non-empty "
            "list of strings"
        )
    parts = []
    for term in dict.fromkeys(value):
        regex = term_regex(term)
        if regex is None:
            needle = '"' + term + '"'
            raise ConfigError(
                f"{source}: line {line_of(raw, needle, start)}: bad term {term!r} in "
                f"[{section}].{key} (letters, digits, spaces, hyphens, apostrophes and a "
                "trailing * only)"
            )
        parts.append(regex)
    parts.sort(key=len, reverse=True)
    body = "|".join(parts)
    return f"(?i:{body})" if flags & re.IGNORECASE else body


def parse_source_rules(raw: str, source: str) -> SourceRules:
    """Compile source-type rules from TOML text.

    Args:
        raw: The TOML text: a ``[kinds]`` table of word lists and a ``[media]``
            table with ``names`` and ``words``.
        source: File name used in error messages.

    Returns:
        The compiled rules.

    Raises:
        ConfigError: Invalid TOML, an unknown table, kind or key, or a bad term;
            the message names the file and the line.
    """
    data = parse_toml(raw, source)
    for section in data:
        if section not in ("kinds", "media", "anonymous") or not isinstance(data[section], dict):
            raise ConfigError(
                f"{source}: line {line_of(raw, section)}: unknown entry {section!r} "
                "(expected the tables [kinds], [media] and [anonymous])"
            )
    kinds_table = data.get("kinds", {})
    start = table_line(raw, "kinds")
    kinds: list[tuple[str, list[str]]] = []
    for kind, words in kinds_table.items():
        if kind not in SOURCE_KINDS or kind == "other":
            raise ConfigError(
                f"{source}: line {line_of(raw, kind, start)}: unknown source kind {kind!r} in "
                f"[kinds] (expected one of {', '.join(SOURCE_KINDS[:-1])})"
            )
        _terms_pattern(raw, source, "kinds", kind, words, start, re.IGNORECASE)  # validates
        kinds.append((kind, list(words)))
    media_table = data.get("media", {})
    start = table_line(raw, "media")
    parts = [_MASTHEAD]
    for key, value in media_table.items():
        if key not in ("names", "words"):
            raise ConfigError(
                f"{source}: line {line_of(raw, key, start)}: unknown key {key!r} in [media] "
                "(expected 'names' and 'words')"
            )
        flags = re.IGNORECASE if key == "words" else 0
        parts.append(_terms_pattern(raw, source, "media", key, value, start, flags))
    anonymous: AnonymousRules | None = None
    if "anonymous" in data:
        table = data["anonymous"]
        start = table_line(raw, "anonymous")
        for key in table:
            if key not in _ANONYMOUS_KEYS:
                raise ConfigError(
                    f"{source}: line {line_of(raw, key, start)}: unknown key {key!r} in "
                    f"[anonymous] (expected {', '.join(repr(k) for k in _ANONYMOUS_KEYS)})"
                )
        bodies = {}
        for key in _ANONYMOUS_KEYS:
            if key not in table:
                raise ConfigError(f"{source}: line {start}: [anonymous] needs {key!r}")
            bodies[key] = _terms_pattern(raw, source, "anonymous", key, table[key], start, 0)
        anonymous = AnonymousRules(**bodies)
    return SourceRules(
        source=source,
        kinds=index_terms(kinds, source),
        media=re.compile("|".join(parts)),
        anonymous=anonymous,
    )


@functools.cache
def _load(path: str) -> SourceRules:
    return parse_source_rules(read_data_text(path, "source rules"), path)


def load_source_rules(path: str | Path | None = None) -> SourceRules:
    """Load and compile source-type rules (cached per path).

    Args:
        path: A TOML file; None for the packaged ``data/sources.toml``.

    Returns:
        The compiled rules.

    Raises:
        ConfigError: The file is missing, unreadable or malformed (file and line named).
    """
    return _load(str(Path(path) if path is not None else packaged(_DEFAULT_NAME)))


def _masked(doc: AnalyzedArticle) -> str:
    """The article text with quoted words blanked (same length, so offsets hold)."""
    chars = list(doc.text)
    for q in doc.quotes:
        if q.kind in _QUOTED_KINDS:
            for i in range(max(0, q.start), min(len(chars), q.end)):
                if not chars[i].isspace():
                    chars[i] = " "
    return "".join(chars)


def _sentence_bounds(doc: AnalyzedArticle, start: int, end: int) -> tuple[int, int]:
    """Start and end of the sentence holding ``start`` (stretched to ``end``); the whole
    text when none does. Sentences are in text order and never overlap: a binary search
    (a scan per mention made source finding quadratic in the article's length)."""
    k = bisect.bisect_right(doc.sentences, start, key=lambda sent: sent.start) - 1
    if k >= 0:
        sent = doc.sentences[k]
        if sent.start <= start < sent.end:
            return sent.start, max(sent.end, end)
    return 0, len(doc.text)


def classify_source(
    doc: AnalyzedArticle,
    anchors: Iterable[tuple[int, int]],
    rules: SourceRules | None = None,
    *,
    masked: str | None = None,
    window: int = DESCRIBE_WINDOW,
    hits: Sequence[tuple[int, int, str]] | None = None,
) -> tuple[str, Citation | None]:
    """Type a source from the describing word nearest to one of its mentions.

    Args:
        doc: The article.
        anchors: Spans naming the source (its name, a pronoun, an anonymous-source phrase).
        rules: Compiled rules; the packaged default when None.
        masked: ``doc.text`` with quotations blanked (computed when None).
        window: Characters searched on each side of an anchor (0: inside it only).
        hits: Describing words of the masked text (``rules.describe(masked)``),
            when the caller has them already.

    Returns:
        The kind (one of :data:`SOURCE_KINDS`) and the citation of the deciding
        word, or ``("other", None)`` when no rule matches.
    """
    rules = rules if rules is not None else load_source_rules()
    if hits is None:
        hits = rules.describe(masked if masked is not None else _masked(doc))
    starts = [h[0] for h in hits]
    rank = {kind: k for k, kind in enumerate(rules.kinds.categories)}
    best: tuple[int, int, int, int, str] | None = None
    for a_start, a_end in anchors:
        lo, hi = _sentence_bounds(doc, a_start, a_end)
        lo, hi = max(lo, a_start - window), min(hi, a_end + window)
        for start, end, kind in hits[bisect.bisect_left(starts, lo) :]:
            if start >= hi:
                break
            if end > hi:
                continue
            if start >= a_end:
                gap = start - a_end
            elif end <= a_start:
                gap = a_start - end
            else:
                gap = 0  # inside the name: "the Velmora Port Workers' Union"
            key = (gap, rank[kind], start, end, kind)
            if best is None or key < best:
                best = key
    if best is None:
        return "other", None
    _, _, start, end, kind = best
    return kind, Citation(article=doc.id, start=start, end=end, text=doc.text[start:end])


def _name_spans(text: str, name: str) -> list[tuple[int, int]]:
    words = name.split()
    needles = [name] + ([words[-1]] if len(words) > 1 and len(words[-1]) >= 3 else [])
    spans: list[tuple[int, int]] = []
    for needle in needles:
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in needle.split()) + r"(?!\w)"
        spans.extend((m.start(), m.end()) for m in re.finditer(pattern, text))
    return spans


def _cite(doc: AnalyzedArticle, start: int, end: int) -> Citation:
    return Citation(article=doc.id, start=start, end=end, text=doc.text[start:end])


_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "one",
        "two",
        "three",
        "four",
        "several",
        "some",
        "many",
        "both",
        "his",
        "her",
        "their",
        "its",
        "this",
        "that",
        "these",
        "those",
    ]
)


def _is_name(speaker: str) -> bool:
    """Whether a speaker is a name ("Petra Vosk") rather than a description ("the official")."""
    words = speaker.split()
    if (
        not words
        or words[0].casefold() in _DETERMINERS
        and not any(w[:1].isupper() for w in words[1:])
    ):
        return False
    return any(w[:1].isupper() for w in words)


_TITLE_BEFORE = re.compile(r"(?:[\w'’-]+[ \t]+){1,3}$")
_APPOSITIVE = re.compile(r",\s+([^,.;:\n\"“”]{3,80}?)(?=[,.;:]|\s+(?:said|says|told|added)\b)")


def _close_spans(text: str, anchors: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The anchors plus the title words before and the appositive after each."""
    spans: list[tuple[int, int]] = []
    for start, end in anchors:
        spans.append((start, end))
        before = _TITLE_BEFORE.search(text, max(0, start - 40), start)
        if before:
            spans.append((before.start(), start))
        after = _APPOSITIVE.match(text, end)
        if after:
            spans.append((after.start(1), after.end(1)))
    return spans


def _organisation(doc: AnalyzedArticle, name: str) -> bool:
    labels = {e.label for e in doc.entities if name in " ".join(e.text.split())}
    return "ORG" in labels and "PERSON" not in labels


def _speaker_anchors(
    doc: AnalyzedArticle, quotes: Sequence[Quote], name: str
) -> set[tuple[int, int]]:
    anchors = set(_name_spans(doc.text, name))
    for q in quotes:
        if q.speaker_mention is not None:
            anchors.add((q.speaker_mention.start, q.speaker_mention.end))
        desc = q.speaker_description
        if desc and q.speaker_mention is not None:
            # The description the quote finder read, located near the mention.
            lo = max(0, q.speaker_mention.start - 200)
            pos = doc.text.find(desc, lo, q.speaker_mention.end + 200)
            if pos >= 0:
                anchors.add((pos, pos + len(desc)))
    return anchors


#: Words that end the noun phrase of an unnamed source on the left ("said | two officials").
_NP_STOP = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "tell",
        "tells",
        "according",
        "to",
        "by",
        "with",
        "and",
        "or",
        "but",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "in",
        "on",
        "at",
        "for",
        "from",
        "was",
        "were",
        "is",
        "are",
        "been",
        "be",
        "being",
        "have",
        "has",
        "had",
        "citing",
        "as",
        "if",
        "when",
        "while",
        "after",
        "before",
        "than",
        "also",
        "not",
        "no",
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "this",
        "these",
        "there",
        "here",
        "where",
        "then",
        "so",
        "because",
        "about",
        "into",
        "over",
        "under",
        "during",
        "against",
        "among",
        "reported",
        "wrote",
        "added",
        "asked",
    ]
)
#: Indefinite openers: an unnamed source, not someone named earlier ("the official").
_INDEFINITE = frozenset(
    [
        "a",
        "an",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "several",
        "some",
        "many",
        "multiple",
    ]
)
_SPEECH_AFTER = re.compile(
    r"\s*,?\s*(?:(?:have|has|had|also|later|privately|separately)\s+)?"
    r"(?:said|say|says|told|tell|tells|confirmed|confirm|identified|described|insisted|"
    r"indicated|added|cautioned|warned|expected|believed|believe|expect)\b",
    re.IGNORECASE,
)
_TRIGGER_BEFORE = re.compile(r"(?:according\s+to|citing|said|says|told|tells)\s+\Z", re.IGNORECASE)
_NP_WORD = re.compile(r"([\w'\u2019.-]+)\s+\Z")
#: Person nouns an unnamed description may end on ("a senior Democratic aide said").
_DESCRIPTION_NOUNS = (
    r"officials?|aides?|advis[eo]rs?|staffers?|participants?|person|people|strategists?|"
    r"operatives?|diplomats?|insiders?|sources?"
)


def _np_start(text: str, start: int, limit: int) -> int:
    """Extend a head noun leftwards over its determiners and modifiers."""
    pos = start
    for _ in range(5):
        m = _NP_WORD.search(text, max(limit, pos - 40), pos)
        if m is None:
            break
        word = m.group(1).casefold().rstrip(".")
        if word in _NP_STOP or m.group(1).endswith("."):
            break
        pos = m.start()
    return pos


def _first_word(text: str, start: int, end: int) -> str:
    m = re.match(r"[\w'\u2019]+", text[start:end])
    return m.group(0).casefold() if m else ""


def find_anonymous_mentions(
    doc: AnalyzedArticle, rules: SourceRules | None = None
) -> tuple[tuple[Citation, bool], ...]:
    """Unnamed sources an article cites, as ``(citation, definite)`` in text order.

    Found in the article's own words (quotations blanked) by the ``[anonymous]``
    rules: a source noun with a qualifier ("people familiar with", "a source
    within", "an official who attended"), a marker of anonymity ("on condition
    of anonymity", "citing unnamed"), a noun after "unnamed" / "unidentified",
    "sources" or "insiders" with a speech verb or after "according to", and an
    indefinite description of a person with one ("a senior Democratic aide said",
    "according to two participants"). ``definite`` marks a later mention of a
    source already introduced ("the source said", "according to the source").

    Args:
        doc: The analyzed article.
        rules: Compiled rules; the packaged default when None.

    Returns:
        Non-overlapping citations in text order; empty when the rules have no
        ``[anonymous]`` table.

    Raises:
        ConfigError: The default rules cannot be loaded.
    """
    rules = rules if rules is not None else load_source_rules()
    anon = rules.anonymous
    if anon is None:
        return ()
    text = _masked(doc)
    found: list[tuple[int, int, bool]] = []
    flags = re.IGNORECASE
    qualified = re.compile(
        rf"(?<![\w-])(?:{anon.nouns})\s+(?:who\s+(?:are|were|is|was|had\s+been|have\s+been)\s+)?"
        rf"(?:{anon.qualifiers})(?![\w-])",
        flags,
    )
    for m in qualified.finditer(text):
        lo, _ = _sentence_bounds(doc, m.start(), m.end())
        start = _np_start(text, m.start(), lo)
        found.append((start, m.end(), _first_word(text, start, m.end()) == "the"))
    for m in re.finditer(rf"(?<![\w-])(?:{anon.markers})(?![\w-])", text, flags):
        found.append((m.start(), m.end(), False))
    unnamed = re.compile(
        rf"(?<![\w-])(?:{anon.unnamed})\s+(?:[\w'\u2019-]+\s+){{0,2}}?(?:{anon.nouns})(?![\w-])",
        flags,
    )
    for m in unnamed.finditer(text):
        found.append((m.start(), m.end(), False))
    described = re.compile(rf"(?<![\w-])(?:{_DESCRIPTION_NOUNS})(?![\w-])", flags)
    for m in described.finditer(text):
        word = m.group(0).casefold()
        if text[m.end() : m.end() + 3].casefold() == " of":
            continue  # "sources of income", "a source of pride"
        lo, _ = _sentence_bounds(doc, m.start(), m.end())
        start = _np_start(text, m.start(), lo)
        opener = _first_word(text, start, m.end())
        if opener == "open":
            continue
        speech = _SPEECH_AFTER.match(text, m.end()) is not None
        trigger = _TRIGGER_BEFORE.search(text, max(0, start - 20), start) is not None
        if not (speech or trigger):
            continue
        if word.startswith(("source", "insider")):
            if start == m.start() and word in ("source", "insider"):
                continue  # a bare singular "source said": no determiner, not a mention
            found.append((start, m.end(), opener in ("the", "that", "this")))
        elif opener in _INDEFINITE and start < m.start():
            after = text[m.end() : m.end() + 40]
            if re.match(r",\s+[A-Z][a-z]", after) and not speech:
                continue  # "an aide, Tomas Reyl," names the source
            found.append((start, m.end(), False))
    out: list[tuple[Citation, bool]] = []
    last_end = -1
    for start, end, definite in sorted(found, key=lambda f: (f[0], -f[1])):
        if start < last_end:
            continue
        out.append((_cite(doc, start, end), definite))
        last_end = end
    return tuple(out)


def find_sources(doc: AnalyzedArticle, rules: SourceRules | None = None) -> tuple[Source, ...]:
    """List the sources of one article, typed, with their quotes.

    Args:
        doc: The analyzed article (quotes, cues, sentences).
        rules: Compiled rules; the packaged default when None.

    Returns:
        Named sources first (in order of first quote), then unnamed ones (in text
        order). Scare quotes are not sources.

    Raises:
        ConfigError: The default rules cannot be loaded.
    """
    rules = rules if rules is not None else load_source_rules()
    masked = _masked(doc)
    hits = rules.describe(masked)
    by_name: dict[str, list[Quote]] = {}
    unnamed: list[Quote] = []
    for q in sorted(doc.quotes, key=lambda q: (q.start, q.end)):
        if q.kind == "scare" or doc.text[q.start : q.end] != q.text:
            continue
        if q.speaker and not q.anonymous and _is_name(q.speaker):
            by_name.setdefault(q.speaker, []).append(q)
        elif q.anonymous or q.speaker:
            unnamed.append(q)  # "a senior official", "the company", "Two councillors"
    out: list[Source] = []
    for name, quotes in by_name.items():
        anchors = _speaker_anchors(doc, quotes, name)
        # First the words tied to the name: a title before it ("Union boss Petra
        # Vosk"), an appositive after it (", the union's general secretary,") or
        # the name itself ("the Velmora Port Workers' Union").
        close = _close_spans(doc.text, anchors)
        named_media = [a for a in _name_spans(doc.text, name) if rules.media.fullmatch(name)]
        evidence: Citation | None
        if named_media:  # "Fox News", "the Valdmark Ledger"
            kind, evidence = "media", _cite(doc, *named_media[0])
        else:
            kind, evidence = classify_source(doc, close, rules, window=0, hits=hits)
        if evidence is None and not _organisation(doc, name):
            # An organisation is described by its own name, not by the words around it.
            kind, evidence = classify_source(doc, anchors, rules, hits=hits)
        out.append(
            Source(
                article=doc.id,
                name=name,
                anonymous=False,
                kind=kind,
                evidence=evidence,
                quotes=tuple(_cite(doc, q.start, q.end) for q in quotes),
                quoted_chars=sum(q.end - q.start for q in quotes),
            )
        )
    used: set[int] = set()
    anonymous: list[Source] = []
    for cue, definite in _anonymous_cues(doc, rules):
        lo, hi = _sentence_bounds(doc, cue.start, cue.end)
        mine = [(i, q) for i, q in enumerate(unnamed) if i not in used and lo <= q.start < hi + 200]
        used.update(i for i, _ in mine)
        cited = tuple(_cite(doc, q.start, q.end) for _, q in mine)
        chars = sum(q.end - q.start for _, q in mine)
        if definite and anonymous:  # "the source said": the source introduced before
            prev = anonymous[-1]
            anonymous[-1] = replace(
                prev, quotes=prev.quotes + cited, quoted_chars=prev.quoted_chars + chars
            )
            continue
        kind, evidence = classify_source(doc, [(cue.start, cue.end)], rules, hits=hits)
        anonymous.append(
            Source(
                article=doc.id,
                name=None,
                anonymous=True,
                kind=kind,
                evidence=evidence or cue,
                quotes=cited,
                quoted_chars=chars,
            )
        )
    for i, q in enumerate(unnamed):
        if i in used:
            continue
        mention = q.speaker_mention
        anchor = (mention.start, mention.end) if mention is not None else (q.start, q.end)
        kind, evidence = classify_source(doc, [anchor], rules, hits=hits)
        anonymous.append(
            Source(
                article=doc.id,
                name=None,
                anonymous=True,
                kind=kind,
                evidence=evidence,
                quotes=(_cite(doc, q.start, q.end),),
                quoted_chars=q.end - q.start,
            )
        )
    anonymous.sort(key=lambda s: s.evidence.start if s.evidence is not None else 0)
    return (*out, *anonymous)


def find_anonymous_citations(
    doc: AnalyzedArticle, rules: SourceRules | None = None
) -> tuple[Citation, ...]:
    """The unnamed sources of one article, one citation per source, in text order.

    The analyze stage's cue phrases ("on condition of anonymity") and the unnamed
    sources :func:`find_anonymous_mentions` finds, one per sentence; a later mention of
    one already introduced ("the source said") is not another. Stored on the article
    by the ``anonymous`` analyzer (:attr:`AnalyzedArticle.anonymous`).

    Raises:
        ConfigError: The default rules cannot be loaded.
    """
    rules = rules if rules is not None else load_source_rules()
    return tuple(cite for cite, definite in _anonymous_cues(doc, rules) if not definite)


def _anonymous_cues(doc: AnalyzedArticle, rules: SourceRules) -> list[tuple[Citation, bool]]:
    """The analyze stage's anonymous-source cues and :func:`find_anonymous_mentions`,
    one per sentence (the first in it), in text order, each with ``definite``
    (true only when every mention in its sentence refers back: "the source said")."""
    mentions: list[tuple[Citation, bool]] = [
        (_cite(doc, c.start, c.end), False)
        for c in doc.cues
        if c.kind == "anonymous_source" and doc.text[c.start : c.end] == c.text
    ]
    mentions.extend(find_anonymous_mentions(doc, rules))
    by_sentence: dict[tuple[int, int], list[tuple[Citation, bool]]] = {}
    for cite, definite in sorted(mentions, key=lambda m: (m[0].start, -m[0].end)):
        by_sentence.setdefault(_sentence_bounds(doc, cite.start, cite.end), []).append(
            (cite, definite)
        )
    out: list[tuple[Citation, bool]] = []
    for group in by_sentence.values():
        first = next((c for c, d in group if not d), group[0][0])
        out.append((first, all(d for _, d in group)))
    out.sort(key=lambda m: m[0].start)
    return out


_TRIGGERS_BEFORE = (
    r"(?i:according\s+to|reported\s+by|first\s+reported\s+by|as\s+reported\s+by|"
    r"told|speaking\s+to|in\s+an\s+interview\s+with|quoted\s+by|cited\s+by|citing|"
    r"reports?\s+(?:in|by))"
)
_TRIGGERS_AFTER = (
    r"(?i:first\s+reported|reported|reports|revealed|reveals|said|says|quoted|cited|wrote|"
    r"writes|obtained|has\s+learned|learned)"
)
_FILLER = r"(?:(?i:the|a|an)\s+)?(?:[\w'’.-]+\s+){0,3}?"


_BEFORE = re.compile(rf"(?<![\w-]){_TRIGGERS_BEFORE}\s+{_FILLER}\Z")
_AFTER = re.compile(rf",?\s+(?:[\w'’-]+\s+){{0,2}}?{_TRIGGERS_AFTER}(?![\w-])")
#: Characters before a media name searched for a trigger ("according to ...").
_BEFORE_WINDOW = 70


@functools.cache
def _media_pattern(media: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{media})(?![\w-])")


def _own_words(outlet: str) -> set[str]:
    return {w for w in re.findall(r"[\w'’-]+", outlet.casefold()) if w not in _NOT_OWN}


def _initials(name: str) -> str:
    """Initials of a name's words, "the" left out: "The New York Times" -> "nyt"."""
    return "".join(w[0] for w in re.findall(r"[\w'’-]+", name.casefold()) if w != "the")


def _squash(name: str) -> str:
    return "".join(c for c in name.casefold() if c.isalnum())


def _same_outlet(name: str, outlet: str) -> bool:
    """Whether a media name is the outlet: its words ("the Tribune" in "Northern
    Tribune"), its initials ("The New York Times" for "NYT") or its letters
    ("HuffPost" for "Huff Post"), or, for an outlet of four letters or fewer, its
    letters in order ("HuffPost" for "hpo")."""
    own = _own_words(outlet)
    name_words = set(re.findall(r"[\w'’-]+", name.casefold()))
    if own and name_words & own and (name_words - _NOT_OWN) <= own:
        return True
    squashed = _squash(outlet)
    if not squashed:
        return False
    words = [w for w in re.findall(r"[\w'’-]+", name.casefold()) if w != "the"]
    letters = _squash(" ".join(words))
    if (len(words) >= 2 and _initials(name) == squashed) or letters == squashed:
        return True
    # An abbreviated outlet ("hpo" for HuffPost): its letters in order, the first first.
    if len(squashed) <= 4 and outlet.strip().isalpha() and letters[:1] == squashed[0]:
        it = iter(letters)
        return all(c in it for c in squashed)
    return False


def relayed_outlet(phrase: str, outlets: Sequence[str]) -> str | None:
    """The story's outlet a reliance phrase relays, if any.

    Args:
        phrase: A citation text of :func:`find_media_reliance` ("The New York
            Times reported", "according to the Post").
        outlets: The story's outlets.

    Returns:
        The outlet whose name, initials or letters the phrase's media name
        matches ("New York Times" for the outlet "nyt"), or None.
    """
    rules = load_source_rules()
    extra = [re.escape(o) for o in outlets if o]
    media = rules.media.pattern + ("|" + "|".join(extra) if extra else "")
    for m in _media_pattern(media).finditer(phrase):
        for outlet in outlets:
            if outlet and _same_outlet(m.group(0), outlet):
                return outlet
    return None


def find_media_reliance(
    doc: AnalyzedArticle, rules: SourceRules | None = None, *, outlets: Sequence[str] = ()
) -> tuple[Citation, ...]:
    """Cite the phrases where an article relies on other news organisations.

    Args:
        doc: The analyzed article.
        rules: Compiled rules; the packaged default when None.
        outlets: Names of the other outlets of the story (matched as media too).

    Returns:
        Non-overlapping citations in text order, each from the trigger
        ("according to", "told") to the organisation's name, or from the name
        to the reporting verb ("Reuters reported").

    Raises:
        ConfigError: The default rules cannot be loaded.
    """
    rules = rules if rules is not None else load_source_rules()
    extra = [re.escape(o) for o in outlets if o and o != doc.article.outlet]
    media = rules.media.pattern + ("|" + "|".join(extra) if extra else "")
    text = doc.text
    hits: list[tuple[int, int]] = []
    for m in _media_pattern(media).finditer(text):
        if _same_outlet(m.group(0), doc.article.outlet):
            continue  # "he told the Tribune": the outlet's own reporting
        lo = max(0, m.start() - _BEFORE_WINDOW)
        before = _BEFORE.search(text, lo, m.start())
        if before is not None:
            hits.append((before.start(), m.end()))
        after = _AFTER.match(text, m.end())
        if after is not None:
            hits.append((m.start(), after.end()))
    chosen: list[tuple[int, int]] = []
    for hit in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):
        if all(hit[1] <= s or e <= hit[0] for s, e in chosen):
            chosen.append(hit)
    return tuple(_cite(doc, s, e) for s, e in sorted(chosen))


def story_media_reliance(
    doc: AnalyzedArticle, outlets: Sequence[str], rules: SourceRules | None = None
) -> tuple[Citation, ...]:
    """:func:`find_media_reliance` of an article in a story of these ``outlets``.

    The phrases the analyze stage stored (``doc.media``, found without the story's
    outlets) when they are the answer: the packaged rules, and no other outlet of the
    story named in the article's text (an outlet's name matches only where it is
    written, so the search with it finds the same); found again otherwise.

    Raises:
        ConfigError: The default rules cannot be loaded.
    """
    if (
        rules is None
        and doc.media is not None
        and not any(o and o != doc.article.outlet and o in doc.text for o in outlets)
    ):
        return doc.media
    return find_media_reliance(doc, rules, outlets=outlets)
