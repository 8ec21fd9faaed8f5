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
