"""The feature matrix of :class:`LinearIntentClassifier`: one row per message, built from the
sentence-level features the pipeline's featurizers already put on the message.

* Sparse sentence features (CountVectors words and char n-grams, regexes, lexical features) are
  counts. They become TF-IDF rows: sublinear term frequency ``1 + log(count)``, smoothed inverse
  document frequency learnt from the training messages, L2-normalised. Raw counts let long messages
  and frequent characters dominate; this weighting is what made a linear model competitive.
* Dense sentence features (the e5 vector) are L2-normalised and multiplied by ``dense_weight``, the
  weight of the sentence meaning against the n-grams (chosen by cross-validation at training).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

import numpy as np
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from scipy import sparse

from rasa_plugins.nlu.linear_math import l2_normalize_sparse_rows, smooth_idf
from retrieval.embedders.base import l2_normalize


@dataclass
class RawFeatures:
    counts: sparse.csr_matrix  # [n, sparse_dim] sentence-level counts (0 columns if none)
    dense: np.ndarray  # [n, dense_dim] sentence-level dense features (0 columns if none)


def raw_features(messages: List[Message], sparse_dim: Optional[int] = None,
                 dense_dim: Optional[int] = None) -> RawFeatures:
    """Stacks each message's sentence features; a message without features gets zeros.

    ``sparse_dim``/``dense_dim`` are the training widths; they are checked at prediction so a
    featurizer changed after training fails loudly instead of silently misreading columns.
    """
    sparse_rows, dense_rows = [], []
    for message in messages:
        _, sparse_sentence = message.get_sparse_features(TEXT)
        _, dense_sentence = message.get_dense_features(TEXT)
        sparse_rows.append(sparse.csr_matrix(sparse_sentence.features) if sparse_sentence is not None else None)
        dense_rows.append(np.asarray(dense_sentence.features).reshape(1, -1) if dense_sentence is not None else None)
    width = sparse_dim if sparse_dim is not None else max((r.shape[1] for r in sparse_rows if r is not None), default=0)
    d_width = dense_dim if dense_dim is not None else max((r.shape[1] for r in dense_rows if r is not None), default=0)
    for kind, rows, expected in (("sparse", sparse_rows, width), ("dense", dense_rows, d_width)):
        wrong = next((row.shape[1] for row in rows if row is not None and row.shape[1] != expected), None)
        if wrong is not None:
            raise ValueError(f"LinearIntentClassifier: a message has {wrong} {kind} feature columns, the model "
                             f"was trained with {expected}: the featurizers changed, retrain the model")
    counts = sparse.vstack([r if r is not None else sparse.csr_matrix((1, width)) for r in sparse_rows]).tocsr() \
        if messages else sparse.csr_matrix((0, width))
    dense = np.vstack([r if r is not None else np.zeros((1, d_width)) for r in dense_rows]) \
        if messages else np.zeros((0, d_width))
    return RawFeatures(counts.astype(np.float64), dense.astype(np.float64))


def fit_idf(counts: sparse.csr_matrix) -> np.ndarray:
    """Smoothed inverse document frequency, as scikit-learn's ``TfidfTransformer(smooth_idf=True)``."""
    frequency = np.bincount(counts.indices, minlength=counts.shape[1]) if counts.nnz else np.zeros(counts.shape[1])
    return smooth_idf(frequency, counts.shape[0])


def design_matrix(raw: RawFeatures, idf: np.ndarray, dense_weight: float) -> sparse.csr_matrix:
    """TF-IDF of the counts next to the weighted dense vector; see the module docstring."""
    counts = raw.counts.copy()
    positive = counts.data > 0
    counts.data = np.where(positive, 1.0 + np.log(np.where(positive, counts.data, 1.0)), 0.0)
    counts = counts.multiply(idf[None, :]).tocsr() if counts.shape[1] else counts
    counts = l2_normalize_sparse_rows(counts)
    dense = l2_normalize(raw.dense).astype(np.float64) * dense_weight if raw.dense.shape[1] else raw.dense
    return sparse.hstack([counts, sparse.csr_matrix(dense)]).tocsr()
