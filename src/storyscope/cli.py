"""The ``storyscope`` command line: a thin click layer over the library.

Errors are one line on stderr, never a traceback (unless ``--debug``): exit
code 1 for bad input or a partial result, 2 for usage errors.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from storyscope._version import __version__
from storyscope.errors import StoryscopeError, displayable

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("json", "markdown", "md", "html")


def _one_line_errors(func: F) -> F:
    """Turn library errors (and unexpected ones) into one-line click errors."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(click.get_current_context().find_root().params.get("debug"))
        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except StoryscopeError as exc:
            if debug:
                raise
            raise click.ClickException(str(exc)) from None
        except MemoryError:
            raise click.ClickException("out of memory (input too large?)") from None
        except Exception as exc:  # never show a traceback to a user
            if debug:
                raise
            if type(exc).__module__.startswith("sqlalchemy"):
                # A database failure outside the store's own wrapping: its driver's
                # message, one line (the full SQLAlchemy text runs to six).
                from storyscope.store._engine import wrap

                raise click.ClickException(str(wrap(exc, "database"))) from None
            first = (str(exc).strip().splitlines() or [""])[0]
            raise click.ClickException(
                f"internal error: {type(exc).__name__}: {first} (run with --debug for details)"
            ) from None

    return wrapper  # type: ignore[return-value]


class _LazyGroup(click.Group):
    """A group whose heavier commands (the web server) are imported only when used."""

    lazy: dict[str, str] = {"serve": "storyscope.web.cli:serve"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            import importlib

            module, _, attr = self.lazy[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attr)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storyscope")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Settings file (default: $STORYSCOPE_CONFIG, else ./storyscope.toml if present).",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool, config_path: Path | None) -> None:
    """storyscope: show a news story from every side.

    Compare several outlets' articles about one event: what they agree on, what
    only one says, where they conflict, who is quoted, how each frames it, and a
    cited summary.
    """
    ctx.obj = {"config": config_path}


_SET_OPTION = click.option(
    "--set",
    "set_values",
    multiple=True,
    metavar="SECTION.KEY=VALUE",
    help="Override a setting (repeatable), e.g. --set align.group_threshold=0.9.",
)


def _settings(set_values: tuple[str, ...] = (), outlets_file: Path | None = None) -> Any:
    """The resolved settings: defaults < settings file < STORYSCOPE_* < --set (and
    ``--outlets FILE``, the ``outlets.file`` setting)."""
    from storyscope.settings import resolve_settings

    obj = click.get_current_context().find_root().obj or {}
    return resolve_settings(obj.get("config"), overrides=set_values, outlets_file=outlets_file)


_OUTLETS_OPTION = click.option(
    "--outlets",
    "outlets_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Outlet metadata (TOML or CSV: name, domains, lean, owner, kind, country; see "
    "docs/outlets.md). Default: the [outlets] file setting, else none (no ratings ship).",
)
_OUTLET_FOLDERS_OPTION = click.option(
    "--outlet-folders",
    is_flag=True,
    help="Name each file's outlet after its folder below a directory SOURCE "
    "(DIR/OUTLET/article.txt).",
)


_FORMAT_OPTION = click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Report format (default: from the -o suffix: .json, .md, .markdown, .html, .htm; "
    "else json).",
)
_OUTPUT_OPTION = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write the report to this file instead of standard output.",
)


