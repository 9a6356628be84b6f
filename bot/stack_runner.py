"""Start the real stack (`kefu up`: Rasa, action server, gateway) on free ports for a test."""
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

import yaml

from bot.config import KefuConfig, load_config
from bot.ports import free_stack_ports
from bot.training import ensure_trained

REPO = Path(__file__).resolve().parents[1]
READY_MARKER = "Kefu is ready"


def write_test_config(folder: Path, rasa_workers: int = 1) -> Path:
    """A kefu.yml that uses the project's bot but keeps everything the stack writes in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = {
        "ports": free_stack_ports(rasa_workers),
        "paths": {
            "var": str(folder / "var"),
            "models": str(REPO / "var" / "models"),
            "knowledge": str(REPO / "knowledge"),
            "index": str(REPO / "var" / "index"),
        },
        "rasa": {
            "domain": str(REPO / "domain.yml"),
            "config": str(REPO / "config.yml"),
            "endpoints": str(REPO / "endpoints.yml"),
            "credentials": str(REPO / "credentials.yml"),
            "training_data": [str(REPO / "nlu_data"), str(REPO / "stories")],
            "ready_timeout_s": 900,  # a shared 2-core box under load can take minutes to load a model
            "workers": rasa_workers,
        },
    }
    path = folder / "kefu.yml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path


@dataclass
class RunningStack:
    config: KefuConfig
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)

    @property
    def gateway(self) -> str:
        return self.config.url("gateway")

    def service_pids(self) -> dict[str, int]:
        pid_file = self.config.path(self.config.paths.var) / "run" / "stack.json"
        return json.loads(pid_file.read_text(encoding="utf-8"))

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout_s: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=timeout_s)


def start_stack(folder: Path, timeout_s: float = 900, rasa_workers: int = 1) -> RunningStack:
    """Run `kefu up` and return once it prints that it is ready; fail with its output otherwise.

    The model is trained first, outside the readiness timeout: after a change to the NLU data a
    fresh clone trains for about 6 minutes on an idle 2-core box, but for more than the whole
    timeout when another torch job shares the box, and `kefu up` would then be reported as never
    becoming ready.
    """
    config_path = write_test_config(folder, rasa_workers)
    config = load_config(config_path)
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
            raise AssertionError("kefu up did not become ready:\n" + "".join(stack.output[-60:]))
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
