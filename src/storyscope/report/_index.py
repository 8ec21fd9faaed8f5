"""Lookups shared by the renderers: article by id, outlet names, paragraph numbers."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from storyscope.model import AnalyzedArticle, Citation, Story

__all__ = ["StoryIndex", "paragraph_ranges"]

# A paragraph break: two or more newlines, possibly with blank-ish lines between.
_PARAGRAPH_BREAK = re.compile(r"\n(?:[ \t]*\n)+")


def paragraph_ranges(text: str) -> list[tuple[int, int, int]]:
    """Split ``text`` into paragraphs at blank lines.

    Args:
        text: An article text.

    Returns:
        ``(start, end, separator_end)`` per paragraph: the paragraph is
        ``text[start:end]`` and the break that follows it is
        ``text[end:separator_end]`` (empty for the last paragraph). The ranges
        tile the whole text, so concatenating paragraph and separator slices
        gives ``text`` back.
    """
    ranges: list[tuple[int, int, int]] = []
    position = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        ranges.append((position, match.start(), match.end()))
        position = match.end()
    ranges.append((position, len(text), len(text)))
    return ranges


@dataclass(slots=True)
class StoryIndex:
    """Precomputed lookups over a story's articles.

    Args:
        story: The story to index.
    """

    story: Story
    by_id: dict[str, AnalyzedArticle] = field(init=False)
    _paragraph_starts: dict[str, list[int]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {}
        for analyzed in self.story.articles:
            self.by_id.setdefault(analyzed.id, analyzed)
        self._paragraph_starts = {}

    def outlet(self, article: str) -> str | None:
        """The outlet of an article id, or None when the id is unknown."""
        analyzed = self.by_id.get(article)
        return analyzed.article.outlet if analyzed is not None else None

    def outlets(self) -> list[str]:
        """Distinct outlet names, sorted case-insensitively."""
        names = {a.article.outlet for a in self.story.articles}
        return sorted(names, key=lambda name: (name.casefold(), name))

    def paragraph(self, article: str, offset: int) -> int | None:
        """1-based number of the paragraph holding ``offset``, or None for unknown ids."""
        analyzed = self.by_id.get(article)
        if analyzed is None:
            return None
        starts = self._paragraph_starts.get(article)
        if starts is None:
            starts = [start for start, _, _ in paragraph_ranges(analyzed.text)]
            self._paragraph_starts[article] = starts
        return max(bisect_right(starts, offset), 1)

    def resolves(self, citation: Citation) -> bool:
        """Whether a citation points at an exact span of a known article."""
        analyzed = self.by_id.get(citation.article)
        if analyzed is None:
            return False
        text = analyzed.text
        return (
            0 <= citation.start <= citation.end <= len(text)
            and text[citation.start : citation.end] == citation.text
        )

    def citations(self) -> Iterator[tuple[str, Citation]]:
        """Every citation in the story, with the section it belongs to."""
        for sentence in self.story.summary:
            for citation in sentence.citations:
                yield "summary", citation
        for fact in self.story.facts:
            for citation in fact.support:
                yield "fact", citation
        for contradiction in self.story.contradictions:
            yield "contradiction", contradiction.a
            yield "contradiction", contradiction.b
        for variant in self.story.quote_variants:
            for citation in variant.members:
                yield "quote_variant", citation
        for citation in self.story.framing.hedges:
            yield "hedge", citation
        for citation in self.story.framing.anonymous_sources:
            yield "anonymous_source", citation
        for profile in self.story.outlets:
            for hedged in profile.hedges:
                yield "outlet hedge", hedged.hedge
                yield "outlet hedged claim", hedged.claim
            for source in profile.sources:
                if source.evidence is not None:
                    yield "outlet source", source.evidence
                for citation in source.quotes:
                    yield "outlet source quote", citation
            for citation in profile.media:
                yield "outlet media", citation
            for term in profile.loaded:
                yield "outlet loaded term", term.citation
            for use in profile.labels:
                yield "outlet label", use.citation
