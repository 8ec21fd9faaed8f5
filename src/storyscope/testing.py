"""Reusable test helpers: cheap stand-ins for the heavy models, PostgreSQL servers, and
the store contract.

:class:`FakeEmbedder` satisfies the :class:`storyscope.analyze.embeddings.Embedder`
protocol without loading any model: it hashes lower-cased word tokens into a
fixed-size bag-of-words vector and L2-normalises it. Texts that share words get
a positive cosine; identical texts get cosine 1.0. Deterministic across runs and
processes (uses BLAKE2, not Python's salted ``hash``).

:func:`throwaway_postgres` starts a disposable PostgreSQL server for store tests
(:func:`postgres_unavailable` says why it cannot, so a test can skip).

:class:`StoreContract` is what every :class:`~storyscope.store.Store` backend must
do, as pytest test methods: subclass it in a test module and give the class a
``make_store`` fixture (``tests/store/test_contract.py`` runs it on SQLite and on
a real PostgreSQL)::

    class TestMyStore(StoreContract):
        @pytest.fixture
        def make_store(self, tmp_path):
            opened = []
            def make():
                opened.append(Store.open(tmp_path / f"{len(opened)}.db"))
                return opened[-1]
            yield make
            for store in opened:
                store.close()

The contract imports neither pytest nor Hypothesis until a test runs, so importing
this module needs neither.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from storyscope.errors import StoreError
from storyscope.model import Article, Failure, Removed, Sentence
from storyscope.store import (
    RunProgress,
    SearchHit,
    Store,
    StoryCounts,
    StorySummary,
    head_revision,
)

__all__ = [
    "BRIDGE",
    "HARBOUR",
    "HARBOUR_WIRE",
    "PG_BIN",
    "SAMPLE_ARTICLES",
    "UNDATED",
    "FakeEmbedder",
    "MakeStore",
    "PostgresUnavailable",
    "StoreContract",
    "assert_summaries_current",
    "postgres_for_tests",
    "postgres_unavailable",
    "synthetic_articles",
    "throwaway_postgres",
]

_WORD = re.compile(r"\w+", re.UNICODE)


class FakeEmbedder:
    """Bag-of-words hashing embedder for unit tests.

    Args:
        dim: Vector size.

    Attributes:
        name: Identifier, ``"fake-bow-<dim>"``.
        dim: Vector size.
    """

    def __init__(self, dim: int = 64) -> None:
        if dim < 1:
            raise ValueError("dim must be positive")
        self.dim = dim
        self.name = f"fake-bow-{dim}"
        self._cache: dict[str, int] = {}

    def _bucket(self, word: str) -> int:
        bucket = self._cache.get(word)
        if bucket is None:
            digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
            bucket = int.from_bytes(digest, "little") % self.dim
            self._cache[word] = bucket
        return bucket

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed texts as L2-normalised hashed bag-of-words vectors.

        Args:
            texts: Texts to embed.

        Returns:
            Array of shape ``(len(texts), dim)``, float32. A text with no word
            characters maps to a fixed unit vector (so rows are always unit length).
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            if not words:
                out[row, 0] = 1.0
                continue
            for word in words:
                out[row, self._bucket(word)] += 1.0
            out[row] /= np.linalg.norm(out[row])
        return out


PG_BIN = Path(os.environ.get("STORYSCOPE_PG_BIN", "/usr/lib/postgresql/15/bin"))
"""PostgreSQL server binaries (``$STORYSCOPE_PG_BIN`` overrides)."""


def postgres_unavailable(bin_dir: Path | None = None) -> str | None:
    """Why :func:`throwaway_postgres` cannot start a server here, or None when it can."""
    bin_dir = bin_dir or PG_BIN
    if not (bin_dir / "initdb").exists() or not (bin_dir / "pg_ctl").exists():
        return f"PostgreSQL binaries not found in {bin_dir}: install postgresql-15 or set STORYSCOPE_PG_URL"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser: cannot start PostgreSQL (it refuses root)"
    return None


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _runnable_bin(bin_dir: Path, folder: Path) -> Path:
    """``bin_dir``, or a copy of its installation in ``folder`` that user postgres can run."""
    if os.geteuid() != 0:
        return bin_dir
    probe = subprocess.run(_as_postgres(["test", "-x", str(bin_dir / "postgres")]), capture_output=True)
    if probe.returncode == 0:
        return bin_dir
    # e.g. an installation inside a private (0700) folder: copy the install tree out, keeping its
    # place relative to vendored libraries beside it (``<package>.libs``, found through an RPATH
    # relative to the binaries, as wheels that bundle PostgreSQL lay them out).
    install = bin_dir.parent
    package = install.parent
    site = folder / "site"
    shutil.copytree(install, site / package.name / install.name, symlinks=True)
    for libs in package.parent.glob(f"{package.name}.libs"):
        shutil.copytree(libs, site / libs.name, symlinks=True)
    return site / package.name / install.name / bin_dir.name


@contextmanager
def throwaway_postgres(prefix: str = "storyscope-pg-", *, bin_dir: Path | None = None) -> Iterator[str]:
    """Start a throwaway PostgreSQL cluster on a free loopback port; yield its SQLAlchemy URL.

    Durability is switched off (it is for tests). The cluster is owned by the
    ``postgres`` user when running as root, stopped and deleted on exit.

    Args:
        prefix: Prefix of the temporary folder.
        bin_dir: Server binaries (default :data:`PG_BIN`).

    Raises:
        RuntimeError: :func:`postgres_unavailable` names a reason.
        subprocess.CalledProcessError: initdb or pg_ctl failed.
    """
    bin_dir = bin_dir or PG_BIN
    reason = postgres_unavailable(bin_dir)
    if reason:
        raise RuntimeError(reason)
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    try:
        bin_dir = _runnable_bin(bin_dir, folder)
        subprocess.run(
            _as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                          "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]),
            check=True, capture_output=True,
        )
        subprocess.run(
            _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "pg.log"), "-w",
                          "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                          "-c full_page_writes=off -c synchronous_commit=off", "start"]),
            check=True, capture_output=True,
        )
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server can be had for the tests (the message says why)."""


