"""Ctrl-C or SIGTERM on `kefu up` stops every service and frees every port."""
from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from bot.ports import port_is_free
from bot.stack_process import process_group_alive, start_stack


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_signal_stops_all_services_and_leaves_no_process(tmp_path: Path, sig: signal.Signals) -> None:
    stack = start_stack(tmp_path)
    pids = stack.service_pids()
    assert set(pids) == {"supervisor", "rasa", "actions", "gateway"}
    assert all(process_group_alive(pids[name]) for name in ("rasa", "actions", "gateway"))
    assert stack.stop(sig) == 0
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(process_group_alive(pids[n]) for n in ("rasa", "actions", "gateway")):
        time.sleep(0.2)
    left = [name for name in ("rasa", "actions", "gateway") if process_group_alive(pids[name])]
    assert left == [], f"still running after {sig.name}: {left}"
    config = stack.config
    assert all(port_is_free(config.host, getattr(config.ports, name)) for name in ("rasa", "actions", "gateway"))
    assert "all services stopped" in "".join(stack.output)
