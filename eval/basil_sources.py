"""Anonymous sources on the BASIL dev gold events: a fixed random sample to read.

Takes the 20 events of ``<shared>/gold/basil/dev`` (their articles from
``<shared>/corpora/basil``), finds every sentence holding a broad anonymous-source
cue (a regular expression written independently of storyscope's rules:
"familiar with", "anonymity", "knowledge of", "briefed", "unnamed", "source",
"insider", "close to", "not authorized", "according to a/an/two ...", "an aide
said", ...), draws a sample of 50 with a fixed seed and prints each sentence with
what storyscope found there: the unnamed sources of
:func:`storyscope.align.sourcing.find_sources` (the analyze stage's cue phrases
from ``data/cues.toml`` and :func:`~storyscope.align.sourcing.find_anonymous_mentions`
from ``data/sources.toml``) and the reliance on other media of
:func:`~storyscope.align.sourcing.find_media_reliance`.

The articles are not parsed (no spaCy): sentences are BASIL's own and quotations
are not blanked, so this checks the rules, not the parse. Reading the sample
tells which sentences really cite an unnamed source and whether storyscope
found it; the figure is in ``docs/framing.md``.

Usage: ``python eval/basil_sources.py [--n 50] [--seed 17] [--all] [--cues-only]``
(``--all`` prints every candidate sentence, not a sample; ``--cues-only`` leaves
out ``[anonymous]`` of ``data/sources.toml``, as storyscope was before issue #17).
The 20 dev events hold 30 candidate sentences, so the sample of 50 is all of them.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import basil_bias  # noqa: E402
import basil_gold  # noqa: E402

from storyscope.align.sourcing import (  # noqa: E402
    find_media_reliance,
    find_sources,
    load_source_rules,
)
from storyscope.analyze.cues import find_cues, load_lexicon  # noqa: E402
from storyscope.model import AnalyzedArticle  # noqa: E402

#: Broad cue for a sentence that may cite an unnamed source (not storyscope's rules).
CANDIDATE = re.compile(
    r"familiar with|anonymity|knowledge of|\bbriefed\b|unnamed|unidentified|\bsources?\b|"
    r"\binsiders?\b|not authori[sz]ed|close to|who asked not|declined to be|"
    r"according to (?:a|an|one|two|three|four|several|some|multiple|people|officials)\b|"
    r"\b(?:a|an|one|two|three|several)\s+(?:[\w-]+\s+){0,3}(?:official|aide|person|people|"
    r"adviser|staffer|participant)s?\s+(?:said|told|says)\b",
    re.IGNORECASE,
)


def dev_events() -> set[str]:
    """Event ids (``triplet-uuid``) of the BASIL dev gold."""
    return {
        str(json.loads(p.read_text(encoding="utf-8"))["triplet"])
        for p in basil_gold.gold_files("dev")
    }


def candidates(
    docs: Sequence[basil_bias.Doc], *, cues_only: bool = False
) -> list[tuple[basil_bias.Doc, int, str]]:
    """``(doc, sentence index, what storyscope found)`` for every candidate sentence
    (``cues_only``: without the ``[anonymous]`` rules, as before issue #17)."""
    lexicon = load_lexicon()
    rules = load_source_rules()
    if cues_only:
        rules = dataclasses.replace(rules, anonymous=None)
    outlets = basil_bias.OUTLETS
    out: list[tuple[basil_bias.Doc, int, str]] = []
    for doc in docs:
        base = doc.analyzed
        analyzed = AnalyzedArticle(
            article=base.article,
            sentences=base.sentences,
            cues=tuple(find_cues(base.text, base.sentences, lexicon)),
        )
        unnamed = [s.evidence for s in find_sources(analyzed, rules) if s.anonymous and s.evidence]
        media = find_media_reliance(analyzed, rules, outlets=outlets)
        for sent in base.sentences:
            if not CANDIDATE.search(sent.text):
                continue
            found = [
                f"unnamed source: {c.text!r}" for c in unnamed if sent.start <= c.start < sent.end
            ]
            found += [f"media: {c.text!r}" for c in media if sent.start <= c.start < sent.end]
            out.append((doc, sent.index, "; ".join(found) or "-"))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--all", action="store_true", help="every candidate sentence")
    ap.add_argument(
        "--cues-only", action="store_true", help="without the [anonymous] rules (as before)"
    )
    a = ap.parse_args(argv)
    root = basil_bias.corpus_dir()
    if not basil_bias.available(root) or not basil_gold.available("dev"):
        print("BASIL corpus or dev gold not found (set STORYSCOPE_SHARED)", file=sys.stderr)
        return 2
    events = dev_events()
    docs = [d for d in basil_bias.load_docs(root) if d.event in events]
    rows = candidates(docs, cues_only=a.cues_only)
    sample = rows if a.all else random.Random(a.seed).sample(rows, min(a.n, len(rows)))
    sample.sort(key=lambda r: (r[0].event, r[0].outlet, r[1]))
    print(
        f"{len(docs)} articles of {len(events)} dev events; {len(rows)} candidate sentences; "
        f"{'all' if a.all else f'sample of {len(sample)} (seed {a.seed})'}"
    )
    for k, (doc, index, found) in enumerate(sample, 1):
        text = doc.analyzed.sentences[index].text
        print(f"\n[{k}] {doc.event[:8]} {doc.outlet} s{index}: {text}\n    -> {found}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
