"""`kefu eval risk`: the gateway's risk check (bot/risk/detector.py) on data it never saw.

- The blind risk set (eval/loaders/blind_risk.py): recall on risky messages, per playbook class;
  false alarms on its hard ordinary messages, and on those that are slot values (addresses,
  products, names given in answer to the bot), where the target is 0.
- CIC test_public's ordinary messages (labels without distress, models/risk_data.py): false alarms
  over ordinary shop messages. The classifier was trained on CIC train and calibrated on CIC dev.
- Slot values as the gateway sees them: an answer to a form's request for a slot of
  `gateway.value_slots` (an address) is not read for risk, so a `new_address` message counts as
  not flagged; products and names are read like any message. `false_alarms/slot_values_if_read`
  is the detector alone on all of them.
- The words-only baseline (the gateway before issue 26: substring risk words) on the same data.

`--risk-set eval/data/blind_risk_dev` reads the dev set (tune there; its metrics are prefixed
`blind_risk_dev/`, except CIC's).
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from bot.config import GatewaySettings
from bot.environments import datasets_dir
from bot.handoff import GATEWAY_RISK_WORDS
from bot.risk import RISK_CLASSES
from bot.risk.detector import RiskDetector
from eval.loaders.blind_risk import BLIND_RISK, load_blind_risk
from eval.suites.context import EvalContext, SuiteSkipped, named_for_its_set, progress
from models.risk_data import AMBIGUOUS_CIC_LABELS


def cic_test_ordinary() -> list[str]:
    path = datasets_dir() / "cic" / "test_public.json"
    if not path.is_file():
        raise SuiteSkipped(f"{path} is missing (../shared/datasets/cic)")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row["sentence"] for row in rows if row["label_des"] not in AMBIGUOUS_CIC_LABELS]


def _rate(values: list[bool]) -> float:
    return round(sum(values) / len(values), 4) if values else float("nan")


def run(ctx: EvalContext) -> dict[str, Any]:
    folder = Path(ctx.option("risk_set", BLIND_RISK))
    blind = load_blind_risk(folder)
    ordinary = cic_test_ordinary()
    detector = RiskDetector(GATEWAY_RISK_WORDS)
    value_contexts = set(GatewaySettings().value_slots)
    progress(f"risk: {len(blind)} blind messages, {len(ordinary)} ordinary CIC test messages")
    results = []
    for message in blind:
        finding = detector.assess(message.text)
        results.append({"id": message.id, "text": message.text, "expected": message.risk, "context": message.context,
                        "flagged": finding is not None, "found": finding.risk_class if finding else None,
                        "evidence": finding.evidence if finding else None,
                        "substring_words": any(w in message.text for w in GATEWAY_RISK_WORDS)})
    ordinary_flags = []
    for number, text in enumerate(ordinary, 1):
        finding = detector.assess(text)
        ordinary_flags.append({"text": text, "flagged": finding is not None,
                               "evidence": finding.evidence if finding else None})
        if number % 500 == 0:
            progress(f"risk: {number}/{len(ordinary)} ordinary messages")
    risky = [r for r in results if r["expected"] != "none"]
    calm = [r for r in results if r["expected"] == "none"]
    by_class: dict[str, list[bool]] = defaultdict(list)
    for r in risky:
        by_class[r["expected"]].append(r["flagged"])
    metrics = {"recall": _rate([r["flagged"] for r in risky]),
               "false_alarms/blind_ordinary": _rate([r["flagged"] for r in calm]),
               "false_alarms/slot_values": float(sum(r["flagged"] for r in calm
                                                     if r["context"] and r["context"] not in value_contexts)),
               "false_alarms/slot_values_if_read": float(sum(r["flagged"] for r in calm if r["context"])),
               "false_alarms/cic_test": _rate([f["flagged"] for f in ordinary_flags]),
               "baseline_words_recall": _rate([r["substring_words"] for r in risky]),
               "baseline_words_false_alarms/blind_ordinary": _rate([r["substring_words"] for r in calm])}
    metrics.update({f"recall/{name}": _rate(by_class[name]) for name in RISK_CLASSES})
    metrics = named_for_its_set(metrics, folder, BLIND_RISK, folder.name, shared=("false_alarms/cic_test",))
    return {"status": "ok", "metrics": metrics, "counts": {"risky": len(risky), "ordinary_blind": len(calm),
                                                            "slot_values": sum(bool(r["context"]) for r in calm),
                                                            "cic_test": len(ordinary_flags)},
            "failures": [r for r in results if r["flagged"] != (r["expected"] != "none")]
            + [f for f in ordinary_flags if f["flagged"]]}
