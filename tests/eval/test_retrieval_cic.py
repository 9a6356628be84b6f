"""The CIC FAQ settings: which phrasings an item gets (eval/retrieval_cic.py)."""
from __future__ import annotations

import numpy as np

from eval.retrieval_cic import build_items, representative_subset


def unit(rows: list[list[float]]) -> np.ndarray:
    matrix = np.asarray(rows, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_representative_subset_covers_the_clusters_and_skips_the_outlier() -> None:
    # Two clusters (rows 0-2 near x, rows 3-5 near y) and one outlier (row 6, along z).
    vectors = unit([[1, 0.05, 0], [1, 0, 0.05], [1, 0.1, 0], [0.05, 1, 0], [0, 1, 0.1], [0.1, 1, 0], [0, 0, 1]])
    picked = representative_subset(vectors, 2)
    assert len(picked) == 2
    assert {0, 1, 2} & set(picked) and {3, 4, 5} & set(picked)
    assert 6 not in picked


def test_representative_subset_returns_every_row_when_asked_for_more() -> None:
    assert representative_subset(unit([[1, 0], [0, 1]]), 5) == [0, 1]


class FixedCache:
    """An embedding cache stand-in that embeds a text by its one-hot cluster letter."""

    def get(self, texts: list[str], kind: str) -> np.ndarray:
        assert kind == "passage"
        axis = {"a": 0, "b": 1, "z": 2}
        return unit([[1.0 if axis[text[0]] == i else 0.01 for i in range(3)] for text in texts])


def test_build_items_first_n_versus_representative_n() -> None:
    train = [{"label": "1", "label_des": "desc", "sentence": text}
             for text in ["z-odd", "a1", "a2", "a3", "b1", "b2", "a1"]]
    first = build_items(train, 2)[0]
    assert first.views == ["desc", "z-odd", "a1"]
    representative = build_items(train, 2, FixedCache())[0]
    assert representative.views[0] == "desc" and len(representative.views) == 3
    assert {view[0] for view in representative.views[1:]} == {"a", "b"}
    assert build_items(train, None)[0].views == ["desc", "z-odd", "a1", "a2", "a3", "b1", "b2"]
