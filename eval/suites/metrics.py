"""Small metric helpers shared by the suites (ranks, percentiles, classification, text overlap)."""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

KS = (1, 3, 5, 10)


def ranking_metrics(ranks: Sequence[int], ks: Sequence[int] = KS) -> dict[str, float]:
    """recall@k, MRR and nDCG@10 from the 1-based rank of the first relevant item per query
    (0 = not retrieved). With one relevant item per query nDCG@10 = 1/log2(1 + rank)."""
    n = max(len(ranks), 1)
    found = [r for r in ranks if r > 0]
    result = {f"recall@{k}": sum(r <= k for r in found) / n for k in ks}
    result["mrr"] = sum(1 / r for r in found) / n
    result["ndcg@10"] = sum(1 / math.log2(1 + r) for r in found if r <= 10) / n
    return {key: round(value, 4) for key, value in result.items()}


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile, q in 0..100 (numpy's default method)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def binary_scores(truth: Sequence[bool], predicted: Sequence[bool]) -> dict[str, float]:
    tp = sum(t and p for t, p in zip(truth, predicted))
    fp = sum(p and not t for t, p in zip(truth, predicted))
    fn = sum(t and not p for t, p in zip(truth, predicted))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(t == p for t, p in zip(truth, predicted)) / max(len(truth), 1)
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "accuracy": round(accuracy, 4), "tp": tp, "fp": fp, "fn": fn,
            "tn": sum(not t and not p for t, p in zip(truth, predicted))}


_WORD = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]", re.IGNORECASE)


def text_tokens(text: str) -> list[str]:
    """Chinese characters one by one, Latin words and numbers whole, lower-cased; punctuation dropped."""
    return [t.lower() for t in _WORD.findall(text or "")]


def token_recall(prediction: str, reference: str) -> float:
    """Share of the reference's tokens (with multiplicity) that the prediction contains."""
    pred, ref = Counter(text_tokens(prediction)), Counter(text_tokens(reference))
    return sum((pred & ref).values()) / sum(ref.values()) if ref else 0.0


def token_f1(prediction: str, reference: str) -> float:
    """SQuAD-style token F1 over `text_tokens` (character level for Chinese)."""
    pred, ref = Counter(text_tokens(prediction)), Counter(text_tokens(reference))
    common = sum((pred & ref).values())
    if not common:
        return 0.0
    precision, recall = common / sum(pred.values()), common / sum(ref.values())
    return 2 * precision * recall / (precision + recall)
