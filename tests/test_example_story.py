"""Acceptance test: the shipped Port Aster example, end to end.

The example (``examples/port-aster/``) has five invented outlets covering one invented
event, with traps planted on purpose; ``examples/port-aster.TRAPS.md`` lists each one
with the exact sentences involved. The first group of tests checks the example files
themselves (no NLP needed). The rest run the whole pipeline once per module and
check, against the JSON report contract, that every trap is found, that nothing is
invented (no false contradictions), and that every span is exact.

Articles are identified by outlet name, never by id.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
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
OUTLETS = {LEDGER, WIRE, POST, WATCH, TRIBUNE}

FILES = {
    LEDGER: "aster-ledger.txt",
    WIRE: "coastline-wire.txt",
    POST: "velmora-daily-post.html",
    WATCH: "harbour-watch.txt",
    TRIBUNE: "northern-tribune.txt",
}

# Boilerplate that must leave the text, with a word its removal reason must contain.
GLUED = {
    WATCH: [("If you value our reporting, please donate today", ("donation",))],
    LEDGER: [
        ("Ines Halloran covers city hall for the Ledger.", ("bio",)),
        ("Sign up for our newsletter to get Port Aster news", ("newsletter",)),
    ],
    WIRE: [("Updated 4:15 p.m.", ("update", "timestamp"))],
    TRIBUNE: [("Read more: Northern ports face new questions", ("related", "continue", "read"))],
}
KEPT_DONATIONS = "said donations for displaced families had passed $210,000 by Wednesday morning"

# Page furniture of the HTML example that must never reach the article text.
HTML_FURNITURE = [
    "We use cookies",
    "Accept all",
    "Most read",
    "Pop star",
    "Sign up for our free newsletter",
    "Related stories",
    "Night of terror",
    "$60 million",
    "HarbourLad88",
    "Add your comment",
    "All rights reserved",
    "Privacy",
]


def _raw(outlet: str) -> str:
    return (EXAMPLE / FILES[outlet]).read_text(encoding="utf-8")


def _front_matter(raw: str) -> tuple[dict[str, str], str]:
    match = re.match(r"---\n(.*?)\n---\n(.*)\Z", raw, re.S)
    assert match, "front matter missing"
    meta = dict(line.split(": ", 1) for line in match.group(1).splitlines())
    return meta, match.group(2)


# --------------------------------------------------------------------------------------
# The example files themselves (no pipeline needed)
# --------------------------------------------------------------------------------------


def test_traps_md_quotes_are_verbatim() -> None:
    traps = (EXAMPLE.parent / "port-aster.TRAPS.md").read_text(encoding="utf-8")
    quoted = [m.group(1) for m in re.finditer(r"^\s*> (.+)$", traps, re.M)]
    assert len(quoted) >= 25
    raws = [_raw(outlet) for outlet in OUTLETS]
    for sentence in quoted:
        hits = sum(sentence in raw for raw in raws)
        assert hits == 1, f"TRAPS.md quotes a sentence found in {hits} files: {sentence!r}"


@pytest.mark.parametrize("outlet", sorted(OUTLETS - {POST}))
def test_text_example_has_front_matter_and_news_length(outlet: str) -> None:
    meta, body = _front_matter(_raw(outlet))
    assert set(meta) == {"outlet", "title", "byline", "published", "url"}
    assert meta["outlet"] == outlet
    dt.date.fromisoformat(meta["published"])
    assert re.fullmatch(r"https://[a-z]+\.example/\S+", meta["url"])
    assert 380 <= len(body.split()) <= 900
    assert "\n\n" in body and "\r" not in body


def test_html_example_is_a_full_page_without_external_resources() -> None:
    html = _raw(POST)
    for needle in (
        "<!DOCTYPE html>",
        "<title>",
        'property="og:site_name" content="Velmora Daily Post"',
        'property="article:published_time" content="2026-03-11T06:30:00+01:00"',
        'name="author" content="Rick Dawlish"',
        "<nav",
        "cookie",
        "Most read",
        "<article>",
        "<h1>",
        'class="byline"',
        "newsletter",
        'class="related"',
        'class="comments"',
        "<footer",
        "&copy; 2026",
    ):
        assert needle in html, needle
    hosts = {m.group(1) for m in re.finditer(r"(?:https?:)?//([\w.-]+)", html)}
    assert hosts and all(host.endswith(".example") for host in hosts), hosts
    body = re.sub(r"<[^>]+>", " ", html[html.index("<figure>") : html.index('class="related"')])
    assert 380 <= len(body.split()) <= 900


def test_each_trap_is_planted_where_traps_md_says() -> None:
    raw = {outlet: _raw(outlet) for outlet in OUTLETS}

    def where(pattern: str) -> set[str]:
        return {o for o, text in raw.items() if re.search(pattern, text)}

    assert where(r"reportedly|allegedly") == {POST}
    assert where(r"asked not to be named") == {WATCH}
    assert where(r"Kelsünd") == {TRIBUNE}
    assert where(r"Kelsund") == OUTLETS - {TRIBUNE}
    assert where(r"[Ff]irefighter") == OUTLETS - {WIRE}
    assert where(r"\$52 million") == {POST}
    assert where(r"\$40 million") == {LEDGER, WIRE, WATCH}
    assert where(r"May 15") == {TRIBUNE}
    assert where(r"April 30") == {LEDGER, WIRE}
    assert where(r"did not approve the union's demand for hazard pay") == {LEDGER}
    assert where(r"council approved hazard pay") == {TRIBUNE}
    assert where(r"rebuild this harbour, and we will do it within a year") == {LEDGER, WIRE}
    assert where(r"rebuild this harbour within a year") == {POST}


# --------------------------------------------------------------------------------------
# The whole pipeline, run once
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def story() -> Any:
    import storyscope

    return storyscope.compare([str(EXAMPLE)])


@pytest.fixture(scope="module")
def report(story: Any) -> dict[str, Any]:
    from storyscope.report import to_dict

    return to_dict(story)


@pytest.fixture(scope="module")
def art(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Articles of the report by outlet."""
    return {a["outlet"]: a for a in report["articles"]}


