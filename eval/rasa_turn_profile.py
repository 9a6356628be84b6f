"""Where one Rasa turn's time goes, in process: NLU parse, policy predictions, tracker load and save,
actions. A benchmark for the Rasa environment (Python 3.10), run from the repository root:

    <rasa python> -m eval.rasa_turn_profile --model var/models/kefu-….tar.gz [--rounds 6] [--json-out FILE]

It loads the model with Rasa's own Agent and an SQLite tracker store (as endpoints.yml has), sends
short conversations of turns answered by responses alone (no action server needed), one message at
a time after a warm-up, and times Rasa's own MessageProcessor steps by wrapping them. The rest of
a turn (event bookkeeping, the graph's glue) is the difference between the total and the steps.
Why: the load benchmark (`kefu bench load`) shows turn latency under load; this shows what one
turn costs with no queue, which bounds what any load can achieve on the machine.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

# Turns a shop customer sends that the demo bot answers with a response (no custom action).
TURNS = ["你好", "你们几点上班", "谢谢", "发票怎么开", "你是机器人吗", "好的", "再见"]
STEPS = {"parse_message": ("parse", True), "_predict_next_with_tracker": ("predict", False),
         "fetch_tracker_and_update_session": ("tracker fetch", True), "save_tracker": ("tracker save", True),
         "_run_action": ("run actions", True)}


def _instrument(processor_class: type, seconds: Dict[str, float], calls: Dict[str, int]) -> None:
    """Wraps the processor's steps so each call adds its wall time to `seconds[step]`."""
    for method, (step, is_async) in STEPS.items():
        original = getattr(processor_class, method)

        def wrapper(original: Callable = original, step: str = step, is_async: bool = is_async) -> Callable:
            if is_async:
                async def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
                    started = time.perf_counter()
                    try:
                        return await original(self, *args, **kwargs)
                    finally:
                        seconds[step] += time.perf_counter() - started
                        calls[step] += 1
            else:
                def timed(self: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
                    started = time.perf_counter()
                    try:
                        return original(self, *args, **kwargs)
                    finally:
                        seconds[step] += time.perf_counter() - started
                        calls[step] += 1
            return timed

        setattr(processor_class, method, wrapper())


def _summary(values: List[float]) -> Dict[str, float]:
    ordered = sorted(values)
    return {"median_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 2),
            "mean_ms": round(statistics.mean(ordered) * 1000, 2)}


async def profile(model: Path, rounds: int) -> Dict[str, Any]:
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage
    from rasa.core.processor import MessageProcessor
    from rasa.core.tracker_store import SQLTrackerStore

    seconds: Dict[str, float] = defaultdict(float)
    calls: Dict[str, int] = defaultdict(int)
    _instrument(MessageProcessor, seconds, calls)
    with tempfile.TemporaryDirectory(prefix="kefu-turn-profile-") as tmp:
        store = SQLTrackerStore(dialect="sqlite", db=str(Path(tmp) / "tracker.db"))
        agent = Agent.load(str(model), tracker_store=store)
        for text in TURNS[:3]:
            await agent.handle_message(UserMessage(text, sender_id="warm-up"))
        totals: List[float] = []
        per_step: Dict[str, List[float]] = defaultdict(list)
        predictions: List[int] = []
        answered = 0
        for number in range(rounds):
            for text in TURNS:
                seconds.clear()
                calls.clear()
                started = time.perf_counter()
                replies = await agent.handle_message(UserMessage(text, sender_id=f"customer-{number}"))
                totals.append(time.perf_counter() - started)
                answered += bool(replies)
                for step, _ in STEPS.values():
                    per_step[step].append(seconds.get(step, 0.0))
                predictions.append(calls.get("predict", 0))
    steps = {step: _summary(values) for step, values in per_step.items()}
    other = [total - sum(per_step[step][i] for step in per_step) for i, total in enumerate(totals)]
    steps["other"] = _summary(other)
    return {"model": model.name, "turns": len(totals), "answered": answered, "total": _summary(totals),
            "steps": steps, "predictions_per_turn": statistics.mean(predictions)}


def print_report(report: Dict[str, Any]) -> None:
    total = report["total"]
    print(f"{report['turns']} turns ({report['answered']} answered), model {report['model']}: "
          f"median {total['median_ms']} ms, p95 {total['p95_ms']} ms; "
          f"{report['predictions_per_turn']:.1f} policy predictions per turn")
    for step, figures in report["steps"].items():
        print(f"  {step:<14} median {figures['median_ms']:>7.2f} ms   mean {figures['mean_ms']:>7.2f} ms")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.rasa_turn_profile", description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True, help="a trained model (.tar.gz)")
    parser.add_argument("--rounds", type=int, default=6, help=f"conversations of {len(TURNS)} turns (default 6)")
    parser.add_argument("--json-out", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not args.model.is_file():
        parser.error(f"--model {args.model}: no such file; train with ./kefu train")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    report = asyncio.run(profile(args.model, args.rounds))
    print_report(report)
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
