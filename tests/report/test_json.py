from __future__ import annotations

import copy
import dataclasses
import json
import math
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from storyscope.errors import ReportError
from storyscope.model import Citation, Story
from storyscope.report import SCHEMA_VERSION, load_schema, render_json, to_dict, validate

from ._schema_paths import property_paths

DOCS = Path(__file__).resolve().parents[2] / "docs" / "report.md"


def test_report_of_full_story_validates_against_schema(story: Story) -> None:
    report = to_dict(story)
    validate(report)
    assert report["schema_version"] == SCHEMA_VERSION == "1.4.0"
    assert report["generator"] == {"name": "storyscope", "version": "0.1.0"}


def test_every_section_of_the_fixture_is_populated(story: Story) -> None:
    report = to_dict(story)
    for key in (
        "articles",
        "facts",
        "contradictions",
        "quotes",
        "quote_variants",
        "omissions",
        "summary",
        "warnings",
        "failures",
        "outlets",
    ):
        assert report[key], key
    framing = report["framing"]
    assert framing["labels"] and framing["hedges"] and framing["anonymous_sources"]
    assert set(framing["outlets"]) == set(report["outlets"])


def test_schema_is_valid_draft_2020_12_with_descriptions() -> None:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["title"] and schema["description"]
    missing = [path for path, prop in property_paths(schema) if not prop.get("description")]
    assert missing == []


def test_load_schema_returns_a_copy() -> None:
    load_schema()["title"] = "changed"
    assert load_schema()["title"] == "storyscope report"


def test_every_span_in_report_points_at_its_article_text(story: Story) -> None:
    report = to_dict(story)
    texts = {a["id"]: a["text"] for a in report["articles"]}

    def check(record: dict[str, Any], article: str) -> None:
        assert texts[article][record["start"] : record["end"]] == record["text"]

    for article in report["articles"]:
        for key in ("sentences", "entities", "quantities", "times", "claims"):
            for record in article[key]:
                if "text" in record:
                    check(record, article["id"])
    citations = [c for f in report["facts"] for c in f["support"]]
    citations += [c[side] for c in report["contradictions"] for side in ("a", "b")]
    citations += [m for v in report["quote_variants"] for m in v["members"]]
    citations += [c for s in report["summary"] for c in s["citations"]]
    citations += report["framing"]["hedges"] + report["framing"]["anonymous_sources"]
    citations += report["quotes"]
    for citation in citations:
        check(citation, citation["article"])


def test_infinite_and_nan_numbers_become_null(story: Story) -> None:
    report = to_dict(story)
    quantities = [q for a in report["articles"] for q in a["quantities"]]
    money = next(q for q in quantities if q["kind"] == "money")
    assert money["low"] == 40_000_000.0 and money["high"] is None
    third = next(q for q in quantities if q["text"] == "a third")
    assert third["value"] is None and third["low"] is None
    text = render_json(story)
    assert "NaN" not in text and "Infinity" not in text
    json.loads(text)


def test_fact_support_count_counts_distinct_outlets(story: Story) -> None:
    facts = {f["id"]: f for f in to_dict(story)["facts"]}
    assert facts["f1"]["support_count"] == 3
    assert facts["f3"]["support_count"] == 1 and facts["f3"]["outlets"] == ["Harbor Courier"]
    assert [f["status"] for f in facts.values()] == [
        "consensus",
        "contested",
        "single_source",
        "single_source",
        "single_source",
    ]


def test_outlet_table_has_rates_and_no_division_by_zero(story: Story) -> None:
    empty = dataclasses.replace(
        story.articles[0],
        article=dataclasses.replace(story.articles[0].article, text="", outlet="Empty Wire"),
        quotes=(),
        cues=(),
        sentences=(),
        entities=(),
        quantities=(),
        times=(),
        claims=(),
    )
    table = to_dict(Story(articles=(*story.articles, empty)))["framing"]["outlets"]
    assert table["Empty Wire"]["words"] == 0
    assert table["Empty Wire"]["hedges_per_1000_words"] == 0.0
    courier = table["Harbor Courier"]
    assert courier["hedges"] == 1 and courier["named_sources"] == 1 and courier["quotes"] == 2
    assert courier["hedges_per_1000_words"] == round(1000 / courier["words"], 2)


