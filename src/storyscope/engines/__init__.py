"""Engines that run corpus ingest beyond one process.

``storyscope.engines.ray`` (optional extra ``ray[data]``) runs the analysis
stage on a Ray cluster; :func:`load_analyzed` reads the Parquet tables it writes
and needs only pyarrow. Importing this package never imports Ray.
"""

from __future__ import annotations

from storyscope.engines._records import TABLES, load_analyzed

__all__ = ["ENGINES", "TABLES", "load_analyzed"]

#: Engine names accepted by ``ingest_corpus(engine=...)`` and ``storyscope ingest --engine``.
ENGINES = ("local", "ray")
