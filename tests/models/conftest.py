from __future__ import annotations

from pathlib import Path

import pytest

from models.e5_build import ensure_e5_model


@pytest.fixture(scope="session")
def e5_model_dir() -> Path:
    """The real cached build (built on first use, a minute or two; then < 1 s)."""
    return ensure_e5_model()
