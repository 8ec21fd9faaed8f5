"""Every reader under an address-space and a CPU limit: hostile input gives articles or one-line
failures, in bounded memory and in time linear in its size (issue 19, "Hypothesis on readers
with size and time assertions under ``resource`` limits").

The readers run in a child process that limits itself (``RLIMIT_AS`` 1 GiB, ``RLIMIT_CPU``
60 s) before importing storyscope, reads each file through :func:`storyscope.ingest.iter_sources`
(the dispatch ``compare`` and ``ingest`` share: plain text, front matter, HTML, JSON, JSONL,
WARC, WARC.gz, RSS/Atom/OPML feeds) and prints what each gave. The parent asserts that it
exited cleanly, without a traceback, that every file gave at least one article or failure,
each failure one line and none a contained reader bug (``could not be read (...)``) or an
out-of-memory, and that the child's peak RSS (its own ``VmHWM``, read by the child: the
rusage a parent gets keeps the peak of the process before ``exec``, which for a child of a
large test process is that process's peak) stays under :data:`MAX_RSS_MB`.

Hostile inputs come from Hypothesis (arbitrary bytes, huge single lines, deep nesting, many
tiny records, compression and entity/alias bombs at small scale), a handful of examples of a
batch of files each, so that the whole module takes a few seconds. Time is checked on fixed
inputs at two sizes, 10x apart: the larger must cost less than 30x the smaller (times under
:data:`NOISE_S` count as :data:`NOISE_S`).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

SRC = Path(__file__).resolve().parents[2] / "src"
AS_LIMIT = 1 << 30  # bytes of address space
CPU_LIMIT_S = 60
MAX_RSS_MB = 600  # a bare child with the readers loaded peaks near 190 MB
NOISE_S = 0.02

CHILD = textwrap.dedent(
    """
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, ({as_limit}, {as_limit}))
    resource.setrlimit(resource.RLIMIT_CPU, ({cpu}, {cpu} + 5))
    import json, time
    from storyscope.ingest import iter_sources
    from storyscope.model import Article, Failure

    split = sys.argv.index("--")
    for path in sys.argv[1:split]:  # warm-up reads (models loaded, caches filled): not timed
        for item in iter_sources([path], fetch_pages=False):
            pass
    out = []
    for path in sys.argv[split + 1:]:
        started = time.perf_counter()
        articles, errors = 0, []
        for item in iter_sources([path], fetch_pages=False):
            if isinstance(item, Article):
                articles += 1
            elif isinstance(item, Failure):
                errors.append(item.error)
        took = time.perf_counter() - started
        out.append({{"path": path, "articles": articles, "errors": errors, "seconds": took}})
    # Peak RSS of this program's own memory (VmHWM). The rusage a parent reads would do
    # too, but Linux keeps in it the peak of the process before exec, which for a child
    # started from a big test process (vfork shares its memory) is that process's peak.
    with open("/proc/self/status") as fh:
        hwm_kb = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    json.dump({{"results": out, "peak_mb": hwm_kb // 1024}}, sys.stdout)
    """
).format(as_limit=AS_LIMIT, cpu=CPU_LIMIT_S)


def _read_in_child(
    paths: list[Path], tmp: Path, warm: Sequence[Path] = ()
) -> tuple[list[dict[str, Any]], int]:
    """What each file gave, read in a limited child (after reading ``warm`` untimed); and
    the child's peak RSS in MB."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    env.pop("STORYSCOPE_CONFIG", None)
    out_path, err_path = tmp / "child.out", tmp / "child.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, *map(str, warm), "--", *map(str, paths)],
            stdout=out, stderr=err, env=env, cwd=tmp,
        )
        proc.wait()
    errors = err_path.read_text(errors="replace")
    assert proc.returncode == 0, f"child exited {proc.returncode}: {errors[-2000:]}"
    assert "Traceback" not in errors, errors[-2000:]
    done = json.loads(out_path.read_text())
    return done["results"], int(done["peak_mb"])


def _check(results: list[dict[str, Any]], paths: list[Path]) -> None:
    assert [r["path"] for r in results] == [str(p) for p in paths]
    for r in results:
        assert r["articles"] + len(r["errors"]) >= 1, r["path"]  # every input gives something
        for error in r["errors"]:
            assert "\n" not in error and "\r" not in error, error
            assert "could not be read (" not in error, error  # a reader bug, contained
            assert "out of memory" not in error, error


# -- inputs -------------------------------------------------------------------------------------

SENTENCE = "The harbour board met on Tuesday and agreed to repair the north quay before the storms. "
PARAGRAPHS = [
    "The harbour board met on Tuesday and agreed to repair the north quay before the winter storms arrive.",
    "Engineers found cracks in the old stone wall last spring, and the ferry company asked for a survey.",
    "The repairs will cost about two million crowns, the board's chair said after a long and heated meeting.",
    "Fishermen who moor their boats at the quay will use the south basin while the work goes on.",
    "Shop owners on the waterfront said they feared another season of closures and fewer visitors.",
    "The board expects the work to take eleven weeks, weather permitting, and to finish before March.",
]
PAGE = (
    "<html><head><title>North quay repairs</title></head><body><article>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article></body></html>"
).encode()
SUFFIXES = [".txt", ".md", ".html", ".json", ".jsonl", ".warc", ".warc.gz", ".rss", ".atom", ".opml"]


def warc_record(uri: str, html: bytes, *, length: int | None = None) -> bytes:
    block = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        + f"Content-Length: {len(html)}\r\n\r\n".encode()
        + html
    )
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Target-URI: {uri}\r\nWARC-Date: 2026-01-01T00:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{abs(hash(uri)):032x}>\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(block) if length is None else length}\r\n\r\n"
    ).encode()
    return head + block + b"\r\n\r\n"


