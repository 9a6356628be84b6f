"""Measure the sentiment model: `python -m eval.nlu.sentiment_eval` (either environment, numpy only).

Figures (issue 7), printed and written to var/reports/sentiment-eval.json:
- accuracy on the held-out 10% of the review data (never trained on; positive vs negative);
- recall on CIC test_public 买家表达不满/生气: share labelled negative (and, stricter, 愤怒);
- false alarms on CIC test_public question intents: share labelled negative (and 愤怒).
CIC test_public is never used for training (train_sentiment reads train.json and dev.json only).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from bot.environments import CODE_ROOT
from models.sentiment_data import (
    ANGRY_INTENT,
    CIC_TEST_FILE,
    DATASETS,
    in_test_split,
    is_question_intent,
    read_cic,
    read_reviews,
)
from rasa_plugins.nlu.sentiment_model import DEFAULT_MODEL, SentimentModel, load_manifest, normalise

TARGETS = {"review_accuracy": 0.90, "angry_recall": 0.85, "question_false_angry": 0.05}
DEFAULT_REPORT = CODE_ROOT / "var" / "reports" / "sentiment-eval.json"


def review_accuracy(model: SentimentModel, datasets: Path) -> tuple[float, int, float]:
    """(pos-vs-neg accuracy, test size, 3-way accuracy with a neutral answer counted wrong)."""
    seen: set[str] = set()
    texts, gold = [], []
    for text, polarity, _source in read_reviews(datasets):
        key = normalise(text)
        if key in seen or not in_test_split(text):
            continue
        seen.add(key)
        texts.append(text)
        gold.append(polarity)
    polarity, _ = model.probabilities(texts)
    # columns follow POLARITIES: negative, neutral, positive; the reviews only know two classes
    predicted = ["positive" if row[2] >= row[0] else "negative" for row in polarity]
    strict = [r.polarity for r in model.predict(texts)]
    correct = sum(p == g for p, g in zip(predicted, gold))
    return correct / len(gold), len(gold), sum(p == g for p, g in zip(strict, gold)) / len(gold)


def cic_figures(model: SentimentModel, datasets: Path) -> dict:
    rows = read_cic(datasets, CIC_TEST_FILE)
    angry = [r["sentence"] for r in rows if r["label_des"] == ANGRY_INTENT]
    questions = [r["sentence"] for r in rows if is_question_intent(r["label_des"])]
    angry_results = model.predict(angry)
    question_results = model.predict(questions)
    return {
        "angry_messages": len(angry),
        "angry_recall": sum(r.polarity == "negative" for r in angry_results) / len(angry),
        "angry_recall_as_愤怒": sum(r.emotion == "愤怒" for r in angry_results) / len(angry),
        "angry_emotions": dict(Counter(r.emotion or r.polarity for r in angry_results)),
        "question_messages": len(questions),
        "question_false_angry": sum(r.polarity == "negative" for r in question_results) / len(questions),
        "question_false_愤怒": sum(r.emotion == "愤怒" for r in question_results) / len(questions),
        "question_false_negative_examples": [q for q, r in zip(questions, question_results)
                                             if r.polarity == "negative"][:15],
        "missed_angry_examples": [a for a, r in zip(angry, angry_results) if r.polarity != "negative"][:15],
    }


def evaluate(model_path: Path, datasets: Path) -> dict:
    model = SentimentModel.load(model_path)
    accuracy, size, strict = review_accuracy(model, datasets)
    report = {"model": str(model_path.name), "model_sha256": load_manifest(model_path).get("sha256"),
              "review_accuracy": accuracy, "review_accuracy_3way": strict, "review_test_size": size,
              **cic_figures(model, datasets), "targets": TARGETS}
    report["meets_targets"] = {
        "review_accuracy": accuracy >= TARGETS["review_accuracy"],
        "angry_recall": report["angry_recall"] >= TARGETS["angry_recall"],
        "question_false_angry": report["question_false_angry"] <= TARGETS["question_false_angry"],
    }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.nlu.sentiment_eval", description=__doc__)
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--json-out", type=Path, default=DEFAULT_REPORT)
    args = parser.parse_args(argv)
    try:
        report = evaluate(args.model, args.datasets)
    except FileNotFoundError as error:
        print(f"eval_sentiment: {error}", file=sys.stderr)
        return 1
    args.json_out.parent.mkdir(parents=True, exist_ok=True)
    args.json_out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"review held-out accuracy (pos vs neg, n={report['review_test_size']}): "
          f"{report['review_accuracy']:.4f}  (3-way, neutral counted wrong: {report['review_accuracy_3way']:.4f})"
          f"  target >= {TARGETS['review_accuracy']}")
    print(f"CIC test_public 买家表达不满/生气 recall as negative (n={report['angry_messages']}): "
          f"{report['angry_recall']:.4f}  (as 愤怒: {report['angry_recall_as_愤怒']:.4f})"
          f"  target >= {TARGETS['angry_recall']}")
    print(f"CIC test_public question intents labelled negative (n={report['question_messages']}): "
          f"{report['question_false_angry']:.4f}  (labelled 愤怒: {report['question_false_愤怒']:.4f})"
          f"  target <= {TARGETS['question_false_angry']}")
    print(f"report: {args.json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
