"""Quality gate: HTML extraction F1 on the Zyte article-extraction benchmark."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import zyte  # noqa: E402

ROOT = zyte.corpus_dir()
pytestmark = pytest.mark.skipif(
    not (ROOT / "ground-truth.json").is_file(),
    reason=f"Zyte benchmark corpus not found at {ROOT} (set STORYSCOPE_SHARED)",
)


def _floor() -> float:
    floors = tomllib.loads((Path(__file__).with_name("floors.toml")).read_text(encoding="utf-8"))
    return float(floors["zyte"]["f1"])


def test_metric_edge_cases():
    assert zyte.score({"a": "one two three four"}, {"a": "one two three four"}).f1 == 1.0
    assert zyte.score({"a": "one two three four five"}, {"a": "six seven eight nine"}).f1 == 0.0
    assert zyte.score({"a": "one two three"}, {"a": ""}).f1 == 1.0  # no shingles on either side
    half = zyte.score({"a": "a b c d e"}, {"a": "a b c d"})  # 2 gold shingles, 1 predicted
    assert half.precision == 1.0 and half.recall == 0.5


def test_scorer_reproduces_trafilatura_reference():
    result = zyte.score(zyte.load_gold(), zyte.load_reference("trafilatura"))
    assert result.f1 == pytest.approx(0.958, abs=0.001)
    assert result.precision == pytest.approx(0.938, abs=0.001)
    assert result.recall == pytest.approx(0.978, abs=0.001)


def test_storyscope_extraction_meets_the_floor():
    floor = _floor()
    assert floor >= 0.95
    result = zyte.score(zyte.load_gold(), zyte.predict_storyscope())
    assert result.f1 >= floor, f"HTML extraction F1 {result.f1:.4f} fell below the floor {floor}"
