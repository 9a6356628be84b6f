"""What the suites of one `kefu eval` run share: options, the output folder, one running stack
(started on first use, stopped at the end) and one knowledge service."""
from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.suites.live import LiveStack

REPO = Path(__file__).resolve().parents[2]


class SuiteSkipped(Exception):
    """A suite that cannot run here (missing data set, missing module); the message says why."""


def named_for_its_set(metrics: dict[str, Any], used: Path, test_set: Path, label: str,
                      shared: tuple[str, ...] = ()) -> dict[str, Any]:
    """A dev set's metrics carry its `label` ("blind_dev/conversations_passed"), so its figures never
    pass for the test set's gates in eval/thresholds.yml; `shared` metrics, measured on data both
    runs use, keep their names."""
    if Path(used).resolve() == Path(test_set).resolve():
        return metrics
    return {(name if name in shared else f"{label}/{name}"): value for name, value in metrics.items()}


def progress(message: str) -> None:
    print(f"[eval] {message}", file=sys.stderr, flush=True)


def reason_of(error: BaseException) -> str:
    """The line of a failed stack start that says why (the error's first line; its log tail follows)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


@dataclass
class EvalContext:
    out_dir: Path
    quick: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    live_stack: LiveStack | None = None
    _started: Any = None
    stack_start_s: float | None = None
    _start_error: str | None = None
    _service: Any = None

    def option(self, name: str, default: Any = None) -> Any:
        value = self.options.get(name)
        return default if value is None else value

    def live(self) -> LiveStack:
        """The stack to talk to: given by --gateway/--rasa, or started here once (`kefu up` on free ports)."""
        if self.live_stack is None:
            gateway, rasa = self.option("gateway"), self.option("rasa")
            if bool(gateway) != bool(rasa):
                raise ValueError("give both --gateway URL and --rasa URL, or neither (the stack is then started)")
            if not gateway and self._start_error:
                raise RuntimeError(self._start_error)  # do not retry for every live suite
            if not gateway:
                from bot.config import ConfigError
                from bot.stack_runner import StackRunner
                from bot.supervisor import StartupError
                from bot.training import TrainingError

                progress("starting the stack (Rasa, action server, gateway) on free ports; 1-3 minutes, "
                         "longer when the bot must be trained first")
                began = time.perf_counter()
                # one machine replays many customers, a few of them (the demo accounts) many times a minute:
                # the per-sender rate limit is for real traffic, not for this
                runner = StackRunner.on_free_ports(Path(tempfile.mkdtemp(prefix="kefu-eval-stack-")), say=progress,
                                                   rate_limit=False)
                try:
                    self._started = runner.start()
                except (ConfigError, StartupError, TrainingError, OSError) as error:
                    runner.stop()
                    self._start_error = f"the stack did not start: {reason_of(error)}"
                    raise RuntimeError(self._start_error) from None
                except BaseException:
                    runner.stop()
                    raise
                self.stack_start_s = round(time.perf_counter() - began, 1)
                gateway, rasa = self._started.gateway, self._started.rasa
                progress(f"stack ready: gateway {gateway}, rasa {rasa}")
            self.live_stack = LiveStack(gateway, rasa, signer=self._signer())
        return self.live_stack

    def _signer(self) -> Callable[[str], str]:
        """Identity tokens for the stack's identified customers, signed with that stack's secret: for a
        stack given by --gateway/--rasa, the secret of --stack-config (or $KEFU_EVAL_STACK_CONFIG, else
        this project's kefu.yml)."""
        from bot.config import load_config
        from bot.gateway.identity import sign_identity

        if self._started is not None:
            config = self._started.config
        else:
            config = load_config(self.option("stack_config") or os.environ.get("KEFU_EVAL_STACK_CONFIG")
                                 or REPO / "kefu.yml")
        return lambda account: sign_identity(config, account)

    def knowledge_service(self) -> Any:
        """The retrieval service over the project's knowledge base, configured from kefu.yml."""
        if self._service is None:
            import dataclasses

            from bot.config import load_config
            from bot.knowledge_index import retrieval_settings
            from retrieval.indexing import build_index
            from retrieval.service import KnowledgeService

            # a private index copy: the eval never rewrites the index a running bot serves
            settings = dataclasses.replace(retrieval_settings(load_config(REPO / "kefu.yml")),
                                           index_dir=str(REPO / "var" / "eval" / "index"), timeout_seconds=60.0)
            progress("building the knowledge index (embeds only changed documents)")
            build_index(settings.knowledge_dir, settings.index_dir, settings, show_progress=False)
            self._service = KnowledgeService(settings)
            self._service.warm_up()
        return self._service

    def close(self) -> None:
        if self.live_stack is not None:
            self.live_stack.close()
        if self._started is not None:
            progress("stopping the stack")
            self._started.stop()
            self._started = None
