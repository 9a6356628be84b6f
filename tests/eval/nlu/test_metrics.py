"""The out-of-scope trade-off and the rule that picks the fallback thresholds (eval/nlu/metrics.py)."""
from __future__ import annotations

import pytest

from eval.nlu.metrics import TradeOff, choose, recall_lower_bound, trade_off, trade_off_table
from eval.nlu.rasa_pipeline import Prediction


def test_the_recall_bound_tightens_with_more_messages_and_never_exceeds_the_recall() -> None:
    assert recall_lower_bound(0.8, 100) == pytest.approx(0.729, abs=0.005)  # Wilson, one-sided 95 %
    assert recall_lower_bound(0.8, 100) < recall_lower_bound(0.8, 1000) < 0.8
    assert recall_lower_bound(1.0, 2) < 0.5 and recall_lower_bound(0.5, 0) == 0.0


def test_choose_needs_the_recall_floor_with_confidence_not_just_on_the_sample() -> None:
    just_reaching = TradeOff(0.5, 0.0, in_scope_accuracy=0.95, oos_recall=0.80, in_scope_rejected=0.02, oos_count=100)
    firm = TradeOff(0.6, 0.0, in_scope_accuracy=0.93, oos_recall=0.88, in_scope_rejected=0.05, oos_count=100)
    assert choose([just_reaching, firm]) == firm
    # With ten times the messages, 0.85 measured is firm enough and the more accurate setting wins.
    many = TradeOff(0.5, 0.0, in_scope_accuracy=0.95, oos_recall=0.85, in_scope_rejected=0.02, oos_count=1000)
    assert choose([many, TradeOff(0.6, 0.0, 0.93, 0.9, 0.05, 1000)]) == many


def test_without_a_firm_setting_the_best_mean_is_taken() -> None:
    rows = [TradeOff(0.3, 0.0, 0.9, 0.5, 0.0, 10), TradeOff(0.6, 0.0, 0.8, 0.9, 0.1, 10)]
    assert choose(rows) == rows[1]


def test_trade_off_counts_the_out_of_scope_messages_it_measured() -> None:
    predictions = [Prediction("a", "greet", [("greet", 0.9), ("x", 0.1)]),
                   Prediction("b", "oos", [("greet", 0.4), ("x", 0.3)]),
                   Prediction("c", "oos", [("oos", 0.8), ("greet", 0.1)])]
    row = trade_off(predictions, "oos", threshold=0.5, ambiguity=0.0)
    assert (row.in_scope_accuracy, row.oos_recall, row.oos_count) == (1.0, 1.0, 2)


def test_the_novelty_guard_rejects_what_is_unlike_the_training_messages() -> None:
    predictions = [Prediction("known", "greet", [("greet", 0.9), ("x", 0.1)], similarity=0.93),
                   Prediction("confident but unseen", "oos", [("greet", 0.95), ("x", 0.05)], similarity=0.78),
                   Prediction("no vector", "greet", [("greet", 0.9), ("x", 0.1)], similarity=None)]
    without = trade_off(predictions, "oos", threshold=0.5, ambiguity=0.0)
    guarded = trade_off(predictions, "oos", threshold=0.5, ambiguity=0.0, similarity=0.85)
    assert (without.oos_recall, without.in_scope_accuracy) == (0.0, 1.0)
    # the unseen message goes to fallback; a message without a vector is never judged novel
    assert (guarded.oos_recall, guarded.in_scope_accuracy, guarded.similarity_threshold) == (1.0, 1.0, 0.85)
    too_strict = trade_off(predictions, "oos", threshold=0.5, ambiguity=0.0, similarity=0.95)
    assert too_strict.in_scope_accuracy == 0.5


def test_the_grid_includes_the_guard_only_when_the_predictions_carry_its_similarity() -> None:
    plain = [Prediction("a", "greet", [("greet", 0.9)]), Prediction("b", "oos", [("greet", 0.4)])]
    assert {row.similarity_threshold for row in trade_off_table(plain, "oos")} == {0.0}
    guarded = [Prediction("a", "greet", [("greet", 0.9)], 0.95), Prediction("b", "oos", [("greet", 0.9)], 0.75)]
    table = trade_off_table(guarded, "oos")
    assert len({row.similarity_threshold for row in table}) > 10
    chosen = choose(table)
    # only the guard separates these two: it must be on, between the two similarities
    assert 0.75 < chosen.similarity_threshold <= 0.95 and chosen.oos_recall == 1.0
