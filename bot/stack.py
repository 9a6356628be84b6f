"""The Kefu stack: Rasa server, action server and gateway, described as services to supervise."""
from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

from bot.config import ConfigError, KefuConfig
from bot.environments import CODE_ROOT, kefu_python, rasa_python
from bot.ports import port_is_free
from bot.supervisor import ServiceSpec

SERVICE_ORDER = ("rasa", "actions", "gateway")


def rasa_service_names(config: KefuConfig) -> list[str]:
    """`rasa`, then `rasa-2`, `rasa-3`, ... for the further processes of `rasa.workers`."""
    return ["rasa" if index == 0 else f"rasa-{index + 1}" for index in range(config.rasa.workers)]


def _rasa_processes(config: KefuConfig) -> list[tuple[str, int]]:
    """(service name, port) of each Rasa process."""
    return list(zip(rasa_service_names(config), config.rasa_ports()))


def _service_ports(config: KefuConfig) -> list[tuple[str, int]]:
    return [*_rasa_processes(config), ("actions", config.ports.actions), ("gateway", config.ports.gateway)]


def check_ports_free(config: KefuConfig) -> None:
    """Fail early, in one line, when a configured port is taken."""
    for name, port in _service_ports(config):
        service = name if name in SERVICE_ORDER else "rasa"
        if not port_is_free(config.host, port):
            raise ConfigError(
                f"port {port} ({name}) on {config.host} is already in use: stop what uses it "
                f"or set ports.{service} in kefu.yml (or KEFU_PORT_{service.upper()})"
            )


def write_runtime_endpoints(config: KefuConfig) -> Path:
    """Copy endpoints.yml with the configured action-server port and tracker file filled in."""
    source = config.path(config.rasa.endpoints)
    if not source.exists():
        raise ConfigError(f"{source} is missing: it tells Rasa where the action server is")
    endpoints = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    endpoints["action_endpoint"] = {"url": f"{config.url('actions')}/webhook"}
    tracker = endpoints.get("tracker_store") or {}
    if tracker.get("type") == "SQL" and tracker.get("dialect") == "sqlite":
        tracker["db"] = str(config.path(config.paths.var).resolve() / Path(tracker.get("db", "rasa_tracker.db")).name)
    runtime = config.path(config.paths.var) / "run" / "endpoints.yml"
    runtime.parent.mkdir(parents=True, exist_ok=True)
    runtime.write_text(yaml.safe_dump(endpoints, allow_unicode=True), encoding="utf-8")
    return runtime


def service_env(config: KefuConfig) -> dict[str, str]:
    """Settings every service reads, so that they agree on ports and files."""
    var = config.path(config.paths.var).resolve()
    return {
        "PYTHONPATH": os.pathsep.join(dict.fromkeys([str(CODE_ROOT), str(config.root)])),
        "KEFU_PORT_GATEWAY": str(config.ports.gateway),
        "KEFU_PORT_RASA": str(config.ports.rasa),
        "KEFU_PORT_ACTIONS": str(config.ports.actions),
        "KEFU_SHOP_DB": str(var / "shop.db"),
        "KEFU_INDEX_DIR": str(config.path(config.paths.index).resolve()),
        "KEFU_KNOWLEDGE_DIR": str(config.path(config.paths.knowledge).resolve()),
        "KEFU_GATEWAY_DB": str(var / "gateway.db"),
    }


def _rasa_is_ready(body: bytes) -> bool:
    """Ready means /status names a loaded model (Rasa 3.x reports `model_id` once one is loaded)."""
    try:
        return bool(json.loads(body).get("model_id"))
    except ValueError:
        return False


def write_pid_file(config: KefuConfig, pids: dict[str, int]) -> Path:
    """Record the services' process ids (each is also its process group id) for tools and tests."""
    pid_file = config.path(config.paths.var) / "run" / "stack.json"
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(json.dumps({"supervisor": os.getpid(), **pids}), encoding="utf-8")
    return pid_file


def gateway_command(config: KefuConfig, python: str) -> list[str]:
    """uvicorn serving the gateway; with `tls` set, HTTPS and WSS only (uvicorn's own TLS)."""
    command = [python, "-m", "uvicorn", "bot.gateway.app:create_app", "--factory",
               "--host", config.host, "--port", str(config.ports.gateway), "--no-access-log"]
    if config.tls.enabled:
        command += ["--ssl-certfile", str(config.path(config.tls.cert).resolve()),
                    "--ssl-keyfile", str(config.path(config.tls.key).resolve())]
    return command


def stack_services(config: KefuConfig, model_path: Path) -> list[ServiceSpec]:
    logs = config.path(config.paths.var) / "logs"
    env = service_env(config)
    endpoints = write_runtime_endpoints(config)
    python = str(kefu_python())
    rasa = [
        ServiceSpec(
            name=name,
            command=[str(rasa_python()), "-m", "rasa_plugins.runtime", "run", "--enable-api",
                     "--model", str(model_path), "--endpoints", str(endpoints),
                     "--credentials", str(config.path(config.rasa.credentials)),
                     "--interface", config.host, "--port", str(port)],
            health_url=f"http://{config.host}:{port}/status",
            is_healthy=_rasa_is_ready,
            log_path=logs / f"{name}.log", env=env, cwd=config.root,
        )
        for name, port in _rasa_processes(config)
    ]
    return [
        *rasa,
        ServiceSpec(
            name="actions",
            command=[python, "-m", "rasa_sdk", "--actions", "actions", "--port", str(config.ports.actions)],
            health_url=f"{config.url('actions')}/health",
            log_path=logs / "actions.log", env=env, cwd=config.root,
        ),
        ServiceSpec(
            name="gateway",
            command=gateway_command(config, python),
            health_url=f"{config.url('gateway')}/health",
            log_path=logs / "gateway.log", env=env, cwd=config.root,
        ),
    ]