def _write_report(text: str, output: Path | None) -> None:
    """Print a rendered report, or write it to ``output`` (one-line error if that fails)."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        output.write_text(text, encoding="utf-8", errors="backslashreplace")
    except OSError as exc:
        raise click.ClickException(
            f"{displayable(str(output))}: cannot write report: {exc.strerror}"
        ) from None


def _parse_outlets(
    values: tuple[str, ...], *, folders: bool = False, settings: Any = None
) -> Any:
    """The ``--outlet`` pairs and globs, ``--outlet-folders`` and the settings' outlets
    file, as one :class:`~storyscope.outlets.OutletNaming`."""
    from storyscope.outlets import parse_outlet_pairs

    directory = settings.outlets.load() if settings is not None else None
    try:
        return parse_outlet_pairs(values, folders=folders, directory=directory)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--outlet") from None


_ALLOW_PRIVATE_OPTION = click.option(
    "--allow-private-addresses",
    is_flag=True,
    help="Also fetch URLs and feeds whose host is loopback, private or link-local "
    "(your own intranet); refused by default.",
)


@contextlib.contextmanager
def _fetcher(allow_private_addresses: bool) -> Iterator[Any]:
    """The fetcher for URL and feed sources: None (the polite default, made when first
    needed) unless private addresses are allowed."""
    if not allow_private_addresses:
        yield None
        return
    from storyscope.ingest.fetch import Fetcher

    with Fetcher(allow_private_addresses=True) as fetcher:
        yield fetcher


@cli.command()
@click.argument("sources", nargs=-1, required=False, metavar="SOURCE...")
@click.option(
    "--example",
    is_flag=True,
    help="Compare the example story shipped with storyscope (five invented outlets) "
    "instead of SOURCE.",
)
@_FORMAT_OPTION
@_OUTPUT_OPTION
@click.option(
    "--outlet",
    "outlet_pairs",
    multiple=True,
    metavar="FILE=OUTLET",
    help="Name the outlet of a source (repeatable); FILE may be a glob ('ledger-*=The Aster "
    "Ledger'). Overrides metadata and file names.",
)
@_OUTLET_FOLDERS_OPTION
@_OUTLETS_OPTION
@click.option("--fail-fast", is_flag=True, help="Stop at the first bad source.")
@_ALLOW_PRIVATE_OPTION
@click.option("--timings", is_flag=True, help="Print seconds per stage to stderr.")
@click.option("-q", "--quiet", is_flag=True, help="Print no summary or warnings.")
@_SET_OPTION
@_one_line_errors
def compare(
    sources: tuple[str, ...],
    example: bool,
    fmt: str | None,
    output: Path | None,
    outlet_pairs: tuple[str, ...],
    outlet_folders: bool,
    outlets_file: Path | None,
    fail_fast: bool,
    allow_private_addresses: bool,
    timings: bool,
    quiet: bool,
    set_values: tuple[str, ...],
) -> None:
    """Compare articles about one event from SOURCE files, directories, globs or URLs.

    Sources are what `storyscope ingest` reads: plain text (optionally with a
    front-matter block), HTML, JSON, JSONL, WARC archives, RSS/Atom feeds and
    OPML lists, and http(s) URLs of pages or feeds (fetched politely; hosts that
    resolve to a loopback, private or link-local address are refused unless
    --allow-private-addresses is given). Exit code 0 when every source was read and articles from at
    least two outlets were compared; 1 when some source failed (the report on
    the others is still written), when only one outlet's articles were read
    (report written), or when no article could be read (no report); 2 on usage
    errors. Compare is for one event's coverage: past 50 articles it warns and
    shows its progress, past 200 articles or 200,000 characters to analyse in all
    (each article counts at most its first 50,000) it refuses in one line, exit code
    1 (use `storyscope ingest` for a corpus).
    --example compares the example story shipped with storyscope.
    """
    from storyscope.api import COMPARE_MAX_ARTICLES, COMPARE_MAX_CHARS, StageTimes
    from storyscope.api import compare as run_compare
    from storyscope.report import render

    if example:
        if sources:
            raise click.UsageError("give SOURCE... or --example, not both")
        from storyscope._examples import example_dir

        sources = (str(example_dir()),)
    elif not sources:
        raise click.UsageError("Missing argument 'SOURCE...' (or give --example).")
    settings = _settings(set_values, outlets_file)
    outlets = _parse_outlets(outlet_pairs, folders=outlet_folders, settings=settings)
    if fmt is None:
        fmt = _format_from_suffix(output)
    stage_times = StageTimes()
    with _fetcher(allow_private_addresses) as fetcher, _CompareProgress(quiet=quiet) as progress:
        story = run_compare(
            sources,
            outlets=outlets,
            fail_fast=fail_fast,
            timings=stage_times,
            settings=settings,
            progress=progress,
            max_articles=COMPARE_MAX_ARTICLES,
            max_chars=COMPARE_MAX_CHARS,
            fetcher=fetcher,
        )
    text = render(story, fmt)
    _write_report(text, output)

    err = functools.partial(click.echo, err=True)
    for failure in story.failures:
        err(
            f"error: {failure.error}"
            if failure.source in failure.error
            else f"error: {failure.source}: {failure.error}"
        )
    if not quiet:
        for warning in story.warnings:
            err(f"warning: {warning}")
    if timings:
        err(json.dumps({k: round(v, 3) for k, v in stage_times.as_dict().items()}))
    if not quiet:
        err(_summary_line(story, output))
    distinct = {a.article.outlet for a in story.articles}
    if len(story.articles) < 2:
        only = story.articles[0].article.source if story.articles else "(none)"
        err(f"error: only one article ({only}): nothing to compare")
    elif len(distinct) < 2:
        err(
            f"error: all {len(story.articles)} articles are from one outlet ({next(iter(distinct))}): "
            "name each source's outlet with --outlet FILE=OUTLET or an 'outlet' field"
        )
    if story.failures or len(distinct) < 2:
        sys.exit(1)


class _CompareProgress:
    """Past COMPARE_WARN_ARTICLES articles: a warning line, then the progress (:class:`_Progress`)."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: _Progress | None = None

    def __enter__(self) -> _CompareProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, done: int, total: int) -> None:
        from storyscope.api import COMPARE_WARN_ARTICLES

        if self.quiet or total <= COMPARE_WARN_ARTICLES:
            return
        if self.bar is None:
            click.echo(
                f"warning: {total:,} articles: compare analyses and aligns them all as one "
                "story, in memory; for a corpus, `storyscope ingest SOURCE... --db PATH` "
                "groups articles into stories (resumable), then `storyscope report`",
                err=True,
            )
            self.bar = _Progress("analysing", "articles", total=total).start()
        self.bar.update(done, total)


