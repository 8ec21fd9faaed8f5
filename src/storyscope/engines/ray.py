"""The Ray engine: corpus ingest with the full analysis spread over a Ray cluster.

:func:`ingest_corpus_ray` does what :func:`storyscope.corpus.ingest_corpus`
does (store, link near-duplicates, cluster into stories: the same code, in the
driver, in the same order and with the same batches, so the stored stories are
identical) and, on the way, runs the full per-sentence analysis
(:class:`storyscope.analyze.Pipeline`: sentences, entities, quantities, times,
quotes, cues, claims, sentence embeddings) as a Ray Data ``map_batches`` stage
over an actor pool with one model copy per worker. The analyses are written as
Parquet tables (see :mod:`storyscope.engines._records`) and read back with
:func:`storyscope.engines.load_analyzed`.

Sources are read in the driver (plain, HTML, JSON/JSONL, WARC, feeds and URLs
through :func:`storyscope.ingest.iter_sources`, and ``.parquet`` files, globs or a
folder's ``.parquet`` files, whose rows are records like JSONL lines and whose
outlets are named by the same rules: ``--outlet`` pairs and globs,
``--outlet-folders``, the outlets file) into Ray's object store; the workers analyze;
the driver consumes the results in input order.

Without ``RAY_ADDRESS`` Ray starts locally with ``workers`` CPUs; with it set,
``ray.init()`` joins that cluster. An already initialised Ray is used as is.
Ray is an optional extra (``pip install 'ray[data]'``); only this module imports it.
"""

from __future__ import annotations

import functools
import glob
import json
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from storyscope.engines._records import (
    ParquetWriter,
    analysis_columns,
    article_from_row,
    article_to_row,
    vectors_from_bytes,
)
from storyscope.errors import ConfigError, IngestError
from storyscope.model import AnalyzedArticle, Article, Failure

if TYPE_CHECKING:  # pragma: no cover
    from storyscope.analyze import Pipeline
    from storyscope.analyze.embeddings import Embedder
    from storyscope.corpus import IngestSummary, ProgressCallback
    from storyscope.ingest.fetch import Fetcher
    from storyscope.settings import AnalyzeSettings, Settings
    from storyscope.store import Store

__all__ = ["default_pipeline", "ingest_corpus_ray"]

logger = logging.getLogger(__name__)

#: Articles per object-store block handed to the workers.
BLOCK_ROWS = 8
#: Articles per ``map_batches`` call (one spaCy pass and one embedding call each).
ANALYZE_BATCH = 8

_MISSING = "ray is not installed: pip install 'ray[data]' to use --engine ray"


def _import_ray() -> Any:
    try:
        import ray.data  # noqa: F401 - the Data extra must be there too

        import ray
    except ImportError as exc:
        raise ConfigError(_MISSING) from exc
    return ray


def default_pipeline(settings: AnalyzeSettings | None = None) -> Pipeline:
    """The analysis pipeline each worker builds: the ``[analyze]`` settings' analyzers
    (the shipped ones when None), default models, one thread for ONNX."""
    from storyscope.analyze import Pipeline
    from storyscope.analyze.embeddings import MiniLMEmbedder
    from storyscope.settings import default_settings

    return Pipeline.from_config(
        settings if settings is not None else default_settings().analyze,
        embedder=MiniLMEmbedder(threads=1),
    )


