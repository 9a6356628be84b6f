"""Offline default: quote the best passage's most relevant sentences, never add a fact."""
from __future__ import annotations

from typing import Any

from retrieval.documents import Hit
from retrieval.gates import char_bigrams
from retrieval.generators.base import Generation
from retrieval.ingest.chunking import split_sentences


class ExtractiveGenerator:
    def __init__(self, max_sentences: int = 3, greeting: str = "您好，") -> None:
        self.max_sentences = max_sentences
        self.greeting = greeting

    def warm_up(self) -> None:
        """Nothing to load."""

    def _select(self, question: str, hit: Hit) -> list[str]:
        sentences = split_sentences(hit.chunk.answer_text)
        if hit.chunk.kind == "faq" or len(sentences) <= self.max_sentences:
            return sentences[: self.max_sentences]
        wanted = char_bigrams(question)
        overlap = [len(char_bigrams(s) & wanted) for s in sentences]
        best = sorted(range(len(sentences)), key=lambda i: (-overlap[i], i))[: self.max_sentences]
        return [sentences[i] for i in sorted(best)]

    def run(self, question: str, hits: list[Hit], strict: bool = False) -> Generation:
        if not hits:
            return Generation("")
        top = hits[0]
        body = "".join(split_sentences(top.chunk.answer_text)[:1] if strict else self._select(question, top))
        return Generation(body if strict else f"{self.greeting}{body}", [top.chunk.chunk_id])

    def to_dict(self) -> dict[str, Any]:
        return {"type": "extractive", "max_sentences": self.max_sentences, "greeting": self.greeting}
