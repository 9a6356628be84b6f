"""Kefu's fast model loading gives exactly the predictions of Rasa's own loader (real models)."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from bot.config import load_config
from bot.environments import CODE_ROOT, rasa_python
from bot.training import ensure_trained

SCRIPT = Path(__file__).with_name("parity_script.py")


def load_and_predict(mode: str, model: Path) -> dict:
    result = subprocess.run([str(rasa_python()), str(SCRIPT), mode, str(model)], cwd=CODE_ROOT,
                            capture_output=True, text=True, timeout=900,
                            env={**os.environ, "PYTHONPATH": str(CODE_ROOT)})
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_fast_load_predicts_exactly_like_rasa() -> None:
    model = ensure_trained(load_config(CODE_ROOT / "kefu.yml")).model_path
    stock = load_and_predict("stock", model)
    fast = load_and_predict("fast", model)
    assert fast["parses"] == stock["parses"]
    assert fast["next_actions"] == stock["next_actions"]
    assert all(action for action, _score in fast["next_actions"])