class _Analyzer:
    """A Ray actor: one pipeline (one model copy) per worker, applied to batches."""

    def __init__(self, factory: Callable[[], Pipeline] | None = None) -> None:
        self.pipeline = (factory or default_pipeline)()

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        from storyscope._timer import thread_budgets
        from storyscope.cluster._text import lead_text

        seqs = batch.column("seq").to_pylist()
        articles = [article_from_row(json.loads(raw)) for raw in batch.column("article").to_pylist()]
        with thread_budgets():  # Ray Data calls this off the main thread: a watchdog keeps the budget
            done, errors = self._analyze(articles)
        leads = self.pipeline.embedder.embed([lead_text(a.title, a.text) for a in articles])
        return pa.table(
            {
                "seq": pa.array(seqs, pa.int64()),
                "article": batch.column("article"),
                "lead": pa.array([row.tobytes() for row in leads], pa.binary()),
                "dim": pa.array([int(leads.shape[1])] * len(articles), pa.int64()),
                "error": pa.array(errors, pa.string()),
                **analysis_columns(done),  # the Parquet rows, built here rather than in the driver
            }
        )


    def _analyze(
        self, articles: list[Article]
    ) -> tuple[list[AnalyzedArticle | None], list[str | None]]:
        """Each article's analysis or its error, as the local engine gives them: an article
        past its time budget is that article's error and the rest of the batch is analysed
        again without it (its budget is not paid twice); any other error, one by one."""
        from storyscope.errors import AnalysisTimeoutError

        done: list[AnalyzedArticle | None] = [None] * len(articles)
        errors: list[str | None] = [None] * len(articles)
        todo = list(range(len(articles)))
        while todo:
            try:
                for n, item in zip(todo, self.pipeline.analyze_many([articles[n] for n in todo]), strict=True):
                    done[n] = item
                return done, errors
            except AnalysisTimeoutError as exc:
                slow = next((n for n in todo if articles[n].id == exc.article_id), None)
                if slow is None:
                    break
                errors[slow] = str(exc)
                todo.remove(slow)
            except Exception:  # one bad article must not sink the batch: retry one by one
                break
        for n in todo:
            try:
                done[n] = self.pipeline.analyze_many([articles[n]])[0]
            except Exception as exc:
                errors[n] = str(exc) or type(exc).__name__
        return done, errors


class _LeadLookup:
    """An embedder that answers from the leads the workers computed, else a fallback."""

    def __init__(self, fallback: Embedder | None) -> None:
        self._fallback = fallback
        self.known: dict[str, npt.NDArray[np.float32]] = {}
        # corpus._model_name records this as the embeddings' model in the store
        self.model_label = type(fallback).__name__ if fallback is not None else "minilm-l6-v2-int8"
        self.name = f"precomputed:{self.model_label}"

    @property
    def embedder(self) -> Embedder:
        if self._fallback is None:
            from storyscope.analyze.embeddings import get_embedder

            self._fallback = get_embedder()
        return self._fallback

    @property
    def dim(self) -> int:
        for vector in self.known.values():
            return int(vector.shape[0])
        return int(self.embedder.dim)

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        missing = [t for t in texts if t not in self.known]
        if missing:
            logger.debug("embedding %d leads in the driver", len(missing))
            self.known.update(zip(missing, self.embedder.embed(missing), strict=True))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.known[t] for t in texts]).astype(np.float32, copy=False)


@dataclass(slots=True)
class _Planned:
    source: str
    positions: list[int]


@dataclass(slots=True)
class _Done:
    """An article back from the workers: its analysis is row ``row`` of ``block`` (None if it failed)."""

    seq: int
    article: Article
    lead: npt.NDArray[np.float32]
    block: Any
    row: int


def _iter_parquet(
    path: str,
    *,
    outlet: str | None,
    languages: Sequence[str] | None,
) -> Iterator[Article | Failure]:
    """Rows of a Parquet file as records (the same fields and cleaning as JSONL lines),
    named ``outlet`` when the caller named the file (else as each record names itself)."""
    import pyarrow.parquet as pq

    from storyscope.ingest.records import read_records
    from storyscope.ingest.stream import with_language

    try:
        handle = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises OSError, ArrowInvalid, ...
        yield Failure(stage="ingest", source=path, error=f"{path}: unreadable Parquet ({exc})")
        return
    wanted = set(languages or ())
    row = 0
    for chunk in handle.iter_batches(batch_size=256):
        for record in chunk.to_pylist():
            row += 1
            where = f"{path}#R{row}"
            try:
                result = read_records(json.dumps(record, default=str), source=where, outlet=outlet, jsonl=False)
            except IngestError as exc:
                yield Failure(stage="ingest", source=where, error=str(exc))
                continue
            for article in result.articles:
                article = with_language(article)
                if wanted and article.language is not None and article.language not in wanted:
                    problem = f"language '{article.language}', not " + ", ".join(sorted(wanted))
                    yield Failure(stage="ingest", source=where, error=f"{where}: {problem}")
                    continue
                yield article
            for error in result.errors:
                yield Failure(stage="ingest", source=error.source, error=str(error))


