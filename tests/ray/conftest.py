"""A local Ray (2 CPUs) shared by the Ray tests; its session folders are removed afterwards."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storyscope.analyze import Pipeline


@pytest.fixture(scope="session")
def ray_local() -> Iterator[Any]:
    """``ray`` after ``ray.init(num_cpus=2)``, in a temporary folder removed at the end."""
    ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'ray[data]')")
    pytest.importorskip("ray.data", reason="ray[data] is not installed (pip install 'ray[data]')")
    if ray.is_initialized():  # pragma: no cover - never started twice in one session
        yield ray
        return
    folder = Path(tempfile.mkdtemp(prefix="ssray-", dir="/tmp" if os.path.isdir("/tmp") else None))
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    os.environ.pop("RAY_ADDRESS", None)
    ray.init(num_cpus=2, include_dashboard=False, _temp_dir=str(folder), log_to_driver=False)
    try:
        yield ray
    finally:
        ray.shutdown()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def local_pipeline() -> Pipeline:
    """The default analysis pipeline (real models), shared by the tests."""
    return Pipeline()
