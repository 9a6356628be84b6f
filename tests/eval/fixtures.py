"""Results written by hand for report and compare tests: every suite's shape, with an NLU result
that follows the schema agreed with eval/nlu/suite.py (issue 7)."""
from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from eval.suites.latency import histogram
from eval.suites.nlu import from_json

# a 1x1 PNG
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def nlu_json(confusion_png: str | None = None) -> dict[str, Any]:
    def pipeline(accuracy: float, f1: dict[str, float]) -> dict[str, Any]:
        return {"accuracy": accuracy, "macro_f1": round(sum(f1.values()) / len(f1), 4), "per_intent_f1": f1,
                "confusion": {"labels": list(f1), "matrix": [[9, 1, 0], [0, 8, 2], [1, 0, 9]]},
                "oos": {"threshold": 0.5, "in_scope_accuracy": 0.91, "oos_recall": 0.62},
                "train_seconds": 41.5, "test_seconds": 2.25}

    return {"suite": "nlu", "dataset": "nlu_data", "quick": True, "n_train": 400, "n_test": 30, "language": "zh",
            "pipelines": {"kefu": pipeline(0.8667, {"greet": 0.95, "order_status": 0.8, "request_human": 0.9}),
                          "stock": pipeline(0.8, {"greet": 0.9, "order_status": 0.7, "request_human": 0.85})},
            "confusion_png": confusion_png}


def results(folder: Path, with_png: bool = True) -> dict[str, Any]:
    if with_png:
        (folder / "confusion.png").write_bytes(PNG)
    retrieval_methods = {m: {"recall@1": r, "recall@3": r + 0.05, "recall@5": r + 0.08, "recall@10": r + 0.1,
                             "mrr": r + 0.03, "ndcg@10": r + 0.04} for m, r in (("bm25", 0.7), ("dense", 0.8), ("hybrid", 0.85))}
    timings = [0.12, 0.2, 0.25, 0.31, 0.9, 1.4]
    turn = {"user": "转人工", "bot": "好的，正在为您转接", "mode": "bot",
            "checks": {"handoff": {"expected": True, "got": False, "ok": False}}, "ok": False}
    return {
        "meta": {"date": "2026-11-23T12:00:00+00:00", "git": {"commit": "abc123", "dirty": False},
                 "machine": {"hostname": "box", "cpus": 2, "load_1min_at_start": 1.0}, "command": "kefu eval all",
                 "quick": False, "durations_s": {"retrieval": 10.0}, "total_s": 99.0},
        "suites": {
            "retrieval": {"status": "ok", "notes": [], "metrics": {f"project_qa/{m}/{k}": v for m, vs in retrieval_methods.items()
                                                                      for k, v in vs.items()},
                          "sets": {"project_qa": {"source": "qa.jsonl", "questions": 62, "methods": retrieval_methods,
                                                  "failures": [{"question": "包邮吗", "expected": "ship-free", "hybrid_rank": 3}]}}},
            "rag": {"status": "ok", "metrics": {"answer_correct": 0.9, "citation_correct": 0.88, "abstained_when_unanswerable": 0.25},
                    "source": "qa.jsonl", "counts": {"answerable": 62, "unanswerable": 20}, "definition": "…",
                    "failures": [{"id": "u01", "question": "实体店在哪", "answer": "<b>不是HTML</b>", "cited": ["x"],
                                  "abstained": False, "reason": "", "expected_doc": None, "reference": None}]},
            "nlu": from_json(nlu_json("confusion.png" if with_png else None)),
            "conversations": {"status": "ok", "metrics": {"stories_passed": 0.9, "dialogues_passed": 0.5},
                              "counts": {"stories": 10, "dialogues": 2},
                              "stories": [{"name": "s1", "source": "t.yml", "passed": False, "transcript": [turn],
                                           "first_error": {"position": 1, "expected": "action utter_x", "got": "action utter_y"},
                                           "expected_steps": ["intent a", "action utter_x"], "actual_steps": ["intent a", "action utter_y"]}],
                              "dialogues": [{"name": "d1", "source": "d.yml", "passed": False, "turns": [turn]}]},
            "handoff": {"status": "ok", "metrics": {"precision": 0.95, "recall": 0.9, "f1": 0.9231, "accuracy": 0.925},
                        "confusion": {"tp": 18, "fp": 1, "fn": 2, "tn": 19}, "conversations": 40,
                        "failures": [{"id": "h01", "should_handoff": True, "note": "explicit", "transcript": [turn]}]},
            "latency": {"status": "ok", "metrics": {"gateway_p50_ms": 280.0, "gateway_p95_ms": 1275.0, "gateway_max_ms": 1400.0,
                                                    "gateway_turns": 6},
                        "histogram": histogram(timings), "slowest": [{"suite": "handoff", "message": "你好", "ms": 1400.0}]},
        },
        "thresholds": [{"suite": "rag", "metric": "answer_correct", "min": 0.85, "actual": 0.9, "passed": True},
                       {"suite": "rag", "metric": "abstained_when_unanswerable", "min": 0.5, "actual": 0.25, "passed": False},
                       {"suite": "nlu", "metric": "kefu/macro_f1", "min": 0.8, "actual": None, "passed": None,
                        "note": "suite skipped"}],
        "passed": False,
    }
