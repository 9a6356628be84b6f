"""Latency summaries shared by the load and retrieval benchmarks."""
from __future__ import annotations

from typing import Any

import numpy as np


def summary(seconds: list[float]) -> dict[str, Any]:
    """Count, p50/p95/p99, mean and max in milliseconds (linear interpolation, like numpy)."""
    if not seconds:
        return {"n": 0, "p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "mean_ms": 0.0, "max_ms": 0.0}
    ms = np.asarray(seconds) * 1000
    p50, p95, p99 = (float(v) for v in np.percentile(ms, [50, 95, 99]))
    return {"n": len(ms), "p50_ms": p50, "p95_ms": p95, "p99_ms": p99,
            "mean_ms": float(ms.mean()), "max_ms": float(ms.max())}


def histogram(values_ms: list[float], bins: int = 30) -> tuple[list[float], list[int]]:
    """Bin edges (ms, log-spaced: latencies span orders of magnitude) and counts."""
    if not values_ms:
        return [], []
    low, high = max(min(values_ms), 0.1), max(max(values_ms), 0.2)
    edges = np.geomspace(low, high * 1.0001, bins + 1)
    counts, _ = np.histogram(np.clip(values_ms, low, None), bins=edges)
    return [float(e) for e in edges], [int(c) for c in counts]


def counts_in(values_ms: list[float], edges: list[float]) -> list[int]:
    """Counts over given bin edges; values outside are clipped into the first or last bin."""
    if not edges:
        return []
    counts, _ = np.histogram(np.clip(values_ms, edges[0], edges[-1]), bins=edges)
    return [int(c) for c in counts]
