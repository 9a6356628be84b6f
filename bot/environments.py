"""Where the stack's two Python environments and its cache live.

`./kefu` (scripts/bootstrap.sh) creates the environments and exports their interpreters; code
here only reads those variables, so it never guesses an interpreter and never lets Rasa run on
the wrong Python.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

CODE_ROOT = Path(__file__).resolve().parent.parent
"""The folder holding the `bot`, `actions` and `retrieval` packages."""


class EnvironmentNotReady(RuntimeError):
    """The bootstrap has not run; the message says how to run it."""


def cache_dir() -> Path:
    return Path(os.environ.get("KEFU_CACHE") or Path.home() / ".cache" / "kefu")


def datasets_dir() -> Path:
    """The public data sets (CIC, CLINC150, ...): `$KEFU_DATASETS`, else `../shared/datasets` beside
    the code. They are never copied into the repository; callers skip cleanly when a set is absent."""
    return Path(os.environ.get("KEFU_DATASETS") or CODE_ROOT.parent / "shared" / "datasets")


def rasa_python() -> Path:
    """The Python 3.10 interpreter of the Rasa environment."""
    value = os.environ.get("KEFU_RASA_PYTHON")
    if not value or not Path(value).exists():
        raise EnvironmentNotReady(
            "the Rasa environment is not set up: run commands through ./kefu (or `make run`), "
            "which installs it, or set KEFU_RASA_PYTHON to a Python 3.10 with rasa==3.6.21"
        )
    return Path(value)


def kefu_python() -> Path:
    """The Python 3.11 interpreter for actions, retrieval and the gateway: this one."""
    return Path(os.environ.get("KEFU_PY311") or sys.executable)
