"""Summary: a neutral extractive summary in which every sentence cites exact spans.

At most :data:`MAX_SENTENCES` sentences. First the consensus: the main event (the
fact most outlets state, earliest in their articles, told by a sentence that does not open by
leaning on another: "But it ...") and then the other facts most
outlets support, in story order, each told by the sentence of its statement (the
member worded best: see :func:`storyscope.align.facts.representative`) with any
dateline cut off by offset, and cited to every supporting sentence; no sentence
twice. Then where sources differ: one sentence per contradiction, composed from a
template that names both outlets and quotes both values, cited to both sentences.
"""
from __future__ import annotations

from collections.abc import Sequence

from storyscope.align._text import quoted_share, strip_dateline
from storyscope.model import Citation, Contradiction, Fact, SummarySentence

__all__ = ["MAX_CONSENSUS", "MAX_DIFFERENCES", "MAX_SENTENCES", "build_summary"]

#: Most sentences in a summary.
MAX_SENTENCES = 8
#: Most consensus sentences in a summary.
MAX_CONSENSUS = 7
#: A statement with at least this share of its words in quotation marks is a quote.
QUOTE_SHARE = 0.6
#: Most "where sources differ" sentences in a summary.
MAX_DIFFERENCES = 3


def _position(fact: Fact, order: dict[str, int], lengths: dict[str, int]) -> float:
    """How far into their articles the outlets state a fact: the mean over articles of
    where each first states it (an article cited twice counts once, at its first)."""
    first: dict[str, float] = {}
    for c in fact.support:
        spot = c.start / max(1, lengths.get(c.article, 1))
        first[c.article] = min(spot, first.get(c.article, spot))
    return sum(first.values()) / len(first) if first else float(len(order))


def _representative(fact: Fact) -> Citation:
    """The supporting sentence that holds the fact's statement, dateline cut off."""
    cite = next(
        (c for c in fact.support if fact.statement and fact.statement in c.text), fact.support[0]
    )
    cut, rest = strip_dateline(cite.text)
    if not cut:
        return cite
    return Citation(article=cite.article, start=cite.start + cut, end=cite.end, text=rest)


#: First words of a sentence that leans on the one before it ("But it reveals that ..."):
#: such a sentence does not lead a summary when another can.
_LEANING = frozenset(
    {
        "but", "and", "yet", "still", "however", "meanwhile", "also", "so", "or", "nor",
        "then", "instead", "moreover", "besides", "thus", "it", "he", "she", "they", "this",
        "these", "those", "that", "his", "her", "their", "its",
    }
)  # fmt: skip
#: Words after "this" / "that" / "so" that name a time, not something said before.
_TIME_NOUNS = frozenset(
    {
        "week", "weekend", "year", "month", "morning", "afternoon", "evening", "night",
        "season", "spring", "summer", "fall", "autumn", "winter", "far", "time",
    }
)  # fmt: skip


def _stands_alone(text: str) -> bool:
    """Whether a sentence can open a summary: it does not start by leaning on another.

    A sentence opening with a quotation stands alone (whose words they are is said
    after them); "This week ..." and "So far ..." name a time, not an earlier sentence.
    """
    body = text.lstrip(" (")
    if body[:1] in "\"\u201c\u2018'":
        return True
    parts = body.split(maxsplit=2)
    if not parts:
        return True
    # "It's" / "It\u2019s": the word before the apostrophe ("Then-President" stays whole)
    first = parts[0].lower().replace("\u2019", "'").split("'")[0].strip(",;:")
    if first not in _LEANING:
        return True
    after = parts[1].lower().strip(",;:.") if len(parts) > 1 else ""
    return first in ("this", "that", "so") and after in _TIME_NOUNS


def _holds(cite: Citation, part: Citation) -> bool:
    return cite.article == part.article and cite.start <= part.start and part.end <= cite.end


def build_summary(
    facts: Sequence[Fact],
    contradictions: Sequence[Contradiction],
    *,
    article_lengths: dict[str, int],
    include_consensus: bool = True,
    max_sentences: int = MAX_SENTENCES,
    max_differences: int = MAX_DIFFERENCES,
) -> tuple[SummarySentence, ...]:
    """Compose the cited summary.

    Args:
        facts: The story's facts, most supported first.
        contradictions: The story's contradictions, most important first.
        article_lengths: Article id -> text length (to place facts in story order).
        include_consensus: ``False`` when the articles may be about different
            events: nothing is presented as agreed.
        max_sentences: Most sentences (:data:`MAX_SENTENCES`).
        max_differences: Most "where sources differ" sentences (:data:`MAX_DIFFERENCES`).

    Returns:
        Consensus sentences (section ``"consensus"``) then difference sentences
        (section ``"differences"``); each has at least one exact citation.
    """
    out: list[SummarySentence] = []
    # One sentence per (fact, kind) first, so that five outlets disputing one
    # number do not crowd out every other difference; then fill up.
    picked: list[Contradiction] = []
    seen: set[tuple[str | None, str]] = set()
    for con in contradictions:
        key = (con.fact, con.kind)
        if key not in seen:
            seen.add(key)
            picked.append(con)
    picked += [c for c in contradictions if c not in picked]
    picked = picked[: min(max_differences, max_sentences)]
    if include_consensus:
        room = min(MAX_CONSENSUS, max_sentences - len(picked))
        agreed = [f for f in facts if f.status == "consensus" and len(f.outlets) >= 2 and f.support]
        order = {a: k for k, a in enumerate(article_lengths)}
        # Most outlets first; among equals, reported facts before bare quotations
        # (stable: keeps fact order among ties).
        agreed.sort(key=lambda f: (-len(f.outlets), quoted_share(f.statement) >= QUOTE_SHARE))
        top: list[Fact] = []
        reps: dict[str, Citation] = {}
        spans: dict[tuple[str, int, int], str] = {}
        # Support of a fact whose sentence is told for another: cited with that one.
        also: dict[str, list[Citation]] = {}
        for fact in agreed:
            rep = _representative(fact)
            span = (rep.article, rep.start, rep.end)
            if span in spans:
                # A sentence stating two facts is told once, citing both facts' support.
                also.setdefault(spans[span], []).extend(fact.support)
                continue
            if len(top) == room:
                continue
            if rep.text.rstrip().rstrip("\u201d\"'\u2019").endswith("?"):
                continue  # "And who, exactly, ...?": a question states nothing
            spans[span] = fact.id
            reps[fact.id] = rep
            top.append(fact)
        if top:
            # The main event leads: of the facts most outlets state, the earliest, told
            # by a sentence that stands alone ("But it reveals ..." leans on another).
            widest = max(len(f.outlets) for f in top)
            main = min(
                (
                    f
                    for f in top
                    if len(f.outlets) == widest and quoted_share(f.statement) < QUOTE_SHARE
                ),
                key=lambda f: (
                    not _stands_alone(reps[f.id].text),
                    _position(f, order, article_lengths),
                ),
                default=top[0],
            )
            rest = sorted(
                (f for f in top if f is not main),
                key=lambda f: _position(f, order, article_lengths),
            )
            for fact in [main, *rest]:
                rep = reps[fact.id]
                cited = [c for c in [*fact.support, *also.get(fact.id, ())] if not _holds(c, rep)]
                out.append(
                    SummarySentence(
                        text=rep.text,
                        citations=(rep, *dict.fromkeys(cited)),
                        section="consensus",
                    )
                )
    for con in picked:
        out.append(
            SummarySentence(text=con.explanation, citations=(con.a, con.b), section="differences")
        )
    return tuple(out)
