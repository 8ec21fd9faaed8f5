"""One end-to-end check with the real analyze pipeline (spaCy + MiniLM)."""

from __future__ import annotations

import pytest

from storyscope.align import align
from storyscope.model import Article

pytestmark = pytest.mark.slow

TEXTS = {
    "Harbor Courier": (
        "The Velmora city council approved $40 million on Tuesday to rebuild the Tarn Street "
        "bridge. Two firefighters were injured when part of the bridge collapsed last week. "
        '"We will rebuild it stone by stone," Mayor Ana Ruiz said.'
    ),
    "Daily Lantern": (
        "On Tuesday the Velmora city council approved $52 million to rebuild the Tarn Street "
        "bridge. Two firefighters were hurt in last week's partial collapse of the bridge. "
        '"We will rebuild it stone by stone, whatever it costs," Mayor Ana Ruiz said.'
    ),
    "Coast Weekly": (
        "Velmora's council voted on Tuesday to spend $40 million rebuilding the Tarn Street "
        "bridge. Shop owners near the bridge said they had lost customers for months."
    ),
}


@pytest.fixture(scope="module")
def pipeline():  # type: ignore[no-untyped-def]
    try:
        from storyscope.analyze import Pipeline

        return Pipeline()
    except Exception as exc:  # pragma: no cover - depends on the analyze helper's work
        pytest.skip(f"analyze pipeline unavailable: {exc}")


def test_real_pipeline_then_align_finds_the_money_conflict(pipeline) -> None:  # type: ignore[no-untyped-def]
    articles = [
        Article.create(text=text, source=f"{name}.txt", outlet=name) for name, text in TEXTS.items()
    ]
    analyzed = pipeline.analyze_many(articles)
    story = align(analyzed)
    by_id = {a.id: a for a in story.articles}
    numbers = [c for c in story.contradictions if c.kind == "number"]
    assert numbers, story.contradictions
    for con in numbers:
        assert "52" in con.a.text + con.b.text
    assert story.facts[0].status in {"consensus", "contested"}
    assert len(story.facts[0].outlets) >= 2
    for s in story.summary:
        for cite in s.citations:
            assert by_id[cite.article].text[cite.start : cite.end] == cite.text


PREVIEW_AND_OUTCOME = {
    "Harbor Courier": (
        "VELMORA — The Velmora city council is expected to approve the Tarn Street bridge levy "
        "on Thursday. Shop owners near the bridge said they had lost customers for months. "
        "The levy would add two kroner to every crossing."
    ),
    "Daily Lantern": (
        "VELMORA — The Velmora city council approved the Tarn Street bridge levy on Thursday. "
        "The levy adds two kroner to every crossing. "
        "Shop owners near the bridge said they had lost customers for months."
    ),
    "Coast Weekly": (
        "Velmora's council approved a levy for the Tarn Street bridge on Thursday evening. "
        "Every crossing will cost two kroner more under the levy. "
        "Ferry operators welcomed the decision."
    ),
}


def test_summary_leads_with_the_completed_event_without_a_dateline(pipeline) -> None:  # type: ignore[no-untyped-def]
    articles = [
        Article.create(text=text, source=f"{name}.txt", outlet=name)
        for name, text in PREVIEW_AND_OUTCOME.items()
    ]
    story = align(pipeline.analyze_many(articles))
    by_id = {a.id: a for a in story.articles}
    first = story.summary[0]
    assert first.section == "consensus"
    # The outcome ("approved"), not the preview ("is expected to approve"), and no dateline.
    assert "approved" in first.text and "expected" not in first.text, first.text
    assert not first.text.startswith("VELMORA")
    lead = next(f for f in story.facts if "approved" in f.statement)
    assert not lead.statement.startswith("VELMORA")
    texts = [s.text for s in story.summary]
    assert len(texts) == len(set(texts)), "a sentence is told twice"
    assert 1 <= len(texts) <= 8
    for s in story.summary:
        for cite in s.citations:
            assert by_id[cite.article].text[cite.start : cite.end] == cite.text
