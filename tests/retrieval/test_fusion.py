import numpy as np
import pytest

from retrieval.fusion import fuse, linear_fusion, min_max, ranks, validate_weights, weighted_rrf

SIGNALS = {"dense_max": np.array([0.8, 0.9, 0.85]), "dense_centroid": np.array([0.7, 0.6, 0.5]),
           "bm25_max": np.array([10.0, 0.0, 5.0]), "bm25_chunk": np.array([1.0, 2.0, 3.0])}


def test_ranks_best_first_ties_by_index():
    assert ranks(np.array([0.2, 0.9, 0.2, 0.5])).tolist() == [2, 0, 3, 1]


def test_weighted_rrf_exact_values():
    fused = weighted_rrf(SIGNALS, {"dense_max": 2.0, "bm25_max": 1.0}, k=60)
    assert fused.tolist() == pytest.approx([2 / 63 + 1 / 61, 2 / 61 + 1 / 63, 2 / 62 + 1 / 62])


def test_linear_fusion_normalises_each_signal_over_candidates():
    fused = linear_fusion(SIGNALS, {"dense_max": 0.7, "bm25_max": 0.3, "bm25_chunk": 0.0})
    assert fused.tolist() == pytest.approx([0.3, 0.7, 0.5])


def test_min_max_of_constant_scores():
    assert min_max(np.array([0.0, 0.0])).tolist() == [0.0, 0.0]
    assert min_max(np.array([2.0, 2.0])).tolist() == [1.0, 1.0]


def test_single_family_baselines_keep_only_their_signals():
    weights = {"dense_max": 1.0, "dense_centroid": 1.0, "bm25_max": 0.0, "bm25_chunk": 0.0}
    assert fuse("dense", SIGNALS, weights).tolist() == pytest.approx([1.0, 1.5, 0.5])
    assert fuse("bm25", SIGNALS, weights).tolist() == pytest.approx([1.0, 0.0, 0.5])  # falls back to bm25_max
    with pytest.raises(ValueError, match="use one of"):
        fuse("max", SIGNALS, weights)


def test_weights_are_validated():
    with pytest.raises(ValueError, match="unknown fusion signal"):
        validate_weights({"dense": 1.0})
    with pytest.raises(ValueError, match="not all 0"):
        validate_weights({"dense_max": 0.0})
