"""The asyncio load generator: N simulated customers, each running scripted conversations
back to back against the gateway or plain Rasa's REST channel.

With ``think_s`` 0 the loop is closed (the next turn leaves as soon as the answer arrives): that
measures capacity. With ``think_s`` > 0 each customer pauses a random 0.5–1.5 × ``think_s`` after
every answer, as a person reading it and typing the next message does: that measures the latency
customers of N open conversations see.

One phase is bounded by time (`duration_s`) and by count (`max_turns`); turns that start during
the first `warm_up_s` are sent but not counted. While it runs, the RSS of every server process
(with its children) is sampled, for the flat-memory check.
"""
from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import psutil

from bot.config import load_config
from bot.environments import CODE_ROOT
from eval.bench.conversations import GROUPS, KINDS, Script, ScriptPicker, Turn
from eval.bench.stats import summary

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Phase:
    label: str
    channel: str  # "gateway" (POST /api/chat) or "rasa" (POST /webhooks/rest/webhook)
    base_url: str
    mix: dict[str, int]
    think_s: float = 0.0  # mean pause after each answer; 0 = closed loop


@dataclass
class Recorder:
    warm_up_until: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    errors: list[str] = field(default_factory=list)
    conversations: int = 0
    knowledge_cited: int = 0

    def record(self, turn: Turn, started: float, seconds: float, error: str | None) -> None:
        if started < self.warm_up_until:
            return
        if error:
            self.errors.append(f"{turn.kind} turn {turn.text!r}: {error}")
        else:
            self.latencies[turn.kind].append(seconds)

    @property
    def turns(self) -> int:
        return sum(len(v) for v in self.latencies.values()) + len(self.errors)


ERROR_TEXT = load_config(CODE_ROOT / "kefu.yml").retrieval.texts.error
"""What the bench's stack (the project's retrieval settings, eval/bench/stack.py) says when
retrieval fails or times out."""


def gateway_problem(turn: Turn, status: int, body: Any) -> str | None:
    """What is wrong with a gateway answer, or None. Degraded answers are failures too."""
    if status != 200:
        return f"HTTP {status}: {str(body)[:120]}"
    if body.get("degraded"):
        return "degraded answer (Rasa or an action was too slow or down)"
    texts = [m.get("text") or "" for m in body.get("messages", [])]
    if turn.kind == "handoff":
        return None if body.get("mode") in ("queued", "human") else f"handoff not queued (mode {body.get('mode')})"
    if not body.get("messages"):
        return "no answer"
    if turn.kind == "knowledge" and any(ERROR_TEXT in text for text in texts):
        return "the knowledge service failed or timed out"
    return None


def _cites(body: Any) -> bool:
    """Whether an answer carries knowledge-base citations (i.e. retrieval answered it)."""
    messages = body.get("messages", []) if isinstance(body, dict) else body if isinstance(body, list) else []
    return any(isinstance(m, dict) and (m.get("custom") or {}).get("citations") for m in messages)


def rasa_problem(turn: Turn, status: int, body: Any) -> str | None:
    if status != 200:
        return f"HTTP {status}: {str(body)[:120]}"
    return None if isinstance(body, list) and body else "no answer"


async def _customer(number: int, phase: Phase, client: httpx.AsyncClient, recorder: Recorder,
                    stop: asyncio.Event, budget: list[int], seed: int) -> None:
    picker = ScriptPicker(phase.mix, seed * 1000 + number)
    pauses = random.Random(seed * 1000 + number)
    path, check = (("/api/chat", gateway_problem) if phase.channel == "gateway"
                   else ("/webhooks/rest/webhook", rasa_problem))
    while not stop.is_set():
        script: Script = picker.next()
        sender = f"bench-{phase.label}-{seed}-{number}-{recorder.conversations}"
        recorder.conversations += 1
        token: str | None = None
        for turn in script.turns:
            if stop.is_set() or budget[0] <= 0:
                stop.set()
                return
            budget[0] -= 1
            payload: dict[str, Any] = {"sender": sender, "message": turn.text}
            if token:
                payload["token"] = token
            started = time.perf_counter()
            try:
                response = await client.post(path, json=payload)
                body = response.json()
                error = check(turn, response.status_code, body)
            except (httpx.HTTPError, ValueError) as failure:
                body, error = {}, f"{type(failure).__name__}: {failure}"
            recorder.record(turn, started, time.perf_counter() - started, error)
            if isinstance(body, dict):
                token = token or body.get("token")
            if turn.kind == "knowledge" and started >= recorder.warm_up_until and _cites(body):
                recorder.knowledge_cited += 1
            if phase.think_s > 0:
                try:
                    await asyncio.wait_for(stop.wait(), pauses.uniform(0.5, 1.5) * phase.think_s)
                except asyncio.TimeoutError:
                    pass


def process_tree_usage(pid: int) -> tuple[float, float]:
    """RSS (MB) and CPU seconds of a process and its children (a server may fork workers); 0 once gone."""
    try:
        process = psutil.Process(pid)
        tree = [process, *process.children(recursive=True)]
        return (sum(p.memory_info().rss for p in tree) / 2**20, sum(sum(p.cpu_times()[:2]) for p in tree))
    except psutil.Error:
        return 0.0, 0.0


