"""Framing cues: hedging language and anonymous sourcing, from an editable lexicon.

The lexicon is a TOML file (default: ``storyscope/data/cues.toml``) with one table per
cue kind (``hedge``, ``anonymous_source``, ...), each holding ``phrases`` (literal,
case-insensitive, whole words) and ``patterns`` (regular expressions). Where cues
overlap, the longest wins.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from storyscope._toml import packaged, parse_toml, read_data_text
from storyscope.analyze._text import SentenceLookup
from storyscope.errors import ConfigError
from storyscope.model import Cue, Sentence

__all__ = ["CueFinder", "CueLexicon", "find_cues", "load_lexicon"]

_DEFAULT_NAME = "cues.toml"


@dataclass(frozen=True, slots=True)
class CueLexicon:
    """Compiled cue patterns: one regular expression per cue kind."""

    source: str
    patterns: tuple[tuple[str, re.Pattern[str]], ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(kind for kind, _ in self.patterns)


def _line_of(raw: str, needle: str) -> int:
    first = needle.splitlines()[0] if needle else needle
    pos = raw.find(first) if first else -1
    return raw.count("\n", 0, pos) + 1 if pos >= 0 else 1


def _phrase_regex(phrase: str) -> str:
    words = phrase.split()
    body = r"\s+".join(re.escape(w) for w in words)
    return rf"(?<![\w-]){body}(?![\w-])"


def parse_lexicon(raw: str, source: str) -> CueLexicon:
    """Compile a cue lexicon from TOML text.

    Args:
        raw: The TOML text.
        source: File name used in error messages.

    Returns:
        The compiled lexicon.

    Raises:
        ConfigError: Invalid TOML, a wrong structure, or a bad regular expression
            (the message names the file and line).
    """
    data = parse_toml(raw, source)
    compiled: list[tuple[str, re.Pattern[str]]] = []
    for kind, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(
                f"{source}: line {_line_of(raw, kind)}: [{kind}] must be a table with "
                "'phrases' and/or 'patterns'"
            )
        parts: list[str] = []
        for key, value in table.items():
            if key not in ("phrases", "patterns"):
                raise ConfigError(
                    f"{source}: line {_line_of(raw, key)}: unknown key {key!r} in [{kind}]"
                )
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(
                    f"{source}: line {_line_of(raw, key)}: [{kind}].{key} must be a list of strings"
                )
            for entry in value:
                if not entry.strip():
                    raise ConfigError(
                        f"{source}: line {_line_of(raw, key)}: empty entry in [{kind}].{key}"
                    )
                if key == "patterns":
                    try:
                        re.compile(entry)
                    except re.error as exc:
                        raise ConfigError(
                            f"{source}: line {_line_of(raw, entry)}: bad pattern in [{kind}]: {exc}"
                        ) from exc
                    parts.append(f"(?:{entry})")
                else:
                    parts.append(_phrase_regex(entry))
        if parts:
            parts.sort(key=len, reverse=True)
            compiled.append((kind, re.compile("|".join(parts), re.IGNORECASE)))
    return CueLexicon(source=source, patterns=tuple(compiled))


@functools.cache
def load_lexicon(path: str | Path | None = None) -> CueLexicon:
    """Load and compile a cue lexicon (cached per path).

    Args:
        path: A TOML file; None for the packaged default.

    Returns:
        The compiled lexicon.

    Raises:
        ConfigError: The file is missing, unreadable or malformed.
    """
    if path is None:
        return parse_lexicon(read_data_text(packaged(_DEFAULT_NAME), "cue lexicon"), _DEFAULT_NAME)
    return parse_lexicon(read_data_text(path, "cue lexicon"), str(path))


def find_cues(
    text: str, sentences: Sequence[Sentence], lexicon: CueLexicon | None = None
) -> list[Cue]:
    """Find hedges and anonymous-source phrases.

    Args:
        text: The article text.
        sentences: The article's sentences (for the sentence index).
        lexicon: Compiled lexicon; the packaged default when None.

    Returns:
        Non-overlapping cues in text order (the longest wins an overlap).
    """
    lex = lexicon if lexicon is not None else load_lexicon()
    lookup = SentenceLookup(sentences)
    hits: list[tuple[int, int, str]] = []
    for kind, pattern in lex.patterns:
        for m in pattern.finditer(text):
            if m.end() > m.start():
                hits.append((m.start(), m.end(), kind))
    hits.sort(key=lambda h: (h[0], h[0] - h[1]))
    # Longest first among overlapping hits.
    chosen: list[tuple[int, int, str]] = []
    for hit in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):
        if all(hit[1] <= s or e <= hit[0] for s, e, _ in chosen):
            chosen.append(hit)
    chosen.sort()
    return [
        Cue(kind=kind, start=s, end=e, text=text[s:e], sentence=lookup.index_at(s))
        for s, e, kind in chosen
    ]


class CueFinder:
    """Pipeline component: text -> framing cues.

    Args:
        lexicon: Path of a TOML cue lexicon; None for the packaged default.
    """

    name = "cues.v1"
    requires = frozenset({"sentences"})
    assigns = frozenset({"cues"})

    def __init__(self, lexicon: str | Path | None = None) -> None:
        self.lexicon = load_lexicon(lexicon)

    def __call__(self, text: str, sentences: Sequence[Sentence]) -> list[Cue]:
        return find_cues(text, sentences, self.lexicon)
