"""Embeddings and the persisted vector index (both backends; faiss and numpy)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _store_articles import ALL, BRIDGE, HARBOUR, HARBOUR_WIRE, UNDATED, synthetic

from storyscope.errors import StoreError
from storyscope.store import Store, new_index


def _unit(values: list[float]) -> np.ndarray:
    v = np.asarray(values, dtype=np.float32)
    return v / np.linalg.norm(v)


VECTORS = {
    HARBOUR.id: _unit([1, 0.1, 0, 0]),
    HARBOUR_WIRE.id: _unit([0.9, 0.2, 0, 0]),
    BRIDGE.id: _unit([0, 0, 1, 0.1]),
    UNDATED.id: _unit([0.7, 0, 0, 0.7]),
}


def test_nearest_returns_cosine_ranked_articles(store: Store) -> None:
    store.add_articles(ALL)
    store.put_embeddings(VECTORS, model="fake-4")
    hits = store.nearest(VECTORS[HARBOUR.id], k=2)
    assert [h[0] for h in hits] == [HARBOUR.id, HARBOUR_WIRE.id]
    assert hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert [h[0] for h in store.nearest(VECTORS[HARBOUR.id], k=2, exclude=[HARBOUR.id])] == [
        HARBOUR_WIRE.id,
        UNDATED.id,
    ]
    got = store.get_embedding(BRIDGE.id)
    assert got is not None and np.allclose(got, VECTORS[BRIDGE.id])


def test_replacing_a_vector_updates_the_live_index(store: Store) -> None:
    store.add_articles(ALL)
    store.put_embeddings(VECTORS)
    assert store.nearest(_unit([0, 0, 1, 0]), k=1)[0][0] == BRIDGE.id
    store.put_embedding(HARBOUR.id, [0, 0, 1, 0])
    assert store.nearest(_unit([0, 0, 1, 0]), k=1)[0][0] == HARBOUR.id
    assert len(store.nearest(_unit([1, 1, 1, 1]), k=10)) == 4


def test_embeddings_are_validated(store: Store) -> None:
    store.add_articles([HARBOUR, BRIDGE])
    store.put_embedding(HARBOUR.id, [1, 0, 0])
    with pytest.raises(StoreError, match="dimension"):
        store.put_embedding(BRIDGE.id, [1, 0])
    with pytest.raises(StoreError, match="non-zero"):
        store.put_embedding(BRIDGE.id, [0, 0, 0])
    with pytest.raises(StoreError, match="no stored article"):
        store.put_embedding("0" * 16, [1, 0, 0])
    with pytest.raises(StoreError, match="query dimension"):
        store.nearest([1, 0], k=1)
    assert store.nearest([1, 0, 0], k=0) == []


def test_an_empty_store_has_no_neighbours(store: Store) -> None:
    assert store.nearest([1.0, 0.0], k=3) == []


def test_index_file_is_reused_and_rebuilt_when_stale(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    articles = synthetic(40)
    rng = np.random.default_rng(7)
    vectors = {a.id: rng.normal(size=16) for a in articles}
    with Store.open(db) as store:
        store.add_articles(articles)
        store.put_embeddings(dict(list(vectors.items())[:30]))
        expected = store.nearest(vectors[articles[0].id], k=5)
    index_file = Path(f"{db}.vectors")
    assert index_file.exists() and Path(f"{db}.vectors.json").exists()
    stamp = index_file.stat().st_mtime_ns
    with Store.open(db) as store:
        assert store.nearest(vectors[articles[0].id], k=5) == expected
    assert index_file.stat().st_mtime_ns == stamp  # loaded, not rebuilt
    with Store.open(db) as other:  # another process adds vectors without this index loaded
        other.put_embeddings(dict(list(vectors.items())[30:]))
        other._index_dirty = False  # noqa: SLF001 - simulate a writer that never saves the index
    with Store.open(db) as store:
        top = store.nearest(vectors[articles[35].id], k=1)
    assert top[0][0] == articles[35].id
    Path(f"{db}.vectors").write_bytes(b"garbage")
    with Store.open(db) as store:
        assert store.nearest(vectors[articles[35].id], k=1)[0][0] == articles[35].id


@pytest.mark.parametrize("backend", ["faiss", "numpy"])
def test_index_backends_agree_and_round_trip(backend: str, tmp_path: Path) -> None:
    pytest.importorskip("faiss") if backend == "faiss" else None
    rng = np.random.default_rng(3)
    data = rng.normal(size=(200, 12)).astype(np.float32)
    data /= np.linalg.norm(data, axis=1, keepdims=True)
    ids = np.arange(1000, 1200, dtype=np.int64)
    index = new_index(12, backend)
    index.add(ids, data)
    index.remove(ids[:10])
    assert len(index) == 190
    scores, found = index.search(data[:20], 3)
    assert (found[10:, 0] == ids[10:20]).all()
    assert not np.isin(found, ids[:10]).any()
    exact = data[10:] @ data[:20].T
    assert np.allclose(np.sort(exact, axis=0)[::-1][:3].T, scores, atol=1e-5)
    index.save(tmp_path / "ix")
    from storyscope.store.vectors import load_index

    again = load_index(tmp_path / "ix", backend)
    assert len(again) == 190 and np.array_equal(again.search(data[:5], 3)[1], found[:5])
    assert index.search(data[:1], 500)[1].shape == (1, 500)
