"""Small closed word lists shared by the analyze and align stages (lower-case).

One place for each list, so that a date word or a negation recognised in one
stage is recognised in the others. The speech verbs are data
(``storyscope/data/speech_verbs.toml``), read once when this module is imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storyscope._toml import line_of, packaged, read_toml
from storyscope.errors import ConfigError

__all__ = [
    "ATTRIBUTION_SPEECH_FORMS",
    "DAY_WORDS",
    "DENYING_VERBS",
    "LOADED_SPEECH_FORMS",
    "MONTHS",
    "NEGATIONS",
    "SPEECH_VERBS",
    "WEEKDAYS",
    "load_speech_verbs",
]

MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
"""Month names and abbreviations -> month number."""

WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
"""Weekday names -> ``datetime.weekday()`` number."""

DAY_WORDS: frozenset[str] = frozenset({"today", "yesterday", "tomorrow", "tonight"})
"""Deictic day words resolved against the publication date."""

NEGATIONS: frozenset[str] = frozenset(
    {"not", "no", "never", "n't", "nt", "neither", "nor", "none", "nobody", "nothing", "cannot"}
)
"""Words that flip the polarity of a clause."""

DENYING_VERBS: frozenset[str] = frozenset({"deny", "decline", "refuse"})
"""Verb lemmas that negate their clause without a negation word ("denied the report")."""


_SIBILANT = ("s", "sh", "ch", "x", "z")
_VOWELS = frozenset("aeiou")


def _regular_forms(lemma: str) -> frozenset[str]:
    """The third-person, past and -ing forms the spelling rules give a regular verb."""
    consonant_y = lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in _VOWELS
    if lemma.endswith(_SIBILANT):
        third = lemma + "es"
    elif consonant_y:
        third = lemma[:-1] + "ies"
    else:
        third = lemma + "s"
    if lemma.endswith("e"):
        past = lemma + "d"
    elif consonant_y:
        past = lemma[:-1] + "ied"
    else:
        past = lemma + "ed"
    gerund = lemma[:-1] + "ing" if lemma.endswith("e") and not lemma.endswith("ee") else lemma + "ing"
    return frozenset({third, past, gerund})


def load_speech_verbs(
    path: str | Path | None = None,
) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """Read a speech-verb list (default: the packaged ``data/speech_verbs.toml``).

    Returns:
        The verbs (lemmas) and the named subsets (surface forms).

    Raises:
        ConfigError: The file is unreadable or malformed, an ``[irregular]`` entry is not
            one of the verbs, or a subset holds a word that is not a form of one.
    """
    path = path if path is not None else packaged("speech_verbs.toml")
    raw, data = read_toml(path, "speech-verb list")

    def fail(needle: str, problem: str) -> ConfigError:
        return ConfigError(f"{path}: line {line_of(raw, needle)}: {problem}")

    def strings(value: Any, key: str, what: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise fail(key, f"{what} must be a list of words")
        return [v.lower() for v in value]

    def table(name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise fail(f"{name}", f"{name} must be a table ([{name}])")
        return value

    unknown = sorted(set(data) - {"verbs", "irregular", "subsets"})
    if unknown:
        raise fail(unknown[0], f"unknown key {unknown[0]!r} (expected verbs, [irregular], [subsets])")
    verbs = frozenset(strings(data.get("verbs"), "verbs =", "verbs"))
    irregular = {
        lemma: frozenset(strings(forms, f"{lemma} =", f"[irregular] {lemma}"))
        for lemma, forms in table("irregular").items()
    }
    stray_verbs = sorted(set(irregular) - verbs)
    if stray_verbs:
        raise fail(f"{stray_verbs[0]} =", f"[irregular] {stray_verbs[0]} is not one of the verbs")
    forms = {
        lemma: frozenset({lemma}) | irregular.get(lemma, _regular_forms(lemma)) for lemma in verbs
    }
    every = frozenset().union(*forms.values())
    subsets: dict[str, frozenset[str]] = {}
    for name, words in table("subsets").items():
        subset = frozenset(strings(words, f"{name} =", f"[subsets] {name}"))
        stray = sorted(subset - every)
        if stray:
            raise fail(f'"{stray[0]}"', f"[subsets] {name}: {stray[0]!r} is not a form of a verb")
        subsets[name] = subset
    return verbs, subsets


_SPEECH_VERBS, _SUBSETS = load_speech_verbs()

SPEECH_VERBS: frozenset[str] = _SPEECH_VERBS
"""Lemmas of the verbs that introduce speech (``verbs`` of ``data/speech_verbs.toml``)."""

ATTRIBUTION_SPEECH_FORMS: frozenset[str] = _SUBSETS["attribution"]
"""Surface forms of reporting verbs whose swap between outlets is attribution, not a label
(align.framing; ``[subsets] attribution``)."""

LOADED_SPEECH_FORMS: frozenset[str] = _SUBSETS["loaded_context"]
"""Surface forms that mark a sentence as attributed speech for the loaded-language scorer's
``attributed`` feature (align.loaded_language; ``[subsets] loaded_context``, the forms the
packaged scorer was trained with)."""