@contextmanager
def postgres_for_tests(url_env: str, prefix: str, *, bin_dir: Path | None = None) -> Iterator[str]:
    """The server named by ``$url_env``, else a :func:`throwaway_postgres` from ``bin_dir``.

    Raises:
        PostgresUnavailable: Neither is possible here (tests skip with the reason).
    """
    given = os.environ.get(url_env)
    if given:
        yield given
        return
    reason = postgres_unavailable(bin_dir)
    if reason:
        raise PostgresUnavailable(reason)
    with throwaway_postgres(prefix, bin_dir=bin_dir) as url:
        yield url


# -- the store contract ------------------------------------------------------------------------

_SAMPLE_BASE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

HARBOUR = Article.create(
    text=(
        "Dock workers in Port Velmar walked off the job on Tuesday after the harbour authority "
        "announced 240 layoffs. Union leader Mara Okonde said the strike would last until the "
        "cuts were withdrawn. The authority's spokesman, Teodor Lisk, declined to comment."
    ),
    source="ledger/harbour.html",
    outlet="The Velmar Ledger",
    title="Dock workers strike over harbour layoffs",
    byline="Ines Marr",
    published=dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    language="en",
    url="https://ledger.example/harbour-strike",
    removed=(Removed(text="Support our journalism: donate today.", reason="donation appeal"),),
)
"""An invented article (outlets, people and places are made up), with an offset date and boilerplate."""

HARBOUR_WIRE = Article.create(
    text=(
        "Port Velmar dock workers went on strike Tuesday over 240 layoffs announced by the harbour "
        "authority, union leader Mara Okonde said. She said the walkout would continue until the "
        "layoffs were reversed."
    ),
    source="wire/0310-velmar.json",
    outlet="Coastline Wire",
    title="Velmar dockers strike",
    published=dt.datetime(2026, 3, 10, 11, 5, tzinfo=dt.UTC),
    language="en",
)
"""A second outlet's article on :data:`HARBOUR`'s event."""

BRIDGE = Article.create(
    text=(
        "The council of Arnsby approved a new footbridge over the river Quell on Monday. "
        "Mayor Pell Andrade said construction would begin in spring and cost 3.2 million euros."
    ),
    source="herald/bridge.txt",
    outlet="Arnsby Herald",
    title="Footbridge approved",
    published=dt.datetime(2026, 3, 9, 18, 0),
)
"""An article on another event, with a naive (UTC) date."""

UNDATED = Article.create(
    text="Les dockers de Port Velmar ont cessé le travail mardi.",
    source="echo/fr.txt",
    outlet="L'Écho de Velmar",
    language="fr",
)
"""A French article without a date."""

SAMPLE_ARTICLES = (HARBOUR, HARBOUR_WIRE, BRIDGE, UNDATED)
"""The four invented articles the store contract stores."""


def synthetic_articles(n: int, *, prefix: str = "syn") -> list[Article]:
    """``n`` distinct small articles, an hour apart from 2026-01-01 UTC, over five outlets."""
    return [
        Article.create(
            text=f"{prefix} report {i}: the Quell ferry carried {i * 7} passengers to Arnsby island.",
            source=f"{prefix}/{i}.txt",
            outlet=f"Outlet {i % 5}",
            title=f"Ferry report {i}",
            published=_SAMPLE_BASE + dt.timedelta(hours=i),
        )
        for i in range(n)
    ]


def _raises(match: str) -> Any:
    import pytest

    return pytest.raises(StoreError, match=match)


def _summary_article(n: int, outlet: str, minutes: int | None) -> Article:
    base = dt.datetime(2031, 5, 1, 12, 0, tzinfo=dt.UTC)
    return Article.create(
        text=f"Report {n}: the council of Arnsby voted on the footbridge, {n} members said.",
        source=f"t/{n}.txt",
        outlet=outlet,
        title=f"Report {n}",
        published=base + dt.timedelta(minutes=minutes) if minutes is not None else None,
    )


def _summaries(store: Store, **options: Any) -> list[StorySummary]:
    return list(store.story_summaries(limit=10_000, **options).stories)


