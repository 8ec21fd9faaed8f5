"""Settings: one frozen object, resolved once from defaults, a file, the environment and flags.

The shipped defaults live in ``storyscope/data/settings.toml`` (documented there).
:func:`resolve_settings` layers, lowest precedence first, a settings file
(``--config``, else ``$STORYSCOPE_CONFIG``, else ``./storyscope.toml`` when it exists),
``STORYSCOPE_<SECTION>__<KEY>`` environment variables and ``--set section.key=value``
overrides, validates every value once (type and range) and returns the
:class:`Settings` with where each value came from. Code below the CLI takes the
section it needs as an argument (``align(docs, settings=settings.align)``); no
module reads the environment or the file itself.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyscope._toml import packaged, read_toml
from storyscope.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from storyscope.outlets import OutletDirectory

__all__ = [
    "AlignSettings",
    "AnalyzeSettings",
    "ENV_PREFIX",
    "OutletsSettings",
    "Settings",
    "default_settings",
    "resolve_settings",
]

ENV_PREFIX = "STORYSCOPE_"
"""Environment variables ``STORYSCOPE_<SECTION>__<KEY>`` override settings."""
_CONFIG_ENV = "STORYSCOPE_CONFIG"
_LOCAL_FILE = "storyscope.toml"


@dataclass(frozen=True, slots=True, kw_only=True)
class AlignSettings:
    """Thresholds of the align stage (see ``data/settings.toml`` and docs/alignment.md)."""

    group_threshold: float
    member_floor: float
    attach_threshold: float
    attach_same_threshold: float
    fragment_link: float
    cover_threshold: float
    cover_words: float
    candidate_prob: float
    summary_sentences: int
    summary_differences: int


class Names(tuple[str, ...]):
    """A list of names (``[analyze] analyzers``), shown as the comma-separated form it is set by."""

    __slots__ = ()

    def __str__(self) -> str:
        return ",".join(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalyzeSettings:
    """The analyze stage (see ``data/settings.toml`` and docs/architecture.md, "Plugins")."""

    #: Analyzers by name, in the order they run (installed plugins' unnamed ones run after).
    analyzers: Names


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletsSettings:
    """Outlet metadata (docs/outlets.md): none by default; storyscope ships no ratings."""

    #: The outlets file (TOML or CSV); "" for none. Relative to the settings file it is in.
    file: str

    def load(self) -> OutletDirectory | None:
        """The :class:`~storyscope.outlets.OutletDirectory` of :attr:`file`, else None.

        Raises:
            ConfigError: The file cannot be read or is not a valid outlets file.
        """
        if not self.file:
            return None
        from storyscope.outlets import load_outlets

        return load_outlets(self.file)


#: Allowed ranges, by (section, key); probabilities and shares are 0..1.
_RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("align", "group_threshold"): (0.0, 1.0),
    ("align", "member_floor"): (0.0, 1.0),
    ("align", "attach_threshold"): (0.0, 1.0),
    ("align", "attach_same_threshold"): (0.0, 1.0),
    ("align", "fragment_link"): (0.0, 1.0),
    ("align", "cover_threshold"): (0.0, 1.0),
    ("align", "cover_words"): (0.0, 1.0),
    ("align", "candidate_prob"): (0.0, 1.0),
    ("align", "summary_sentences"): (1, 100),
    ("align", "summary_differences"): (0, 100),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """All settings, by section. ``sources`` maps ``"section.key"`` to where its value came from."""

    align: AlignSettings
    analyze: AnalyzeSettings
    outlets: OutletsSettings = OutletsSettings(file="")
    sources: Mapping[str, str] = dataclasses.field(default_factory=dict, compare=False)

    @property
    def digest(self) -> str:
        """A short hash of the values (not their sources): part of cached reports' versions.

        Settings of the sections added after ``[align]`` count only where they differ
        from the shipped defaults, so the default settings keep the digest they had;
        ``[outlets]`` never counts (its metadata is added to a report after it is
        aligned and cached, and changes no stored analysis or cached report).
        """
        shipped = {k: v for k, v, _ in default_settings().items()}
        blob = json.dumps(
            [
                (k, v)
                for k, v, _ in self.items()
                if k.partition(".")[0] == "align"
                or (k.partition(".")[0] != "outlets" and v != shipped.get(k))
            ],
            sort_keys=True,
        )
        return hashlib.sha1(blob.encode()).hexdigest()[:12]

    def items(self) -> list[tuple[str, Any, str]]:
        """``(section.key, value, source)`` for every setting, in file order."""
        out = []
        for section in _SECTIONS:
            values = getattr(self, section)
            for f in dataclasses.fields(values):
                name = f"{section}.{f.name}"
                out.append((name, getattr(values, f.name), self.sources.get(name, "default")))
        return out


_SECTIONS: dict[str, type] = {
    "align": AlignSettings,
    "analyze": AnalyzeSettings,
    "outlets": OutletsSettings,
}
_KINDS: dict[object, type] = {
    "float": float,
    float: float,
    "Names": Names,
    Names: Names,
    "str": str,
    str: str,
}


def _types(section: str) -> dict[str, type]:
    return {f.name: _KINDS.get(f.type, int) for f in dataclasses.fields(_SECTIONS[section])}


def _names(section: str, key: str, value: Any, where: str) -> Names:
    """A list of names: a TOML array of strings, or one comma-separated string."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(n, str) for n in items):
        raise ConfigError(
            f"{where}: {section}.{key} must be a list of names (or one comma-separated string), "
            f"not {value!r}"
        )
    names = [n.strip() for n in items]
    if not all(names) and names != [""]:
        raise ConfigError(f"{where}: {section}.{key} has an empty name in {value!r}")
    return Names(n for n in names if n)


