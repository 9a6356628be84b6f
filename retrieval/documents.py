"""The units the library passes around: knowledge chunks and retrieval hits."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


def content_hash(text: str) -> str:
    """Short, stable version id of a piece of content."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Chunk:
    """One retrievable unit: a FAQ item with all its phrasings, or a piece of a page.

    `views` are the texts the retrievers match against (question, each phrasing, the
    full text); a chunk scores as the best of its views.
    """

    chunk_id: str
    doc_id: str
    version: str
    source: str
    title: str
    text: str
    views: list[str]
    kind: str = "passage"  # "faq" or "passage"
    answer: str = ""
    category: str = ""
    links: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Chunk":
        return cls(**data)

    @property
    def answer_text(self) -> str:
        """The text a generator may quote: the FAQ answer or the passage itself."""
        return self.answer or self.text


@dataclass
class Hit:
    """A chunk with the scores that ranked it."""

    chunk: Chunk
    score: float
    dense_score: float = 0.0  # cosine of the best view: the absolute relevance used to abstain
    bm25_score: float = 0.0  # BM25 of the whole chunk: > 0 iff the question shares a term
    signals: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "chunk_id": self.chunk.chunk_id,
            "doc_id": self.chunk.doc_id,
            "title": self.chunk.title,
            "source": self.chunk.source,
            "text": self.chunk.answer_text,
            "score": round(float(self.score), 6),
            "dense_score": round(float(self.dense_score), 6),
            "bm25_score": round(float(self.bm25_score), 6),
            "signals": {name: round(float(value), 6) for name, value in self.signals.items()},
        }
