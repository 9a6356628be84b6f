"""Automatic cleaning of NLU training data with the project's own tool, `kefu data doctor`.

CIC's train and dev splits carry deliberate label noise, and the issue allows cleaning them with
the project's own tools (no hand-editing). The rule is the doctor's, at its default settings, fixed
before any test score was seen: drop every example flagged as a *suspect label* (a model trained on
the other folds gives another intent >= 0.5 and the labelled one < 0.2) and both sides of every
*conflict* (the same text under two intents: which one is right cannot be told). Near-duplicates
across intents are kept: they may be legitimately different. Only training data is ever cleaned.
"""
from __future__ import annotations

from typing import Dict, Tuple

from rasa.shared.nlu.training_data.training_data import TrainingData

from eval.nlu.datasets import with_examples
from eval.nlu.doctor import diagnose
from eval.nlu.doctor_data import LabelledExample

DROPPED_KINDS = ("suspect label", "conflict")


def clean_with_doctor(data: TrainingData, folds: int = 5) -> Tuple[TrainingData, Dict[str, int]]:
    """(the training data without the flagged examples, counts of what was dropped)."""
    messages = [m for m in data.intent_examples if m.get("text") and m.get("intent")]
    examples = [LabelledExample(m.get("text"), m.get("intent"), "training", number)
                for number, m in enumerate(messages)]
    findings = [f for f in diagnose(examples, folds) if f.kind in DROPPED_KINDS]
    dropped = {f.line for f in findings}
    dropped |= {f.other.line for f in findings if f.kind == "conflict" and f.other is not None}
    kept = [m for number, m in enumerate(messages) if number not in dropped]
    counts = {"kept": len(kept), "dropped": len(dropped),
              "suspect_labels": sum(f.kind == "suspect label" for f in findings),
              "conflicts": sum(f.kind == "conflict" for f in findings)}
    return with_examples(data, kept), counts
