"""Quality gate: quotes and speakers on BASIL's 722 quote spans with speaker labels.

Runs ``eval/basil_speakers.py`` (the default analyze pipeline on 300 real articles, through the
analysis cache in ``eval/.cache``); floors in ``eval/floors.toml`` ``[basil_speakers]``.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import basil_speakers  # noqa: E402

ROOT = basil_speakers.corpus_dir()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not basil_speakers.available(ROOT),
        reason=f"BASIL corpus not found at {ROOT} (set STORYSCOPE_SHARED)",
    ),
]


def _floors() -> dict[str, float]:
    raw = tomllib.loads(Path(__file__).with_name("floors.toml").read_text(encoding="utf-8"))
    return {k: float(v) for k, v in raw["basil_speakers"].items()}


@pytest.fixture(scope="module")
def docs() -> list[basil_speakers.Doc]:
    return basil_speakers.load_docs(ROOT)


@pytest.fixture(scope="module")
def result(docs: list[basil_speakers.Doc]) -> basil_speakers.Result:
    return basil_speakers.evaluate(docs)


def test_all_722_quote_spans_are_read_exactly(docs: list[basil_speakers.Doc]) -> None:
    spans = [(d, s) for d in docs for s in d.spans]
    assert len(docs) == 300 and len(spans) == 722
    for doc, span in spans:
        assert doc.article.text[span.start : span.end] == span.text  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "name",
    [
        "quote_recall",
        "quote_recall_2010_2014",
        "quote_recall_2015_2019",
        "quote_recall_other_events",
        "speaker_acc",
        "speaker_acc_2010_2014",
        "speaker_acc_2015_2019",
        "speaker_acc_other_events",
    ],
)
def test_floor_holds(result: basil_speakers.Result, name: str) -> None:
    got = basil_speakers.metrics(result)[name]
    floor = _floors()[name]
    assert got >= floor, f"{name} {got:.3f} fell below {floor}:\n" + basil_speakers.report(result)


@pytest.mark.parametrize(
    ("label", "speaker", "right"),
    [
        ("Donald_Trump", "President Trump", True),
        ("Donald_Trump", "Donald J. Trump", True),
        ("Felipe_Calder", "Felipe Calder\u00f3n", True),
        ("Democratic_lawmakers", "Senate Democrats", True),
        ("Obama_campaign", "the Obama campaign", True),
        ("Rick_Perry", "the Texas governor", False),
        ("Donald_Trump", "Vicente Fox", False),
        ("Elizabeth_Lauten", None, False),
    ],
)
def test_lenient_name_match(label: str, speaker: str | None, right: bool) -> None:
    assert basil_speakers.speaker_correct(label, speaker) is right


def test_group_and_body_labels_are_not_person_labels() -> None:
    person = basil_speakers.is_person_label
    assert person("Donald_Trump") and person("Trump") and person("Donald_Trump_Jr.")
    assert not any(
        person(x)
        for x in (
            "Democratic_lawmakers",
            "House_Democrats",
            "Obama_campaign",
            "NAACP",
            "plaintiffs",
        )
    )