def gz_members(records: list[bytes]) -> bytes:
    """One gzip member per record, as WARC.gz files are written."""
    return b"".join(gzip.compress(r, compresslevel=6) for r in records)


def _feed(items: str) -> bytes:
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()


def _json_line(record: object) -> str:
    return json.dumps(record) + "\n"


# Each hostile input: (suffix, content), at most a few hundred kB on disk.
_arbitrary = st.tuples(st.sampled_from(SUFFIXES), st.binary(max_size=3000))
_huge_line = st.builds(
    lambda suffix, n, unit: (
        suffix,
        (b"WARC/1.0\r\nWARC-Type: " if "warc" in suffix else b"") + unit * n,
    ),
    st.sampled_from(SUFFIXES),
    st.integers(20_000, 120_000),
    st.sampled_from([b"x", b"word ", b"\x00", b"\xff", b"<", b"{", b"\xe2\x80\x9c"]),
).map(lambda sc: (sc[0], gzip.compress(sc[1], 1) if sc[0] == ".warc.gz" else sc[1]))


def _deep(kind: str, n: int) -> tuple[str, bytes]:
    if kind == "json":
        return ".json", b"[" * n + b"]" * n
    if kind == "jsonl":
        return ".jsonl", b'{"text": ' + b"[" * n + b"]" * n + b"}\n" + _json_line({"text": SENTENCE * 3}).encode()
    if kind == "html":
        return ".html", b"<div>" * n + SENTENCE.encode() * 3 + b"</div>" * n
    if kind == "feed":
        return ".rss", _feed("<item>" + "<x>" * n + "</x>" * n + "</item>")
    if kind == "front-matter":
        return ".txt", b"---\ntitle: " + b"[" * n + b"]" * n + b"\n---\n" + SENTENCE.encode() * 3
    return ".warc", warc_record("https://deep.test/", b"<div>" * n + PAGE + b"</div>" * n)


