"""Invented articles for the store tests (outlets, people and places are made up)."""

from __future__ import annotations

import datetime as dt

from storyscope.model import Article, Removed

HARBOUR = Article.create(
    text=(
        "Dock workers in Port Velmar walked off the job on Tuesday after the harbour authority "
        "announced 240 layoffs. Union leader Mara Okonde said the strike would last until the "
        "cuts were withdrawn. The authority's spokesman, Teodor Lisk, declined to comment."
    ),
    source="ledger/harbour.html",
    outlet="The Velmar Ledger",
    title="Dock workers strike over harbour layoffs",
    byline="Ines Marr",
    published=dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    language="en",
    url="https://ledger.example/harbour-strike",
    removed=(Removed(text="Support our journalism: donate today.", reason="donation appeal"),),
)

HARBOUR_WIRE = Article.create(
    text=(
        "Port Velmar dock workers went on strike Tuesday over 240 layoffs announced by the harbour "
        "authority, union leader Mara Okonde said. She said the walkout would continue until the "
        "layoffs were reversed."
    ),
    source="wire/0310-velmar.json",
    outlet="Coastline Wire",
    title="Velmar dockers strike",
    published=dt.datetime(2026, 3, 10, 11, 5, tzinfo=dt.UTC),
    language="en",
)

BRIDGE = Article.create(
    text=(
        "The council of Arnsby approved a new footbridge over the river Quell on Monday. "
        "Mayor Pell Andrade said construction would begin in spring and cost 3.2 million euros."
    ),
    source="herald/bridge.txt",
    outlet="Arnsby Herald",
    title="Footbridge approved",
    published=dt.datetime(2026, 3, 9, 18, 0),
)

UNDATED = Article.create(
    text="Les dockers de Port Velmar ont cessé le travail mardi.",
    source="echo/fr.txt",
    outlet="L'Écho de Velmar",
    language="fr",
)

ALL = (HARBOUR, HARBOUR_WIRE, BRIDGE, UNDATED)


def synthetic(n: int, *, prefix: str = "syn") -> list[Article]:
    """``n`` distinct small articles."""
    return [
        Article.create(
            text=f"{prefix} report {i}: the Quell ferry carried {i * 7} passengers to Arnsby island.",
            source=f"{prefix}/{i}.txt",
            outlet=f"Outlet {i % 5}",
            title=f"Ferry report {i}",
            published=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=i),
        )
        for i in range(n)
    ]