def _coerce(section: str, key: str, value: Any, where: str) -> float | int | str | Names:
    """``value`` as the setting's type, inside its range, else a ConfigError naming ``where``."""
    kind = _types(section)[key]
    if kind is Names:
        return _names(section, key, value, where)
    if kind is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: {section}.{key} must be a string, not {value!r}")
        return value.strip()
    if isinstance(value, str):
        text = value.strip()
        try:
            value = int(text) if kind is int else float(text)
        except ValueError:
            raise ConfigError(
                f"{where}: {section}.{key} must be {'an integer' if kind is int else 'a number'}, "
                f"not {value!r}"
            ) from None
    if isinstance(value, bool) or not isinstance(value, int | float) or (
        kind is int and not isinstance(value, int)
    ):
        raise ConfigError(
            f"{where}: {section}.{key} must be {'an integer' if kind is int else 'a number'}, "
            f"not {value!r}"
        )
    lo, hi = _RANGES[(section, key)]
    if not lo <= value <= hi:
        raise ConfigError(f"{where}: {section}.{key} = {value} is outside {lo:g}..{hi:g}")
    return int(value) if kind is int else float(value)


def _layer(
    values: dict[str, dict[str, Any]],
    sources: dict[str, str],
    data: Mapping[str, Any],
    where: str,
    base: Path | None = None,
) -> None:
    """Set the values ``data`` holds; a path (``outlets.file``) set in a file is read
    relative to ``base``, that file's folder."""
    for section, table in data.items():
        if section not in _SECTIONS:
            raise ConfigError(
                f"{where}: unknown settings table [{section}] (known: {', '.join(_SECTIONS)})"
            )
        if not isinstance(table, Mapping):
            raise ConfigError(f"{where}: [{section}] must be a table")
        for key, value in table.items():
            if key not in values[section]:
                raise ConfigError(
                    f"{where}: unknown setting {section}.{key} "
                    f"(known: {', '.join(sorted(values[section]))})"
                )
            coerced = _coerce(section, key, value, where)
            if (section, key) in _PATHS and coerced and base is not None:
                coerced = str(base / os.path.expanduser(str(coerced)))
            elif (section, key) in _PATHS and coerced:
                coerced = os.path.expanduser(str(coerced))
            values[section][key] = coerced
            sources[f"{section}.{key}"] = where


