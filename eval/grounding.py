"""Measure the shop knowledge base end to end: grounding (right fact, right citation, supported
sentences) and abstention (answer in-domain questions, refuse out-of-domain ones).

    python -m eval.grounding [--split test] [--embedder e5-onnx-int8]
"""
from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import tempfile
from pathlib import Path
from typing import Any

from bot.environments import datasets_dir
from retrieval.config import RetrievalConfig
from retrieval.indexing import build_index
from retrieval.service import KnowledgeService

REPO = Path(__file__).resolve().parents[1]
GROUNDING_QA = REPO / "eval" / "data" / "grounding_qa.jsonl"


def load_grounding(split: str | None = "test") -> list[dict[str, Any]]:
    with open(GROUNDING_QA, encoding="utf-8") as lines:
        items = [json.loads(line) for line in lines if line.strip()]
    return [item for item in items if split in (None, "all", item["split"])]


def out_of_domain_questions(split: str = "test") -> dict[str, list[str]]:
    """English banking and CLINC out-of-scope questions (test splits for reporting)."""
    folder = datasets_dir()
    banking_file = "test.csv" if split == "test" else "train.csv"
    with open(folder / "banking77" / banking_file, encoding="utf-8") as rows:
        banking = [row["text"] for row in csv.DictReader(rows)]
    clinc = json.loads((folder / "clinc150" / "data_full.json").read_text("utf-8"))
    oos = [text for text, _ in clinc["oos_test" if split == "test" else "oos_val"]]
    return {"banking77": banking, "clinc150_oos": oos}


def grounding_report(service: KnowledgeService, items: list[dict[str, Any]]) -> dict[str, Any]:
    correct = cited = answered = sentences = supported = 0
    failures = []
    for item in items:
        answer = service.answer(item["question"])
        expected = {item["doc_id"], *item.get("also_acceptable", [])}
        has_fact = item["key_fact"] in answer.text
        right_citation = any(c.doc_id in expected for c in answer.citations)
        answered += not answer.abstained
        if answer.gates:
            sentences += len(answer.gates["support"])
            supported += sum(score >= service.config.gates.min_support for score in answer.gates["support"])
        cited += right_citation
        correct += has_fact and right_citation
        if not (has_fact and right_citation):
            failures.append({"id": item["id"], "question": item["question"], "expected": item["doc_id"],
                             "got": [c.doc_id for c in answer.citations], "reason": answer.reason,
                             "text": answer.text})
    n = max(len(items), 1)
    return {"questions": len(items), "correct_with_citation": round(correct / n, 4),
            "right_citation": round(cited / n, 4), "answered": round(answered / n, 4),
            "answer_sentences": sentences, "sentences_supported": round(supported / max(sentences, 1), 4),
            "failures": failures}


def abstention_report(service: KnowledgeService, in_domain: list[str], ood: dict[str, list[str]]) -> dict[str, Any]:
    report: dict[str, Any] = {"in_domain_answered": round(
        sum(not service.answer(q).abstained for q in in_domain) / max(len(in_domain), 1), 4)}
    for name, questions in ood.items():
        report[f"{name}_abstained"] = round(sum(service.answer(q).abstained for q in questions) / len(questions), 4)
        report[f"{name}_questions"] = len(questions)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="test", choices=["dev", "test", "all"])
    parser.add_argument("--embedder", default="e5-onnx-int8")
    parser.add_argument("--config", help="YAML file with a retrieval: section (default: built-in defaults)")
    args = parser.parse_args()
    config = RetrievalConfig.from_yaml(args.config) if args.config else RetrievalConfig()
    config = dataclasses.replace(config, knowledge_dir=str(REPO / "knowledge"),
                                 index_dir=tempfile.mkdtemp(prefix="kefu-eval-index-"),
                                 embedder={"type": args.embedder}, timeout_seconds=60.0)
    build_index(config.knowledge_dir, config.index_dir, config, show_progress=False)
    service = KnowledgeService(config)
    service.warm_up()
    items = load_grounding(args.split)
    grounding = grounding_report(service, items)
    print(json.dumps({k: v for k, v in grounding.items() if k != "failures"}, ensure_ascii=False))
    for failure in grounding["failures"]:
        print("  miss:", json.dumps(failure, ensure_ascii=False))
    ood = out_of_domain_questions("test" if args.split != "dev" else "dev")
    print(json.dumps(abstention_report(service, [i["question"] for i in items], ood), ensure_ascii=False))


if __name__ == "__main__":
    main()
