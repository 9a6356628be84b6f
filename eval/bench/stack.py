"""The stack under load: Rasa, action server and gateway on free loopback ports, started with the
same service descriptions as `kefu up` (bot/stack.py) but pointed at a benchmark index.

`kefu up` itself re-indexes `paths.knowledge` before starting; the benchmark instead points the
action server at a prepared folder pair (knowledge + index) so a 100k-chunk index is built once
and reused. Everything the run writes (databases, logs) goes into its own folder.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.config import KefuConfig, load_config
from bot.environments import CODE_ROOT
from bot.ports import free_stack_ports
from bot.stack import stack_services
from bot.supervisor import ServiceGroup, StartupError, tail
from bot.training import ensure_trained

KNOWLEDGE_READY = "knowledge service ready"
KNOWLEDGE_FAILED = "knowledge service could not warm up"


@dataclass
class Targets:
    """Where the load goes: the gateway's chat API, Rasa's REST channel, and the server pids."""

    gateway: str
    rasa: str  # the first Rasa process: the plain-Rasa baseline talks to it alone
    pids: dict[str, int]
    rasa_all: tuple[str, ...] = ()


def write_bench_config(folder: Path, knowledge: Path, index: Path, rasa_workers: int = 1) -> Path:
    """A kefu.yml using the project's bot on free ports; no per-sender rate limit (the load is ours)."""
    folder, knowledge, index = folder.resolve(), knowledge.resolve(), index.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    settings = {
        "ports": free_stack_ports(rasa_workers),
        "paths": {"var": str(folder / "var"), "models": str(CODE_ROOT / "var" / "models"),
                  "knowledge": str(knowledge), "index": str(index)},
        "rasa": {"domain": str(CODE_ROOT / "domain.yml"), "config": str(CODE_ROOT / "config.yml"),
                 "endpoints": str(CODE_ROOT / "endpoints.yml"), "credentials": str(CODE_ROOT / "credentials.yml"),
                 "training_data": [str(CODE_ROOT / "nlu_data"), str(CODE_ROOT / "stories")],
                 "ready_timeout_s": 900, "workers": rasa_workers},
        "gateway": {"rate_limit_per_minute": 1_000_000},
        "retrieval": dict(load_config(CODE_ROOT / "kefu.yml").retrieval),  # the project's retrieval settings
    }
    path = folder / "kefu.yml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path


def wait_for_knowledge(log: Path, timeout_s: float, exited: Callable[[], str | None] = lambda: None) -> None:
    """The action server loads (and checks) its index in the background: wait for its log line."""
    started = time.monotonic()
    while True:
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        if KNOWLEDGE_READY in text:
            return
        if KNOWLEDGE_FAILED in text:
            raise StartupError(f"the action server could not load the index; last lines of {log}:\n{tail(log)}")
        if exited():
            raise StartupError(f"{exited()} exited; see {log.parent}")
        if time.monotonic() - started > timeout_s:
            raise StartupError(f"the knowledge index was not loaded after {timeout_s:.0f} s; see {log}")
        time.sleep(1)


class BenchStack:
    """Start with `start()`, always `stop()` (a `with` block does both)."""

    def __init__(self, folder: Path, knowledge: Path, index: Path, say: Callable[[str], None],
                 rasa_workers: int = 1) -> None:
        self.config_path = write_bench_config(folder, knowledge, index, rasa_workers)
        self.config: KefuConfig = load_config(self.config_path)
        self.say = say
        self.group: ServiceGroup | None = None
        self.model_name = ""

    def start(self, model: Path | None = None, knowledge_timeout_s: float = 1800) -> Targets:
        """`model`: a trained model to serve; None trains one for the current bot if there is none."""
        model_path = model or ensure_trained(self.config).model_path
        self.model_name = model_path.name
        self.say(f"model {model_path.name}; starting Rasa, action server and gateway")
        services = stack_services(self.config, model_path)
        for spec in services:  # the action server reads its retrieval settings from this config file
            spec.env["KEFU_CONFIG"] = str(self.config_path)
        self.group = ServiceGroup(services)
        self.group.start()
        self.group.wait_healthy(self.config.rasa.ready_timeout_s,
                                on_ready=lambda spec, s: self.say(f"{spec.name} ready after {s:.1f} s"))
        self._wait_for_knowledge(knowledge_timeout_s)
        return Targets(self.config.url("gateway"), self.config.url("rasa"),
                       {name: process.pid for name, process in self.group.processes.items()},
                       tuple(self.config.rasa_urls()))

    def _wait_for_knowledge(self, timeout_s: float) -> None:
        started = time.monotonic()
        wait_for_knowledge(self.config.path(self.config.paths.var) / "logs" / "actions.log", timeout_s,
                           lambda: self.group.first_exited() if self.group else None)
        self.say(f"knowledge index loaded after {time.monotonic() - started:.1f} s")

    def stop(self) -> None:
        if self.group is not None:
            self.group.stop()
            self.group = None

    def __enter__(self) -> "BenchStack":
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
