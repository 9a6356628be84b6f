"""`kefu bench load`: the full-stack load run, then the same non-knowledge turns through the gateway
and straight to plain Rasa's REST channel (same Rasa server, model and action server), for the
framework-overhead ratio.

Phases, each bounded by `duration_s` (the comparison phases by `compare_s`) and `max_turns`:
  1. kefu, full mix      gateway -> Rasa -> actions (knowledge over the `index_size` index); customers
                         pause `think_s` on average after each answer: the latency customers see
  2. kefu, no knowledge  the same mix minus knowledge conversations, through the gateway, closed loop
  3. plain Rasa          phase 2's conversations straight to Rasa's REST channel, closed loop
Phases 2 and 3 have no pauses, so they measure capacity: the throughput ratio is kefu's overhead.
"""
from __future__ import annotations

import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bot.config import load_config
from bot.environments import CODE_ROOT
from eval.bench.conversations import DEFAULT_MIX, without_knowledge
from eval.bench.load import Phase, run_phase_sync
from eval.bench.machine import describe, load_average
from eval.bench.stack import Targets, bench_runner, targets_of
from eval.bench.synthetic_index import ensure_synthetic_index

Say = Callable[[str], None]


@dataclass(frozen=True)
class LoadOptions:
    customers: int = 20
    duration_s: float = 300
    compare_s: float = 300
    index_size: int = 100_000
    mix: tuple[tuple[str, int], ...] = tuple(DEFAULT_MIX.items())
    max_turns: int = 1_000_000
    warm_up_s: float = 5.0
    think_s: float = 5.0
    embed_sample: int = 2000
    model: Path | None = None
    rasa_workers: int | None = None  # None: kefu.yml's rasa.workers


def run_phases(targets: Targets, options: LoadOptions, say: Say) -> list[dict[str, Any]]:
    mix = dict(options.mix)
    phases = [(Phase("kefu-mixed", "gateway", targets.gateway, mix, options.think_s), options.duration_s)]
    plain_mix = without_knowledge(mix)
    phases += [(Phase("kefu-no-knowledge", "gateway", targets.gateway, plain_mix), options.compare_s),
               (Phase("plain-rasa", "rasa", targets.rasa, plain_mix), options.compare_s)]
    results = []
    for number, (phase, seconds) in enumerate(phases, 1):
        _drain(targets, say)
        pace = f"{phase.think_s:g} s think time" if phase.think_s else "closed loop"
        say(f"phase {number}/{len(phases)} {phase.label}: {options.customers} customers for {seconds:.0f} s, {pace} "
            f"({phase.channel}, {', '.join(f'{k}={v}' for k, v in phase.mix.items())})")
        result = run_phase_sync(phase, options.customers, seconds, targets.pids, max_turns=options.max_turns,
                                warm_up_s=options.warm_up_s, seed=number, progress=say)
        result["load_after"] = load_average()
        say(f"phase {phase.label}: {result['turns']} turns, {result['turns_per_s']:.1f} turns/s, "
            f"{result['errors']} errors")
        knowledge = result["by_kind"].get("knowledge", {}).get("n", 0)
        if phase.channel == "gateway" and knowledge and result["knowledge_cited"] < knowledge / 2:
            say(f"only {result['knowledge_cited']} of {knowledge} knowledge turns were answered from the index: "
                "this model's NLU sends those questions elsewhere (see eval/bench/conversations.py)")
        results.append(result)
    return results


def _drain(targets: Targets, say: Say, timeout_s: float = 300) -> None:
    """Wait until every Rasa process has worked off what the previous phase left queued (it keeps
    processing turns whose clients gave up): one more turn answered means the queue before it is empty."""
    started = time.monotonic()
    for url in targets.rasa_all:
        try:
            httpx.post(f"{url}/webhooks/rest/webhook", json={"sender": "bench-drain", "message": "你好"},
                       timeout=timeout_s, trust_env=False).raise_for_status()
        except httpx.HTTPError as error:
            say(f"Rasa at {url} did not answer a drain turn ({type(error).__name__}); the next phase starts anyway")
    if time.monotonic() - started > 2:
        say(f"waited {time.monotonic() - started:.0f} s for Rasa to work off the previous phase's backlog")


def answered_per_s(phase: dict[str, Any]) -> float:
    """Throughput counts answered turns only: a turn that failed or timed out is not served."""
    answered = sum(stats["n"] for stats in phase["by_kind"].values())
    return answered / phase["measured_s"] if phase["measured_s"] > 0 else 0.0


def summarise(phases: list[dict[str, Any]]) -> dict[str, Any]:
    """Throughput ratio kefu/plain (answered turns/s) on the same non-knowledge turns."""
    by_label = {phase["label"]: phase for phase in phases}
    kefu, plain = by_label.get("kefu-no-knowledge"), by_label.get("plain-rasa")
    ratio = answered_per_s(kefu) / answered_per_s(plain) if kefu and plain and answered_per_s(plain) else None
    return {"throughput_ratio": ratio, "errors": sum(phase["errors"] for phase in phases)}


def run_load(options: LoadOptions, results_dir: Path, say: Say, argv: list[str]) -> dict[str, Any]:
    """Build (or reuse) the index, start the stack, run every phase, stop the stack."""
    machine = describe()
    project = load_config(CODE_ROOT / "kefu.yml")
    knowledge, index = ensure_synthetic_index(
        options.index_size, results_dir, project.path(project.paths.knowledge), project.retrieval,
        options.embed_sample, say)
    started = time.monotonic()
    workers = options.rasa_workers or project.rasa.workers
    with bench_runner(results_dir / "run" / time.strftime("%Y%m%d-%H%M%S"), knowledge, index, say,
                      rasa_workers=workers, model=options.model) as stack:
        targets = targets_of(stack.start(knowledge_timeout_s=1800))
        startup_s = time.monotonic() - started
        phases = run_phases(targets, options, say)
    machine["load_end"] = load_average()
    return {"kind": "load", "command": "kefu bench " + shlex.join(argv), "machine": machine,
            "options": {**options.__dict__, "mix": dict(options.mix), "model": str(options.model or ""),
                        "rasa_workers": workers},
            "index_size": options.index_size,
            "model": stack.model_path.name if stack.model_path else "", "stack_startup_s": startup_s,
            "phases": phases, "summary": summarise(phases)}
