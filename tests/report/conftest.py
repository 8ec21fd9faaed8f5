"""A hand-built story (three invented outlets, every section populated) for report tests."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from storyscope.model import (
    AnalyzedArticle,
    Article,
    Citation,
    Claim,
    Contradiction,
    Cue,
    Entity,
    Fact,
    Failure,
    Framing,
    Label,
    Omission,
    Quantity,
    Quote,
    QuoteVariant,
    Removed,
    Sentence,
    Span,
    Story,
    SummarySentence,
    TimeExpression,
)

COURIER_TEXT = (
    "Fire crews battled a blaze at the Linden Quay grain terminal in Port Calloway on Tuesday "
    "night, and 14 workers were taken to hospital.\n\n"
    "Harbor Commissioner Dana Ruiz said the fire started in a conveyor housing. "
    '"We were lucky the wind turned," Ruiz said.\n\n'
    "Damage may exceed $40 million, according to a person familiar with the insurers' estimate."
)
LEDGER_TEXT = (
    "A fire tore through the Linden Quay grain terminal in Port Calloway on Tuesday, sending 12 "
    "workers to hospital.\n\n"
    '"We were fortunate the wind turned," Commissioner Dana Ruiz told reporters. '
    "Officials said the cause was not yet known.\n\n"
    "The terminal handles a third of the region's wheat exports."
)
# The Sentinel carries markup and Markdown-significant characters to test escaping.
SENTINEL_TEXT = (
    "The Linden Quay grain terminal in Port Calloway caught fire on Tuesday night.\n\n"
    'Fourteen workers were hurt, officials said. A dock worker said "nobody | heard the alarm" '
    '<script>alert(1)</script> and called the response " onmouseover="x a *disgrace*.\n\n'
    "The blaze reportedly began near a conveyor."
)
SENTINEL_TITLE = "Terminal fire <script>alert(1)</script> | live"

_SENTENCE = re.compile(r"[^\s].*?(?:[.!?](?=\s|$)|$)", re.S)


def span(text: str, phrase: str, occurrence: int = 0) -> tuple[int, int]:
    """Offsets of the n-th occurrence of ``phrase`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def cite(article: Article, phrase: str) -> Citation:
    start, end = span(article.text, phrase)
    return Citation(article=article.id, start=start, end=end, text=phrase)


def _sentences(text: str) -> tuple[Sentence, ...]:
    return tuple(
        Sentence(index=i, start=m.start(), end=m.end(), text=m.group())
        for i, m in enumerate(_SENTENCE.finditer(text))
    )


def _sentence_of(sentences: tuple[Sentence, ...], offset: int) -> int:
    return next(s.index for s in sentences if s.start <= offset < s.end)


def _analyze(
    article: Article,
    *,
    entities: list[tuple[str, str]],
    quantities: list[dict[str, object]],
    times: list[tuple[str, str, str | None]],
    quotes: list[dict[str, object]],
    cues: list[tuple[str, str]],
) -> AnalyzedArticle:
    text = article.text
    sentences = _sentences(text)

    def at(phrase: str) -> tuple[int, int, int]:
        start, end = span(text, phrase)
        return start, end, _sentence_of(sentences, start)

    built_quotes = []
    for q in quotes:
        start, end, sent = at(str(q["text"]))
        mention = q.get("mention")
        built_quotes.append(
            Quote(
                start=start,
                end=end,
                text=str(q["text"]),
                speaker=q.get("speaker"),  # type: ignore[arg-type]
                speaker_mention=(
                    Span(*span(text, *mention))
                    if isinstance(mention, tuple)
                    else Span(*span(text, str(mention)))
                    if mention
                    else None
                ),
                cue=q.get("cue"),  # type: ignore[arg-type]
                kind=str(q.get("kind", "direct")),
                anonymous=bool(q.get("anonymous", False)),
                sentence=sent,
            )
        )
    return AnalyzedArticle(
        article=article,
        sentences=sentences,
        entities=tuple(
            Entity(start=s, end=e, text=p, label=label, sentence=n)
            for p, label in entities
            for s, e, n in [at(p)]
        ),
        quantities=tuple(
            Quantity(start=s, end=e, sentence=n, **q)  # type: ignore[arg-type]
            for q in quantities
            for s, e, n in [at(str(q["text"]))]
        ),
        times=tuple(
            TimeExpression(start=s, end=e, text=p, kind=kind, value=value, sentence=n)
            for p, kind, value in times
            for s, e, n in [at(p)]
        ),
        quotes=tuple(built_quotes),
        cues=tuple(
            Cue(kind=kind, start=s, end=e, text=p, sentence=n)
            for p, kind in cues
            for s, e, n in [at(p)]
        ),
        claims=tuple(
            Claim(
                id=f"{article.id[:6]}-c{s.index}",
                article=article.id,
                sentence=s.index,
                start=s.start,
                end=s.end,
                text=s.text,
                hedged="may" in s.text or "reportedly" in s.text,
            )
            for s in sentences
        ),
    )


def build_story() -> Story:
    """Three articles about an invented terminal fire, with every report section populated."""
    courier = Article.create(
        text=COURIER_TEXT,
        source="fixtures/harbor-courier.html",
        outlet="Harbor Courier",
        title="Blaze at Linden Quay grain terminal sends 14 to hospital",
        byline="By Mara Okafor",
        published=dt.datetime(2031, 5, 14, 7, 30, tzinfo=dt.UTC),
        language="en",
        url="https://harbor-courier.example/news/linden-quay-fire",
        removed=(Removed(text="Sign up for our morning briefing", reason="newsletter"),),
    )
    ledger = Article.create(
        text=LEDGER_TEXT,
        source="fixtures/valdmark-ledger.html",
        outlet="Valdmark Ledger",
        title="Fire tears through Port Calloway terminal",
        published=dt.datetime(2031, 5, 14, 9, 5, tzinfo=dt.UTC),
        language="en",
        removed=(
            Removed(text="Related: Port expansion vote delayed", reason="related-links"),
            Removed(text="Share this article", reason="share-buttons"),
        ),
    )
    sentinel = Article.create(
        text=SENTINEL_TEXT,
        source="fixtures/eastwick-sentinel.txt",
        outlet="Eastwick Sentinel",
        title=SENTINEL_TITLE,
        language="en",
    )

    a_courier = _analyze(
        courier,
        entities=[("Linden Quay", "FAC"), ("Port Calloway", "GPE"), ("Dana Ruiz", "PERSON")],
        quantities=[
            {
                "text": "14 workers",
                "value": 14.0,
                "unit": "people",
                "kind": "count",
                "normalised": "14 people",
                "low": 14.0,
                "high": 14.0,
            },
            {
                "text": "exceed $40 million",
                "value": 40_000_000.0,
                "unit": "USD",
                "kind": "money",
                "normalised": "40000000 USD",
                "qualifier": "more than",
                "low": 40_000_000.0,
                "high": float("inf"),
            },
        ],
        times=[("Tuesday night", "date", "2031-05-13")],
        quotes=[
            {
                "text": "We were lucky the wind turned,",
                "speaker": "Dana Ruiz",
                "mention": ("Ruiz", 1),
                "cue": "said",
            },
            {
                "text": "the fire started in a conveyor housing",
                "speaker": "Dana Ruiz",
                "mention": "Harbor Commissioner Dana Ruiz",
                "cue": "said",
                "kind": "indirect",
            },
        ],
        cues=[("may", "hedge"), ("a person familiar with", "anonymous_source")],
    )
    a_ledger = _analyze(
        ledger,
        entities=[("Linden Quay", "FAC"), ("Port Calloway", "GPE"), ("Dana Ruiz", "PERSON")],
        quantities=[
            {
                "text": "12 workers",
                "value": 12.0,
                "unit": "people",
                "kind": "count",
                "normalised": "12 people",
                "low": 12.0,
                "high": 12.0,
            },
            {
                "text": "a third",
                "value": float("nan"),
                "unit": "percent",
                "kind": "percent",
                "normalised": "33.3 percent",
                "low": float("-inf"),
                "high": None,
            },
        ],
        times=[("Tuesday", "date", "2031-05-13")],
        quotes=[
            {
                "text": "We were fortunate the wind turned,",
                "speaker": "Dana Ruiz",
                "mention": "Commissioner Dana Ruiz",
                "cue": "told reporters",
            },
            {
                "text": "the cause was not yet known",
                "speaker": None,
                "cue": "said",
                "kind": "indirect",
                "anonymous": True,
            },
        ],
        cues=[("Officials said", "anonymous_source")],
    )
    a_sentinel = _analyze(
        sentinel,
        entities=[("Linden Quay", "FAC"), ("Port Calloway", "GPE")],
        quantities=[
            {
                "text": "Fourteen workers",
                "value": 14.0,
                "unit": "people",
                "kind": "count",
                "normalised": "14 people",
            },
        ],
        times=[("Tuesday night", "date", None)],
        quotes=[
            {
                "text": "nobody | heard the alarm",
                "speaker": None,
                "mention": "A dock worker",
                "cue": "said",
                "anonymous": True,
            },
        ],
        cues=[("reportedly", "hedge"), ("officials said", "anonymous_source")],
    )

    fire_c = cite(courier, "a blaze at the Linden Quay grain terminal in Port Calloway")
    fire_l = cite(ledger, "A fire tore through the Linden Quay grain terminal in Port Calloway")
    fire_s = cite(sentinel, "The Linden Quay grain terminal in Port Calloway caught fire")
    hurt_c = cite(courier, "14 workers were taken to hospital")
    hurt_l = cite(ledger, "sending 12 workers to hospital")
    hurt_s = cite(sentinel, "Fourteen workers were hurt")
    cause_c = cite(courier, "the fire started in a conveyor housing")
    cause_l = cite(ledger, "Officials said the cause was not yet known.")
    damage_c = cite(courier, "Damage may exceed $40 million")
    exports_l = cite(ledger, "The terminal handles a third of the region's wheat exports.")
    alarm_s = cite(
        sentinel,
        '"nobody | heard the alarm" <script>alert(1)</script> and called '
        'the response " onmouseover="x a *disgrace*.',
    )

    facts = (
        Fact(
            id="f1",
            statement="A fire broke out at the Linden Quay grain terminal in Port "
            "Calloway on Tuesday.",
            status="consensus",
            support=(fire_c, fire_l, fire_s),
            outlets=("Harbor Courier", "Valdmark Ledger", "Eastwick Sentinel"),
            claims=(f"{courier.id[:6]}-c0", f"{ledger.id[:6]}-c0", f"{sentinel.id[:6]}-c0"),
        ),
        Fact(
            id="f2",
            statement="Workers were hurt and taken to hospital.",
            status="contested",
            support=(hurt_c, hurt_l, hurt_s),
            outlets=("Harbor Courier", "Valdmark Ledger", "Eastwick Sentinel"),
        ),
        Fact(
            id="f3",
            statement="Damage may exceed $40 million.",
            status="single_source",
            support=(damage_c,),
            outlets=("Harbor Courier",),
        ),
        Fact(
            id="f4",
            statement="The terminal handles a third of the region's wheat exports.",
            status="single_source",
            support=(exports_l,),
            outlets=("Valdmark Ledger",),
        ),
        Fact(
            id="f5",
            statement="A dock worker said nobody heard the alarm.",
            status="single_source",
            support=(alarm_s,),
            outlets=("Eastwick Sentinel",),
        ),
    )
    contradictions = (
        Contradiction(
            kind="number",
            explanation="14 workers hospitalised vs 12 workers",
            a=hurt_c,
            b=hurt_l,
            fact="f2",
        ),
        Contradiction(
            kind="status",
            explanation="cause stated (conveyor housing) vs unknown",
            a=cause_c,
            b=cause_l,
        ),
    )
    variants = (
        QuoteVariant(
            speaker="Dana Ruiz",
            members=(
                cite(courier, "We were lucky the wind turned,"),
                cite(ledger, "We were fortunate the wind turned,"),
            ),
            differences=("'lucky' vs 'fortunate'",),
        ),
    )
    framing = Framing(
        labels=(
            Label(
                concept="the fire",
                variants=((courier.id, "blaze"), (ledger.id, "fire"), (sentinel.id, "blaze")),
            ),
        ),
        hedges=(cite(courier, "may"), cite(sentinel, "reportedly")),
        anonymous_sources=(
            cite(courier, "a person familiar with"),
            cite(ledger, "Officials said"),
            cite(sentinel, "officials said"),
        ),
    )
    summary = (
        SummarySentence(
            text="A fire broke out at the Linden Quay grain terminal in Port Calloway on Tuesday.",
            citations=(fire_c, fire_l, fire_s),
            section="consensus",
        ),
        SummarySentence(
            text="Outlets differ on how many workers were hospitalised (14 or 12).",
            citations=(hurt_c, hurt_l),
            section="differences",
        ),
    )
    return Story(
        articles=(a_courier, a_ledger, a_sentinel),
        facts=facts,
        contradictions=contradictions,
        omissions=(
            Omission(article=ledger.id, fact="f3"),
            Omission(article=sentinel.id, fact="f3"),
        ),
        quote_variants=variants,
        framing=framing,
        summary=summary,
        failures=(
            Failure(
                stage="ingest", source="fixtures/broken.pdf", error="not an article: binary content"
            ),
        ),
        warnings=("Eastwick Sentinel has no publication date",),
    )


@pytest.fixture(scope="session")
def story() -> Story:
    return build_story()
