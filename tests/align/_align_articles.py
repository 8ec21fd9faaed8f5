"""Builders of hand-made analyzed articles for align tests (no spaCy, fake embeddings)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storyscope.align._text import negated
from storyscope.model import (
    AnalyzedArticle,
    Article,
    Claim,
    Cue,
    Entity,
    Quantity,
    Quote,
    Sentence,
    Span,
    TimeExpression,
)
from storyscope.testing import FakeEmbedder

EMBEDDER = FakeEmbedder(dim=64)


def _locate(text: str, needle: str, after: int = 0) -> int:
    pos = text.find(needle, after)
    if pos < 0:
        raise AssertionError(f"{needle!r} not in article text")
    return pos


def _sentence_of(sentences: Sequence[Sentence], start: int) -> int:
    for s in sentences:
        if s.start <= start < s.end:
            return s.index
    return -1


def make_article(
    outlet: str,
    sentences: Sequence[str],
    *,
    quantities: Sequence[tuple[str, dict[str, Any]]] = (),
    times: Sequence[tuple[str, str, str | None]] = (),
    quotes: Sequence[tuple[str, str | None]] = (),
    cues: Sequence[tuple[str, str]] = (),
    entities: Sequence[tuple[str, str]] = (),
    claims: Sequence[str] | None = None,
    embed: bool = True,
) -> AnalyzedArticle:
    """Build an AnalyzedArticle whose records point at the first occurrence of each text.

    Args:
        outlet: Outlet name.
        sentences: Sentences, joined by single spaces into the article text.
        quantities: ``(text, fields)``; fields are Quantity's value/unit/kind/...
        times: ``(text, kind, value)``.
        quotes: ``(quoted text, speaker)``.
        cues: ``(text, kind)``.
        entities: ``(text, label)``.
        claims: Claim texts (substrings); default one claim per sentence.
        embed: Attach FakeEmbedder sentence embeddings.
    """
    text = " ".join(sentences)
    sents: list[Sentence] = []
    pos = 0
    for k, s in enumerate(sentences):
        start = _locate(text, s, pos)
        sents.append(Sentence(index=k, start=start, end=start + len(s), text=s))
        pos = start + len(s)
    art = Article.create(text=text, source=f"{outlet}.txt", outlet=outlet)

    def span(needle: str) -> tuple[int, int, int]:
        start = _locate(text, needle)
        return start, start + len(needle), _sentence_of(sents, start)

    qs = []
    for needle, fields in quantities:
        s, e, si = span(needle)
        fields = {"normalised": f"{fields['value']} {fields.get('unit')}", **fields}
        qs.append(Quantity(start=s, end=e, text=needle, sentence=si, **fields))
    ts = []
    for needle, kind, value in times:
        s, e, si = span(needle)
        ts.append(TimeExpression(start=s, end=e, text=needle, kind=kind, value=value, sentence=si))
    quotes_out = []
    for needle, speaker in quotes:
        s, e, si = span(needle)
        mention = None
        if speaker and speaker in text:
            ms = _locate(text, speaker)
            mention = Span(ms, ms + len(speaker))
        quotes_out.append(
            Quote(
                start=s, end=e, text=needle, speaker=speaker, speaker_mention=mention, sentence=si
            )
        )
    cues_out = []
    for needle, kind in cues:
        s, e, si = span(needle)
        cues_out.append(Cue(kind=kind, start=s, end=e, text=needle, sentence=si))
    ents = []
    for needle, label in entities:
        start = 0
        while (start := text.find(needle, start)) >= 0:
            end = start + len(needle)
            ents.append(
                Entity(
                    start=start,
                    end=end,
                    text=needle,
                    label=label,
                    sentence=_sentence_of(sents, start),
                )
            )
            start = end
    claim_texts = list(sentences) if claims is None else list(claims)
    claims_out = []
    for k, ct in enumerate(claim_texts):
        s, e, si = span(ct)
        claims_out.append(
            Claim(
                id=f"{art.id}:c{k}",
                article=art.id,
                sentence=si,
                start=s,
                end=e,
                text=ct,
                negated=negated(ct),
            )
        )
    embeddings = EMBEDDER.embed([s.text for s in sents]) if embed else None
    return AnalyzedArticle(
        article=art,
        sentences=tuple(sents),
        entities=tuple(ents),
        quantities=tuple(qs),
        times=tuple(ts),
        quotes=tuple(quotes_out),
        cues=tuple(cues_out),
        claims=tuple(claims_out),
        embeddings=embeddings,
    )


def money(value: float, **extra: Any) -> dict[str, Any]:
    return {"value": value, "unit": "USD", "kind": "money", **extra}
