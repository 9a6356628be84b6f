"""Fusing per-chunk relevance signals into one score.

Signals (all computed for the same candidate chunks):
- `dense_max`: cosine of the best view (an exact rephrasing of a FAQ question wins);
- `dense_centroid`: cosine to the mean of the chunk's views (a prototype: robust to one noisy
  or odd phrasing, and it uses every phrasing of an item at once);
- `bm25_max`: BM25 of the best view;
- `bm25_chunk`: BM25 of all views concatenated (the item as one document).
Both methods are weighted: equal-weight RRF is worse than dense alone on short Chinese questions
over a small FAQ, so the weights come from `eval.calibrate_retrieval`, not from habit.
"""
from __future__ import annotations

import numpy as np

SIGNALS = ("dense_max", "dense_centroid", "bm25_max", "bm25_chunk")
FUSION_METHODS = ("linear", "rrf", "dense", "bm25")
# calibrated on CIC train/dev by `python -m eval.calibrate_retrieval fusion`
DEFAULT_WEIGHTS = {"dense_max": 0.25, "dense_centroid": 1.0, "bm25_max": 0.0, "bm25_chunk": 0.25}


def ranks(scores: np.ndarray) -> np.ndarray:
    """0-based rank of every entry, best (highest) first; ties keep index order."""
    order = np.lexsort((np.arange(len(scores)), -scores))
    result = np.empty(len(scores), dtype=np.int64)
    result[order] = np.arange(len(scores))
    return result


def min_max(scores: np.ndarray) -> np.ndarray:
    if not len(scores):
        return scores.astype(np.float32)
    low, high = float(scores.min()), float(scores.max())
    if high - low <= 1e-12:
        return np.zeros_like(scores, dtype=np.float32) if high <= 0 else np.ones_like(scores, dtype=np.float32)
    return ((scores - low) / (high - low)).astype(np.float32)


def weighted_rrf(signals: dict[str, np.ndarray], weights: dict[str, float], k: float = 60.0) -> np.ndarray:
    """Σ weight / (k + rank), ranks 1-based over the candidate set."""
    total = np.zeros(len(next(iter(signals.values()))), dtype=np.float64)
    for name, weight in weights.items():
        if weight:
            total += weight / (k + 1 + ranks(signals[name]))
    return total.astype(np.float32)


def linear_fusion(signals: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """Weighted sum of min-max normalised signals (normalised over the candidate set)."""
    total = np.zeros(len(next(iter(signals.values()))), dtype=np.float32)
    for name, weight in weights.items():
        if weight:
            total += weight * min_max(signals[name])
    return total


def fuse(method: str, signals: dict[str, np.ndarray], weights: dict[str, float], rrf_k: float = 60.0) -> np.ndarray:
    """Fused score per candidate. "dense"/"bm25" keep only that family's signals (linear) —
    the single-retriever baselines."""
    if method in ("dense", "bm25"):
        family = {name: w for name, w in weights.items() if name.startswith(method)}
        if not any(family.values()):
            family = {f"{method}_max": 1.0}
        return linear_fusion(signals, family)
    if method == "rrf":
        return weighted_rrf(signals, weights, rrf_k)
    if method == "linear":
        return linear_fusion(signals, weights)
    raise ValueError(f"unknown fusion method {method!r}; use one of {', '.join(FUSION_METHODS)}")


def validate_weights(weights: dict[str, float]) -> None:
    unknown = sorted(set(weights) - set(SIGNALS))
    if unknown:
        raise ValueError(f"unknown fusion signal(s) {', '.join(unknown)}; use {', '.join(SIGNALS)}")
    if any(w < 0 for w in weights.values()) or not any(weights.values()):
        raise ValueError("fusion weights must be ≥ 0 and not all 0")
