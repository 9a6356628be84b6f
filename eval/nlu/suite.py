"""The Python 3.11 side of `kefu eval nlu`: runs ``python -m eval.nlu.evaluate`` in the Rasa environment.

The evaluation trains Rasa pipelines, so it must run on the Rasa interpreter; this wrapper starts
it from the repository root, streams its progress to stderr and returns the JSON it writes (the
schema is documented in eval/nlu/evaluate.py).
"""
from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot.environments import CODE_ROOT, rasa_python

STDERR_LINES_KEPT = 30


def nlu_eval_command(dataset: str, *, quick: bool, json_out: Path, pipelines: str = "kefu,stock") -> list[str]:
    command = [str(rasa_python()), "-m", "eval.nlu.evaluate", "--dataset", dataset, "--json-out", str(json_out),
               "--pipelines", pipelines]
    return command + (["--quick"] if quick else [])


def run_nlu_suite(dataset: str, *, quick: bool, json_out: Path, pipelines: str = "kefu,stock") -> dict[str, Any]:
    """Runs the NLU evaluation on ``dataset`` (``pipelines``: kefu, stock or both) and returns its
    parsed JSON result.

    Raises RuntimeError with the last lines of the evaluation's stderr if it fails.
    """
    json_out = Path(json_out).resolve()
    json_out.parent.mkdir(parents=True, exist_ok=True)
    json_out.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(CODE_ROOT), "RASA_TELEMETRY_ENABLED": "false",
           "TF_CPP_MIN_LOG_LEVEL": "3"}
    tail: collections.deque[str] = collections.deque(maxlen=STDERR_LINES_KEPT)
    command = nlu_eval_command(dataset, quick=quick, json_out=json_out, pipelines=pipelines)
    with subprocess.Popen(command, cwd=CODE_ROOT, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as process:
        assert process.stderr is not None
        for line in process.stderr:
            tail.append(line.rstrip())
            if line.startswith(("[nlu-eval]", "[e5]")):
                print(line.rstrip(), file=sys.stderr, flush=True)
    if process.returncode != 0 or not json_out.is_file():
        last = "\n".join(tail)
        raise RuntimeError(f"NLU evaluation of {dataset!r} failed (exit {process.returncode}); "
                           f"its last output lines:\n{last}")
    return json.loads(json_out.read_text(encoding="utf-8"))
