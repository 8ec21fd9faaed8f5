"""pgvector: nearest-neighbour search inside PostgreSQL when the server offers the extension.

Runs against a real PostgreSQL 16 with pgvector (see ``conftest.py``); the generic
vector tests in ``test_vectors.py`` also run there through the ``store`` fixture.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa
from _store_articles import synthetic

from storyscope.errors import StoreError
from storyscope.model import Article
from storyscope.store import Store, _pgvector


def _vectors(n: int, dim: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    data = rng.normal(size=(n, dim)).astype(np.float32)
    return data / np.linalg.norm(data, axis=1, keepdims=True)


def _fill(store: Store, articles: Sequence[Article], data: np.ndarray) -> None:
    store.add_articles(articles)
    store.put_embeddings({a.id: v for a, v in zip(articles, data, strict=True)})


def _sql(url: str, statement: str) -> Any:
    """The first value ``statement`` returns on ``url`` (None when no row), in its own connection."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql(statement).scalar()
    finally:
        engine.dispose()


@contextmanager
def _role_database(server: str, role: str, database: str, *, owned: bool) -> Iterator[tuple[str, str]]:
    """A login role and a fresh database (owned by the role, or by the server's user);
    yields the database's URLs as the server's user and as the role, drops both after."""
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
        conn.exec_driver_sql(f"CREATE DATABASE {database}" + (f" OWNER {role}" if owned else ""))
    url = sa.make_url(server).set(database=database)
    try:
        yield url.render_as_string(hide_password=False), url.set(username=role).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {role}")
        admin.dispose()


def _exact_top(data: np.ndarray, ids: list[str], query: np.ndarray, k: int) -> list[str]:
    order = np.argsort(-(data @ query), kind="stable")[:k]
    return [ids[i] for i in order]


def test_search_runs_in_the_server_and_matches_exact_search(pgvector_url: str, tmp_path: Path) -> None:
    articles = synthetic(300)
    ids = [a.id for a in articles]
    data = _vectors(300, 32, seed=11)
    with Store.open(pgvector_url, index_dir=tmp_path / "index") as store:
        assert store.vector_backend == "pgvector"
        store.add_articles(articles)
        store.put_embeddings(dict(zip(ids, data, strict=True)), model="fake-32")
        queries = _vectors(20, 32, seed=12)
        found = store.nearest_many(queries, k=5)
        agree = 0
        for query, hits in zip(queries, found, strict=True):
            assert len(hits) == 5
            assert [h[1] for h in hits] == sorted((h[1] for h in hits), reverse=True)
            for article_id, score in hits:  # the scores are the true cosines
                assert score == pytest.approx(float(data[ids.index(article_id)] @ query), abs=1e-5)
            agree += len({h[0] for h in hits} & set(_exact_top(data, ids, query, 5)))
        assert agree >= 0.95 * 5 * len(queries)  # HNSW is approximate; at this size it is (nearly) exact
        for n in (0, 7, 123, 299):  # a stored vector finds itself first
            assert store.nearest(data[n], k=1)[0][0] == ids[n]
        hits = store.nearest(data[7], k=3, exclude=[ids[7]])
        assert len(hits) == 3 and ids[7] not in [h[0] for h in hits]
    assert not list((tmp_path / "index").glob("*.vectors*"))  # no in-process index was built or saved


