"""The risk classifier at run time: a softmax layer over e5 sentence vectors, in plain numpy.

The artifact (bot/risk/models/risk-v1.npz, written by models/train_risk.py) holds only arrays: the
weights, the class names and the threshold that the trainer chose on data it did not fit. A message
is risky when the probability that it is not `none` (all risk classes together) reaches the
threshold; its class is the likeliest risk class.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from bot.risk import NONE

MODELS_DIR = Path(__file__).resolve().parent / "models"
DEFAULT_MODEL = MODELS_DIR / "risk-v1.npz"


class QueryEmbedder(Protocol):
    def embed_queries(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class RiskScore:
    """One message's reading: the likeliest risk class, P(some risk), and whether it crosses."""
    risk_class: str
    probability: float
    risky: bool


class RiskModel:
    def __init__(self, weights: np.ndarray, bias: np.ndarray, classes: list[str], threshold: float) -> None:
        if NONE not in classes:
            raise ValueError(f"a risk model needs the class {NONE!r}; it has {classes}")
        self.weights, self.bias = weights.astype(np.float32), bias.astype(np.float32)
        self.classes, self.threshold = classes, float(threshold)
        self._risk_columns = [i for i, name in enumerate(classes) if name != NONE]
        self._none_column = classes.index(NONE)

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL) -> "RiskModel":
        if not Path(path).is_file():
            raise FileNotFoundError(f"risk model {path} is missing: run `python -m models.train_risk`")
        with np.load(path, allow_pickle=False) as arrays:
            return cls(arrays["weights"], arrays["bias"], [str(c) for c in arrays["classes"]],
                       float(arrays["threshold"]))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:  # a handle keeps numpy from appending a second suffix
            np.savez_compressed(handle, weights=self.weights, bias=self.bias, classes=np.array(self.classes),
                                threshold=np.float32(self.threshold))

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        logits = vectors.astype(np.float32) @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def risk_probability(self, vectors: np.ndarray) -> np.ndarray:
        """P(some risk) = 1 - P(none), one per row."""
        return 1.0 - self.probabilities(vectors)[:, self._none_column]

    def scores(self, vectors: np.ndarray, threshold: float | None = None) -> list[RiskScore]:
        limit = self.threshold if threshold is None else threshold
        out = []
        for row in self.probabilities(vectors):
            column = max(self._risk_columns, key=lambda i: row[i])
            risk = 1.0 - float(row[self._none_column])
            out.append(RiskScore(self.classes[column], risk, risk >= limit))
        return out

    def score_texts(self, embedder: QueryEmbedder, texts: list[str]) -> list[RiskScore]:
        return self.scores(embedder.embed_queries(texts)) if texts else []
