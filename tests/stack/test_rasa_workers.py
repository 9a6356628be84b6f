"""`rasa.workers: 2`: two real Rasa processes behind the gateway, each serving its share of the
conversations, multi-turn flows intact, and both stopped with the stack (a StackRunner in this
process; `kefu up` runs the same one, see test_shutdown.py for `kefu up` as a process)."""
from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.gateway.rasa_client import shard_of
from bot.ports import port_is_free
from bot.stack_process import process_group_alive
from bot.stack_runner import StackRunner
from tests.stack.test_scenarios import Customer


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), to see which Rasa process did the work."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def order_status_conversation(customer: Customer) -> tuple[str, str]:
    return customer.says("帮我查下订单HW2026110001到哪了"), customer.says("5678")


def test_two_rasa_processes_share_the_conversations(tmp_path: Path) -> None:
    stack = StackRunner.on_free_ports(tmp_path, rasa_workers=2)
    try:
        stack.start()
        pids = stack.service_pids()
        assert {"rasa", "rasa-2"} <= set(pids)
        # identified customers, whose bot sender is their account id: a guest's is random, and the
        # shard is chosen by the bot sender (the accounts are unknown to the shop: the phone check still runs)
        senders = [f"workers-{number}" for number in range(40)]
        chosen = [s for s in senders if shard_of(s, 2) == 0][:3] + [s for s in senders if shard_of(s, 2) == 1][:3]
        before = {name: cpu_seconds(pids[name]) for name in ("rasa", "rasa-2")}
        with ThreadPoolExecutor(max_workers=6) as pool:
            answers = list(pool.map(order_status_conversation, [Customer(stack, account=sender) for sender in chosen]))
        used = {name: cpu_seconds(pids[name]) - before[name] for name in ("rasa", "rasa-2")}
        for asked, shown in answers:
            assert "后四位" in asked, asked
            assert "HW2026110001" in shown and "已发货" in shown, shown
        # Six two-turn conversations, three per process: each process parsed and predicted its own
        # (about 0.2 s of CPU per turn here, first turns included); an idle Rasa process uses next to none.
        assert used["rasa"] > 0.3 and used["rasa-2"] > 0.3, used
        assert stack.stop()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(process_group_alive(pids[n]) for n in ("rasa", "rasa-2")):
            time.sleep(0.2)
        assert not process_group_alive(pids["rasa"]) and not process_group_alive(pids["rasa-2"])
        assert all(port_is_free(stack.config.host, port) for port in stack.config.rasa_ports())
    finally:
        stack.stop()
