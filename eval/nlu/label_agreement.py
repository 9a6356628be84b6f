"""How often a second, blind annotator gives a training message the intent the NLU data gives it.

Run in the Rasa environment from the repository root:

    python -m eval.nlu.label_agreement [--data nlu_data] [--labels eval/data/nlu_blind_labels.tsv]
                                   [--predictions var/reports/nlu_cv_pred.pkl] [--show] [--json-out FILE]

Cross-validated macro-F1 mixes two things: how well the classifier reads the messages, and how
consistently the messages were labelled. This command measures the second. A labels file holds a
second annotation of the data's messages, made without seeing the data's intents
(``text<TAB>intent<TAB>sure|unsure<TAB>second_intent``; lines starting with ``#`` are comments).
It prints the annotator's accuracy, macro-F1 and Cohen's kappa against the data. With
``--predictions`` (``eval.nlu.evaluate --save-predictions`` of the same data) it also splits the
classifier's cross-validation errors into those where the annotator sided with the data (the
classifier misread a message a careful reader gets right) and those where it sided with the
classifier (the label is the likelier culprit). ``--show`` lists every disagreement.
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from eval.nlu.doctor_data import DoctorDataError, read_nlu
from eval.nlu.metrics import intent_metrics
from eval.nlu.rasa_pipeline import REPO, Prediction

DEFAULT_LABELS = REPO / "eval" / "data" / "nlu_blind_labels.tsv"
CONFIDENCE = ("sure", "unsure")


class LabelsError(ValueError):
    """The labels file cannot be used; the message says which line and what to change."""


@dataclass(frozen=True)
class BlindLabel:
    text: str
    intent: str
    sure: bool
    second: str  # the annotator's other candidate when unsure, else ""


def read_labels(path: Path, intents: Sequence[str]) -> Dict[str, BlindLabel]:
    if not path.is_file():
        raise LabelsError(f"{path}: no such labels file (pass --labels with a text<TAB>intent<TAB>sure|unsure file)")
    known = set(intents)
    labels: Dict[str, BlindLabel] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t") + ["", ""]
        text, intent, confidence, second = (cell.strip() for cell in cells[:4])
        if not text or intent not in known:
            raise LabelsError(f"{path}:{number}: expected text<TAB>intent with one of the data's intents, "
                              f"got {line[:80]!r}")
        if confidence not in CONFIDENCE:
            raise LabelsError(f"{path}:{number}: the third column must be sure or unsure, got {confidence!r}")
        labels[text] = BlindLabel(text, intent, confidence == "sure", second)
    if not labels:
        raise LabelsError(f"{path}: no labels found")
    return labels


def kappa(first: Sequence[str], second: Sequence[str]) -> float:
    """Cohen's kappa: agreement beyond what two annotators with these label frequencies reach by chance.

    scikit-learn's, except that two annotators who both used one and the same intent throughout agree
    fully (1.0), where scikit-learn divides by zero."""
    from sklearn.metrics import cohen_kappa_score

    if len(set(first) | set(second)) == 1:
        return 1.0
    return float(cohen_kappa_score(first, second))


def agreement(pairs: Sequence[tuple]) -> Dict:
    """pairs: (data intent, other intent); the data's intent is the reference."""
    metrics = intent_metrics([Prediction(text="", gold=gold, ranking=[(other, 1.0)]) for gold, other in pairs])
    lowest = sorted(metrics["per_intent_f1"].items(), key=lambda item: item[1])[:5]
    return {"n": len(pairs), "accuracy": round(metrics["accuracy"], 4), "macro_f1": round(metrics["macro_f1"], 4),
            "kappa": round(kappa([g for g, _ in pairs], [o for _, o in pairs]), 4), "lowest_intents": lowest}


def compare(data_dir: Path, labels_path: Path, predictions_path: Optional[Path]) -> Dict:
    examples = read_nlu(data_dir)
    data_intent = {e.text: e.intent for e in examples}
    labels = read_labels(labels_path, sorted(set(data_intent.values())))
    matched = [text for text in data_intent if text in labels]
    if not matched:
        raise LabelsError(f"{labels_path}: none of its texts occur in {data_dir}")
    pairs = [(data_intent[t], labels[t].intent) for t in matched]
    sure = [t for t in matched if labels[t].sure]
    report = {
        "data": str(data_dir), "labels": str(labels_path), "examples": len(data_intent), "annotated": len(matched),
        "not_annotated": len(data_intent) - len(matched), "stale_labels": len(set(labels) - set(data_intent)),
        "annotator": agreement(pairs),
        "annotator_sure_only": agreement([(data_intent[t], labels[t].intent) for t in sure]),
        "unsure_share": round(1 - len(sure) / len(matched), 4),
        "data_intent_among_annotator_choices": round(sum(
            data_intent[t] in (labels[t].intent, labels[t].second) for t in matched) / len(matched), 4),
        "disagreements": [{"text": t, "data": data_intent[t], "annotator": labels[t].intent,
                           "sure": labels[t].sure, "second": labels[t].second}
                          for t in matched if data_intent[t] != labels[t].intent],
    }
    if predictions_path:
        report["classifier"] = classifier_block(predictions_path, data_intent, labels)
    return report


