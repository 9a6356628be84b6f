"""Typed settings from plain YAML data: dataclasses filled by reflection, shared by `kefu.yml`
(`bot.config`) and the retrieval library (`retrieval.config`).

Every error names the key path ("kefu.yml > retrieval > bm25 > k1") and, for an unknown key, the
allowed names: a typo must stop the start, not silently fall back to a default. A dataclass may
declare `MOVED_KEYS: ClassVar[dict[str, str]]` (old key -> where it lives now) so a file written
for an older layout gets an error that names the new key.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, TypeVar, get_type_hints

T = TypeVar("T")
_PLURALS: dict[Any, str] = {str: "strings", int: "whole numbers", float: "numbers", bool: "true/false values"}


class ConfigError(ValueError):
    """A configuration value that cannot work; the message names the key and what to write."""


def build(cls: type[T], raw: Any, where: str, *, extra: dict[str, Any] | None = None,
          error: type[ConfigError] = ConfigError) -> T:
    """`cls(**raw)` with every value checked against its annotation, nested dataclasses built
    recursively. `extra` supplies fields that are not read from the file (e.g. the project root).

    A `ConfigError` raised by `cls` itself (its `__post_init__` checks, phrased relative to the
    section, e.g. "top_k: must be at least 1") is re-raised with `where` in front.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise error(f"{where}: expected a mapping of keys, got {raw!r}")
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)  # type: ignore[arg-type]
             if f.init and f.name not in (extra or {})}
    moved: dict[str, str] = getattr(cls, "MOVED_KEYS", {})
    for key in raw:
        if key not in names and key in moved:
            raise error(f"{where} > {key} moved: write {moved[key]}")
    unknown = sorted(str(key) for key in set(raw) - names)
    if unknown:
        raise error(f"{where}: unknown key {unknown[0]!r}; allowed keys are {', '.join(sorted(names))}")
    values: dict[str, Any] = dict(extra or {})
    for name, value in raw.items():
        values[name] = coerce(hints[name], value, f"{where} > {name}", error)
    try:
        return cls(**values)
    except ConfigError as problem:
        if isinstance(problem, error) and str(problem).startswith(where):
            raise
        raise error(f"{where} > {problem}") from None


def coerce(expected: Any, value: Any, where: str, error: type[ConfigError] = ConfigError) -> Any:
    """`value` as the annotated type, or an `error` naming `where` and what was expected."""
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if dataclasses.is_dataclass(expected):
        return build(expected, value, where, error=error)  # type: ignore[arg-type]
    if expected is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [arg for arg in args if arg is not type(None)]
        if len(options) == 1:
            return coerce(options[0], value, where, error)
        raise error(f"{where}: unsupported setting type {expected}")  # pragma: no cover - schema bug
    if expected is bool or expected is str:
        if not isinstance(value, expected):
            raise error(f"{where}: expected {expected.__name__}, got {value!r}")
        return value
    if expected is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise error(f"{where}: expected a whole number, got {value!r}")
        return value
    if expected is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise error(f"{where}: expected a number, got {value!r}")
        return float(value)
    if origin is dict:
        if not isinstance(value, dict):
            raise error(f"{where}: expected a mapping of keys, got {value!r}")
        item = args[1] if len(args) == 2 else Any
        return {key: coerce(item, entry, f"{where} > {key}", error) for key, entry in value.items()}
    if origin in (list, tuple):
        item = args[0] if args else Any
        if not isinstance(value, (list, tuple)):
            raise error(f"{where}: expected a list of {_PLURALS.get(item, 'values')}, got {value!r}")
        items = [coerce(item, entry, f"{where}[{i}]", error) for i, entry in enumerate(value)]
        return tuple(items) if origin is tuple else items
    raise error(f"{where}: unsupported setting type {expected}")  # pragma: no cover - schema bug
