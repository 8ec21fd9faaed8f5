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


# Three patterns from real coverage, in one invented story: a namesake printed for
# the person meant ("Loretta" / "Linda Sánchez"), an event dated to different
# weekdays around a long quotation, and a preview of an event another outlet
# reports done.
NAMES_DAYS_PREVIEW = {
    "Harbor Courier": (
        "Councillor Marta Olsen won the vote for deputy chair of the Velmora harbour board, "
        "defeating fellow councillor Ivo Brand. "
        "The row began with remarks to the Coast Review published Saturday. "
        "The mayor will open the Tarn Street bridge on Friday."
    ),
    "Daily Lantern": (
        "In a close vote, 9 to 7, Councillor Greta Ólsen defeated Councillor Ivo Brand to become "
        "deputy chair of the Velmora harbour board. "
        "\u201cI cannot imagine this harbour run by people who never sailed,\u201d the mayor told "
        "the Coast Review in an interview published Sunday. "
        "The mayor opened the Tarn Street bridge on Friday."
    ),
}


def test_namesake_weekday_and_preview_conflicts_are_found(pipeline) -> None:  # type: ignore[no-untyped-def]
    articles = [
        Article.create(text=text, source=f"{name}.txt", outlet=name)
        for name, text in NAMES_DAYS_PREVIEW.items()
    ]
    story = align(pipeline.analyze_many(articles))
    by_kind: dict[str, list[str]] = {}
    for con in story.contradictions:
        by_kind.setdefault(con.kind, []).append(con.explanation)
    assert any("Marta Olsen" in e and "Greta \u00d3lsen" in e for e in by_kind.get("entity", [])), (
        story.contradictions
    )
    assert any("Saturday" in e and "Sunday" in e for e in by_kind.get("date", [])), by_kind
    status = by_kind.get("status", [])
    assert any("open" in e and "planned" in e for e in status), by_kind
    for con in story.contradictions:
        for side in (con.a, con.b):
            doc = next(a for a in story.articles if a.id == side.article)
            assert doc.text[side.start : side.end] == side.text
