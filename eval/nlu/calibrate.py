"""Calibrate the FallbackClassifier's `threshold` and `ambiguity_threshold`, and the NoveltyGuard's
`similarity_threshold`, on data, not by guess.

Run in the Rasa environment from the repository root:

    python -m eval.nlu.calibrate [--nlu nlu_data] [--folds 5] [--min-oos-recall 0.8] [--write]
    python -m eval.nlu.calibrate --predictions var/reports/nlu_cv_predictions_open.pkl --write
    python -m eval.nlu.calibrate --model var/models/kefu-….tar.gz --heldout eval/data/nlu_heldout.yml

The last form is the fast one: it parses a held-out file (never trained on) with a trained model
instead of cross-validating; it has far fewer out-of-scope messages, so prefer k-fold.

It cross-validates config.yml's NLU pipeline on the bot's NLU data (or reuses predictions saved
by ``python -m eval.nlu.evaluate --save-predictions``), so every confidence comes from a model that
did not see the message. The bot's ``out_of_scope`` examples stand for the messages the bot
should not claim to understand, and they are left out of every training fold (open-set,
``nlu_eval --unseen-intent out_of_scope``). The threshold's job is the message unlike anything
trained (another shop's question, keyboard mash): if the folds learnt ``out_of_scope`` as an
intent, its held-out examples would be caught by that intent and the threshold could fall until
gibberish slipped through (it did: 0.15 with the linear classifier, and "asdfgh qwer" stopped
reaching nlu_fallback). For every setting on a grid it counts in-scope accuracy (right intent,
not sent to fallback) and out-of-scope recall (sent to fallback), prints the trade-off table, and
picks the best in-scope accuracy among settings that reach ``--min-oos-recall``. Predictions
saved without ``--unseen-intent`` are refused unless ``--closed-set`` is given. ``--write`` puts the two values, with this command
and the date, into config.yml's FallbackClassifier entry.

The RulePolicy's ``core_fallback_threshold`` is about action predictions in conversations, which
NLU data cannot measure; it is left as it is.
"""
from __future__ import annotations

import argparse
import datetime
import pickle
import re
import sys
import tempfile
from pathlib import Path
from typing import List, Optional

from eval.nlu.datasets import load_dataset
from eval.nlu.metrics import MIN_OOS_RECALL, TradeOff, choose, recall_lower_bound, trade_off_table
from eval.nlu.rasa_pipeline import NOVELTY_GUARD, REPO, Prediction, predict, progress, quiet_rasa, read_config

CONFIG = REPO / "config.yml"
OOS_LABEL = "out_of_scope"


def cross_validated_predictions(nlu: str, folds: int, epochs: Optional[int]) -> List[Prediction]:
    from eval.nlu.evaluate import parse_args, run_pipeline, training_splits

    quiet_rasa()
    dataset = load_dataset(nlu)
    args = parse_args(["--dataset", nlu, "--folds", str(folds), "--pipelines", "kefu", "--unseen-intent", OOS_LABEL]
                      + (["--epochs", str(epochs)] if epochs else []))
    with tempfile.TemporaryDirectory(prefix="kefu-calibrate-") as tmp:
        splits, _ = training_splits(dataset, args)
        _, tests, _ = run_pipeline("kefu", dataset, splits, args, Path(tmp), read_config())
    return tests


def print_table(table: List[TradeOff], chosen: TradeOff) -> None:
    """The rows that share the chosen ambiguity and similarity thresholds (one per threshold),
    then those that share its threshold and ambiguity (one per similarity threshold)."""
    print(f"{'threshold':>9} {'ambiguity':>9} {'similarity':>10} {'in-scope acc':>12} {'oos recall':>10} "
          f"{'in-scope rejected':>17}")
    by_threshold = [r for r in table if (r.ambiguity_threshold, r.similarity_threshold)
                    == (chosen.ambiguity_threshold, chosen.similarity_threshold)]
    by_similarity = [r for r in table
                     if (r.threshold, r.ambiguity_threshold) == (chosen.threshold, chosen.ambiguity_threshold)
                     and r.similarity_threshold != chosen.similarity_threshold]
    for row in by_threshold + by_similarity:
        mark = "  <- chosen" if row is chosen else ""
        print(f"{row.threshold:>9.2f} {row.ambiguity_threshold:>9.2f} {row.similarity_threshold:>10.2f} "
              f"{row.in_scope_accuracy:>12.4f} {row.oos_recall:>10.4f} {row.in_scope_rejected:>17.4f}{mark}")


def _replace_block(text: str, component: str, body: str) -> Optional[str]:
    """``text`` with the settings under ``  - name: component`` replaced by ``body``; None if absent."""
    # the entry's own lines are indented by four; a comment at two belongs to the next entry
    block = re.search(rf"(  - name: {re.escape(component)}\n)((?:    .*\n)*)", text)
    return None if not block else text[:block.start(2)] + body + text[block.end(2):]


