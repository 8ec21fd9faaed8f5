"""clean_text: the pattern table, the fixture articles, and properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyscope.ingest import clean_text, read_text
from storyscope.ingest.boilerplate import load_rules

RULES = load_rules()
EXAMPLES = [(r.reason, r, e) for r in RULES for e in r.examples]
KEEPS = [(r.reason, k) for r in RULES for k in r.keep]
NEWS = "Dockworkers in Port Aster voted on Wednesday to end their strike, the union said."


@pytest.mark.parametrize(
    ("reason", "rule", "line"), EXAMPLES, ids=[f"{r}:{e[:30]}" for r, _, e in EXAMPLES]
)
def test_rule_example_is_removed_with_its_reason(reason, rule, line):
    if rule.after:
        text = f"{NEWS}\n\nMara Ilves is a reporter for the Harbor Courier.\n\n{line}"
    else:
        text = f"{NEWS}\n\n{line}"
    cleaned, removed = clean_text(text)
    assert cleaned == NEWS
    assert removed[-1] == type(removed[-1])(text=line, reason=reason)


@pytest.mark.parametrize(("reason", "line"), KEEPS, ids=[f"{r}:{k[:30]}" for r, k in KEEPS])
def test_rule_counter_example_is_kept(reason, line):
    cleaned, removed = clean_text(f"{NEWS}\n\n{line}")
    assert removed == ()
    assert cleaned == f"{NEWS}\n\n{line}"


def test_every_rule_documents_an_example():
    assert all(rule.examples for rule in RULES)


def test_harbor_courier_fixture_loses_exactly_the_glued_boilerplate(fixtures: Path):
    article = read_text((fixtures / "harbor-courier.txt").read_bytes(), source="harbor-courier.txt")
    assert [(r.reason, r.text) for r in article.removed] == [
        ("update_timestamp", "Updated 3:42 p.m."),
        ("share_prompt", "Share this article"),
        (
            "donation_appeal",
            "Support independent journalism. Donate today to keep the Harbor Courier free for "
            "everyone.",
        ),
        (
            "newsletter_prompt",
            "Sign up for our newsletter to get the day's top stories in your inbox.",
        ),
        (
            "related_links",
            "Related:\nPort strike enters second week as talks stall\n"
            "How Aster became a bottleneck for the whole coast",
        ),
        (
            "author_bio",
            "Mara Ilves is a reporter covering labour and transport for the Harbor Courier. "
            "She previously worked at the Lantern Gazette.",
        ),
    ]
    # Reporting next to the boilerplate stays, including the look-alikes.
    assert "The Aster Food Bank said donations rose 40 percent" in article.text
    assert "in the authority's weekly newsletter" in article.text
    assert "said he would subscribe to the plan" in article.text
    assert article.text.endswith("Work is expected to resume at 6 a.m. on Thursday.")
    assert article.text.startswith("PORT ASTER — Dockworkers")
    assert article.text.count("\n\n") == 4


def test_lantern_gazette_fixture_loses_credit_follow_and_copyright_lines(fixtures: Path):
    article = read_text(
        (fixtures / "lantern-gazette.txt").read_bytes(), source="lantern-gazette.txt"
    )
    assert [(r.reason, r.text) for r in article.removed] == [
        ("photo_credit", "(Photo: Dara Quill/Lantern Gazette)"),
        ("social_follow", "Follow us on Twitter"),
        ("copyright", "© 2026 Lantern Gazette. All rights reserved."),
    ]
    assert article.text.endswith('called the vote "a relief for the whole region".')


def test_related_list_stops_at_the_first_prose_line():
    text = (
        "Read more:\nPort strike enters second week\n\nThe vote passed 812 to 140, the union said."
    )
    cleaned, removed = clean_text(text)
    assert cleaned == "The vote passed 812 to 140, the union said."
    assert removed[0].text == "Read more:\nPort strike enters second week"


def test_author_bio_is_only_removed_near_the_end():
    bio = "Mara Ilves is a reporter covering labour for the Harbor Courier."
    body = "\n\n".join([bio, NEWS, NEWS.replace("Wednesday", "Thursday"), "Work resumes at 6 a.m."])
    cleaned, removed = clean_text(body)
    assert removed == ()
    assert cleaned.startswith(bio)


def test_clean_text_keeps_paragraph_breaks_and_trims_whitespace():
    cleaned, removed = clean_text("\r\n  First line.\r\nSecond line.  \r\n\r\n\r\n\tThird.\n\n")
    assert cleaned == "First line.\nSecond line.\n\nThird."
    assert removed == ()


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_clean_text_output_is_made_of_input_lines(raw: str):
    cleaned, removed = clean_text(raw)
    lines = {line.strip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")}
    assert cleaned == cleaned.strip()
    for line in cleaned.split("\n"):
        assert line == "" or line in lines
    for segment in removed:
        assert segment.reason
        assert all(part and part in lines for part in segment.text.split("\n"))


_BOILER_LINES = st.sampled_from(
    [e for _, rule, e in EXAMPLES if rule.where == "any" and not rule.after]
    + [NEWS, "", "Related:"]
)


@given(st.lists(_BOILER_LINES, max_size=12))
def test_clean_text_removes_or_keeps_every_line_exactly_once(lines: list[str]):
    cleaned, removed = clean_text("\n".join(lines))
    kept = [line for line in cleaned.split("\n") if line]
    dropped = [part for r in removed for part in r.text.split("\n")]
    assert sorted(kept + dropped) == sorted(line for line in lines if line)


_APPEAL_BLOCK = [
    "Dear reader,",
    "Before the Harbor Courier became a nonprofit, our reporters covered Velmora for 90 years.",
    "If you value what we do, please support our journalism today.",
    "Thank you.",
    "Donate",
    "$5 / month",
]


def test_an_appeal_is_removed_as_a_block_from_greeting_to_buttons():
    news = [
        "The Velmora council approved the harbour levy on Thursday.",
        "If you live on Pike Lane, your water may be cloudy until Monday.",
    ]
    raw = "\n\n".join([*news, "\n".join(_APPEAL_BLOCK), "Ferries ran on schedule, officials said."])
    text, removed = clean_text(raw)
    assert text.split("\n\n") == [*news, "Ferries ran on schedule, officials said."]
    assert [r.reason for r in removed] == ["donation_appeal"]
    assert removed[0].text.split("\n") == _APPEAL_BLOCK


def test_an_appeal_block_stops_at_quotes_attributions_and_plain_news():
    raw = "\n".join(
        [
            '"We will support every family," Mayor Ilse Varga said.',
            "If you value what we do, please support our journalism today.",
            "Our readers told us the ferry times mattered most, the editor wrote.",
            "If you live on Pike Lane, your water may be cloudy until Monday.",
        ]
    )
    text, removed = clean_text(raw)
    assert [r.text for r in removed] == ["If you value what we do, please support our journalism today."]
    assert "Mayor Ilse Varga" in text and "Pike Lane" in text and "the editor wrote" in text
