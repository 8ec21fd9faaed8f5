"""Hand-built stories for the web tests and bench (invented outlets, people and places; no models).

``make_story(n)`` builds an aligned story of ``n`` articles about an invented ferry
collision: consensus facts cited in every article, a contested casualty count with
number contradictions, single-source claims, quotes with a variant, framing. The
third article carries hostile markup (script tags, attribute-breaking quotes).
"""

from __future__ import annotations

import datetime as dt
import re

from storyscope.model import (
    AnalyzedArticle,
    Article,
    Citation,
    Claim,
    Contradiction,
    Cue,
    Fact,
    Framing,
    Label,
    Quote,
    QuoteVariant,
    Sentence,
    Story,
    SummarySentence,
)

HOSTILE = (
    '<script>alert("x")</script> and a "quote" onmouseover="alert(1)" \'single\' & <b>bold</b>'
)
HOSTILE_TITLE = 'Ferry crash <script>alert("t")</script> "live"'

_OUTLETS = [
    "The Wrenmouth Gazette",
    "Saltmere Daily",
    "Harrowby Post <i>",
    "Coastal Signal",
    "Northgate Herald",
    "Pell Valley News",
    "The Ashcombe Courier",
    "Brindle Wire",
    "Kestrel Bay Times",
    "Orrin County Ledger",
]

_SENTENCE = re.compile(r"[^\s].*?(?:[.!?](?=\s|$)|$)", re.S)


def outlet_name(i: int) -> str:
    base = _OUTLETS[i % len(_OUTLETS)]
    return base if i < len(_OUTLETS) else f"{base} {i // len(_OUTLETS) + 1}"


def _text(i: int, injured: int, extra_paragraphs: int) -> tuple[str, dict[str, str]]:
    """Article text and the phrases that later become citations."""
    collide = f"Two ferries collided off Wrenmouth harbour on Sunday morning, report {i + 1} said."
    injured_s = f"Officials said {injured} passengers were injured in the collision."
    quote_word = "shaken" if i % 2 == 0 else "badly shaken"
    quote = f"We are all {quote_word} but the crews acted fast,"
    quote_s = f'"{quote}" harbour master Ilse Varga said.'
    hedge_s = (
        "The fog may have reduced visibility, according to a person familiar with the inquiry."
    )
    single_s = f"Outlet {i + 1} alone reports that service resumes on day {i + 2}."
    paras = [collide + " " + injured_s, quote_s + " " + hedge_s, single_s]
    if i == 2:
        paras.append(f"A reader wrote {HOSTILE}.")
    for k in range(extra_paragraphs):
        paras.append(
            f"Background paragraph {k + 1}: the Wrenmouth crossing carries about {900 + k} "
            f"people a day. Local councillors have asked for a review of the timetable {k + 1}. "
            f"Harbour staff said the radar logs would be published."
        )
    text = "\n\n".join(paras)
    phrases = {
        "collide": collide,
        "injured": injured_s,
        "quote": quote,
        "hedge": "may",
        "anonymous": "a person familiar with",
        "single": single_s,
    }
    return text, phrases


def _cite(article: Article, phrase: str) -> Citation:
    start = article.text.index(phrase)
    return Citation(article=article.id, start=start, end=start + len(phrase), text=phrase)


def _analyzed(article: Article, phrases: dict[str, str]) -> AnalyzedArticle:
    text = article.text
    sentences = tuple(
        Sentence(index=n, start=m.start(), end=m.end(), text=m.group())
        for n, m in enumerate(_SENTENCE.finditer(text))
    )
    quote_at = text.index(phrases["quote"])
    hedge_at = text.index("may have")
    anon_at = text.index(phrases["anonymous"])
    return AnalyzedArticle(
        article=article,
        sentences=sentences,
        quotes=(
            Quote(
                start=quote_at,
                end=quote_at + len(phrases["quote"]),
                text=phrases["quote"],
                speaker="Ilse Varga",
                cue="said",
            ),
        ),
        cues=(
            Cue(kind="hedge", start=hedge_at, end=hedge_at + 3, text="may"),
            Cue(
                kind="anonymous_source",
                start=anon_at,
                end=anon_at + len(phrases["anonymous"]),
                text=phrases["anonymous"],
            ),
        ),
        claims=tuple(
            Claim(
                id=f"{article.id[:6]}-c{s.index}",
                article=article.id,
                sentence=s.index,
                start=s.start,
                end=s.end,
                text=s.text,
            )
            for s in sentences
        ),
    )


