"""The benchmark's and the tests' stack configuration: free ports, a consecutive run for Rasa."""
from __future__ import annotations

import socket
from pathlib import Path

from bot.config import load_config
from bot.ports import free_stack_ports
from eval.bench.stack import write_bench_config


def test_free_stack_ports_give_each_service_its_own_free_ports() -> None:
    for workers in (1, 2, 4):
        ports = free_stack_ports(workers)
        rasa = list(range(ports["rasa"], ports["rasa"] + workers))
        every = [ports["gateway"], ports["actions"], *rasa]
        assert len(set(every)) == len(every)
        for port in every:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", port))  # raises if taken


def test_bench_config_with_two_rasa_workers_is_valid(tmp_path: Path) -> None:
    path = write_bench_config(tmp_path / "run", tmp_path / "knowledge", tmp_path / "index", rasa_workers=2)
    config = load_config(path)
    assert config.rasa.workers == 2 and len(config.rasa_urls()) == 2
    assert config.gateway.rate_limit_per_minute == 1_000_000
