"""`kefu up`: bring the whole stack to "ready", then keep it running until Ctrl-C or SIGTERM."""
from __future__ import annotations

import signal
import sys
import time
from types import FrameType

from bot.config import ConfigError, KefuConfig
from bot.knowledge_index import build_knowledge_index
from bot.stack import check_ports_free, rasa_service_names, stack_services, write_pid_file
from bot.supervisor import ServiceGroup, ServiceSpec, StartupError, tail
from bot.training import ensure_trained, model_path_for


class _StopRequested(Exception):
    pass


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _StopRequested(signal.Signals(signum).name)


def run_stack(config: KefuConfig, allow_training: bool = True) -> int:
    started = time.monotonic()
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    group: ServiceGroup | None = None
    try:
        check_ports_free(config)
        if not allow_training and not model_path_for(config).exists():
            raise ConfigError(f"no trained model for the current data ({model_path_for(config).name}): run `kefu train`")
        model = ensure_trained(config)
        _say(f"model {model.model_path.name} ({'trained' if model.trained else 'up to date'}, {model.seconds:.1f} s)")
        group = ServiceGroup(stack_services(config, model.model_path))
        group.start(only=rasa_service_names(config))  # Rasa loads its model while the knowledge index is checked
        index_started = time.monotonic()
        index_report = build_knowledge_index(config, show_progress=True)
        _say(f"knowledge index: {index_report} ({time.monotonic() - index_started:.1f} s)")
        group.start()
        write_pid_file(config, {name: process.pid for name, process in group.processes.items()})
        group.wait_healthy(config.rasa.ready_timeout_s, on_ready=_report_ready)
        _print_ready(config, time.monotonic() - started)
        while (exited := group.first_exited()) is None:
            time.sleep(0.5)
        spec = next(s for s in group.specs if s.name == exited)
        _say(f"{exited} stopped unexpectedly; stopping the stack. Last lines of {spec.log_path}:\n{tail(spec.log_path)}")
        return 1
    except StartupError as error:
        _say(f"could not start: {error}")
        return 1
    except _StopRequested as stop:
        _say(f"{stop} received, stopping")
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if group is not None:
            group.stop()
            _say("all services stopped")


def _report_ready(spec: ServiceSpec, seconds: float) -> None:
    _say(f"{spec.name} ready after {seconds:.1f} s")


def _print_ready(config: KefuConfig, seconds: float) -> None:
    print(
        f"\nKefu is ready ({seconds:.1f} s).\n"
        f"  chat page / API : {config.url('gateway')}   (POST /api/chat, GET /health)\n"
        f"  Rasa server     : {', '.join(config.rasa_urls())}\n"
        f"  action server   : {config.url('actions')}\n"
        f"  chat here       : ./kefu chat     stop: Ctrl-C\n",
        flush=True,
    )


def _say(message: str) -> None:
    print(f"[kefu] {message}", file=sys.stderr, flush=True)
