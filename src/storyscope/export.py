"""``storyscope export``: the stored stories' reports as flat CSV or Parquet tables.

Each story's JSON report is read the way ``storyscope report STORY --db`` reads
it: the cached report when it is current (same members, same settings),
otherwise the story is compared from its stored analyses
(:func:`storyscope.corpus.story_report`, which caches the report). The rows
come from :func:`report_rows`, the same rows
:meth:`storyscope.model.Story.to_frames` gives, one file per table of
:data:`TABLES` (``articles.csv``, ``facts.parquet``, ...). With an outlets file
(``--outlets``, the ``[outlets] file`` setting) each article's row carries its
outlet's lean, owner, kind and country (:func:`with_outlet_metadata`).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyscope.errors import StoreError, StoryscopeError, displayable
from storyscope.report._tables import TABLES, Rows, empty_rows, extend_rows, report_rows

if TYPE_CHECKING:  # pragma: no cover
    from storyscope.outlets import OutletDirectory
    from storyscope.settings import Settings
    from storyscope.store import Store

__all__ = [
    "EXPORT_FORMATS",
    "TABLES",
    "ExportError",
    "check_writable",
    "export_rows",
    "report_rows",
    "with_outlet_metadata",
    "write_tables",
]

EXPORT_FORMATS = ("csv", "parquet")


class ExportError(StoryscopeError):
    """The tables could not be written (folder not writable, pyarrow missing)."""


def export_rows(
    store: Store,
    story_ids: Sequence[int] | None = None,
    *,
    settings: Settings | None = None,
    outlets: OutletDirectory | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Rows, list[int]]:
    """The table rows of stored stories, read from their (cached) reports.

    Args:
        store: The store.
        story_ids: The stories to export (in this order); every story with
            articles, by id, when None.
        settings: Resolved settings (the cached report must match them).
        outlets: An outlets file: the articles of the outlets it lists get its
            ``lean``, ``owner``, ``kind`` and ``country`` (as ``storyscope report
            --outlets`` adds ``outlet_metadata``; the cached report never holds them).
        progress: Called with (stories done, stories to do) after each story.

    Returns:
        The rows of every table, and the ids of the stories exported.

    Raises:
        StoreError: A story id the store does not hold (checked before any is read).
    """
    from storyscope.corpus import cached_report, story_report

    if story_ids is None:
        ids = sorted(s.id for s in store.list_stories() if s.article_count > 0)
    else:
        ids = list(dict.fromkeys(story_ids))
        for story_id in ids:
            if store.get_story(story_id) is None:
                raise StoreError(f"{store.name}: no story {story_id}")
    rows = empty_rows()
    for k, story_id in enumerate(ids, 1):
        report = cached_report(store, story_id, settings=settings)
        if report is None:
            _, report = story_report(store, story_id, settings=settings)
        if outlets is not None:
            report = with_outlet_metadata(report, outlets)
        extend_rows(rows, report_rows(report, story_id))
        if progress is not None:
            progress(k, len(ids))
    return rows, ids


def with_outlet_metadata(report: dict[str, Any], outlets: OutletDirectory) -> dict[str, Any]:
    """The JSON report with ``outlet_metadata``: the outlets file's entries for its
    articles' and reprints' outlets, as :func:`storyscope.report.to_dict` writes it for a
    story with ``outlet_info`` (the report unchanged when the file lists none of them)."""
    from storyscope.outlets import outlet_entries

    names = [a.get("outlet") for a in report.get("articles", [])]
    names += [r.get("outlet") for r in report.get("reprints", [])]
    entries = outlet_entries(outlets, (n for n in names if isinstance(n, str)))
    if not entries:
        return report
    return {**report, "outlet_metadata": {o.name: o.as_dict() for o in entries}}


def check_writable(directory: Path, fmt: str) -> None:
    """Fail early, before any story is read: the folder can be made and written, pyarrow is there.

    Raises:
        ExportError: Unknown format, the folder cannot be created or written, or
            Parquet without pyarrow.
    """
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; expected one of: csv, parquet")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise ExportError(
                "Parquet export needs pyarrow: pip install 'storyscope[parquet]' (or use --format csv)"
            ) from None
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(
            f"{displayable(str(directory))}: cannot create the export folder: {_reason(exc)}"
        ) from None
    if not directory.is_dir():
        raise ExportError(f"{displayable(str(directory))}: not a folder")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise ExportError(
            f"{displayable(str(directory))}: cannot write the export folder: permission denied"
        )


def write_tables(rows: Rows, directory: Path, fmt: str) -> list[Path]:
    """Write one file per table of :data:`TABLES` into ``directory``.

    CSV: UTF-8, a header row, ``csv`` module quoting (a text with line breaks
    stays one quoted cell); a missing value is an empty cell, a flag ``True`` or
    ``False``. Parquet: typed columns (int64, float64, bool, string; nulls kept).

    Returns:
        The files written, in table order.

    Raises:
        ExportError: A file could not be written, or the format is unknown.
    """
    check_writable(directory, fmt)
    written: list[Path] = []
    for name, columns in TABLES.items():
        path = directory / f"{name}.{fmt}"
        try:
            if fmt == "csv":
                _write_csv(path, [c for c, _ in columns], rows.get(name, []))
            else:
                _write_parquet(path, columns, rows.get(name, []))
        except OSError as exc:
            raise ExportError(f"{displayable(str(path))}: cannot write: {_reason(exc)}") from None
        written.append(path)
    return written


def _write_csv(path: Path, names: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="", errors="backslashreplace") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        writer.writerows(rows)


_ARROW_TYPES = {"int": "int64", "float": "float64", "bool": "bool_", "str": "string"}


def _write_parquet(
    path: Path, columns: Sequence[tuple[str, str]], rows: Sequence[tuple[Any, ...]]
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays = []
    fields = []
    for k, (name, kind) in enumerate(columns):
        arrow_type = getattr(pa, _ARROW_TYPES[kind])()
        arrays.append(pa.array([row[k] for row in rows], type=arrow_type))
        fields.append(pa.field(name, arrow_type))
    pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), str(path))


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
