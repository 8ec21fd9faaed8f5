"""Reusable fakes for tests: cheap stand-ins for the heavy models.

:class:`FakeEmbedder` satisfies the :class:`storyscope.analyze.embeddings.Embedder`
protocol without loading any model: it hashes lower-cased word tokens into a
fixed-size bag-of-words vector and L2-normalises it. Texts that share words get
a positive cosine; identical texts get cosine 1.0. Deterministic across runs and
processes (uses BLAKE2, not Python's salted ``hash``).

:func:`throwaway_postgres` starts a disposable PostgreSQL server for store tests
(:func:`postgres_unavailable` says why it cannot, so a test can skip).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = ["FakeEmbedder", "postgres_unavailable", "throwaway_postgres"]

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


def pgvector_bin() -> Path | None:
    """Server binaries of a PostgreSQL that ships pgvector, or None.

    ``$STORYSCOPE_PGVECTOR_BIN`` names them; otherwise the PostgreSQL 16 + pgvector
    build bundled by the ``pgserver`` package (a dev dependency) is used when it is
    installed. It is found on disk, not imported.
    """
    given = os.environ.get("STORYSCOPE_PGVECTOR_BIN")
    if given:
        return Path(given)
    spec = importlib.util.find_spec("pgserver")
    for location in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(location) / "pginstall" / "bin"
        if (candidate / "initdb").exists():
            return candidate
    return None


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
    # e.g. a virtualenv inside a private (0700) temp folder: copy the install tree out, keeping its
    # place relative to the wheel's vendored libraries (pgserver's binaries find their libpq through
    # RPATH $ORIGIN/../../../pgserver.libs).
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
        bin_dir: Server binaries (default :data:`PG_BIN`; see :func:`pgvector_bin`).

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
