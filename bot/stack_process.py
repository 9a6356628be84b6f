"""`kefu up` itself as a process: the tests of its signals, shutdown and output, and the start-up
benchmark, run the product rather than a `StackRunner` in their own process."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.config import KefuConfig
from bot.stack_runner import (
    READY_MARKER,
    REPO,
    StackUrls,
    actions_log,
    load_free_port_config,
    wait_for_knowledge,
    write_stack_config,
)
from bot.supervisor import StartupError
from bot.training import ensure_trained


@dataclass
class RunningStack(StackUrls):
    """`kefu up` running in a subprocess (see `start_stack`), with everything it printed."""

    config: KefuConfig
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)

    def service_pids(self) -> dict[str, int]:
        pid_file = self.config.path(self.config.paths.var) / "run" / "stack.json"
        return json.loads(pid_file.read_text(encoding="utf-8"))

    def wait_for_knowledge(self, timeout_s: float) -> None:
        wait_for_knowledge(actions_log(self.config), timeout_s,
                           lambda: "kefu up" if self.process.poll() is not None else None)

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout_s: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=timeout_s)


def start_stack(folder: Path, timeout_s: float = 900, rasa_workers: int = 1, train_first: bool = True,
                **config_options: Any) -> RunningStack:
    """Run `kefu up` (the product: a StackRunner in the foreground) on free ports in a subprocess
    and return once it prints that it is ready; raise StartupError with its output otherwise.

    config_options: see `write_stack_config`. With train_first, the model is trained first,
    outside the readiness timeout: after a change to the NLU data a fresh clone trains for about
    6 minutes on an idle 2-core box, but for more than the whole timeout when another torch job
    shares the box, and `kefu up` would then be reported as never becoming ready.
    """
    config_path = write_stack_config(folder, rasa_workers, **config_options)
    config = load_free_port_config(config_path)
    if train_first:
        ensure_trained(config)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_PORT_")}
    env["PYTHONPATH"] = str(REPO)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(config_path), "up"], cwd=REPO, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    stack = RunningStack(config, process)
    ready = threading.Event()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            stack.output.append(line)
            if READY_MARKER in line:
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + timeout_s
    while not ready.is_set():
        if process.poll() is not None or time.monotonic() > deadline:
            stack.stop(signal.SIGTERM) if process.poll() is None else None
            raise StartupError("kefu up did not become ready:\n" + "".join(stack.output[-60:]))
        time.sleep(0.5)
    return stack


def process_group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
