"""The doctor's fast classifier: char n-gram TF-IDF + multinomial logistic regression (numpy + scipy).

scikit-learn lives only in the Rasa environment, and `kefu data` runs on Python 3.11, so this is a
small self-contained implementation: sparse TF-IDF (sublinear tf, smooth idf, l2 rows) and softmax
regression with an L2 penalty fitted by L-BFGS. Out-of-fold probabilities come from stratified,
seeded k-fold cross-validation, so every example is judged by a model that never saw it.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

import numpy as np
from scipy import sparse
from scipy.optimize import minimize

from rasa_plugins.nlu.linear_math import l2_normalize_sparse_rows, smooth_idf, softmax

_SPACES = re.compile(r"\s+")
SEED = 7
C = 4.0  # inverse penalty strength, as scikit-learn's LogisticRegression(C=...)
MAX_ITERATIONS = 300


def char_ngrams(text: str, low: int = 1, high: int = 3) -> list[str]:
    """Char 1-3-grams of the NFKC, lower-cased text, ^ and $ marking its ends.

    Digits are kept as they are: 88 (goodbye) and an order number (inform) must stay different.
    """
    padded = "^" + _SPACES.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip() + "$"
    return [padded[i:i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)
            if padded[i:i + n] not in ("^", "$")]


def fit_vocabulary(texts: list[str], min_df: int = 1) -> tuple[dict[str, int], np.ndarray]:
    document_frequency: Counter[str] = Counter()
    for text in texts:
        document_frequency.update(set(char_ngrams(text)))
    grams = sorted(g for g, df in document_frequency.items() if df >= min_df)
    index = {g: i for i, g in enumerate(grams)}
    n = len(texts)
    idf = smooth_idf(np.array([document_frequency[g] for g in grams]), n)
    return index, idf


def tfidf(texts: list[str], index: dict[str, int], idf: np.ndarray) -> sparse.csr_matrix:
    rows, columns, values = [], [], []
    for row, text in enumerate(texts):
        for gram, count in Counter(char_ngrams(text)).items():
            column = index.get(gram)
            if column is not None:
                rows.append(row)
                columns.append(column)
                values.append((1.0 + math.log(count)) * idf[column])
    return l2_normalize_sparse_rows(sparse.csr_matrix((values, (rows, columns)), shape=(len(texts), len(idf))))


class SoftmaxRegression:
    def __init__(self, c: float = C) -> None:
        self.c = c
        self.weights: np.ndarray | None = None

    def fit(self, features: sparse.csr_matrix, labels: np.ndarray, n_classes: int) -> "SoftmaxRegression":
        n, d = features.shape
        l2 = 1.0 / (self.c * n)  # sum loss + |W|^2 / 2C, divided by n for better conditioning
        onehot = np.zeros((n, n_classes))
        onehot[np.arange(n), labels] = 1.0

        def loss_and_gradient(flat: np.ndarray) -> tuple[float, np.ndarray]:
            weights, bias = flat[:-n_classes].reshape(d, n_classes), flat[-n_classes:]
            probabilities = softmax(features @ weights + bias)
            loss = -np.sum(onehot * np.log(probabilities + 1e-12)) / n + 0.5 * l2 * np.sum(weights ** 2)
            error = (probabilities - onehot) / n
            gradient = np.concatenate([(features.T @ error + l2 * weights).ravel(), error.sum(axis=0)])
            return loss, gradient

        start = np.zeros(d * n_classes + n_classes)
        result = minimize(loss_and_gradient, start, jac=True, method="L-BFGS-B",
                          options={"maxiter": MAX_ITERATIONS})
        self.weights = result.x
        self.shape = (d, n_classes)
        return self

    def predict_proba(self, features: sparse.csr_matrix) -> np.ndarray:
        d, n_classes = self.shape
        weights, bias = self.weights[:-n_classes].reshape(d, n_classes), self.weights[-n_classes:]
        return softmax(features @ weights + bias)


def stratified_folds(labels: np.ndarray, folds: int, seed: int = SEED) -> np.ndarray:
    """A fold number per example; each class is spread round-robin over the folds after shuffling."""
    rng = np.random.default_rng(seed)
    assignment = np.empty(len(labels), dtype=int)
    offset = 0
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        assignment[members] = (np.arange(len(members)) + offset) % folds
        offset += len(members)
    return assignment


def out_of_fold_probabilities(texts: list[str], labels: np.ndarray, n_classes: int, folds: int,
                              progress=None) -> np.ndarray:
    """P(intent | text) for every example from a model trained on the other folds."""
    assignment = stratified_folds(labels, folds)
    probabilities = np.zeros((len(texts), n_classes))
    for fold in range(folds):
        if progress:
            progress(fold + 1, folds)
        train, held = np.flatnonzero(assignment != fold), np.flatnonzero(assignment == fold)
        index, idf = fit_vocabulary([texts[i] for i in train])
        model = SoftmaxRegression().fit(tfidf([texts[i] for i in train], index, idf), labels[train], n_classes)
        probabilities[held] = model.predict_proba(tfidf([texts[i] for i in held], index, idf))
    return probabilities
