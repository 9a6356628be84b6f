"""The one way to run the stack (Rasa, action server, gateway): `StackRunner`.

`StackRunner` checks the ports, trains the model if needed (before any readiness clock starts),
starts the services (bot/stack.py, bot/supervisor.py), waits until they are healthy and, where
the caller needs it, until the action server has loaded its knowledge index; `stop()` stops them.
`kefu up` (bot/up.py) runs one in the foreground; `kefu eval`, `kefu bench` and the tests run
one on free ports (`StackRunner.on_free_ports`, which writes a kefu.yml with `write_stack_config`).

Tests of `kefu up` as a process (signals, shutdown, its output) run the product itself with
`bot.stack_process.start_stack`, which starts `python -m bot up` (a StackRunner) in a subprocess.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.config import ConfigError, KefuConfig, load_config
from bot.environments import CODE_ROOT
from bot.ports import free_stack_ports
from bot.stack import check_ports_free, rasa_service_names, stack_services, write_pid_file
from bot.supervisor import ServiceGroup, ServiceSpec, StartupError, tail
from bot.training import ensure_trained, model_path_for

REPO = CODE_ROOT
READY_MARKER = "Kefu is ready"
KNOWLEDGE_READY = "knowledge service ready"
KNOWLEDGE_FAILED = "knowledge service could not warm up"

Say = Callable[[str], None]
PROJECT_BOT_SECTIONS = ("persona", "retrieval", "service")
"""Sections of the project's kefu.yml a stack on free ports keeps: it serves the project's bot, with
its name, its company and its knowledge answers' settings and texts."""


def say_to_stderr(message: str) -> None:
    print(f"[kefu] {message}", file=sys.stderr, flush=True)


