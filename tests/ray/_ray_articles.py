"""Invented articles for the Ray engine tests: two events, a contradiction and a wire reprint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FERRY_WIRE = {
    "outlet": "Gulfline Wire",
    "title": "Tarnby ferry runs aground near Vessel Point, 212 passengers evacuated",
    "published": "2026-09-14T07:10:00+00:00",
    "text": (
        "The Tarnby ferry Marisol ran aground near Vessel Point early on Sunday, and all 212 "
        "passengers were taken ashore by lifeboat, the coast guard said.\n\n"
        "No one was seriously hurt, according to coast guard spokesperson Ines Kovalt. "
        '"The crew did everything right," Kovalt said.\n\n'
        "The ferry operator, Northsound Lines, said the vessel would be towed to Brenholm for "
        "inspection. Services on the route are suspended until Wednesday."
    ),
}
FERRY_REPRINT = {
    "outlet": "Brenholm Evening Star",
    "title": "Ferry aground off Vessel Point",
    "published": "2026-09-14T12:00:00+00:00",
    "text": (
        "The Tarnby ferry Marisol ran aground near Vessel Point early on Sunday, and all 212 "
        "passengers were taken ashore by lifeboat, the coast guard said.\n\n"
        "No one was seriously hurt, according to coast guard spokesperson Ines Kovalt. "
        '"The crew did everything right," Kovalt said.\n\n'
        "The ferry operator, Northsound Lines, said the vessel would be towed to Brenholm for "
        "inspection."
    ),
}
FERRY_HARBOUR = {
    "outlet": "Harbour Ledger",
    "title": "Marisol grounding: 180 passengers rescued, operator blames fog",
    "published": "2026-09-14T16:30:00+00:00",
    "text": (
        "Lifeboats brought 180 passengers ashore after the ferry Marisol ran aground near Vessel "
        "Point on Sunday morning.\n\n"
        "Northsound Lines blamed thick fog for the accident. Coast guard spokesperson Ines Kovalt "
        "said an investigation had been opened. Services on the Tarnby route will not resume before "
        "Friday, the company said."
    ),
}
ORCHARD_TIMES = {
    "outlet": "Valemont Times",
    "title": "Valemont approves new public orchard on former rail yard",
    "published": "2026-09-15T09:00:00+00:00",
    "text": (
        "Valemont city council voted 9 to 2 on Tuesday to turn the former Kessel rail yard into a "
        "public orchard.\n\n"
        "The project will cost $1.8 million and plant 400 fruit trees, Mayor Oskar Lindqvist said. "
        '"This land has been fenced off for thirty years," Lindqvist said. "Now it belongs to '
        'everyone again."\n\nPlanting is due to start in March.'
    ),
}
ORCHARD_POST = {
    "outlet": "Kessel Post",
    "title": "Council backs rail yard orchard plan",
    "published": "2026-09-15T13:45:00+00:00",
    "text": (
        "The former Kessel rail yard will become a public orchard after Valemont city council "
        "approved the plan on Tuesday by 9 votes to 2.\n\n"
        "Mayor Oskar Lindqvist said the orchard would cost $2.4 million and hold about 400 fruit "
        "trees. Two councillors voted against, citing soil contamination. Planting starts in March, "
        "officials said."
    ),
}
ORCHARD_RADIO = {
    "outlet": "Radio Valemont",
    "title": "Rail yard to become orchard",
    "published": "2026-09-16T08:00:00+00:00",
    "text": (
        "Valemont's old Kessel rail yard is set to become a public orchard with 400 fruit trees "
        "after a council vote on Tuesday.\n\n"
        "Some residents worry about soil contamination at the site, which was used to store diesel "
        "until 1996. The city says tests found the soil safe."
    ),
}

EVENTS: list[dict[str, Any]] = [FERRY_WIRE, ORCHARD_TIMES, FERRY_REPRINT, ORCHARD_POST, FERRY_HARBOUR, ORCHARD_RADIO]


def write_corpus(folder: Path, *, parquet: bool = False) -> list[str]:
    """A JSONL file, a plain-text file with front matter and one more file; returns the sources.

    The last two articles go to ``more.parquet`` when ``parquet`` (the local
    path does not read Parquet), else to ``more.jsonl``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    jsonl = folder / "wire.jsonl"
    jsonl.write_text(
        "".join(json.dumps(r) + "\n" for r in (FERRY_WIRE, ORCHARD_TIMES, FERRY_REPRINT)), encoding="utf-8"
    )
    text = folder / "kessel-post.txt"
    text.write_text(
        f"---\noutlet: {ORCHARD_POST['outlet']}\ntitle: {ORCHARD_POST['title']}\n"
        f"published: {ORCHARD_POST['published']}\n---\n{ORCHARD_POST['text']}\n",
        encoding="utf-8",
    )
    sources = [str(jsonl), str(text)]
    if parquet:
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = folder / "more.parquet"
        pq.write_table(pa.Table.from_pylist([FERRY_HARBOUR, ORCHARD_RADIO]), str(path))
    else:
        path = folder / "more.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in (FERRY_HARBOUR, ORCHARD_RADIO)), encoding="utf-8")
    sources.append(str(path))
    return sources
