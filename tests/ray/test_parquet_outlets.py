"""Outlet names of the Ray engine's Parquet inputs: the same resolution as local ingest.

The driver reads the sources (``storyscope.engines.ray._items``) before any worker runs,
so no Ray is started here (only pyarrow is needed). Each case reads the same records
twice: as Parquet files through the Ray engine's reader, and as JSONL files in the same
layout through local ingest (:func:`storyscope.ingest.iter_sources`); the outlet names
must agree, for ``--outlet`` pairs and globs, ``--outlet-folders`` and an outlets file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storyscope.engines.ray import _items
from storyscope.ingest import iter_sources
from storyscope.model import Article
from storyscope.outlets import load_outlets, parse_outlet_pairs

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

RECORDS: dict[str, list[dict[str, Any]]] = {
    # folder/file -> records; the folder names an outlet with --outlet-folders
    "Ledger Desk/ledger": [
        {
            "outlet": "aster ledger",
            "url": "https://asterledger.example/news/fire",
            "title": "Harbour fire: council approves $40 million",
            "text": "The council approved $40 million for the harbour clean-up on Tuesday, the mayor said.",
        },
    ],
    "Wire Room/wire": [
        {
            "outlet": None,
            "url": "https://wire.coastline.example/2026/fire",
            "title": "Warehouse fire forces 340 from homes",
            "text": "About 340 residents left their homes after the warehouse fire, officials said on Sunday.",
        },
        {
            "outlet": "Some Blog",
            "url": None,
            "title": "What the fire means",
            "text": "The fire showed how little the city had inspected the harbour warehouses in years.",
        },
    ],
}

OUTLETS_TOML = """
[[outlet]]
name = "The Aster Ledger"
domains = ["asterledger.example"]
lean = "center"

[[outlet]]
name = "Coastline Wire"
domains = ["coastline.example"]
kind = "wire"
"""


def _write(root: Path, suffix: str) -> Path:
    for name, records in RECORDS.items():
        path = root / f"{name}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".parquet":
            pq.write_table(pa.Table.from_pylist(records), str(path))
        else:
            path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("parquet-outlets")
    (base / "outlets.toml").write_text(OUTLETS_TOML, encoding="utf-8")
    return {
        "parquet": _write(base / "pq", ".parquet"),
        "jsonl": _write(base / "jl", ".jsonl"),
        "outlets": base / "outlets.toml",
    }


def _ray_outlets(source: str, naming: Any) -> list[str]:
    items = list(_items(source, outlets=naming, languages=None, fetcher=None, fetch_pages=False))
    assert all(isinstance(i, Article) for i in items), items
    return [i.outlet for i in items if isinstance(i, Article)]


def _local_outlets(source: str, naming: Any) -> list[str]:
    items = list(iter_sources([source], outlets=naming, fetch_pages=False))
    assert all(isinstance(i, Article) for i in items), items
    return [i.outlet for i in items if isinstance(i, Article)]


CASES = [
    # (case, --outlet values, --outlet-folders, with the outlets file, the names expected)
    ("own names", (), False, False, ["aster ledger", "wire.coastline.example", "Some Blog"]),
    ("exact pair", ("wire=Coastline Wire",), False, False, ["aster ledger", "Coastline Wire", "Coastline Wire"]),
    ("glob", ("*/Wire Room/*=Coastline Wire",), False, False, ["aster ledger", "Coastline Wire", "Coastline Wire"]),
    ("folders", (), True, False, ["Ledger Desk", "Wire Room", "Wire Room"]),
    ("outlets file", (), False, True, ["The Aster Ledger", "Coastline Wire", "Some Blog"]),
    ("glob beats file", ("*ledger*=Ledger Weekly",), False, True, ["Ledger Weekly", "Coastline Wire", "Some Blog"]),
]


@pytest.mark.parametrize(("case", "pairs", "folders", "with_file", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parquet_rows_are_named_as_local_ingest_names_the_same_records(
    trees: dict[str, Path],
    case: str,
    pairs: tuple[str, ...],
    folders: bool,
    with_file: bool,
    expected: list[str],
) -> None:
    directory = load_outlets(trees["outlets"]) if with_file else None
    naming = parse_outlet_pairs(pairs, folders=folders, directory=directory)
    ray_names = _ray_outlets(str(trees["parquet"]), naming)  # a folder source
    assert ray_names == _local_outlets(str(trees["jsonl"]), naming), case
    assert ray_names == expected, case


def test_a_parquet_glob_is_named_as_a_jsonl_glob(trees: dict[str, Path]) -> None:
    naming = parse_outlet_pairs(
        ("*/Wire Room/*=Coastline Wire",), directory=load_outlets(trees["outlets"])
    )
    ray_names = _ray_outlets(str(trees["parquet"] / "**" / "*.parquet"), naming)
    assert ray_names == _local_outlets(str(trees["jsonl"] / "**" / "*.jsonl"), naming)
    assert ray_names == ["The Aster Ledger", "Coastline Wire", "Coastline Wire"]


def test_a_folder_with_parquet_and_other_files_reads_both(tmp_path: Path) -> None:
    _write(tmp_path, ".parquet")
    (tmp_path / "note.txt").write_text(
        "---\noutlet: Harbour Watch\n---\nThe warehouse had failed two inspections, records show.\n",
        encoding="utf-8",
    )
    names = _ray_outlets(str(tmp_path), parse_outlet_pairs((), folders=True))
    assert names == ["Harbour Watch", "Ledger Desk", "Wire Room", "Wire Room"]


def test_a_missing_parquet_file_is_one_failure(tmp_path: Path) -> None:
    (item,) = _items(str(tmp_path / "nope.parquet"), outlets=None, languages=None, fetcher=None, fetch_pages=False)
    assert not isinstance(item, Article) and "file not found" in item.error
