"""Run a snippet of Rasa-side code (Python 3.10, the Rasa environment) and return its JSON result.

The components under test import Rasa, which only exists in the Rasa environment, so tests (run
by the 3.11 pytest) execute them there through a subprocess with the repository importable.
"""
from __future__ import annotations

import json
import os
import subprocess
import textwrap
from typing import Any

import pytest

from bot.environments import CODE_ROOT, EnvironmentNotReady, rasa_python


def run_in_rasa(code: str, timeout: float = 600) -> Any:
    """Runs ``code`` in the Rasa interpreter; the code prints one JSON value as its last line."""
    try:
        python = rasa_python()
    except EnvironmentNotReady as error:
        pytest.fail(str(error))
    env = {**os.environ, "PYTHONPATH": str(CODE_ROOT), "RASA_TELEMETRY_ENABLED": "false",
           "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run([str(python), "-c", textwrap.dedent(code)], cwd=CODE_ROOT, env=env,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])

