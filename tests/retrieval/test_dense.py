import numpy as np

from retrieval.dense import DenseIndex
from retrieval.embedders.base import l2_normalize


def _vectors(n: int) -> np.ndarray:
    return l2_normalize(np.random.default_rng(0).normal(size=(n, 16)))


def test_small_collections_use_exact_search():
    index = DenseIndex(hnsw_threshold=100)
    vectors = _vectors(50)
    index.index(vectors)
    ids, scores = index.search(vectors[7], 3)
    assert index.kind == "flat" and ids[0] == 7 and abs(scores[0] - 1.0) < 1e-5
    assert np.allclose(scores, np.sort(vectors @ vectors[7])[::-1][:3], atol=1e-5)


def test_large_collections_switch_to_hnsw_and_still_find_the_vector():
    index = DenseIndex(hnsw_threshold=100)
    vectors = _vectors(500)
    index.index(vectors)
    assert index.kind == "hnsw"
    assert [int(index.search(vectors[i], 1)[0][0]) for i in (0, 123, 499)] == [0, 123, 499]


def test_similarities_are_exact_cosines():
    index = DenseIndex()
    vectors = _vectors(10)
    index.index(vectors)
    assert np.allclose(index.similarities(vectors[0], np.array([0, 3])), [1.0, vectors[3] @ vectors[0]], atol=1e-6)
