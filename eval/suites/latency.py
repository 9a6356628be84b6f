"""`kefu eval latency`: per-turn p50/p95 of the live turns the other suites made (gateway turns:
what a customer waits for; Rasa REST turns: story replays). Run alone, it plays the scripted
dialogues to have turns to measure."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from eval.loaders.dialogues import DEFAULT_DIALOGUES, load_dialogues
from eval.suites.context import EvalContext, progress
from eval.suites.conversations import run_dialogue
from eval.suites.metrics import percentile

BINS = 20


def histogram(seconds: list[float], bins: int = BINS) -> dict[str, Any]:
    if not seconds:
        return {"edges": [], "counts": []}
    low, high = 0.0, max(seconds) * 1.0001
    width = high / bins
    counts = [0] * bins
    for value in seconds:
        counts[min(int(value / width), bins - 1)] += 1
    return {"edges": [round(low + i * width, 4) for i in range(bins + 1)], "counts": counts}


def summary(seconds: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(seconds, 50) * 1000, 1), "p95_ms": round(percentile(seconds, 95) * 1000, 1),
            "max_ms": round(max(seconds) * 1000, 1), "turns": len(seconds)}


def run(ctx: EvalContext) -> dict[str, Any]:
    live = ctx.live()
    if not live.timings:
        progress("latency: no live turns yet; playing the scripted dialogues")
        for i, dialogue in enumerate(load_dialogues(Path(ctx.option("dialogues", DEFAULT_DIALOGUES)))):
            run_dialogue(live, dialogue, f"eval-lat-{id(live)}-{i}")
    gateway = [t.seconds for t in live.timings if t.suite != "stories"]
    rasa = [t.seconds for t in live.timings if t.suite == "stories"]
    metrics = {f"gateway_{k}": v for k, v in summary(gateway).items()}
    if rasa:
        metrics.update({f"rasa_rest_{k}": v for k, v in summary(rasa).items()})
    slowest = sorted(live.timings, key=lambda t: -t.seconds)[:8]
    return {"status": "ok", "metrics": metrics, "histogram": histogram(gateway),
            "slowest": [{"suite": t.suite, "message": t.message, "ms": round(t.seconds * 1000, 1)} for t in slowest]}
