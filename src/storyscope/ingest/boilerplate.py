"""Boilerplate removal for article text: :func:`clean_text`.

Scraped or pasted articles carry glued-on lines: donation and subscription
appeals, newsletter prompts, author bios, "Read more" link lists, update
stamps, share buttons, cookie banners, photo credits. :func:`clean_text` drops
such *whole lines* and records each dropped run as a :class:`Removed`, so a
fact-checker can see exactly what was cut and why.

The patterns live in ``storyscope/data/boilerplate.toml`` (see its header).
Cleaning is conservative: a rule needs a strong, reader-addressed pattern, a
short line, or an end-of-article position, so news paragraphs that merely
mention donations or newsletters stay.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from typing import Any

from storyscope._toml import packaged, parse_toml, read_data_text
from storyscope.errors import ConfigError
from storyscope.model import Removed

__all__ = ["BLOCK_REASONS", "BoilerplateRule", "clean_text", "load_rules"]

logger = logging.getLogger(__name__)

_RULES_FILE = "boilerplate.toml"
_MAX_LIST_LINES = 10
_HEADLINE_MAX_CHARS = 150
_BULLET = re.compile(r"^([-*•·▪►–]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"[.,;:]['\"’”)]*$")
_WORD = re.compile(r"\w+")

#: Reasons whose matched line is part of a block that runs on: the greeting,
#: pitch, thanks and buttons of an appeal, the rest of a bio.
BLOCK_REASONS = frozenset(
    {"donation_appeal", "subscription_appeal", "newsletter_prompt", "author_bio"}
)
#: Most lines a block grows by on each side of a matched line.
_MAX_BLOCK_LINES = 12
_QUOTE_MARKS = re.compile("[\"\u201c\u201d]")
_ATTRIBUTION = re.compile(r"\b(said|says|told|according to|reported|announced|wrote)\b", re.I)
_READER = re.compile(r"\b(you|your|yours|we|our|us|please)\b", re.I)
_GREETING = re.compile(
    r"^(dear\b.{0,40}|hi\b.{0,30}|hello\b.{0,30}|before you go\b.{0,60}|"
    r"a (note|message|letter) (to|for|from) (our )?(readers?|the editors?)\b.{0,40}|one more thing\b.{0,30})[,:.!]?$",
    re.I,
)
#: What an appeal talks about; a line that addresses the reader without it is news
#: ("If you live on Pike Lane, your water may be affected").
_PITCH = re.compile(
    r"\b(journalism|journalists?|reporting|reporters?|newsroom|coverage|readers?|support\w*|"
    r"independent|free|paywall|subscri\w*|newsletters?|inbox|donat\w*|members?|membership|"
    r"fund\w*|contribut\w*|gifts?|mission|nonprofit|sign up|give|giving)\b",
    re.I,
)
_THANKS = re.compile(r"^(thank you|thanks|with gratitude|sincerely|warmly)\b.{0,60}$", re.I)
_MONEY_BUTTON = re.compile(r"^[$€£]\s?\d+(\.\d\d)?(\s*(/|per|a)\s*(month|year|week))?$", re.I)


@dataclass(frozen=True, slots=True, kw_only=True)
class BoilerplateRule:
    """One compiled rule of ``boilerplate.toml``.

    Attributes:
        reason: Reason id recorded in :class:`Removed` (e.g. ``"donation_appeal"``).
        pattern: Regex that must match the stripped line.
        also: Optional second regex that must match too.
        unless: Optional regex that vetoes the rule (e.g. reported speech).
        whole: Whether ``pattern`` must match the whole line.
        max_chars: Longest line the rule applies to.
        where: ``"any"`` or ``"tail"`` (only in the last ``tail_lines`` kept lines).
        tail_lines: How close to the end a ``"tail"`` rule applies.
        after: The rule only applies right after a line removed for this reason.
        examples: Lines the rule must remove (documentation and tests).
        keep: Lines that must survive (documentation and tests).
    """

    reason: str
    pattern: re.Pattern[str]
    also: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    whole: bool = False
    max_chars: int = 200
    where: str = "any"
    tail_lines: int = 2
    after: str | None = None
    examples: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()

    def matches(self, line: str) -> bool:
        """Whether this rule (ignoring position) matches a stripped line."""
        if len(line) > self.max_chars:
            return False
        found = self.pattern.fullmatch(line) if self.whole else self.pattern.search(line)
        if found is None:
            return False
        if self.also is not None and self.also.search(line) is None:
            return False
        return self.unless is None or self.unless.search(line) is None


def _compile_rule(raw: dict[str, Any], index: int) -> BoilerplateRule:
    try:
        flags = 0 if raw.get("case_sensitive", False) else re.IGNORECASE
        where = str(raw.get("where", "any"))
        if where not in ("any", "tail"):
            raise ValueError(f"bad where {where!r}")
        return BoilerplateRule(
            reason=str(raw["reason"]),
            pattern=re.compile(raw["pattern"], flags),
            also=re.compile(raw["also"], re.IGNORECASE) if "also" in raw else None,
            unless=re.compile(raw["unless"], re.IGNORECASE) if "unless" in raw else None,
            whole=bool(raw.get("whole", False)),
            max_chars=int(raw.get("max_chars", 200)),
            where=where,
            tail_lines=int(raw.get("tail_lines", 2)),
            after=raw.get("after"),
            examples=tuple(raw.get("examples", ())),
            keep=tuple(raw.get("keep", ())),
        )
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise ConfigError(f"{_RULES_FILE}: rule {index + 1}: {exc}") from exc


@functools.cache
def load_rules() -> tuple[BoilerplateRule, ...]:
    """Load and compile the packaged boilerplate rules (cached).

    Returns:
        The rules, in file order.

    Raises:
        ConfigError: The rules file is malformed.
    """
    raw = read_data_text(packaged(_RULES_FILE), "boilerplate rules")
    data = parse_toml(raw, _RULES_FILE)
    return tuple(_compile_rule(raw, i) for i, raw in enumerate(data.get("rule", [])))


def _is_headline_like(line: str) -> bool:
    """A short link/headline line: no closing punctuation, a handful of words."""
    if len(line) > _HEADLINE_MAX_CHARS:
        return False
    bare = _BULLET.sub("", line)
    words = len(_WORD.findall(bare))
    return 2 <= words <= 25 and _SENTENCE_END.search(bare) is None


def _is_related_header(rule: BoilerplateRule) -> bool:
    return rule.reason == "related_links" and rule.whole


def clean_text(raw: str) -> tuple[str, tuple[Removed, ...]]:
    """Remove boilerplate lines from article text.

    Newlines are normalised to ``\\n`` and every line is stripped. Lines
    matching a rule of ``boilerplate.toml`` are dropped; so are the short
    headline-like lines of a link list that follows a "Related:"/"Read more:"
    header, and the rest of an appeal's block around a matched line (its
    greeting, the lines addressing the reader, its thanks and buttons:
    :data:`BLOCK_REASONS`). Paragraphs (runs of non-blank lines) are joined
    with ``\\n\\n``.

    Args:
        raw: Article text (plain text, or text extracted from HTML).

    Returns:
        The cleaned text (no leading/trailing whitespace) and the removed
        segments in text order. Consecutive removed lines of one paragraph with
        the same reason form one :class:`Removed`, joined with ``\\n``.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.strip() for line in text.split("\n")]
    rules = load_rules()
    reasons: list[str | None] = [None] * len(lines)
    content = [i for i, line in enumerate(lines) if line]

    # Pass 1: position-free rules, and link lists after a related-links header.
    list_left = 0
    for i in content:
        line = lines[i]
        rule = next(
            (r for r in rules if r.where == "any" and r.after is None and r.matches(line)), None
        )
        if rule is not None:
            reasons[i] = rule.reason
            list_left = _MAX_LIST_LINES if _is_related_header(rule) else 0
        elif list_left and _is_headline_like(line):
            reasons[i] = "related_links"
            list_left -= 1
        else:
            list_left = 0

    # Pass 2: end-of-article rules, walking back over the lines still kept.
    kept_after = 0
    for i in reversed(content):
        if reasons[i] is not None:
            continue
        rule = next(
            (
                r
                for r in rules
                if r.where == "tail"
                and r.after is None
                and kept_after < r.tail_lines
                and r.matches(lines[i])
            ),
            None,
        )
        if rule is None:
            kept_after += 1
        else:
            reasons[i] = rule.reason

    # Pass 3: an appeal or bio is a block: grow each matched run over its greeting,
    # pitch, thanks and buttons (lines that address the reader or are too short to
    # be news), never over a quotation or an attributed line.
    for k, i in enumerate(content):
        reason = reasons[i]
        if reason not in BLOCK_REASONS:
            continue
        for step in (1, -1):
            j, grown = k + step, 0
            while 0 <= j < len(content) and grown < _MAX_BLOCK_LINES:
                line = lines[content[j]]
                if reasons[content[j]] is None:
                    if not _block_line(line, forward=step > 0, bio=reason == "author_bio"):
                        break
                    reasons[content[j]] = reason
                elif reasons[content[j]] not in BLOCK_REASONS:
                    break
                j += step
                grown += 1

    # Pass 4: follow-up rules ("She previously worked at ..." after a bio).
    previous: str | None = None
    for i in content:
        if reasons[i] is None:
            rule = next(
                (r for r in rules if r.after and r.after == previous and r.matches(lines[i])),
                None,
            )
            if rule is not None:
                reasons[i] = rule.reason
        previous = reasons[i]

    return _assemble(lines, reasons)


