"""Word-choice labels on real news: the NewsWCL50 development gold (5 events x 5 outlets).

``<shared>/gold/newswcl50`` holds five real events of April 2018, each covered by HuffPost, The
New York Times, USA Today, Fox News and Breitbart, with the dataset's cross-outlet word-choice
chains: the phrases each outlet uses for one concept ("North Korean leader" / "North Korean
dictator", "the memos" / "classified information"). The gold ships its own scorer, ``score.py``;
this eval runs *that scorer's own code* (imported from the shared folder, never copied), with the
plumbing of ``eval/basil_gold.py``: ``storyscope compare`` runs in this process and each article's
analysis is kept in ``eval/.cache`` (keyed by the article text and the analyze code), so that
re-scoring after a change in the align stage takes seconds.

Figures: **label recall** (the share of gold chains for which one ``framing.labels[]`` entry pairs
two different phrases of the chain, each from an outlet that uses it), lenient and strict as
``score.py`` defines them, and the number of labels reported. ``-v`` lists every label with the
scorer's verdict and every gold chain missed; ``--cluster`` adds score.py's story clustering of the
25 articles (BCubed F1; runs the real ``storyscope ingest`` and ``stories``, about a minute);
``--cli`` runs ``score.py`` itself on the ``storyscope`` executable, which must print the same
label recall. ``<shared>`` is ``$STORYSCOPE_SHARED`` or the ``shared`` folder beside the
repository; without the gold the eval skips.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import io
import os
import subprocess
import sys
import tempfile
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import basil_gold  # noqa: E402  (its analysis cache and in-process compare)

HERE = Path(__file__).resolve().parent
#: Data files only the align stage reads: a change there keeps the analysis cache.
ALIGN_DATA = frozenset({"variants.toml", "paraphrases.toml", "loaded_language.toml"})


class Analyses(basil_gold.Analyses):
    """basil_gold's analysis cache, kept across edits of the align stage's lexicons."""

    @staticmethod
    def code_version() -> str:
        import hashlib

        import storyscope

        root = Path(storyscope.__file__).parent
        h = hashlib.sha1()
        for part in ("ingest", "analyze", "data", "_words.py", "model.py"):
            for f in sorted((root / part).rglob("*")) if (root / part).is_dir() else [root / part]:
                if f.is_file() and f.suffix in (".py", ".toml", ".json", ".txt"):
                    if f.parent.name == "data" and f.name in ALIGN_DATA:
                        continue
                    h.update(f.read_bytes())
        return h.hexdigest()


def gold_root() -> Path:
    return basil_gold.shared_dir() / "gold" / "newswcl50"


def available() -> bool:
    root = gold_root()
    return (root / "score.py").is_file() and (root / "gold.json").is_file()


def load_scorer() -> ModuleType:
    """The gold's own ``score.py``, imported from the shared folder (it reads gold.json)."""
    path = gold_root() / "score.py"
    spec = importlib.util.spec_from_file_location("newswcl50_score", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)  # json.load(open(...)) at import
        spec.loader.exec_module(mod)
    return mod


@dataclass
class Result:
    """The scorer's per-event results and the totals it prints."""

    per: dict[str, dict[str, Any]]
    gold: int = 0
    hits_lenient: int = 0
    hits_strict: int = 0
    labels: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    cluster: dict[str, Any] | None = None

    @property
    def lenient(self) -> float:
        return self.hits_lenient / self.gold if self.gold else 0.0

    @property
    def strict(self) -> float:
        return self.hits_strict / self.gold if self.gold else 0.0

    def line(self) -> str:
        f1 = self.cluster.get("f1") if self.cluster and "error" not in self.cluster else None
        cluster = f" clusterF1={f1:.3f}" if f1 is not None else ""
        return (
            f"newswcl50: label_recall={self.lenient:.3f} label_recall_strict={self.strict:.3f} "
            f"labels={self.labels} on_gold={self.verdicts.get('on-gold', 0)}{cluster}"
        )


