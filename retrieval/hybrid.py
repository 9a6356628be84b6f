"""Hybrid retriever: BM25 and dense search over chunk views and whole chunks, four per-chunk
signals (see `fusion.py`), weighted fusion."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from retrieval.bm25 import SparseBM25
from retrieval.dense import DenseIndex
from retrieval.documents import Chunk, Hit
from retrieval.embedders.base import Embedder, create_embedder, l2_normalize
from retrieval.fusion import DEFAULT_WEIGHTS, fuse, validate_weights
from retrieval.tokenize import JiebaTokenizer


@dataclass
class Candidates:
    """Per-chunk signals for the union of every signal's top candidates."""

    chunk_indices: np.ndarray
    signals: dict[str, np.ndarray]


def view_texts(chunks: list[Chunk]) -> tuple[list[str], np.ndarray]:
    """All views in chunk order, and offsets: chunk i owns views offsets[i]:offsets[i+1]."""
    texts = [view for chunk in chunks for view in chunk.views]
    offsets = np.cumsum([0] + [len(chunk.views) for chunk in chunks]).astype(np.int64)
    return texts, offsets


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, len(scores))
    best = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    return best[scores[best] > 0]


class HybridRetriever:
    """Registered as retriever type "hybrid". The defaults are the calibrated ones
    (`python -m eval.calibrate_retrieval fusion`); `top_k` is how many chunks the generator sees."""

    kind = "hybrid"

    def __init__(self, embedder: Embedder | dict[str, Any], tokenizer: dict[str, Any] | None = None,
                 bm25: dict[str, float] | None = None, dense: dict[str, Any] | None = None,
                 fusion: str = "linear", weights: dict[str, float] | None = None, rrf_k: float = 60.0,
                 candidate_views: int = 100, top_k: int = 3) -> None:
        self.embedder_spec = embedder if isinstance(embedder, dict) else None
        self.embedder: Embedder | None = None if isinstance(embedder, dict) else embedder
        self.tokenizer = JiebaTokenizer.from_dict(tokenizer or {})
        self.bm25_params = dict(bm25 or {})
        self.dense_params = dict(dense or {})
        self.fusion = fusion
        self.weights = dict(weights or DEFAULT_WEIGHTS)
        validate_weights(self.weights)
        self.rrf_k = rrf_k
        self.candidate_views = candidate_views
        self.top_k = top_k
        self.chunks: list[Chunk] = []
        self._offsets = np.zeros(1, dtype=np.int64)
        self._view_owner = np.zeros(0, dtype=np.int64)
        self.bm25 = SparseBM25(**self.bm25_params)
        self.chunk_bm25 = SparseBM25(**self.bm25_params)
        self.dense = DenseIndex(**self.dense_params)
        self.centroids = DenseIndex(**self.dense_params)

    def warm_up(self) -> None:
        if self.embedder is None:
            assert self.embedder_spec is not None
            self.embedder = create_embedder(self.embedder_spec)
        self.embedder.warm_up()
        self.tokenizer.warm_up()

    def embed_views(self, chunks: list[Chunk]) -> np.ndarray:
        self.warm_up()
        assert self.embedder is not None
        texts, _ = view_texts(chunks)
        return self.embedder.embed_passages(texts) if texts else np.zeros((0, self.embedder.dim), np.float32)

    def index(self, chunks: list[Chunk], view_embeddings: np.ndarray | None = None,
              bm25: SparseBM25 | None = None, chunk_bm25: SparseBM25 | None = None) -> None:
        """Index chunks; pass `view_embeddings` (rows in `view_texts` order) and built BM25
        models (as restored from disk) to skip embedding and tokenising."""
        self.warm_up()
        texts, offsets = view_texts(chunks)
        embeddings = self.embed_views(chunks) if view_embeddings is None else view_embeddings
        if len(embeddings) != len(texts):
            raise ValueError(f"{len(embeddings)} embeddings for {len(texts)} views")
        if bm25 is None or chunk_bm25 is None:
            tokens = [self.tokenizer(text) for text in texts]
            bm25 = SparseBM25(**self.bm25_params)
            bm25.index(tokens)
            chunk_bm25 = SparseBM25(**self.bm25_params)
            chunk_bm25.index([sum(tokens[offsets[i]:offsets[i + 1]], []) for i in range(len(chunks))])
        self.bm25, self.chunk_bm25 = bm25, chunk_bm25
        self.dense = DenseIndex(**self.dense_params)
        self.dense.index(embeddings)
        if len(embeddings) == len(chunks):  # one view per chunk: the centroids are the views
            self.centroids = self.dense
        else:
            self.centroids = DenseIndex(**self.dense_params)
            self.centroids.index(l2_normalize(np.add.reduceat(embeddings, offsets[:-1], axis=0)))
        self.chunks = list(chunks)
        self._offsets = offsets
        self._view_owner = np.repeat(np.arange(len(chunks)), np.diff(offsets))

    def candidates(self, query: str, query_vector: np.ndarray | None = None) -> Candidates:
        """Union of every signal's top candidates, each then scored exactly on all four signals.
        Pass `query_vector` when the query embedding is already known (evaluation)."""
        if not self.chunks:
            return Candidates(np.zeros(0, dtype=np.int64), {})
        if query_vector is None:
            self.warm_up()
            assert self.embedder is not None
            query_vector = self.embedder.embed_queries([query])[0]
        tokens = self.tokenizer(query)
        view_bm25, chunk_bm25 = self.bm25.scores(tokens), self.chunk_bm25.scores(tokens)
        k = self.candidate_views
        chunk_indices = np.unique(np.concatenate([
            self._view_owner[self.dense.search(query_vector, k)[0]], self._view_owner[_top(view_bm25, k)],
            self.centroids.search(query_vector, k)[0], _top(chunk_bm25, k)]))
        starts, ends = self._offsets[chunk_indices], self._offsets[chunk_indices + 1]
        view_ids = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends)])
        group_starts = np.concatenate([[0], np.cumsum(ends - starts)[:-1]]).astype(np.int64)
        signals = {
            "dense_max": np.maximum.reduceat(self.dense.similarities(query_vector, view_ids), group_starts),
            "dense_centroid": self.centroids.similarities(query_vector, chunk_indices),
            "bm25_max": np.maximum.reduceat(view_bm25[view_ids], group_starts),
            "bm25_chunk": chunk_bm25[chunk_indices],
        }
        return Candidates(chunk_indices, {name: s.astype(np.float32) for name, s in signals.items()})

    def rank(self, candidates: Candidates, top_k: int | None = None, fusion: str | None = None) -> list[Hit]:
        if not len(candidates.chunk_indices):
            return []
        fused = fuse(fusion or self.fusion, candidates.signals, self.weights, self.rrf_k)
        order = np.lexsort((candidates.chunk_indices, -fused))[: top_k or self.top_k]
        return [Hit(self.chunks[candidates.chunk_indices[i]], float(fused[i]),
                    float(candidates.signals["dense_max"][i]), float(candidates.signals["bm25_chunk"][i]),
                    {name: float(s[i]) for name, s in candidates.signals.items()}) for i in order]

    def run(self, query: str, top_k: int | None = None) -> dict[str, list[Hit]]:
        return {"hits": self.rank(self.candidates(query), top_k)}

    def init_parameters(self) -> dict[str, Any]:
        embedder = self.embedder_spec if self.embedder_spec is not None else self.embedder.to_dict()  # type: ignore[union-attr]
        return {"embedder": embedder, "tokenizer": self.tokenizer.to_dict(), "bm25": self.bm25_params,
                "dense": self.dense_params, "fusion": self.fusion, "weights": self.weights, "rrf_k": self.rrf_k,
                "candidate_views": self.candidate_views, "top_k": self.top_k}

    def to_dict(self) -> dict[str, Any]:
        """The registry spec `{type, **init parameters}`; `from_dict` (or `registry.create`) rebuilds it."""
        return {"type": self.kind, **self.init_parameters()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "HybridRetriever":
        from retrieval.registry import create

        return create("retriever", data)


class DenseRetriever(HybridRetriever):
    """Retriever type "dense": ranks by the dense signals alone (the single-retriever baseline).

    The index is the hybrid one and BM25 is still scored for the candidates, because the abstain
    policy's lexical-match check reads it; only the ranking ignores it.
    """

    kind = "dense"

    def __init__(self, embedder: Embedder | dict[str, Any], tokenizer: dict[str, Any] | None = None,
                 bm25: dict[str, float] | None = None, dense: dict[str, Any] | None = None,
                 weights: dict[str, float] | None = None, candidate_views: int = 100, top_k: int = 3) -> None:
        super().__init__(embedder, tokenizer, bm25, dense, fusion=self.kind,
                         weights=weights or {f"{self.kind}_max": 1.0}, candidate_views=candidate_views, top_k=top_k)

    def init_parameters(self) -> dict[str, Any]:
        params = super().init_parameters()
        del params["fusion"], params["rrf_k"]
        return params


class BM25Retriever(DenseRetriever):
    """Retriever type "bm25": ranks by the BM25 signals alone. The dense index is still built and
    searched, since the abstain policy's first check is the best chunk's dense similarity."""

    kind = "bm25"
