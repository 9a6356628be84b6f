"""The Rasa project's own checks, run with the real Rasa 3.6.21 on its Python 3.10."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def rasa_command(*args: str) -> list[str]:
    python = os.environ.get("KEFU_RASA_PYTHON")
    if not python:
        pytest.fail("KEFU_RASA_PYTHON is not set: run the tests with `./kefu test` (or `make test`)")
    return [python, "-m", "rasa", *args]


def test_rasa_data_validate_is_clean_with_warnings_as_errors() -> None:
    result = subprocess.run(
        rasa_command("data", "validate", "--fail-on-warnings", "--domain", "domain.yml",
                     "--data", "nlu_data", "stories", "--config", "config.yml"),
        cwd=REPO, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
