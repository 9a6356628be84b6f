"""Run a set of service processes together: start, wait until healthy, stop them all cleanly.

Each child gets its own process group, so stopping it also stops anything it spawned, and asks
the kernel to send it SIGTERM if the supervisor itself dies (PR_SET_PDEATHSIG), so not even a
`kill -9` of the supervisor leaves a server behind.
"""
from __future__ import annotations

import ctypes
import os
import signal
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

PR_SET_PDEATHSIG = 1


class StartupError(RuntimeError):
    """A service died or never became healthy; the message says which and why."""


@dataclass
class ServiceSpec:
    name: str
    command: list[str]
    health_url: str
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    is_healthy: Callable[[bytes], bool] = lambda body: True


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGTERM when the parent goes away."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class ServiceGroup:
    """Processes started together and stopped together."""

    def __init__(self, specs: list[ServiceSpec]) -> None:
        self.specs = specs
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, only: Collection[str] | None = None) -> None:
        """Start the services named in `only` (default: every service not started yet)."""
        for spec in self.specs:
            if spec.name in self.processes or (only is not None and spec.name not in only):
                continue
            spec.log_path.parent.mkdir(parents=True, exist_ok=True)
            log = spec.log_path.open("ab")
            self.processes[spec.name] = subprocess.Popen(
                spec.command, cwd=spec.cwd, env={**os.environ, **spec.env}, stdout=log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                preexec_fn=_die_with_parent,
            )
            log.close()

    def wait_healthy(self, timeout_s: float, on_ready: Callable[[ServiceSpec, float], None] | None = None) -> None:
        """Poll every service's health URL until all answer, one dies, or time runs out."""
        started = time.monotonic()
        pending = {spec.name: spec for spec in self.specs}
        while pending:
            for name, spec in list(pending.items()):
                process = self.processes[name]
                if process.poll() is not None:
                    raise StartupError(
                        f"{name} exited with code {process.returncode} while starting; "
                        f"last lines of {spec.log_path}:\n{tail(spec.log_path)}"
                    )
                if _answers(spec):
                    del pending[name]
                    if on_ready:
                        on_ready(spec, time.monotonic() - started)
            if time.monotonic() - started > timeout_s:
                names = ", ".join(pending)
                raise StartupError(f"{names} not healthy after {timeout_s:.0f} s; see logs in {self.specs[0].log_path.parent}")
            if pending:
                time.sleep(0.25)

    def first_exited(self) -> str | None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                return name
        return None

    def stop(self, grace_s: float = 10.0) -> None:
        """SIGTERM every process group, wait, then SIGKILL whatever is left."""
        for process in self.processes.values():
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + grace_s
        for process in self.processes.values():
            remaining = max(0.0, deadline - time.monotonic())
            try:
                process.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                pass
            _signal_group(process, signal.SIGKILL)
            process.wait()


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _loopback_tls() -> ssl.SSLContext:
    """Health checks reach our own processes on loopback: liveness, not the certificate, is checked
    (a production certificate names the public host, not 127.0.0.1)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _answers(spec: ServiceSpec) -> bool:
    context = _loopback_tls() if spec.health_url.startswith("https:") else None
    try:
        with urllib.request.urlopen(spec.health_url, timeout=2, context=context) as response:
            return response.status == 200 and spec.is_healthy(response.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def tail(path: Path, lines: int = 15) -> str:
    if not path.exists():
        return "(no log written)"
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
