"""Where one Rasa turn's time goes, in process: NLU parse, policy predictions, tracker load and save,
actions. A benchmark for the Rasa environment (Python 3.10), run from the repository root:

    <rasa python> -m eval.bench.rasa_turn_profile --model var/models/kefu-….tar.gz [--rounds 6] [--json-out FILE]
        [--actions http://127.0.0.1:5055/webhook]

It loads the model with Rasa's own Agent and an SQLite tracker store (as endpoints.yml has), sends
short conversations of turns answered by responses alone, one message at a time after a warm-up,
and times Rasa's own MessageProcessor steps by wrapping them. The rest of a turn (event
bookkeeping, the graph's glue) is the difference between the total and the steps.
With `--actions` (the action server of a running stack, e.g. `./kefu up`) the custom actions run
too: the per-turn emotion check (a custom slot mapping, so one action-server call after every
message) and an order lookup form with its shop-database checks (`FORM_TURNS`), reported apart.
`remote calls` counts the action-server round trips and their time, which is part of
`run actions` (and of `other`, where Rasa extracts slots). Rasa runs as `kefu up` runs it, with
rasa_plugins/runtime/action_response_check.py installed; `--stock-rasa` leaves Rasa's own check in.
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
TURNS = ["你好", "你会唱歌吗", "谢谢", "发票怎么开", "你是机器人吗", "好的", "再见"]
# With an action server: the load benchmark's order-status conversation (order HW2026110001, phone
# tail 5678 in the demo shop database).
FORM_TURNS = ["帮我查下订单HW2026110001到哪了", "5678", "谢谢"]
STEPS = {"parse_message": ("parse", True), "_predict_next_with_tracker": ("predict", False),
         "fetch_tracker_and_update_session": ("tracker fetch", True), "save_tracker": ("tracker save", True),
         "_run_action": ("run actions", True)}


REMOTE_CALLS = "remote calls"


def _wrap_timed(owner: type, method: str, step: str, is_async: bool, seconds: Dict[str, float],
                calls: Dict[str, int]) -> None:
    """Replaces `owner.method` so each call adds its wall time to `seconds[step]` and counts in `calls`."""
    original: Callable = getattr(owner, method)
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
    setattr(owner, method, timed)


def _instrument(seconds: Dict[str, float], calls: Dict[str, int]) -> None:
    """Times the processor's steps (STEPS) and every action-server round trip (RemoteAction.run)."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor

    for method, (step, is_async) in STEPS.items():
        _wrap_timed(MessageProcessor, method, step, is_async, seconds, calls)
    _wrap_timed(RemoteAction, "run", REMOTE_CALLS, True, seconds, calls)


def _summary(values: List[float]) -> Dict[str, float]:
    ordered = sorted(values)
    return {"median_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 2),
            "mean_ms": round(statistics.mean(ordered) * 1000, 2)}


async def _run_turns(agent: Any, scripts: Dict[str, List[str]], rounds: int, seconds: Dict[str, float],
                     calls: Dict[str, int]) -> Dict[str, Any]:
    from rasa.core.channels.channel import UserMessage

    totals: List[float] = []
    per_step: Dict[str, List[float]] = defaultdict(list)
    predictions: List[int] = []
    remote_seconds: List[float] = []
    remote_calls: List[int] = []
    answered = 0
    for number in range(rounds):
        for name, turns in scripts.items():
            for text in turns:
                seconds.clear()
                calls.clear()
                started = time.perf_counter()
                replies = await agent.handle_message(UserMessage(text, sender_id=f"{name}-{number}"))
                totals.append(time.perf_counter() - started)
                answered += bool(replies)
                for step, _ in STEPS.values():
                    per_step[step].append(seconds.get(step, 0.0))
                predictions.append(calls.get("predict", 0))
                remote_seconds.append(seconds.get(REMOTE_CALLS, 0.0))
                remote_calls.append(calls.get(REMOTE_CALLS, 0))
    steps = {step: _summary(values) for step, values in per_step.items()}
    other = [total - sum(per_step[step][i] for step in steps) for i, total in enumerate(totals)]
    steps["other"] = _summary(other)
    return {"turns": len(totals), "answered": answered, "total": _summary(totals), "steps": steps,
            "predictions_per_turn": statistics.mean(predictions),
            "remote_calls": dict(_summary(remote_seconds), per_turn=statistics.mean(remote_calls))}


async def profile(model: Path, rounds: int, actions_url: Optional[str] = None,
                  stock_rasa: bool = False) -> Dict[str, Any]:
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.utils.endpoints import EndpointConfig

    seconds: Dict[str, float] = defaultdict(float)
    calls: Dict[str, int] = defaultdict(int)
    if not stock_rasa:
        from rasa_plugins.runtime import action_response_check

        action_response_check.install()
    _instrument(seconds, calls)
    with tempfile.TemporaryDirectory(prefix="kefu-turn-profile-") as tmp:
        store = SQLTrackerStore(dialect="sqlite", db=str(Path(tmp) / "tracker.db"))
        endpoint = EndpointConfig(url=actions_url) if actions_url else None
        agent = Agent.load(str(model), tracker_store=store, action_endpoint=endpoint)
        for text in TURNS[:3] + (FORM_TURNS if actions_url else []):
            await agent.handle_message(UserMessage(text, sender_id="warm-up"))
        report = await _run_turns(agent, {"customer": TURNS}, rounds, seconds, calls)
        report["model"] = model.name
        report["actions"] = actions_url
        report["stock_rasa"] = stock_rasa
        if actions_url:
            report["form"] = await _run_turns(agent, {"order-lookup": FORM_TURNS}, rounds, seconds, calls)
    return report


def print_report(report: Dict[str, Any]) -> None:
    print(f"model {report['model']}, action server: {report['actions'] or 'none (custom actions fail and are skipped)'}"
          f", {'stock Rasa' if report['stock_rasa'] else 'Rasa as kefu up runs it'}")
    for title, part in (("turns answered by responses", report), ("order lookup form turns", report.get("form"))):
        if not part:
            continue
        total, remote = part["total"], part["remote_calls"]
        print(f"{title}: {part['turns']} turns ({part['answered']} answered): median {total['median_ms']} ms, "
              f"p95 {total['p95_ms']} ms; {part['predictions_per_turn']:.1f} policy predictions and "
              f"{remote['per_turn']:.1f} action-server calls per turn")
        for step, figures in part["steps"].items():
            print(f"  {step:<14} median {figures['median_ms']:>7.2f} ms   mean {figures['mean_ms']:>7.2f} ms")
        print(f"  {'(remote calls)':<14} median {remote['median_ms']:>7.2f} ms   mean {remote['mean_ms']:>7.2f} ms")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench.rasa_turn_profile", description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True, help="a trained model (.tar.gz)")
    parser.add_argument("--rounds", type=int, default=6, help=f"conversations of {len(TURNS)} turns (default 6)")
    parser.add_argument("--json-out", type=Path, help="also write the figures here")
    parser.add_argument("--actions", help="the action server's webhook URL of a running stack; adds the "
                                          "custom actions and the order lookup form turns")
    parser.add_argument("--stock-rasa", action="store_true",
                        help="without Kefu's once-compiled check of action-server replies (for comparison)")
    args = parser.parse_args(argv)
    if not args.model.is_file():
        parser.error(f"--model {args.model}: no such file; train with ./kefu train")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    report = asyncio.run(profile(args.model, args.rounds, args.actions, args.stock_rasa))
    print_report(report)
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
