"""The numeric pieces shared by the doctor, the sentiment model and LinearIntentClassifier."""
from __future__ import annotations

import math

import numpy as np
from scipy import sparse

from bot.nlu.linear_math import l2_normalize_sparse_rows, smooth_idf, softmax


def test_softmax_rows_are_distributions_even_for_huge_scores() -> None:
    probabilities = softmax(np.array([[1000.0, 1001.0, 999.0], [0.0, 0.0, 0.0]]))
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert probabilities[0].argmax() == 1 and np.allclose(probabilities[1], 1 / 3)


def test_smooth_idf_is_scikit_learns_formula() -> None:
    idf = smooth_idf(np.array([0, 1, 4]), documents=4)
    assert np.allclose(idf, [math.log(5 / 1) + 1, math.log(5 / 2) + 1, math.log(5 / 5) + 1])


def test_sparse_rows_get_unit_length_and_empty_rows_stay_empty() -> None:
    matrix = l2_normalize_sparse_rows(sparse.csr_matrix(np.array([[3.0, 4.0, 0.0], [0.0, 0.0, 0.0]])))
    assert sparse.isspmatrix_csr(matrix)
    assert np.allclose(matrix.toarray(), [[0.6, 0.8, 0.0], [0.0, 0.0, 0.0]])
