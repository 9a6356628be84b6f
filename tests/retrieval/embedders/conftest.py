from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.embedders.e5_onnx import E5OnnxEmbedder


@pytest.fixture(scope="session")
def e5_model_dir() -> Path:
    """The real cached build (built on first use, a minute or two; then < 1 s)."""
    from models.e5_build import ensure_e5_model

    return ensure_e5_model()


@pytest.fixture(scope="session")
def onnx_embedder(e5_model_dir: Path) -> E5OnnxEmbedder:
    embedder = E5OnnxEmbedder(model_dir=str(e5_model_dir))
    embedder.warm_up()
    return embedder
