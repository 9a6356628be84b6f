"""`kefu eval handoff`: the hand-off decision against a labelled set (eval/data/handoff_labels.jsonl
or `--handoff FILE`), through the gateway: the bot's own hand-off action and the gateway's risk
words both count. A conversation is handed off when the gateway reports mode queued/human after
any of its messages (the remaining messages are not sent). Positive class: should hand off."""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from eval.loaders.handoff_labels import DEFAULT_LABELS, LabelledConversation, load_handoff_labels
from eval.suites.context import EvalContext, progress
from eval.suites.live import LiveStack, bot_text, handed_off
from eval.suites.metrics import binary_scores


def play(live: LiveStack, item: LabelledConversation, sender: str) -> dict[str, Any]:
    transcript, at_turn = [], None
    for number, message in enumerate(item.conversation, start=1):
        response = live.chat("handoff", sender, message)
        transcript.append({"user": message, "bot": bot_text(response), "mode": response.get("mode")})
        if handed_off(response):
            at_turn = number
            break
    return {"id": item.id, "should_handoff": item.should_handoff, "handed_off": at_turn is not None,
            "at_turn": at_turn, "note": item.note, "transcript": transcript,
            "correct": (at_turn is not None) == item.should_handoff}


def run(ctx: EvalContext) -> dict[str, Any]:
    items = load_handoff_labels(Path(ctx.option("handoff", DEFAULT_LABELS)))
    live, run_id = ctx.live(), uuid.uuid4().hex[:8]
    progress(f"handoff: {len(items)} labelled conversations through the gateway")
    results = [play(live, item, f"eval-ho-{run_id}-{i}") for i, item in enumerate(items)]
    scores = binary_scores([r["should_handoff"] for r in results], [r["handed_off"] for r in results])
    metrics = {key: scores[key] for key in ("precision", "recall", "f1", "accuracy")}
    return {"status": "ok", "metrics": metrics, "confusion": {k: scores[k] for k in ("tp", "fp", "fn", "tn")},
            "conversations": len(results), "results": results,
            "failures": [r for r in results if not r["correct"]]}