_deep_nesting = st.builds(
    _deep, st.sampled_from(["json", "jsonl", "html", "feed", "front-matter", "warc"]), st.integers(1_000, 60_000)
)


def _many(kind: str, n: int) -> tuple[str, bytes]:
    if kind == "jsonl":
        return ".jsonl", (_json_line({}) + _json_line({"text": ""}) + "\n").encode() * n
    if kind == "warc":
        return ".warc", b"".join(warc_record(f"https://tiny.test/{i}", b"<p>a</p>") for i in range(n))
    if kind == "warc.gz":
        return ".warc.gz", gz_members([warc_record(f"https://tiny.test/{i}", b"<p>a</p>") for i in range(n)])
    if kind == "feed":
        return ".rss", _feed("<item><title>t</title></item>" * n)
    if kind == "opml":
        outlines = "".join(f'<outline text="f{i}"/>' for i in range(n))
        return ".opml", f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'.encode()
    if kind == "front-matter":
        return ".txt", ("---\n" + "".join(f"k{i}: v\n" for i in range(n)) + "---\n" + SENTENCE * 3).encode()
    return ".html", b"<p>" * n


_many_tiny = st.builds(
    _many,
    st.sampled_from(["jsonl", "warc", "warc.gz", "feed", "opml", "front-matter", "html"]),
    st.integers(100, 3_000),
)


def _bomb(kind: str, n: int) -> tuple[str, bytes]:
    if kind == "gzip-zeros":  # ~n MB of zeros in a few kB
        return ".warc.gz", gzip.compress(b"\x00" * (n << 20), 9)
    if kind == "gzip-payload":  # a record claiming n MB, its payload zeros: over the payload cap
        body = warc_record("https://bomb.test/", b"\x00" * (n << 20))
        return ".warc.gz", gz_members([body, warc_record("https://after.test/", PAGE)])
    if kind == "entities":  # billion laughs, 10**(n % 4 + 4) expansions
        depth = n % 4 + 4
        ents = '<!ENTITY l0 "lol">' + "".join(
            f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, depth + 1)
        )
        return ".rss", (
            f'<?xml version="1.0"?><!DOCTYPE rss [{ents}]><rss version="2.0"><channel>'
            f"<title>&l{depth};</title><item><title>&l{depth};</title></item></channel></rss>"
        ).encode()
    # YAML aliases: each level refers to the one before ten times
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, n % 6 + 4)
    ]
    return ".txt", ("---\n" + "\n".join(levels) + "\ntitle: Bomb\n---\n" + SENTENCE * 3).encode()


_bombs = st.builds(
    _bomb, st.sampled_from(["gzip-zeros", "gzip-payload", "entities", "yaml-aliases"]), st.integers(1, 40)
)

hostile = st.one_of(_arbitrary, _huge_line, _deep_nesting, _many_tiny, _bombs)


