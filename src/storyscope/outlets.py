"""Outlet metadata and outlet naming: the optional outlets file, domains, globs, folders.

storyscope ships **no** outlet ratings: without a file, outlets are plain names and
nothing about lean, owner or kind is shown (the neutral default). A user's file
(TOML or CSV, see docs/outlets.md) gives each outlet a ``name`` and optionally its
``domains``, ``lean`` (one of :data:`LEANS`), ``owner``, ``kind`` and ``country``.
It is named by the ``[outlets] file`` setting or ``--outlets FILE`` and loaded
with :func:`load_outlets`; any problem is one :class:`~storyscope.errors.ConfigError`
line naming the file (and the row).

:class:`OutletNaming` is the outlet mapping ``compare`` and ``ingest`` take: the exact
``FILE=NAME`` pairs of ``--outlet`` (a :class:`~collections.abc.Mapping`, as before),
plus ``PATTERN=NAME`` globs, folder-as-outlet and the file's domains. Outlet names,
by precedence: an exact ``--outlet`` pair > a ``--outlet`` glob > the folder (with
``--outlet-folders``) > the outlets file (the article URL's domain, else the name
read from the article matched to a listed name or domain) > metadata in the
article > the URL host > the file stem.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from storyscope._toml import parse_toml
from storyscope.errors import ConfigError, displayable

if TYPE_CHECKING:  # pragma: no cover
    from storyscope.model import Story

__all__ = [
    "FIELDS",
    "LEANS",
    "SIDES",
    "OutletDirectory",
    "OutletInfo",
    "OutletNaming",
    "blindspot",
    "lean_side",
    "load_outlets",
    "outlet_entries",
    "parse_outlet_pairs",
    "with_outlet_info",
]

#: The lean scale, left to right (the AllSides-style five points).
LEANS: tuple[str, ...] = ("left", "lean-left", "center", "lean-right", "right")
#: The two sides of the scale a blindspot is about.
SIDES: tuple[str, ...] = ("left", "right")
#: Columns of the CSV form (and keys of a TOML ``[[outlet]]`` table).
FIELDS: tuple[str, ...] = ("name", "domains", "lean", "owner", "kind", "country")

_LEAN_ALIASES = {
    "left": "left",
    "far-left": "left",
    "lean-left": "lean-left",
    "leans-left": "lean-left",
    "center-left": "lean-left",
    "centre-left": "lean-left",
    "center": "center",
    "centre": "center",
    "centrist": "center",
    "lean-right": "lean-right",
    "leans-right": "lean-right",
    "center-right": "lean-right",
    "centre-right": "lean-right",
    "right": "right",
    "far-right": "right",
}

#: Blindspot rule (docs/outlets.md): the covering side needs this many outlets ...
BLINDSPOT_MIN_OUTLETS = 2
#: ... and the other side at most this share of the outlets leaning either way.
BLINDSPOT_MAX_SHARE = 0.2


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletInfo:
    """One outlet of the user's file. Only ``name`` is required."""

    name: str
    domains: tuple[str, ...] = ()
    lean: str | None = None
    owner: str | None = None
    kind: str | None = None
    country: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON report's ``outlet_metadata`` entry (the name is its key)."""
        return {
            "domains": list(self.domains),
            "lean": self.lean,
            "owner": self.owner,
            "kind": self.kind,
            "country": self.country,
        }


def lean_side(lean: str | None) -> str | None:
    """``"left"`` for left and lean-left, ``"right"`` for lean-right and right, else None."""
    if lean in ("left", "lean-left"):
        return "left"
    if lean in ("lean-right", "right"):
        return "right"
    return None


