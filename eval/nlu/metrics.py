"""Intent metrics, out-of-scope trade-offs and the confusion-matrix picture for `kefu eval nlu`.

Pure Python + numpy/scikit-learn/matplotlib (all in the Rasa environment). A message is
*rejected* (the bot says it did not understand) when its top intent is the out-of-scope label, its
confidence is below ``threshold``, or the gap to the second intent is below
``ambiguity_threshold`` (exactly what Rasa's FallbackClassifier does), or its NoveltyGuard
similarity is below ``similarity_threshold`` (rasa_plugins/nlu/novelty_guard.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

import numpy as np

from eval.nlu.rasa_pipeline import Prediction

THRESHOLDS = [round(0.05 * i, 2) for i in range(20)]
AMBIGUITIES = [0.0, 0.02, 0.05, 0.08, 0.1, 0.15, 0.2]
# NoveltyGuard: mean cosine to the nearest training messages (e5 query vectors); 0 = guard off
SIMILARITIES = [0.0] + [round(0.70 + 0.01 * i, 2) for i in range(26)]
MIN_OOS_RECALL = 0.80
CONFIDENCE_Z = 1.645  # one-sided 95 %: the recall floor must hold beyond the calibration sample


def top(p: Prediction) -> str:
    return p.ranking[0][0] if p.ranking else ""


def intent_metrics(predictions: Sequence[Prediction]) -> Dict:
    """accuracy, macro-F1 over the gold intents, per-intent F1 and the confusion matrix."""
    from sklearn.metrics import f1_score

    gold = [p.gold for p in predictions]
    predicted = [top(p) for p in predictions]
    labels = sorted(set(gold))
    per_intent = f1_score(gold, predicted, labels=labels, average=None, zero_division=0)
    index = {label: i for i, label in enumerate(labels)}
    other = len(labels)  # predictions outside the gold labels
    matrix = np.zeros((len(labels), len(labels) + (1 if set(predicted) - set(labels) else 0)), dtype=int)
    for g, p in zip(gold, predicted):
        matrix[index[g], index.get(p, other)] += 1
    column_labels = labels + (["(other)"] if matrix.shape[1] > len(labels) else [])
    return {
        "accuracy": float(np.mean([g == p for g, p in zip(gold, predicted)])) if gold else 0.0,
        "macro_f1": float(np.mean(per_intent)) if len(labels) else 0.0,
        "per_intent_f1": {label: round(float(f), 4) for label, f in zip(labels, per_intent)},
        "confusion": {"labels": column_labels, "matrix": matrix.tolist()},
    }


@dataclass
class TradeOff:
    threshold: float
    ambiguity_threshold: float
    in_scope_accuracy: float  # in-scope messages with the right intent and not rejected
    oos_recall: float  # out-of-scope messages rejected
    in_scope_rejected: float
    oos_count: int = 0  # out-of-scope messages the recall was measured on
    similarity_threshold: float = 0.0  # NoveltyGuard's; 0 = not used

    def as_dict(self) -> Dict[str, float]:
        return {k: v if isinstance(v, int) else round(float(v), 4) for k, v in self.__dict__.items()}


class _Columns:
    """The predictions as arrays, so a grid of settings is scored without a Python loop per message."""

    def __init__(self, predictions: Sequence[Prediction], oos_label: str) -> None:
        self.is_oos = np.array([p.gold == oos_label for p in predictions], dtype=bool)
        self.right = np.array([top(p) == p.gold for p in predictions], dtype=bool)
        self.always = np.array([not p.ranking or top(p) == oos_label for p in predictions], dtype=bool)
        self.first = np.array([p.ranking[0][1] if p.ranking else 0.0 for p in predictions])
        self.gap = self.first - np.array([p.ranking[1][1] if len(p.ranking) > 1 else 0.0 for p in predictions])
        self.similarity = np.array([np.inf if p.similarity is None else p.similarity for p in predictions])

    def row(self, threshold: float, ambiguity: float, similarity: float = 0.0) -> TradeOff:
        rejects = (self.always | (self.first < threshold) | (self.gap < ambiguity)
                   | (self.similarity < similarity))
        in_scope, oos = ~self.is_oos, self.is_oos
        return TradeOff(threshold, ambiguity,
                        float(np.mean(~rejects[in_scope] & self.right[in_scope])) if in_scope.any() else 0.0,
                        float(np.mean(rejects[oos])) if oos.any() else 0.0,
                        float(np.mean(rejects[in_scope])) if in_scope.any() else 0.0,
                        int(oos.sum()), similarity)


def trade_off(predictions: Sequence[Prediction], oos_label: str, threshold: float, ambiguity: float,
              similarity: float = 0.0) -> TradeOff:
    return _Columns(predictions, oos_label).row(threshold, ambiguity, similarity)


def trade_off_table(predictions: Sequence[Prediction], oos_label: str,
                    thresholds: Iterable[float] = THRESHOLDS,
                    ambiguities: Iterable[float] = AMBIGUITIES,
                    similarities: Optional[Iterable[float]] = None) -> List[TradeOff]:
    """Every setting on the grid. The NoveltyGuard's thresholds join the grid only when the
    predictions carry its similarity (``similarities`` defaults to SIMILARITIES then)."""
    columns = _Columns(predictions, oos_label)
    if similarities is None:
        similarities = SIMILARITIES if any(p.similarity is not None for p in predictions) else [0.0]
    return [columns.row(t, a, s) for t in thresholds for a in ambiguities for s in similarities]


def recall_lower_bound(recall: float, count: int, z: float = CONFIDENCE_Z) -> float:
    """Wilson score lower bound of a recall measured on ``count`` messages (0 when none)."""
    if count <= 0:
        return 0.0
    centre = recall + z * z / (2 * count)
    spread = z * np.sqrt(recall * (1 - recall) / count + z * z / (4 * count * count))
    return float((centre - spread) / (1 + z * z / count))


def choose(table: Sequence[TradeOff], min_oos_recall: float = MIN_OOS_RECALL) -> TradeOff:
    """The best in-scope accuracy among settings whose out-of-scope recall is at least
    ``min_oos_recall`` with 95 % confidence (the Wilson lower bound over the calibration's
    out-of-scope messages); if none is, the best mean of the two. Ties go to the strictest setting
    (highest threshold, then ambiguity), which costs nothing on this data and leaves the most
    margin for unknown messages that the data does not contain.

    Why a bound and not the measured recall: calibration sets hold few out-of-scope messages
    (CLINC150's validation split has 100), so a threshold that just reaches 0.80 on them reaches
    0.80 on new messages only about half of the time."""
    ok = [row for row in table if recall_lower_bound(row.oos_recall, row.oos_count) >= min_oos_recall]
    if ok:
        return max(ok, key=lambda r: (round(r.in_scope_accuracy, 6), r.oos_recall, r.threshold, r.ambiguity_threshold,
                                      r.similarity_threshold))
    return max(table, key=lambda r: (round((r.in_scope_accuracy + r.oos_recall) / 2, 6), r.threshold,
                                     r.similarity_threshold))


def confusion_png(results: Dict[str, Dict], path: Path, title: str) -> Optional[str]:
    """One heat map per pipeline, side by side; row-normalised so small intents stay visible."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [name for name in results if results[name].get("confusion")]
    if not names:
        return None
    size = len(results[names[0]]["confusion"]["labels"])
    show_labels = size <= 40
    figure, axes = plt.subplots(1, len(names), figsize=(7 * len(names) + 1, 7), squeeze=False)
    for axis, name in zip(axes[0], names):
        confusion = results[name]["confusion"]
        matrix = np.array(confusion["matrix"], dtype=float)
        matrix = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
        axis.imshow(matrix, cmap="Blues", vmin=0, vmax=1, interpolation="nearest")
        axis.set_title(f"{name}: macro-F1 {results[name]['macro_f1']:.3f}")
        axis.set_xlabel("predicted")
        axis.set_ylabel("true")
        if show_labels:
            labels = confusion["labels"]
            axis.set_xticks(range(len(labels)), labels, rotation=90, fontsize=6)
            axis.set_yticks(range(matrix.shape[0]), labels[:matrix.shape[0]], fontsize=6)
    figure.suptitle(title)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return str(path)