def make_story(n: int = 3, *, extra_paragraphs: int = 2) -> Story:
    """An aligned story of ``n`` (>= 2) articles; see the module docstring."""
    base = dt.datetime(2031, 9, 7, 8, 0, tzinfo=dt.UTC)
    articles: list[tuple[AnalyzedArticle, dict[str, str]]] = []
    for i in range(n):
        injured = 12 if i % 3 != 1 else 9
        text, phrases = _text(i, injured, extra_paragraphs)
        article = Article.create(
            text=text,
            source=f"fixtures/ferry-{i}.txt",
            outlet=outlet_name(i),
            title=HOSTILE_TITLE if i == 2 else f"Ferries collide off Wrenmouth ({outlet_name(i)})",
            published=base + dt.timedelta(hours=3 * i),
            url=f"https://outlet{i}.example/ferry",
        )
        articles.append((_analyzed(article, phrases), phrases))
    analyzed = tuple(a for a, _ in articles)
    outlets = tuple(a.article.outlet for a in analyzed)
    collide = tuple(_cite(a.article, p["collide"]) for a, p in articles)
    injured = tuple(_cite(a.article, p["injured"]) for a, p in articles)
    quotes = tuple(_cite(a.article, p["quote"]) for a, p in articles)
    facts = [
        Fact(
            id="f-collide",
            statement="Two ferries collided off Wrenmouth harbour on Sunday morning.",
            status="consensus",
            support=collide,
            outlets=outlets,
        ),
        Fact(
            id="f-injured",
            statement="Passengers were injured in the collision.",
            status="contested",
            support=injured,
            outlets=outlets,
        ),
    ]
    for i, (a, p) in enumerate(articles):
        facts.append(
            Fact(
                id=f"f-single-{i}",
                statement=p["single"],
                status="single_source",
                support=(_cite(a.article, p["single"]),),
                outlets=(a.article.outlet,),
            )
        )
    contradictions = []
    twelve = [c for c in injured if "12 passengers" in c.text]
    nine = [c for c in injured if "9 passengers" in c.text]
    for a_cite, b_cite in zip(twelve, nine, strict=False):
        contradictions.append(
            Contradiction(
                kind="number",
                explanation="12 passengers injured vs 9 passengers injured",
                a=a_cite,
                b=b_cite,
                fact="f-injured",
            )
        )
    return Story(
        articles=analyzed,
        facts=tuple(facts),
        contradictions=tuple(contradictions),
        quote_variants=(
            QuoteVariant(
                speaker="Ilse Varga",
                members=quotes[:2],
                differences=("'shaken' vs 'badly shaken'",),
            ),
        ),
        framing=Framing(
            labels=(
                Label(
                    concept="the collision",
                    variants=tuple(
                        (a.id, "collision" if k % 2 else "crash") for k, a in enumerate(analyzed)
                    ),
                ),
            ),
            hedges=tuple(_cite(a.article, "may") for a in analyzed),
            anonymous_sources=tuple(_cite(a.article, "a person familiar with") for a in analyzed),
        ),
        summary=(
            SummarySentence(text=facts[0].statement, citations=collide),
            SummarySentence(
                text="The outlets differ on how many passengers were injured.",
                citations=injured[:2],
                section="differences",
            ),
        ),
    )


def fake_compare(articles: list[Article] | tuple[Article, ...]) -> Story:
    """A cheap stand-in for ``compare_articles``: first sentences agree, first two conflict."""
    analyzed = []
    firsts: list[Citation] = []
    for article in articles:
        sentences = tuple(
            Sentence(index=n, start=m.start(), end=m.end(), text=m.group())
            for n, m in enumerate(_SENTENCE.finditer(article.text))
        )
        analyzed.append(AnalyzedArticle(article=article, sentences=sentences))
        if sentences:
            s = sentences[0]
            firsts.append(Citation(article=article.id, start=s.start, end=s.end, text=s.text))
    facts = (
        Fact(
            id="f-first",
            statement=firsts[0].text if firsts else "",
            status="contested",
            support=tuple(firsts),
            outlets=tuple(a.outlet for a in articles),
        ),
    )
    contradictions = (
        (
            Contradiction(
                kind="number",
                explanation="the first sentences disagree",
                a=firsts[0],
                b=firsts[1],
                fact="f-first",
            ),
        )
        if len(firsts) > 1
        else ()
    )
    return Story(articles=tuple(analyzed), facts=facts, contradictions=contradictions)
