"""Quality gate: loaded-language and label detectors on BASIL's lexical-bias spans."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import basil_bias  # noqa: E402

ROOT = basil_bias.corpus_dir()
pytestmark = pytest.mark.skipif(
    not basil_bias.available(ROOT),
    reason=f"BASIL corpus not found at {ROOT} (set STORYSCOPE_SHARED)",
)


def _floors() -> dict[str, float]:
    floors = tomllib.loads((Path(__file__).with_name("floors.toml")).read_text(encoding="utf-8"))
    return {k: float(v) for k, v in floors["basil_bias"].items()}


@pytest.fixture(scope="module")
def docs() -> list[basil_bias.Doc]:
    return basil_bias.load_docs(ROOT)


@pytest.fixture(scope="module")
def result(docs: list[basil_bias.Doc]) -> basil_bias.Result:
    return basil_bias.evaluate(docs)


def test_corpus_is_complete_and_gold_spans_are_exact(docs: list[basil_bias.Doc]) -> None:
    assert len(docs) == 300
    assert len({d.event for d in docs}) == 100
    for doc in docs:
        for g in doc.gold:
            assert doc.analyzed.text[g.start : g.end] == g.text
    assert sum(1 for d in docs for g in d.gold if g.bias == "lex") >= 470


def test_lexical_bias_recall(result: basil_bias.Result) -> None:
    floors = _floors()
    assert result.all.recall >= floors["recall"], basil_bias.report(result)
    assert result.second.recall >= floors["recall_2015_2019"], basil_bias.report(result)


def test_lexical_bias_precision(result: basil_bias.Result) -> None:
    floors = _floors()
    assert result.all.precision >= floors["precision"], basil_bias.report(result)
    assert result.second.precision >= floors["precision_2015_2019"], basil_bias.report(result)
    assert result.all.precision_any >= floors["precision_any_span"], basil_bias.report(result)

