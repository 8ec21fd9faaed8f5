"""Quality gate: the contradiction detector on the invented gold pairs (eval/gold/contradictions.json)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import contradiction_gold  # noqa: E402


def _floors() -> dict[str, float]:
    floors = tomllib.loads((Path(__file__).with_name("floors.toml")).read_text(encoding="utf-8"))
    return {k: float(v) for k, v in floors["contradiction_gold"].items()}


@pytest.fixture(scope="module")
def result() -> contradiction_gold.Result:
    return contradiction_gold.run()


def test_gold_file_is_well_formed() -> None:
    pairs = contradiction_gold.load_pairs()
    assert 80 <= len(pairs) <= 150
    assert len({p.id for p in pairs}) == len(pairs)
    assert {p.label for p in pairs} == {"contradiction", "compatible"}
    assert {p.kind for p in pairs} <= set(contradiction_gold.KINDS)
    for kind in ("number", "date", "polarity", "entity", "attribution", "status"):
        labels = {p.label for p in pairs if p.kind == kind}
        assert labels == {"contradiction", "compatible"}, kind


def test_precision_stays_above_the_floor(result: contradiction_gold.Result) -> None:
    floor = _floors()["precision"]
    assert result.total.precision >= floor, result.errors


def test_every_kind_keeps_its_precision(result: contradiction_gold.Result) -> None:
    floor = _floors()["kind_precision_min"]
    for kind, score in result.per_kind.items():
        assert score.precision >= floor, (kind, result.errors)


def test_recall_stays_above_the_floor(result: contradiction_gold.Result) -> None:
    floor = _floors()["recall"]
    assert result.total.recall >= floor, result.errors


def test_found_contradictions_get_the_right_kind(result: contradiction_gold.Result) -> None:
    floor = _floors()["right_kind"]
    share = result.total.right_kind / result.total.tp if result.total.tp else 0.0
    assert share >= floor, result.errors


def test_new_kinds_are_found(result: contradiction_gold.Result) -> None:
    floors = _floors()
    assert result.per_kind["entity"].recall >= floors["entity_recall"], result.errors
    assert result.per_kind["status"].recall >= floors["status_recall"], result.errors