def _parquet_files(source: str) -> list[str]:
    """The ``.parquet`` files a source names: the file, a glob's matches (folders among
    them walked) or a folder's, recursively; sorted by path, hidden ones skipped."""
    def walk(folder: str) -> list[str]:
        found = []
        for root, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found += [
                os.path.join(root, f)
                for f in files
                if f.lower().endswith(".parquet") and not f.startswith(".")
            ]
        return sorted(found)

    if os.path.isdir(source):
        return walk(source)
    if glob.has_magic(source):
        paths: list[str] = []
        for match in sorted(glob.glob(source, recursive=True)):
            if os.path.isdir(match):
                paths += walk(match)
            elif match.lower().endswith(".parquet"):
                paths.append(match)
        return paths
    return [source] if os.path.exists(source) and source.lower().endswith(".parquet") else []


def _items(
    source: str,
    *,
    outlets: Mapping[str, str] | None,
    languages: Sequence[str] | None,
    fetcher: Fetcher | None,
    fetch_pages: bool,
) -> Iterator[Article | Failure]:
    """A source's articles: its Parquet files here, the rest through
    :func:`~storyscope.ingest.iter_sources`; a Parquet file's outlet is resolved as local
    ingest resolves a JSONL file's (``--outlet`` pairs and globs, ``--outlet-folders``,
    the outlets file: :func:`~storyscope.ingest.stream.file_outlet`)."""
    from storyscope.ingest import iter_sources
    from storyscope.ingest.stream import expand_source, file_outlet, name_outlets

    def others() -> Iterator[Article | Failure]:
        return iter_sources(
            [source], outlets=outlets, fetcher=fetcher, fetch_pages=fetch_pages, languages=languages
        )

    if os.path.isdir(source):
        parquet = _parquet_files(source)
        if not parquet or next(expand_source(source), None) is not None:
            yield from others()  # the folder's other articles, as local ingest reads them
    elif source.lower().endswith(".parquet"):
        parquet = _parquet_files(source)
        if not parquet:
            yield Failure(stage="ingest", source=source, error=f"{source}: file not found")
    else:
        yield from others()
        return
    for path in parquet:
        outlet = file_outlet(outlets, path, source)
        for item in name_outlets(_iter_parquet(path, outlet=outlet, languages=languages), outlets, outlet):
            if not isinstance(item, str):  # Parquet rows give no notes
                yield item


