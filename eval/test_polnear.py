"""Quality gate: quote extraction and speaker attribution on the PolNeAR test split."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import polnear  # noqa: E402

ROOT = polnear.corpus_dir()
pytestmark = pytest.mark.skipif(
    not (ROOT / "test" / "text").is_dir(),
    reason=f"PolNeAR corpus not found at {ROOT} (set STORYSCOPE_SHARED)",
)


def _floors() -> dict[str, float]:
    floors = tomllib.loads((Path(__file__).with_name("floors.toml")).read_text(encoding="utf-8"))
    return {k: float(v) for k, v in floors["polnear"].items()}


def test_parse_ann_reads_relations_and_discontinuous_spans() -> None:
    ann = (
        "T1\tSource 0 4\tAnna\n"
        "T2\tCue 5 9\tsaid\n"
        "T3\tContent 10 15;20 25\tx\n"
        "T4\tAttribution 5 9\tsaid\n"
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    )
    (rel,) = polnear.parse_ann(ann)
    assert rel.content == ((10, 15), (20, 25))
    assert rel.source == ((0, 4),)


def test_metric_on_a_toy_document() -> None:
    text = 'Ann Roe spoke. "We will win the vote," Roe said. He added: "Soon."'
    a = text.index("We")
    b = text.index('," Roe')
    gold = polnear.Relation(content=((a - 1, b + 2),), source=((text.index("Roe said"), 37),))
    doc = polnear.Doc("toy", text, (gold,))
    right = polnear.score([doc], [[polnear.Pred(((a, b),), "Ann Roe")]])
    assert right.exact_f1 == 1.0 and right.overlap_f1 == 1.0 and right.speaker_acc == 1.0
    wrong = polnear.score([doc], [[polnear.Pred(((a, b),), "Bo Lee")]])
    assert wrong.overlap_f1 == 1.0 and wrong.speaker_acc == 0.0
    extra = polnear.Pred(((text.index("Soon"), text.index("Soon") + 4),), "Roe")
    half = polnear.score([doc], [[polnear.Pred(((a, b),), "Roe"), extra]])
    assert half.overlap_p == 0.5 and half.overlap_r == 1.0


def test_pronoun_source_counts_when_the_name_precedes_it() -> None:
    text = 'Ann Roe spoke. "We will win," she said.'
    s = text.index("she")
    rel = polnear.Relation(content=((16, 27),), source=((s, s + 3),))
    assert polnear.speaker_correct(text, "Ann Roe", rel)
    assert not polnear.speaker_correct(text, "Bo Lee", rel)


def test_storyscope_quotes_meet_the_floors() -> None:
    floors = _floors()
    result = polnear.evaluate("test")
    assert result.exact_f1 >= floors["exact_f1"], result
    assert result.overlap_f1 >= floors["overlap_f1"], result
    assert result.speaker_acc >= floors["speaker_accuracy"], result


def test_mixed_quotation_matches_its_quoted_core() -> None:
    text = "Ann Roe said the plan was \u201ca grave step backwards\u201d for the port."
    content = (text.index("the plan"), text.index(" for the port"))
    gold = polnear.Relation(content=(content,), source=((0, 7),))
    doc = polnear.Doc("toy", text, (gold,))
    a = text.index("a grave")
    pred = polnear.Pred(((a, a + len("a grave step backwards")),), "Ann Roe")
    result = polnear.score([doc], [[pred]])
    assert result.overlap_f1 == 1.0 and result.exact_f1 == 1.0 and result.speaker_acc == 1.0
    outside = text.index("Ann Roe said")
    stray = polnear.Pred(((outside, outside + 12),), "Ann Roe")
    assert polnear.score([doc], [[stray]]).overlap_f1 == 0.0


def test_role_source_and_missing_source() -> None:
    text = "Mayor Bo Lee spoke. The mayor said it was over."
    s = text.index("The mayor")
    role = polnear.Relation(content=((s + 15, s + 26),), source=((s, s + 9),))
    assert polnear.speaker_correct(text, "Bo Lee", role)
    assert polnear.speaker_correct(text, "the mayor", role)
    assert not polnear.speaker_correct(text, "Ann Roe", role)


def test_merge_joins_an_interrupted_quote_but_not_the_next_paragraph() -> None:
    text = '"We will win," Roe said, "and soon"\n"Next paragraph," Roe said.'
    a, b = text.index("We"), text.index(',"')
    c, d = text.index("and"), text.index("soon") + 4
    e, f = text.index("Next"), text.index('," Roe said.')
    merged = polnear.merge_quotes(text, [((a, b), "Roe"), ((c, d), "Roe"), ((e, f), "Roe")])
    assert [p.content for p in merged] == [((a, b), (c, d)), ((e, f),)]