def write_config(chosen: TradeOff, command: str, path: Path = CONFIG) -> None:
    """Rewrites the FallbackClassifier's two numbers, and the NoveltyGuard's threshold when the
    pipeline has one, in place (the rest of the file is kept)."""
    text = path.read_text(encoding="utf-8")
    stamp = f"    # calibrated {datetime.date.today().isoformat()} by `{command}` (docs/nlu.md)\n"
    fallback = _replace_block(text, "FallbackClassifier", stamp + f"    threshold: {chosen.threshold}\n"
                              f"    ambiguity_threshold: {chosen.ambiguity_threshold}\n")
    if fallback is None:
        raise SystemExit(f"{path}: no FallbackClassifier entry in the pipeline; add one, then rerun")
    guard = _replace_block(fallback, NOVELTY_GUARD, stamp + "    similarity_threshold: "
                           f"{chosen.similarity_threshold if chosen.similarity_threshold > 0 else 'null'}\n")
    if guard is None and chosen.similarity_threshold > 0:
        raise SystemExit(f"{path}: the calibration chose a NoveltyGuard threshold but the pipeline has no "
                         f"{NOVELTY_GUARD} entry; add one after the FallbackClassifier, then rerun")
    path.write_text(guard or fallback, encoding="utf-8")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.nlu.calibrate", description=__doc__.splitlines()[0])
    parser.add_argument("--nlu", default="nlu_data", help="Rasa NLU data with an out_of_scope intent")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--epochs", type=int, help="DIET epochs (default: config.yml's)")
    parser.add_argument("--predictions", type=Path, help="reuse predictions saved by nlu_eval --save-predictions")
    parser.add_argument("--model", type=Path, help="a trained model to parse --heldout with (no training)")
    parser.add_argument("--heldout", type=Path, help="held-out Rasa NLU file, with --model")
    parser.add_argument("--min-oos-recall", type=float, default=MIN_OOS_RECALL)
    parser.add_argument("--closed-set", action="store_true",
                        help="accept --predictions whose folds trained on out_of_scope (a predicted "
                             "out_of_scope then counts as rejected; gibberish is not measured)")
    parser.add_argument("--write", action="store_true", help="write the chosen values into config.yml")
    parser.add_argument("--config", type=Path, default=CONFIG, help="the config file --write rewrites")
    args = parser.parse_args(argv)

    if args.predictions:
        saved = pickle.loads(args.predictions.read_bytes())
        if saved.get("unseen_intent") != OOS_LABEL and not args.closed_set:
            parser.error(f"{args.predictions} was cross-validated with `{OOS_LABEL}` in training; rerun "
                         f"`python -m eval.nlu.evaluate --unseen-intent {OOS_LABEL} --save-predictions …`, "
                         "or pass --closed-set")
        predictions = saved["predictions"]["kefu"]
    elif args.model or args.heldout:
        if not (args.model and args.heldout):
            parser.error("--model and --heldout go together")
        from rasa.shared.nlu.training_data.loading import load_data

        quiet_rasa()
        predictions = predict(args.model, load_data(str(args.heldout)))
    else:
        predictions = cross_validated_predictions(args.nlu, args.folds, args.epochs)
    if not any(p.gold == OOS_LABEL for p in predictions):
        print(f"calibrate_nlu: no `{OOS_LABEL}` examples in the data; add some to nlu_data/", file=sys.stderr)
        return 2
    table = trade_off_table(predictions, OOS_LABEL)
    chosen = choose(table, args.min_oos_recall)
    n_oos = sum(p.gold == OOS_LABEL for p in predictions)
    kind = "held-out" if args.heldout else "cross-validated"
    print(f"{len(predictions)} {kind} messages, {n_oos} of them {OOS_LABEL}")
    print_table(table, chosen)
    print(f"\nchosen: threshold {chosen.threshold}, ambiguity_threshold {chosen.ambiguity_threshold}, "
          f"NoveltyGuard similarity_threshold {chosen.similarity_threshold or 'off'} "
          f"(in-scope accuracy {chosen.in_scope_accuracy:.4f}, oos recall {chosen.oos_recall:.4f})")
    bound = recall_lower_bound(chosen.oos_recall, chosen.oos_count)
    if bound < args.min_oos_recall:
        print(f"note: with {chosen.oos_count} {OOS_LABEL} messages no setting shows oos recall >= "
              f"{args.min_oos_recall} at 95 % confidence (this one: lower bound {bound:.2f}); the best mean of "
              f"in-scope accuracy and oos recall was taken. More {OOS_LABEL} examples make the choice firmer.")
    if args.write:
        command = "python -m eval.nlu.calibrate " + " ".join(argv if argv is not None else sys.argv[1:])
        write_config(chosen, command.strip(), args.config)
        progress(f"wrote the calibrated thresholds into {args.config}")
    else:
        print("config.yml lines (or rerun with --write):\n"
              f"    threshold: {chosen.threshold}\n    ambiguity_threshold: {chosen.ambiguity_threshold}"
              + (f"\n  NoveltyGuard:\n    similarity_threshold: {chosen.similarity_threshold}"
                 if chosen.similarity_threshold else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
