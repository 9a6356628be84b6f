"""The blind risk set (eval/data/blind_risk): messages written by helpers shown only the service
playbook and docs/shop-facts.md, frozen with SHA256SUMS before any risk tuning (like the blind
conversation sets, eval/loaders/blind.py). Each message has the playbook risk class a careful agent
sees in it, or `none`; hard `none` messages may carry `context:` (new_address, product, name) when
they are the customer's answer to the bot's question, i.e. a slot value.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.risk import NONE, RISK_CLASSES
from eval.loaders import LoaderError
from eval.loaders.blind import DATA, SUMS_FILE, frozen_sums, sha256_of

BLIND_RISK = DATA / "blind_risk"
CONTEXTS = ("new_address", "product", "name")


@dataclass(frozen=True)
class RiskMessage:
    id: str
    text: str
    risk: str
    context: str | None
    writer: str


def load_blind_risk(folder: Path = BLIND_RISK) -> list[RiskMessage]:
    sums = frozen_sums(folder)
    files = sorted(folder.glob("*.yml"))
    if sorted(sums) != [file.name for file in files]:
        raise LoaderError(f"{folder}: the files {[f.name for f in files]} are not the frozen ones {sorted(sums)}")
    messages = []
    for file in files:
        if sha256_of(file) != sums[file.name]:
            raise LoaderError(f"{file} changed since the set was frozen (sha256 differs from {SUMS_FILE}); "
                              "a blind set is never edited: write a new one")
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        writer = str(data.get("writer") or file.stem)
        for raw in data.get("messages") or []:
            if raw.get("risk") not in (NONE, *RISK_CLASSES) or not str(raw.get("text") or "").strip():
                raise LoaderError(f"{file.name} {raw.get('id')}: needs `text:` and a `risk:` of {NONE}, {RISK_CLASSES}")
            if raw.get("context") not in (None, *CONTEXTS):
                raise LoaderError(f"{file.name} {raw.get('id')}: context {raw.get('context')!r} is not one of {CONTEXTS}")
            messages.append(RiskMessage(str(raw["id"]), str(raw["text"]), raw["risk"], raw.get("context"), writer))
    return messages
