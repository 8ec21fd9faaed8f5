"""Quality gate: story clustering on BASIL and ECB+ (BCubed F1, beside a TF-IDF baseline)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cluster  # noqa: E402

pytestmark = pytest.mark.skipif(
    not cluster.available(),
    reason=f"BASIL/ECB+ corpora not found under {cluster.shared_dir()} (set STORYSCOPE_SHARED)",
)


def _floors() -> dict[str, float]:
    floors = tomllib.loads((Path(__file__).with_name("floors.toml")).read_text(encoding="utf-8"))
    return {k: float(v) for k, v in floors["cluster"].items()}


@pytest.fixture(scope="module")
def rows() -> dict[tuple[str, str], cluster.Row]:
    basil, ecb = cluster.load_basil(), cluster.load_ecb()
    basil_emb = cluster.embed_leads([d.article for d in basil])
    ecb_emb = cluster.embed_leads([d.article for d in ecb])
    return {(r.corpus, r.system): r for r in cluster.evaluate(basil, ecb, basil_emb, ecb_emb)}


def test_corpora_have_the_documented_size() -> None:
    assert len(cluster.load_basil()) == 300
    ecb = cluster.load_ecb()
    assert len(ecb) == 982
    assert len({d.gold for d in ecb}) == 86


def test_bcubed_is_one_for_the_gold_clustering() -> None:
    assert cluster.bcubed(["a", "a", "b"], [1, 1, 2]) == (1.0, 1.0, 1.0)
    p, r, _ = cluster.bcubed(["a", "a", "a"], [1, 1, 2])
    assert r == 1.0 and p == pytest.approx(5 / 9)


def test_basil_events_are_found(rows: dict[tuple[str, str], cluster.Row]) -> None:
    row = rows[("basil", "storyscope")]
    floor = _floors()["basil_f1"]
    assert row.f1 >= floor, f"BASIL BCubed F1 {row.f1:.4f} fell below {floor}"


def test_ecbplus_look_alike_events_are_kept_apart(rows: dict[tuple[str, str], cluster.Row]) -> None:
    floors = _floors()
    ours, base = rows[("ecbplus", "storyscope")], rows[("ecbplus", "tfidf-avglink")]
    assert ours.f1 >= floors["ecbplus_f1"], f"ECB+ BCubed F1 {ours.f1:.4f} < {floors['ecbplus_f1']}"
    margin = ours.f1 - base.f1
    assert margin >= floors["ecbplus_margin_min"], (
        f"ECB+ F1 {ours.f1:.4f} is {margin:+.4f} against the baseline's {base.f1:.4f}"
    )
