"""Outlet profiles: every measure with evidence spans, in the Story and in every report format."""

from __future__ import annotations

import dataclasses
import json

from _align_articles import make_article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyscope.align import align
from storyscope.align.framing import find_outlet_profiles
from storyscope.model import AnalyzedArticle, Citation, Framing, Label, OutletProfile, Quote, Story
from storyscope.report import render_html, render_markdown, to_dict, validate

COURIER = [
    "The blaze was reportedly started by a faulty forklift battery.",
    'Residents were furious as the "temporary" shelter closed, according to a wire agency.',
    '"We will rebuild the quay," said Mayor Ilsa Moravec.',
]
LEDGER = [
    "The cause of the fire at the quay has not been found.",
    "Strikers gathered at the quay on Monday.",
]


def _courier() -> AnalyzedArticle:
    doc = make_article("Harbor Courier", COURIER, cues=[("reportedly", "hedge")], embed=False)
    text = doc.text
    q = text.index("We will rebuild the quay,")
    m = text.index("Ilsa Moravec")
    s = text.index("temporary")
    from storyscope.model import Span

    quotes = (
        Quote(start=s, end=s + 9, text="temporary", speaker=None, kind="scare"),
        Quote(
            start=q,
            end=q + 25,
            text=text[q : q + 25],
            speaker="Ilsa Moravec",
            speaker_mention=Span(m, m + 12),
            cue="said",
        ),
    )
    return dataclasses.replace(doc, quotes=quotes)


def _framing(courier: AnalyzedArticle, ledger: AnalyzedArticle) -> Framing:
    h = courier.text.index("reportedly")
    return Framing(
        labels=(
            Label(
                concept="strikers", variants=((ledger.id, "Strikers"), (courier.id, "Residents"))
            ),
        ),
        hedges=(Citation(article=courier.id, start=h, end=h + 10, text="reportedly"),),
    )


def _profiles() -> tuple[tuple[AnalyzedArticle, AnalyzedArticle], tuple[OutletProfile, ...]]:
    courier = _courier()
    ledger = make_article("Valdmark Ledger", LEDGER, embed=False)
    return (courier, ledger), find_outlet_profiles([courier, ledger], _framing(courier, ledger))


def test_hedge_is_attached_to_the_sentence_it_hedges() -> None:
    (courier, _), profiles = _profiles()
    hedges = {h.kind: h for h in profiles[0].hedges}
    assert hedges["hedge"].hedge.text == "reportedly"
    assert hedges["hedge"].claim.text == COURIER[0]


def test_scare_quote_is_cited_with_its_marks_and_claim() -> None:
    _, profiles = _profiles()
    (scare,) = [h for h in profiles[0].hedges if h.kind == "scare_quote"]
    assert scare.hedge.text == '"temporary"'
    assert scare.claim.text == COURIER[1]


def test_profile_measures_sources_media_loaded_language_and_labels() -> None:
    (courier, ledger), (pc, pl) = _profiles()
    assert pc.outlet == "Harbor Courier" and pc.articles == (courier.id,)
    assert pc.words == courier.article.word_count
    (source,) = pc.sources
    assert source.name == "Ilsa Moravec" and source.kind == "official"
    assert [c.text for c in pc.media] == ["according to a wire agency"]
    assert [(t.citation.text, t.category) for t in pc.loaded] == [("furious", "emotive")]
    assert [(u.concept, u.citation.text) for u in pl.labels] == [("strikers", "Strikers")]
    assert pl.hedges == () and pl.sources == () and pl.media == ()


def test_every_profile_citation_is_an_exact_span() -> None:
    docs, profiles = _profiles()
    text = {d.id: d.text for d in docs}
    for p in profiles:
        cites = [h.hedge for h in p.hedges] + [h.claim for h in p.hedges]
        cites += [*p.media, *p.anonymous_sources, *(t.citation for t in p.loaded)]
        cites += [u.citation for u in p.labels]
        cites += [c for s in p.sources for c in (*s.quotes, *([s.evidence] if s.evidence else []))]
        for c in cites:
            assert text[c.article][c.start : c.end] == c.text