#: A run this long (or of unknown length) also reports to a non-terminal stderr (a log, a
#: pipe): one plain line per tenth of the total, or per _PLAIN_EVERY items when it is unknown.
_PLAIN_MIN_TOTAL = 100
_PLAIN_EVERY = 1000


class _Progress:
    """A long command's progress on stderr: done of total, rate and time left (ETA).

    On a terminal, a rich bar that goes away when done. Elsewhere nothing, unless the
    run is long (a total of _PLAIN_MIN_TOTAL or more, or unknown): then a plain line
    such as ``ingesting: 1,200/5,000 articles (24%), 310.2/s, ETA 0:00:12`` each tenth
    of the way. The callers leave it out under ``-q``.
    """

    def __init__(self, description: str, unit: str, *, total: int | None = None) -> None:
        self.description = description
        self.unit = unit
        self.total = total
        self.console = _stderr_console()
        self.bar: Any = None
        self.task: Any = None
        self.started = 0.0
        self.next_line = 0

    def start(self) -> _Progress:
        import time

        self.started = time.monotonic()
        self.next_line = self._step()
        if self.console.is_terminal:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(bar_width=20),
                MofNCompleteColumn(),
                TextColumn(f"{self.unit}, {{task.fields[rate]:.1f}}/s{{task.fields[note]}}, ETA"),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.description, total=self.total, rate=0.0, note="")
        return self

    def __enter__(self) -> _Progress:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def _step(self) -> int:
        if self.total is None:
            return _PLAIN_EVERY
        if self.total < _PLAIN_MIN_TOTAL:
            return 0  # a short run: nothing off a terminal
        return max(1, self.total // 10)

    def update(self, done: int, total: int | None = None, note: str = "") -> None:
        import time

        if total is not None and total != self.total:
            self.total = total
            self.next_line = self._step()
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        if self.bar is not None:
            self.bar.update(
                self.task,
                completed=done,
                total=self.total,
                rate=rate,
                note=f", {note}" if note else "",
            )
            return
        if self.next_line and done >= self.next_line:
            step = self._step()
            self.next_line = (done // step + 1) * step
            click.echo(self.line(done, rate, note), err=True)

    def line(self, done: int, rate: float, note: str = "") -> str:
        """The plain progress line (for logs and pipes)."""
        import datetime as dt

        extra = f", {note}" if note else ""
        if self.total is None:
            return f"{self.description}: {done:,} {self.unit}{extra}, {rate:.1f}/s (total unknown)"
        share = done / self.total if self.total else 1.0
        left = (self.total - done) / rate if rate > 0 else None
        eta = str(dt.timedelta(seconds=round(left))) if left is not None else "?"
        return (
            f"{self.description}: {done:,}/{self.total:,} {self.unit} ({share:.0%}){extra}, "
            f"{rate:.1f}/s, ETA {eta}"
        )


#: Report format of each -o suffix; a file name without a suffix gets JSON.
_SUFFIX_FORMATS = {
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}


def _format_from_suffix(output: Path | None) -> str:
    """The report format the -o file's suffix names (usage error for an unknown suffix)."""
    if output is None or not output.suffix:
        return "json"
    fmt = _SUFFIX_FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise click.BadParameter(
            f"{displayable(str(output))}: unknown report suffix {displayable(output.suffix)!r}; "
            f"use {', '.join(_SUFFIX_FORMATS)} (or name the format with --format)",
            param_hint="'-o' / '--output'",
        )
    return fmt


def _summary_line(story: Any, output: Path | None) -> str:
    from collections import Counter

    statuses = Counter(f.status for f in story.facts)
    outlets = {a.article.outlet for a in story.articles}
    quotes = sum(len(a.quotes) for a in story.articles)
    where = f"Wrote {displayable(os.path.abspath(output))}" if output is not None else "Report"
    return (
        f"{where}: {len(story.articles)} articles from {len(outlets)} outlets; "
        f"{len(story.facts)} facts ({statuses.get('consensus', 0)} agreed, "
        f"{statuses.get('single_source', 0)} single-source, {statuses.get('contested', 0)} contested); "
        f"{len(story.contradictions)} contradictions; {quotes} quotes; "
        f"{len(story.omissions)} omissions."
    )


_DB_OPTION = click.option(
    "--db",
    "db",
    metavar="PATH|URL",
    envvar="STORYSCOPE_DB",
    default=None,
    help="Store: a SQLite file, sqlite:///PATH or postgresql://... "
    "(default: $STORYSCOPE_DB, else storyscope.db in the user data directory).",
)


@cli.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@_DB_OPTION
@click.option(
    "--outlet",
    "outlet_pairs",
    multiple=True,
    metavar="FILE=OUTLET",
    help="Name the outlet of a source (repeatable); FILE may be a glob ('ledger-*=The Aster "
    "Ledger').",
)
@_OUTLET_FOLDERS_OPTION
@_OUTLETS_OPTION
@click.option(
    "--language",
    "languages",
    multiple=True,
    metavar="CODE",
    help="Keep only articles in this language (ISO 639-1, repeatable); others are recorded as failures.",
)
@click.option("--run-id", default=None, help="Resume the run with this id (printed by every run).")
@click.option(
    "--no-fetch",
    is_flag=True,
    help="Do not fetch the pages of feed entries that carry only a summary.",
)
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=64, show_default=True)
@click.option(
    "--engine",
    type=click.Choice(("local", "ray")),
    default="local",
    show_default=True,
    help="ray: also run the full analysis on Ray (local, or the cluster in $RAY_ADDRESS) "
    "and write it as Parquet; needs `pip install 'ray[data]'`.",
)
@click.option(
    "--workers",
    type=click.IntRange(1),
    default=None,
    help="Ray workers (one model copy each); default: every CPU.",
)
@click.option(
    "--parquet",
    "parquet_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Ray: folder for the Parquet tables (default: next to a SQLite store).",
)
@_ALLOW_PRIVATE_OPTION
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
@click.option(
    "--analyze",
    is_flag=True,
    help="Then analyse every story whose report is not current and cache it (slower ingest, "
    "instant reports and story counts).",
)
@_one_line_errors
def ingest(
    sources: tuple[str, ...],
    db: str | None,
    outlet_pairs: tuple[str, ...],
    outlet_folders: bool,
    outlets_file: Path | None,
    languages: tuple[str, ...],
    run_id: str | None,
    no_fetch: bool,
    batch_size: int,
    engine: str,
    workers: int | None,
    parquet_dir: str | None,
    allow_private_addresses: bool,
    quiet: bool,
    analyze: bool,
) -> None:
    """Store articles from SOURCE files, directories, globs, JSONL, WARC, feeds or URLs.

    Each new article is stored once (keyed by its content hash), linked to the
    article it copies when it is a near-duplicate, and placed in a story. A copy
    of a stored text under another outlet is recorded as republished by it.
    Failures are recorded in the store and the run goes on. An interrupted run
    resumes with --run-id; nothing committed is lost. With --analyze, every
    story whose report is not current is then analysed and its report cached,
    so `report`, `serve` and story counts answer from the store at once; an
    article whose analysis takes over 60 s is recorded as a failure and its
    story reported without it. Exit code 1 when some source, record, article
    analysis or story failed. URLs and feeds whose host
    resolves to a loopback, private or link-local address are refused unless
    --allow-private-addresses is given.
    """
    from storyscope.corpus import analyze_stories, ingest_corpus
    from storyscope.store import Store

    if engine == "local" and (workers is not None or parquet_dir is not None):
        raise click.UsageError("--workers and --parquet need --engine ray")
    settings = _settings(outlets_file=outlets_file)
    outlets = _parse_outlets(outlet_pairs, folders=outlet_folders, settings=settings)
    extra: dict[str, Any] = {}
    if engine == "ray":
        extra = {
            "engine": "ray",
            "engine_options": {"workers": workers, "parquet_dir": parquet_dir},
            "settings": settings,  # the workers run its [analyze] analyzers
        }
    with _fetcher(allow_private_addresses) as fetcher, Store.open(db) as store:
        if fetcher is not None:
            extra["fetcher"] = fetcher
        if quiet:
            summary = ingest_corpus(
                sources,
                store,
                run_id=run_id,
                outlets=outlets,
                languages=languages or None,
                fetch_pages=not no_fetch,
                batch_size=batch_size,
                **extra,
            )
        else:
            summary = _ingest_with_progress(
                sources,
                store,
                run_id=run_id,
                outlets=outlets,
                languages=languages or None,
                fetch_pages=not no_fetch,
                batch_size=batch_size,
                **extra,
            )
        name = store.name
        reported, story_failures = 0, list[tuple[int, str]]()
        if analyze:
            if quiet:
                reported, story_failures = analyze_stories(
                    store, settings=settings, run_id=summary.run_id
                )
            else:
                with _Progress("analysing stories", "stories") as bar:
                    reported, story_failures = analyze_stories(
                        store,
                        settings=settings,
                        progress=lambda k, n: bar.update(k, n),
                        run_id=summary.run_id,
                    )
    err = functools.partial(click.echo, err=True)
    if not quiet:
        for failure in summary.failures[:20]:
            err(
                f"error: {failure.source}: {failure.error}"
                if failure.source not in failure.error
                else f"error: {failure.error}"
            )
        if summary.failed > 20:
            err(f"... and {summary.failed - 20} more failures (stored in the database)")
        err(
            f"Run {summary.run_id} into {name}: {summary.read} articles read, {summary.added} new, "
            f"{summary.already_stored} already stored, {summary.duplicates} near-duplicates linked, "
            f"{summary.reprints} reprints recorded, "
            f"{summary.failed} failed; {summary.stories_created} stories opened, "
            f"{summary.stories_merged} merged; {summary.rate:.1f} articles/s."
        )
        for story_id, error in story_failures:
            err(f"error: story {story_id}: {error}")
        if analyze:
            n = len(story_failures)
            err(f"Analysed and reported {reported} stories ({n} failure{'' if n == 1 else 's'}).")
    if summary.failed or story_failures:
        sys.exit(1)


def _open_existing(db: str | None) -> Any:
    """Open a store that must already exist (read commands never create one)."""
    from storyscope.store import Store
    from storyscope.store._light import default_db_path

    target = db or str(default_db_path())
    if "://" not in target and not os.path.exists(target):
        raise click.ClickException(
            f"{displayable(target)}: no store there (create one with `storyscope ingest SOURCE... --db PATH`)"
        )
    return Store.open(target)


def _count_articles(sources: tuple[str, ...]) -> int | None:
    """How many articles the sources hold, when that is known before reading them.

    Plain text and HTML files hold one each, JSONL files one a non-blank line; a URL,
    WARC archive, feed or JSON file makes the total unknown (None). A file with no
    known ending is read as one article, as the reader reads it.
    """
    from storyscope.ingest.stream import (
        HTML_SUFFIXES,
        JSONL_SUFFIXES,
        STREAM_SUFFIXES,
        TEXT_SUFFIXES,
        expand_source,
    )

    one_article = (*TEXT_SUFFIXES, *HTML_SUFFIXES)  # one article a file; JSONL: one a line

    total = 0
    for given in sources:
        if "://" in given:
            return None
        for path in expand_source(given):
            name = path.lower()
            if name.endswith(JSONL_SUFFIXES):
                try:
                    with open(path, "rb") as handle:
                        total += sum(1 for line in handle if line.strip())
                except OSError:
                    total += 1  # the reader reports it: one failure
            elif name.endswith(one_article) or not name.endswith(STREAM_SUFFIXES):
                total += 1
            else:
                return None
    return total


def _ingest_with_progress(sources: tuple[str, ...], store: Any, **options: Any) -> Any:
    from storyscope.corpus import ingest_corpus

    total = _count_articles(sources)
    with _Progress("ingesting", "articles", total=total) as bar:

        def update(summary: Any) -> None:
            done = summary.read + summary.failed + summary.sources_skipped
            if total is not None:
                done = min(done, total)
            bar.update(done, note=f"{summary.added:,} new, {summary.failed:,} failed")

        return ingest_corpus(sources, store, progress=update, **options)


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


@cli.command()
@_DB_OPTION
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(("table", "json")),
    default="table",
    show_default=True,
)
@click.option(
    "--limit", type=click.IntRange(1), default=None, help="Show at most this many stories."
)
@click.option(
    "--sort",
    type=click.Choice(("size", "recent")),
    default="size",
    show_default=True,
    help="Largest stories first, or most recently published first.",
)
@click.option(
    "--blindspot",
    type=click.Choice(("left", "right", "any")),
    default=None,
    help="Only stories one side barely covers (needs an outlets file with leans; the rule is "
    "in docs/outlets.md).",
)
@_OUTLETS_OPTION
@_SET_OPTION
@_one_line_errors
def stories(
    db: str | None,
    fmt: str,
    limit: int | None,
    sort: str,
    blindspot: str | None,
    outlets_file: Path | None,
    set_values: tuple[str, ...],
) -> None:
    """List the stories in the store, with their articles.

    JSON: {"stories": [{"id", "title", "article_count", "duplicate_count",
    "outlets", "first_published", "last_published", "articles": [{"id",
    "source", "outlet", "title", "published", "url", "duplicate_of"}]}]}; with
    an outlets file each story also has "leans" (outlet -> lean, null when the
    file gives none) and "blindspot" ("left", "right" or null). "republished_by":
    the outlets that republished one of its articles (a reprint) without one of
    their own; leans and blindspot count them (docs/outlets.md).
    """
    from storyscope.corpus import recorded_republishers
    from storyscope.outlets import blindspot as blindspot_of

    directory = _settings(set_values, outlets_file).outlets.load()
    if blindspot is not None and directory is None:
        raise click.UsageError("--blindspot needs an outlets file (--outlets FILE) with leans")
    with _open_existing(db) as store:
        listed = [s for s in store.list_stories() if s.article_count > 0]
        recorded = recorded_republishers(store)
        republished = {
            s.id: sorted(recorded.get(s.id, frozenset()) - set(s.outlets), key=str.casefold)
            for s in listed
        }
        leans: dict[int, dict[str, str | None]] = {}
        sides: dict[int, str | None] = {}
        if directory is not None:
            for story in listed:
                leans[story.id] = directory.leans([*story.outlets, *republished[story.id]])
                sides[story.id] = blindspot_of(leans[story.id].values())
            if blindspot is not None:
                listed = [
                    s
                    for s in listed
                    if sides[s.id] is not None and blindspot in ("any", sides[s.id])
                ]
        if sort == "size":
            listed.sort(key=lambda s: (-s.article_count, s.id))
        else:
            listed.sort(
                key=lambda s: (
                    s.last_published is None,
                    -(s.last_published.timestamp() if s.last_published else 0),
                    s.id,
                )
            )
        if limit is not None:
            listed = listed[:limit]
        if fmt == "json":
            out = []
            for story in listed:
                members = []
                for article in store.story_articles(story.id):
                    info = store.article_info(article.id)
                    members.append(
                        {
                            "id": article.id,
                            "source": article.source,
                            "outlet": article.outlet,
                            "title": article.title,
                            "published": article.published.isoformat()
                            if article.published
                            else None,
                            "url": article.url,
                            "duplicate_of": info.duplicate_of if info else None,
                        }
                    )
                out.append(
                    {
                        "id": story.id,
                        "title": story.title,
                        "article_count": story.article_count,
                        "duplicate_count": story.duplicate_count,
                        "outlets": list(story.outlets),
                        "republished_by": republished[story.id],
                        "first_published": story.first_published.isoformat()
                        if story.first_published
                        else None,
                        "last_published": story.last_published.isoformat()
                        if story.last_published
                        else None,
                        "articles": members,
                    }
                )
                if directory is not None:
                    out[-1]["leans"] = leans[story.id]
                    out[-1]["blindspot"] = sides[story.id]
            click.echo(json.dumps({"stories": out}, indent=2, ensure_ascii=False))
            return
    _print_story_table(listed, sides if directory is not None else None, republished)


