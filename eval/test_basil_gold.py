"""Quality gate: claim-level alignment on the hand-annotated BASIL gold (20 real events).

Runs the gold's own scorer (``<shared>/gold/basil/score.py``) in-process through
``eval/basil_gold.py``; floors in ``eval/floors.toml`` ``[basil_gold]``.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import basil_gold  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.skipif(
        not basil_gold.available(),
        reason=f"BASIL gold not found under {basil_gold.shared_dir()} (set STORYSCOPE_SHARED)",
    ),
]


def _floors() -> dict[str, float]:
    raw = tomllib.loads(Path(__file__).with_name("floors.toml").read_text(encoding="utf-8"))
    return {k: float(v) for k, v in raw["basil_gold"].items()}


@pytest.fixture(scope="module")
def metrics() -> dict[str, float]:
    return basil_gold.evaluate()[0]


@pytest.mark.parametrize(
    "name",
    [
        "fact_recall",
        "fact_full",
        "fact_precision",
        "omission_recall",
        "omission_precision",
        "summary_points",
        "quote_recall",
        "speaker_acc",
        "contra_recall",
    ],
)
def test_floor_holds(metrics: dict[str, float], name: str) -> None:
    floor = _floors()[name]
    assert metrics[name] >= floor, f"{name} {metrics[name]:.3f} fell below {floor}: " + (
        basil_gold.format_line(metrics)
    )


def test_few_titles_and_terms_pass_for_quotes(metrics: dict[str, float]) -> None:
    ceiling = _floors()["not_quote_fp_max"]
    assert metrics["not_quote_fp"] <= ceiling, (
        f"not_quote_fp {metrics['not_quote_fp']:.3f} rose above {ceiling}: "
        + basil_gold.format_line(metrics)
    )


def test_contradictions_stay_precise(metrics: dict[str, float]) -> None:
    if metrics["contra_n"]:
        assert metrics["contra_precision"] >= _floors()["contra_precision"]


def test_in_process_scoring_matches_the_scorer_formulas() -> None:
    import collections

    tot = collections.Counter({"fact_pairs_found": 3, "fact_pairs_gold": 4, "facts_full": 1})
    tot.update({"facts_gold": 2})
    got = basil_gold.totals_to_metrics(tot, 1)
    assert got["fact_recall"] == 0.75 and got["fact_full"] == 0.5