def blindspot(leans: Iterable[str | None]) -> str | None:
    """The side that barely covers a story, from its outlets' leans (one per outlet).

    The left barely covers it when at least :data:`BLINDSPOT_MIN_OUTLETS` of its outlets
    lean right (lean-right or right) and the outlets leaning left are at most
    :data:`BLINDSPOT_MAX_SHARE` of those leaning either way; mirrored for the right.
    Center and unrated outlets count for neither side. None: no blindspot.
    """
    sides = [lean_side(lean) for lean in leans]
    left, right = sides.count("left"), sides.count("right")
    sided = left + right
    if right >= BLINDSPOT_MIN_OUTLETS and left <= BLINDSPOT_MAX_SHARE * sided:
        return "left"
    if left >= BLINDSPOT_MIN_OUTLETS and right <= BLINDSPOT_MAX_SHARE * sided:
        return "right"
    return None


def _domain(value: str) -> str:
    """``"https://www.Example.com/x"`` or ``"www.example.com"`` -> ``"example.com"``."""
    text = value.strip().lower()
    host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
    return host.rstrip(".").removeprefix("www.")


class OutletDirectory:
    """The outlets of a user's file, looked up by name (case-insensitive) or domain.

    Args:
        outlets: The entries, names distinct (case-insensitively).
        path: The file they were read from, if any.
    """

    def __init__(self, outlets: Iterable[OutletInfo], *, path: str | None = None) -> None:
        self.outlets: tuple[OutletInfo, ...] = tuple(outlets)
        self.path = path
        self._names = {o.name.casefold(): o for o in self.outlets}
        self._domains = {d: o for o in self.outlets for d in o.domains}

    def __len__(self) -> int:
        return len(self.outlets)

    def __iter__(self) -> Iterator[OutletInfo]:
        return iter(self.outlets)

    def get(self, name: str | None) -> OutletInfo | None:
        """The entry named ``name`` (case-insensitive), else None."""
        return self._names.get(name.casefold()) if name else None

    def for_domain(self, host_or_url: str | None) -> OutletInfo | None:
        """The entry listing the domain of a URL or host name, or a parent domain of it
        (``news.example.com`` matches ``example.com``), else None."""
        if not host_or_url:
            return None
        try:
            host = _domain(host_or_url)
        except ValueError:
            return None
        while host:
            found = self._domains.get(host)
            if found is not None:
                return found
            _, dot, host = host.partition(".")
            if not dot or "." not in host:
                return None
        return None

    def canonical(self, outlet: str, url: str | None) -> str | None:
        """The listed name for an article: by its URL's domain, else its outlet read as a
        listed name or domain (a WARC record's host, a site name in other case). None
        when the file does not list it."""
        found = self.for_domain(url) or self.get(outlet)
        if found is None and "." in outlet and " " not in outlet.strip():
            found = self.for_domain(outlet)
        return found.name if found is not None else None

    def leans(self, names: Iterable[str]) -> dict[str, str | None]:
        """Each name's lean (None: not listed, or listed without one)."""
        return {n: (o.lean if (o := self.get(n)) is not None else None) for n in names}


def _clean(value: Any, where: str, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {key} must be text, not {value!r}")
    text = " ".join(value.split())
    return text or None


def _lean(value: Any, where: str) -> str | None:
    text = _clean(value, where, "lean")
    if text is None:
        return None
    key = text.lower().replace(" ", "-").replace("_", "-")
    lean = _LEAN_ALIASES.get(key)
    if lean is None:
        raise ConfigError(
            f"{where}: lean {text!r} is not one of {', '.join(LEANS)} (or leave it empty)"
        )
    return lean


def _domains(value: Any, where: str) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    items = value.replace(";", " ").replace(",", " ").split() if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(d, str) for d in items):
        raise ConfigError(f"{where}: domains must be a list of domain names, not {value!r}")
    out = []
    for item in items:
        try:
            domain = _domain(item)
        except ValueError:
            domain = ""
        if "." not in domain:
            raise ConfigError(f"{where}: {item!r} is not a domain name (e.g. example.com)")
        out.append(domain)
    return tuple(dict.fromkeys(out))