def _print_story_table(
    listed: list[Any],
    sides: dict[int, str | None] | None = None,
    republished: dict[int, list[str]] | None = None,
) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(listed)} stories", show_lines=False)
    table.add_column("id", justify="right")
    table.add_column("title", overflow="fold")
    table.add_column("articles", justify="right")
    table.add_column("dupes", justify="right")
    table.add_column("outlets", overflow="fold")
    table.add_column("published")
    if sides is not None:
        table.add_column("blindspot")
    for story in listed:
        first = story.first_published.date().isoformat() if story.first_published else ""
        last = story.last_published.date().isoformat() if story.last_published else ""
        span = first if first == last else f"{first}..{last}"
        cells = [
            str(story.id),
            story.title or "(untitled)",
            str(story.article_count),
            str(story.duplicate_count),
            ", ".join(
                [*story.outlets, *(f"{o} (republished)" for o in (republished or {}).get(story.id, []))]
            ),
            span,
        ]
        if sides is not None:
            side = sides.get(story.id)
            cells.append(side or "")  # the side that barely covers the story
        table.add_row(*cells)
    Console(width=max(100, Console().width)).print(table)


def _cached_or_fresh_report(db: str | None, story_id: int, settings: Any) -> dict[str, Any]:
    """Stored story STORY's report: the cached one when current (neither the analyze nor the
    align stage loads, and a SQLite file is read without opening a Store nor importing
    SQLAlchemy), else compared again and cached."""
    from storyscope.corpus import stored_report_from_file
    from storyscope.store._light import default_db_path

    report = stored_report_from_file(db or default_db_path(), story_id, settings=settings)
    if report is None:
        from storyscope.corpus import stored_report, story_report

        with _open_existing(db) as store:
            report = stored_report(store, story_id, settings=settings)
            if report is None:
                _, report = story_report(store, story_id, settings=settings)
    return report