def assert_summaries_current(store: Store) -> None:
    """Every story's summary row equals what the store computes from its articles."""
    by_id = {s.id: s for s in _summaries(store)}
    listed = [s for s in store.list_stories() if s.article_count > 0]
    assert sorted(by_id) == sorted(s.id for s in listed)
    for stored in listed:
        summary = by_id[stored.id]
        assert (summary.title, summary.article_count, summary.duplicate_count) == (
            stored.title,
            stored.article_count,
            stored.duplicate_count,
        )
        assert summary.outlets == stored.outlets
        assert (summary.first_published, summary.last_published) == (
            stored.first_published,
            stored.last_published,
        )
        assert summary.version == store.story_version(stored.id)


def _python_order(rows: list[StorySummary], order: str) -> list[int]:
    """The story list's order sorted in Python (ties: title folded, then id)."""
    rows = sorted(rows, key=lambda r: ((r.title or f"Story {r.id}").casefold(), r.id))
    if order == "size":
        rows.sort(key=lambda r: r.article_count, reverse=True)
    elif order == "conflicts":
        rows.sort(key=lambda r: r.contradiction_count or 0, reverse=True)
    else:
        floor = dt.datetime.min.replace(tzinfo=dt.UTC)
        rows.sort(key=lambda r: r.last_published or floor, reverse=True)
    return [r.id for r in rows]


def _hit_ids(hits: Sequence[SearchHit]) -> set[str]:
    return {h.article_id for h in hits}


def _unit(values: list[float]) -> npt.NDArray[np.float32]:
    v = np.asarray(values, dtype=np.float32)
    return v / np.linalg.norm(v)


MakeStore = Callable[[], Store]
"""What a ``make_store`` fixture gives: a function opening a new, empty store at the newest schema."""


