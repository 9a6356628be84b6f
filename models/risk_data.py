"""Training data of the risk classifier (models/train_risk.py).

- models/data/risk_examples*.yml: messages written from the playbook's high-risk situations, per
  class, plus hard ordinary ones (rule questions, withdrawn threats, alarming product and street
  names). Two writers (helpers), each shown only the playbook and docs/shop-facts.md, never the
  blind risk set (eval/data/blind_risk).
- the bot's own NLU examples (nlu_data/, every intent but complaint and request_human) as ordinary
  messages in this shop's voice;
- the blind dev conversations' turns that a careful agent keeps with the bot (eval/data/blind_dev,
  the set tuning may use) for the threshold only;
- CIC (../shared/datasets/cic) train as ordinary shop messages (`none`), dev for the threshold:
  every label except those that can carry distress (AMBIGUOUS_CIC_LABELS), which are left out of
  both. CIC test_public is never read here: `kefu eval risk` reports false alarms on it.
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.environments import datasets_dir
from bot.risk import NONE, RISK_CLASSES

DATA = Path(__file__).resolve().parent / "data"
EXAMPLE_FILES = (DATA / "risk_examples.yml", DATA / "risk_examples_more.yml", DATA / "risk_examples_r3.yml")
AMBIGUOUS_CIC_LABELS = frozenset({"买家表达不满/生气", "买家表示伤心难过", "买家要求补偿", "买家反馈收到的商品有问题"})


NLU_DATA = Path(__file__).resolve().parents[1] / "nlu_data"
RISKY_INTENTS = frozenset({"complaint", "request_human"})
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass
class Examples:
    texts: list[str]
    labels: list[str]


def written_examples(paths: tuple[Path, ...] = EXAMPLE_FILES) -> Examples:
    texts, labels = [], []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        classes = data.get("classes") or {}
        unknown = sorted(set(classes) - {NONE, *RISK_CLASSES})
        if unknown:
            raise ValueError(f"{path}: unknown class(es) {unknown}; use {NONE} or one of {RISK_CLASSES}")
        for name, messages in classes.items():
            for message in messages or []:
                if str(message) not in texts:
                    texts.append(str(message))
                    labels.append(name)
    return Examples(texts, labels)


def nlu_ordinary(folder: Path = NLU_DATA) -> list[str]:
    """The bot's NLU examples of every intent that carries no risk, entity annotations removed."""
    texts = []
    for path in sorted(folder.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" in item and item["intent"] not in RISKY_INTENTS:
                for line in str(item.get("examples") or "").splitlines():
                    line = line.strip()
                    if line.startswith("- "):
                        texts.append(_ANNOTATION.sub(r"\1", line[2:]))
    return texts


def blind_dev_kept_turns() -> list[str]:
    """The blind dev set's customer turns that a careful agent keeps with the bot (threshold only)."""
    from eval.loaders.blind import BLIND_DEV, load_blind_set

    return [turn.user for conversation in load_blind_set(BLIND_DEV).conversations for turn in conversation.turns
            if turn.route != "handoff" and turn.user.strip()]


def cic_ordinary(split: str, datasets: Path | None = None) -> list[str]:
    """CIC messages of a split whose label carries no distress (see AMBIGUOUS_CIC_LABELS)."""
    if split == "test_public":
        raise ValueError("CIC test_public is the report's data; train and calibrate on train and dev")
    path = (datasets or datasets_dir()) / "cic" / f"{split}.json"
    texts = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["label_des"] not in AMBIGUOUS_CIC_LABELS and row["sentence"].strip():
                texts.append(row["sentence"])
    return texts


def split_held_out(examples: Examples, fraction: float, seed: int) -> tuple[Examples, Examples]:
    """A per-class random split: (fit, held out)."""
    rng = random.Random(seed)
    fit, held = Examples([], []), Examples([], [])
    for name in sorted(set(examples.labels)):
        items = [t for t, label in zip(examples.texts, examples.labels) if label == name]
        rng.shuffle(items)
        cut = int(round(len(items) * fraction))
        held.texts += items[:cut]
        held.labels += [name] * cut
        fit.texts += items[cut:]
        fit.labels += [name] * (len(items) - cut)
    return fit, held