@cli.command()
@click.argument("story_id", metavar="STORY", type=int)
@_DB_OPTION
@_FORMAT_OPTION
@_OUTPUT_OPTION
@_OUTLETS_OPTION
@_SET_OPTION
@_one_line_errors
def report(
    story_id: int,
    db: str | None,
    fmt: str | None,
    output: Path | None,
    outlets_file: Path | None,
    set_values: tuple[str, ...],
) -> None:
    """Render the comparison report of stored story STORY (an id from `storyscope stories`).

    Near-duplicate copies are left out of the comparison (and named in the
    report's warnings). The first report of a story (or its page opened)
    stores each article's analysis and caches the JSON report; a report asked
    for again is read from the store, with no analysis or alignment, until the
    story's articles, the settings or the analyzers change (then the stored
    analyses are aligned again).
    """
    from storyscope.report import render_report

    settings = _settings(set_values, outlets_file)
    directory = settings.outlets.load()
    if fmt is None:
        fmt = _format_from_suffix(output)
    if directory is not None:
        # An outlets file: its entries join the story (never the cached report), so the
        # story is read whole and rendered with them.
        from storyscope.corpus import story_report
        from storyscope.outlets import with_outlet_info
        from storyscope.report import render

        with _open_existing(db) as store:
            story, _ = story_report(store, story_id, settings=settings)
        text = render(with_outlet_info(story, directory), fmt)
    else:
        text = render_report(_cached_or_fresh_report(db, story_id, settings), fmt)
    _write_report(text, output)
    if output is not None:
        click.echo(f"Wrote {displayable(os.path.abspath(output))}", err=True)