async def _sample_memory(pids: dict[str, int], samples: list[dict[str, float]], started: float,
                         stop: asyncio.Event, every_s: float) -> None:
    while not stop.is_set():
        sample = {"t": time.perf_counter() - started}
        for name, pid in pids.items():
            sample[name], sample[f"{name}_cpu_s"] = process_tree_usage(pid)
        samples.append(sample)
        try:
            await asyncio.wait_for(stop.wait(), every_s)
        except asyncio.TimeoutError:
            pass


async def _report_progress(phase: Phase, recorder: Recorder, started: float, duration_s: float,
                           stop: asyncio.Event, progress: Progress) -> None:
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), 10)
        except asyncio.TimeoutError:
            elapsed = time.perf_counter() - started
            progress(f"{phase.label}: {elapsed:5.0f}/{duration_s:.0f} s, {recorder.turns} turns, "
                     f"{len(recorder.errors)} errors")


async def run_phase(phase: Phase, customers: int, duration_s: float, pids: dict[str, int],
                    max_turns: int = 1_000_000, warm_up_s: float = 5.0, seed: int = 0,
                    timeout_s: float = 60.0, progress: Progress = lambda _: None) -> dict[str, Any]:
    """Run one phase and return its figures (see `phase_result`)."""
    started = time.perf_counter()
    recorder = Recorder(warm_up_until=started + warm_up_s)
    stop, budget, memory = asyncio.Event(), [max_turns], []
    limits = httpx.Limits(max_connections=customers + 2, max_keepalive_connections=customers + 2)
    async with httpx.AsyncClient(base_url=phase.base_url, timeout=timeout_s, limits=limits, trust_env=False) as client:
        helpers = [asyncio.create_task(_sample_memory(pids, memory, started, stop, max(1.0, duration_s / 60))),
                   asyncio.create_task(_report_progress(phase, recorder, started, duration_s, stop, progress))]
        workers = [asyncio.create_task(_customer(n, phase, client, recorder, stop, budget, seed))
                   for n in range(customers)]
        try:
            await asyncio.wait_for(asyncio.gather(*workers), timeout=duration_s)
        except asyncio.TimeoutError:
            pass  # the time bound: in-flight turns are cancelled and not counted
        finally:
            stop.set()
            for task in workers + helpers:
                task.cancel()
            await asyncio.gather(*workers, *helpers, return_exceptions=True)
    elapsed = time.perf_counter() - started - warm_up_s
    return phase_result(phase, customers, elapsed, recorder, memory)


def memory_trend(samples: list[dict[str, float]], name: str) -> dict[str, float]:
    """Start, end and growth of one server's RSS (means of the first and last fifth of the samples),
    and the share of one core it used over the phase (which server is the bottleneck)."""
    kept = [s for s in samples if s.get(name)]
    values = [s[name] for s in kept]
    cpu = 0.0
    if len(kept) >= 2 and kept[-1]["t"] > kept[0]["t"]:
        cpu = (kept[-1].get(f"{name}_cpu_s", 0.0) - kept[0].get(f"{name}_cpu_s", 0.0)) / (kept[-1]["t"] - kept[0]["t"])
    if len(values) < 2:
        return {"start_mb": values[0] if values else 0.0, "end_mb": values[-1] if values else 0.0, "growth_pct": 0.0,
                "cpu_pct": 0.0}
    fifth = max(1, len(values) // 5)
    start, end = sum(values[:fifth]) / fifth, sum(values[-fifth:]) / fifth
    return {"start_mb": start, "end_mb": end, "growth_pct": (end - start) / start * 100 if start else 0.0,
            "cpu_pct": cpu * 100}


def phase_result(phase: Phase, customers: int, elapsed_s: float, recorder: Recorder,
                 memory: list[dict[str, float]]) -> dict[str, Any]:
    by_kind = {kind: summary(values) for kind, values in recorder.latencies.items() if values}
    by_group = {group: summary([v for kind in kinds for v in recorder.latencies[kind]])
                for group, kinds in GROUPS.items() if any(recorder.latencies[kind] for kind in kinds)}
    names = [key for key in (memory[0] if memory else {}) if key != "t" and not key.endswith("_cpu_s")]
    return {
        "label": phase.label, "channel": phase.channel, "mix": phase.mix, "customers": customers,
        "think_s": phase.think_s,
        "measured_s": elapsed_s, "turns": recorder.turns, "conversations": recorder.conversations,
        "turns_per_s": recorder.turns / elapsed_s if elapsed_s > 0 else 0.0,
        "knowledge_cited": recorder.knowledge_cited, "errors": len(recorder.errors),
        "error_examples": sorted(set(recorder.errors))[:5],
        "by_kind": by_kind, "by_group": by_group,
        "latencies_ms": {kind: [round(v * 1000, 1) for v in values] for kind, values in recorder.latencies.items()},
        "memory": {"samples": memory, "trend": {name: memory_trend(memory, name) for name in names}},
    }


def run_phase_sync(*args: Any, **kwargs: Any) -> dict[str, Any]:
    return asyncio.run(run_phase(*args, **kwargs))
