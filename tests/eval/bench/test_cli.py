"""`kefu bench` arguments: help, and one-line errors that say what to change."""
from __future__ import annotations

import subprocess
import sys

import pytest

from bot.stack_runner import REPO
from eval.bench.cli import main


def test_help_lists_the_sub_commands() -> None:
    done = subprocess.run([sys.executable, "-m", "bot", "bench", "--help"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert all(name in done.stdout for name in ("retrieval", "load", "all", "startup", "gateway"))


@pytest.mark.parametrize("argv, says", [
    (["load", "--customers", "0"], "--customers: must be between 1 and 500"),
    (["retrieval", "--sizes", "10,abc"], "--sizes: expected whole numbers"),
    (["retrieval", "--sizes", "50"], "between 100 and 1000000"),
    (["load", "--mix", "faq=2,gossip=1"], "unknown conversation 'gossip'"),
    (["load", "--mix", "knowledge=1"], "needs at least one conversation without knowledge turns"),
    (["load", "--duration", "soon"], "--duration: expected a number"),
    (["fly"], "invalid choice: 'fly'"),
    (["gateway", "--messages", "5"], "--messages: must be between 10 and 100000"),
])
def test_bad_arguments_give_one_line(argv: list[str], says: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err, err


def test_the_kefu_command_delegates_bad_arguments_too() -> None:
    done = subprocess.run([sys.executable, "-m", "bot", "bench", "load", "--index-size", "-5"], cwd=REPO,
                          capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "--index-size" in done.stderr, done.stderr


def test_gateway_overhead_runs_real_servers_and_prints_both_sides(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gateway", "--messages", "30", "--senders", "3"]) == 0
    out = capsys.readouterr().out
    for line in ("direct to responder", "through the gateway", "gateway overhead"):
        assert line in out and "p95" in out
