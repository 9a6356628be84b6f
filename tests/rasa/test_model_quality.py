"""The trained demo bot, measured with Rasa's own test commands (real Rasa 3.6.21, Python 3.10)."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from bot.config import load_config
from bot.training import ensure_trained
from tests.rasa.test_project_data import REPO, rasa_command

HELD_OUT_ACCURACY_TARGET = 0.90


@pytest.fixture(scope="module")
def model() -> Path:
    return ensure_trained(load_config(REPO / "kefu.yml")).model_path


def run_rasa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(rasa_command(*args), cwd=REPO, capture_output=True, text=True, timeout=1800,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


def test_every_test_story_passes(model: Path, tmp_path: Path) -> None:
    result = run_rasa("test", "core", "--stories", "eval/data/test_stories", "--model", str(model),
                      "--out", str(tmp_path), "--fail-on-prediction-errors")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    failed = tmp_path / "failed_test_stories.yml"
    assert not failed.exists() or "stories:" not in failed.read_text(encoding="utf-8")
    report = json.loads((tmp_path / "story_report.json").read_text(encoding="utf-8"))
    assert report["conversation_accuracy"]["accuracy"] == 1.0


def test_held_out_customer_messages_are_understood(model: Path, tmp_path: Path) -> None:
    result = run_rasa("test", "nlu", "--nlu", "eval/data/nlu_heldout.yml", "--model", str(model),
                      "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    report = json.loads((tmp_path / "intent_report.json").read_text(encoding="utf-8"))
    assert report["accuracy"] >= HELD_OUT_ACCURACY_TARGET, f"held-out accuracy {report['accuracy']:.3f}"