def _entry(row: Mapping[str, Any], where: str) -> OutletInfo:
    unknown = sorted(str(k) for k in row if k not in FIELDS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown field {', '.join(unknown)} (known: {', '.join(FIELDS)})"
        )
    name = _clean(row.get("name"), where, "name")
    if not name:
        raise ConfigError(f"{where}: every outlet needs a name")
    return OutletInfo(
        name=name,
        domains=_domains(row.get("domains"), where),
        lean=_lean(row.get("lean"), where),
        owner=_clean(row.get("owner"), where, "owner"),
        kind=_clean(row.get("kind"), where, "kind"),
        country=_clean(row.get("country"), where, "country"),
    )


def _toml_rows(text: str, where: str) -> list[tuple[str, Mapping[str, Any]]]:
    data = parse_toml(text, where)
    extra = sorted(k for k in data if k != "outlet")
    if extra:
        raise ConfigError(
            f"{where}: unknown key {', '.join(extra)}: list outlets as [[outlet]] tables"
        )
    tables = data.get("outlet", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(f"{where}: 'outlet' must be [[outlet]] tables")
    return [(f"{where}: outlet {i}", t) for i, t in enumerate(tables, 1)]


def _csv_rows(text: str, where: str) -> list[tuple[str, Mapping[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in reader.fieldnames or ()]
    if "name" not in header:
        raise ConfigError(
            f"{where}: the first row must name the columns, 'name' among them ({','.join(FIELDS)})"
        )
    reader.fieldnames = header
    rows: list[tuple[str, Mapping[str, Any]]] = []
    try:
        for record in reader:
            if None in record:
                raise ConfigError(f"{where}: line {reader.line_num}: more cells than columns")
            values = {k: v for k, v in record.items() if k}
            if not any((v or "").strip() for v in values.values()):
                continue
            rows.append((f"{where}: line {reader.line_num}", values))
    except csv.Error as exc:
        raise ConfigError(f"{where}: line {reader.line_num}: not valid CSV ({exc})") from None
    return rows


def load_outlets(path: str | os.PathLike[str]) -> OutletDirectory:
    """Read an outlets file: TOML (``[[outlet]]`` tables) or CSV (a header row), by suffix.

    Raises:
        ConfigError: One line naming the file and the problem: unreadable, not TOML or
            CSV, an unknown field, a missing or repeated name, a lean off the scale,
            a domain that is not one, or a domain listed for two outlets.
    """
    where = displayable(os.fspath(path))
    suffix = Path(path).suffix.lower()
    if suffix not in (".toml", ".csv"):
        raise ConfigError(f"{where}: outlets file must end in .toml or .csv")
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{where}: outlets file is not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read outlets file ({exc.strerror or exc})") from None
    rows = _toml_rows(text, where) if suffix == ".toml" else _csv_rows(text, where)
    outlets: list[OutletInfo] = []
    names: dict[str, str] = {}
    domains: dict[str, str] = {}
    for row_where, row in rows:
        entry = _entry(row, row_where)
        if entry.name.casefold() in names:
            raise ConfigError(f"{row_where}: outlet {entry.name!r} is listed twice")
        names[entry.name.casefold()] = entry.name
        for domain in entry.domains:
            if domain in domains:
                raise ConfigError(
                    f"{row_where}: domain {domain} is listed for {domains[domain]!r} too"
                )
            domains[domain] = entry.name
        outlets.append(entry)
    return OutletDirectory(outlets, path=where)


@dataclass(frozen=True, slots=True)
class _Pattern:
    glob: str
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class _Rules:
    pairs: dict[str, str] = field(default_factory=dict)
    patterns: tuple[_Pattern, ...] = ()
    folders: bool = False
    directory: OutletDirectory | None = None


class OutletNaming(Mapping[str, str]):
    """How sources get their outlet names: a mapping of the exact ``FILE=NAME`` pairs (as
    every reader takes), plus globs, folder-as-outlet and an outlets file.

    Args:
        pairs: Outlet names by source path as given, file name or stem.
        patterns: ``(glob, name)``: a file whose path, normalised path or name matches
            the glob (:mod:`fnmatch`; ``*`` crosses ``/``) gets the name; first match wins.
        folders: A file under a folder of the directory given as a source is named
            after that folder (its first level below the given directory).
        directory: The outlets file: domains and listed names (see :meth:`resolve`).
    """

    def __init__(
        self,
        pairs: Mapping[str, str] | None = None,
        *,
        patterns: Sequence[tuple[str, str]] = (),
        folders: bool = False,
        directory: OutletDirectory | None = None,
    ) -> None:
        self._rules = _Rules(
            pairs=dict(pairs or {}),
            patterns=tuple(_Pattern(g, n) for g, n in patterns),
            folders=folders,
            directory=directory,
        )

    def __getitem__(self, key: str) -> str:
        return self._rules.pairs[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules.pairs)

    def __len__(self) -> int:
        return len(self._rules.pairs)

    def __contains__(self, key: object) -> bool:
        return key in self._rules.pairs

    def __repr__(self) -> str:
        return f"OutletNaming({self._rules!r})"

    @property
    def directory(self) -> OutletDirectory | None:
        return self._rules.directory

    def by_rule(self, path: str, given: str) -> str | None:
        """The outlet a glob or the folder gives the file ``path`` reached from source
        ``given``, else None."""
        candidates = (path, os.path.normpath(path), os.path.basename(path))
        for pattern in self._rules.patterns:
            if any(fnmatch.fnmatchcase(c, pattern.glob) for c in candidates):
                return pattern.name
        if self._rules.folders and os.path.isdir(given):
            relative = os.path.relpath(path, given)
            head = relative.split(os.sep, 1)
            if len(head) == 2 and head[0] not in ("", ".", ".."):
                return head[0]
        return None

    def resolve(self, outlet: str, url: str | None) -> str:
        """The outlets file's name for an article named ``outlet`` from ``url`` (unchanged
        when the file does not list it, or there is no file)."""
        if self.directory is None:
            return outlet
        return self.directory.canonical(outlet, url) or outlet


def parse_outlet_pairs(
    values: Iterable[str],
    *,
    folders: bool = False,
    directory: OutletDirectory | None = None,
) -> OutletNaming:
    """``--outlet`` values (``FILE=NAME`` or ``PATTERN=NAME``; a key with ``*``, ``?`` or
    ``[`` is a glob) into an :class:`OutletNaming`.

    Raises:
        ValueError: A value that is not ``KEY=NAME`` (the message says so).
    """
    pairs: dict[str, str] = {}
    patterns: list[tuple[str, str]] = []
    for value in values:
        key, sep, name = value.partition("=")
        key, name = key.strip(), name.strip()
        if not sep or not key or not name:
            raise ValueError(
                f"{value!r} is not FILE=OUTLET or PATTERN=OUTLET "
                "(e.g. --outlet ledger.txt='The Aster Ledger' or --outlet 'ledger-*=The Aster Ledger')"
            )
        if any(ch in key for ch in "*?["):
            patterns.append((key, name))
        else:
            pairs[key] = name
    return OutletNaming(pairs, patterns=patterns, folders=folders, directory=directory)


def with_outlet_info(story: Story, directory: OutletDirectory | None) -> Story:
    """The story with ``outlet_info`` set to the file's entries for its outlets (and
    its reprints' outlets), matched case-insensitively and named as the story names
    them; unchanged without a file."""
    from dataclasses import replace

    if directory is None:
        return story
    names = {a.article.outlet for a in story.articles} | {r.outlet for r in story.reprints}
    info = outlet_entries(directory, names)
    return story if info == story.outlet_info else replace(story, outlet_info=info)


def outlet_entries(directory: OutletDirectory, names: Iterable[str]) -> tuple[OutletInfo, ...]:
    """The file's entries for the outlets ``names`` (matched case-insensitively), each
    under the name as given, sorted by name; the names the file does not list are left out.

    A store ingested before the file may say "aster ledger" for the file's "Aster
    Ledger": the entry takes the story's spelling, so reports look it up as they name it.
    """
    from dataclasses import replace

    found = {n: replace(o, name=n) for n in set(names) if (o := directory.get(n)) is not None}
    return tuple(found[k] for k in sorted(found, key=lambda n: (n.casefold(), n)))
