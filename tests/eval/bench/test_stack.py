"""The benchmark's and the tests' stack configuration: free ports, a consecutive run for Rasa,
one config writer with options."""
from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from bot.config import load_config
from bot.ports import free_stack_ports
from bot.stack_runner import REPO, StackRunner, load_free_port_config, write_stack_config
from eval.bench.stack import bench_options, bench_runner


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
    path = write_stack_config(tmp_path / "run", 2, **bench_options(tmp_path / "knowledge", tmp_path / "index"))
    config = load_config(path)
    assert config.rasa.workers == 2 and len(config.rasa_urls()) == 2
    assert config.gateway.rate_limit_per_minute == 1_000_000
    assert config.path(config.paths.index) == (tmp_path / "index").resolve()
    assert config.retrieval == load_config(REPO / "kefu.yml").retrieval


def test_test_config_serves_the_project_bot_and_keeps_its_files_in_the_folder(tmp_path: Path) -> None:
    config = load_config(write_stack_config(tmp_path / "run"))
    project = load_config(REPO / "kefu.yml")
    assert config.persona == project.persona and config.retrieval == project.retrieval  # who the bot is
    assert config.rasa.ready_timeout_s == 900 and config.rasa.workers == 1
    assert config.path(config.paths.var) == (tmp_path / "run" / "var").resolve()
    assert config.path(config.paths.knowledge) == REPO / "knowledge"
    assert config.path(config.paths.index) == REPO / "var" / "index"
    assert config.gateway.rate_limit_per_minute != 1_000_000, "the tests keep the product's rate limit"


def test_free_port_config_ignores_port_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_PORT_GATEWAY", "1")
    path = write_stack_config(tmp_path)
    config = load_free_port_config(path)
    assert config.ports.gateway != 1
    assert load_config(path).ports.gateway == 1, "plain load_config still honours KEFU_PORT_*"
    assert os.environ["KEFU_PORT_GATEWAY"] == "1"


def test_bench_runner_serves_a_given_model_and_the_prepared_index(tmp_path: Path) -> None:
    model = tmp_path / "kefu-x.tar.gz"
    runner = bench_runner(tmp_path / "run", tmp_path / "knowledge", tmp_path / "index", say=print, model=model)
    assert isinstance(runner, StackRunner)
    assert runner.model == model and runner.build_index is False
    assert runner.config_path == (tmp_path / "run" / "kefu.yml").resolve()
    assert runner.stop() is False, "nothing started, nothing to stop"


def test_stack_runner_starts_waits_writes_pids_and_stops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The mechanism itself, with stand-in servers for Rasa, the action server and the gateway."""
    import json
    import sys

    from bot import stack_runner
    from bot.stack_process import process_group_alive
    from bot.supervisor import ServiceSpec

    def stand_ins(config, model_path: Path) -> list[ServiceSpec]:
        ports = {"rasa": config.ports.rasa, "actions": config.ports.actions, "gateway": config.ports.gateway}
        logs = config.path(config.paths.var) / "logs"
        return [ServiceSpec(name, [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                            f"http://127.0.0.1:{port}/", logs / f"{name}.log", cwd=tmp_path)
                for name, port in ports.items()]

    monkeypatch.setattr(stack_runner, "stack_services", stand_ins)
    said: list[str] = []
    runner = StackRunner.on_free_ports(tmp_path / "run", say=said.append, model=tmp_path / "kefu-x.tar.gz",
                                       build_index=False)
    with runner:
        runner.start()
        pids = runner.service_pids()
        written = json.loads((runner.config.path(runner.config.paths.var) / "run" / "stack.json").read_text())
        assert written == pids and set(pids) == {"supervisor", "rasa", "actions", "gateway"}
        assert all(process_group_alive(pids[name]) for name in ("rasa", "actions", "gateway"))
        assert runner.first_exited() is None
        assert said[0] == "model kefu-x.tar.gz (given)"
        assert {line.split()[0] for line in said[1:]} == {"rasa", "actions", "gateway"}, said
    assert not any(process_group_alive(pids[name]) for name in ("rasa", "actions", "gateway"))
    assert runner.stop() is False
