"""`kefu chat` as a person uses it: typed lines in, the bot's replies out, through the real stack."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid

from bot.stack_process import RunningStack
from bot.stack_runner import REPO


def chat(stack: RunningStack, sender: str, lines: list[str]) -> str:
    config_file = stack.config.root / "kefu.yml"
    result = subprocess.run([sys.executable, "-m", "bot", "--config", str(config_file), "chat", "--sender", sender],
                            input="\n".join([*lines, "/quit"]) + "\n", capture_output=True, text=True,
                            timeout=300, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_order_status_in_the_terminal_chat(running_stack: RunningStack) -> None:
    sender = f"terminal-test-{uuid.uuid4().hex[:6]}"
    output = chat(running_stack, sender, ["你好", "查一下订单HW2026110001", "5678"])
    assert "小优 > " in output and "好物优选" in output
    assert "HW2026110001" in output and "已发货" in output, output


def test_a_later_chat_continues_the_same_conversation(running_stack: RunningStack) -> None:
    sender = f"terminal-test-{uuid.uuid4().hex[:6]}"
    chat(running_stack, sender, ["查一下订单HW2026110001"])
    later = chat(running_stack, sender, ["5678"])
    assert "HW2026110001" in later and "已发货" in later, "the token kept by kefu chat continues the form"