def test_one_outlet_story_still_gets_its_measures_and_empty_text_divides_by_nothing() -> None:
    courier = _courier()
    empty = make_article("Empty Wire", [""], embed=False)
    (only,) = find_outlet_profiles([courier], Framing())
    assert only.loaded and only.sources and only.per_1000_words(len(only.loaded)) > 0
    (blank,) = find_outlet_profiles([empty], Framing())
    assert blank.words == 0 and blank.per_1000_words(3) == 0.0
    row = to_dict(Story(articles=(empty,), outlets=(blank,)))["framing"]["outlets"]["Empty Wire"]
    assert row["loaded_terms_per_1000_words"] == 0.0 and row["quoted_share"] == 0.0


def test_two_articles_of_one_outlet_are_summed() -> None:
    a = make_article("Harbor Courier", ["Critics were furious."], embed=False)
    b = make_article("Harbor Courier", ["Neighbours were furious too."], embed=False)
    (profile,) = find_outlet_profiles([a, b], Framing())
    assert profile.articles == (a.id, b.id)
    assert {t.citation.article for t in profile.loaded} == {a.id, b.id}


def test_align_puts_profiles_on_the_story() -> None:
    courier = make_article("Harbor Courier", COURIER, cues=[("reportedly", "hedge")])
    ledger = make_article("Valdmark Ledger", LEDGER)
    story = align([courier, ledger])
    assert [p.outlet for p in story.outlets] == ["Harbor Courier", "Valdmark Ledger"]
    assert story.outlets[0].hedges[0].claim.text == COURIER[0]


def _story() -> Story:
    docs, profiles = _profiles()
    framing = _framing(*docs)
    return Story(articles=docs, framing=framing, outlets=profiles)


def test_json_outlet_table_validates_and_carries_evidence() -> None:
    report = to_dict(_story())
    validate(report)
    row = report["framing"]["outlets"]["Harbor Courier"]
    assert row["named_sources"] == 1 and row["source_kinds"]["official"] == 1
    assert row["media_reliance"] == 1 and row["media"][0]["text"] == "according to a wire agency"
    assert row["loaded_terms"] == 1 and row["loaded"][0]["span"]["text"] == "furious"
    assert row["scare_quotes"] == 1
    assert row["hedged_claims"][0]["claim"]["text"] == COURIER[0]
    assert 0 < row["quoted_share"] <= 1
    assert row["quoted_share_by_kind"]["official"] == row["quoted_share"]
    assert report["warnings"] == []
    json.dumps(report, allow_nan=False)


def test_markdown_outlet_table_and_evidence() -> None:
    text = render_markdown(_story())
    assert "| Outlet | Words | Quotes | Named sources |" in text
    assert "#### Evidence: Harbor Courier" in text
    assert "other media: Harbor Courier ¶1" in text and "“according to a wire agency”" in text
    assert "loaded (emotive" in text and "“furious”" in text


def test_html_outlet_table_has_one_column_per_outlet_and_links_to_spans() -> None:
    story = _story()
    page = render_html(story)
    table = page[page.index('<table class="outlets-compared">') :]
    table = table[: table.index("</table>")]
    assert "<th>Harbor Courier</th><th>Valdmark Ledger</th>" in table
    courier = story.articles[0]
    f = courier.text.index("furious")
    anchor = f"a-{courier.id}-{f}-{f + 7}"
    assert f'href="#{anchor}"' in table
    assert f'id="{anchor}"' in page and "hl-loaded" in page


_SENT = st.sampled_from(
    [
        "Critics were furious about the so-called plan.",
        "The plant reportedly leaked.",
        "According to Reuters, the quay closed.",
        "An official who asked not to be named said it was toxic.",
        "Strikers were very angry.",
    ]
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_SENT, min_size=1, max_size=4, unique=True), min_size=1, max_size=3))
def test_any_story_renders_a_valid_outlet_table(docs: list[list[str]]) -> None:
    arts = [make_article(f"Outlet {k}", sents) for k, sents in enumerate(docs)]
    story = align(arts)
    report = to_dict(story)
    validate(report)
    assert set(report["framing"]["outlets"]) == {a.article.outlet for a in story.articles}
    assert not [w for w in report["warnings"] if "citation" in w]
