"""What the suites share: a stack that fails to start is reported by its reason, once."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.supervisor import StartupError
from bot.training import TrainingError
from eval.suites.context import EvalContext, named_for_its_set, reason_of


def test_a_failed_stack_start_is_reduced_to_its_reason() -> None:
    error = TrainingError("rasa train failed (exit 1); its last lines:\nTraceback ...\n  File x")
    assert reason_of(error) == "rasa train failed (exit 1); its last lines:"
    assert reason_of(StartupError("\nrasa exited with code 1 while starting; last lines of x.log:\nboom")) \
        == "rasa exited with code 1 while starting; last lines of x.log:"
    assert reason_of(StartupError("")) == "StartupError"


def test_half_a_stack_address_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="give both --gateway URL and --rasa URL"):
        EvalContext(tmp_path, options={"gateway": "http://127.0.0.1:1"}).live()


def test_a_stack_that_does_not_start_is_tried_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.stack_runner import StackRunner

    starts: list[Path] = []

    def fail(runner: StackRunner, knowledge_timeout_s: float | None = None) -> StackRunner:
        starts.append(runner.config.root)
        raise StartupError("rasa exited with code 1 while starting; last lines of rasa.log:\nboom")

    monkeypatch.setattr(StackRunner, "start", fail)
    monkeypatch.setattr("eval.suites.context.tempfile.mkdtemp", lambda prefix: str(tmp_path / "stack"))
    context = EvalContext(tmp_path)
    for _ in range(2):
        with pytest.raises(RuntimeError, match="the stack did not start: rasa exited with code 1 while starting"):
            context.live()
    assert starts == [tmp_path / "stack"]
    context.close()


def test_a_dev_sets_metrics_carry_its_name_and_the_test_sets_keep_theirs(tmp_path: Path) -> None:
    test_set, dev_set = tmp_path / "blind_risk", tmp_path / "blind_risk_dev"
    metrics = {"recall": 0.9, "false_alarms/cic_test": 0.002}
    assert named_for_its_set(metrics, test_set, test_set, "blind_risk") == metrics
    assert named_for_its_set(metrics, dev_set, test_set, dev_set.name, shared=("false_alarms/cic_test",)) == \
        {"blind_risk_dev/recall": 0.9, "false_alarms/cic_test": 0.002}
