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


def fit_temperature(scores: np.ndarray, gold: np.ndarray) -> float:
    """The temperature ``T`` that makes ``softmax(scores / T)`` the best probabilities for held-out
    rows (lowest mean negative log-likelihood of the gold column), searched on a log grid.

    Margin-trained models (a linear SVM) give scores, not probabilities; this one number turns them
    into confidences that a fallback threshold can be calibrated on (temperature scaling, Guo et al.
    2017). ``gold`` holds each row's column index.
    """
    if len(scores) == 0:
        return 1.0
    rows = np.arange(len(scores))

    def negative_log_likelihood(temperature: float) -> float:
        scaled = scores / temperature
        top = scaled.max(axis=1)
        log_normaliser = top + np.log(np.exp(scaled - top[:, None]).sum(axis=1))
        return float(np.mean(log_normaliser - scaled[rows, gold]))

    candidates = np.logspace(-3, 2, 101)
    return float(min(candidates, key=negative_log_likelihood))
