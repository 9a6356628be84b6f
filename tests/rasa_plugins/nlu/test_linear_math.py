"""The numeric pieces shared by the doctor, the sentiment model and LinearIntentClassifier."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import sparse

from rasa_plugins.nlu.linear_math import fit_temperature, l2_normalize_sparse_rows, smooth_idf, softmax


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


def test_temperature_recovers_the_scale_that_generated_the_labels() -> None:
    """Labels drawn from softmax(scores / 0.2) are best explained by a temperature near 0.2."""
    generator = np.random.default_rng(7)
    scores = generator.normal(size=(4000, 5))
    probabilities = softmax(scores / 0.2)
    gold = np.array([generator.choice(5, p=row) for row in probabilities])
    assert fit_temperature(scores, gold) == pytest.approx(0.2, rel=0.15)


def test_temperature_is_high_when_scores_say_nothing_about_the_labels() -> None:
    generator = np.random.default_rng(8)
    scores, gold = generator.normal(size=(2000, 4)), generator.integers(0, 4, size=2000)
    assert fit_temperature(scores, gold) > 5.0
    assert fit_temperature(np.zeros((0, 4)), np.zeros(0, dtype=int)) == 1.0
