"""The generator contract: question + retrieved hits -> answer text and the chunks it used."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from retrieval.documents import Hit
from retrieval.registry import create, names

GENERATOR_TYPES: list[str] = names("generator")  # the built-in types; the list is retrieval.registry


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
    """Build a generator from ``{"type": <name>, **init_parameters}`` (the shape of ``to_dict()``)."""
    return create("generator", spec)
