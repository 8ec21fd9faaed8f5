from __future__ import annotations

import dataclasses
import re

from hypothesis import given
from hypothesis import strategies as st

from storyscope.model import Story
from storyscope.report import render_markdown
from storyscope.report._view import QUALITY
from storyscope.report.markdown import escape_markdown

from .conftest import SENTINEL_TITLE, build_story


def test_sections_follow_the_reading_order(story: Story) -> None:
    text = render_markdown(story)
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == [
        "Summary",
        "Contradictions and quote variants",
        "Coverage",
        "Agreed facts",
        "Single-source claims",
        "Framing and sourcing",
        "Articles",
        "Warnings and failures",
    ]
    positions = [text.index(f"\n## {h}\n") for h in headings]
    assert positions == sorted(positions)
    assert text.index("What this report can and cannot see") < positions[0]
    subheadings = re.findall(r"^### (.+)$", text, flags=re.M)
    for inside, sub in (
        ("Contradictions and quote variants", "Contradictions"),
        ("Contradictions and quote variants", "Quote variants"),
        ("Agreed facts", "Contested facts"),
        ("Framing and sourcing", "Coverage share"),
        ("Framing and sourcing", "Quotes by speaker"),
        ("Articles", "Removed boilerplate"),
    ):
        assert sub in subheadings
        start = text.index(f"\n## {inside}\n")
        following = [p for p in positions if p > start]
        assert start < text.index(f"\n### {sub}\n") < (following[0] if following else len(text))
    assert text.startswith("# Blaze at Linden Quay grain terminal sends 14 to hospital\n")


def test_counters_call_one_outlet_statements_claims_and_shared_ones_facts(story: Story) -> None:
    counters = render_markdown(story).splitlines()[2]
    assert counters == (
        "3 articles from 3 outlets · 2 facts stated by several outlets (1 agreed, 1 contested) · "
        "3 single-source claims · 2 contradictions · 1 quote variant · 5 quotes."
    )


def test_note_on_what_the_report_cannot_see(story: Story) -> None:
    text = render_markdown(story)
    note = [line for line in text.splitlines() if line.startswith(">")][:12]
    joined = "\n".join(note)
    assert "**What this report can and cannot see.**" in joined
    assert "“0 contradictions” does not mean the outlets agree" in joined
    for what, figure in QUALITY:
        assert f"{what}: {figure}" in joined
    empty = render_markdown(dataclasses.replace(story, contradictions=()))
    assert "_None found._ That does not mean the outlets agree" in empty


def test_coverage_grid_marks_who_states_contradicts_and_omits(story: Story) -> None:
    text = render_markdown(story)
    assert (
        "| Fact | Eastwick Sentinel | Harbor Courier | Valdmark Ledger |"
        in text.split("## Coverage")[1]
    )
    assert (
        "| F1 A fire broke out at the Linden Quay grain terminal in Port Calloway on Tuesday. "
        "| ✓ | ✓ | ✓ |"
    ) in text
    assert "| F2 Workers were hurt and taken to hospital. | ✓ | ≠ C1 | ≠ C1 |" in text
    other = text.split("### Other omissions", 1)[1].split("\n## ", 1)[0]
    assert "| Valdmark Ledger | Damage may exceed $40 million. | f3 |" in other
    assert "| Eastwick Sentinel | Damage may exceed $40 million. | f3 |" in other


def test_single_source_claims_are_listed_per_outlet(story: Story) -> None:
    text = render_markdown(story)
    claims = text.split("## Single-source claims", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^### (.+)$", claims, flags=re.M) == [
        "Eastwick Sentinel (1 claim)",
        "Harbor Courier (1 claim)",
        "Valdmark Ledger (1 claim)",
    ]
    assert "- Damage may exceed $40 million. — ¶3 (chars " in claims
    assert "A fire broke out" not in claims


def test_framing_has_text_bar_charts(story: Story) -> None:
    text = render_markdown(story)
    framing = text.split("## Framing and sourcing", 1)[1].split("\n## ", 1)[0]
    for chart in ("Coverage share", "Own voice and attributed text", "Named and unnamed sources"):
        assert f"### {chart}" in framing
    bars = re.findall(r"\| ([█▒░]{20}) \|$", framing, flags=re.M)
    assert len(bars) == 9  # three charts, one bar per outlet
    assert "| Harbor Courier | 2 of 2 | 1 | ████████████████████ |" in framing


def test_summary_sentences_carry_footnote_citations(story: Story) -> None:
    text = render_markdown(story)
    assert re.search(r"on Tuesday\. \[\^1\]\[\^2\]\[\^3\]$", text, flags=re.M)
    assert "[^1]: Harbor Courier ¶1 (chars 19–77): “a blaze at the Linden Quay" in text
    notes = re.findall(r"^\[\^(\d+)\]: ", text, flags=re.M)
    assert notes == [str(n) for n in range(1, 6)]


def test_articles_table_escapes_pipes_and_markup(story: Story) -> None:
    text = render_markdown(story)
    row = next(line for line in text.splitlines() if line.startswith("| Eastwick Sentinel | Term"))
    assert row.count(" | ") == 4
    assert escape_markdown(SENTINEL_TITLE) in row
    assert "\\|" in row and "\\<script\\>" in row
    assert "<script>" not in text


def test_contradictions_quote_both_sides(story: Story) -> None:
    text = render_markdown(story)
    assert "#### 1. number: 14 workers hospitalised vs 12 workers" in text
    assert "> **Harbor Courier ¶1:** 14 workers were taken to hospital" in text
    assert "> **Valdmark Ledger ¶1:** sending 12 workers to hospital" in text


def test_facts_show_support_count_and_outlets(story: Story) -> None:
    text = render_markdown(story)
    facts = text.split("## Agreed facts", 1)[1].split("\n## ", 1)[0]
    assert (
        "- F1 **A fire broke out at the Linden Quay grain terminal in Port Calloway on Tuesday.** "
        "(3 outlets: Eastwick Sentinel, Harbor Courier, Valdmark Ledger)"
    ) in facts
    assert "- F2 **Workers were hurt and taken to hospital.** (3 outlets:" in facts
    assert facts.index("F1 ") < facts.index("### Contested facts") < facts.index("F2 ")


def test_quote_variants_framing_omissions_and_removed(story: Story) -> None:
    text = render_markdown(story)
    assert "We were ~~lucky~~ **fortunate** the wind turned," in text
    assert "| the fire | blaze | fire | blaze |" in text
    assert "- Valdmark Ledger (share-buttons): “Share this article”" in text
    assert "- Failure (ingest) fixtures/broken.pdf: not an article: binary content" in text
    assert "| Harbor Courier | 58 | 2 | 1 | 1 | 1 | 17.24 |" in text


def test_markdown_is_deterministic(story: Story) -> None:
    assert render_markdown(story) == render_markdown(build_story())


def test_empty_story_renders() -> None:
    text = render_markdown(Story(articles=()))
    assert text.startswith("# Story report\n") and "_No summary._" in text


@given(st.text())
def test_escaped_text_is_one_line_without_live_table_or_html_syntax(raw: str) -> None:
    out = escape_markdown(raw)
    assert "\n" not in out and "\r" not in out
    assert re.search(r"(?<!\\)[|<>*_`\[\]]", out) is None or _only_escaped(out)


def _only_escaped(out: str) -> bool:
    # Every special character must be preceded by an odd number of backslashes.
    for match in re.finditer(r"[|<>*_`\[\]]", out):
        run = len(out[: match.start()]) - len(out[: match.start()].rstrip("\\"))
        if run % 2 == 0:
            return False
    return True
