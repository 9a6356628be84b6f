"""The generator contract: question + retrieved hits -> answer text and the chunks it used."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Protocol

from retrieval.documents import Hit

GENERATOR_TYPES: dict[str, str] = {
    "extractive": "retrieval.generators.extractive:ExtractiveGenerator",
    "openai": "retrieval.generators.openai_compat:OpenAICompatibleGenerator",
}


@dataclass
class Generation:
    text: str
    used_chunk_ids: list[str] = field(default_factory=list)


class Generator(Protocol):
    def warm_up(self) -> None: ...
    def run(self, question: str, hits: list[Hit], strict: bool = False) -> Generation:
        """`strict=True` is the regeneration after a failed gate: stay closer to the passages."""
    def to_dict(self) -> dict[str, Any]: ...


def create_generator(spec: dict[str, Any]) -> Generator:
    params = dict(spec)
    kind = params.pop("type", None)
    if kind not in GENERATOR_TYPES:
        raise ValueError(f"unknown generator type {kind!r}; use one of {', '.join(GENERATOR_TYPES)}")
    module_name, class_name = GENERATOR_TYPES[kind].split(":")
    return getattr(importlib.import_module(module_name), class_name)(**params)
