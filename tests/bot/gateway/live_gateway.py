"""Run the gateway as its own process (uvicorn on a free port), as `kefu up` does."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bot.stack import gateway_command
from tests.bot.gateway.conftest import write_config

REPO = Path(__file__).resolve().parents[3]


class LiveGateway:
    def __init__(self, folder: Path, rasa_port: int, **gateway: object) -> None:
        self.config = write_config(folder, rasa_port, **gateway)
        self.database = folder / "var" / "gateway.db"
        self.url = self.config.url("gateway")
        self.log = folder / "gateway.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> LiveGateway:
        env = {**os.environ, "KEFU_CONFIG": str(self.config.root / "kefu.yml"),
               "KEFU_GATEWAY_DB": str(self.database), "PYTHONPATH": str(REPO)}
        env.pop("KEFU_PORT_GATEWAY", None)
        env.pop("KEFU_PORT_RASA", None)
        self.process = subprocess.Popen(
            gateway_command(self.config, sys.executable), env=env, cwd=REPO, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1, verify=False).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("gateway did not start:\n" + self.log.read_text(errors="replace")[-3000:])

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as in a crash."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
