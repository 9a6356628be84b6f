"""The small numeric pieces Kefu's linear text models share (numpy and scipy only, so they run in
both environments): the doctor's classifier (3.11), the sentiment model and LinearIntentClassifier
(Rasa's 3.10)."""
from __future__ import annotations

import numpy as np
from scipy import sparse


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax, shifted by each row's maximum so large scores cannot overflow."""
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def smooth_idf(document_frequency: np.ndarray, documents: int) -> np.ndarray:
    """Inverse document frequency as scikit-learn's ``TfidfTransformer(smooth_idf=True)``."""
    return np.log((1.0 + documents) / (1.0 + np.asarray(document_frequency, dtype=np.float64))) + 1.0


def l2_normalize_sparse_rows(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    """Each row divided by its L2 norm; empty rows stay empty."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return (sparse.diags(1.0 / np.where(norms == 0, 1.0, norms)) @ matrix).tocsr()
