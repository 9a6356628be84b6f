"""The sentiment model at run time: char n-gram TF-IDF and two linear heads, in plain numpy.

Training (models/train_sentiment.py) uses scikit-learn, but the artifact holds only arrays
(vocabulary, idf, weights), so loading it needs neither pickle nor a matching scikit-learn version:
the same file runs in the Rasa environment (3.10) and on the 3.11 side.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np

from rasa_plugins.nlu.linear_math import softmax

MODELS_DIR = Path(__file__).resolve().parent / "models"
DEFAULT_MODEL = MODELS_DIR / "sentiment-v1.npz"
POLARITIES = ("negative", "neutral", "positive")
EMOTIONS = ("不满", "愤怒", "失望")
_NOT_NEGATIVE = tuple(i for i, name in enumerate(POLARITIES) if name != "negative")
NGRAM_RANGE = (1, 3)
MAX_CHARS = 300
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), lower case, digits folded, spaces collapsed, length capped."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DIGITS.sub("0", text)
    return _SPACES.sub(" ", text).strip()[:MAX_CHARS]


def char_ngrams(text: str) -> list[str]:
    """Character n-grams of the normalised text, with ^ and $ marking its start and end."""
    padded = f"^{normalise(text)}$"
    low, high = NGRAM_RANGE
    return [padded[i:i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)
            if padded[i:i + n] not in ("^", "$")]


@dataclass(frozen=True)
class Sentiment:
    """One message's reading: polarity with its probability; emotion only when negative."""

    polarity: str
    confidence: float
    emotion: str | None
    emotion_score: float
    probabilities: dict[str, float]

    def as_dict(self) -> dict:
        return {"label": self.polarity, "confidence": round(self.confidence, 4),
                "emotion": self.emotion, "emotion_score": round(self.emotion_score, 4),
                "probabilities": {k: round(v, 4) for k, v in self.probabilities.items()}}


class SentimentModel:
    """Polarity (negative/neutral/positive) and, for negative messages, emotion (不满/愤怒/失望)."""

    def __init__(self, vocabulary: list[str], idf: np.ndarray, polarity_w: np.ndarray,
                 polarity_b: np.ndarray, emotion_w: np.ndarray, emotion_b: np.ndarray,
                 negative_threshold: float = 0.5) -> None:
        # negative when P(negative) >= negative_threshold (calibrated on CIC dev by the trainer),
        # otherwise the likelier of neutral and positive
        self.negative_threshold = float(negative_threshold)
        self.index = {gram: i for i, gram in enumerate(vocabulary)}
        self.vocabulary = vocabulary
        self.idf = idf.astype(np.float32)
        self.polarity_w, self.polarity_b = polarity_w.astype(np.float32), polarity_b
        self.emotion_w, self.emotion_b = emotion_w.astype(np.float32), emotion_b

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL) -> "SentimentModel":
        if not Path(path).exists():
            raise FileNotFoundError(f"sentiment model {path} is missing: run `python -m models.train_sentiment`")
        with np.load(path, allow_pickle=False) as arrays:
            return cls([str(g) for g in arrays["vocabulary"]], arrays["idf"], arrays["polarity_w"],
                       arrays["polarity_b"], arrays["emotion_w"], arrays["emotion_b"],
                       float(arrays["negative_threshold"]))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:  # a handle keeps numpy from appending a second suffix
            np.savez_compressed(handle, vocabulary=np.array(self.vocabulary),
                                idf=self.idf.astype(np.float32),
                                polarity_w=self.polarity_w.astype(np.float16),
                                polarity_b=self.polarity_b.astype(np.float32),
                                emotion_w=self.emotion_w.astype(np.float16),
                                emotion_b=self.emotion_b.astype(np.float32),
                                negative_threshold=np.float32(self.negative_threshold))

    def sparse_row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and values of one sublinear-tf TF-IDF row, l2-normalised.

        The same formula scikit-learn's TfidfVectorizer(sublinear_tf=True) trained on; rows stay
        sparse so scoring many texts never builds a texts x vocabulary matrix.
        """
        columns, values = [], []
        for gram, count in Counter(char_ngrams(text)).items():
            column = self.index.get(gram)
            if column is not None:
                columns.append(column)
                values.append((1.0 + math.log(count)) * self.idf[column])
        columns_array = np.array(columns, dtype=np.int64)
        values_array = np.array(values, dtype=np.float32)
        norm = float(np.linalg.norm(values_array)) if values else 0.0
        return columns_array, values_array / (norm or 1.0)

    def probabilities(self, texts: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """Polarity and emotion probabilities, one row per text."""
        polarity_rows, emotion_rows = [], []
        for text in texts:
            columns, values = self.sparse_row(text)
            polarity_rows.append(self.polarity_w[:, columns] @ values + self.polarity_b)
            emotion_rows.append(self.emotion_w[:, columns] @ values + self.emotion_b)
        return softmax(np.array(polarity_rows)), softmax(np.array(emotion_rows))

    def predict(self, texts: Iterable[str]) -> list[Sentiment]:
        texts = list(texts)
        if not texts:
            return []
        polarity, emotion = self.probabilities(texts)
        results = []
        negative = POLARITIES.index("negative")
        for p_row, e_row in zip(polarity, emotion):
            best = negative if p_row[negative] >= self.negative_threshold else \
                max(_NOT_NEGATIVE, key=lambda column: p_row[column])
            label = POLARITIES[best]
            probs = {name: float(p) for name, p in zip(POLARITIES, p_row)}
            if label == "negative":
                kind = int(e_row.argmax())
                # the score is how sure we are of "negative, and this kind": P(neg) x P(kind | neg)
                results.append(Sentiment(label, float(p_row[best]), EMOTIONS[kind],
                                         float(p_row[best] * e_row[kind]), probs))
            else:
                results.append(Sentiment(label, float(p_row[best]), None, 0.0, probs))
        return results

    def predict_one(self, text: str) -> Sentiment:
        return self.predict([text])[0]


def load_manifest(model_path: Path = DEFAULT_MODEL) -> dict:
    manifest = model_path.with_suffix(".json")
    return json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else {}
