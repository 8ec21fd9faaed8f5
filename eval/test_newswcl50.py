"""Quality gate: word-choice labels on the NewsWCL50 development gold (5 real events x 5 outlets).

Runs the gold's own scorer (``<shared>/gold/newswcl50/score.py``) in-process through
``eval/newswcl50.py``; floors in ``eval/floors.toml`` ``[newswcl50]``.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import newswcl50  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.skipif(
        not newswcl50.available(),
        reason=f"NewsWCL50 gold not found under {newswcl50.gold_root()} (set STORYSCOPE_SHARED)",
    ),
]


def _floors() -> dict[str, float]:
    raw = tomllib.loads(Path(__file__).with_name("floors.toml").read_text(encoding="utf-8"))
    return {k: float(v) for k, v in raw["newswcl50"].items()}


@pytest.fixture(scope="module")
def result() -> newswcl50.Result:
    return newswcl50.evaluate()


def test_label_recall_holds_its_floors(result: newswcl50.Result) -> None:
    floors = _floors()
    assert result.gold == 68, result.line()
    assert result.lenient >= floors["label_recall"], result.line()
    assert result.strict >= floors["label_recall_strict"], result.line()


def test_few_labels_are_reported(result: newswcl50.Result) -> None:
    assert result.labels <= _floors()["labels_max"], newswcl50.listing(result)


def test_totals_are_the_scorer_counts(result: newswcl50.Result) -> None:
    hits = sum(len(r["hits_lenient"]) for r in result.per.values())
    assert result.hits_lenient == hits
    assert result.labels == sum(len(r["labels_judged"]) for r in result.per.values())
