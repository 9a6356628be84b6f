"""Blind evaluation sets: conversations and near-miss questions written by people who never saw the
bot's training data, stories, tests or knowledge phrasings (docs/evaluation.md, "Blind sets").

A set is frozen: `SHA256SUMS` beside its files records each file's hash when it was committed, and
`load_blind_set` refuses a file whose bytes changed, so a set cannot be tuned to silently. The test
sets judge; only the dev set (`eval/data/blind_dev/`) may be used to choose data, rules or thresholds.

Conversation files (`writer:` and `conversations:`), each turn with the route a careful agent takes::

    conversations:
    - id: W1-task-004
      category: task                 # knowledge, task, escalation, adversarial, off_domain, small_talk, english
      sender: u10002                 # optional: a customer the shop's site has identified
      turns:
      - user: 帮我看看订单到哪了
        expect: {route: task, contains_any: [订单号], not_contains: [], handoff: false}

Near-miss files (`writer:` and `questions:`): `{id, question, near_topic, why_not_answered}`: a question
whose nearest knowledge item is related but does not answer it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from eval.loaders import LoaderError

DATA = Path(__file__).resolve().parents[1] / "data"
BLIND_TEST = DATA / "blind"
BLIND_DEV = DATA / "blind_dev"
CATEGORIES = ("knowledge", "task", "escalation", "adversarial", "off_domain", "small_talk", "english")
ROUTES = ("answer", "task", "handoff", "clarify", "out_of_scope", "smalltalk", "refuse")
EXPECT_KEYS = ("route", "contains_any", "not_contains", "handoff")
SUMS_FILE = "SHA256SUMS"


@dataclass(frozen=True)
class BlindTurn:
    user: str
    route: str
    contains_any: tuple[str, ...] = ()
    not_contains: tuple[str, ...] = ()
    handoff: bool | None = None


@dataclass(frozen=True)
class BlindConversation:
    id: str
    category: str
    writer: str
    turns: tuple[BlindTurn, ...]
    sender: str | None = None
    note: str = ""


@dataclass(frozen=True)
class NearMissQuestion:
    id: str
    question: str
    near_topic: str
    why_not_answered: str
    writer: str


@dataclass
class BlindSet:
    folder: Path
    conversations: list[BlindConversation] = field(default_factory=list)
    near_misses: list[NearMissQuestion] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def frozen_sums(folder: Path) -> dict[str, str]:
    """file name -> sha256 recorded when the set was frozen."""
    sums_path = folder / SUMS_FILE
    if not sums_path.is_file():
        raise LoaderError(f"{folder} has no {SUMS_FILE}: a blind set is frozen with its hashes when it is committed")
    sums = {}
    for line in sums_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            sums[name.strip()] = digest
    return sums


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(item, (str, int, float)) and str(item).strip() for item in values):
        raise LoaderError(f"{where}: expected a list of non-empty strings, got {value!r}")
    return tuple(str(item) for item in values)


def _turn(raw: Any, where: str) -> BlindTurn:
    if not isinstance(raw, dict) or "user" not in raw or not isinstance(raw.get("expect"), dict):
        raise LoaderError(f"{where}: every turn needs `user:` and `expect:`")
    expect = raw["expect"]
    unknown = sorted(set(expect) - set(EXPECT_KEYS))
    if unknown:
        raise LoaderError(f"{where}: unknown expect key(s) {unknown}; use {', '.join(EXPECT_KEYS)}")
    if expect.get("route") not in ROUTES:
        raise LoaderError(f"{where}: route {expect.get('route')!r} is not one of {', '.join(ROUTES)}")
    if expect.get("handoff") is not None and not isinstance(expect["handoff"], bool):
        raise LoaderError(f"{where}: `handoff` must be true or false")
    return BlindTurn(str(raw["user"] if raw["user"] is not None else ""), expect["route"],
                     _strings(expect.get("contains_any"), f"{where} contains_any"),
                     _strings(expect.get("not_contains"), f"{where} not_contains"), expect.get("handoff"))


def _conversation(raw: Any, writer: str, where: str) -> BlindConversation:
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("turns"):
        raise LoaderError(f"{where}: every conversation needs `id:` and `turns:`")
    if raw.get("category") not in CATEGORIES:
        raise LoaderError(f"{where} {raw['id']}: category {raw.get('category')!r} is not one of {', '.join(CATEGORIES)}")
    turns = tuple(_turn(turn, f"{where} {raw['id']} turn {i}") for i, turn in enumerate(raw["turns"], 1))
    return BlindConversation(str(raw["id"]), raw["category"], writer, turns,
                             str(raw["sender"]) if raw.get("sender") else None, str(raw.get("note") or ""))


def _near_miss(raw: Any, writer: str, where: str) -> NearMissQuestion:
    keys = ("id", "question", "near_topic", "why_not_answered")
    if not isinstance(raw, dict) or not all(str(raw.get(key) or "").strip() for key in keys):
        raise LoaderError(f"{where}: every near-miss question needs {', '.join(keys)}")
    return NearMissQuestion(*(str(raw[key]) for key in keys), writer=writer)


def load_blind_set(folder: Path, check_hashes: bool = True) -> BlindSet:
    """Every YAML file of a blind set folder, checked against its frozen hashes."""
    if not folder.is_dir():
        raise LoaderError(f"blind set folder {folder} does not exist")
    files = sorted(folder.glob("*.yml"))
    sums = frozen_sums(folder) if check_hashes else {}
    if check_hashes and sorted(sums) != [file.name for file in files]:
        raise LoaderError(f"{folder}: the files {[f.name for f in files]} are not the frozen ones {sorted(sums)}")
    loaded = BlindSet(folder)
    for file in files:
        if check_hashes and sha256_of(file) != sums[file.name]:
            raise LoaderError(f"{file} changed since the set was frozen (sha256 differs from {SUMS_FILE}); "
                              "a blind set is never edited: write a new one")
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        writer = str(data.get("writer") or file.stem)
        loaded.conversations += [_conversation(raw, writer, file.name) for raw in data.get("conversations") or []]
        loaded.near_misses += [_near_miss(raw, writer, file.name) for raw in data.get("questions") or []]
    ids = [c.id for c in loaded.conversations] + [q.id for q in loaded.near_misses]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise LoaderError(f"{folder}: ids used twice: {', '.join(duplicates[:5])}")
    return loaded
