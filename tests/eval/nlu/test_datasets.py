"""eval.nlu.datasets: the stratified share behind `--train-fraction` (a learning curve's points)."""
from __future__ import annotations

import subprocess

from bot.environments import CODE_ROOT, rasa_python
from tests.rasa_plugins.nlu.rasa_side import run_in_rasa


def test_a_training_fraction_keeps_each_intents_share_and_is_reproducible() -> None:
    result = run_in_rasa("""
        import collections, json
        from rasa.shared.nlu.training_data.message import Message
        from rasa.shared.nlu.training_data.training_data import TrainingData
        from eval.nlu.datasets import DatasetError, stratified_fraction
        sizes = {"big": 40, "middle": 10, "tiny": 1}
        data = TrainingData([Message(data={"text": f"{intent} {n}", "intent": intent})
                             for intent, size in sizes.items() for n in range(size)])
        def texts(fraction):
            return [m.get("text") for m in stratified_fraction(data, fraction).intent_examples]
        half = texts(0.5)
        errors = []
        for bad in (0, 1.5):
            try:
                stratified_fraction(data, bad)
            except DatasetError as error:
                errors.append(str(error))
        print(json.dumps({"half": half, "again": texts(0.5), "quarter": texts(0.25), "all": texts(1.0),
                          "errors": errors}))
    """)
    count = lambda texts, intent: sum(t.startswith(intent + " ") for t in texts)  # noqa: E731
    half, quarter = result["half"], result["quarter"]
    assert (count(half, "big"), count(half, "middle"), count(half, "tiny")) == (20, 5, 1)
    assert (count(quarter, "big"), count(quarter, "middle"), count(quarter, "tiny")) == (10, 2, 1)
    assert len(set(half)) == len(half), "a message was drawn twice"
    assert result["again"] == half, "the same fraction must pick the same messages"
    assert len(result["all"]) == 51
    assert len(result["errors"]) == 2 and all("at most 1" in e for e in result["errors"])


def test_the_command_refuses_a_fraction_outside_zero_to_one() -> None:
    completed = subprocess.run([str(rasa_python()), "-m", "eval.nlu.evaluate", "--train-fraction", "0"],
                               cwd=CODE_ROOT, capture_output=True, text=True, timeout=120,
                               env={"PYTHONPATH": str(CODE_ROOT), "PATH": "/usr/bin:/bin"})
    assert completed.returncode == 2
    assert "--train-fraction 0.0: give a share above 0 and at most 1" in completed.stderr
