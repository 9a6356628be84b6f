"""Intent data sets for `kefu eval nlu`, as Rasa TrainingData (runs in the Rasa environment).

Named sets live in ../shared/datasets (or $KEFU_DATASETS) and are never copied into the repo:

* ``cic``: train.json + dev.json (with their label noise) -> train; test_public.json -> test.
* ``clinc150``: data_full.json; train + oos_train -> train, test + oos_test -> test, val + oos_val
  -> calibration of the out-of-scope threshold. Out-of-scope examples get the intent ``oos``.
* ``banking77``: train.csv -> train, test.csv -> test.
* a path: a Rasa NLU YAML file or folder; evaluated by stratified k-fold. Its ``out_of_scope``
  intent (if any) is the out-of-scope label.
"""
from __future__ import annotations

import csv
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.environments import datasets_dir

REPO = Path(__file__).resolve().parents[2]
NAMED = ("cic", "clinc150", "banking77")
CJK_SHARE_FOR_ZH = 0.2


class DatasetError(ValueError):
    """The data set cannot be loaded; the message says what to change."""


@dataclass
class NluDataset:
    name: str
    language: str
    train: Optional[TrainingData]  # None for k-fold data (see ``folds``)
    test: Optional[TrainingData]
    everything: Optional[TrainingData] = None  # k-fold data
    calibration: Optional[TrainingData] = None  # held-out data for the out-of-scope threshold
    oos_label: Optional[str] = None
    notes: List[str] = field(default_factory=list)


def training_data(pairs: Sequence[Tuple[str, str]]) -> TrainingData:
    return TrainingData([Message(data={"text": text, "intent": intent}) for text, intent in pairs])


def guess_language(texts: Sequence[str]) -> str:
    sample = "".join(texts[:500])
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in sample)
    return "zh" if sample and cjk / len(sample) >= CJK_SHARE_FOR_ZH else "en"


def _folder(name: str, files: Sequence[str]) -> Path:
    folder = datasets_dir() / name
    missing = [f for f in files if not (folder / f).is_file()]
    if missing:
        raise DatasetError(f"data set {name!r} not found: expected {', '.join(missing)} in {folder} "
                           f"(set KEFU_DATASETS to the folder holding the public data sets)")
    return folder


def _json_lines(path: Path) -> List[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_cic() -> NluDataset:
    folder = _folder("cic", ("train.json", "dev.json", "test_public.json"))
    train = [(row["sentence"], f"cic_{row['label']}") for name in ("train.json", "dev.json")
             for row in _json_lines(folder / name)]
    test = [(row["sentence"], f"cic_{row['label']}") for row in _json_lines(folder / "test_public.json")]
    return NluDataset("cic", "zh", training_data(train), training_data(test),
                      notes=["train = train.json + dev.json as given (with their label noise)"])


def load_clinc150() -> NluDataset:
    data = json.loads((_folder("clinc150", ("data_full.json",)) / "data_full.json").read_text(encoding="utf-8"))

    def split(in_scope: str, oos: str) -> TrainingData:
        return training_data([(t, i) for t, i in data[in_scope]] + [(t, "oos") for t, _ in data[oos]])

    return NluDataset("clinc150", "en", split("train", "oos_train"), split("test", "oos_test"),
                      calibration=split("val", "oos_val"), oos_label="oos")


def load_banking77() -> NluDataset:
    folder = _folder("banking77", ("train.csv", "test.csv"))

    def rows(name: str) -> List[Tuple[str, str]]:
        with open(folder / name, encoding="utf-8", newline="") as handle:
            return [(row["text"], row["category"]) for row in csv.DictReader(handle)]

    return NluDataset("banking77", "en", training_data(rows("train.csv")), training_data(rows("test.csv")))


def load_path(path: Path) -> NluDataset:
    from rasa.shared.nlu.training_data.loading import load_data

    if not path.exists():
        raise DatasetError(f"--dataset {path}: no such file or folder; use cic, clinc150, banking77 or "
                           f"a Rasa NLU YAML file/folder")
    data = load_data(str(path))
    if not data.intent_examples:
        raise DatasetError(f"--dataset {path}: no intent examples found (is it Rasa NLU YAML?)")
    intents = {m.get("intent") for m in data.intent_examples}
    language = guess_language([m.get("text") for m in data.intent_examples])
    return NluDataset(str(path), language, None, None, everything=data,
                      oos_label="out_of_scope" if "out_of_scope" in intents else None)


def load_dataset(name: str) -> NluDataset:
    loaders = {"cic": load_cic, "clinc150": load_clinc150, "banking77": load_banking77}
    if name in loaders:
        return loaders[name]()
    path = Path(name)
    return load_path(path if path.is_absolute() or path.exists() else REPO / path)


def _sample_per_intent(data: TrainingData, how_many: Callable[[int], int], seed: int) -> TrainingData:
    """``how_many(n)`` of each intent's n examples, a stable random choice (intents in sorted order)."""
    by_intent: Dict[str, List[Message]] = defaultdict(list)
    for message in data.intent_examples:
        by_intent[message.get("intent")].append(message)
    rng = random.Random(seed)
    chosen = [m for intent in sorted(by_intent)
              for m in rng.sample(by_intent[intent], how_many(len(by_intent[intent])))]
    return with_examples(data, chosen)


def subsample(data: TrainingData, per_intent: int, seed: int = 42) -> TrainingData:
    """At most ``per_intent`` examples of each intent (a stable random choice), for --quick."""
    return _sample_per_intent(data, lambda n: min(per_intent, n), seed)


def check_fraction(fraction: float) -> None:
    """--train-fraction must be a share: above 0 and at most 1."""
    if not 0 < fraction <= 1:
        raise DatasetError(f"--train-fraction {fraction}: give a share above 0 and at most 1, such as 0.5")


def stratified_fraction(data: TrainingData, fraction: float, seed: int = 42) -> TrainingData:
    """A stable random ``fraction`` of each intent's examples, at least one each (a learning curve's point).

    Rounded per intent, so every intent keeps its share and none vanishes from a small training part."""
    check_fraction(fraction)
    return _sample_per_intent(data, lambda n: max(1, round(fraction * n)), seed)


def stratified_folds(data: TrainingData, folds: int, seed: int = 42) -> List[Tuple[TrainingData, TrainingData]]:
    """k (train, test) splits stratified by intent, reproducible (Rasa's own generator is not)."""
    from sklearn.model_selection import StratifiedKFold

    examples = data.intent_examples
    labels = [m.get("intent") for m in examples]
    smallest = min(labels.count(label) for label in set(labels))
    if smallest < 2:
        raise DatasetError("every intent needs at least 2 examples for k-fold evaluation")
    splitter = StratifiedKFold(n_splits=min(folds, smallest), shuffle=True, random_state=seed)

    def part(indices: Sequence[int]) -> TrainingData:
        return with_examples(data, [examples[i] for i in indices])

    return [(part(train), part(test)) for train, test in splitter.split(examples, labels)]


def with_examples(data: TrainingData, examples: Sequence[Message]) -> TrainingData:
    """Some of ``data``'s examples, with its synonyms, regexes and lookup tables kept."""
    return TrainingData(list(examples), entity_synonyms=data.entity_synonyms, regex_features=data.regex_features,
                        lookup_tables=data.lookup_tables)


def without_intent(data: TrainingData, intent: str) -> TrainingData:
    """The training part with one intent's examples left out: an open-set test of that intent."""
    return with_examples(data, [m for m in data.intent_examples if m.get("intent") != intent])