def test_the_hnsw_index_serves_the_query(pgvector_url: str) -> None:
    articles = synthetic(50)
    data = _vectors(50, 16, seed=3)
    with Store.open(pgvector_url) as store:
        _fill(store, articles, data)
    engine = sa.create_engine(pgvector_url)
    with engine.begin() as conn:
        indexdef = conn.execute(sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_embeddings_hnsw'")).scalar()
        assert indexdef is not None and "hnsw" in indexdef and "vector(16)" in indexdef
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = "\n".join(
            conn.execute(
                sa.text("EXPLAIN " + _pgvector.nearest_sql(16)),  # the statement the store runs
                {"q": "[" + ",".join(["0.25"] * 16) + "]", "k": 5},
            ).scalars()
        )
    engine.dispose()
    assert "ix_embeddings_hnsw" in plan


def test_a_store_made_without_pgvector_gains_it_on_its_next_open(pgvector_url: str, tmp_path: Path) -> None:
    articles = synthetic(40)
    data = _vectors(40, 8, seed=5)
    # As if the extension were installed after the store was filled: an in-process index first.
    with Store.open(pgvector_url, vector_backend="numpy", index_dir=tmp_path / "index") as store:
        assert store.vector_backend == "numpy"
        _fill(store, articles, data)
        before = store.nearest(data[0], k=4)
    assert _sql(pgvector_url, "SELECT 1 FROM information_schema.columns WHERE table_name = 'embeddings' AND column_name = 'embedding'") is None
    with Store.open(pgvector_url) as store:
        assert store.vector_backend == "pgvector"
        after = store.nearest(data[0], k=4)
    assert _sql(pgvector_url, "SELECT count(*) FROM embeddings WHERE embedding IS NULL") == 0
    assert [h[0] for h in after] == [h[0] for h in before]
    assert [h[1] for h in after] == pytest.approx([h[1] for h in before], abs=1e-5)


def test_replacing_vectors_keeps_the_server_column_in_step(pgvector_url: str) -> None:
    articles = synthetic(10)
    data = _vectors(10, 8, seed=9)
    with Store.open(pgvector_url) as store:
        _fill(store, articles, data)
        store.put_embedding(articles[3].id, data[8])  # now a twin of article 8
        top = store.nearest(data[8], k=2)
        assert {h[0] for h in top} == {articles[3].id, articles[8].id}
        got = store.get_embedding(articles[3].id)
        assert got is not None and np.allclose(got, data[8])


def test_asking_for_pgvector_where_it_cannot_be_had_is_one_clear_error(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(StoreError, match=r"store\.db: cannot use pgvector: pgvector needs PostgreSQL"):
        Store.open(tmp_path / "store.db", vector_backend="pgvector")
    with pytest.raises(StoreError, match="unknown vector backend 'annoy'"):
        Store.open(tmp_path / "store.db", vector_backend="annoy")
    plain = request.getfixturevalue("pg_url")  # PostgreSQL 15 here has no pgvector
    with Store.open(plain) as store:
        if store.vector_backend == "pgvector":
            pytest.skip("this PostgreSQL server offers pgvector")
    with pytest.raises(StoreError, match="cannot use pgvector: the server does not offer the 'vector' extension"):
        Store.open(plain, vector_backend="pgvector")


def test_a_user_who_may_not_create_the_extension_keeps_the_file_index(
    pgvector_server: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with _role_database(pgvector_server, "team_writer", "team_news", owned=True) as (_, target):
        with caplog.at_level("INFO", logger="storyscope.store.database"):
            store = Store.open(target, index_dir=tmp_path / "index")
        with store:
            assert store.vector_backend in {"faiss", "numpy"}
            articles = synthetic(5)
            data = _vectors(5, 4, seed=1)
            _fill(store, articles, data)
            assert store.nearest(data[2], k=1)[0][0] == articles[2].id
        assert "cannot create the 'vector' extension (permission denied" in caplog.text
        with pytest.raises(StoreError, match="cannot use pgvector: cannot create the 'vector' extension"):
            Store.open(target, vector_backend="pgvector")


def test_vectors_written_without_the_column_are_filled_before_a_search(pgvector_url: str) -> None:
    articles = synthetic(20)
    ids = [a.id for a in articles]
    data = _vectors(20, 8, seed=21)
    with Store.open(pgvector_url) as store:
        _fill(store, articles, data)
        # as a process opened before pgvector was enabled (or an older storyscope) leaves them:
        with store._engine.begin() as conn:  # noqa: SLF001
            conn.exec_driver_sql("UPDATE embeddings SET embedding = NULL WHERE mod(id, 2) = 0")
        assert all(store.nearest(data[n], k=1)[0][0] == ids[n] for n in range(20))
    with Store.open(pgvector_url, vector_backend="numpy") as other:  # searching in-process, still writing the column
        other.put_embedding(ids[4], data[9])
    assert _sql(pgvector_url, "SELECT count(*) FROM embeddings WHERE embedding IS NULL") == 0
    with Store.open(pgvector_url) as store:
        assert {h[0] for h in store.nearest(data[9], k=2)} == {ids[4], ids[9]}


def test_wide_vectors_are_searched_without_an_index(pgvector_url: str) -> None:
    articles = synthetic(6)
    data = _vectors(6, 2048, seed=2)  # above pgvector's 2000-dimension HNSW limit
    with Store.open(pgvector_url) as store:
        _fill(store, articles, data)
        assert store.nearest(data[3], k=1)[0][0] == articles[3].id
    assert _sql(pgvector_url, "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_embeddings_hnsw'") is None


def test_more_results_than_ef_search_can_give_come_from_an_exact_scan(pgvector_url: str) -> None:
    articles = synthetic(1300)
    data = _vectors(1300, 4, seed=8)
    with Store.open(pgvector_url) as store:
        _fill(store, articles, data)
        hits = store.nearest(data[0], k=1200)
    assert len(hits) == 1200
    assert [h[1] for h in hits] == pytest.approx(sorted(data @ data[0], reverse=True)[:1200], abs=1e-5)


def test_a_read_only_user_opens_a_store_it_cannot_upgrade(pgvector_server: str) -> None:
    articles = synthetic(8)
    data = _vectors(8, 4, seed=4)
    with _role_database(pgvector_server, "news_reader", "reader_news", owned=False) as (owner, reader_url):
        with Store.open(owner, vector_backend="numpy") as store:  # the column is not there yet
            _fill(store, articles, data)
        engine = sa.create_engine(owner, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            conn.exec_driver_sql("CREATE EXTENSION vector")  # a superuser installed it, nobody upgraded
            conn.exec_driver_sql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO news_reader")
        engine.dispose()
        with Store.open(reader_url) as store:  # may not alter the table: opens all the same
            assert store.vector_backend in {"faiss", "numpy"}
            assert store.nearest(data[5], k=1)[0][0] == articles[5].id
        with pytest.raises(StoreError, match="cannot use pgvector: cannot add the vector column"):
            Store.open(reader_url, vector_backend="pgvector")
