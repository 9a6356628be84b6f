"""The metric definitions the report relies on, checked on hand-computed cases."""
from __future__ import annotations

import math

import numpy as np
import pytest

from eval.suites.latency import histogram
from eval.suites.metrics import binary_scores, percentile, ranking_metrics, token_f1, token_recall


def test_ranking_metrics_from_first_relevant_ranks() -> None:
    scores = ranking_metrics([1, 2, 4, 0, 11])
    assert scores["recall@1"] == 0.2 and scores["recall@3"] == 0.4 and scores["recall@5"] == 0.6
    assert scores["recall@10"] == 0.6
    assert scores["mrr"] == pytest.approx((1 + 1 / 2 + 1 / 4 + 1 / 11) / 5, abs=1e-4)
    assert scores["ndcg@10"] == pytest.approx((1 + 1 / math.log2(3) + 1 / math.log2(5)) / 5, abs=1e-4)


def test_percentile_matches_numpy() -> None:
    values = [0.3, 0.1, 0.25, 2.0, 0.4, 0.33, 0.9]
    for q in (50, 95):
        assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))


def test_binary_scores() -> None:
    scores = binary_scores([True, True, False, False, True], [True, False, True, False, True])
    assert (scores["tp"], scores["fp"], scores["fn"], scores["tn"]) == (2, 1, 1, 1)
    assert scores["precision"] == pytest.approx(2 / 3, abs=1e-4) and scores["recall"] == pytest.approx(2 / 3, abs=1e-4)


def test_token_overlap_is_per_character_for_chinese() -> None:
    reference = "48小时内退款"
    long_right_answer = "您好，仓库收到退货后48小时内审核退款，审核通过后1–3个工作日原路退回。"
    assert token_recall(long_right_answer, reference) == 1.0
    assert token_f1(long_right_answer, reference) < 0.5, "why F1 alone would call a right answer wrong"
    assert token_recall("运费8元", reference) == 0.0


def test_histogram_counts_every_turn() -> None:
    result = histogram([0.1, 0.2, 0.2, 1.0], bins=4)
    assert sum(result["counts"]) == 4 and len(result["edges"]) == 5 and result["counts"][-1] == 1

