"""Acceptance test: framing and sourcing on the shipped Port Aster example.

``examples/port-aster.TRAPS.md`` plants variant names (Kelsund / Kelsünd; strikers /
protesters / union militants), a hedge ("reportedly", Velmora Daily Post only) and an
anonymous source (Harbour Watch only). This checks that the outlet profiles find them,
with exact spans, and that the outlet table renders in JSON, Markdown and HTML.
Articles are identified by outlet name, never by id.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "port-aster"

LEDGER = "The Aster Ledger"
WIRE = "Coastline Wire"
POST = "Velmora Daily Post"
WATCH = "Harbour Watch"
TRIBUNE = "Northern Tribune"

HEDGED = (
    "The blaze was reportedly started by a faulty forklift battery that overheated inside the "
    "Greyling Logistics storage hall, where drums of solvents and sacks of fertiliser were "
    "piled to the ceiling."
)
ANONYMOUS = (
    "A senior port official who asked not to be named said the warehouse's sprinkler system "
    "had been switched off since January while a replacement pump was on order."
)


@pytest.fixture(scope="module")
def story() -> Any:
    import storyscope

    return storyscope.compare([str(EXAMPLE)])


@pytest.fixture(scope="module")
def report(story: Any) -> dict[str, Any]:
    from storyscope.report import to_dict

    return to_dict(story)


@pytest.fixture(scope="module")
def rows(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return dict(report["framing"]["outlets"])


@pytest.fixture(scope="module")
def texts(report: dict[str, Any]) -> dict[str, str]:
    return {a["outlet"]: a["text"] for a in report["articles"]}


def _span(text: str, sentence: str) -> tuple[int, int]:
    start = text.find(sentence)
    assert start >= 0, sentence
    return start, start + len(sentence)


def _row_citations(row: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for h in row["hedged_claims"]:
        yield h["hedge"]
        yield h["claim"]
    for s in row["sources"]:
        yield from s["quotes"]
        if s["evidence"]:
            yield s["evidence"]
    yield from row["media"]
    for t in row["loaded"]:
        yield t["span"]
    for u in row["labels"]:
        yield u["span"]


def test_every_outlet_has_a_profile_and_every_span_is_exact(
    report: dict[str, Any], rows: dict[str, dict[str, Any]]
) -> None:
    from storyscope.report import validate

    validate(report)
    assert set(rows) == {LEDGER, WIRE, POST, WATCH, TRIBUNE}
    text_of = {a["id"]: a["text"] for a in report["articles"]}
    for outlet, row in rows.items():
        for c in _row_citations(row):
            assert text_of[c["article"]][c["start"] : c["end"]] == c["text"], outlet
    assert not [w for w in report["warnings"] if "citation" in w]


def test_planted_hedge_is_attached_to_its_claim_in_the_daily_post_only(
    rows: dict[str, dict[str, Any]], texts: dict[str, str]
) -> None:
    lo, hi = _span(texts[POST], HEDGED)
    hedges = [h for h in rows[POST]["hedged_claims"] if h["kind"] == "hedge"]
    hit = [h for h in hedges if h["hedge"]["text"].lower() == "reportedly"]
    assert hit, hedges
    assert lo <= hit[0]["claim"]["start"] <= hit[0]["hedge"]["start"]
    assert hit[0]["hedge"]["end"] <= hit[0]["claim"]["end"] <= hi
    assert rows[POST]["hedges_per_1000_words"] > 0
    for outlet, row in rows.items():
        words = {h["hedge"]["text"].lower() for h in row["hedged_claims"]}
        if outlet != POST:
            assert not words & {"reportedly", "allegedly"}, outlet


def test_planted_anonymous_source_is_an_unnamed_official_in_harbour_watch_only(
    rows: dict[str, dict[str, Any]], texts: dict[str, str]
) -> None:
    lo, hi = _span(texts[WATCH], ANONYMOUS)
    row = rows[WATCH]
    assert row["anonymous_sources"] >= 1
    unnamed = [s for s in row["sources"] if s["anonymous"] and s["evidence"]]
    inside = [s for s in unnamed if lo <= s["evidence"]["start"] < hi]
    assert inside and inside[0]["kind"] == "official", unnamed
    for outlet, other in rows.items():
        if outlet != WATCH:
            assert other["anonymous_sources"] == 0, outlet


def test_planted_variant_names_are_per_outlet_labels(rows: dict[str, dict[str, Any]]) -> None:
    terms = {o: {u["span"]["text"] for u in row["labels"]} for o, row in rows.items()}
    assert "Kelsünd" in terms[TRIBUNE]
    assert any("Kelsund" in terms[o] for o in (LEDGER, WIRE, POST, WATCH))
    striking = {
        o: {u["span"]["text"].lower() for u in row["labels"] if u["concept"] == "striking workers"}
        for o, row in rows.items()
    }
    assert "union militants" in striking[TRIBUNE]
    assert len({o for o, t in striking.items() if t}) >= 2


def test_sources_are_typed_from_their_descriptions(rows: dict[str, dict[str, Any]]) -> None:
    kinds = {
        (o, s["name"]): s["kind"] for o, row in rows.items() for s in row["sources"] if s["name"]
    }
    for outlet in (LEDGER, WIRE, POST):
        assert kinds[(outlet, "Tomas Reyl")] == "official"  # "Mayor Tomas Reyl"
    assert kinds[(LEDGER, "Petra Vosk")] == "ngo"  # "the union's general secretary"
    assert kinds[(WATCH, "Anton Arvel")] == "ordinary"  # "a crane operator"
    assert kinds[(WATCH, "Dario Fennick")] == "ordinary"
    assert kinds[(POST, "Elsa Marrin")] == "ordinary"  # "mother-of-two"
    assert kinds[(TRIBUNE, "Bram Idris")] == "official"  # "Councillor Bram Idris"
    for row in rows.values():
        assert abs(sum(row["quoted_share_by_kind"].values()) - row["quoted_share"]) < 0.01


def test_tabloid_loaded_language_and_no_media_reliance_on_itself(
    rows: dict[str, dict[str, Any]],
) -> None:
    own = {
        o: {t["span"]["text"].lower() for t in row["loaded"] if not t["quoted"]}
        for o, row in rows.items()
    }
    assert {"furious", "toxic", "inferno"} <= own[POST]
    assert "militants" in own[TRIBUNE]
    rate = {o: row["loaded_terms_per_1000_words"] for o, row in rows.items()}
    assert max(rate, key=lambda o: rate[o]) == POST
    assert rows[WIRE]["loaded_terms"] == 0
    # "he told the Tribune on Wednesday" is the Tribune's own reporting.
    assert rows[TRIBUNE]["media_reliance"] == 0


def test_outlet_table_renders_in_markdown_and_html(story: Any) -> None:
    from storyscope.report import render_html, render_markdown

    md = render_markdown(story)
    assert "### Outlets compared" in md
    for outlet in (LEDGER, WIRE, POST, WATCH, TRIBUNE):
        assert f"#### Evidence: {outlet}" in md
    page = render_html(story)
    table = page[page.index('<table class="outlets-compared">') :]
    table = table[: table.index("</table>")]
    assert table.count("<th>") == 6  # "Measure" + one column per outlet
    assert "Reliance on other media" in table and "Loaded language" in table
    assert table.count('class="ev-link') >= 20
