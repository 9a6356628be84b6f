"""BM25 (Okapi, rank-bm25's exact formula) with precomputed per-term score columns.

The bm25s approach: every (document, term) score is computed once at index time into a sparse
matrix; a query is the sum of its terms' rows, so querying costs a few sparse row reads instead
of a Python loop over the whole corpus.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np
from scipy import sparse


class SparseBM25:
    """Scores for tokenised documents; identical to `rank_bm25.BM25Okapi` (parity-tested)."""

    def __init__(self, k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25) -> None:
        self.k1 = k1
        self.b = b
        self.epsilon = epsilon
        self.vocabulary: dict[str, int] = {}
        self._term_rows: sparse.csr_matrix = sparse.csr_matrix((0, 0), dtype=np.float32)

    @property
    def size(self) -> int:
        return self._term_rows.shape[1]

    def index(self, corpus: Sequence[Sequence[str]]) -> None:
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        counts: list[int] = []
        lengths = np.zeros(len(corpus), dtype=np.float64)
        for doc_index, tokens in enumerate(corpus):
            lengths[doc_index] = len(tokens)
            for term, count in Counter(tokens).items():
                rows.append(vocabulary.setdefault(term, len(vocabulary)))
                cols.append(doc_index)
                counts.append(count)
        term_ids = np.asarray(rows, dtype=np.int64)
        doc_ids = np.asarray(cols, dtype=np.int64)
        tf = np.asarray(counts, dtype=np.float64)
        n_docs = max(len(corpus), 1)
        doc_freq = np.bincount(term_ids, minlength=len(vocabulary)).astype(np.float64)
        idf = np.log(n_docs - doc_freq + 0.5) - np.log(doc_freq + 0.5)
        if len(idf):
            idf[idf < 0] = self.epsilon * idf.mean()
        avgdl = lengths.sum() / n_docs if lengths.sum() else 1.0
        norm = self.k1 * (1 - self.b + self.b * lengths[doc_ids] / avgdl)
        values = idf[term_ids] * tf * (self.k1 + 1) / (tf + norm)
        self.vocabulary = vocabulary
        self._term_rows = sparse.csr_matrix(
            (values.astype(np.float32), (term_ids, doc_ids)), shape=(len(vocabulary), len(corpus)))

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """Score of every document; query tokens count with multiplicity, as in rank-bm25."""
        counts = Counter(self.vocabulary[t] for t in query_tokens if t in self.vocabulary)
        if not counts:
            return np.zeros(self.size, dtype=np.float32)
        ids = np.fromiter(counts.keys(), dtype=np.int64)
        weights = np.fromiter(counts.values(), dtype=np.float32)
        return np.asarray(self._term_rows[ids].T @ weights, dtype=np.float32).ravel()

    def top_k(self, query_tokens: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """Indices and scores of the k best documents, best first (ties: lower index first)."""
        return top_k(self.scores(query_tokens), k)

    def state(self) -> dict[str, object]:
        """Arrays to persist; see `from_state`."""
        rows = self._term_rows
        return {"data": rows.data, "indices": rows.indices, "indptr": rows.indptr,
                "shape": np.asarray(rows.shape), "terms": np.asarray(list(self.vocabulary), dtype=object)}

    @classmethod
    def from_state(cls, state: dict[str, np.ndarray], k1: float, b: float, epsilon: float) -> "SparseBM25":
        model = cls(k1, b, epsilon)
        model._term_rows = sparse.csr_matrix(
            (state["data"], state["indices"], state["indptr"]), shape=tuple(int(v) for v in state["shape"]))
        model.vocabulary = {str(term): i for i, term in enumerate(state["terms"])}
        return model


def top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Best-first indices and scores; argpartition keeps this O(n) on large collections."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    candidates = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    order = np.lexsort((candidates, -scores[candidates]))
    best = candidates[order]
    return best, scores[best]


