"""FAISS inner-product index over L2-normalised embeddings: exact below a size threshold,
HNSW above it (exact search stops being sub-millisecond around a few tens of thousands)."""
from __future__ import annotations

from typing import Any

import faiss
import numpy as np


class DenseIndex:
    def __init__(self, hnsw_threshold: int = 20000, hnsw_m: int = 32, ef_construction: int = 80,
                 ef_search: int = 64, search_threads: int = 1) -> None:
        self.hnsw_threshold = hnsw_threshold
        self.hnsw_m = hnsw_m
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self.search_threads = search_threads
        self.vectors = np.zeros((0, 0), dtype=np.float32)
        self._index: faiss.Index | None = None

    @property
    def kind(self) -> str:
        """"hnsw" or "flat": what `index()` chose for the current collection."""
        return "hnsw" if isinstance(self._index, faiss.IndexHNSWFlat) else "flat"

    def index(self, vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = vectors.shape[1]
        if len(vectors) >= self.hnsw_threshold:
            index = faiss.IndexHNSWFlat(dim, self.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = self.ef_construction
            index.hnsw.efSearch = self.ef_search
        else:
            index = faiss.IndexFlatIP(dim)
        index.add(vectors)
        self.vectors = vectors
        self._index = index

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Best-first ids and cosine similarities of the k nearest vectors."""
        if self._index is None or not len(self.vectors):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        # one query is too little work for OpenMP: on a busy box threads only add waiting
        faiss.omp_set_num_threads(self.search_threads)
        scores, ids = self._index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32),
                                         min(k, len(self.vectors)))
        keep = ids[0] >= 0
        return ids[0][keep].astype(np.int64), scores[0][keep]

    def similarities(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Exact cosine for chosen vectors (used to score fusion candidates the ANN missed)."""
        query = query.astype(np.float32).ravel()
        if len(ids) * 4 > len(self.vectors):  # cheaper than gathering most of the rows
            return (self.vectors @ query)[ids]
        return self.vectors[ids] @ query

    def to_dict(self) -> dict[str, Any]:
        return {"hnsw_threshold": self.hnsw_threshold, "hnsw_m": self.hnsw_m,
                "ef_construction": self.ef_construction, "ef_search": self.ef_search,
                "search_threads": self.search_threads}
