"""Private number-word tables and parsers shared by quantities and times."""

from __future__ import annotations

import re

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}

_small = "|".join(sorted(list(UNITS) + list(TENS), key=len, reverse=True))
_digit_words = "|".join(k for k in UNITS if 0 < UNITS[k] < 10)
_word = (
    rf"(?:(?:{'|'.join(TENS)})[-\s](?:{_digit_words})|{_small}"
    r"|hundred|thousand|million|billion|trillion)"
)
#: Spelled-out numbers: "three", "twenty-five", "two hundred and ten", "a dozen", "a million".
SPELLED = (
    rf"(?:a\s+(?:dozen|hundred|thousand|million|billion)\b|half\s+a\s+(?:dozen|million|billion)\b"
    rf"|(?:{_small}|dozen)\b(?:[-\s]+(?:and\s+)?{_word}\b)*)"
)
#: Digit numbers: "57", "1,200", "3.5", ".5".
DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"

_TOKEN = re.compile(r"[a-z]+")


def parse_spelled(text: str) -> float | None:
    """Value of a spelled-out number ("twenty-five", "two hundred and ten", "a dozen").

    Returns:
        The value, or None when ``text`` is not a number phrase.
    """
    words = [w for w in _TOKEN.findall(text.lower()) if w != "and"]
    if not words:
        return None
    if words[0] == "half" and len(words) >= 3 and words[1] == "a":
        rest = parse_spelled(" ".join(["a", *words[2:]]))
        return None if rest is None else rest / 2
    if words[0] == "a":
        words = ["one", *words[1:]]
    total = 0.0
    current = 0.0
    seen = False
    for word in words:
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "dozen":
            current = (current or 1) * 12
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in SCALES:
            total += (current or 1) * SCALES[word]
            current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_digits(text: str) -> float:
    """Value of a digit number with optional thousands commas ("1,200.5" -> 1200.5)."""
    return float(text.replace(",", ""))


def parse_number(text: str) -> float | None:
    """Value of a digit or spelled number; None when it is neither."""
    stripped = text.strip()
    if stripped and (stripped[0].isdigit() or stripped[0] == "."):
        try:
            return parse_digits(stripped)
        except ValueError:
            return None
    return parse_spelled(stripped)
