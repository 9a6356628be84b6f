"""`kefu eval nlu`: Kefu's NLU pipeline against stock Rasa on an intent data set, side by side.

Run in the Rasa environment from the repository root (``kefu eval nlu`` does this for you):

    python -m eval.nlu.evaluate --dataset cic|clinc150|banking77|PATH [--quick] [--json-out FILE]
                            [--pipelines kefu,linear,svm,stock] [--folds 5] [--epochs N] [--unseen-intent INTENT]
                            [--clean none|doctor] [--train-fraction 0.5]

Named data sets train on their train split and test on their test split; a Rasa NLU YAML file or
folder is evaluated by stratified k-fold. ``kefu`` is config.yml's NLU pipeline (without the
FallbackClassifier, whose rule is applied here); ``stock`` is Jieba (zh) or whitespace (en)
tokens + CountVectors + the same DIET settings. With out-of-scope data (CLINC150's ``oos``, the
bot's ``out_of_scope``), in-scope accuracy and out-of-scope recall are reported at the
calibrated fallback setting: chosen on CLINC150's validation split, or config.yml's
FallbackClassifier values (written by ``python -m eval.nlu.calibrate``) for a Rasa file.
``--train-fraction F`` trains each split on a stratified share F of its training part (test
parts unchanged): run it at 0.5, 0.75 and 1 for a learning curve, to see whether more examples
would still help. Progress goes to stderr; the JSON result (schema below) to --json-out.

    {"suite": "nlu", "dataset", "quick", "unseen_intent", "clean", "cleaning": [counts per split],
     "train_fraction", "n_train_per_split": [training messages actually used, per split],
     "n_train", "n_test", "language", "confusion_png",
     "pipelines": {"kefu": P, "stock": P}}
    P = {"accuracy", "macro_f1", "per_intent_f1", "confusion": {"labels", "matrix"},
         "oos": {"threshold", "ambiguity_threshold", "similarity_threshold", "in_scope_accuracy",
                 "oos_recall", "chosen_on"} | null,
         "train_seconds", "test_seconds"}
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from rasa.shared.nlu.training_data.training_data import TrainingData

from eval.nlu.clean import clean_with_doctor
from eval.nlu.datasets import (
    DatasetError,
    NluDataset,
    check_fraction,
    load_dataset,
    stratified_folds,
    stratified_fraction,
    subsample,
    without_intent,
)
from eval.nlu.metrics import choose, confusion_png, intent_metrics, trade_off, trade_off_table
from eval.nlu.rasa_pipeline import (
    REPO,
    Prediction,
    fallback_settings,
    kefu_pipeline,
    limit_finetune_epochs,
    linear_pipeline,
    predict,
    progress,
    quiet_rasa,
    read_config,
    stock_pipeline,
    svm_pipeline,
    timed,
    train,
)

PIPELINES = {"kefu": kefu_pipeline, "linear": linear_pipeline, "svm": svm_pipeline, "stock": stock_pipeline}
QUICK_TRAIN_PER_INTENT, QUICK_TEST_PER_INTENT, QUICK_EPOCHS, QUICK_FOLDS = 20, 10, 20, 3
# --quick is a smoke run (CI): one pass of the fine-tuned encoder instead of config.yml's four keeps
# the component in the measured pipeline at a quarter of its cost. Figures to quote come without --quick.
QUICK_FINETUNE_EPOCHS = 1


Splits = List[Tuple[TrainingData, TrainingData]]


def training_splits(dataset: NluDataset, args: argparse.Namespace) -> Tuple[Splits, List[Dict[str, int]]]:
    """(train, test) pairs every pipeline is trained and tested on, built once per run: the k folds of a
    Rasa file or the named split, with ``--unseen-intent`` left out of, ``--clean`` applied to and
    ``--train-fraction`` cut from each training part (test parts are never touched); plus the
    cleaning counts, one per split."""
    if dataset.everything is not None:
        splits = stratified_folds(dataset.everything, args.folds)
    else:
        splits = [(dataset.train, dataset.test)]
    prepared: Splits = []
    cleaning: List[Dict[str, int]] = []
    for number, (train_part, test_part) in enumerate(splits, start=1):
        if args.unseen_intent:
            train_part = without_intent(train_part, args.unseen_intent)
        if args.clean == "doctor":
            progress(f"split {number}/{len(splits)}: cleaning {len(train_part.intent_examples)} training messages "
                     "with kefu data doctor's rule (minutes on big data)")
            train_part, counts = clean_with_doctor(train_part)
            progress(f"split {number}/{len(splits)}: dropped {counts['dropped']}, kept {counts['kept']}")
            cleaning.append(counts)
        if args.train_fraction < 1:
            train_part = stratified_fraction(train_part, args.train_fraction)
            progress(f"split {number}/{len(splits)}: training on {len(train_part.intent_examples)} messages "
                     f"({args.train_fraction:g} of the training part)")
        prepared.append((train_part, test_part))
    return prepared, cleaning


def run_pipeline(name: str, dataset: NluDataset, splits: Splits, args: argparse.Namespace, workdir: Path,
                 config: Dict) -> Tuple[Dict, List[Prediction], List[Prediction]]:
    """Trains and tests one pipeline; returns its result, test predictions, calibration predictions."""
    pipeline = PIPELINES[name](config, dataset.language, args.epochs)
    if args.quick:
        limit_finetune_epochs(pipeline, QUICK_FINETUNE_EPOCHS)
    train_seconds = test_seconds = 0.0
    tests: List[Prediction] = []
    calibration: List[Prediction] = []
    for number, (train_part, test_part) in enumerate(splits, start=1):
        label = f"{name} fold {number}/{len(splits)}" if len(splits) > 1 else name
        progress(f"{label}: training on {len(train_part.intent_examples)} messages")
        model, seconds = timed(train, pipeline, train_part, workdir / name, f"{name}-{number}")
        train_seconds += seconds
        progress(f"{label}: trained in {seconds:.0f} s; testing {len(test_part.intent_examples)} messages")
        predictions, seconds = timed(predict, model, test_part)
        test_seconds += seconds
        tests += predictions
        if dataset.calibration is not None:
            progress(f"{label}: parsing the calibration split")
            calibration += predict(model, dataset.calibration)
    result = intent_metrics(tests)
    result.update(oos=None, train_seconds=round(train_seconds, 1), test_seconds=round(test_seconds, 1))
    return result, tests, calibration


def oos_block(dataset: NluDataset, tests: List[Prediction], calibration: List[Prediction],
              config: Dict) -> Optional[Dict]:
    if not dataset.oos_label or not any(p.gold == dataset.oos_label for p in tests):
        return None
    if calibration:
        chosen = choose(trade_off_table(calibration, dataset.oos_label))
        setting = (chosen.threshold, chosen.ambiguity_threshold, chosen.similarity_threshold)
        source = "validation split"
    else:
        fallback = fallback_settings(config)
        setting = (fallback["threshold"], fallback["ambiguity_threshold"], fallback["similarity_threshold"])
        source = "config.yml"
    row = trade_off(tests, dataset.oos_label, *setting)
    return {"threshold": row.threshold, "ambiguity_threshold": row.ambiguity_threshold,
            "similarity_threshold": row.similarity_threshold, "in_scope_accuracy": row.in_scope_accuracy,
            "oos_recall": row.oos_recall, "chosen_on": source}


def prepare(dataset: NluDataset, args: argparse.Namespace) -> None:
    if not args.quick:
        return
    args.epochs = args.epochs or QUICK_EPOCHS
    args.folds = min(args.folds, QUICK_FOLDS)
    if dataset.everything is not None:
        dataset.everything = subsample(dataset.everything, QUICK_TRAIN_PER_INTENT)
    else:
        dataset.train = subsample(dataset.train, QUICK_TRAIN_PER_INTENT)
        dataset.test = subsample(dataset.test, QUICK_TEST_PER_INTENT)
        if dataset.calibration is not None:
            dataset.calibration = subsample(dataset.calibration, QUICK_TEST_PER_INTENT)


def evaluate(args: argparse.Namespace) -> Dict:
    quiet_rasa()
    config = read_config()
    dataset = load_dataset(args.dataset)
    prepare(dataset, args)
    splits, cleaning = training_splits(dataset, args)
    if dataset.everything is not None:
        n_train, n_test = len(dataset.everything.intent_examples), len(dataset.everything.intent_examples)
    else:
        n_train, n_test = len(splits[0][0].intent_examples), len(dataset.test.intent_examples)
    progress(f"dataset {dataset.name} ({dataset.language}): {n_train} training / {n_test} test messages"
             + (f", {args.folds}-fold" if dataset.everything is not None else "") + (" [quick]" if args.quick else ""))
    results: Dict[str, Dict] = {}
    saved: Dict[str, List[Prediction]] = {}
    with tempfile.TemporaryDirectory(prefix="kefu-nlu-eval-") as tmp:
        for name in args.pipelines:
            result, tests, calibration = run_pipeline(name, dataset, splits, args, Path(tmp), config)
            result["oos"] = oos_block(dataset, tests, calibration, config)
            results[name] = result
            saved[name] = tests
            progress(f"{name}: accuracy {result['accuracy']:.4f}, macro-F1 {result['macro_f1']:.4f}")
    json_out = args.json_out or REPO / "var" / "reports" / f"nlu_eval_{Path(dataset.name).name}.json"
    png = confusion_png(results, json_out.with_suffix(".png"), f"{dataset.name}: confusion (row-normalised)")
    if args.save_predictions:
        args.save_predictions.write_bytes(pickle.dumps({"oos_label": dataset.oos_label, "predictions": saved,
                                                        "unseen_intent": args.unseen_intent}))
    report = {"suite": "nlu", "dataset": dataset.name, "quick": bool(args.quick), "unseen_intent": args.unseen_intent,
              "clean": args.clean, "cleaning": cleaning, "train_fraction": args.train_fraction,
              "n_train_per_split": [len(train.intent_examples) for train, _ in splits],
              "n_train": n_train, "n_test": n_test,
              "language": dataset.language, "pipelines": results, "confusion_png": png}
    json_out.parent.mkdir(parents=True, exist_ok=True)
    json_out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return report


def print_summary(report: Dict) -> None:
    share = report.get("train_fraction", 1)
    trained = (f", each split trained on {share:g} of its training part "
               f"({min(report['n_train_per_split'])}-{max(report['n_train_per_split'])} messages)" if share < 1 else "")
    print(f"\nNLU on {report['dataset']} ({report['n_train']} train / {report['n_test']} test"
          f"{', quick' if report['quick'] else ''}{trained})")
    print(f"{'pipeline':<8} {'accuracy':>9} {'macro-F1':>9} {'in-scope':>9} {'oos rec.':>9} {'train s':>8} {'test s':>7}")
    for name, p in report["pipelines"].items():
        oos = p["oos"] or {}
        cells = [f"{oos[k]:.4f}" if k in oos else "-" for k in ("in_scope_accuracy", "oos_recall")]
        print(f"{name:<8} {p['accuracy']:>9.4f} {p['macro_f1']:>9.4f} {cells[0]:>9} {cells[1]:>9} "
              f"{p['train_seconds']:>8.0f} {p['test_seconds']:>7.0f}")


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m eval.nlu.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="nlu_data", help="cic | clinc150 | banking77 | PATH (Rasa NLU YAML)")
    parser.add_argument("--quick", action="store_true", help="<= 20 examples per intent, 20 DIET epochs, 1 fine-tuning epoch, 3 folds")
    parser.add_argument("--json-out", type=Path, help="where to write the JSON result")
    parser.add_argument("--pipelines", default="kefu,stock",
                        help="comma-separated: kefu (config.yml), linear (config.yml with LinearIntentClassifier), "
                             "svm (the same with loss: hinge, for 100+ intents), stock")
    parser.add_argument("--clean", choices=["none", "doctor"], default="none",
                        help="doctor: drop the training messages `kefu data doctor` flags as conflict or suspect "
                             "label (its default settings); test messages are never touched")
    parser.add_argument("--folds", type=int, default=5, help="k for k-fold on a Rasa file (default 5)")
    parser.add_argument("--epochs", type=int, help="DIET epochs for both pipelines (default: config.yml's)")
    parser.add_argument("--save-predictions", type=Path, help="pickle the test predictions (for calibrate_nlu)")
    parser.add_argument("--train-fraction", type=float, default=1.0, metavar="F",
                        help="train on a stratified share F (0 < F <= 1) of each training part, for a "
                             "learning curve; test parts are unchanged (default 1)")
    parser.add_argument("--unseen-intent", metavar="INTENT",
                        help="leave this intent out of every training fold, so its test messages are unlike "
                             "anything trained (open-set; calibrate_nlu uses out_of_scope)")
    args = parser.parse_args(argv)
    args.pipelines = [name.strip() for name in args.pipelines.split(",") if name.strip()]
    unknown = [name for name in args.pipelines if name not in PIPELINES]
    if unknown or not args.pipelines:
        parser.error(f"--pipelines: unknown {unknown}; choose from {', '.join(PIPELINES)}")
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    try:
        check_fraction(args.train_fraction)
    except DatasetError as error:
        parser.error(str(error))
    return args


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    try:
        report = evaluate(args)
    except DatasetError as error:
        print(f"kefu eval nlu: {error}", file=sys.stderr)
        return 2
    print_summary(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
