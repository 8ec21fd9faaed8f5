"""Quality gate: the contradiction detector on FNC-1 headline/body pairs (fixed sample)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fnc1  # noqa: E402

ROOT = fnc1.corpus_dir()
pytestmark = pytest.mark.skipif(
    not fnc1.available(ROOT), reason=f"FNC-1 corpus not found at {ROOT} (set STORYSCOPE_SHARED)"
)


def _floors() -> dict[str, float]:
    floors = tomllib.loads((Path(__file__).with_name("floors.toml")).read_text(encoding="utf-8"))
    return {k: float(v) for k, v in floors["fnc1"].items()}


@pytest.fixture(scope="module")
def result() -> fnc1.Result:
    return fnc1.run(ROOT)


def test_sample_is_fixed_and_stratified() -> None:
    sample = fnc1.load_sample(ROOT)
    assert len(sample.bodies) == fnc1.N_BODIES
    counts = {s: sum(1 for p in sample.pairs if p[2] == s) for s in fnc1.STANCES}
    assert all(0 < n <= fnc1.PER_CLASS for n in counts.values()), counts
    assert sample == fnc1.load_sample(ROOT)


def test_detector_fires_on_disagree_more_than_on_agree(result: fnc1.Result) -> None:
    assert result.fire_rate("disagree") >= result.fire_rate("agree")


def test_disagree_precision_and_recall_hold(result: fnc1.Result) -> None:
    floors = _floors()
    p, r, _ = result.scores("disagree")
    assert p >= floors["disagree_precision"], (p, result.listing)
    assert r >= floors["disagree_recall"], (r, result.listing)


def test_detector_stays_quiet_on_agree_discuss_unrelated(result: fnc1.Result) -> None:
    floors = _floors()
    assert result.fire_rate("agree") <= floors["agree_fire_max"], result.listing
    assert result.fire_rate("discuss") <= floors["discuss_fire_max"], result.listing
    assert result.fire_rate("unrelated") <= floors["unrelated_fire_max"], result.listing