@pytest.fixture(scope="module")
def outlet_of(report: dict[str, Any]) -> dict[str, str]:
    """Article id -> outlet."""
    return {a["id"]: a["outlet"] for a in report["articles"]}


def _span_of(article: dict[str, Any], sentence: str) -> tuple[int, int]:
    start = article["text"].find(sentence)
    assert start >= 0, f"{article['outlet']}: sentence missing from text: {sentence!r}"
    return start, start + len(sentence)


def _inside(cite: dict[str, Any], span: tuple[int, int]) -> bool:
    return bool(span[0] <= cite["start"] and cite["end"] <= span[1])


def _overlaps(cite: dict[str, Any], span: tuple[int, int]) -> bool:
    return bool(cite["start"] < span[1] and span[0] < cite["end"])


def _sides(contradiction: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    return contradiction["a"], contradiction["b"]


def _citations(report: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every span-carrying record in the report, with where it came from."""
    for quote in report["quotes"]:
        yield "quote", quote
    for variant in report["quote_variants"]:
        for member in variant["members"]:
            if "start" in member:
                yield "quote_variant member", member
    for fact in report["facts"]:
        for cite in fact["support"]:
            yield f"support of {fact['id']}", cite
    for contradiction in report["contradictions"]:
        yield "contradiction a", contradiction["a"]
        yield "contradiction b", contradiction["b"]
    for key in ("hedges", "anonymous_sources"):
        for cite in report["framing"][key]:
            yield key, cite
    for sentence in report["summary"]:
        for cite in sentence["citations"]:
            yield "summary citation", cite


def test_report_validates_and_is_plain_json(report: dict[str, Any]) -> None:
    from storyscope.report import validate

    validate(report)
    json.dumps(report, allow_nan=False)


def test_all_five_outlets_are_read_without_failures(report: dict[str, Any]) -> None:
    assert {a["outlet"] for a in report["articles"]} == OUTLETS
    assert len(report["articles"]) == 5
    assert report["failures"] == []


def test_publication_dates_come_from_the_files(art: dict[str, dict[str, Any]]) -> None:
    expected = {
        WIRE: "2026-03-10",
        LEDGER: "2026-03-11",
        POST: "2026-03-11",
        WATCH: "2026-03-11",
        TRIBUNE: "2026-03-12",
    }
    for outlet, day in expected.items():
        assert (art[outlet]["published"] or "").startswith(day), outlet


def test_every_section_is_populated(report: dict[str, Any]) -> None:
    for key in ("quotes", "quote_variants", "facts", "contradictions", "omissions", "summary"):
        assert report[key], f"{key} is empty"
    for key in ("labels", "hedges", "anonymous_sources"):
        assert report["framing"][key], f"framing.{key} is empty"


def test_every_span_is_exact(report: dict[str, Any]) -> None:
    text_of = {a["id"]: a["text"] for a in report["articles"]}
    checked = 0
    for where, cite in _citations(report):
        assert cite["article"] in text_of, f"{where}: unknown article {cite['article']}"
        text = text_of[cite["article"]]
        assert 0 <= cite["start"] <= cite["end"] <= len(text), where
        assert text[cite["start"] : cite["end"]] == cite["text"], where
        checked += 1
    assert checked > 50


def test_every_summary_sentence_is_cited(report: dict[str, Any]) -> None:
    for sentence in report["summary"]:
        assert sentence["text"].strip()
        assert sentence["citations"], f"uncited summary sentence: {sentence['text']!r}"
    sections = {sentence["section"] for sentence in report["summary"]}
    assert {"consensus", "differences"} <= sections


def test_facts_include_cross_outlet_consensus(report: dict[str, Any]) -> None:
    assert {f["status"] for f in report["facts"]} <= {"consensus", "single_source", "contested"}
    assert any(f["status"] == "consensus" and len(f["outlets"]) >= 3 for f in report["facts"])


# --- trap 1: boilerplate --------------------------------------------------------------


@pytest.mark.parametrize("outlet", sorted(GLUED))
def test_glued_boilerplate_is_removed_with_a_reason(
    art: dict[str, dict[str, Any]], outlet: str
) -> None:
    article = art[outlet]
    raw = _raw(outlet)
    for removed in article["removed"]:
        assert removed["text"].strip() in raw, f"removed text not from the file: {removed!r}"
    for needle, reason_words in GLUED[outlet]:
        assert needle not in article["text"], f"{outlet}: boilerplate kept: {needle!r}"
        matches = [r for r in article["removed"] if needle in r["text"]]
        assert matches, f"{outlet}: {needle!r} not listed in removed"
        reason = matches[0]["reason"].lower()
        assert any(word in reason for word in reason_words), (needle, reason)


def test_reporting_about_donations_is_kept(art: dict[str, dict[str, Any]]) -> None:
    assert KEPT_DONATIONS in art[WATCH]["text"]
    assert not any(KEPT_DONATIONS in r["text"] for r in art[WATCH]["removed"])
    assert "Dario Fennick, 58, ran a ship chandlery" in art[WATCH]["text"]
    assert "Greyling Logistics said in a statement" in art[LEDGER]["text"]


def test_html_page_furniture_stays_out_of_the_text(art: dict[str, dict[str, Any]]) -> None:
    text = art[POST]["text"]
    for needle in HTML_FURNITURE:
        assert needle not in text, f"page furniture in article text: {needle!r}"
    assert "threw $52 million at its poisoned harbour yesterday" in text
    assert "claw back every penny from Greyling" in text
    assert "not to eat vegetables from their gardens" in text


# --- trap 2: split quote with a pronoun -------------------------------------------------


def test_split_quote_halves_are_attributed_to_the_named_speaker(
    report: dict[str, Any], art: dict[str, dict[str, Any]]
) -> None:
    watch_quotes = [q for q in report["quotes"] if q["article"] == art[WATCH]["id"]]
    for half in ("We lost everything in an hour", "The insurers have not called once"):
        found = [q for q in watch_quotes if half in q["text"]]
        assert found, f"quote not found: {half!r}"
        assert len(found[0]["text"]) < 60, "the two halves must be separate quotes"
        assert "Fennick" in (found[0]["speaker"] or ""), found[0]


def test_mayor_is_named_as_speaker_of_his_quote(
    report: dict[str, Any], art: dict[str, dict[str, Any]]
) -> None:
    for outlet in (LEDGER, WIRE, POST):
        found = [
            q
            for q in report["quotes"]
            if q["article"] == art[outlet]["id"] and "rebuild this harbour" in q["text"]
        ]
        assert found, outlet
        assert "Reyl" in (found[0]["speaker"] or ""), (outlet, found[0])


# --- trap 3: misquote -----------------------------------------------------------------


def test_misquote_is_a_quote_variant_naming_the_dropped_words(
    report: dict[str, Any], outlet_of: dict[str, str]
) -> None:
    variants = [
        v
        for v in report["quote_variants"]
        if any("rebuild this harbour" in m["text"] for m in v["members"])
    ]
    assert len(variants) == 1, variants
    variant = variants[0]
    assert "Reyl" in (variant["speaker"] or "")
    outlets = {outlet_of[m["article"]] for m in variant["members"]}
    assert POST in outlets and outlets & {LEDGER, WIRE}, outlets
    differences = " ".join(variant["differences"]).lower()
    assert "do it" in differences, variant["differences"]


def test_identical_quotes_are_not_reported_as_variants(report: dict[str, Any]) -> None:
    for variant in report["quote_variants"]:
        texts = {re.sub(r"\W+", " ", m["text"]).strip().lower() for m in variant["members"]}
        assert len(texts) >= 2, variant


# --- trap 4 and 5: numbers -------------------------------------------------------------


def test_funding_figure_conflict_is_a_number_contradiction(
    report: dict[str, Any], outlet_of: dict[str, str]
) -> None:
    found = []
    for c in report["contradictions"]:
        if c["kind"] != "number":
            continue
        for one, other in (_sides(c), _sides(c)[::-1]):
            if (
                outlet_of[one["article"]] == POST
                and "52" in one["text"]
                and outlet_of[other["article"]] in {LEDGER, WIRE, WATCH}
                and "40" in other["text"]
            ):
                found.append(c)
    assert found, [c["explanation"] for c in report["contradictions"]]
    assert all("52" in c["explanation"] and "40" in c["explanation"] for c in found)
    # The Ledger and the Wire both print $40 million in the same lead-sentence fact.
    against_post = {
        outlet_of[side["article"]]
        for c in found
        for side in _sides(c)
        if outlet_of[side["article"]] != POST
    }
    assert {LEDGER, WIRE} <= against_post, against_post


def test_every_number_contradiction_is_about_the_52_million(
    report: dict[str, Any], outlet_of: dict[str, str]
) -> None:
    for c in report["contradictions"]:
        if c["kind"] == "number":
            sides = _sides(c)
            assert any(outlet_of[s["article"]] == POST and "52" in s["text"] for s in sides), c


def _is_evacuee_count(text: str) -> bool:
    return "residents" in text and bool(re.search(r"\b(300|340)\b|Hundreds", text))


def _is_test_delay(text: str) -> bool:
    return "within three days" in text or "between 6 hours and 3 days" in text


@pytest.mark.parametrize("is_same_fact", [_is_evacuee_count, _is_test_delay])
def test_compatible_figures_are_not_contradictions(
    report: dict[str, Any], is_same_fact: Any
) -> None:
    for c in report["contradictions"]:
        a, b = _sides(c)
        assert not (is_same_fact(a["text"]) and is_same_fact(b["text"])), c["explanation"]


# --- trap 6: negation -------------------------------------------------------------------


def test_hazard_pay_negation_is_a_polarity_contradiction(
    report: dict[str, Any], outlet_of: dict[str, str]
) -> None:
    found = [
        c
        for c in report["contradictions"]
        if c["kind"] == "polarity"
        and {outlet_of[s["article"]] for s in _sides(c)} == {LEDGER, TRIBUNE}
        and all("hazard pay" in s["text"] for s in _sides(c))
    ]
    assert found, [c["explanation"] for c in report["contradictions"]]


# --- traps 7 and 8: hedge and anonymous source -------------------------------------------


def test_hedged_cause_is_cited(report: dict[str, Any], art: dict[str, dict[str, Any]]) -> None:
    span = _span_of(art[POST], "The blaze was reportedly started by a faulty forklift battery")
    hedges = [h for h in report["framing"]["hedges"] if h["article"] == art[POST]["id"]]
    assert any(_overlaps(h, span) and "reportedly" in h["text"] for h in hedges), hedges


def test_anonymous_source_is_cited(report: dict[str, Any], art: dict[str, dict[str, Any]]) -> None:
    sentence = "A senior port official who asked not to be named said"
    span = _span_of(art[WATCH], sentence)
    cues = [c for c in report["framing"]["anonymous_sources"] if c["article"] == art[WATCH]["id"]]
    assert any(_overlaps(c, (span[0], span[0] + len(sentence))) for c in cues), cues
    others = [c for c in report["framing"]["anonymous_sources"] if c["article"] != art[WATCH]["id"]]
    assert others == [], "no other outlet uses an unnamed source"


# --- trap 9: spelling and labelling variants ---------------------------------------------


def _label_terms(label: dict[str, Any], outlet_of: dict[str, str]) -> dict[str, str]:
    """Outlet -> lower-cased term of one label."""
    return {outlet_of[aid]: term.lower() for aid, term in label["variants"].items()}


def test_place_spelling_variant_is_a_label(
    report: dict[str, Any], outlet_of: dict[str, str]
) -> None:
    labels = [_label_terms(label, outlet_of) for label in report["framing"]["labels"]]
    assert any(
        terms.get(TRIBUNE) == "kelsünd"
        and any(term == "kelsund" for outlet, term in terms.items() if outlet != TRIBUNE)
        for terms in labels
    ), report["framing"]["labels"]


def test_strikers_labelling_variant_is_a_label(
    report: dict[str, Any], outlet_of: dict[str, str]
) -> None:
    names = {"strikers", "striking dock workers", "protesters", "union militants", "militants"}
    labels = [_label_terms(label, outlet_of) for label in report["framing"]["labels"]]
    assert any(len({term for term in terms.values() if term in names}) >= 2 for terms in labels), (
        report["framing"]["labels"]
    )


# --- trap 10: omission -------------------------------------------------------------------


def test_wire_omits_the_injured_firefighters(
    report: dict[str, Any], outlet_of: dict[str, str]
) -> None:
    facts = {f["id"]: f for f in report["facts"]}

    def about_firefighters(fact_id: str) -> bool:
        fact = facts[fact_id]
        texts: Iterable[str] = [fact["statement"], *(s["text"] for s in fact["support"])]
        return any("firefighters were injured" in t.lower() for t in texts)

    omitted_by = {
        outlet_of[o["article"]] for o in report["omissions"] if about_firefighters(o["fact"])
    }
    assert omitted_by == {WIRE}, omitted_by


# --- trap 11: dates --------------------------------------------------------------------


def test_relative_dates_resolve_to_the_vote_day(art: dict[str, dict[str, Any]]) -> None:
    for outlet, word in (
        (LEDGER, "tuesday"),
        (WIRE, "tuesday"),
        (WATCH, "tuesday"),
        (TRIBUNE, "tuesday"),
        (POST, "yesterday"),
    ):
        times = [t for t in art[outlet]["times"] if word in t["text"].lower()]
        assert times, f"{outlet}: no time expression for {word!r}"
        for t in times:
            assert (t["value"] or "").startswith("2026-03-10"), (outlet, t)


def test_inquiry_due_date_conflict_is_a_date_contradiction(
    report: dict[str, Any], outlet_of: dict[str, str]
) -> None:
    found = []
    for c in report["contradictions"]:
        if c["kind"] != "date":
            continue
        for one, other in (_sides(c), _sides(c)[::-1]):
            if (
                outlet_of[one["article"]] == TRIBUNE
                and "May 15" in one["text"]
                and outlet_of[other["article"]] in {LEDGER, WIRE}
                and "April 30" in other["text"]
            ):
                found.append(c)
    assert found, [c["explanation"] for c in report["contradictions"]]


def test_every_date_contradiction_is_about_the_inquiry_deadline(report: dict[str, Any]) -> None:
    for c in report["contradictions"]:
        if c["kind"] == "date":
            assert any("May 15" in s["text"] for s in _sides(c)), c["explanation"]


def test_no_attribution_contradictions_are_invented(report: dict[str, Any]) -> None:
    assert [c for c in report["contradictions"] if c["kind"] == "attribution"] == []
