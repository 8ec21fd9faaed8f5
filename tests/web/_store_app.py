"""A small SQLite store served by StoreSource, with a cheap counting pipeline (no models)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from storyscope.model import AnalyzedArticle, Article, Sentence
from storyscope.store import Store

_SENTENCE = re.compile(r"[^\s].*?(?:[.!?](?=\s|$)|$)", re.S)


class CountingPipeline:
    """Splits sentences only; counts the articles it was asked to analyse."""

    version = "web-test-1"

    def __init__(self) -> None:
        self.analyzed = 0

    def analyze_many(self, articles: Sequence[Article]) -> list[AnalyzedArticle]:
        self.analyzed += len(articles)
        return [
            AnalyzedArticle(
                article=a,
                sentences=tuple(
                    Sentence(index=n, start=m.start(), end=m.end(), text=m.group())
                    for n, m in enumerate(_SENTENCE.finditer(a.text))
                ),
            )
            for a in articles
        ]


def article(n: int, outlet: str, story: str = "ferry") -> Article:
    return Article.create(
        text=(
            f"Two ferries collided off Wrenmouth on Sunday, report {n} said. "
            f"Officials said {n + 10} passengers about the {story} were hurt."
        ),
        source=f"feed/{story}-{n}.txt",
        outlet=outlet,
        title=f"The {story} story, report {n}",
        published=dt.datetime(2031, 9, 7, 8, n, tzinfo=dt.UTC),
    )


OUTLETS = ("Saltmere Daily", "a/b", "..", "100% News?#")


def fill_store(path: Path, stories: int = 1) -> list[int]:
    """Stories of one article per outlet in :data:`OUTLETS`; returns their ids."""
    ids = []
    with Store.open(path) as store:
        for k in range(stories):
            items = [article(n, o, f"story{k}") for n, o in enumerate(OUTLETS)]
            store.add_articles(items)
            ids.append(store.create_story(f"Story {k}", [a.id for a in items]))
    return ids