def _block_line(line: str, *, forward: bool, bio: bool) -> bool:
    """Whether ``line``, next to an appeal or bio, belongs to the same block."""
    if _QUOTE_MARKS.search(line) or _ATTRIBUTION.search(line):
        return False
    if _GREETING.match(line):
        return True
    if bio:
        return False  # a bio grows only by greetings; its follow-ups are rules (pass 4)
    if forward and (_THANKS.match(line) or _MONEY_BUTTON.match(line)):
        return True
    words = _WORD.findall(line)
    if forward and 1 <= len(words) <= 4 and _SENTENCE_END.search(line) is None:
        return True  # a button: "Donate", "Give monthly", "Sign up"
    return (
        len(line) <= 400 and _READER.search(line) is not None and _PITCH.search(line) is not None
    )


def _assemble(lines: list[str], reasons: list[str | None]) -> tuple[str, tuple[Removed, ...]]:
    paragraphs: list[str] = []
    removed: list[Removed] = []
    current: list[str] = []
    run: list[str] = []
    run_reason: str | None = None

    def flush_run() -> None:
        nonlocal run, run_reason
        if run and run_reason is not None:
            removed.append(Removed(text="\n".join(run), reason=run_reason))
        run, run_reason = [], None

    for line, reason in zip(lines, reasons, strict=True):
        if not line:
            flush_run()
            if current:
                paragraphs.append("\n".join(current))
                current = []
        elif reason is None:
            flush_run()
            current.append(line)
        else:
            if reason != run_reason:
                flush_run()
            run.append(line)
            run_reason = reason
    flush_run()
    if current:
        paragraphs.append("\n".join(current))
    if removed:
        logger.debug("removed %d boilerplate segment(s)", len(removed))
    return "\n\n".join(paragraphs), tuple(removed)
