"""A record the store refuses is that record's failure; the rest of its batch is stored, failures once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _corpus_articles import ALL, write_jsonl

from storyscope.corpus import ingest_corpus
from storyscope.errors import StoreError
from storyscope.store import Store
from storyscope.store.records import RunProgress
from storyscope.testing import FakeEmbedder

NUL_RECORD = {
    "outlet": "Nul\u0000 Gazette",
    "title": "Ferry\u0000 service resumes",
    "text": (
        "The Halden ferry resumed\u0000 service on Tuesday after a week of repairs, the operator said. "
        "Crews replaced the loading ramp, and the first crossing left at seven in the morning."
    ),
}


@pytest.fixture()
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Store.open(tmp_path / "lib.db") as opened:
        yield opened


def _refusing(store: Store, monkeypatch: pytest.MonkeyPatch, word: str) -> list[int]:
    """Make the store refuse every write holding an article whose text has ``word``."""
    real = store.add_articles
    calls: list[int] = []

    def add_articles(batch, *, progress=None):  # type: ignore[no-untyped-def]
        items = list(batch)
        calls.append(len(items))
        if any(word in a.text for a in items):
            raise StoreError(f"{store.name}: value refused by the database")
        return real(items, progress=progress)

    monkeypatch.setattr(store, "add_articles", add_articles)
    return calls


def test_a_record_the_store_refuses_is_its_failure_and_the_rest_of_the_batch_is_stored(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marked = {**ALL[2], "text": ALL[2]["text"] + " Zyxwarden Lund declined to comment."}
    feed = write_jsonl(tmp_path / "feed.jsonl", [*ALL[:2], marked, *ALL[3:]])
    bad_source = f"{feed}#L3"
    calls = _refusing(store, monkeypatch, "Zyxwarden")
    summary = ingest_corpus([str(feed)], store, embedder=FakeEmbedder(), run_id="run-1")
    assert (summary.added, summary.failed) == (4, 1)
    assert calls[0] == 5 and calls.count(1) == 5  # the batch, then each article alone
    stored = {a.source for a in store.iter_articles(include_duplicates=True)}
    assert len(stored) == 4 and bad_source not in stored
    (failure,) = store.failures(run_id="run-1")
    assert failure.error == f"{bad_source}: not stored (value refused by the database)"
    progress = store.get_progress("run-1", str(feed))
    assert progress is not None and (progress.status, progress.failed) == ("done", 1)
    assert all(store.article_info(a.id).story_id is not None for a in store.iter_articles())  # type: ignore[union-attr]


def test_a_failing_store_still_ends_the_run(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    feed = write_jsonl(tmp_path / "feed.jsonl")

    def down(*args: object, **kwargs: object) -> None:
        raise StoreError(f"{store.name}: cannot reach the database server")

    monkeypatch.setattr(store, "add_articles", down)
    monkeypatch.setattr(store, "record_failure", down)
    with pytest.raises(StoreError, match="cannot reach the database server"):
        ingest_corpus([str(feed)], store, embedder=FakeEmbedder())


def test_a_resumed_run_does_not_record_its_failures_twice(store: Store, tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed.jsonl", extra_lines=("{not json",))
    first = ingest_corpus([str(feed)], store, embedder=FakeEmbedder(), run_id="run-1")
    assert first.failed == 1
    # as if the run had been killed before it finished the source
    store.add_articles([], progress=RunProgress(run_id="run-1", source=str(feed), position="3", status="running"))
    again = ingest_corpus([str(feed)], store, embedder=FakeEmbedder(), run_id="run-1")
    assert (again.failed, again.added, again.already_stored) == (1, 0, 5)
    assert len(store.failures(run_id="run-1")) == 1


def _nul_feed(tmp_path: Path) -> Path:
    path = tmp_path / "nul.jsonl"
    lines = [json.dumps(ALL[0]), json.dumps(NUL_RECORD), json.dumps(ALL[3])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_nul_record_is_ingested_into_postgresql(corpus_pg_url: str, tmp_path: Path) -> None:
    feed = _nul_feed(tmp_path)
    with Store.open(corpus_pg_url) as pg:
        summary = ingest_corpus([str(feed)], pg, embedder=FakeEmbedder())
        assert (summary.added, summary.failed) == (3, 0)
        stored = {a.outlet: a for a in pg.iter_articles(include_duplicates=True)}
    ferry = stored["Nul Gazette"]
    assert ferry.title == "Ferry service resumes"
    assert ferry.text.startswith("The Halden ferry resumed service on Tuesday")


def test_a_record_postgresql_refuses_does_not_stop_the_ingest(
    corpus_pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # with cleaning switched off, U+0000 reaches PostgreSQL, which refuses it: one failure, the rest stored
    import storyscope.ingest._decode as decode_module
    import storyscope.ingest.text as text_module

    monkeypatch.setattr(text_module, "strip_controls", lambda text: text)
    monkeypatch.setattr(decode_module, "strip_controls", lambda text: text)
    feed = _nul_feed(tmp_path)
    with Store.open(corpus_pg_url) as pg:
        summary = ingest_corpus([str(feed)], pg, embedder=FakeEmbedder(), run_id="pg-run")
        assert (summary.added, summary.failed) == (2, 1)
        (failure,) = pg.failures(run_id="pg-run")
        assert failure.source == f"{feed}#L2"
        assert "not stored" in failure.error and "\x00" not in failure.error and "\n" not in failure.error
        assert {a.outlet for a in pg.iter_articles(include_duplicates=True)} == {ALL[0]["outlet"], ALL[3]["outlet"]}
        again = ingest_corpus([str(feed)], pg, embedder=FakeEmbedder(), run_id="pg-run")
        assert again.sources_skipped == 1  # the source was finished: a resume does not stop at it
