"""Sentence and per-token vectors from the offline multilingual-e5-small ONNX model.

Extends the retriever's :class:`E5OnnxEmbedder` (same model, tokenizer, ``query: `` prefix and
mean pooling, so sentence vectors equal ``embed_queries``) with token vectors: the mean of the
model's hidden states over the sub-words that overlap each Rasa token's character span.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import numpy as np

from retrieval.embedders.base import l2_normalize
from retrieval.embedders.e5_onnx import MODEL_FILE, QUERY_PREFIX, TOKENIZER_FILE, E5OnnxEmbedder

Span = Tuple[int, int]


class ModelMissing(FileNotFoundError):
    """The e5 model folder is missing; the message says how to build it."""


@dataclass
class Encoded:
    sentence: np.ndarray  # [dim], L2-normalised (as the retriever's query vector)
    tokens: np.ndarray  # [len(spans), dim], L2-normalised rows (zeros past truncation)


class E5Encoder(E5OnnxEmbedder):
    """Batched sentence + token encoding; see the module docstring."""

    def warm_up(self) -> None:
        folder = self.resolved_model_dir()
        missing = [name for name in (MODEL_FILE, TOKENIZER_FILE) if not (folder / name).is_file()]
        if missing:
            raise ModelMissing(f"the e5 model is missing from {folder} ({', '.join(missing)}): "
                               f"run ./kefu setup, which builds it offline")
        super().warm_up()

    def encode(self, texts: Sequence[str], spans: Sequence[Sequence[Span]]) -> List[Encoded]:
        """Encodes ``texts`` in length-sorted batches; ``spans[i]`` are text i's token spans."""
        self.warm_up()
        assert self._tokenizer is not None
        encodings = self._tokenizer.encode_batch([QUERY_PREFIX + text for text in texts])
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        results: List[Optional[Encoded]] = [None] * len(texts)
        for first in range(0, len(texts), self.batch_size):
            rows = order[first:first + self.batch_size]
            hidden, mask = self._hidden_states([encodings[i].ids for i in rows])
            for batch_row, index in enumerate(rows):
                weights = mask[batch_row][:, None]
                pooled = (hidden[batch_row] * weights).sum(axis=0) / max(weights.sum(), 1.0)
                offsets = encodings[index].offsets
                token_vectors = _token_vectors(hidden[batch_row][:len(offsets)], offsets, spans[index])
                results[index] = Encoded(l2_normalize(pooled[None, :])[0], token_vectors)
        return [r for r in results if r is not None]


def _token_vectors(hidden: np.ndarray, offsets: Sequence[Span], spans: Sequence[Span]) -> np.ndarray:
    """Mean hidden state of the sub-words overlapping each span (offsets include the prefix)."""
    shift = len(QUERY_PREFIX)
    starts = np.array([start - shift for start, _ in offsets])
    ends = np.array([end - shift for _, end in offsets])
    real = ends > starts  # special tokens have empty offsets
    out = np.zeros((len(spans), hidden.shape[-1]), dtype=np.float32)
    for row, (start, end) in enumerate(spans):
        overlap = real & (starts < end) & (ends > start) & (ends > 0)
        if overlap.any():
            out[row] = hidden[overlap].mean(axis=0)
    return l2_normalize(out)


@functools.lru_cache(maxsize=4)
def shared_encoder(model_dir: Optional[str], max_length: int, batch_size: int, threads: int) -> E5Encoder:
    """One loaded model per setting in a process (training builds several graph nodes)."""
    encoder = E5Encoder(model_dir, max_length=max_length, batch_size=batch_size, intra_op_threads=threads)
    encoder.warm_up()
    return encoder


def model_dir_or_default(model_dir: Optional[str]) -> Path:
    return E5Encoder(model_dir).resolved_model_dir()