def evaluate(
    events: Sequence[str] = (),
    *,
    analyses: basil_gold.Analyses | None = None,
    cluster: bool = False,
) -> Result:
    """Score the dev events (all, or those whose slug starts with one of ``events``)."""
    scorer = load_scorer()
    chosen = {
        slug: e
        for slug, e in scorer.GOLD["events"].items()
        if not events or any(slug.split("-")[0] == p for p in events)
    }
    analyses = analyses or Analyses()
    res = Result(per={})
    with (
        tempfile.TemporaryDirectory() as tmp,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore", ResourceWarning)
        with basil_gold._patched(scorer, basil_gold.in_process_compare(analyses)):
            for slug, event in chosen.items():
                r = scorer.compare_event(["storyscope"], tmp, slug, event)
                gc.collect()
                if "error" in r:
                    raise RuntimeError(f"{slug}: {r['error']}")
                res.per[slug] = r
                res.gold += r["gold_chains"]
                res.hits_lenient += len(r["hits_lenient"])
                res.hits_strict += len(r["hits_strict"])
                res.labels += r["labels"]
                res.verdicts.update(j["verdict"] for j in r["labels_judged"])
        if cluster:
            exe = os.environ.get("STORYSCOPE") or str(Path(sys.executable).with_name("storyscope"))
            with contextlib.redirect_stdout(io.StringIO()):
                res.cluster = scorer.clustering([exe], tmp, scorer.GOLD["events"])
    return res


def listing(res: Result, scorer: ModuleType | None = None) -> str:
    """Every label with the scorer's verdict, the chains hit and the chains missed."""
    scorer = scorer or load_scorer()
    out: list[str] = []
    for slug, r in res.per.items():
        event = scorer.GOLD["events"][slug]
        out.append(
            f"== {slug}: {len(r['hits_lenient'])}/{r['gold_chains']} chains hit (strict "
            f"{len(r['hits_strict'])}); {r['labels']} labels"
        )
        for j in r["labels_judged"]:
            vs = "; ".join(f"{o}: {t!r}" for o, t in j["variants"])
            extra = f" -> {', '.join(j['chains'])}" if j["chains"] else ""
            out.append(f"  [{j['verdict']}] {j['concept']!r}: {vs}{extra}")
        for cid, h in r["hits_lenient"].items():
            (o1, t1, p1), (o2, t2, p2) = h["pair"]
            strict = " (strict)" if cid in r["hits_strict"] else ""
            out.append(f"  hit {cid}{strict}: {o1} {t1!r} ({p1!r}) / {o2} {t2!r} ({p2!r})")
        for c in event["chains"]:
            if c["id"] in r["hits_lenient"]:
                continue
            ex = "; ".join(
                f"{o}: " + " | ".join(x["phrase"] for x in sorted(v, key=lambda x: -x["count"])[:4])
                for o, v in c["outlets"].items()
            )
            out.append(f"  missed {c['id']} ({c['type']}): {ex}")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", action="store_true", help="list labels, hits and missed chains")
    ap.add_argument("--events", default="", help="comma-separated event prefixes (e0,e3)")
    ap.add_argument("--cluster", action="store_true", help="also score story clustering")
    ap.add_argument("--cli", action="store_true", help="run score.py on the storyscope executable")
    ap.add_argument("--no-cache", action="store_true", help="analyze again, do not read the cache")
    a = ap.parse_args(argv)
    if not available():
        print(f"skipped: NewsWCL50 gold not found under {gold_root()} (set STORYSCOPE_SHARED)")
        return 0
    if a.cli:
        exe = Path(sys.executable).with_name("storyscope")
        with tempfile.TemporaryDirectory() as out:
            cmd = [sys.executable, str(gold_root() / "score.py"), "--out", out]
            cmd += ["--events", a.events] if a.events else []
            cmd += [] if a.cluster else ["--no-cluster"]
            return subprocess.call(cmd, env={**os.environ, "STORYSCOPE": str(exe)})
    events = [p.strip() for p in a.events.split(",") if p.strip()]
    res = evaluate(
        events,
        analyses=Analyses(None if a.no_cache else basil_gold.CACHE),
        cluster=a.cluster,
    )
    if a.v:
        print(listing(res))
    for slug, r in res.per.items():
        print(
            f"{slug:<32} chains {r['gold_chains']:>2}  hit {len(r['hits_lenient']):>2} "
            f"(strict {len(r['hits_strict']):>2})  labels {r['labels']:>3} "
            f"(on gold {r['labels_on_gold']})"
        )
    print("labels by verdict: " + ", ".join(f"{k} {v}" for k, v in sorted(res.verdicts.items())))
    if res.cluster is not None:
        c = res.cluster
        print(
            "clustering: "
            + (
                c["error"]
                if "error" in c
                else f"{c['stories']} stories, BCubed P={c['precision']:.3f} "
                f"R={c['recall']:.3f} F1={c['f1']:.3f}"
            )
        )
    print(res.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
