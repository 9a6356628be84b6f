"""NLU quality of the demo bot: 5-fold cross-validation on nlu_data/ and a held-out set.

Run with the Rasa 3.10 environment from the repository root:

    python -m eval.nlu.report              # CV + held-out, ~15-25 min on 2 cores
    python -m eval.nlu.report --skip-cv    # held-out only (trains one NLU model)

Writes var/reports/nlu_report.json and prints one table. The held-out file
(eval/data/nlu_heldout.yml) is never used in training; the script refuses to run if any
held-out message also appears in nlu_data/.
"""
import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Set

import yaml

REPO = Path(__file__).resolve().parents[2]
NLU_DATA = REPO / "nlu_data"
HELDOUT = REPO / "eval" / "data" / "nlu_heldout.yml"
REPORTS = REPO / "var" / "reports"
MODEL_DIR = REPO / "var" / "models"
MODEL_NAME = "nlu-eval"
TARGETS = {"cv_macro_f1": 0.95, "heldout_accuracy": 0.90}


def _plain(example: str) -> str:
    """Example text without entity annotations: '[HW1](order_number)x' -> 'HW1x'."""
    return re.sub(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})", r"\1", example).strip()


def examples_of(path: Path) -> Set[str]:
    texts: Set[str] = set()
    for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
        if "intent" in item:
            texts.update(_plain(line[2:]) for line in item["examples"].splitlines() if line.startswith("- "))
    return texts


def heldout_overlap() -> List[str]:
    training = set().union(*(examples_of(path) for path in sorted(NLU_DATA.glob("*.yml"))))
    return sorted(examples_of(HELDOUT) & training)


def rasa(*args: str) -> None:
    command = [sys.executable, "-m", "rasa", *args]
    print("$", " ".join(command), flush=True)
    subprocess.run(command, cwd=REPO, check=True, stdout=subprocess.DEVNULL)


def intent_report(directory: Path) -> Dict:
    return json.loads((directory / "intent_report.json").read_text(encoding="utf-8"))


def cross_validation(folds: int) -> Dict[str, float]:
    out = REPORTS / "nlu_cv"
    rasa("test", "nlu", "--nlu", "nlu_data", "--config", "config.yml", "--cross-validation",
         "--folds", str(folds), "--out", str(out), "--no-plot")
    report = intent_report(out)
    return {"cv_macro_f1": report["macro avg"]["f1-score"], "cv_accuracy": report["accuracy"]}


def fallback_threshold() -> float:
    config = yaml.safe_load((REPO / "config.yml").read_text(encoding="utf-8"))
    return next(component["threshold"] for component in config["pipeline"]
                if component["name"] == "FallbackClassifier")


def heldout(model: Path) -> Dict[str, float]:
    """Accuracy of the top intent (Rasa undoes nlu_fallback when evaluating), plus the share of
    messages whose confidence is under the fallback threshold, which at run time go to the
    knowledge base instead."""
    out = REPORTS / "nlu_heldout"
    rasa("test", "nlu", "--nlu", str(HELDOUT), "--model", str(model), "--out", str(out),
         "--no-plot", "--successes")
    report = intent_report(out)
    predictions = [item for name in ("intent_successes.json", "intent_errors.json")
                   if (out / name).exists()
                   for item in json.loads((out / name).read_text(encoding="utf-8"))]
    threshold = fallback_threshold()
    low = sum(item["intent_prediction"]["confidence"] < threshold for item in predictions)
    return {"heldout_accuracy": report["accuracy"], "heldout_macro_f1": report["macro avg"]["f1-score"],
            "heldout_messages": report["macro avg"]["support"],
            "heldout_below_fallback_threshold": low / max(len(predictions), 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--skip-cv", action="store_true", help="only the held-out evaluation")
    parser.add_argument("--model", type=Path, help="an NLU model to reuse for the held-out set")
    args = parser.parse_args()

    overlap = heldout_overlap()
    if overlap:
        print(f"held-out messages also in nlu_data/: {overlap}", file=sys.stderr)
        return 2
    REPORTS.mkdir(parents=True, exist_ok=True)
    results: Dict[str, float] = {}
    if not args.skip_cv:
        results.update(cross_validation(args.folds))
    model = args.model
    if model is None:
        rasa("train", "nlu", "--nlu", "nlu_data", "--config", "config.yml", "--out", str(MODEL_DIR),
             "--fixed-model-name", MODEL_NAME)
        model = MODEL_DIR / f"{MODEL_NAME}.tar.gz"
    results.update(heldout(model))

    rows = [("NLU %d-fold cross-validation, macro-F1" % args.folds, "cv_macro_f1"),
            ("NLU cross-validation, accuracy", "cv_accuracy"),
            ("held-out messages, accuracy", "heldout_accuracy"),
            ("held-out messages, macro-F1", "heldout_macro_f1"),
            ("held-out messages under the fallback threshold", "heldout_below_fallback_threshold")]
    print(f"\n{'metric':<48} {'value':>7} {'target':>7}")
    for label, key in rows:
        if key in results:
            target = f">={TARGETS[key]:.2f}" if key in TARGETS else ""
            print(f"{label:<48} {results[key]:>7.4f} {target:>7}")
    print(f"{'held-out messages, count':<48} {int(results['heldout_messages']):>7}")
    report = {**results, "targets": TARGETS, "folds": None if args.skip_cv else args.folds}
    (REPORTS / "nlu_report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0 if all(results.get(key, 1.0) >= target for key, target in TARGETS.items()) else 1


if __name__ == "__main__":
    sys.exit(main())
