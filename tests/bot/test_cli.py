"""The `kefu` command line as a user runs it: real processes, real sockets."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def kefu(*args: str, env: dict[str, str] | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})


def test_busy_port_is_a_one_line_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = kefu("up", env={"KEFU_PORT_RASA": str(port), "KEFU_RASA_PYTHON": sys.executable})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [f"kefu: port {port} (rasa) on 127.0.0.1 is already in use: stop what uses it "
                     f"or set ports.rasa in kefu.yml (or KEFU_PORT_RASA)"]


def test_invalid_config_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "kefu.yml"
    bad.write_text("ports:\n  rasa: [1]\n", encoding="utf-8")
    result = kefu("--config", str(bad), "train")
    assert result.returncode == 1
    assert result.stderr.strip() == "kefu: kefu.yml > ports > rasa: expected a whole number, got [1]"


def test_missing_rasa_environment_says_how_to_fix_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "KEFU_RASA_PYTHON"}
    (tmp_path / "kefu.yml").write_text("", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "bot", "--config", str(tmp_path / "kefu.yml"), "setup"],
                            cwd=REPO, capture_output=True, text=True, timeout=60, env={**env, "PYTHONPATH": str(REPO)})
    assert result.returncode == 1
    assert "run commands through ./kefu" in result.stderr


def test_no_train_without_a_model_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "kefu.yml"
    config.write_text(f"paths: {{models: {tmp_path / 'models'}}}\nrasa:\n  domain: {REPO / 'domain.yml'}\n", encoding="utf-8")
    ports = {f"KEFU_PORT_{name}": str(20000 + offset + os.getpid() % 1000 * 3)
             for offset, name in enumerate(("GATEWAY", "RASA", "ACTIONS"))}
    result = kefu("--config", str(config), "up", "--no-train", env=ports)
    assert result.returncode == 1
    assert "no trained model for the current data" in result.stderr and "run `kefu train`" in result.stderr


def test_test_command_passes_pytest_options_through() -> None:
    result = kefu("test", "-q", "--co", "tests/bot/test_fingerprint.py")
    assert result.returncode == 0, result.stderr
    assert "3 tests collected" in result.stdout


def test_every_command_in_the_table_has_help_and_is_listed() -> None:
    from bot.cli import COMMANDS, build_parser

    names = [command.name for command in COMMANDS]
    assert sorted(names) == sorted(["setup", "up", "train", "index", "chat", "identity", "test", "eval", "bench", "data"])
    assert len(set(names)) == len(names)
    usage = build_parser().format_help()
    for command in COMMANDS:
        assert command.help.strip() and command.help in " ".join(usage.split()), command.name
        assert callable(command.run)


@pytest.mark.parametrize("name", ["setup", "up", "train", "index", "chat", "identity", "test", "eval", "bench", "data"])
def test_every_command_answers_help(name: str) -> None:
    result = kefu(name, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout and name in result.stdout.split("\n", 1)[0], result.stdout[:300]
