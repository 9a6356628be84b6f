"""`kefu up`: bring the whole stack to "ready" (a StackRunner in the foreground), then keep it
running until Ctrl-C or SIGTERM."""
from __future__ import annotations

import signal
import time
from types import FrameType

from bot.config import KefuConfig
from bot.stack_runner import READY_MARKER, StackRunner
from bot.stack_runner import say_to_stderr as _say
from bot.supervisor import StartupError, tail


class _StopRequested(Exception):
    pass


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _StopRequested(signal.Signals(signum).name)


def run_stack(config: KefuConfig, allow_training: bool = True) -> int:
    started = time.monotonic()
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    runner = StackRunner(config, say=_say, allow_training=allow_training)
    try:
        runner.start()
        _print_ready(config, time.monotonic() - started)
        spec = runner.wait_until_one_exits()
        _say(f"{spec.name} stopped unexpectedly; stopping the stack. Last lines of {spec.log_path}:\n{tail(spec.log_path)}")
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
        if runner.stop():
            _say("all services stopped")


def _print_ready(config: KefuConfig, seconds: float) -> None:
    print(
        f"\n{READY_MARKER} ({seconds:.1f} s).\n"
        f"  chat page / API : {config.url('gateway')}   (POST /api/chat, GET /health)\n"
        f"  Rasa server     : {', '.join(config.rasa_urls())}\n"
        f"  action server   : {config.url('actions')}\n"
        f"  chat here       : ./kefu chat     stop: Ctrl-C\n",
        flush=True,
    )

