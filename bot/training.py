"""Train the Rasa model only when its inputs changed.

The model's file name carries the fingerprint of everything that shapes it (domain, pipeline,
NLU data, stories, custom components), so "is there a model for these inputs?" is a file lookup.
Trained models are also kept in the user cache, which lets a fresh clone with the same inputs
start without training again.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bot.config import KefuConfig
from bot.environments import CODE_ROOT, cache_dir, rasa_python
from bot.fingerprint import fingerprint_files
from bot.pipeline_order import PipelineOrderError, check_pipeline_order

RASA_VERSION = "3.6.21"
CUSTOM_COMPONENT_DIRS = ("rasa_plugins/nlu", "rasa_plugins/text")  # code that shapes what the model learns


class TrainingError(RuntimeError):
    """`rasa train` failed; the message carries the end of its output."""


@dataclass(frozen=True)
class TrainResult:
    model_path: Path
    trained: bool
    seconds: float


def model_fingerprint(config: KefuConfig) -> str:
    inputs = [config.path(config.rasa.domain), config.path(config.rasa.config)]
    inputs += [config.path(data) for data in config.rasa.training_data]
    inputs += [CODE_ROOT / folder for folder in CUSTOM_COMPONENT_DIRS]
    return fingerprint_files(inputs, salt=f"rasa=={RASA_VERSION}")


def model_path_for(config: KefuConfig) -> Path:
    return config.path(config.paths.models) / f"kefu-{model_fingerprint(config)[:16]}.tar.gz"


def ensure_trained(config: KefuConfig, force: bool = False) -> TrainResult:
    """Return a model for the current inputs, training one only if none exists yet.

    config.yml's component order is checked first, so a misplaced classifier fails in a second
    rather than after minutes of training (bot/pipeline_order.py)."""
    started = time.monotonic()
    try:
        check_pipeline_order(config.path(config.rasa.config))
    except PipelineOrderError as error:
        raise TrainingError(str(error)) from error
    model_path = model_path_for(config)
    cached = cache_dir() / "rasa-models" / model_path.name
    if not force and model_path.exists():
        return TrainResult(model_path, trained=False, seconds=time.monotonic() - started)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    if not force and cached.exists():
        shutil.copyfile(cached, model_path)
        return TrainResult(model_path, trained=False, seconds=time.monotonic() - started)
    _run_rasa_train(config, model_path)
    cached.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(model_path, cached)
    return TrainResult(model_path, trained=True, seconds=time.monotonic() - started)


def _run_rasa_train(config: KefuConfig, model_path: Path) -> None:
    command = [
        str(rasa_python()), "-m", "rasa", "train",
        "--domain", str(config.path(config.rasa.domain)),
        "--config", str(config.path(config.rasa.config)),
        "--data", *[str(config.path(data)) for data in config.rasa.training_data],
        "--out", str(model_path.parent),
        "--fixed-model-name", model_path.name.removesuffix(".tar.gz"),
    ]
    print(f"[kefu] training the Rasa model ({model_path.name}); this takes a few minutes", file=sys.stderr)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys([str(CODE_ROOT), str(config.root)]))}
    log_lines: list[str] = []
    last_shown = 0.0
    with subprocess.Popen(command, cwd=config.root, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            log_lines.append(line)
            now = time.monotonic()
            if _is_progress_line(line) and (now - last_shown > 5 or "Epochs:" not in line):
                last_shown = now
                print(f"[rasa] {line.strip()[:160]}", file=sys.stderr)
    if process.returncode != 0 or not model_path.exists():
        tail = "".join(log_lines[-25:])
        raise TrainingError(f"rasa train failed (exit {process.returncode}); its last lines:\n{tail}")


def _is_progress_line(line: str) -> bool:
    """Rasa prints a lot; keep the lines that tell a person where training is."""
    markers = ("Epochs:", "Your Rasa model is trained", "Finished training", "Error", "error")
    return any(marker in line for marker in markers)