@cli.command()
@_DB_OPTION
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(("csv", "parquet")),
    default="csv",
    show_default=True,
    help="csv: UTF-8 with a header row; parquet: typed columns (needs pyarrow).",
)
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder for the tables (created if missing); existing tables there are replaced.",
)
@click.option(
    "--story",
    "story_ids",
    type=int,
    multiple=True,
    metavar="ID",
    help="Export only this story (repeatable; default: every story with articles).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print no progress or summary.")
@_OUTLETS_OPTION
@_SET_OPTION
@_one_line_errors
def export(
    db: str | None,
    fmt: str,
    output_dir: Path,
    story_ids: tuple[int, ...],
    quiet: bool,
    outlets_file: Path | None,
    set_values: tuple[str, ...],
) -> None:
    """Write the stored stories' reports as flat tables, one CSV or Parquet file each.

    Tables: articles, reprints, claims, facts, fact_citations, contradictions,
    contradiction_citations, quotes, quote_variants, quote_variant_citations,
    omissions, labels, summary, summary_citations (columns in docs/report.md,
    "Tables"). Every row carries story_id; every cited span carries article_id,
    outlet, start, end and text. Each story is read like `storyscope report`
    reads it: its cached report when current, else compared from its stored
    analyses (and cached). With an outlets file, each article's row carries its
    outlet's lean, owner, kind and country (empty for outlets it does not list).
    """
    from storyscope.export import check_writable, export_rows, write_tables

    settings = _settings(set_values, outlets_file)
    directory = settings.outlets.load()
    with _open_existing(db) as store:
        check_writable(output_dir, fmt)
        if quiet:
            rows, ids = export_rows(
                store, list(story_ids) or None, settings=settings, outlets=directory
            )
        else:
            with _Progress("exporting", "stories") as bar:
                rows, ids = export_rows(
                    store,
                    list(story_ids) or None,
                    settings=settings,
                    outlets=directory,
                    progress=lambda k, n: bar.update(k, n),
                )
    write_tables(rows, output_dir, fmt)
    if not quiet:
        counts = ", ".join(f"{len(table)} {name}" for name, table in rows.items())
        click.echo(
            f"Wrote {displayable(os.path.abspath(output_dir))}: {len(ids)} "
            f"{'story' if len(ids) == 1 else 'stories'} as {fmt}; {counts}.",
            err=True,
        )


@cli.group()
def config() -> None:
    """Inspect the settings (see `storyscope/data/settings.toml` for every key)."""


@config.command("show")
@_SET_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@_one_line_errors
def config_show(set_values: tuple[str, ...], as_json: bool) -> None:
    """Print every setting's resolved value and where it came from.

    Sources, lowest precedence first: the shipped default, the settings file
    (--config, $STORYSCOPE_CONFIG or ./storyscope.toml), a STORYSCOPE_SECTION__KEY
    environment variable, a --set flag.
    """
    settings = _settings(set_values)
    rows = settings.items()
    if as_json:
        click.echo(
            json.dumps(
                {name: {"value": value, "source": source} for name, value, source in rows},
                indent=2,
            )
        )
        return
    width = max(len(name) for name, _, _ in rows)
    for name, value, source in rows:
        click.echo(f"{name:<{width}}  {value!s:<8}  {source}")


@cli.command()
@_one_line_errors
def schema() -> None:
    """Print the JSON Schema of the JSON report."""
    from storyscope.report import load_schema

    click.echo(json.dumps(load_schema(), indent=2, ensure_ascii=False))


def main() -> None:  # pragma: no cover - console entry for `python -m storyscope`
    cli(prog_name="storyscope")