def ingest_corpus_ray(
    sources: Iterable[str],
    store: Store,
    *,
    run_id: str | None = None,
    outlets: Mapping[str, str] | None = None,
    languages: Iterable[str] | None = None,
    embedder: Embedder | None = None,
    fetcher: Fetcher | None = None,
    fetch_pages: bool = True,
    batch_size: int = 64,
    progress: ProgressCallback | None = None,
    parquet_dir: str | Path | None = None,
    workers: int | None = None,
    pipeline_factory: Callable[[], Pipeline] | None = None,
    analyze_batch: int = ANALYZE_BATCH,
    settings: Settings | None = None,
) -> IngestSummary:
    """:func:`storyscope.corpus.ingest_corpus` with the full analysis on Ray.

    Args:
        sources: As for :func:`~storyscope.corpus.ingest_corpus`, plus ``.parquet``
            files (or globs) whose rows are article records.
        store: The store.
        run_id: Id of this run; pass an interrupted run's id to resume it.
        outlets: Outlet names by source path, file name or stem.
        languages: Keep only articles in these ISO 639-1 languages.
        embedder: Driver-side fallback for lead embeddings (the workers compute
            them with the pipeline's embedder; this is used only for articles
            they did not embed, e.g. replayed after a crash).
        fetcher: HTTP fetcher for URLs and feeds.
        fetch_pages: Fetch the pages of feed entries that carry only a summary.
        batch_size: Articles per store transaction (the same batches as the local path).
        progress: Called after each batch with the running summary.
        parquet_dir: Output folder of the Parquet tables (default: ``parquet``
            next to a SQLite store, else ``storyscope-parquet`` in the working folder).
        workers: Actor pool size; also the CPUs of a locally started Ray (default:
            every CPU of the cluster, or of this machine).
        pipeline_factory: Picklable callable building each worker's
            :class:`~storyscope.analyze.Pipeline` (default :func:`default_pipeline`
            of the settings' ``[analyze]``).
        analyze_batch: Articles per ``map_batches`` call.
        settings: Resolved settings: their ``[analyze] analyzers`` are the workers'
            (the shipped ones when None; ignored with ``pipeline_factory``).

    Returns:
        What was done (analysis failures are counted in ``failed``; their
        articles are stored and clustered all the same).

    Raises:
        ConfigError: Ray is not installed, or ``workers`` is below 1.
        StoreError: The store or the Parquet output failed.
    """
    ray = _import_ray()
    from storyscope.corpus import (
        SAVE_EVERY,
        IngestSummary,
        _CorpusState,
        _FailureLog,
        _record_reprints,
        _store_articles,
    )
    from storyscope.store.records import RunProgress

    if workers is not None and workers < 1:
        raise ConfigError(f"--workers must be at least 1, not {workers}")
    if pipeline_factory is None and settings is not None:
        from storyscope.analyze.pipeline import build_analyzers

        build_analyzers(settings.analyze.analyzers)  # a bad list fails here, not in every worker
        pipeline_factory = functools.partial(default_pipeline, settings.analyze)
    resuming = run_id is not None
    run_id = run_id or uuid.uuid4().hex[:12]
    summary = IngestSummary(run_id=run_id)
    failures = _FailureLog(store, run_id, summary, resuming=resuming)
    started = time.perf_counter()
    leads = _LeadLookup(embedder)
    state = _CorpusState.load(store, leads)  # type: ignore[arg-type]
    state.replay_uncovered(store, summary)
    wanted = list(languages) if languages else None
    out_dir = Path(parquet_dir) if parquet_dir is not None else _default_parquet_dir(store)

    # 1. read every source in the driver, in order, into the object store
    started_ray = False
    plan: list[_Planned] = []
    refs: list[Any] = []
    pending: list[tuple[_Planned, int, Article]] = []
    read = 0
    seq = 0

    def ship() -> None:
        nonlocal started_ray, read, seq
        if not pending:
            return
        stored = store.stored_ids([article.id for _, _, article in pending])
        rows: list[str] = []
        known: list[Article] = []
        for planned, position, article in pending:
            if article.id in stored:  # stored by an earlier run: nothing to analyze
                summary.read += 1
                summary.already_stored += 1
                known.append(article)
                continue
            planned.positions.append(position)
            rows.append(json.dumps(article_to_row(article), ensure_ascii=False))
        pending.clear()
        summary.reprints += _record_reprints(store, known)  # another outlet's copy of a stored text
        if not rows:
            return
        if not ray.is_initialized():
            _init_ray(ray, workers)
            started_ray = True
        import pyarrow as pa

        table = pa.table(
            {"seq": pa.array(range(seq, seq + len(rows)), pa.int64()), "article": pa.array(rows, pa.string())}
        )
        refs.append(ray.put(table))
        read += len(rows)
        seq += len(rows)

    for source in sources:
        done = store.get_progress(run_id, source)
        if done is not None and done.status == "done":
            summary.sources_skipped += 1
            continue
        planned = _Planned(source, [])
        plan.append(planned)
        position = 0
        for item in _items(source, outlets=outlets, languages=wanted, fetcher=fetcher, fetch_pages=fetch_pages):
            position += 1
            if isinstance(item, Failure):
                failures.add(item)
                continue
            pending.append((planned, position, item))
            if len(pending) >= BLOCK_ROWS:
                ship()
    ship()
    logger.info("read %d articles from %d sources; analyzing on Ray", read, len(plan))

    # 2. analyze on the actor pool; consume in input order; store and cluster as the local path does
    results = _analyzed_stream(ray, refs, workers, pipeline_factory, analyze_batch) if refs else iter(())
    writer = ParquetWriter(out_dir, run_id)
    batches = 0
    cursor = 0

    def flush(
        planned: _Planned,
        batch: list[_Done],
        copies: list[Article],
        counts: dict[str, int],
        status: str,
        position: int,
    ) -> None:
        nonlocal batches
        def make_progress() -> RunProgress:
            return RunProgress(
                run_id=run_id, source=planned.source, position=str(position), status=status,
                added=counts["added"], skipped=counts["skipped"], failed=counts["failed"],
            )

        stored = _store_articles(  # a record the store refuses is its failure, as on the local path
            store, [entry.article for entry in batch], make_progress,
            lambda failure: failures.add(failure, counts),
        )
        kept = [(entry, flag) for entry, flag in zip(batch, stored, strict=True) if flag is not None]
        batch[:] = [entry for entry, _ in kept]
        new = [entry for entry, is_new in kept if is_new]
        summary.added += len(new)
        summary.already_stored += len(batch) - len(new)
        counts["added"] += len(new)
        counts["skipped"] += len(batch) - len(new)
        writer.write_analyzed(
            [(e.seq, e.article, e.lead, e.block, e.row) for e in new if e.block is not None]
        )
        from storyscope.cluster._text import lead_text

        for entry in new:
            leads.known[lead_text(entry.article.title, entry.article.text)] = entry.lead
        state.place(store, [entry.article for entry in new], summary)
        copies.extend(entry.article for entry, is_new in kept if not is_new)
        summary.reprints += _record_reprints(store, copies)
        copies.clear()
        leads.known.clear()
        batch.clear()
        batches += 1
        if batches % SAVE_EVERY == 0:
            state.consolidate(store, summary)
            state.save(store)
        if progress is not None:
            summary.seconds = time.perf_counter() - started
            progress(summary)

    try:
        for planned in plan:
            counts = {"added": 0, "skipped": 0, "failed": 0}
            batch: list[_Done] = []
            copies: list[Article] = []
            batch_ids: set[str] = set()
            position = 0
            for position in planned.positions:
                row, block, index = next(results)
                article = article_from_row(json.loads(row["article"]))
                cursor += 1
                if row["seq"] != cursor - 1:  # pragma: no cover - order is preserved by Ray
                    raise ConfigError(f"Ray returned article {row['seq']} where {cursor - 1} was due")
                summary.read += 1
                lead = vectors_from_bytes(row["lead"], row["dim"])[0]
                analyzed: Any = block
                if row["error"] is not None:
                    failures.add(Failure(stage="analyze", source=article.source, error=row["error"]), counts)
                    analyzed = None  # stored and clustered, but no analysis to write
                if article.id in batch_ids:
                    summary.already_stored += 1
                    copies.append(article)
                    continue
                batch.append(_Done(row["seq"], article, lead, analyzed, index))
                batch_ids.add(article.id)
                if len(batch) >= batch_size:
                    flush(planned, batch, copies, counts, "running", position)
                    batch_ids.clear()
            flush(planned, batch, copies, counts, "done", position)
        state.consolidate(store, summary)
        state.save(store)
    finally:
        writer.close()
        if started_ray:
            ray.shutdown()
    summary.seconds = time.perf_counter() - started
    if progress is not None:
        progress(summary)
    return summary


