"""Chinese-aware splitting: sentence boundaries first, then size limits with overlap."""
from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s+|\n+")


def split_sentences(text: str) -> list[str]:
    """Split on Chinese and Western sentence ends and on line breaks; drop blanks."""
    return [piece.strip() for piece in _SENTENCE_END.split(text) if piece and piece.strip()]


def chunk_text(text: str, max_chars: int = 300, overlap_sentences: int = 1) -> list[str]:
    """Pack whole sentences into chunks of at most `max_chars`.

    Consecutive chunks repeat the last `overlap_sentences` sentences so a fact that spans a
    boundary stays retrievable. A single sentence longer than the limit is hard-cut.
    """
    sentences: list[str] = []
    for sentence in split_sentences(text):
        while len(sentence) > max_chars:
            sentences.append(sentence[:max_chars])
            sentence = sentence[max_chars:]
        sentences.append(sentence)
    chunks: list[str] = []
    current: list[str] = []
    for sentence in sentences:
        if current and len("".join(current)) + len(sentence) > max_chars:
            chunks.append("".join(current))
            kept = current[-overlap_sentences:] if overlap_sentences else []
            current = kept if len("".join(kept)) + len(sentence) <= max_chars else []
        current.append(sentence)
    if current:
        chunks.append("".join(current))
    return chunks
