"""Plugins: pluggy hooks through which storyscope's parts are registered.

The built-ins register through the same hooks as plugins (datasette's
``DEFAULT_PLUGINS``). A plugin is a module with hook implementations, installed
with an entry point in the ``storyscope`` group::

    # pyproject.toml of the plugin
    [project.entry-points.storyscope]
    tone = "storyscope_tone"

    # storyscope_tone.py
    from storyscope.plugins import hookimpl

    @hookimpl
    def storyscope_analyzers():
        return [ToneAnalyzer()]

Entry points are loaded once per process, when the first pipeline is built, and
not at all when ``STORYSCOPE_NO_PLUGINS=1``. See docs/architecture.md, "Plugins".
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pluggy

from storyscope.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from storyscope.analyze.pipeline import Analyzer

__all__ = [
    "BUILTIN",
    "BUILTIN_ANALYZERS",
    "ENTRY_POINT_GROUP",
    "NO_PLUGINS_ENV",
    "Hookspecs",
    "hookimpl",
    "hookspec",
    "plugin_manager",
    "registered_analyzers",
    "reset",
    "runs_builtins_only",
]

#: The entry-point group plugins are installed under.
ENTRY_POINT_GROUP = "storyscope"
#: Set to 1 to load no plugins (the built-ins still register).
NO_PLUGINS_ENV = "STORYSCOPE_NO_PLUGINS"
#: The name the built-ins are registered under.
BUILTIN = "storyscope.builtins"
#: The built-in analyzers' versioned names, in their shipped order: the names of
#: :func:`storyscope.analyze.pipeline.builtin_analyzers` (a test keeps the two equal),
#: known without importing an analyzer (:func:`runs_builtins_only`).
BUILTIN_ANALYZERS: tuple[str, ...] = (
    "sentences.v2",
    "entities.v1",
    "quantities.v1",
    "times.v1",
    "quotes.v1",
    "cues.v1",
    "claims.v4",
    "sources.v1",
    "anonymous.v1",
    "media.v1",
    "loaded.v1",
    "hedges.v1",
)

hookspec = pluggy.HookspecMarker("storyscope")
hookimpl = pluggy.HookimplMarker("storyscope")


class Hookspecs:
    """The hooks storyscope calls."""

    @hookspec
    def storyscope_analyzers(self) -> Iterable[Analyzer]:  # type: ignore[empty-body]
        """Analyzers to register (:class:`storyscope.analyze.pipeline.Analyzer`).

        Called each time a pipeline is built, so return new objects. Each
        analyzer's name (without its version) must be unique among all plugins'.
        The settings' ``[analyze] analyzers`` list places one by that name; one it
        does not name runs after the listed ones, in the order the plugins loaded.
        """


class _Builtins:
    """The built-in analyzers, registered through the same hook as plugins'."""

    @hookimpl
    def storyscope_analyzers(self) -> Iterable[Analyzer]:
        from storyscope.analyze.pipeline import builtin_analyzers

        return builtin_analyzers()


def _load_plugins_default() -> bool:
    return os.environ.get(NO_PLUGINS_ENV, "").strip().lower() not in {"1", "true", "yes"}


def plugin_manager(*, load_entrypoints: bool | None = None) -> pluggy.PluginManager:
    """The process's plugin manager: the built-ins, plus installed plugins.

    Args:
        load_entrypoints: Load the plugins of the ``storyscope`` entry-point group;
            None: unless ``STORYSCOPE_NO_PLUGINS`` is 1.

    Raises:
        ConfigError: A plugin failed to load or implements an unknown hook.
    """
    return _manager(_load_plugins_default() if load_entrypoints is None else load_entrypoints)


@functools.cache
def _manager(load_entrypoints: bool) -> pluggy.PluginManager:
    pm = pluggy.PluginManager("storyscope")
    pm.add_hookspecs(Hookspecs)
    pm.register(_Builtins(), name=BUILTIN)
    if load_entrypoints:
        try:
            pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
            pm.check_pending()
        except Exception as exc:
            raise ConfigError(
                f"a storyscope plugin failed to load ({type(exc).__name__}: {exc}); "
                f"{NO_PLUGINS_ENV}=1 runs without plugins"
            ) from exc
    return pm


def reset() -> None:
    """Forget the loaded plugins: the next pipeline loads them again (for tests)."""
    _manager.cache_clear()


def registered_analyzers(*, load_entrypoints: bool | None = None) -> list[tuple[str, Analyzer]]:
    """``(plugin name, analyzer)`` for every registered analyzer: the built-ins first,
    then the plugins' in the order they loaded.

    Raises:
        ConfigError: A plugin failed to load, or returned something that is not an
            analyzer.
    """
    from storyscope.analyze.pipeline import Analyzer, analyzer_key

    pm = plugin_manager(load_entrypoints=load_entrypoints)
    out: list[tuple[str, Analyzer]] = []
    for impl in pm.hook.storyscope_analyzers.get_hookimpls():
        try:
            result = impl.function()
        except Exception as exc:
            raise ConfigError(
                f"plugin {impl.plugin_name}: storyscope_analyzers failed ({type(exc).__name__}: {exc})"
            ) from exc
        if result is None:
            continue
        if not isinstance(result, Iterable):
            raise ConfigError(
                f"plugin {impl.plugin_name}: storyscope_analyzers returned "
                f"{type(result).__name__}, not a list of analyzers"
            )
        for analyzer in result:
            if isinstance(analyzer, type):
                raise ConfigError(
                    f"plugin {impl.plugin_name}: storyscope_analyzers returned the class "
                    f"{analyzer.__name__}, not an analyzer ({analyzer.__name__}())"
                )
            if not isinstance(analyzer, Analyzer):
                raise ConfigError(
                    f"plugin {impl.plugin_name}: {analyzer!r} is not an analyzer "
                    "(it needs name, requires, assigns and __call__)"
                )
            try:
                analyzer_key(analyzer.name)
            except ConfigError as exc:
                raise ConfigError(f"plugin {impl.plugin_name}: {exc}") from None
            out.append((impl.plugin_name, analyzer))
    return out


def runs_builtins_only(
    analyzers: Sequence[object], *, load_entrypoints: bool | None = None
) -> bool:
    """Whether the pipeline of an ``[analyze] analyzers`` list runs exactly the built-in
    analyzers, in their shipped order (:data:`BUILTIN_ANALYZERS`), told without
    building it: no analyzer module is imported.

    True when every item names a built-in (``"quotes"``, or ``"quotes.v1"`` at its
    version), each once, in the shipped order, and no plugin but the built-ins is
    registered (entry points are loaded as for a pipeline). False otherwise, also where
    the list would not make a pipeline: building one tells what it runs, or why not.

    Raises:
        ConfigError: A plugin failed to load (as building the pipeline would).
    """
    if len(analyzers) != len(BUILTIN_ANALYZERS):
        return False
    for item, name in zip(analyzers, BUILTIN_ANALYZERS, strict=True):
        if item != name and item != name.rpartition(".")[0]:
            return False
    pm = plugin_manager(load_entrypoints=load_entrypoints)
    return all(plugin == BUILTIN for plugin, _ in pm.list_name_plugin())
