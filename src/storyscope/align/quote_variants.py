"""Quote variants: the same utterance printed differently by several outlets.

Quotes of different articles are the same utterance when their normalised word
sequences match closely (difflib ratio at least :data:`SAME_QUOTE_RATIO`) or the
shorter one is almost entirely contained in the longer one. Each group is
compared word by word against its most central member; groups whose members
differ only in case and punctuation are not variants. A version with at least
:data:`PARAPHRASE_SHARE` of its words replaced by others is also flagged as a possible
paraphrase printed as a quote. Scare quotes and indirect speech are never grouped. Members attributed to
different speakers also yield an ``attribution`` contradiction.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from storyscope.align._text import norm_words, shorten, words
from storyscope.model import AnalyzedArticle, Citation, Contradiction, Quote, QuoteVariant

__all__ = ["MIN_QUOTE_WORDS", "SAME_QUOTE_RATIO", "find_quote_variants", "same_speaker"]

#: difflib ratio on normalised words from which two quotes are the same utterance.
SAME_QUOTE_RATIO = 0.6
#: Share of the shorter quote's words found in order in the longer one for containment.
CONTAINMENT = 0.8
#: Quotes shorter than this are too generic to match ("reckless", "a disgrace").
MIN_QUOTE_WORDS = 4
#: Share of words changed from which a version is flagged as a possible paraphrase.
PARAPHRASE_SHARE = 0.3


@dataclass(frozen=True, slots=True)
class _Q:
    doc: int
    quote: Quote
    outlet: str
    norm: tuple[str, ...]
    orig: tuple[str, ...]
    sentence: Citation


def _sentence_citation(doc: AnalyzedArticle, start: int, end: int) -> Citation:
    inside = [s for s in doc.sentences if s.start < end and start < s.end]
    lo = min([s.start for s in inside] + [start])
    hi = max([s.end for s in inside] + [end])
    return Citation(article=doc.id, start=lo, end=hi, text=doc.text[lo:hi])


def _similar(a: _Q, b: _Q) -> float:
    sm = difflib.SequenceMatcher(None, a.norm, b.norm, autojunk=False)
    ratio = sm.ratio()
    short = min(len(a.norm), len(b.norm))
    if short >= MIN_QUOTE_WORDS:
        matched = sum(block.size for block in sm.get_matching_blocks())
        if matched / short >= CONTAINMENT:
            ratio = max(ratio, SAME_QUOTE_RATIO + 0.01 * matched / short)
    return ratio


#: Attribution conflicts need near-identical wording: partial overlaps are often one
#: speaker quoting another, or an outlet quoting a longer passage.
ATTRIBUTION_RATIO = 0.8
#: Most words between a speaker's name and the speech verb ("Ruiz, the mayor, said").
MAX_CUE_GAP = 6
_PREPOSITIONS = frozenset({"to", "on", "in", "at", "with", "via", "from", "for", "into", "by"})


def _named_person(doc: AnalyzedArticle, speaker: str) -> bool:
    """Whether ``speaker`` names a person the article mentions as a PERSON entity.

    Roles ("the cameraman"), bodies ("White House", "Moore's campaign") and anonymous
    sources are not compared for attribution: an outlet naming the spokesperson and
    another naming her office do not contradict each other.
    """
    name = [w.lower() for w in words(speaker)]
    if len(name) < 1 or not speaker[:1].isupper():
        return False
    for ent in doc.entities:
        if ent.label == "PERSON" and name[-1] in {w.lower() for w in words(ent.text)}:
            return True
    return False


def _named_in(q: _Q, speaker: str, other: str, text: str) -> bool:
    """Whether the quote's sentence plainly names ``speaker`` as the one speaking.

    A speaker resolved from "he said" or from an earlier paragraph is too weak to
    accuse an outlet of misattribution; so is "according to" (a relay: "the
    speaker said, according to reporter X"), a mention cut off from its speech
    verb ("he posted to Twitter"), and a sentence naming both people (one may
    quote the other).
    """
    sentence = {w.lower() for w in words(q.sentence.text)}
    own = [w.lower() for w in words(speaker)]
    theirs = [w.lower() for w in words(other)]
    if not own or own[-1] not in sentence or (theirs and theirs[-1] in sentence):
        return False
    quote = q.quote
    if quote.cue and "according" in quote.cue.lower():
        return False
    mention, cue = quote.speaker_mention, quote.cue_span
    if mention is None:
        return False
    if own[-1] not in {w.lower() for w in words(text[mention.start : mention.end])}:
        return False
    if cue is None:
        return True
    gap = text[min(mention.end, cue.end) : max(mention.start, cue.start)]
    gap_words = {w.lower() for w in words(gap)}
    return len(gap_words) <= MAX_CUE_GAP and not gap_words & _PREPOSITIONS


def same_speaker(a: str, b: str) -> bool:
    """Whether two speaker names plausibly name one person ("Ana Ruiz" / "Mayor Ruiz")."""
    wa = [w.lower() for w in words(a)]
    wb = [w.lower() for w in words(b)]
    if not wa or not wb:
        return True
    if set(wa) <= set(wb) or set(wb) <= set(wa):
        return True
    return wa[-1] == wb[-1]


def _describe(ref: _Q, mem: _Q) -> list[str]:
    sm = difflib.SequenceMatcher(None, ref.norm, mem.norm, autojunk=False)
    ops = [op for op in sm.get_opcodes() if op[0] != "equal"]
    if not ops:
        return []
    who = mem.outlet
    # A contiguous excerpt of the reference: report it as shorter, not word by word.
    if all(op[0] == "delete" for op in ops) and all(
        op[1] == 0 or op[2] == len(ref.norm) for op in ops
    ):
        notes = []
        if any(op[2] == len(ref.norm) and op[1] > 0 for op in ops):
            tail = " ".join(mem.orig[-3:])
            notes.append(f"{who} prints a shorter version (ends at '\u2026{tail}')")
        if any(op[1] == 0 for op in ops):
            head = " ".join(mem.orig[:3])
            notes.append(f"{who} prints a shorter version (starts at '{head}\u2026')")
        return notes
    out: list[str] = []
    changed = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag == "replace")
    if changed / max(len(ref.norm), len(mem.norm), 1) >= PARAPHRASE_SHARE:
        out.append(
            f"{who} rewords it ({changed} of {max(len(ref.norm), len(mem.norm))} words differ):"
            " a paraphrase printed as a quote?"
        )
    for tag, i1, i2, j1, j2 in ops:
        old = " ".join(ref.orig[i1:i2])
        new = " ".join(mem.orig[j1:j2])
        if tag == "delete":
            out.append(f"{who} drops '{old}'")
        elif tag == "insert":
            out.append(f"{who} adds '{new}'")
        else:
            out.append(f"{who}: '{old}' -> '{new}'")
    return out


def find_quote_variants(
    articles: Sequence[AnalyzedArticle],
) -> tuple[tuple[QuoteVariant, ...], tuple[Contradiction, ...]]:
    """Group the same utterance across articles and describe how the wording differs.

    Args:
        articles: Analyzed articles of one story.

    Returns:
        The quote variants (groups with at least one word-level difference) and
        the attribution contradictions (same utterance, different speakers).
    """
    items: list[_Q] = []
    for d, doc in enumerate(articles):
        for q in doc.quotes:
            if q.kind in ("indirect", "scare") or doc.text[q.start : q.end] != q.text:
                continue
            norm = tuple(norm_words(q.text))
            if len(norm) < MIN_QUOTE_WORDS:
                continue
            items.append(
                _Q(
                    doc=d,
                    quote=q,
                    outlet=doc.article.outlet,
                    norm=norm,
                    orig=tuple(words(q.text)),
                    sentence=_sentence_citation(doc, q.start, q.end),
                )
            )
    pairs: list[tuple[float, int, int]] = []
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if items[i].doc == items[j].doc:
                continue
            r = _similar(items[i], items[j])
            if r >= SAME_QUOTE_RATIO:
                pairs.append((r, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    groups: dict[int, list[int]] = {i: [i] for i in range(len(items))}
    root = list(range(len(items)))
    for _, i, j in pairs:
        a, b = root[i], root[j]
        if a == b or {items[k].doc for k in groups[a]} & {items[k].doc for k in groups[b]}:
            continue
        for k in groups[b]:
            root[k] = a
        groups[a].extend(groups.pop(b))

    variants: list[QuoteVariant] = []
    contradictions: list[Contradiction] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        qs = sorted((items[k] for k in members), key=lambda q: (q.doc, q.quote.start))
        # Reference: the most common wording, then the one closest to all others.
        counts = Counter(q.norm for q in qs)
        ref = max(
            qs,
            key=lambda q: (counts[q.norm], sum(_similar(q, o) for o in qs if o is not q)),
        )
        differences: list[str] = []
        for item in qs:
            if item is not ref:
                for note in _describe(ref, item):
                    if note not in differences:
                        differences.append(note)
        speakers = [q.quote.speaker for q in qs if q.quote.speaker]
        speaker = Counter(speakers).most_common(1)[0][0] if speakers else None
        if differences:
            variants.append(
                QuoteVariant(
                    speaker=speaker,
                    members=tuple(
                        Citation(
                            article=articles[q.doc].id,
                            start=q.quote.start,
                            end=q.quote.end,
                            text=q.quote.text,
                        )
                        for q in qs
                    ),
                    differences=tuple(differences),
                )
            )
        seen: set[frozenset[str]] = set()
        for x in range(len(qs)):
            for y in range(x + 1, len(qs)):
                qa, qb = qs[x], qs[y]
                sa, sb = qa.quote.speaker, qb.quote.speaker
                if not sa or not sb or same_speaker(sa, sb) or qa.outlet == qb.outlet:
                    continue
                if qa.quote.anonymous or qb.quote.anonymous:
                    continue
                if not (
                    _named_person(articles[qa.doc], sa) and _named_person(articles[qb.doc], sb)
                ):
                    continue
                if _similar(qa, qb) < ATTRIBUTION_RATIO:
                    continue
                if not (
                    _named_in(qa, sa, sb, articles[qa.doc].text)
                    and _named_in(qb, sb, sa, articles[qb.doc].text)
                ):
                    continue
                key = frozenset({f"{qa.outlet}\x00{sa}", f"{qb.outlet}\x00{sb}"})
                if key in seen:
                    continue
                seen.add(key)
                contradictions.append(
                    Contradiction(
                        kind="attribution",
                        explanation=(
                            f"{qa.outlet} attributes the quote \u201c{shorten(qa.quote.text, 80)}"
                            f"\u201d to {sa}; {qb.outlet} attributes it to {sb}."
                        ),
                        a=qa.sentence,
                        b=qb.sentence,
                    )
                )
    return tuple(variants), tuple(contradictions)