@settings(
    max_examples=3,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: each example is a child process
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(inputs=st.lists(hostile, min_size=6, max_size=10))
def test_hostile_inputs_give_articles_or_one_line_failures_within_the_limits(
    tmp_path_factory: Any, inputs: list[tuple[str, bytes]]
) -> None:
    tmp = tmp_path_factory.mktemp("hostile")
    paths = []
    for n, (suffix, content) in enumerate(inputs):
        path = tmp / f"input-{n}{suffix}"
        path.write_bytes(content)
        paths.append(path)
    results, rss_mb = _read_in_child(paths, tmp)
    _check(results, paths)
    assert rss_mb < MAX_RSS_MB, (rss_mb, [(p.name, p.stat().st_size) for p in paths])
    for r in results:
        assert r["seconds"] < 20, r  # far under the 30 s per-article budget


def test_the_largest_bombs_and_deepest_nesting_give_one_line_failures_within_the_limits(tmp_path: Path) -> None:
    """The largest of each bomb the strategy draws, every time (Hypothesis may not draw them)."""
    inputs = [_bomb(kind, 39) for kind in ("gzip-zeros", "gzip-payload", "entities", "yaml-aliases")]
    inputs += [_deep(kind, 60_000) for kind in ("json", "jsonl", "html", "feed", "front-matter", "warc")]
    inputs.append((".warc.gz", gzip.compress(b"WARC/1.0\r\nWARC-Type: " + b"x" * 4_000_000, 9)))
    paths = []
    for n, (suffix, content) in enumerate(inputs):
        path = tmp_path / f"bomb-{n}{suffix}"
        path.write_bytes(content)
        paths.append(path)
    results, rss_mb = _read_in_child(paths, tmp_path)
    _check(results, paths)
    assert rss_mb < MAX_RSS_MB, rss_mb
    after = results[1]  # the record after the oversized payload is still read
    assert after["articles"] == 1, after


# -- time linear in size ---------------------------------------------------------------------------


def _scaled(kind: str, n: int) -> tuple[str, bytes]:
    """An input of about ``n`` bytes of the kind's bulk."""
    if kind == "text":  # one line without a sentence break
        return ".txt", b"word " * (n // 5)
    if kind == "front-matter":
        return ".txt", ("---\ntitle: Quay\n" + "".join(f"k{i}: value {i}\n" for i in range(n // 14)) + "---\n"
                        + SENTENCE * 3).encode()
    if kind == "html":  # an article of ordinary paragraphs
        paragraph = f"<p>{SENTENCE * 5}</p>"
        return ".html", ("<html><body><article>" + paragraph * (n // len(paragraph)) + "</article></body></html>").encode()
    if kind == "jsonl":
        line = _json_line({"title": "Quay", "outlet": "Wire", "text": SENTENCE * 3})
        return ".jsonl", (line * (n // len(line))).encode()
    page = warc_record("https://x.test/0", PAGE)
    records = [warc_record(f"https://x.test/{i}", PAGE) for i in range(max(1, n // len(page)))]
    if kind == "warc":
        return ".warc", b"".join(records)
    if kind == "warc.gz":
        return ".warc.gz", gz_members(records)
    item = f"<item><title>Quay</title><link>https://x.test/a</link><description>{SENTENCE * 2}</description></item>"
    return ".rss", _feed(item * (n // len(item)))


SCALES = {  # kind: the smaller size in bytes (the larger is 10x)
    "text": 100_000,
    "front-matter": 20_000,
    "html": 20_000,
    "jsonl": 20_000,
    "warc": 20_000,
    "warc.gz": 20_000,
    "feed": 5_000,
}


def test_reading_time_is_linear_in_the_input_size(tmp_path: Path) -> None:
    paths, warm = [], []
    for kind, n in SCALES.items():
        for size in (n // 10, n, 10 * n):
            suffix, content = _scaled(kind, size)
            path = tmp_path / f"{kind}-{size}{suffix}"
            path.write_bytes(content)
            (warm if size < n else paths).append(path)
    results, rss_mb = _read_in_child(paths, tmp_path, warm)
    _check(results, paths)
    assert rss_mb < MAX_RSS_MB, rss_mb
    by_name = {Path(r["path"]).name: r for r in results}
    ratios = {}
    for kind, n in SCALES.items():
        (small,) = [r for name, r in by_name.items() if name.startswith(f"{kind}-{n}.")]
        (large,) = [r for name, r in by_name.items() if name.startswith(f"{kind}-{10 * n}.")]
        assert large["articles"] >= small["articles"], (kind, small, large)
        ratios[kind] = large["seconds"] / max(small["seconds"], NOISE_S)
    assert all(r < 30 for r in ratios.values()), ratios


def test_the_child_limits_hold(tmp_path: Path) -> None:
    """The limits are real: a child that asks for more than 1 GiB gets a MemoryError."""
    code = CHILD.split("import json")[0] + "\ntry:\n    b = bytearray(1 << 31)\nexcept MemoryError:\n    print('refused')\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "refused", done.stderr