def classifier_block(path: Path, data_intent: Dict[str, str], labels: Dict[str, BlindLabel]) -> Dict:
    if not path.is_file():
        raise LabelsError(f"{path}: no such predictions file (make one with python -m eval.nlu.evaluate "
                          "--save-predictions PATH)")
    by_pipeline: Dict[str, List[Prediction]] = pickle.loads(path.read_bytes())["predictions"]
    pipeline = "kefu" if "kefu" in by_pipeline else next(iter(by_pipeline))
    predictions = by_pipeline[pipeline]
    rows = [(p.gold, p.ranking[0][0] if p.ranking else "", labels.get(p.text)) for p in predictions
            if p.text in labels and data_intent.get(p.text) == p.gold]
    if not rows:
        raise LabelsError(f"{path}: none of its predictions are of annotated messages of this data")
    errors = [(gold, predicted, label) for gold, predicted, label in rows if gold != predicted]
    clear = [(gold, predicted) for gold, predicted, label in rows if label.intent == gold and label.sure]
    return {"predictions": str(path), "pipeline": pipeline, "n": len(rows),
            "all": agreement([(gold, predicted) for gold, predicted, _ in rows]),
            "where_the_annotator_agrees_and_is_sure": agreement(clear),
            "errors": len(errors),
            "errors_annotator_sides_with_data": sum(label.intent == gold for gold, _, label in errors),
            "errors_annotator_sides_with_classifier": sum(label.intent == predicted for _, predicted, label in errors),
            "errors_annotator_says_neither": sum(label.intent not in (gold, predicted) for gold, predicted, label in errors)}


def print_report(report: Dict, show: bool) -> None:
    def line(name: str, block: Dict) -> None:
        print(f"{name:<44} {block['n']:>6} {block['accuracy']:>9.4f} {block['macro_f1']:>9.4f} {block['kappa']:>7.4f}")

    print(f"{report['annotated']} of {report['examples']} examples in {report['data']} annotated "
          f"({report['stale_labels']} labels for texts no longer in the data)")
    print(f"{'against the data':<44} {'n':>6} {'accuracy':>9} {'macro-F1':>9} {'kappa':>7}")
    line("blind annotator", report["annotator"])
    line("blind annotator, where sure", report["annotator_sure_only"])
    if "classifier" in report:
        block = report["classifier"]
        line(f"classifier ({block['pipeline']}, cross-validated)", block["all"])
        line("classifier, where the annotator agrees, sure", block["where_the_annotator_agrees_and_is_sure"])
        print(f"classifier errors {block['errors']}: the annotator sides with the data in "
              f"{block['errors_annotator_sides_with_data']}, with the classifier in "
              f"{block['errors_annotator_sides_with_classifier']}, with neither in {block['errors_annotator_says_neither']}")
    print(f"unsure: {report['unsure_share']:.1%}; the data's intent is the annotator's first or second choice for "
          f"{report['data_intent_among_annotator_choices']:.1%}")
    print("lowest per-intent agreement (F1):", ", ".join(f"{i} {f:.3f}" for i, f in report["annotator"]["lowest_intents"]))
    if show:
        for row in report["disagreements"]:
            print(f"  {row['text']}\tdata {row['data']}\tannotator {row['annotator']}"
                  f"{'' if row['sure'] else ' (unsure, 2nd ' + (row['second'] or '-') + ')'}")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.nlu.label_agreement", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO / "nlu_data", help="Rasa NLU YAML file or folder")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS, help="the blind annotation (TSV)")
    parser.add_argument("--predictions", type=Path, help="eval.nlu.evaluate --save-predictions pickle of the same data")
    parser.add_argument("--show", action="store_true", help="list every disagreement")
    parser.add_argument("--json-out", type=Path, help="write the report as JSON")
    args = parser.parse_args(argv)
    try:
        report = compare(args.data, args.labels, args.predictions)
    except (LabelsError, DoctorDataError) as error:
        print(f"label agreement: {error}", file=sys.stderr)
        return 2
    print_report(report, args.show)
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