#: Settings that are file paths (relative to the settings file that sets them).
_PATHS = frozenset({("outlets", "file")})


def _defaults() -> dict[str, dict[str, Any]]:
    _, data = read_toml(packaged("settings.toml"), "packaged settings")
    values: dict[str, dict[str, Any]] = {}
    for section, cls in _SECTIONS.items():
        table = data.get(section, {})
        names = [f.name for f in dataclasses.fields(cls)]
        missing = [n for n in names if n not in table]
        if missing:  # pragma: no cover - guarded by the tests
            raise ConfigError(f"packaged settings.toml: [{section}] lacks {', '.join(missing)}")
        values[section] = {n: _coerce(section, n, table[n], "packaged settings.toml") for n in names}
    return values


def _config_file(config: str | os.PathLike[str] | None, env: Mapping[str, str]) -> Path | None:
    if config is not None:
        return Path(config)
    if env.get(_CONFIG_ENV):
        return Path(env[_CONFIG_ENV])
    local = Path(_LOCAL_FILE)
    return local if local.is_file() else None


def resolve_settings(
    config: str | os.PathLike[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    overrides: Sequence[str] = (),
    outlets_file: str | os.PathLike[str] | None = None,
) -> Settings:
    """Resolve the settings: defaults < settings file < environment < ``overrides``
    (< ``outlets_file``).

    Args:
        config: A settings file; None: ``$STORYSCOPE_CONFIG``, else ``./storyscope.toml``
            if it exists, else none.
        env: The environment (default ``os.environ``).
        overrides: ``"section.key=value"`` strings (the CLI's ``--set``).
        outlets_file: The CLI's ``--outlets FILE``: ``outlets.file``, above all else.

    Returns:
        The validated settings, with :attr:`Settings.sources`.

    Raises:
        ConfigError: A file that cannot be read or parsed, an unknown table or key,
            a value of the wrong type or outside its range (the file, variable or
            flag is named).
    """
    env = os.environ if env is None else env
    values = _defaults()
    sources: dict[str, str] = {}
    path = _config_file(config, env)
    if path is not None:
        _layer(values, sources, read_toml(path, "settings")[1], str(path), path.parent)
    for name, value in sorted(env.items()):
        if not name.startswith(ENV_PREFIX) or "__" not in name[len(ENV_PREFIX) :]:
            continue
        section, _, key = name[len(ENV_PREFIX) :].lower().partition("__")
        _layer(values, sources, {section: {key: value}}, name)
    for item in overrides:
        name, sep, value = item.partition("=")
        section, dot, key = name.strip().partition(".")
        if not sep or not dot or not key:
            raise ConfigError(
                f"--set {item!r}: expected SECTION.KEY=VALUE (e.g. align.group_threshold=0.9)"
            )
        _layer(values, sources, {section: {key: value}}, f"--set {name.strip()}")
    if outlets_file is not None:
        _layer(values, sources, {"outlets": {"file": os.fspath(outlets_file)}}, "--outlets")
    if "analyze.analyzers" in sources:
        _check_analyzers(values["analyze"]["analyzers"], sources["analyze.analyzers"])
    return Settings(
        align=AlignSettings(**values["align"]),
        analyze=AnalyzeSettings(**values["analyze"]),
        outlets=OutletsSettings(**values["outlets"]),
        sources=dict(sources),
    )


def _check_analyzers(names: Names, where: str) -> None:
    """Build the analyzers a settings layer lists (built-ins and installed plugins), so an
    unknown name or a missing requirement is an error here, naming where it was set."""
    from storyscope.analyze.pipeline import build_analyzers

    try:
        build_analyzers(names)
    except ConfigError as exc:
        raise ConfigError(f"{where}: analyze.analyzers: {exc}") from None


@functools.cache
def default_settings() -> Settings:
    """The shipped defaults, ignoring every file, variable and flag."""
    values = _defaults()
    return Settings(
        align=AlignSettings(**values["align"]),
        analyze=AnalyzeSettings(**values["analyze"]),
        outlets=OutletsSettings(**values["outlets"]),
    )
