"""Invented articles for corpus-mode tests: two events, a wire story and its lightly edited reprint."""

from __future__ import annotations

import json
from pathlib import Path

BRIDGE_WIRE = {
    "outlet": "Lakeside Wire",
    "title": "Halden river bridge reopens after six weeks of repairs",
    "published": "2026-05-04T08:00:00+00:00",
    "text": (
        "The Halden river bridge reopened to traffic on Monday morning after six weeks of repairs, "
        "the regional roads agency said. Crews replaced the expansion joints and resurfaced the deck "
        "of the 1960s span, which carries about 18,000 vehicles a day between Fenwick and Osterby. "
        "The repairs cost $3.2 million, according to agency director Lotte Brandvik. "
        '"Traffic will flow normally from today," Brandvik said at the reopening. '
        "Commuters had faced detours of up to 40 minutes while the bridge was closed. "
        "A weight limit of 30 tonnes remains in place until inspectors sign off on the new joints."
    ),
}
# The same wire copy reprinted by a regional paper with a new headline and a trimmed last sentence.
BRIDGE_REPRINT = {
    "outlet": "Osterby Herald",
    "title": "Bridge to Fenwick open again",
    "published": "2026-05-04T11:30:00+00:00",
    "text": (
        "The Halden river bridge reopened to traffic on Monday morning after six weeks of repairs, "
        "the regional roads agency said. Crews replaced the expansion joints and resurfaced the deck "
        "of the 1960s span, which carries about 18,000 vehicles a day between Fenwick and Osterby. "
        "The repairs cost $3.2 million, according to agency director Lotte Brandvik. "
        '"Traffic will flow normally from today," Brandvik said at the reopening. '
        "Commuters had faced detours of up to 40 minutes while the bridge was closed."
    ),
}
BRIDGE_COURIER = {
    "outlet": "Valley Courier",
    "title": "Halden bridge open again, but heavy trucks must wait",
    "published": "2026-05-04T15:00:00+00:00",
    "text": (
        "Drivers crossed the Halden river bridge again on Monday, ending six weeks of closures and "
        "long detours between Fenwick and Osterby. Agency director Lotte Brandvik said the repair "
        "work on the bridge cost $4.5 million, more than first budgeted, because corrosion in the "
        "expansion joints was worse than expected. Lorries over 30 tonnes are still barred from the "
        "span until a final inspection, the roads agency said."
    ),
}
STRIKE_GAZETTE = {
    "outlet": "Fenwick Gazette",
    "title": "Teachers in Marrow county strike over pay",
    "published": "2026-05-06T07:00:00+00:00",
    "text": (
        "Teachers at 42 schools in Marrow county walked out on Wednesday in the first strike over pay "
        "in a decade, the teachers' union said. Union secretary Ilse Varga said members had rejected "
        "a 2 percent offer from the county education board as an insult after two years of rising "
        "rents. The board said it could not afford more without cutting school bus routes. Parents "
        "were told to keep children at home; the strike is due to last two days."
    ),
}
STRIKE_COURIER = {
    "outlet": "Valley Courier",
    "title": "Marrow schools shut as teachers walk out",
    "published": "2026-05-06T09:00:00+00:00",
    "text": (
        "Most schools in Marrow county were closed on Wednesday as teachers went on strike over pay. "
        "The union says 42 schools are affected and the walkout will last two days. Ilse Varga, the "
        "union's secretary, called the education board's 2 percent pay offer unacceptable. The county "
        "education board said a larger raise would force cuts to school bus routes."
    ),
}

ALL = [BRIDGE_WIRE, BRIDGE_REPRINT, BRIDGE_COURIER, STRIKE_GAZETTE, STRIKE_COURIER]


def write_jsonl(path: Path, records: list[dict[str, str]] = ALL, extra_lines: tuple[str, ...] = ()) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")
        for line in extra_lines:
            handle.write(line + "\n")
    return path
