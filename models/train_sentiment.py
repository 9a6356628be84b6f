"""Train the sentiment model: `python -m models.train_sentiment` (Rasa environment, scikit-learn).

Two fits. First, reviews + CIC train only: on CIC dev (which that fit never saw) choose the
P(negative) threshold with the best 买家表达不满/生气 recall whose false-alarm rate on question intents
stays <= MAX_DEV_FALSE_ALARM. Then the shipped fit on reviews + CIC train + dev, with that threshold.
CIC test_public is never read here: it is what eval_sentiment reports.

Writes rasa_plugins/nlu/models/sentiment-v1.npz and sentiment-v1.json (sha256 of the artifact, the data
files and their sha256, the settings, the calibration and the held-out review accuracy). Fixed
seed: the same data gives the same model. See docs/sentiment.md.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from models.sentiment_data import (
    ANGRY_INTENT,
    DATASETS,
    SentimentData,
    is_question_intent,
    load_training_data,
    read_cic,
    sha256,
)
from rasa_plugins.nlu.sentiment_model import (
    DEFAULT_MODEL,
    EMOTIONS,
    NGRAM_RANGE,
    POLARITIES,
    SentimentModel,
    char_ngrams,
)

SEED = 13
MAX_FEATURES = 60000
MIN_DF = 3
POLARITY_C = 8.0
EMOTION_C = 4.0
CALIBRATION_FIT_FILES = ("cic/train.json",)
CALIBRATION_DEV_FILE = "cic/dev.json"
MAX_DEV_FALSE_ALARM = 0.05
THRESHOLD_GRID = tuple(round(0.50 - 0.02 * step, 2) for step in range(16))  # 0.50 down to 0.20


def log(message: str) -> None:
    print(f"[train_sentiment] {message}", file=sys.stderr, flush=True)


def fit(data: SentimentData, max_features: int = MAX_FEATURES) -> SentimentModel:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [example.text for example in data.train]
    vectorizer = TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, min_df=MIN_DF,
                                 max_features=max_features, dtype=np.float32)
    log(f"featurising {len(texts)} training texts")
    features = vectorizer.fit_transform(texts)
    vocabulary = [None] * len(vectorizer.vocabulary_)
    for gram, column in vectorizer.vocabulary_.items():
        vocabulary[column] = gram

    log("fitting the polarity head (negative / neutral / positive)")
    polarity = LogisticRegression(C=POLARITY_C, max_iter=2000, random_state=SEED)
    polarity.fit(features, [e.polarity for e in data.train],
                 sample_weight=[e.weight for e in data.train])
    assert tuple(polarity.classes_) == POLARITIES, polarity.classes_

    negative = [i for i, e in enumerate(data.train) if e.polarity == "negative"]
    log(f"fitting the emotion head (不满 / 愤怒 / 失望) on {len(negative)} negative texts")
    emotion = LogisticRegression(C=EMOTION_C, max_iter=2000, random_state=SEED,
                                 class_weight="balanced")
    emotion.fit(features[negative], [data.train[i].emotion for i in negative],
                sample_weight=[data.train[i].weight for i in negative])
    order = [list(emotion.classes_).index(name) for name in EMOTIONS]
    return SentimentModel(vocabulary, vectorizer.idf_, polarity.coef_, polarity.intercept_,
                          emotion.coef_[order], emotion.intercept_[order])


def calibrate_threshold(datasets: Path) -> dict:
    """The P(negative) threshold, chosen on CIC dev with a model that did not train on dev."""
    log("calibration fit (reviews + CIC train; CIC dev held out)")
    model = fit(load_training_data(datasets, cic_files=CALIBRATION_FIT_FILES))
    rows = read_cic(datasets, CALIBRATION_DEV_FILE)
    angry, _ = model.probabilities([r["sentence"] for r in rows if r["label_des"] == ANGRY_INTENT])
    questions, _ = model.probabilities([r["sentence"] for r in rows if is_question_intent(r["label_des"])])
    negative = POLARITIES.index("negative")
    table = [{"threshold": t, "dev_angry_recall": round(float(np.mean(angry[:, negative] >= t)), 4),
              "dev_question_false_alarm": round(float(np.mean(questions[:, negative] >= t)), 4)}
             for t in THRESHOLD_GRID]
    allowed = [row for row in table if row["dev_question_false_alarm"] <= MAX_DEV_FALSE_ALARM]
    best = max(allowed, key=lambda row: (row["dev_angry_recall"], row["threshold"]))
    log(f"threshold {best['threshold']}: dev recall {best['dev_angry_recall']}, "
        f"dev false alarm {best['dev_question_false_alarm']}")
    return {"chosen": best, "rule": f"best dev recall with dev false alarm <= {MAX_DEV_FALSE_ALARM}",
            "dev_angry": len(angry), "dev_questions": len(questions), "grid": table}


def held_out_accuracy(model: SentimentModel, data: SentimentData) -> float:
    """Review test split: positive vs negative by the larger of the two probabilities."""
    polarity, _ = model.probabilities([e.text for e in data.review_test])
    negative, positive = POLARITIES.index("negative"), POLARITIES.index("positive")
    predicted = np.where(polarity[:, positive] >= polarity[:, negative], "positive", "negative")
    return float(np.mean(predicted == np.array([e.polarity for e in data.review_test])))


def write_manifest(model_path: Path, data: SentimentData, accuracy: float, calibration: dict,
                   seconds: float) -> Path:
    counts: dict[str, int] = {}
    for example in data.train:
        key = f"{example.polarity}/{example.emotion}" if example.emotion else example.polarity
        counts[key] = counts.get(key, 0) + 1
    manifest = {
        "model": model_path.name,
        "sha256": sha256(model_path),
        "training_command": "python -m models.train_sentiment",
        "data": [{"file": f"../shared/datasets/{path.relative_to(path.parents[1])}", "sha256": sha256(path)}
                 for path in data.files],
        "settings": {"seed": SEED, "ngram_range": list(NGRAM_RANGE), "max_features": MAX_FEATURES,
                     "min_df": MIN_DF, "polarity_C": POLARITY_C, "emotion_C": EMOTION_C,
                     "negative_threshold": calibration["chosen"]["threshold"]},
        "training_examples": counts,
        "negative_threshold_calibration": calibration,
        "metrics": {"review_held_out_accuracy": round(accuracy, 4),
                    "review_held_out_size": len(data.review_test)},
        "training_seconds": round(seconds, 1),
        "eval_command": "python -m eval.nlu.sentiment_eval",
    }
    path = model_path.with_suffix(".json")
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.train_sentiment", description=__doc__)
    parser.add_argument("--datasets", type=Path, default=DATASETS, help="the shared datasets folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL, help="model file (.npz)")
    parser.add_argument("--negative-threshold", type=float, default=None,
                        help="skip the calibration fit and use this P(negative) threshold")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        data = load_training_data(args.datasets)
    except FileNotFoundError as error:
        print(f"train_sentiment: {error}", file=sys.stderr)
        return 1
    if args.negative_threshold is None:
        calibration = calibrate_threshold(args.datasets)
    else:
        calibration = {"chosen": {"threshold": args.negative_threshold}, "rule": "given on the command line"}
    log(f"{len(data.train)} training texts, {len(data.review_test)} held-out reviews")
    model = fit(data)
    model.negative_threshold = calibration["chosen"]["threshold"]
    model.save(args.out)
    accuracy = held_out_accuracy(model, data)
    manifest = write_manifest(args.out, data, accuracy, calibration, time.perf_counter() - started)
    log(f"held-out review accuracy {accuracy:.4f}")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB) and {manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
