"""The stack under load: Rasa, action server and gateway on free loopback ports, started by the
same StackRunner as `kefu up` (bot/stack_runner.py) but pointed at a benchmark index.

`kefu up` itself re-indexes `paths.knowledge` before starting; the benchmark instead points the
action server at a prepared folder pair (knowledge + index) so a 100k-chunk index is built once
and reused. Everything the run writes (databases, logs) goes into its own folder.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.stack_runner import StackRunner


@dataclass
class Targets:
    """Where the load goes: the gateway's chat API, Rasa's REST channel, and the server pids."""

    gateway: str
    rasa: str  # the first Rasa process: the plain-Rasa baseline talks to it alone
    pids: dict[str, int]
    rasa_all: tuple[str, ...] = ()


def bench_options(knowledge: Path, index: Path) -> dict[str, Any]:
    """`write_stack_config` options for a benchmark: its knowledge and index folders, the project's
    retrieval settings, no per-sender rate limit (the load is ours)."""
    return {"knowledge": knowledge, "index": index, "rate_limit": False}  # retrieval: the project's, as every stack


def bench_runner(folder: Path, knowledge: Path, index: Path, say: Callable[[str], None],
                 rasa_workers: int = 1, model: Path | None = None) -> StackRunner:
    """A StackRunner serving the prepared index as it is. `model`: a trained model to serve;
    None trains one for the current bot if there is none."""
    return StackRunner.on_free_ports(folder, rasa_workers, **bench_options(knowledge, index), say=say,
                                     model=model, build_index=False)


def targets_of(runner: StackRunner) -> Targets:
    return Targets(runner.gateway, runner.rasa, runner.service_pids(with_supervisor=False),
                   tuple(runner.config.rasa_urls()))