def _default_parquet_dir(store: Store) -> Path:
    url = getattr(store, "url", None) or str(store.name)
    text = str(url)
    if "://" not in text or text.startswith("sqlite:///"):
        path = Path(text.removeprefix("sqlite:///"))
        return path.with_name(path.stem + "-parquet")
    return Path("storyscope-parquet")


def _init_ray(ray: Any, workers: int | None) -> None:
    if os.environ.get("RAY_ADDRESS"):
        ray.init(logging_level=logging.WARNING, log_to_driver=False)
    else:
        ray.init(
            num_cpus=workers or os.cpu_count() or 1,
            include_dashboard=False,
            logging_level=logging.WARNING,
            log_to_driver=False,
        )


def _analyzed_stream(
    ray: Any,
    refs: list[Any],
    workers: int | None,
    factory: Callable[[], Pipeline] | None,
    analyze_batch: int,
) -> Iterator[tuple[dict[str, Any], Any, int]]:
    """``(row, block, index)`` in input order: ``row`` holds the light columns (``seq``,
    ``article``, ``lead``, ``dim``, ``error``) as Python values; the analysis stays in
    Arrow, as row ``index`` of ``block``, for the Parquet writer."""
    from ray.data import ActorPoolStrategy, DataContext

    context = DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    size = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    dataset = ray.data.from_arrow_refs(refs).map_batches(
        _Analyzer,
        fn_constructor_kwargs={"factory": factory},
        compute=ActorPoolStrategy(size=size),
        batch_size=analyze_batch,
        batch_format="pyarrow",
        num_cpus=1,
    )
    for block in dataset.iter_batches(batch_format="pyarrow", batch_size=None):
        light = block.select(["seq", "article", "lead", "dim", "error"]).to_pylist()
        for index, row in enumerate(light):
            yield row, block, index