def write_stack_config(folder: Path, rasa_workers: int = 1, *, knowledge: Path | None = None,
                       index: Path | None = None, rate_limit: bool = True,
                       extra: Mapping[str, Mapping[str, Any]] | None = None) -> Path:
    """A kefu.yml on free loopback ports that uses the project's bot but keeps everything the stack
    writes (databases, logs) in `folder`.

    knowledge, index: the folders the action server serves (default: the project's knowledge/ and
    var/index/); rate_limit=False lifts the per-sender rate limit (for a benchmark: the load is
    ours); extra: further sections, merged in over the project's `persona:` and `retrieval:`.
    """
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    settings: dict[str, Any] = {
        "ports": free_stack_ports(rasa_workers),
        "paths": {
            "var": str(folder / "var"),
            "models": str(REPO / "var" / "models"),
            "knowledge": str((knowledge or REPO / "knowledge").resolve()),
            "index": str((index or REPO / "var" / "index").resolve()),
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
    project = yaml.safe_load((REPO / "kefu.yml").read_text(encoding="utf-8")) if (REPO / "kefu.yml").is_file() else {}
    for section in PROJECT_BOT_SECTIONS:  # who the bot is and how it answers: the project's own
        if (project or {}).get(section):
            settings[section] = dict(project[section])
    settings["gateway"] = {"seed_demo_agents": True}  # a test or evaluation stack: demo mode
    if not rate_limit:
        settings["gateway"]["rate_limit_per_minute"] = 1_000_000
    for section, values in (extra or {}).items():
        settings[section] = {**settings.get(section, {}), **values}
    path = folder / "kefu.yml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path


def load_free_port_config(path: Path) -> KefuConfig:
    """Load a kefu.yml written by `write_stack_config`: its free ports, whatever KEFU_PORT_* says."""
    overrides = {name: os.environ.pop(name) for name in list(os.environ) if name.startswith("KEFU_PORT_")}
    try:
        return load_config(path)
    finally:
        os.environ.update(overrides)


def wait_for_knowledge(log: Path, timeout_s: float, exited: Callable[[], str | None] = lambda: None) -> None:
    """The action server loads (and checks) its index in the background: wait for its log line."""
    started = time.monotonic()
    while True:
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        if KNOWLEDGE_READY in text:
            return
        if KNOWLEDGE_FAILED in text:
            raise StartupError(f"the action server could not load the index; last lines of {log}:\n{tail(log)}")
        if exited():
            raise StartupError(f"{exited()} exited; see {log.parent}")
        if time.monotonic() - started > timeout_s:
            raise StartupError(f"the knowledge index was not loaded after {timeout_s:.0f} s; see {log}")
        time.sleep(1)


def actions_log(config: KefuConfig) -> Path:
    return config.path(config.paths.var) / "logs" / "actions.log"


class StackUrls:
    """The base URLs of a stack described by `self.config`."""

    config: KefuConfig

    @property
    def gateway(self) -> str:
        return self.config.url("gateway")

    @property
    def rasa(self) -> str:
        return self.config.url("rasa")


class StackRunner(StackUrls):
    """Start with `start()`, always `stop()` (a `with` block stops).

    model: a trained model to serve (default: the current bot's, trained here if there is none,
    unless allow_training is False); build_index: bring the knowledge index up to date while Rasa
    loads its model, as `kefu up` does (a benchmark serving a prepared index passes False);
    config_path: the kefu.yml the services read (KEFU_CONFIG); say: where progress lines go.
    """

    def __init__(self, config: KefuConfig, *, config_path: Path | None = None, say: Say = say_to_stderr,
                 model: Path | None = None, allow_training: bool = True, build_index: bool = True) -> None:
        self.config = config
        self.config_path = config_path
        self.say = say
        self.model = model
        self.allow_training = allow_training
        self.build_index = build_index
        self.group: ServiceGroup | None = None
        self.model_path: Path | None = None

    @classmethod
    def on_free_ports(cls, folder: Path, rasa_workers: int = 1, *, knowledge: Path | None = None,
                      index: Path | None = None, rate_limit: bool = True,
                      extra: Mapping[str, Mapping[str, Any]] | None = None, **options: Any) -> StackRunner:
        """A runner for a kefu.yml written into `folder` (see `write_stack_config`)."""
        path = write_stack_config(folder, rasa_workers, knowledge=knowledge, index=index,
                                  rate_limit=rate_limit, extra=extra)
        return cls(load_free_port_config(path), config_path=path, **options)

    def start(self, knowledge_timeout_s: float | None = None) -> StackRunner:
        """Start every service and return once all are healthy (and, given knowledge_timeout_s, once
        the action server has loaded its index). Raises ConfigError, TrainingError or StartupError;
        whatever was started is stopped by `stop()`."""
        check_ports_free(self.config)
        model_path = self._model()
        services = stack_services(self.config, model_path)
        if self.config_path is not None:  # the action server reads its retrieval settings from it
            for spec in services:
                spec.env["KEFU_CONFIG"] = str(self.config_path.resolve())
        self.group = ServiceGroup(services)
        if self.build_index:
            from bot.knowledge_index import build_knowledge_index

            self.group.start(only=rasa_service_names(self.config))  # Rasa loads its model while the index is checked
            index_started = time.monotonic()
            report = build_knowledge_index(self.config, show_progress=True)
            self.say(f"knowledge index: {report} ({time.monotonic() - index_started:.1f} s)")
        self.group.start()
        write_pid_file(self.config, self.service_pids(with_supervisor=False))
        self.group.wait_healthy(self.config.rasa.ready_timeout_s,
                                on_ready=lambda spec, seconds: self.say(f"{spec.name} ready after {seconds:.1f} s"))
        if knowledge_timeout_s is not None:
            self.wait_for_knowledge(knowledge_timeout_s)
        return self

    def _model(self) -> Path:
        if self.model is not None:
            self.model_path = self.model
            self.say(f"model {self.model.name} (given)")
            return self.model
        if not self.allow_training and not model_path_for(self.config).exists():
            raise ConfigError(f"no trained model for the current data ({model_path_for(self.config).name}): "
                              "run `kefu train`")
        result = ensure_trained(self.config)
        self.model_path = result.model_path
        self.say(f"model {result.model_path.name} ({'trained' if result.trained else 'up to date'}, "
                 f"{result.seconds:.1f} s)")
        return result.model_path

    def wait_for_knowledge(self, timeout_s: float) -> None:
        started = time.monotonic()
        wait_for_knowledge(actions_log(self.config), timeout_s, self.first_exited)
        self.say(f"knowledge index loaded after {time.monotonic() - started:.1f} s")

    def service_pids(self, with_supervisor: bool = True) -> dict[str, int]:
        """Each service's process id (also its process group id), as in the pid file."""
        pids = {name: process.pid for name, process in (self.group.processes if self.group else {}).items()}
        return {"supervisor": os.getpid(), **pids} if with_supervisor else pids

    def first_exited(self) -> str | None:
        return self.group.first_exited() if self.group else None

    def wait_until_one_exits(self, poll_s: float = 0.5) -> ServiceSpec:
        """Block while every service runs; return the first one that stopped."""
        while (exited := self.first_exited()) is None:
            time.sleep(poll_s)
        assert self.group is not None
        return next(spec for spec in self.group.specs if spec.name == exited)

    def stop(self) -> bool:
        """Stop every service started; False if there was none."""
        if self.group is None:
            return False
        group, self.group = self.group, None
        group.stop()
        return True

    def __enter__(self) -> StackRunner:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