def test_outlet_with_two_articles_is_aggregated(story: Story) -> None:
    second = dataclasses.replace(
        story.articles[1],
        article=dataclasses.replace(story.articles[1].article, outlet="Harbor Courier"),
    )
    row = to_dict(Story(articles=(story.articles[0], second)))["framing"]["outlets"]
    assert list(row) == ["Harbor Courier"]
    assert row["Harbor Courier"]["articles"] == [story.articles[0].id, second.id]
    assert row["Harbor Courier"]["quotes"] == 4


def test_to_dict_and_json_are_deterministic(story: Story) -> None:
    from .conftest import build_story

    assert render_json(story) == render_json(build_story())
    assert to_dict(story) == to_dict(build_story())
    assert render_json(story, indent=None).count("\n") == 0


def test_mismatched_citation_is_reported_as_warning(story: Story) -> None:
    bad = Citation(article=story.articles[0].id, start=0, end=4, text="Nope")
    ghost = Citation(article="0000000000000000", start=0, end=1, text="x")
    fact = dataclasses.replace(story.facts[0], support=(bad, ghost))
    report = to_dict(dataclasses.replace(story, facts=(fact, *story.facts[1:])))
    validate(report)
    assert any("does not match the article text" in w for w in report["warnings"])
    assert any("unknown article '0000000000000000'" in w for w in report["warnings"])


def test_empty_story_validates() -> None:
    report = to_dict(Story(articles=()))
    validate(report)
    assert report["stats"]["articles"] == 0 and report["framing"]["outlets"] == {}


def test_missing_field_fails_with_readable_path(story: Story) -> None:
    report = copy.deepcopy(to_dict(story))
    del report["facts"][1]["statement"]
    with pytest.raises(ReportError, match=r"report\.facts\[1\]: 'statement' is a required"):
        validate(report)


def test_wrong_status_enum_fails_with_readable_path(story: Story) -> None:
    report = copy.deepcopy(to_dict(story))
    report["facts"][0]["status"] = "agreed"
    with pytest.raises(ReportError) as info:
        validate(report)
    assert "report.facts[0].status: 'agreed' is not one of" in str(info.value)


def test_typo_in_record_field_fails(story: Story) -> None:
    report = copy.deepcopy(to_dict(story))
    report["quotes"][0]["speeker"] = "Dana Ruiz"
    with pytest.raises(ReportError, match=r"report\.quotes\[0\].*speeker"):
        validate(report)


def test_unknown_top_level_keys_need_x_prefix(story: Story) -> None:
    report = copy.deepcopy(to_dict(story))
    report["x-newsroom"] = {"desk": "metro"}
    validate(report)
    report["newsroom"] = {}
    with pytest.raises(ReportError, match="newsroom"):
        validate(report)


def test_many_errors_are_capped_in_message(story: Story) -> None:
    report = copy.deepcopy(to_dict(story))
    for fact in report["facts"]:
        fact["status"] = "bogus"
    report["stats"]["quotes"] = -1
    with pytest.raises(ReportError, match=r"\(6 problems\)[\s\S]*and 1 more"):
        validate(report)


def test_every_schema_property_is_documented() -> None:
    fields = DOCS.read_text("utf-8").split("\n## Fields\n", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([^`]+)` \|", fields, flags=re.M))
    paths = {path for path, _ in property_paths(load_schema())}
    assert sorted(paths - documented) == []
    assert sorted(documented - paths) == []


def test_docs_example_validates() -> None:
    docs = DOCS.read_text("utf-8")
    block = re.search(r"```json\n(.*?)```", docs, flags=re.S)
    assert block is not None
    validate(json.loads(block.group(1)))


def test_docs_state_the_versioning_policy() -> None:
    docs = DOCS.read_text("utf-8")
    assert "## Versioning" in docs and "minor" in docs and "major" in docs
    assert SCHEMA_VERSION in docs


def test_no_nan_anywhere_in_dumped_report(story: Story) -> None:
    def walk(value: Any) -> None:
        if isinstance(value, float):
            assert math.isfinite(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(to_dict(story))
