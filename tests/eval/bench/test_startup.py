"""The start-up benchmark reads the real `kefu up` output (the session's running stack printed it)."""
from __future__ import annotations

from bot.stack_process import RunningStack
from eval.bench.startup import parse_progress


def test_progress_of_a_real_kefu_up_is_understood(running_stack: RunningStack) -> None:
    run = parse_progress(running_stack.output)
    assert run is not None, running_stack.output[-10:]
    assert run.ready_seconds > 0 and run.model_seconds is not None and run.index_seconds is not None
    assert set(run.services_ready_after_index) == {"rasa", "actions", "gateway"}
    assert max(run.services_ready_after_index.values()) <= run.ready_seconds


def test_output_without_ready_is_not_a_result() -> None:
    assert parse_progress(["[kefu] model kefu-x.tar.gz (up to date, 0.0 s)", "[kefu] could not start: boom"]) is None
