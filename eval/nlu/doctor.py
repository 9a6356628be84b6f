"""`kefu data doctor`: find NLU examples a designer should look at, before they cost accuracy.

Four kinds of finding, most certain first:
- conflict: the same text (ignoring width, case, spaces and punctuation) under two intents;
- duplicate: the same text twice under one intent (harmless for the model, but noise in the data);
- near-duplicate: two texts under different intents that are equal once filler words (啊, 呢, 亲,
  请问, …) are dropped, or whose char n-gram cosine is >= --similarity;
- suspect label: cross-validated disagreement: a model trained on the other folds gives another
  intent a probability >= --confidence and the labelled intent < --label-probability.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Callable

import numpy as np

from eval.nlu.doctor_data import LabelledExample
from eval.nlu.doctor_model import fit_vocabulary, out_of_fold_probabilities, tfidf

SIMILARITY = 0.85
CONFIDENCE = 0.5
LABEL_PROBABILITY = 0.2
KIND_ORDER = {"conflict": 0, "suspect label": 1, "near-duplicate": 2, "duplicate": 3}
_IGNORED = re.compile(r"[\s,.!?;:~，。！？；：、…]+")
_FILLERS = re.compile(r"请问|麻烦|亲爱的|亲|你好|您好|[啊呢吧呀哦嘛啦哈呗噢哇]")


def same_text_key(text: str) -> str:
    """Full/half width, case, spaces and punctuation do not make two examples different; digits do."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text).lower())


def filler_free_key(text: str) -> str:
    """The text without polite openers and modal particles: 我想退货啊 and 我想退货 say the same."""
    return _FILLERS.sub("", same_text_key(text))


@dataclass(frozen=True)
class Finding:
    kind: str
    file: str
    line: int
    text: str
    intent: str
    suggested: str
    confidence: float
    other: LabelledExample | None = None  # the example it duplicates or conflicts with

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def pair(cls, kind: str, example: LabelledExample, other: LabelledExample, score: float) -> "Finding":
        return cls(kind, example.file, example.line, example.text, example.intent, other.intent, score, other)


def exact_duplicates(examples: list[LabelledExample]) -> list[Finding]:
    groups: dict[str, list[LabelledExample]] = defaultdict(list)
    for example in examples:
        groups[same_text_key(example.text)].append(example)
    findings = []
    for group in groups.values():
        first = group[0]
        for example in group[1:]:
            kind = "duplicate" if example.intent == first.intent else "conflict"
            findings.append(Finding.pair(kind, example, first, 1.0))
    return findings


def near_duplicates(examples: list[LabelledExample], threshold: float = SIMILARITY) -> list[Finding]:
    """Pairs across intents, filler-free equal or char n-gram TF-IDF cosine >= threshold.

    Exact copies are left to exact_duplicates.
    """
    texts = [e.text for e in examples]
    index, idf = fit_vocabulary(texts)
    matrix = tfidf(texts, index, idf)
    keys = [same_text_key(t) for t in texts]
    loose: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        loose[filler_free_key(text)].append(i)
    findings = []
    block = 2000  # rows at a time keeps the similarity matrix small on big data sets
    for start in range(0, len(texts), block):
        similarity = (matrix[start:start + block] @ matrix.T).toarray()
        for offset, row in enumerate(similarity):
            i = start + offset
            same_words = [j for j in loose[filler_free_key(texts[i])] if j < i]
            for j in sorted(set(np.flatnonzero(row[:i] >= threshold)) | set(same_words)):
                a, b = examples[j], examples[i]
                if a.intent != b.intent and keys[i] != keys[j]:
                    findings.append(Finding.pair("near-duplicate", b, a, max(float(row[j]), 1.0 * (j in same_words))))
    return findings


def suspect_labels(examples: list[LabelledExample], folds: int, confidence: float = CONFIDENCE,
                   label_probability: float = LABEL_PROBABILITY,
                   progress: Callable[[int, int], None] | None = None) -> list[Finding]:
    intents = sorted({e.intent for e in examples})
    if len(intents) < 2:
        return []
    label_of = {name: i for i, name in enumerate(intents)}
    labels = np.array([label_of[e.intent] for e in examples])
    probabilities = out_of_fold_probabilities([e.text for e in examples], labels, len(intents), folds,
                                              progress)
    findings = []
    for example, label, row in zip(examples, labels, probabilities):
        best = int(row.argmax())
        if best != label and row[best] >= confidence and row[label] < label_probability:
            findings.append(Finding("suspect label", example.file, example.line, example.text,
                                    example.intent, intents[best], float(row[best])))
    return findings


def diagnose(examples: list[LabelledExample], folds: int = 5, similarity: float = SIMILARITY,
             confidence: float = CONFIDENCE, label_probability: float = LABEL_PROBABILITY,
             progress: Callable[[int, int], None] | None = None) -> list[Finding]:
    """All findings, most actionable first.

    An example already reported in a conflict or near-duplicate pair (either side) is not
    reported again as a suspect label: the pair already says what to fix.
    """
    findings = exact_duplicates(examples) + near_duplicates(examples, similarity)
    paired = {(f.file, f.line) for f in findings if f.kind in ("conflict", "near-duplicate")}
    paired |= {(f.other.file, f.other.line) for f in findings
               if f.kind in ("conflict", "near-duplicate") and f.other}
    findings += [f for f in suspect_labels(examples, folds, confidence, label_probability, progress)
                 if (f.file, f.line) not in paired]
    return sorted(findings, key=lambda f: (KIND_ORDER[f.kind], -f.confidence, f.file, f.line))