class StoreContract:
    """The behaviour every store backend shares, as test methods (see the module docstring).

    A subclass provides a ``make_store`` fixture giving a :data:`MakeStore`: each call
    opens a new, empty store (its own file or database) at the newest schema; the
    fixture closes the stores it opened. Nothing here depends on the backend.
    """

    # -- articles ------------------------------------------------------------------------------

    def test_any_article_round_trips_exactly(self, make_store: MakeStore) -> None:
        from hypothesis import given, settings
        from hypothesis import strategies as st

        text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1)
        when = st.one_of(
            st.none(),
            st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)),
            st.datetimes(
                min_value=dt.datetime(1990, 1, 1),
                max_value=dt.datetime(2100, 1, 1),
                timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-5, minutes=-30))]),
            ),
        )
        articles = st.builds(
            Article.create,
            text=text,
            source=text,
            outlet=text,
            title=st.none() | text,
            byline=st.none() | text,
            published=when,
            language=st.none() | st.sampled_from(["en", "fr", "pt-BR"]),
            url=st.none() | st.just("https://news.example/a?b=1"),
            removed=st.lists(st.builds(Removed, text=text, reason=text), max_size=2).map(tuple),
        )
        store = make_store()

        @settings(max_examples=25, deadline=None)
        @given(article=articles)
        def round_trip(article: Article) -> None:
            stored_before = store.get_article(article.id)
            assert store.add_article(article) is (stored_before is None)
            got = store.get_article(article.id)
            assert got == (article if stored_before is None else stored_before)
            assert got is not None and got.text == article.text

        round_trip()

    def test_adding_the_same_article_twice_is_a_no_op(self, make_store: MakeStore) -> None:
        store = make_store()
        assert store.add_article(HARBOUR) is True
        assert store.add_article(HARBOUR) is False
        assert store.count() == 1

    def test_add_articles_reports_which_were_new_in_batch_order(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_article(BRIDGE)
        flags = store.add_articles([HARBOUR, BRIDGE, HARBOUR_WIRE, HARBOUR])
        assert flags == (True, False, True, False)
        assert store.count() == 3
        assert store.add_articles([]) == ()

    def test_get_articles_keeps_order_and_skips_unknown(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles(SAMPLE_ARTICLES)
        got = store.get_articles([BRIDGE.id, "0" * 16, HARBOUR.id])
        assert [a.id for a in got] == [BRIDGE.id, HARBOUR.id]
        assert store.get_article("missing") is None
        assert store.stored_ids([BRIDGE.id, "0" * 16, BRIDGE.id]) == {BRIDGE.id}

    def test_iter_articles_streams_in_insertion_order_across_pages(self, make_store: MakeStore) -> None:
        store = make_store()
        batch = synthetic_articles(23)
        store.add_articles(batch[:10])
        store.add_articles(batch[10:])
        streamed = list(store.iter_articles(batch_size=4))
        assert [a.id for a in streamed] == [a.id for a in batch]
        info = store.article_info(batch[9].id)
        assert info is not None
        after = [a.id for a in store.iter_articles(after=info.seq)]
        assert after == [a.id for a in batch[10:]]

    def test_iter_articles_filters_by_time_story_and_duplicates(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles([HARBOUR, BRIDGE])
        cutoff = dt.datetime.now(dt.UTC)
        store.add_articles([HARBOUR_WIRE, UNDATED])
        assert {a.id for a in store.iter_articles(since=cutoff)} == {HARBOUR_WIRE.id, UNDATED.id}
        story = store.create_story("Strike", [HARBOUR.id, HARBOUR_WIRE.id])
        assert {a.id for a in store.iter_articles(story_id=story)} == {HARBOUR.id, HARBOUR_WIRE.id}
        assert {a.id for a in store.iter_articles(unassigned=True)} == {BRIDGE.id, UNDATED.id}
        store.mark_duplicate(HARBOUR_WIRE.id, HARBOUR.id)
        kept = {a.id for a in store.iter_articles(include_duplicates=False)}
        assert HARBOUR_WIRE.id not in kept and HARBOUR.id in kept

    def test_article_info_tracks_story_and_duplicate_link(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles([HARBOUR, HARBOUR_WIRE])
        store.mark_duplicate(HARBOUR_WIRE.id, HARBOUR.id)
        info = store.article_info(HARBOUR_WIRE.id)
        assert info is not None and info.duplicate_of == HARBOUR.id and info.story_id is None
        assert info.ingested_at.tzinfo is dt.UTC
        store.mark_duplicate(HARBOUR_WIRE.id, None)
        again = store.article_info(HARBOUR_WIRE.id)
        assert again is not None and again.duplicate_of is None
        assert store.article_info("missing") is None

    def test_mark_duplicate_rejects_unknown_or_self_links(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_article(HARBOUR)
        with _raises("no stored article"):
            store.mark_duplicate(HARBOUR.id, "f" * 16)
        with _raises("itself"):
            store.mark_duplicate(HARBOUR.id, HARBOUR.id)

    def test_count_by_story(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles(SAMPLE_ARTICLES)
        story = store.create_story(None, [BRIDGE.id])
        assert store.count() == 4
        assert store.count(story_id=story) == 1

    # -- stories -------------------------------------------------------------------------------

    def test_story_lists_counts_outlets_and_publication_window(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles(SAMPLE_ARTICLES)
        strike = store.create_story("Velmar dock strike", [HARBOUR.id, HARBOUR_WIRE.id, UNDATED.id])
        store.mark_duplicate(HARBOUR_WIRE.id, HARBOUR.id)
        listed = {s.id: s for s in store.list_stories()}
        story = listed[strike]
        assert story.title == "Velmar dock strike"
        assert story.article_count == 3 and story.duplicate_count == 1
        assert story.outlets == ("Coastline Wire", "L'Écho de Velmar", "The Velmar Ledger")
        assert story.first_published == dt.datetime(2026, 3, 10, 8, 30, tzinfo=dt.UTC)
        assert story.last_published == dt.datetime(2026, 3, 10, 11, 5, tzinfo=dt.UTC)
        assert [a.id for a in store.story_articles(strike)] == [HARBOUR.id, HARBOUR_WIRE.id, UNDATED.id]

    def test_assign_moves_an_article_and_updates_both_stories(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles(SAMPLE_ARTICLES)
        a = store.create_story("A", [HARBOUR.id, BRIDGE.id])
        b = store.create_story("B")
        store.assign(BRIDGE.id, b)
        sa_, sb = store.get_story(a), store.get_story(b)
        assert sa_ is not None and sb is not None
        assert (sa_.article_count, sb.article_count) == (1, 1)
        assert sa_.first_published == sa_.last_published == dt.datetime(2026, 3, 10, 8, 30, tzinfo=dt.UTC)
        assert sb.first_published == dt.datetime(2026, 3, 9, 18, 0, tzinfo=dt.UTC)
        store.assign(BRIDGE.id, None)
        emptied = store.get_story(b)
        assert emptied is not None and emptied.article_count == 0 and emptied.first_published is None

    def test_assign_rejects_unknown_article_or_story_and_changes_nothing(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles([HARBOUR, BRIDGE])
        story = store.create_story("S")
        with _raises("no story 999"):
            store.assign_many({HARBOUR.id: story, BRIDGE.id: 999})
        with _raises("no stored article"):
            store.assign("0" * 16, story)
        assert store.count(story_id=story) == 0

    def test_merge_stories_moves_members_and_deletes_the_absorbed_story(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles(SAMPLE_ARTICLES)
        keep = store.create_story("Strike", [HARBOUR.id])
        absorb = store.create_story("Dockers", [HARBOUR_WIRE.id, UNDATED.id])
        store.cache_put("report", f"story:{absorb}", {"stale": True})
        assert store.merge_stories(keep, absorb) == keep
        assert store.get_story(absorb) is None
        assert store.count(story_id=keep) == 3
        assert store.cache_get("report", f"story:{absorb}") is None
        with _raises("no story"):
            store.merge_stories(keep, absorb)
        with _raises("itself"):
            store.merge_stories(keep, keep)

    def test_delete_story_keeps_its_articles(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles([HARBOUR])
        story = store.create_story("S", [HARBOUR.id])
        store.cache_put("report", f"story:{story}", {"stale": True})
        store.delete_story(story)
        assert store.get_story(story) is None and store.count() == 1
        assert store.cache_get("report", f"story:{story}") is None
        info = store.article_info(HARBOUR.id)
        assert info is not None and info.story_id is None
        with _raises("no story"):
            store.delete_story(story)

    def test_delete_empty_stories_spares_members_and_kept_ids(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles([HARBOUR, BRIDGE])
        full = store.create_story("full", [HARBOUR.id])
        emptied = store.create_story("emptied", [BRIDGE.id])
        store.assign(BRIDGE.id, full)
        bare = store.create_story("bare")
        kept = store.create_story("kept")
        store.cache_put("report", f"story:{bare}", {"stale": True})
        assert sorted(store.delete_empty_stories(keep=[kept])) == sorted([emptied, bare])
        assert {s.id for s in store.list_stories()} == {full, kept}
        assert store.cache_get("report", f"story:{bare}") is None
        assert store.count(story_id=full) == 2
        assert store.delete_empty_stories(keep=[kept]) == []

    def test_story_titles_and_listing_order(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles(SAMPLE_ARTICLES)
        older = store.create_story(None, [BRIDGE.id])
        newer = store.create_story(None, [HARBOUR.id])
        empty = store.create_story("empty")
        store.set_story_title(older, "Footbridge")
        assert [s.id for s in store.list_stories()] == [newer, older, empty]
        assert store.list_stories()[1].title == "Footbridge"
        with _raises("no story"):
            store.set_story_title(12345, "x")

    def test_ids_no_row_can_have_find_nothing(self, make_store: MakeStore) -> None:
        store = make_store()
        assert store.get_story(2**64) is None and store.story_articles(2**64) == []
        assert store.story_version(2**64) == store.story_version(store.create_story("Empty"))

    # -- cache ---------------------------------------------------------------------------------

    def test_story_report_cache_is_invalidated_when_members_change(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles(SAMPLE_ARTICLES)
        story = store.create_story("Strike", [HARBOUR.id])
        version = store.story_version(story)
        store.cache_put("report", f"story:{story}", {"facts": ["strike"]}, version=version)
        assert store.cache_get("report", f"story:{story}", version=store.story_version(story)) == {
            "facts": ["strike"]
        }
        store.assign(HARBOUR_WIRE.id, story)
        assert store.story_version(story) != version
        assert store.cache_get("report", f"story:{story}", version=store.story_version(story)) is None
        before = store.story_version(story)
        store.mark_duplicate(HARBOUR_WIRE.id, HARBOUR.id)
        assert store.story_version(story) != before

    def test_cache_replaces_values_and_rejects_non_json(self, make_store: MakeStore) -> None:
        store = make_store()
        store.cache_put("analysis", HARBOUR.id, {"sentences": 3}, version="v1")
        store.cache_put("analysis", HARBOUR.id, {"sentences": 4}, version="v2")
        assert store.cache_get("analysis", HARBOUR.id, version="v1") is None
        assert store.cache_get("analysis", HARBOUR.id, version="v2") == {"sentences": 4}
        with _raises("not JSON"):
            store.cache_put("analysis", "x", object())
        assert store.cache_delete(kind="analysis") == 1
        assert store.cache_get("analysis", HARBOUR.id, version="v2") is None

    def test_member_cache_version_changes_with_the_values_kept_under_members(
        self, make_store: MakeStore
    ) -> None:
        store = make_store()
        store.add_articles(SAMPLE_ARTICLES)
        story = store.create_story("Strike", [HARBOUR.id])
        other = store.create_story("Bridge", [BRIDGE.id])
        empty = store.member_cache_version(story, "reprints")
        assert store.member_cache_version(10**6, "reprints") == empty
        assert store.member_cache_version(2**64, "reprints") == empty
        store.cache_put("reprints", BRIDGE.id, [{"outlet": "A"}])  # another story's member
        store.cache_put("analysis", HARBOUR.id, {"n": 1})  # another kind
        assert store.member_cache_version(story, "reprints") == empty
        store.cache_put("reprints", HARBOUR.id, [{"outlet": "A"}])
        one = store.member_cache_version(story, "reprints")
        assert one != empty
        store.cache_put("reprints", HARBOUR.id, [{"outlet": "A"}, {"outlet": "B"}])
        two = store.member_cache_version(story, "reprints")
        assert two not in (empty, one)
        store.assign(HARBOUR.id, other)  # the member and its value move to the other story
        assert store.member_cache_version(story, "reprints") == empty
        assert store.member_cache_version(other, "reprints") not in (empty, two)
        store.cache_delete("reprints", HARBOUR.id)
        store.cache_delete("reprints", BRIDGE.id)
        assert store.member_cache_version(other, "reprints") == empty

    def test_member_cache_values_reads_the_values_kept_under_each_story_members(
        self, make_store: MakeStore
    ) -> None:
        store = make_store()
        store.add_articles(SAMPLE_ARTICLES)
        story = store.create_story("Strike", [HARBOUR.id, HARBOUR_WIRE.id])
        other = store.create_story("Bridge", [BRIDGE.id])
        assert store.member_cache_values("reprints") == {}
        store.cache_put("reprints", HARBOUR.id, [{"outlet": "A"}])
        store.cache_put("reprints", BRIDGE.id, [{"outlet": "B"}])
        store.cache_put("analysis", HARBOUR_WIRE.id, {"n": 1})  # another kind
        store.cache_put("reprints", "not-an-article", [{"outlet": "C"}])
        assert store.member_cache_values("reprints") == {
            story: [[{"outlet": "A"}]],
            other: [[{"outlet": "B"}]],
        }
        assert store.member_cache_values("reprints", [other, 10**6, 2**64]) == {
            other: [[{"outlet": "B"}]]
        }
        assert store.member_cache_values("reprints", []) == {}
        store.assign(HARBOUR.id, other)  # the value follows its article
        found = store.member_cache_values("reprints", [story, other])
        assert found == {other: [[{"outlet": "B"}], [{"outlet": "A"}]]} or found == {
            other: [[{"outlet": "A"}], [{"outlet": "B"}]]
        }

    def test_batch_reads_match_the_one_at_a_time_ones(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles(SAMPLE_ARTICLES)
        strike = store.create_story("Strike", [HARBOUR.id, HARBOUR_WIRE.id])
        bridge = store.create_story("Bridge", [BRIDGE.id])
        empty = store.create_story("Empty")
        store.mark_duplicate(HARBOUR_WIRE.id, HARBOUR.id)
        ids = [strike, bridge, empty, 10**6, 2**64]
        assert store.story_versions(ids) == {i: store.story_version(i) for i in ids[:4]}
        store.cache_put("report", f"story:{strike}", {"n": 1}, version="v1")
        store.cache_put("report", f"story:{bridge}", {"n": 2}, version="old")
        wanted = {f"story:{strike}": "v1", f"story:{bridge}": "v2", "story:nope": "v1"}
        assert store.cache_get_many("report", wanted) == {f"story:{strike}": {"n": 1}}
        got = store.article_stories([HARBOUR.id, BRIDGE.id, UNDATED.id, "missing"])
        assert got == {HARBOUR.id: strike, BRIDGE.id: bridge, UNDATED.id: None}

    # -- ingest runs ---------------------------------------------------------------------------

    def test_progress_commits_with_the_batch_it_describes(self, make_store: MakeStore) -> None:
        store = make_store()
        batch = synthetic_articles(6)
        progress = RunProgress(run_id="run-1", source="feeds/a.jsonl", position="3", added=3)
        store.add_articles(batch[:3], progress=progress)
        got = store.get_progress("run-1", "feeds/a.jsonl")
        assert got is not None and got.position == "3" and got.added == 3 and got.status == "running"
        assert got.started_at is not None and got.updated_at is not None
        store.add_articles(
            batch[3:],
            progress=RunProgress(run_id="run-1", source="feeds/a.jsonl", position="6", status="done", added=6),
        )
        done = store.get_progress("run-1", "feeds/a.jsonl")
        assert done is not None and done.status == "done" and done.position == "6"
        assert done.started_at == got.started_at
        store.set_progress(RunProgress(run_id="run-1", source="feeds/b.xml", position="etag:abc"))
        assert [p.source for p in store.list_progress("run-1")] == ["feeds/a.jsonl", "feeds/b.xml"]
        assert store.get_progress("run-2", "feeds/a.jsonl") is None

    def test_failures_are_recorded_per_run(self, make_store: MakeStore) -> None:
        store = make_store()
        store.record_failure(Failure(stage="ingest", source="bad.warc", error="truncated record"), run_id="r1")
        store.record_failure(Failure(stage="ingest", source="feed.xml", error="broken XML"))
        assert [f.source for f in store.failures()] == ["bad.warc", "feed.xml"]
        only = store.failures(run_id="r1")
        assert len(only) == 1 and only[0].error == "truncated record" and only[0].at.tzinfo is dt.UTC

    # -- story summaries (the story list) ------------------------------------------------------

    def test_summaries_follow_every_change_of_membership(self, make_store: MakeStore) -> None:
        store = make_store()
        a = [_summary_article(n, f"Outlet {n % 3}", n if n != 4 else None) for n in range(8)]
        store.add_articles(a)
        one = store.create_story("Footbridge vote", [a[0].id, a[1].id, a[2].id])
        two = store.create_story(None, [a[3].id, a[4].id])
        empty = store.create_story("Nothing yet")
        assert_summaries_current(store)
        assert empty not in {s.id for s in _summaries(store)}
        assert store.story_summaries().total == 2  # the empty story is not counted
        store.assign_many({a[5].id: two, a[6].id: empty})
        assert_summaries_current(store)
        store.mark_duplicate(a[1].id, a[0].id)
        assert_summaries_current(store)
        store.assign(a[2].id, None)
        assert_summaries_current(store)
        store.set_story_title(two, "Renamed")
        assert_summaries_current(store)
        store.merge_stories(one, empty)
        assert_summaries_current(store)
        store.delete_story(two)
        assert_summaries_current(store)
        (only,) = _summaries(store)
        assert only.id == one and only.article_count == 3 and only.duplicate_count == 1

    def test_counts_are_kept_for_the_members_and_digest_they_were_made_for(self, make_store: MakeStore) -> None:
        store = make_store()
        a = [_summary_article(n, "Outlet", n) for n in range(3)]
        store.add_articles(a)
        sid = store.create_story("Vote", [a[0].id, a[1].id])
        version = store.story_version(sid)
        counts = StoryCounts(story_id=sid, members=version, digest="d1", facts=5, contradictions=2, consensus=1)
        assert store.set_story_counts([counts]) == 1
        (row,) = _summaries(store, digest="d1")
        assert (row.fact_count, row.contradiction_count, row.consensus_count) == (5, 2, 1)
        (other,) = _summaries(store, digest="d2")  # other settings: not these counts
        assert other.fact_count is other.contradiction_count is None
        store.assign(a[2].id, sid)  # new members: the counts are of another story now
        (changed,) = _summaries(store, digest="d1")
        assert changed.fact_count is changed.contradiction_count is changed.consensus_count is None
        # a report that finishes after the change is left out
        assert store.set_story_counts([counts]) == 0
        assert _summaries(store, digest="d1")[0].fact_count is None
        fresh = StoryCounts(story_id=sid, members=store.story_version(sid), digest="d1", facts=7, contradictions=0)
        assert store.set_story_counts([fresh]) == 1
        assert _summaries(store, digest="d1")[0].fact_count == 7

    def test_order_filters_and_pages_match_the_python_sort(self, make_store: MakeStore) -> None:
        store = make_store()
        titles = ["apple", "Banana", "Émile", "zebra", None, "ÉMILE", "Ärger", "apple", "eagle", None]
        base = dt.datetime(2031, 5, 1, 12, 0, tzinfo=dt.UTC)
        n = 0
        ids = []
        for k, title in enumerate(titles):
            size = 1 + k % 3
            members = []
            for j in range(size):
                minutes = None if k == 4 else (k // 2) * 10 + (j if k % 2 else 0)  # ties in pairs
                members.append(_summary_article(n, f"Outlet {(k + j) % 4}", minutes))
                n += 1
            store.add_articles(members)
            sid = store.create_story(title, [m.id for m in members])
            ids.append(sid)
            store.set_story_counts(
                [StoryCounts(story_id=sid, members=store.story_version(sid), digest="d", contradictions=k % 3)]
            )
        everything = _summaries(store, digest="d")
        for order in ("recent", "size", "conflicts"):
            expected = _python_order(everything, order)
            got = [s.id for s in _summaries(store, order=order, digest="d")]
            assert got == expected, order
            page = store.story_summaries(order=order, digest="d", limit=3, offset=4)
            assert [s.id for s in page.stories] == expected[4:7] and page.total == len(titles)
        by_outlet = _summaries(store, outlet="Outlet 1")
        assert {s.id for s in by_outlet} == {s.id for s in everything if "Outlet 1" in s.outlets}
        since = base + dt.timedelta(minutes=20)
        assert {s.id for s in _summaries(store, published_since=since)} == {
            s.id for s in everything if s.last_published is not None and s.last_published >= since
        }
        assert {s.id for s in _summaries(store, published_before=since)} == {
            s.id for s in everything if s.first_published is not None and s.first_published < since
        }
        assert [s.id for s in _summaries(store, story_ids=[ids[3], ids[1], 2**70])] == sorted(
            [ids[1], ids[3]], key=[s.id for s in everything].index
        )
        assert store.story_summaries(story_ids=[]).total == 0
        assert store.outlets() == [f"Outlet {k}" for k in range(4)]

    # -- full-text search ----------------------------------------------------------------------

    def test_search_finds_stemmed_words_and_returns_exact_snippet_spans(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles(SAMPLE_ARTICLES)
        hits = store.search("layoff strike")
        assert _hit_ids(hits) == {HARBOUR.id, HARBOUR_WIRE.id}
        texts = {a.id: a.text for a in SAMPLE_ARTICLES}
        for hit in hits:
            text = texts[hit.article_id]
            assert hit.snippet == text[hit.start : hit.end]
            assert hit.matches, hit
            for span in hit.matches:
                assert text[span.start : span.end].lower().startswith(("layoff", "strike"))

    def test_search_phrases_or_and_exclusion(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles(SAMPLE_ARTICLES)
        assert _hit_ids(store.search('"harbour authority"')) == {HARBOUR.id, HARBOUR_WIRE.id}
        assert _hit_ids(store.search("footbridge OR walkout")) == {BRIDGE.id, HARBOUR_WIRE.id}
        assert _hit_ids(store.search("layoffs -Okonde")) == set()
        assert _hit_ids(store.search("strike -wire -declined")) == {HARBOUR_WIRE.id}
        assert store.search("") == [] and store.search('   "" - OR') == []

    def test_search_matches_titles_and_ranks_and_limits(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles(SAMPLE_ARTICLES)
        hits = store.search("footbridge")
        assert [h.article_id for h in hits] == [BRIDGE.id]
        assert hits[0].title == "Footbridge approved" and hits[0].outlet == "Arnsby Herald"
        assert len(store.search("Velmar", limit=1)) == 1
        assert store.search("Velmar", limit=0) == []

    def test_any_query_string_is_accepted(self, make_store: MakeStore) -> None:
        from hypothesis import given, settings
        from hypothesis import strategies as st

        store = make_store()
        store.add_articles(SAMPLE_ARTICLES)

        @settings(max_examples=30, deadline=None)
        @given(query=st.text(max_size=40))
        def accepted(query: str) -> None:
            for hit in store.search(query, limit=3):  # NUL and other controls included
                assert hit.start <= hit.end
            store.search_sentences(query, limit=3)

        accepted()

    def test_control_characters_in_a_query_are_spaces(self, make_store: MakeStore) -> None:
        # FTS5 read "strike\x00" as an unterminated string; PostgreSQL text cannot hold NUL.
        store = make_store()
        store.add_articles(SAMPLE_ARTICLES)
        want = _hit_ids(store.search("layoff strike"))
        for query in ("layoff\x00strike", "layoff strike\x00", "\x00layoff\x1fstrike\x7f", "layoff\tstrike"):
            assert _hit_ids(store.search(query)) == want, repr(query)
            store.search_sentences(query)
        assert store.search("\x00") == [] and store.search_sentences('"\x00"') == []

    def test_sentence_search_returns_stored_spans(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles(SAMPLE_ARTICLES)
        first_end = HARBOUR.text.index(".") + 1
        second_start = first_end + 1
        second_end = HARBOUR.text.index(".", second_start) + 1
        sentences = [
            Sentence(index=0, start=0, end=first_end, text=HARBOUR.text[:first_end]),
            Sentence(index=1, start=second_start, end=second_end, text=HARBOUR.text[second_start:second_end]),
        ]
        store.save_sentences(HARBOUR.id, sentences)
        assert store.load_sentences(HARBOUR.id) == tuple(sentences)
        hits = store.search_sentences("union leader")
        assert [(h.article_id, h.index) for h in hits] == [(HARBOUR.id, 1)]
        assert HARBOUR.text[hits[0].start : hits[0].end] == hits[0].text
        assert store.search_sentences("union leader", limit=0) == []
        store.save_sentences(HARBOUR.id, sentences[:1])
        assert store.search_sentences("union leader") == []

    def test_save_sentences_rejects_spans_that_do_not_match_the_text(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles([HARBOUR])
        with _raises("does not match"):
            store.save_sentences(HARBOUR.id, [Sentence(index=0, start=0, end=4, text="Ship")])
        with _raises("no stored article"):
            store.save_sentences("0" * 16, [])

    # -- embeddings ----------------------------------------------------------------------------

    def test_embeddings_are_stored_normalised_and_replaced(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles(SAMPLE_ARTICLES)
        store.put_embeddings({HARBOUR.id: [2, 0, 0, 0], BRIDGE.id: _unit([0, 0, 1, 0.1])}, model="fake-4")
        got = store.get_embedding(HARBOUR.id)
        assert got is not None and got.dtype == np.float32 and np.allclose(got, [1, 0, 0, 0])
        bridge = store.get_embedding(BRIDGE.id)
        assert bridge is not None and np.allclose(bridge, _unit([0, 0, 1, 0.1]))
        store.put_embedding(HARBOUR.id, [0, 0, 3, 4])
        again = store.get_embedding(HARBOUR.id)
        assert again is not None and np.allclose(again, [0, 0, 0.6, 0.8])
        assert store.get_embedding(UNDATED.id) is None
        store.put_embeddings({})

    def test_embeddings_are_validated(self, make_store: MakeStore) -> None:
        store = make_store()
        store.add_articles([HARBOUR, BRIDGE])
        store.put_embedding(HARBOUR.id, [1, 0, 0])
        with _raises("dimension"):
            store.put_embedding(BRIDGE.id, [1, 0])
        with _raises("non-zero"):
            store.put_embedding(BRIDGE.id, [0, 0, 0])
        with _raises("non-zero"):
            store.put_embedding(BRIDGE.id, [float("nan"), 0, 1])
        with _raises("no stored article"):
            store.put_embedding("0" * 16, [1, 0, 0])
        assert store.get_embedding(BRIDGE.id) is None

    # -- the store itself ----------------------------------------------------------------------

    def test_a_new_store_is_at_the_newest_revision_and_healthy(self, make_store: MakeStore) -> None:
        store = make_store()
        assert store.revision() == head_revision()
        assert store.read_only is False and store.dialect in ("sqlite", "postgresql")
        store.add_articles(SAMPLE_ARTICLES)
        store.create_story("Strike", [HARBOUR.id, HARBOUR_WIRE.id])
        assert store.integrity_check() == []

    def test_an_advisory_lock_can_be_taken_again_after_release(self, make_store: MakeStore) -> None:
        store = make_store()
        with store.advisory_lock(0x5709_C0DE):
            store.add_article(HARBOUR)
        with store.advisory_lock(0x5709_C0DE):
            assert store.count() == 1
