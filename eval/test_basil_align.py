"""Quality gate: alignment on real multi-outlet news (BASIL: Fox News / NYT / HuffPost)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import basil_align  # noqa: E402

ROOT = basil_align.corpus_dir()
pytestmark = pytest.mark.skipif(
    not basil_align.available(ROOT),
    reason=f"BASIL corpus not found at {ROOT} (set STORYSCOPE_SHARED)",
)


def _floors() -> dict[str, float]:
    floors = tomllib.loads((Path(__file__).with_name("floors.toml")).read_text(encoding="utf-8"))
    return {k: float(v) for k, v in floors["basil"].items()}


@pytest.fixture(scope="module")
def result() -> basil_align.Result:
    return basil_align.evaluate(basil_align.analyze_events(basil_align.load_events(ROOT)))


def test_subset_is_fixed_and_complete() -> None:
    events = basil_align.load_events(ROOT)
    assert len(events) == basil_align.N_EVENTS
    assert all(set(ev) == set(basil_align.OUTLETS) for ev in events)


def test_same_event_claims_are_aligned(result: basil_align.Result) -> None:
    floor = _floors()["coverage"]
    assert result.coverage >= floor, f"coverage {result.coverage:.3f} fell below {floor}"


def test_foreign_articles_are_not_merged(result: basil_align.Result) -> None:
    ceiling = _floors()["false_merge_rate_max"]
    assert result.false_merge_rate <= ceiling, (
        f"{result.false_merge_facts} facts mix a foreign article "
        f"({result.false_merge_rate:.4f} per foreign claim, ceiling {ceiling})"
    )


def test_contradictions_stay_rare(result: basil_align.Result) -> None:
    ceiling = _floors()["contradictions_per_triple_max"]
    assert result.contradictions_per_triple <= ceiling, "\n".join(result.listing)


def test_known_real_contradictions_are_found(result: basil_align.Result) -> None:
    assert result.known_found >= _floors()["known_contradictions_found"]


def test_mixed_event_warning_fires_on_mixed_pairs(result: basil_align.Result) -> None:
    floors = _floors()
    assert result.mixed_warn_on_mixed >= floors["mixed_warning_on_mixed"]
    assert result.foreign_flagged >= floors["foreign_flagged"]


def test_mixed_event_warning_stays_quiet_on_same_event_pairs(result: basil_align.Result) -> None:
    floors = _floors()
    assert result.mixed_warn_on_same <= floors["mixed_warning_on_same_max"]
    assert result.mixed_warn_on_triples <= floors["mixed_warning_on_triples_max"]
