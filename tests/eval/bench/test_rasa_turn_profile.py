"""eval.bench.rasa_turn_profile on the trained demo bot, in the real Rasa environment."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from bot.config import load_config
from bot.environments import CODE_ROOT, rasa_python
from bot.training import ensure_trained
from eval.bench.rasa_turn_profile import FORM_TURNS, STEPS, TURNS


def test_a_turn_is_split_into_rasas_own_steps(tmp_path: Path) -> None:
    model = ensure_trained(load_config(CODE_ROOT / "kefu.yml")).model_path
    out = tmp_path / "profile.json"
    result = subprocess.run([str(rasa_python()), "-m", "eval.bench.rasa_turn_profile", "--model", str(model),
                             "--rounds", "2", "--json-out", str(out)], cwd=CODE_ROOT, capture_output=True,
                            text=True, timeout=900, env={**os.environ, "PYTHONPATH": str(CODE_ROOT)})
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["turns"] == 2 * len(TURNS)
    assert report["answered"] >= len(TURNS), "most turns get a response"
    assert set(report["steps"]) == {step for step, _ in STEPS.values()} | {"other"}
    steps = report["steps"]
    # Every turn parses once and predicts at least the reply and action_listen.
    assert steps["parse"]["median_ms"] > 0 and steps["predict"]["median_ms"] > 0
    assert report["predictions_per_turn"] >= 2
    # The steps are parts of the turn: their means add up to the turn's mean ("other" is the rest).
    assert abs(sum(s["mean_ms"] for s in steps.values()) - report["total"]["mean_ms"]) < 1.0


def test_a_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run([str(rasa_python()), "-m", "eval.bench.rasa_turn_profile", "--model",
                             str(tmp_path / "none.tar.gz")], cwd=CODE_ROOT, capture_output=True, text=True,
                            timeout=120, env={**os.environ, "PYTHONPATH": str(CODE_ROOT)})
    assert result.returncode == 2 and "train with ./kefu train" in result.stderr


def test_with_the_action_server_the_form_turns_and_remote_calls_are_profiled(running_stack, tmp_path: Path) -> None:
    """Against the session's real stack: the emotion check runs after every message and the order
    lookup form verifies the order in the shop database, all on the real action server."""
    out = tmp_path / "profile.json"
    model = ensure_trained(load_config(CODE_ROOT / "kefu.yml")).model_path  # the model the stack serves
    actions = running_stack.config.url("actions") + "/webhook"
    result = subprocess.run([str(rasa_python()), "-m", "eval.bench.rasa_turn_profile", "--model",
                             str(model), "--rounds", "1", "--actions", actions,
                             "--json-out", str(out)], cwd=CODE_ROOT, capture_output=True, text=True,
                            timeout=900, env={**os.environ, "PYTHONPATH": str(CODE_ROOT)})
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    form = report["form"]
    assert form["turns"] == len(FORM_TURNS) and form["answered"] == len(FORM_TURNS)
    # Every message costs at least the emotion check; the form adds its validation and questions.
    assert report["remote_calls"]["per_turn"] >= 1
    assert form["remote_calls"]["per_turn"] > report["remote_calls"]["per_turn"]
    assert 0 < form["remote_calls"]["mean_ms"] < form["total"]["mean_ms"]
    assert "order lookup form turns" in result.stdout
